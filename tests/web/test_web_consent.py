"""What is kept: the consent panel and the line at the start of each check-in, in Chromium
against a real server with accounts (and its real CSP), and against one without accounts.

The choice saved in the panel is recorded at once through the person's API (PUT
/api/v1/my/consent), even during a check-in; only when that save fails is it kept on the
device for the next check-in's hello. The tests read what the server recorded from its
account store, and what the page says from its text. Each test fails if the browser reports
a CSP violation, a script error or a console error (other than the failed saves a test makes
on purpose, which it checks and clears).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from web_pages import WatchedTab, start_accounts_server  # type: ignore[import-not-found]

from voice.accounts import AccountStore
from voice.accounts.consent import WORDING, WORDING_VERSION, ConsentState
from voice.protocol import Consent

pytestmark = pytest.mark.real_models

NOTHING_KEPT = "Nothing from this check-in is kept."
OPEN_MODE = "Nothing from your check-ins is kept on this server"
EXPLAINED = "Nothing from your check-ins is kept unless you choose it here."
SAVED = "Saved. Your choice is in force now."
SAVED_LIVE = "Saved. Your choice is in force now, for this check-in too."
WAITS = "Saved. Your choice applies from your next check-in."
WAITS_LIVE = "Saved. This check-in goes on as it started; your choice applies from your next one."
SAVE_DONE = """() => {
  const message = document.querySelector('[data-testid=consent-message]').textContent;
  return message !== '' && message !== 'Saving…'
    && !document.querySelector('[data-testid=consent-save]').disabled;
}"""


@dataclass
class Accounts:
    address: str
    store: AccountStore
    tokens: dict[str, str]

    def in_force(self, name: str) -> ConsentState:
        return self.store.consents().in_force(name)

    def checkins(self, name: str) -> list[dict[str, Any]]:
        """The person's kept check-ins, as their own API lists them."""
        answer = httpx.get(
            f"http://{self.address}/api/v1/my/checkins",
            headers={"Authorization": f"Bearer {self.tokens[name]}"},
            timeout=30,
        )
        answer.raise_for_status()
        found: list[dict[str, Any]] = answer.json()["checkins"]
        return found


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
        """Make a choice in the panel, save it, close the panel; what the panel said once
        the save was done (it says "Saving…" while the server is asked)."""
        said, _state = self.choose_and_read(audio=audio, words=words, share=share)
        return said

    def choose_and_read(self, *, audio: bool, words: bool, share: str) -> tuple[str, str]:
        """As ``choose``; also the panel's line on what is in force and what waits."""
        panel = self.open_panel()
        panel.get_by_role("checkbox", name=WORDING["audio"]).set_checked(audio)
        panel.get_by_role("checkbox", name=WORDING["transcript"]).set_checked(words)
        panel.get_by_role("textbox", name=WORDING["share"]).fill(share)
        panel.get_by_role("button", name="Save").click()
        self.page.wait_for_function(SAVE_DONE)
        said: str = panel.get_by_test_id("consent-message").inner_text()
        state: str = panel.get_by_test_id("consent-in-force").inner_text()
        panel.get_by_role("button", name="Close").click()
        panel.wait_for(state="hidden")
        return said, state

    def fail_saves(self, status: int, message: str) -> list[str]:
        """Answer every PUT of the consent with ``status`` and the server's error shape (a
        GET still reaches the server); the list of methods answered so is returned."""
        failed: list[str] = []

        def answer(route: Any) -> None:
            if route.request.method != "PUT":
                route.continue_()
                return
            failed.append(route.request.method)
            error = {"error": {"code": "storage_failed", "message": message}}
            route.fulfill(status=status, content_type="application/json", body=json.dumps(error))

        self.page.route("**/api/v1/my/consent", answer)
        return failed

    def forgive_failed_saves(self, status: int) -> None:
        """The browser logs each failed request as a console error: check that those are
        the only ones, and clear them (the fixture fails a test on any other)."""
        failed = [m for m in self.console if m.startswith("error")]
        assert failed and all(str(status) in m for m in failed), failed
        self.console.clear()


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
    said, panel_said = tab.choose_and_read(audio=False, words=True, share="dr-b, dr-unknown")
    assert said == SAVED

    # Recorded by the server at once, before any check-in: nothing waits on this device.
    state = accounts.in_force("ana")
    assert state.consent.transcript is True
    assert state.consent.audio is False
    assert state.consent.share == ("dr-b",)  # only linked therapists are shared with
    assert state.version == WORDING_VERSION
    assert state.agreed_at is not None
    assert tab.stored_choice() is None
    assert panel_said.startswith("In force now. Kept: your words. Recordings: not kept.")
    assert "Shared with: dr-b." in panel_said and "Saved on this device" not in panel_said

    # The check-in starts under it, and its hello records nothing again.
    summary = tab.check_in()
    assert summary == (
        "Kept from this check-in: your words. Recordings: not kept. Shared with: dr-b. "
        f"You agreed on {day(state)} (wording of {WORDING_VERSION})."
    )
    assert accounts.in_force("ana") == state

    # The panel now starts from what is in force, and says it.
    panel = tab.open_panel()
    assert panel.get_by_test_id("consent-transcript").is_checked()
    assert not panel.get_by_test_id("consent-audio").is_checked()
    assert panel.get_by_test_id("consent-share").input_value() == "dr-b"
    in_force = panel.get_by_test_id("consent-in-force").inner_text()
    assert "Kept: your words." in in_force and "Shared with: dr-b." in in_force
    assert "Therapists linked to you: dr-b." in panel.inner_text()
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

    assert tab.choose(audio=False, words=False, share="") == SAVED
    state = accounts.in_force("ben")
    assert state.consent == Consent(audio=False, transcript=False, share=())
    assert state.version == WORDING_VERSION  # a recorded choice: to keep nothing
    assert tab.check_in() == NOTHING_KEPT
    assert accounts.in_force("ben") == state


def test_a_choice_saved_during_a_check_in_applies_to_it(
    open_tab: Callable[..., Tab], accounts: Accounts
) -> None:
    name = "dana"
    accounts.tokens[name] = accounts.store.add_person(name, datetime.now(UTC))
    tab = paired(open_tab, accounts, name)
    page = tab.page
    page.get_by_test_id("start").click()
    tab.wait_state("ready")
    summary = page.get_by_test_id("consent-summary")
    assert summary.inner_text() == NOTHING_KEPT

    said = tab.choose(audio=True, words=False, share="")
    assert said == SAVED_LIVE
    # Recorded while this check-in's websocket is still open, and its line says so.
    tab.wait_state("ready")
    state = accounts.in_force(name)
    assert state.consent == Consent(audio=True)
    assert state.version == WORDING_VERSION
    assert summary.inner_text().startswith("Kept from this check-in: your recordings.")
    assert tab.stored_choice() is None  # nothing waits for the next hello
    page.get_by_test_id("end").click()
    tab.wait_state("ended")

    # The server kept this check-in's recording from then on (its writes read the consent
    # in force as they go); nothing of the words, which were not chosen.
    deadline = time.monotonic() + 30
    while not (kept := accounts.checkins(name)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(kept) == 1, kept
    assert kept[0]["has_audio"] is True and kept[0]["audio_ms"] > 0
    assert kept[0]["has_words"] is False

    assert tab.check_in().startswith("Kept from this check-in: your recordings.")
    assert accounts.in_force(name) == state


def test_a_choice_the_server_cannot_record_now_goes_with_the_next_hello(
    open_tab: Callable[..., Tab], accounts: Accounts
) -> None:
    name = "eli"
    accounts.tokens[name] = accounts.store.add_person(name, datetime.now(UTC))
    accounts.store.link(name, "dr-b", datetime.now(UTC))
    tab = paired(open_tab, accounts, name)
    failed = tab.fail_saves(503, "the records cannot be read or written now")
    said, panel_said = tab.choose_and_read(audio=False, words=True, share="dr-b")
    assert failed == ["PUT"]
    assert said == WAITS
    assert (
        "Saved on this device: keep your words, shared with dr-b. It is recorded when your "
        "next check-in starts." in panel_said
    ), panel_said
    stored = tab.stored_choice()
    assert stored is not None
    assert json.loads(stored) == {"audio": False, "transcript": True, "share": ["dr-b"]}
    assert accounts.in_force(name).version is None  # not recorded yet
    tab.forgive_failed_saves(503)

    # The next check-in's hello carries it, and the server records it then.
    summary = tab.check_in()
    state = accounts.in_force(name)
    assert state.consent == Consent(audio=False, transcript=True, share=("dr-b",))
    assert state.version == WORDING_VERSION
    assert summary == (
        "Kept from this check-in: your words. Recordings: not kept. Shared with: dr-b. "
        f"You agreed on {day(state)} (wording of {WORDING_VERSION})."
    )
    assert tab.stored_choice() is None  # recorded: no longer kept on this device
    assert tab.check_in() == summary
    assert accounts.in_force(name) == state  # not sent, nor recorded, again


def test_a_refused_choice_shows_the_servers_reason_and_is_not_kept(
    open_tab: Callable[..., Tab], accounts: Accounts
) -> None:
    tab = paired(open_tab, accounts, "cleo")
    before = accounts.in_force("cleo")
    tab.fail_saves(400, "share lists at most 16 therapists")
    said = tab.choose(audio=True, words=True, share="dr-b")
    assert said == "Share lists at most 16 therapists."  # the server's words, as a sentence
    assert tab.stored_choice() is None  # a refused choice does not wait for a hello
    assert accounts.in_force("cleo") == before
    tab.forgive_failed_saves(400)


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


def test_the_hello_carries_a_choice_the_server_could_not_record(
    open_tab: Callable[..., Tab], accounts: Accounts
) -> None:
    """The websocket is answered by the test, to read each hello exactly; the API's PUT
    fails, during a check-in, so the choice waits for the next check-in's hello."""
    hellos: list[dict[str, Any]] = []
    routes: list[Any] = []
    in_force = {
        "audio": False,
        "transcript": True,
        "share": [],
        "version": WORDING_VERSION,
        "agreed_at": "2026-12-06T12:00:00+00:00",
    }
    nothing = {"audio": False, "transcript": False, "share": [], "version": None, "agreed_at": None}

    def accept(route: Any) -> None:
        routes.append(route)

        def receive(message: str | bytes) -> None:
            kind = json.loads(message).get("type") if isinstance(message, str) else None
            if kind == "hello":
                hellos.append(json.loads(message))
                consent = in_force if len(hellos) > 1 else nothing
                ready = {"type": "ready", "protocol": 1, "session_id": "s", "consent": consent}
                route.send(json.dumps(ready))
            elif kind == "end":
                route.send(json.dumps({"type": "bye"}))
                route.close(code=1000)

        route.on_message(receive)

    tab = paired(open_tab, accounts, "cleo", scripted=accept)
    page = tab.page
    tab.fail_saves(503, "the records cannot be read or written now")
    page.get_by_test_id("start").click()
    tab.wait_state("ready")
    said = tab.choose(audio=False, words=True, share=" dr-b ,, dr-b, dr-c ")
    assert said == WAITS_LIVE  # this check-in goes on as it started
    assert tab.stored_choice() is not None
    tab.forgive_failed_saves(503)
    page.get_by_test_id("end").click()
    tab.wait_state("ended")

    page.get_by_test_id("start").click()
    tab.wait_state("ready")
    summary = page.get_by_test_id("consent-summary")
    assert summary.inner_text() == (
        "Kept from this check-in: your words. Recordings: not kept. Shared with: no one. "
        f"You agreed on 6 December 2026 (wording of {WORDING_VERSION})."
    )
    assert tab.stored_choice() is None  # the ready reported it in force
    routes[-1].close(code=1011)  # a reconnect does not send the recorded choice again
    tab.wait_state("retrying")
    page.get_by_role("button", name="Try again now").click()
    tab.wait_state("ready")
    assert [hello.get("consent") for hello in hellos] == [
        None,
        {"audio": False, "transcript": True, "share": ["dr-b", "dr-c"]},
        None,
    ]
    assert all(hello["token"] == accounts.tokens["cleo"] for hello in hellos)
    page.get_by_test_id("sign-out").click()
