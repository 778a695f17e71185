"""The web page's pure modules (voice/web/*.js with no DOM) tested by Node's own test
runner: every ``tests/web/js/*.test.mjs`` in one ``node --test`` run, counted here so that
``make test`` fails when one of them does.

Run them alone with::

    node --test tests/web/js/*.test.mjs

(voice/web/package.json marks the page's files as ES modules, which Debian 12's Node 18
would otherwise read as CommonJS.) Only ``*.test.mjs`` files are Node tests; the other
files in tests/web/js/ are scripts the browser tests evaluate in pages.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

JS_DIR = Path(__file__).resolve().parent / "js"
REPO = JS_DIR.parents[2]
MIN_NODE = (18, 0)  # node:test
INSTALL = "make test installs it (Debian's nodejs), or run 'sudo apt-get install nodejs'"
TIMEOUT_S = 300


def node() -> str:
    found = shutil.which("node")
    if found is None:
        pytest.fail(f"node is missing: {INSTALL}")
    version = subprocess.run(
        [found, "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    numbers = re.match(r"v(\d+)\.(\d+)", version)
    if numbers is None or (int(numbers[1]), int(numbers[2])) < MIN_NODE:
        pytest.fail(f"node {version} is too old (the tests need 18 or newer): {INSTALL}")
    return found


def tap_counts(output: str) -> dict[str, int]:
    """The closing counts of a TAP report (``# pass 3``, ``# fail 0``, ...)."""
    return {m[1]: int(m[2]) for m in re.finditer(r"^# (\w+) (\d+)$", output, re.MULTILINE)}


def test_the_pure_modules_pass_their_node_tests() -> None:
    files = sorted(JS_DIR.glob("*.test.mjs"))
    assert files, f"no *.test.mjs in {JS_DIR}"
    done = subprocess.run(
        [
            node(),
            "--test",
            "--test-reporter=tap",
            *[str(f.relative_to(REPO)) for f in files],
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    report = f"{done.stdout}\n{done.stderr}"
    counts = tap_counts(done.stdout)
    assert done.returncode == 0, report[-12_000:]
    assert counts.get("fail") == 0, report[-12_000:]
    # Every file ran, and none of its tests was left out.
    assert counts.get("pass", 0) >= len(files), report[-12_000:]
    left_out = {k: counts.get(k, 0) for k in ("skipped", "todo", "cancelled")}
    assert set(left_out.values()) == {0}, (left_out, report[-12_000:])
