"""The listening room at /therapist/: a therapist signs in, sees the people who share with
them, opens a person's check-ins and trends, plays a check-in and reads it turn by turn,
keeps private notes and downloads it; in Chromium against a real server with accounts and
records (and its real CSP).

The check-in is seeded with the records writer, as the server writes it during a check-in.
Each test fails if the browser reports a script error, a CSP violation or a console error
(the only ones forgiven are the 401 of asking who is signed in before anyone is, and the 404
of a person who does not share); none may log what was said. Each view is kept as a
screenshot in test-artifacts/ and checked not to be blank.
"""

from __future__ import annotations

import io
import json
import math
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
from web_pages import WatchedTab, start_records_server  # type: ignore[import-not-found]

from voice.accounts import AccountStore
from voice.protocol import Consent
from voice.records import Records
from voice.records.room import Room
from voice.records.timeline import Piece, Source

pytestmark = pytest.mark.real_models

VOICE_HZ, REPLY_HZ = 16000, 22050
SECONDS = 3.0
PASSWORD = "a long enough password"

FIRST_WORDS = "The week was long but I kept my walks."
REPLY_WORDS = "Keeping your walks through a long week sounds like it mattered."
CUE = "slower and quieter than usual"
SUMMARY = "Mood five out of ten, slept okay, energy low."
NOTE = "Ask about the walks next session."
CONTENT = (FIRST_WORDS, REPLY_WORDS, SUMMARY, NOTE)


@dataclass
class RoomServer:
    """The module's server, its stores, the seeded check-in and dr-b's session cookie."""

    address: str
    store: AccountStore
    records: Records
    checkin_id: str
    started_at: datetime
    cookie: str = ""

    @property
    def url(self) -> str:
        return f"http://{self.address}/therapist/"


def tone(seconds: float, rate_hz: int, hz: float) -> bytes:
    t = np.arange(int(seconds * rate_hz)) / rate_hz
    return (0.3 * 32767 * np.sin(2 * math.pi * hz * t)).astype("<i2").tobytes()


def seed_checkin(records: Records, name: str, at: datetime) -> str:
    """One check-in: 3 s of a tone, two turns (0 s and 1.5 s) with cues, answers, a summary
    and a safety event."""
    w = records.writer(name, voice_rate_hz=VOICE_HZ, reply_rate_hz=REPLY_HZ)
    w.write_audio([Piece(Source.VOICE, 0, tone(SECONDS, VOICE_HZ, 220.0))], at)
    w.write_turn(1, "person", 0, FIRST_WORDS, at)
    w.write_cues(1, {"summary": CUE, "activation": -0.4, "confidence": 0.7}, at)
    w.write_turn(1, "assistant", 1500, REPLY_WORDS, at)
    w.write_safety(1, {"level": "concern", "category": "distress"}, at)
    w.write_summary(
        {"items": {"mood": 5, "sleep": "okay", "energy": "low"}, "text": SUMMARY,
         "safety": "concern"},
        at,
    )  # fmt: skip
    w.end(ended=True, now=at)
    assert w.public_id is not None
    return w.public_id


@pytest.fixture(scope="module")
def room(start_server: Callable[..., str], tmp_path_factory: pytest.TempPathFactory) -> RoomServer:
    address, store, records = start_records_server(start_server, tmp_path_factory.mktemp("room"))
    now = datetime.now(UTC)
    store.add_therapist("dr-b", PASSWORD, now)
    store.add_therapist("dr-c", PASSWORD, now)  # linked to ana, but ana does not share
    store.add_person("ana", now)
    store.link("ana", "dr-b", now)
    store.link("ana", "dr-c", now)
    store.consents().record("ana", Consent(audio=True, transcript=True, share=("dr-b",)), now)
    at = now - timedelta(hours=2)
    found = RoomServer(address, store, records, seed_checkin(records, "ana", at), at)
    # One session for the tests that start signed in (sign-ins are limited per account).
    answer = httpx.post(
        f"http://{address}/api/v1/session",
        json={"name": "dr-b", "password": PASSWORD},
        headers={"Origin": f"http://{address}"},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    found.cookie = answer.cookies["voice_session"]
    return found


class Tab(WatchedTab):
    """The listening room in its own browser context."""

    def forgive(self, status: int) -> None:
        """Drop the console's note of an expected failed request (``status``)."""
        self.console[:] = [m for m in self.console if f"status of {status}" not in m]

    def sign_in(self, name: str, password: str) -> None:
        self.page.get_by_test_id("login-name").fill(name)
        self.page.get_by_test_id("login-password").fill(password)
        self.page.get_by_test_id("login-submit").click()

    def logged_no_content(self) -> None:
        said = [m for m in self.console if any(words in m for words in CONTENT)]
        assert said == [], said


@pytest.fixture
def open_room(
    open_watched: Callable[..., Any],
    room: RoomServer,
    image_stats: Callable[[Any, bytes], dict[str, float]],
    save_artifact: Callable[[str, bytes], Any],
) -> Any:
    """``open_room(signed_in=False, where="")``: the room in a fresh context (as dr-b with
    ``signed_in``), at ``where`` (a hash); ``open_room.shot(tab, name)``: a screenshot kept
    and checked not to be blank."""

    def _open(signed_in: bool = False, where: str = "") -> Tab:
        tab: Tab = open_watched(room.url, Tab)
        tab.page.set_viewport_size({"width": 1024, "height": 768})  # a tablet on its side
        tab.page.get_by_test_id("login-name").wait_for()
        tab.forgive(401)  # asked who is signed in: no one yet
        if signed_in:
            tab.page.context.add_cookies(
                [
                    {
                        "name": "voice_session",
                        "value": room.cookie,
                        "url": f"http://{room.address}",
                        "httpOnly": True,
                        "sameSite": "Strict",
                    }
                ]
            )
            tab.page.goto(room.url + where)
            if where:
                tab.page.reload()  # a new hash alone does not load the page again
            tab.page.get_by_test_id("sign-out").wait_for()
        return tab

    def shot(tab: Tab, name: str) -> None:
        png = tab.page.screenshot(full_page=True)
        save_artifact(f"web-therapist-{name}.png", png)
        stats = image_stats(tab.page, png)
        assert stats["width"] > 0 and stats["height"] > 0
        assert stats["colours"] > 20, (name, stats)
        assert stats["std"] > 10, (name, stats)

    _open.shot = shot  # type: ignore[attr-defined]
    return _open


def local_when(at: datetime) -> str:
    local = at.astimezone()
    return f"{local:%A} {local.day} {local:%B} {local.year}, {local:%H:%M}"


def open_checkin(tab: Tab) -> Any:
    page = tab.page
    page.get_by_test_id("person").filter(has_text="ana").click()
    page.get_by_test_id("checkin").first.click()
    turns = page.get_by_test_id("transcript-turn")
    turns.nth(1).wait_for()
    return turns


def test_signing_in_lists_the_people_who_share_with_a_safety_flag(
    open_room: Any, room: RoomServer
) -> None:
    tab = open_room()
    page = tab.page
    assert page.get_by_test_id("sign-out").is_hidden()
    open_room.shot(tab, "signin")

    tab.sign_in("dr-b", "not the password")
    message = page.locator("#signin-message")
    page.wait_for_function(
        "() => document.querySelector('#signin-message').textContent.includes('do not match')"
    )
    assert "do not match" in message.inner_text()
    tab.forgive(401)

    tab.sign_in("dr-b", PASSWORD)
    person = page.get_by_test_id("person")
    person.first.wait_for()
    assert person.count() == 1
    assert "ana" in person.first.inner_text()
    assert f"Last check-in: {local_when(room.started_at)}" in person.first.inner_text()
    flag = person.first.get_by_test_id("safety-flag")
    assert flag.inner_text() == "New: 1 moment when help lines were offered"
    assert "Signed in as dr-b" in page.locator("#who-am-i").inner_text()
    assert page.evaluate("document.activeElement.id") == "people-title"
    open_room.shot(tab, "people")

    # Opening the person shows their check-ins and trends, and clears the "new" flag.
    person.first.click()
    checkins = page.get_by_test_id("checkin")
    checkins.first.wait_for()
    assert checkins.count() == 1
    text = checkins.first.inner_text()
    assert text.startswith(local_when(room.started_at))
    assert "Recording of 3 seconds." in text and "Kept: recording and words." in text
    assert "1 moment when help lines were offered." in text
    chart = page.get_by_test_id("trends-chart").locator("svg")
    chart.wait_for()
    assert chart.locator("title").first.text_content() == "Check-in trends"
    assert chart.evaluate("svg => svg.getBoundingClientRect().height") > 100
    assert page.url.endswith("#/people/ana")
    open_room.shot(tab, "person")

    page.get_by_role("button", name="Back to all people").click()
    person.first.wait_for()
    page.wait_for_function("() => document.activeElement.dataset.name === 'ana'")
    assert person.first.get_by_test_id("safety-flag").count() == 0
    tab.logged_no_content()


def test_a_checkin_plays_seeks_and_reads_turn_by_turn(open_room: Any, room: RoomServer) -> None:
    tab = open_room(signed_in=True)
    page = tab.page
    turns = open_checkin(tab)
    assert turns.count() == 2
    assert page.url.endswith(f"#/people/ana/checkins/{room.checkin_id}")
    first, second = turns.nth(0), turns.nth(1)
    assert first.get_attribute("data-start-ms") == "0"
    assert second.get_attribute("data-start-ms") == "1500"
    assert "0:00" in first.inner_text() and "ana" in first.inner_text()
    assert FIRST_WORDS in first.inner_text()
    assert first.get_by_test_id("turn-cues").inner_text() == f"Voice: {CUE}."
    assert "0:01" in second.inner_text() and "Companion" in second.inner_text()
    assert REPLY_WORDS in second.inner_text()
    assert second.get_by_test_id("turn-cues").count() == 0

    answers = page.get_by_test_id("answers").inner_text()
    assert "5 out of 10" in answers and "Slept okay" in answers and "Low" in answers
    assert SUMMARY in answers
    safety = page.get_by_test_id("safety-events").inner_text()
    assert "turn 1" in safety and "feeling overwhelmed" in safety and "help lines" in safety

    # The player reads the recording straight from the server (ranges: it can seek).
    player = page.get_by_test_id("player")
    audio_url = f"/api/v1/people/ana/checkins/{room.checkin_id}/audio"
    assert player.get_attribute("src") == audio_url
    page.wait_for_function(
        "() => { const a = document.querySelector('[data-testid=player]');"
        " return a.readyState >= 1 && a.duration > 0; }"
    )
    assert player.evaluate("a => a.duration") == pytest.approx(SECONDS, abs=0.05)

    # The first turn plays from the start; time moves on, and the turn is marked.
    first.get_by_role("button").click()
    page.wait_for_function("() => document.querySelector('[data-testid=player]').currentTime > 0.3")
    assert first.get_attribute("aria-current") == "true"
    assert "Playing now" in first.inner_text()
    # The second turn seeks to 1.5 s, and the mark moves to it.
    second.get_by_role("button", name="Listen from 0:01, Companion").click()
    assert player.evaluate("a => a.currentTime") == pytest.approx(1.5, abs=0.4)
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=transcript-turn]')[1]"
        ".getAttribute('aria-current') === 'true'"
    )
    assert first.get_attribute("aria-current") is None
    player.evaluate("a => a.pause()")
    open_room.shot(tab, "checkin")
    page.emulate_media(color_scheme="dark")
    open_room.shot(tab, "checkin-dark")

    page.get_by_role("button", name="Back to check-ins").click()
    page.get_by_test_id("checkin").first.wait_for()
    page.wait_for_function("id => document.activeElement.dataset.id === id", arg=room.checkin_id)
    assert player.count() == 0
    tab.logged_no_content()


def test_a_private_note_is_kept(open_room: Any, room: RoomServer) -> None:
    tab = open_room(signed_in=True, where=f"#/people/ana/checkins/{room.checkin_id}")
    page = tab.page
    page.get_by_test_id("transcript-turn").first.wait_for()  # the place in the address
    notes = page.get_by_test_id("notes")
    assert "Only you can see these notes" in notes.inner_text()
    assert page.get_by_test_id("note").count() == 0

    page.get_by_label("Add a note").fill(NOTE)
    page.get_by_test_id("note-save").click()
    note = page.get_by_test_id("note")
    note.first.wait_for()
    assert NOTE in note.first.inner_text()
    assert page.get_by_test_id("note-input").input_value() == ""
    kept = Room(room.records.engine, room.records.keyring).notes("dr-b", "ana", room.checkin_id)
    assert [n.text for n in kept] == [NOTE]
    open_room.shot(tab, "note")

    page.reload()
    note.first.wait_for()
    assert note.count() == 1 and NOTE in note.first.inner_text()
    tab.logged_no_content()


def test_the_download_is_a_zip_of_the_recording_and_words(open_room: Any, room: RoomServer) -> None:
    tab = open_room(signed_in=True)
    page = tab.page
    open_checkin(tab)
    link = page.get_by_test_id("download")
    assert link.get_attribute("download") is not None
    with page.expect_download() as started:
        link.click()
    download = started.value
    assert download.suggested_filename.startswith("ana-") and download.suggested_filename.endswith(
        ".zip"
    )
    data = Path(download.path()).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert set(archive.namelist()) == {"recording.wav", "transcript.json"}
        words = json.loads(archive.read("transcript.json"))
    assert [t["text"] for t in words["turns"]] == [FIRST_WORDS, REPLY_WORDS]
    tab.logged_no_content()


def test_a_therapist_not_shared_with_sees_no_one(open_room: Any, room: RoomServer) -> None:
    tab = open_room()
    page = tab.page
    tab.sign_in("dr-c", PASSWORD)
    state = page.locator("#people-state")
    page.wait_for_function(
        "() => document.querySelector('#people-state').textContent.startsWith('No one')"
    )
    assert page.get_by_test_id("person").count() == 0
    assert "No one shares their check-ins with you yet." in state.inner_text()

    # Straight to ana's address: not shared, said so, and back to the (empty) list.
    page.goto(f"{room.url}#/people/ana")
    notice = page.locator("#notice")
    page.wait_for_function(
        "() => document.querySelector('#notice').textContent.includes('Not shared')"
    )
    assert notice.inner_text() == "Not shared with you (any more)."
    page.wait_for_function("() => location.hash === '#/'")
    assert page.get_by_test_id("checkin").count() == 0
    assert page.get_by_test_id("person").count() == 0
    tab.forgive(404)
    open_room.shot(tab, "not-shared")


def test_signing_out_returns_to_the_form(open_room: Any, room: RoomServer) -> None:
    tab = open_room()
    page = tab.page
    tab.sign_in("dr-b", PASSWORD)
    page.get_by_test_id("person").first.click()
    page.get_by_test_id("checkin").first.wait_for()
    page.get_by_test_id("sign-out").click()
    page.get_by_test_id("login-name").wait_for()
    assert page.get_by_test_id("sign-out").is_hidden()
    assert page.get_by_test_id("checkin").count() == 0
    assert page.get_by_test_id("person").count() == 0
    assert "signed out" in page.locator("#signin-message").inner_text()
    assert page.evaluate("location.hash") == ""
    cookies = [c for c in page.context.cookies() if c["name"] == "voice_session"]
    assert cookies == []

    page.reload()  # still signed out
    page.get_by_test_id("login-name").wait_for()
    page.wait_for_timeout(300)
    assert page.get_by_test_id("sign-out").is_hidden()
    tab.forgive(401)
