"""An automated accessibility check (axe-core, installed from the npm registry by
``make test``; see web/a11y.py) on the check-in page in Debian's Chromium, and a check
that the checker itself fails on a page that is plainly wrong."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from web.a11y import axe_violations, describe_violations  # type: ignore[import-not-found]

SERIOUS = ("serious", "critical")


@pytest.mark.real_models
def test_the_check_in_page_as_it_opens_has_no_serious_violations(
    open_watched: Callable[..., Any], server_address: str
) -> None:
    """The page from the real server (with its Content-Security-Policy), before Start."""
    tab = open_watched(f"http://{server_address}/?voiceProcessing=0")
    tab.page.get_by_test_id("start").wait_for()
    tab.page.wait_for_load_state("load")
    found = axe_violations(tab.page, SERIOUS)
    assert found == [], describe_violations(found)


def test_the_check_finds_an_image_without_text_and_a_button_without_a_name(
    silent_browser: Any,
) -> None:
    """The checker can fail: a page with both faults, set inline."""
    context = silent_browser.new_context()
    try:
        page = context.new_page()
        page.set_content(
            '<!doctype html><html lang="en"><head><title>Broken</title></head><body><main>'
            '<h1>Broken</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
            '<button type="button" id="nameless"></button></main></body></html>'
        )
        found = axe_violations(page, SERIOUS)
        moderate = axe_violations(page, ("moderate",))  # axe is injected once per page
    finally:
        context.close()
    message = describe_violations(found)
    by_id = {v["id"]: v for v in found}
    assert {"image-alt", "button-name"} <= set(by_id), message
    assert by_id["image-alt"]["impact"] == "critical", message
    assert by_id["button-name"]["targets"] == ["#nameless"], message
    assert "- image-alt (critical): Images must have alternative text" in message, message
    assert "#nameless" in message, message
    # Only the impacts asked for.
    assert not {"image-alt", "button-name"} & {v["id"] for v in moderate}, moderate
