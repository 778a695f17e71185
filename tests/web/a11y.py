"""An automated accessibility check for Playwright pages: axe-core, from the npm registry,
installed by ``make test`` (``make web-npm``) into tests/web/firefox/node_modules and
injected from there: nothing is fetched from a CDN.

``axe_violations(page)`` runs axe's WCAG 2.0, 2.1 and 2.2 A/AA rules on the page as it is
now and returns the violations of the given impacts; ``describe_violations`` turns them
into an assertion message a person can act on::

    from web.a11y import axe_violations, describe_violations

    found = axe_violations(tab.page)
    assert found == [], describe_violations(found)

axe only finds what a machine can see (names, roles, contrast, structure); keyboard
operation, focus order and announcements still need tests of their own.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

AXE_JS = Path(__file__).resolve().parent / "firefox" / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.2 AA as axe tags it: each level's rules carry the tag of the version that added them.
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
IMPACTS = ("minor", "moderate", "serious", "critical")

Violation = dict[str, Any]

# axe.run's violations, cut to what a failure message needs. A node's `target` is a list of
# selectors (more than one when the element is inside an iframe or a shadow root).
_RUN = """async ([tags]) => {
  const results = await axe.run(document, {
    runOnly: { type: "tag", values: tags },
    resultTypes: ["violations"],
  });
  const selector = (target) => target.map((part) => [].concat(part).join(" >>> ")).join(" | ");
  return {
    version: axe.version,
    violations: results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      targets: v.nodes.map((n) => selector(n.target)),
      nodes: v.nodes.map((n) => ({
        target: selector(n.target),
        html: n.html,
        summary: n.failureSummary || "",
      })),
    })),
  };
}"""


@functools.cache
def _axe_source() -> str:
    if not AXE_JS.is_file():
        pytest.fail(f"axe-core is missing ({AXE_JS}): run 'make web-npm' (make test does)")
    return AXE_JS.read_text(encoding="utf-8")


def inject_axe(page: Any) -> str:
    """Put axe-core into the page (once per document); returns its version.

    The script is evaluated through Playwright rather than added as a ``<script>`` tag:
    the server's Content-Security-Policy (``default-src 'self'``) blocks inline scripts,
    and a blocked one would also be a CSP violation that the web tests count as an error.
    """
    if not page.evaluate("typeof window.axe === 'object' && typeof axe.run === 'function'"):
        page.evaluate(_axe_source())
    version: str = page.evaluate("axe.version")
    return version


def axe_violations(
    page: Any,
    impacts: Iterable[str] = ("serious", "critical"),
    tags: Iterable[str] = WCAG_TAGS,
) -> list[Violation]:
    """The page's axe violations of the given ``impacts`` under the rules with ``tags``,
    each ``{id, impact, help, helpUrl, targets, nodes}``: ``targets`` are the failing
    elements' selectors, ``nodes`` add each one's HTML and axe's summary of what to fix."""
    wanted = set(impacts)
    unknown = wanted - set(IMPACTS)
    if unknown:
        raise ValueError(f"unknown impact {sorted(unknown)}: axe's are {IMPACTS}")
    inject_axe(page)
    found: dict[str, Any] = page.evaluate(_RUN, [list(tags)])
    return [v for v in found["violations"] if v["impact"] in wanted]


def describe_violations(violations: list[Violation]) -> str:
    """A readable assertion message: each rule, its impact and help, and every failing
    element with axe's summary of what to fix."""
    if not violations:
        return "no accessibility violations"
    lines = [f"{len(violations)} accessibility violation(s) (axe-core):"]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}  <{v.get('helpUrl', '')}>")
        for node in v.get("nodes") or [{"target": t} for t in v["targets"]]:
            lines.append(f"    {node['target']}")
            if node.get("html"):
                lines.append(f"      html: {_short(node['html'])}")
            for summary in str(node.get("summary", "")).splitlines():
                if summary.strip():
                    lines.append(f"      {summary.strip()}")
    return "\n".join(lines)


def _short(html: str, limit: int = 160) -> str:
    flat = " ".join(html.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
