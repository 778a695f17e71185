"""Pairing the web client by link, signing out, and what the page says when the server
refuses it, in Chromium against a real server with accounts (and its real CSP).

One server for the module, with people added to a fresh database. Every page is served by
that server, so its Content-Security-Policy applies; each test fails if the browser
reports a CSP violation or a script error. The fake microphone plays silence, so the only
turns are typed ones.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from web_pages import WatchedTab, start_accounts_server  # type: ignore[import-not-found]

from voice.accounts import AccountStore
from voice.assets import WEB_DIR

pytestmark = pytest.mark.real_models

TYPED = "I slept well and went for a walk."
UNAUTHORIZED = (
    "This device is not paired with the check-in server, or its pairing was withdrawn. Open "
    "the pairing link you were given to pair it again."
)
INVALID_LINK = "That pairing link is not valid"
TOO_FAST = "That was sent too quickly, so it was not answered."

Json = dict[str, Any]


@dataclass
class Accounts:
    """The module's server and its people's tokens."""

    address: str
    store: AccountStore
    tokens: dict[str, str]

    def add(self, name: str) -> str:
        token = self.store.add_person(name, datetime.now(UTC))
        self.tokens[name] = token
        return token


class Tab(WatchedTab):
    """A page of the client, and what the browser reported."""

    def stored_token(self) -> str | None:
        token: str | None = self.page.evaluate("localStorage.getItem('voice.token')")
        return token

    def events(self) -> list[Json]:
        events: list[Json] = self.page.evaluate("voiceDebug.events")
        return events

    def count(self, **match: object) -> int:
        return sum(all(e.get(k) == v for k, v in match.items()) for e in self.events())

    def status(self) -> tuple[str, str]:
        status = self.page.get_by_test_id("status")
        return status.get_attribute("data-state"), status.inner_text()

    def wait_state(self, state: str) -> None:
        self.page.locator(f'[data-testid="status"][data-state="{state}"]').wait_for()

    def error(self) -> str:
        error = self.page.get_by_test_id("error")
        error.wait_for()
        text: str = error.inner_text()
        return text


@pytest.fixture(scope="module")
def accounts(
    start_server: Callable[..., str], tmp_path_factory: pytest.TempPathFactory
) -> Accounts:
    address, store = start_accounts_server(start_server, tmp_path_factory.mktemp("pairing"))
    found = Accounts(address, store, {})
    found.add("ana")
    return found


@pytest.fixture
def open_tab(open_watched: Callable[..., Any], accounts: Accounts) -> Callable[..., Tab]:
    """``open_tab(fragment="", scripted=None)``: the page from the accounts server, in a
    fresh context (empty localStorage); ``scripted`` answers its websocket instead."""

    def _open(fragment: str = "", scripted: Callable[[Any], None] | None = None) -> Tab:
        url = f"http://{accounts.address}/?voiceProcessing=0{fragment}"
        tab: Tab = open_watched(url, Tab, scripted)
        return tab

    return _open


def assert_not_in_url(tab: Tab, token: str) -> None:
    url = tab.page.url
    assert (token == "" or token not in url) and "pair" not in url and "#" not in url, url
    assert tab.page.evaluate("location.hash") == ""


def test_pairing_link_is_kept_out_of_the_url_and_lets_the_device_check_in(
    open_tab: Callable[..., Tab], accounts: Accounts
) -> None:
    token = accounts.tokens["ana"]
    tab = open_tab(f"#pair={token}")
    page = tab.page

    assert_not_in_url(tab, token)
    assert page.url.endswith("/?voiceProcessing=0")  # the rest of the address is kept
    assert tab.stored_token() == token
    assert page.get_by_test_id("sign-out").is_visible()
    assert tab.status() == ("idle", "Paired with the check-in server")
    assert page.get_by_test_id("error").is_hidden()

    page.get_by_test_id("start").click()
    tab.wait_state("ready")  # the server accepted the token (it refuses a hello without)
    box = page.get_by_test_id("text-input")
    box.fill(TYPED)
    box.press("Enter")
    turn = page.locator('[data-testid="user-turn"][data-turn="1"] .words')
    assert turn.inner_text() == TYPED
    reply = page.locator('[data-testid="assistant-turn"][data-turn="1"] .words')
    assert reply.inner_text().strip()
    assert tab.status()[0] == "ready"
    assert_not_in_url(tab, token)

    page.get_by_test_id("end").click()
    tab.wait_state("ended")
    assert tab.stored_token() == token  # ending a check-in does not sign out
    assert page.get_by_test_id("sign-out").is_visible()
    assert tab.count(dir="in", type="error") == 0
    assert tab.count(type="connection_connecting") == 1


def test_typed_turns_sent_too_fast_are_explained_calmly_and_returned(
    open_tab: Callable[..., Tab], accounts: Accounts
) -> None:
    tab = open_tab(f"#pair={accounts.tokens['ana']}")
    page = tab.page
    page.get_by_test_id("start").click()
    tab.wait_state("ready")
    # The server answers 3 typed turns at once, then about one every 5 s.
    box = page.get_by_test_id("text-input")
    sent = [f"Message number {n}." for n in range(1, 6)]
    for text in sent:
        box.fill(text)
        box.press("Enter")

    page.locator('[data-testid="error"]', has_text=TOO_FAST).wait_for()
    assert tab.error().startswith(TOO_FAST)
    assert tab.count(dir="in", type="error", code="too_fast") >= 2
    # Not a failure: still connected, and the refused message is back in the box to resend.
    assert tab.status()[0] == "ready"
    assert box.input_value() in sent[3:]
    assert tab.count(type="connection_connecting") == 1
    answered = page.get_by_test_id("user-turn").all_inner_texts()
    assert box.input_value() not in answered

    page.get_by_test_id("end").click()
    tab.wait_state("ended")


@pytest.mark.parametrize("change", ["revoked", "rotated"])
def test_a_withdrawn_pairing_is_explained_forgotten_and_not_retried(
    open_tab: Callable[..., Tab], accounts: Accounts, change: str
) -> None:
    name = f"withdrawn-{change}"
    old = accounts.add(name)
    if change == "revoked":
        accounts.store.revoke_person(name, datetime.now(UTC))
    else:
        accounts.tokens[name] = accounts.store.rotate_token(name, datetime.now(UTC))
    tab = open_tab(f"#pair={old}")
    page = tab.page
    assert tab.stored_token() == old

    page.get_by_test_id("start").click()
    tab.wait_state("failed")
    assert tab.error() == UNAUTHORIZED
    assert tab.stored_token() is None  # the withdrawn token is forgotten
    assert page.get_by_test_id("sign-out").is_hidden()
    assert tab.count(dir="in", type="error", code="unauthorized") == 1

    # No retry: well past the first backoff (at most 1.2 s) it has still connected once.
    page.wait_for_timeout(3000)
    assert tab.status() == ("failed", "Not paired")
    assert tab.count(type="connection_connecting") == 1
    assert tab.count(dir="out", type="hello") == 1
    assert page.get_by_test_id("start").is_visible()

    if change == "rotated":
        # The new link, opened in the same tab (only the fragment changes), pairs again.
        new = accounts.tokens[name]
        page.evaluate(f"location.hash = '#pair={new}'")
        page.wait_for_function("() => location.hash === ''")
        assert_not_in_url(tab, new)
        assert tab.stored_token() == new
        page.get_by_test_id("start").click()
        tab.wait_state("ready")
        page.get_by_test_id("end").click()
        tab.wait_state("ended")


def test_no_pairing_on_a_server_with_accounts_is_explained(
    open_tab: Callable[..., Tab],
) -> None:
    tab = open_tab()
    page = tab.page
    assert page.get_by_test_id("sign-out").is_hidden()
    page.get_by_test_id("start").click()
    tab.wait_state("failed")
    assert tab.error() == UNAUTHORIZED
    assert tab.stored_token() is None
    assert page.get_by_test_id("sign-out").is_hidden()
    page.wait_for_timeout(2000)
    assert tab.count(type="connection_connecting") == 1


@pytest.mark.parametrize(
    "fragment",
    ["#pair=short", "#pair=" + "x" * 40 + "!", "#pair=", "#pair=" + "a" * 257, "#pair=a&pair=b"],
)
def test_a_malformed_pairing_link_is_removed_and_explained(
    open_tab: Callable[..., Tab], fragment: str
) -> None:
    tab = open_tab(fragment)
    assert_not_in_url(tab, fragment.removeprefix("#pair="))
    assert tab.error().startswith(INVALID_LINK)
    assert tab.stored_token() is None
    assert tab.page.get_by_test_id("sign-out").is_hidden()


def test_a_malformed_link_keeps_an_existing_pairing(
    open_tab: Callable[..., Tab], accounts: Accounts
) -> None:
    token = accounts.tokens["ana"]
    tab = open_tab(f"#pair={token}")
    tab.page.evaluate("location.hash = '#pair=not-a-token'")
    tab.page.wait_for_function("() => location.hash === ''")
    assert tab.error().startswith(INVALID_LINK)
    assert tab.stored_token() == token
    assert tab.page.get_by_test_id("sign-out").is_visible()


def test_sign_out_ends_the_check_in_and_forgets_the_pairing(
    open_tab: Callable[..., Tab], accounts: Accounts
) -> None:
    tab = open_tab(f"#pair={accounts.tokens['ana']}")
    page = tab.page
    page.get_by_test_id("start").click()
    tab.wait_state("ready")

    page.get_by_test_id("text-input").fill("A private note for today.")
    page.get_by_test_id("send").click()
    page.wait_for_function(
        "() => document.getElementById('log').textContent.includes('A private note')"
    )
    sign_out = page.get_by_role("button", name="Sign out")
    assert sign_out.get_attribute("data-testid") == "sign-out"
    sign_out.click()
    assert page.evaluate("document.getElementById('log').children.length") == 0
    assert tab.status() == ("idle", "Signed out: this device is no longer paired")
    assert tab.stored_token() is None
    assert page.get_by_test_id("sign-out").is_hidden()
    assert page.get_by_test_id("end").is_hidden()  # the check-in is over
    assert page.get_by_test_id("text-input").is_hidden()
    assert tab.count(type="sign_out") == 1
    assert page.evaluate("document.activeElement.dataset.testid") == "start"

    # Signed out for real: the next check-in goes without a token and is refused.
    page.wait_for_timeout(500)
    page.get_by_test_id("start").click()
    tab.wait_state("failed")
    assert tab.error() == UNAUTHORIZED


def test_sign_out_with_no_check_in(open_tab: Callable[..., Tab], accounts: Accounts) -> None:
    tab = open_tab(f"#pair={accounts.tokens['ana']}")
    # A second tab of the page in the same browser shares the pairing.
    other = tab.page.context.new_page()
    other.goto(f"http://{accounts.address}/")
    assert other.get_by_test_id("sign-out").is_visible()

    tab.page.get_by_test_id("sign-out").click()
    assert tab.status() == ("idle", "Signed out: this device is no longer paired")
    assert tab.stored_token() is None
    assert tab.page.get_by_test_id("sign-out").is_hidden()
    other.get_by_test_id("sign-out").wait_for(state="hidden")
    # Still forgotten after a reload.
    tab.page.reload()
    assert tab.stored_token() is None
    assert tab.page.get_by_test_id("sign-out").is_hidden()
    assert tab.status() == ("idle", "Not connected")


def test_every_hello_carries_the_token(open_tab: Callable[..., Tab], accounts: Accounts) -> None:
    """The websocket is answered by the test, to read each hello exactly."""
    token = accounts.tokens["ana"]
    hellos: list[Json] = []
    routes: list[Any] = []

    def accept(route: Any) -> None:
        routes.append(route)

        def receive(message: str | bytes) -> None:
            if isinstance(message, str) and json.loads(message).get("type") == "hello":
                hellos.append(json.loads(message))
                route.send(json.dumps({"type": "ready", "protocol": 1, "session_id": "s"}))

        route.on_message(receive)

    tab = open_tab(f"#pair={token}", scripted=accept)
    page = tab.page
    page.get_by_test_id("start").click()
    tab.wait_state("ready")
    routes[-1].close(code=1011)  # the server went away: the page reconnects by itself
    tab.wait_state("retrying")
    page.get_by_role("button", name="Try again now").click()
    tab.wait_state("ready")
    expected = {
        "type": "hello",
        "protocol": 1,
        "audio": {"encoding": "pcm_s16le", "sample_rate": 16000, "channels": 1},
        "token": token,
        "cues": False,
    }
    assert hellos == [expected, expected]
    assert_not_in_url(tab, token)
    page.get_by_test_id("sign-out").click()


def test_the_page_has_no_inline_script_or_style() -> None:
    """What the CSP would block, checked in the page's file (nothing inline to allow)."""
    html = (WEB_DIR / "index.html").read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert not re.search(r"\sstyle\s*=", html)
    assert not re.search(r"\son[a-z]+\s*=", html)
    assert "<style" not in html
