"""An installed wheel carries what the source tree serves: the web page, the model manifest,
the fitted weights and the database migrations (package data, not files beside the
checkout)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_the_wheel_ships_the_web_page_and_the_model_data(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path / "dist"), str(REPO)],
        check=True, capture_output=True, cwd=tmp_path,
    )  # fmt: skip
    (wheel,) = (tmp_path / "dist").glob("voice-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for shipped in ("voice/web/index.html", "voice/web/app.js", "voice/web/therapist/index.html",
                    "voice/web/therapist/room.js", "voice/_models/manifest.json",
                    "voice/_models/cue_weights.json", "voice/_models/safety_screen.npz",
                    "voice/dialogue/default_checkin.toml", "voice/db/migrations/env.py",
                    "voice/db/migrations/script.py.mako",
                    "voice/db/migrations/versions/0001_accounts.py",
                    "voice/db/migrations/versions/0004_listening_room.py"):  # fmt: skip
        assert shipped in names

    # Installed alone (no dependencies needed for this), away from the checkout, the
    # package finds its data through voice.assets.
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
         str(wheel)],
        check=True, capture_output=True,
    )  # fmt: skip
    probe = (
        "import voice.assets as a, json; "
        "from voice.engines.manifest import load_manifest; "
        "from voice.db import open_database; from sqlalchemy import inspect; "
        f"e = open_database('sqlite:///{tmp_path}/voice.db'); "
        "print(a.WEB_DIR.joinpath('index.html').is_file(), len(load_manifest()), a.__file__, "
        "'people' in inspect(e).get_table_names())"
    )
    out = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(target)!r}); {probe}"],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    ).stdout.split()
    assert out[0] == "True"
    assert int(out[1]) >= 4
    assert out[2].startswith(str(target))
    assert out[3] == "True"  # the migrations ran from the installed package
