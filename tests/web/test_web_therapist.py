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
import subprocess
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
from databases import (  # type: ignore[import-not-found]
    SEEDED_CUE,
    SEEDED_SECONDS,
    SEEDED_SUMMARY,
    SEEDED_WORDS,
    ended_checkin,
    seed_checkin,
)
from fakes import FakeChatModel  # type: ignore[import-not-found]
from sound import SoundServer  # type: ignore[import-not-found]
from spoken import spoken_check_in_now  # type: ignore[import-not-found]
from web_pages import WatchedTab, start_records_server  # type: ignore[import-not-found]

from voice.accounts import AccountStore
from voice.engines.workers import Engines
from voice.protocol import Consent
from voice.records import Records
from voice.records.room import Room

pytestmark = pytest.mark.real_models

PASSWORD = "a long enough password"
FIRST_WORDS, REPLY_WORDS = SEEDED_WORDS
CUE, SECONDS, SUMMARY = SEEDED_CUE, SEEDED_SECONDS, SEEDED_SUMMARY
NOTE = "Ask about the walks next session."
BEN_SAYS = "This week I baked bread with my sister every Sunday morning."
REPLY_TO_BEN = "Baking bread with your sister sounds like a warm way to spend Sundays."
CONTENT = (FIRST_WORDS, REPLY_WORDS, SUMMARY, NOTE, BEN_SAYS, REPLY_TO_BEN)


@dataclass
class RoomServer:
    """The module's server, its stores, the seeded check-in and dr-b's session cookie."""

    address: str
    store: AccountStore
    records: Records
    checkin_id: str
    started_at: datetime
    cookie: str = ""
    bens_checkin: str = ""  # spoken through the real server
    bens_seconds: float = 0.0  # the recording kept of it

    @property
    def url(self) -> str:
        return f"http://{self.address}/therapist/"


@pytest.fixture(scope="module")
def room(
    start_server: Callable[..., str],
    engines: Engines,
    speak: Callable[[str], bytes],
    tmp_path_factory: pytest.TempPathFactory,
) -> RoomServer:
    # The real Whisper and Piper; a fixed reply, so a spoken check-in is quick.
    fast = Engines(
        engines.transcriber,
        FakeChatModel(pieces=[REPLY_TO_BEN]),
        engines.synthesizer,
        risk_screen=engines.risk_screen,
    )
    folder = tmp_path_factory.mktemp("room")
    address, store, records = start_records_server(start_server, folder, fast)
    now = datetime.now(UTC)
    store.add_therapist("dr-b", PASSWORD, now)
    store.add_therapist("dr-c", PASSWORD, now)  # linked to ana, but ana does not share
    store.add_person("ana", now)
    store.link("ana", "dr-b", now)
    store.link("ana", "dr-c", now)
    store.consents().record("ana", Consent(audio=True, transcript=True, share=("dr-b",)), now)
    at = now - timedelta(hours=2)
    found = RoomServer(address, store, records, seed_checkin(records, "ana", at), at)
    # ben checks in through the real server: a spoken WAV, consent to keep and share.
    ben = store.add_person("ben", now)
    store.link("ben", "dr-b", now)
    consent = {"audio": True, "transcript": True, "share": ["dr-b"]}
    events, _sent = spoken_check_in_now(address, ben, speak(BEN_SAYS), consent=consent)
    assert [e for e in events if e["type"] == "stored"], [e["type"] for e in events]
    kept = ended_checkin(records, "ben")
    tracks = records.reader.tracks("ben", kept, datetime.now(UTC))
    assert tracks is not None and tracks.seconds > 3
    found.bens_checkin, found.bens_seconds = kept, tracks.seconds
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
    person.nth(1).wait_for()
    assert person.count() == 2  # ana (a safety moment: first) and ben
    assert "ana" in person.first.inner_text() and "ben" in person.nth(1).inner_text()
    assert person.nth(1).get_by_test_id("safety-flag").count() == 0
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
    # The same days as a table under it: ana's one day, her answers, help offered.
    rows = page.get_by_test_id("trends-table").locator("tbody tr")
    rows.first.wait_for()
    assert rows.count() == 1
    cells = rows.first.locator("td").all_inner_texts()
    assert cells[:3] == ["5 / 10", "Okay", "Low"] and cells[-1] == "Yes", cells
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


def test_a_spoken_checkin_is_heard_read_and_annotated(open_room: Any, room: RoomServer) -> None:
    tab = open_room(signed_in=True)
    page = tab.page
    page.get_by_test_id("person").filter(has_text="ben").click()
    page.get_by_test_id("checkin").first.click()
    turns = page.get_by_test_id("transcript-turn")
    turns.nth(1).wait_for()
    assert page.url.endswith(f"#/people/ben/checkins/{room.bens_checkin}")
    said = [t.lower().split("\n") for t in turns.all_inner_texts()]  # when, who, words
    heard = " ".join(" ".join(lines[2:]) for lines in said if lines[1] == "ben")  # Whisper
    assert "bread" in heard and "sister" in heard, said
    assert REPLY_TO_BEN in turns.last.inner_text()

    # The player's recording is the one kept: its length, and it plays.
    player = page.get_by_test_id("player")
    page.wait_for_function(
        "() => { const a = document.querySelector('[data-testid=player]');"
        " return a.readyState >= 1 && a.duration > 0; }"
    )
    assert player.evaluate("a => a.duration") == pytest.approx(room.bens_seconds, abs=0.05)
    turns.first.get_by_role("button").click()
    page.wait_for_function("() => document.querySelector('[data-testid=player]').currentTime > 0.3")
    # The reply's turn seeks to where it starts.
    reply = turns.last
    start_ms = int(reply.get_attribute("data-start-ms") or "0")
    assert start_ms > 1000, start_ms
    reply.get_by_role("button").click()
    assert player.evaluate("a => a.currentTime") == pytest.approx(start_ms / 1000, abs=0.4)
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=transcript-turn]')]"
        ".at(-1).getAttribute('aria-current') === 'true'"
    )
    player.evaluate("a => a.pause()")
    open_room.shot(tab, "spoken-checkin")

    # A private note, kept (encrypted) and there after a reload.
    assert "Only you can see these notes" in page.get_by_test_id("notes").inner_text()
    page.get_by_label("Add a note").fill(NOTE)
    page.get_by_test_id("note-save").click()
    note = page.get_by_test_id("note")
    note.first.wait_for()
    assert NOTE in note.first.inner_text()
    assert page.get_by_test_id("note-input").input_value() == ""
    kept = Room(room.records.engine, room.records.keyring).notes("dr-b", "ben", room.bens_checkin)
    assert [n.text for n in kept] == [NOTE]
    page.reload()
    note.first.wait_for()
    assert note.count() == 1 and NOTE in note.first.inner_text()
    open_room.shot(tab, "note")
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
    tab = open_room(signed_in=True)  # (sign-ins are limited per account: Firefox signs in)
    page = tab.page
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


FIREFOX_SCRIPT = Path(__file__).resolve().parent / "firefox" / "room.mjs"
FIREFOX_NOTE = "Written in Firefox: ask about Sundays."


def test_the_room_works_in_firefox(
    room: RoomServer, sound_server: SoundServer, save_artifact: Callable[..., Any]
) -> None:
    """Debian's firefox-esr, over WebDriver BiDi (puppeteer-core: Playwright cannot drive
    Debian's Firefox), playing into a real sound server's null sink: the spoken check-in,
    through the same steps as in Chromium, and sound reached the sink."""
    if not Path("/usr/bin/firefox-esr").exists():
        pytest.fail("Firefox is missing: run 'sudo apt-get install firefox-esr'")
    if not (FIREFOX_SCRIPT.parent / "node_modules" / "puppeteer-core").is_dir():
        pytest.fail("puppeteer-core is missing: run 'make firefox'")
    out = save_artifact("web-therapist-firefox.json", b"").parent
    with sound_server.recording() as played:
        ran = subprocess.run(
            ["node", str(FIREFOX_SCRIPT), f"http://{room.address}", "dr-b", PASSWORD, "ben",
             FIREFOX_NOTE, str(out)],
            capture_output=True, text=True, timeout=180, check=False, env=sound_server.env,
        )  # fmt: skip
    assert ran.returncode == 0, ran.stderr[-2000:]
    report = json.loads(ran.stdout.strip().splitlines()[-1])
    save_artifact("web-therapist-firefox.json", json.dumps(report, indent=2).encode())
    assert "failure" not in report, report["failure"]
    assert report["problems"] == [], report["problems"]
    assert sorted(p.split("\n")[0] for p in report["people"]) == ["ana", "ben"]
    assert len(report["checkins"]) == 1
    turns = report["turns"]
    assert any("bread" in t["text"].lower() for t in turns) and REPLY_TO_BEN in turns[-1]["text"]
    assert report["duration"] == pytest.approx(room.bens_seconds, abs=0.05)
    assert report["played"] > 0.3
    assert report["mediaError"] is None and report["playerState"] == "", report
    [sound] = played
    loud = np.abs(sound.astype(np.int32)) > 1000  # the recording, not the sink's silence
    assert loud.sum() > 0.05 * 16000, (len(sound), int(loud.sum()))
    assert report["seekedTo"] == pytest.approx(turns[-1]["startMs"] / 1000, abs=0.4)
    assert any(FIREFOX_NOTE in n for n in report["notesAfterReload"])
    for label, stats in report["shots"].items():
        assert stats["colours"] > 20 and stats["std"] > 10, (label, stats)
    kept = Room(room.records.engine, room.records.keyring).notes("dr-b", "ben", room.bens_checkin)
    assert FIREFOX_NOTE in [n.text for n in kept]
