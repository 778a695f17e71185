"""What is kept: the consent panel and the line at the start of each check-in, in Chromium
against a real server with accounts (and its real CSP), and against one without accounts.

The choice saved in the panel goes in the next check-in's hello; the test reads what the
server recorded from its account store, and what the page says from its text. Each test
fails if the browser reports a CSP violation, a script error or a console error.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from web_pages import WatchedTab, start_accounts_server  # type: ignore[import-not-found]

from voice.accounts import AccountStore
from voice.accounts.consent import WORDING, WORDING_VERSION, ConsentState
from voice.protocol import Consent

pytestmark = pytest.mark.real_models

NOTHING_KEPT = "Nothing from this check-in is kept."
OPEN_MODE = "Nothing from your check-ins is kept on this server"
EXPLAINED = "Nothing from your check-ins is kept unless you choose it here."


@dataclass
class Accounts:
    address: str
    store: AccountStore
    tokens: dict[str, str]

    def in_force(self, name: str) -> ConsentState:
        return self.store.consents().in_force(name)


class Tab(WatchedTab):
    """A page of the client, and what the browser reported."""

    def stored_choice(self) -> str | None:
        choice: str | None = self.page.evaluate("localStorage.getItem('voice.consent')")
        return choice

    def check_in(self) -> str:
        """Start a check-in, read the line on what is kept, and end it."""
        page = self.page
        page.get_by_test_id("start").click()
        self.wait_state("ready")
        summary = page.get_by_test_id("consent-summary")
        summary.wait_for()
        text: str = summary.inner_text()
        page.get_by_test_id("end").click()
        self.wait_state("ended")
        return text

    def open_panel(self) -> Any:
        self.page.get_by_test_id("consent-open").click()
        panel = self.page.get_by_role("dialog", name="What is kept")
        panel.wait_for()
        assert panel.get_attribute("data-testid") == "consent-panel"
        return panel

    def choose(self, *, audio: bool, words: bool, share: str) -> str:
        """Make a choice in the panel, save it, close the panel; what the panel said."""
        panel = self.open_panel()
        panel.get_by_role("checkbox", name=WORDING["audio"]).set_checked(audio)
        panel.get_by_role("checkbox", name=WORDING["transcript"]).set_checked(words)
        panel.get_by_role("textbox", name=WORDING["share"]).fill(share)
        panel.get_by_role("button", name="Save").click()
        said: str = panel.get_by_test_id("consent-message").inner_text()
        panel.get_by_role("button", name="Close").click()
        panel.wait_for(state="hidden")
        return said


@pytest.fixture(scope="module")
def accounts(
    start_server: Callable[..., str], tmp_path_factory: pytest.TempPathFactory
) -> Accounts:
    address, store = start_accounts_server(start_server, tmp_path_factory.mktemp("consent"))
    now = datetime.now(UTC)
    store.add_therapist("dr-b", "a long password", now)
    found = Accounts(address, store, {})
    for name in ("ana", "ben", "cleo"):
        found.tokens[name] = store.add_person(name, now)
        store.link(name, "dr-b", now)
    return found


@pytest.fixture
def open_tab(open_watched: Callable[..., Any]) -> Callable[..., Tab]:
    """``open_tab(url, scripted=None)``: the page in a fresh context (empty localStorage);
    ``scripted`` answers its websocket instead of the server."""

    def _open(url: str, scripted: Callable[[Any], None] | None = None) -> Tab:
        tab: Tab = open_watched(url, Tab, scripted)
        return tab

    return _open


def paired(
    open_tab: Callable[..., Tab],
    accounts: Accounts,
    name: str,
    scripted: Callable[[Any], None] | None = None,
) -> Tab:
    url = f"http://{accounts.address}/?voiceProcessing=0#pair={accounts.tokens[name]}"
    return open_tab(url, scripted)


def day(state: ConsentState) -> str:
    """The day the person agreed, as the page writes it (in this machine's time zone)."""
    assert state.agreed_at is not None
    local = state.agreed_at.astimezone()
    return f"{local.day} {local:%B} {local.year}"


def test_never_chose_nothing_is_kept(open_tab: Callable[..., Tab], accounts: Accounts) -> None:
    tab = paired(open_tab, accounts, "cleo")
    panel = tab.open_panel()
    assert EXPLAINED in panel.inner_text()
    assert "change this at any time" in panel.inner_text()
    # Nothing chosen in the panel: both boxes start unticked, sharing with no one.
    assert not panel.get_by_test_id("consent-audio").is_checked()
    assert not panel.get_by_test_id("consent-transcript").is_checked()
    assert panel.get_by_test_id("consent-share").input_value() == ""
    panel.get_by_role("button", name="Close").click()

    assert tab.check_in() == NOTHING_KEPT
    state = accounts.in_force("cleo")
    assert state.version is None and state.agreed_at is None
    assert state.consent == Consent()


def test_keeping_my_words_and_sharing_is_recorded_and_shown(
    open_tab: Callable[..., Tab], accounts: Accounts
) -> None:
    tab = paired(open_tab, accounts, "ana")
    said = tab.choose(audio=False, words=True, share="dr-b, dr-unknown")
    assert "next check-in" in said
    assert tab.stored_choice() is not None  # saved on this device until the next hello
    assert accounts.in_force("ana").version is None  # not recorded before a check-in

    summary = tab.check_in()
    state = accounts.in_force("ana")
    assert state.consent.transcript is True
    assert state.consent.audio is False
    assert state.consent.share == ("dr-b",)  # only linked therapists are shared with
    assert state.version == WORDING_VERSION
    assert summary == (
        "Kept from this check-in: your words. Recordings: not kept. Shared with: dr-b. "
        f"You agreed on {day(state)} (wording of {WORDING_VERSION})."
    )
    assert tab.stored_choice() is None  # recorded by the server: no longer pending

    # The panel now starts from what is in force, and says it.
    panel = tab.open_panel()
    assert panel.get_by_test_id("consent-transcript").is_checked()
    assert not panel.get_by_test_id("consent-audio").is_checked()
    assert panel.get_by_test_id("consent-share").input_value() == "dr-b"
    in_force = panel.get_by_test_id("consent-in-force").inner_text()
    assert "Kept: your words." in in_force and "Shared with: dr-b." in in_force
    panel.get_by_role("button", name="Close").click()

    # The choice stands for later check-ins without being sent again.
    assert tab.check_in() == summary
    assert accounts.in_force("ana") == state


def test_withdrawing_keeps_nothing(open_tab: Callable[..., Tab], accounts: Accounts) -> None:
    earlier = Consent(audio=True, transcript=True, share=("dr-b",))
    accounts.store.consents().record("ben", earlier, datetime.now(UTC))
    tab = paired(open_tab, accounts, "ben")
    first = tab.check_in()
    assert first.startswith("Kept from this check-in: your recordings and your words.")
    assert "Shared with: dr-b." in first

    tab.choose(audio=False, words=False, share="")
    assert tab.check_in() == NOTHING_KEPT
    state = accounts.in_force("ben")
    assert state.consent == Consent(audio=False, transcript=False, share=())
    assert state.version == WORDING_VERSION  # a recorded choice: to keep nothing


def test_a_choice_saved_during_a_check_in_waits_for_the_next(
    open_tab: Callable[..., Tab], accounts: Accounts
) -> None:
    name = "dana"
    accounts.tokens[name] = accounts.store.add_person(name, datetime.now(UTC))
    tab = paired(open_tab, accounts, name)
    tab.page.get_by_test_id("start").click()
    tab.wait_state("ready")
    assert tab.page.get_by_test_id("consent-summary").inner_text() == NOTHING_KEPT
    said = tab.choose(audio=True, words=False, share="")
    assert "applies from your next one" in said
    assert accounts.in_force(name).version is None
    tab.page.get_by_test_id("end").click()
    tab.wait_state("ended")

    assert tab.check_in().startswith("Kept from this check-in: your recordings.")
    assert accounts.in_force(name).consent == Consent(audio=True)


def test_a_bad_therapist_name_is_explained_and_not_saved(
    open_tab: Callable[..., Tab], accounts: Accounts
) -> None:
    tab = paired(open_tab, accounts, "cleo")
    said = tab.choose(audio=False, words=True, share="dr b")
    assert said.startswith('"dr b" is not a therapist\'s name')
    assert tab.stored_choice() is None


def test_open_mode_keeps_nothing(open_tab: Callable[..., Tab], server_address: str) -> None:
    tab = open_tab(f"http://{server_address}/?voiceProcessing=0")
    panel = tab.open_panel()
    assert OPEN_MODE in panel.get_by_test_id("consent-unpaired").inner_text()
    assert panel.get_by_test_id("consent-save").is_hidden()  # nothing to choose
    panel.get_by_role("button", name="Close").click()
    panel.wait_for(state="hidden")
    assert tab.check_in() == NOTHING_KEPT


def test_the_hello_carries_the_saved_choice_until_it_is_recorded(
    open_tab: Callable[..., Tab], accounts: Accounts
) -> None:
    """The websocket is answered by the test, to read each hello exactly."""
    hellos: list[dict[str, Any]] = []
    routes: list[Any] = []
    in_force = {
        "audio": False,
        "transcript": True,
        "share": [],
        "version": WORDING_VERSION,
        "agreed_at": "2026-12-06T12:00:00+00:00",
    }

    def accept(route: Any) -> None:
        routes.append(route)

        def receive(message: str | bytes) -> None:
            if isinstance(message, str) and json.loads(message).get("type") == "hello":
                hellos.append(json.loads(message))
                ready = {"type": "ready", "protocol": 1, "session_id": "s", "consent": in_force}
                route.send(json.dumps(ready))

        route.on_message(receive)

    tab = paired(open_tab, accounts, "cleo", scripted=accept)
    tab.choose(audio=False, words=True, share=" dr-b ,, dr-b, dr-c ")
    page = tab.page
    page.get_by_test_id("start").click()
    tab.wait_state("ready")
    summary = page.get_by_test_id("consent-summary")
    assert summary.inner_text() == (
        "Kept from this check-in: your words. Recordings: not kept. Shared with: no one. "
        f"You agreed on 6 December 2026 (wording of {WORDING_VERSION})."
    )
    assert tab.stored_choice() is None
    routes[-1].close(code=1011)  # a reconnect does not send the recorded choice again
    tab.wait_state("retrying")
    page.get_by_role("button", name="Try again now").click()
    tab.wait_state("ready")
    assert [hello.get("consent") for hello in hellos] == [
        {"audio": False, "transcript": True, "share": ["dr-b", "dr-c"]},
        None,
    ]
    assert all(hello["token"] == accounts.tokens["cleo"] for hello in hellos)
    page.get_by_test_id("sign-out").click()
