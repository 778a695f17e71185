"""My space: the person's kept check-ins, trends, safety plan, what is kept, export and erase,
in Chromium against a real server with accounts and records (and its real CSP).

Check-ins are seeded with the records writer, as the server writes them during a check-in;
the tests read what the page shows, and what the server stored from its records and account
store. Each test fails if the browser reports a script error, a CSP violation or a console
error; none may log what the person said. Each view is also kept as a screenshot in
test-artifacts/ and checked not to be blank.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
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
from voice.records.timeline import Piece, Source

pytestmark = pytest.mark.real_models

VOICE_HZ, REPLY_HZ = 16000, 22050
SECONDS = 3.0  # the newest check-in's recording

FIRST_WORDS = "I slept badly but the walk helped."
REPLY_WORDS = "It sounds like the walk did you some good."
LATER_WORDS = "Some days I feel like giving up."
CUE = "slower and quieter than usual"
SUMMARY = "You rated your mood six out of ten, you slept badly, and your energy was low."
OLDER_WORDS = "A quiet day, nothing much to say."
CONTENT = (FIRST_WORDS, REPLY_WORDS, LATER_WORDS, SUMMARY, OLDER_WORDS)


@dataclass
class Seeded:
    """One kept check-in: its id and when it started."""

    id: str
    started_at: datetime
    audio: bool


@dataclass
class Space:
    """The module's server, its stores, and each person's token and check-ins."""

    address: str
    store: AccountStore
    records: Records
    tokens: dict[str, str] = field(default_factory=dict)
    checkins: dict[str, list[Seeded]] = field(default_factory=dict)

    def add(self, name: str, *, seed: bool) -> str:
        now = datetime.now(UTC)
        self.tokens[name] = self.store.add_person(name, now)
        self.store.link(name, "dr-b", now)
        if seed:
            consent = Consent(audio=True, transcript=True, share=("dr-b",))
            self.store.consents().record(name, consent, now)
            self.checkins[name] = seed_checkins(self.records, name, now)
        return self.tokens[name]


def tone(seconds: float, rate_hz: int, hz: float) -> bytes:
    t = np.arange(int(seconds * rate_hz)) / rate_hz
    return (0.3 * 32767 * np.sin(2 * math.pi * hz * t)).astype("<i2").tobytes()


def seed_checkins(records: Records, name: str, now: datetime) -> list[Seeded]:
    """Two check-ins, oldest first: three days ago (words only, mood 4) and an hour ago (a
    3 s recording, words with cues, a safety event, answers with mood 6)."""
    older_at = now - timedelta(days=3)
    older = records.writer(name, voice_rate_hz=VOICE_HZ, reply_rate_hz=REPLY_HZ)
    older.write_turn(1, "person", 400, OLDER_WORDS, older_at)
    older.write_summary(
        {"items": {"mood": 4, "sleep": "okay", "energy": "medium"}, "text": "A calm day.",
         "safety": None},
        older_at,
    )  # fmt: skip
    older.end(ended=True, now=older_at)

    newer_at = now - timedelta(hours=1)
    w = records.writer(name, voice_rate_hz=VOICE_HZ, reply_rate_hz=REPLY_HZ)
    w.write_audio(
        [
            Piece(Source.VOICE, 0, tone(SECONDS, VOICE_HZ, 220.0)),
            Piece(Source.REPLY, VOICE_HZ, tone(1.0, REPLY_HZ, 330.0)),
        ],
        newer_at,
    )
    w.write_turn(1, "person", 500, FIRST_WORDS, newer_at)
    cues = {
        "summary": CUE,
        "activation": -0.4,
        "confidence": 0.7,
        "relative": {"speaking_rate_words_per_second": -1.2, "intensity_mean_db": -0.8},
        "baseline_turns": 12,
    }
    w.write_cues(1, cues, newer_at)
    w.write_turn(1, "assistant", 1500, REPLY_WORDS, newer_at)
    w.write_turn(2, "person", 2200, LATER_WORDS, newer_at)
    w.write_safety(2, {"level": "concern", "category": "suicide"}, newer_at)
    w.write_turn(2, "assistant", 2600, "I'm really glad you told me.", newer_at)
    w.write_summary(
        {"items": {"mood": 6, "sleep": "poor", "energy": "low"}, "text": SUMMARY,
         "safety": "concern"},
        newer_at,
    )  # fmt: skip
    w.end(ended=True, now=newer_at)
    assert older.public_id is not None and w.public_id is not None
    return [Seeded(older.public_id, older_at, False), Seeded(w.public_id, newer_at, True)]


@pytest.fixture(scope="module")
def space(start_server: Callable[..., str], tmp_path_factory: pytest.TempPathFactory) -> Space:
    address, store, records = start_records_server(start_server, tmp_path_factory.mktemp("records"))
    store.add_therapist("dr-b", "a long password", datetime.now(UTC))
    found = Space(address, store, records)
    found.add("ana", seed=True)
    return found


class Tab(WatchedTab):
    """A paired page of the client, and what the browser reported."""

    def open_space(self) -> Any:
        self.page.get_by_role("button", name="My space").click()
        view = self.page.get_by_test_id("my-space")
        view.wait_for()
        return view

    def section(self, name: str) -> None:
        nav = self.page.get_by_role("navigation", name="My space sections")
        nav.get_by_role("button", name=name).click()

    def stored_token(self) -> str | None:
        token: str | None = self.page.evaluate("localStorage.getItem('voice.token')")
        return token

    def logged_no_content(self) -> None:
        said = [m for m in self.console if any(words in m for words in CONTENT)]
        assert said == [], said


@pytest.fixture
def open_space(
    open_watched: Callable[..., Any],
    space: Space,
    image_stats: Callable[[Any, bytes], dict[str, float]],
    save_artifact: Callable[[str, bytes], Any],
) -> Any:
    """``open_space(name)``: a page paired as ``name`` (a fresh context), and
    ``open_space.shot(tab, name)``: a screenshot kept and checked not to be blank."""

    def _open(name: str) -> Tab:
        url = f"http://{space.address}/?voiceProcessing=0#pair={space.tokens[name]}"
        tab: Tab = open_watched(url, Tab)
        tab.page.set_viewport_size({"width": 900, "height": 1000})
        return tab

    def shot(tab: Tab, name: str) -> None:
        png = tab.page.screenshot(full_page=True)
        save_artifact(f"web-records-{name}.png", png)
        stats = image_stats(tab.page, png)
        assert stats["width"] > 0 and stats["height"] > 0
        assert stats["colours"] > 20, (name, stats)  # text, buttons and cards, not one flat fill
        assert stats["std"] > 10, (name, stats)

    _open.shot = shot  # type: ignore[attr-defined]
    return _open


def local_when(at: datetime) -> str:
    """How the page writes a check-in's start, in this machine's time zone."""
    local = at.astimezone()
    return f"{local:%A} {local.day} {local:%B} {local.year}, {local:%H:%M}"


def api(space: Space, token: str, path: str) -> httpx.Response:
    return httpx.get(
        f"http://{space.address}/api/v1/my{path}",
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )


def test_my_space_is_only_offered_to_a_paired_device(
    open_watched: Callable[..., Any], open_space: Any, space: Space
) -> None:
    unpaired = open_watched(f"http://{space.address}/?voiceProcessing=0", Tab)
    assert unpaired.page.get_by_test_id("my-space-open").is_hidden()
    assert unpaired.page.get_by_test_id("my-space").is_hidden()

    tab = open_space("ana")
    view = tab.open_space()
    assert "it is not therapy" in view.inner_text()
    assert tab.page.get_by_test_id("start").is_hidden()  # the check-in waits behind it
    tab.page.get_by_role("button", name="Back to my check-in").click()
    view.wait_for(state="hidden")
    assert tab.page.get_by_test_id("start").is_visible()
    assert tab.page.evaluate("document.activeElement.id") == "my-space-open"

    # Signing out closes My space and leaves nothing of it on the page.
    tab.open_space()
    tab.page.get_by_test_id("checkin-open").first.wait_for()
    tab.page.get_by_role("button", name="Sign out").click()
    tab.page.get_by_test_id("my-space").wait_for(state="hidden")
    assert tab.page.get_by_test_id("checkin-open").count() == 0
    assert tab.page.get_by_test_id("my-space-open").is_hidden()


def test_my_checkins_are_listed_by_date(open_space: Any, space: Space) -> None:
    tab = open_space("ana")
    page = tab.page
    tab.open_space()
    older, newer = space.checkins["ana"]
    items = page.get_by_test_id("checkin-open")
    items.nth(1).wait_for()
    assert items.count() == 2
    first, second = items.nth(0).inner_text(), items.nth(1).inner_text()
    assert first.startswith(local_when(newer.started_at))  # newest first
    assert "Recording of 3 seconds." in first and "Kept: recording and words." in first
    assert "1 moment when help lines were offered." in first
    assert second.startswith(local_when(older.started_at))
    assert "Kept: words." in second
    open_space.shot(tab, "list")

    # The older check-in kept words only: its turn and answers, and no player.
    items.nth(1).click()
    detail = page.get_by_test_id("checkin-detail")
    turns = detail.get_by_test_id("checkin-turn")
    turns.first.wait_for()
    assert turns.count() == 1
    older_turn = turns.first.text_content() or ""  # as written (the label is shown in capitals)
    assert OLDER_WORDS in older_turn and "You" in older_turn
    answers = detail.get_by_test_id("checkin-answers").inner_text()
    assert "4 out of 10" in answers and "Slept okay" in answers and "Medium" in answers
    assert page.locator("#checkin-player").is_hidden()
    assert detail.get_by_test_id("turn-seek").count() == 0

    page.get_by_role("button", name="Back to all check-ins").click()
    items.nth(1).wait_for()
    assert page.evaluate("document.activeElement.dataset.id") == older.id
    tab.logged_no_content()


def test_a_checkin_opened_with_its_words_and_recording(open_space: Any, space: Space) -> None:
    tab = open_space("ana")
    page = tab.page
    tab.open_space()
    page.get_by_test_id("checkin-open").first.click()
    detail = page.get_by_test_id("checkin-detail")
    turns = detail.get_by_test_id("checkin-turn")
    turns.nth(3).wait_for()
    assert page.evaluate("document.activeElement.id") == "checkin-detail-title"
    texts = [turns.nth(i).text_content() or "" for i in range(turns.count())]
    assert len(texts) == 4
    assert "0:00" in texts[0] and "You" in texts[0] and FIRST_WORDS in texts[0]
    assert f"You sound {CUE}." in texts[0]  # the cue in plain words
    assert "Companion" in texts[1] and REPLY_WORDS in texts[1] and "0:01" in texts[1]
    assert LATER_WORDS in texts[2] and "0:02" in texts[2]
    answers = detail.get_by_test_id("checkin-answers").inner_text()
    assert "6 out of 10" in answers and "Slept badly" in answers and "Low" in answers
    assert SUMMARY in answers
    safety = detail.get_by_test_id("checkin-safety").inner_text()
    assert "turn 2" in safety and "thoughts of suicide" in safety and "help lines" in safety

    # The recording: fetched with the token, played from a Blob URL, as long as it was.
    audio = page.get_by_test_id("checkin-audio")
    page.wait_for_function(
        "() => { const a = document.querySelector('[data-testid=checkin-audio]');"
        " return a.src.startsWith('blob:') && a.readyState >= 1 && a.duration > 0; }"
    )
    assert audio.get_attribute("src").startswith("blob:")
    assert audio.evaluate("a => a.duration") == pytest.approx(SECONDS, abs=0.05)

    # A turn's time plays from there; the turn being played is marked, and the mark follows.
    turns.nth(0).get_by_test_id("turn-seek").click()
    assert audio.evaluate("a => a.currentTime") == pytest.approx(0.5, abs=0.4)
    playing = detail.locator(".record-turn.playing")
    assert FIRST_WORDS in playing.inner_text() and "Playing now" in playing.inner_text()
    assert playing.get_attribute("aria-current") == "true"
    page.wait_for_function(
        "() => document.querySelectorAll('.record-turn')[1].classList.contains('playing')"
    )
    assert REPLY_WORDS in playing.inner_text()
    assert detail.locator(".record-turn.playing").count() == 1
    audio.evaluate("a => a.pause()")
    turns.nth(2).get_by_test_id("turn-seek").click()
    audio.evaluate("a => a.pause()")
    assert LATER_WORDS in playing.inner_text()
    assert audio.evaluate("a => a.currentTime") == pytest.approx(2.2, abs=0.4)
    open_space.shot(tab, "checkin")
    page.emulate_media(color_scheme="dark")
    open_space.shot(tab, "checkin-dark")
    tab.logged_no_content()


def test_trends_chart_and_table(open_space: Any, space: Space) -> None:
    tab = open_space("ana")
    page = tab.page
    tab.open_space()
    tab.section("Trends")
    chart = page.get_by_test_id("trends-chart").locator("svg")
    chart.wait_for()
    assert chart.locator("title").first.text_content() == "Check-in trends"
    assert "Mood from 4 to 6" in (chart.locator("desc").text_content() or "")
    assert chart.evaluate("svg => svg.getBoundingClientRect().height") > 100
    table = page.get_by_test_id("trends-table")
    table.wait_for()
    rows = table.locator("tbody tr")
    assert rows.count() == 2
    older, newer = (rows.nth(0).inner_text(), rows.nth(1).inner_text())
    assert "4 / 10" in older and "Okay" in older
    assert "6 / 10" in newer and "Badly" in newer and "Low" in newer
    assert "−0.40" in newer  # activation, relative to the person's usual
    assert newer.rstrip().endswith("Yes")  # a day with a safety event
    open_space.shot(tab, "trends")

    page.get_by_label("Period").select_option("7")
    week_from = (datetime.now().astimezone().date() - timedelta(days=6)).isoformat()  # local
    page.wait_for_function(
        "from => (document.querySelector('#trends-chart desc') || {}).textContent"
        "?.includes(`from ${from}`) && document.querySelectorAll('#trends-body tr').length === 2",
        arg=week_from,
    )
    tab.logged_no_content()


def test_saving_the_safety_plan_stores_it(open_space: Any, space: Space) -> None:
    space.add("ben", seed=False)
    tab = open_space("ben")
    page = tab.page
    tab.open_space()
    tab.section("My safety plan")
    section = page.get_by_test_id("safety-plan")
    assert "reads your steps aloud" in section.inner_text()
    signs = section.get_by_label("My warning signs")
    signs.wait_for()
    assert signs.input_value() == ""
    signs.fill("I stop answering messages.\nI can't sleep.")
    section.get_by_label("People I can ask for help").fill("My sister Maya")
    section.get_by_role("button", name="Save my plan").click()
    message = section.get_by_test_id("safety-plan-message")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=safety-plan-message]')"
        ".textContent.startsWith('Saved')"
    )
    assert "Saved" in message.inner_text()
    stored = space.records.documents.read("ben", "safety_plan")
    assert stored is not None
    assert stored["warning_signs"] == "I stop answering messages.\nI can't sleep."
    assert stored["help"] == "My sister Maya"
    assert stored["coping"] == ""
    assert "Last saved on" in section.inner_text()
    open_space.shot(tab, "safety-plan")

    # Shown again from the server in a new page.
    again = open_space("ben")
    again.open_space()
    again.section("My safety plan")
    help_box = again.page.get_by_test_id("safety-plan").get_by_label("People I can ask for help")
    help_box.wait_for()
    assert help_box.input_value() == "My sister Maya"


def test_what_is_kept_is_read_and_saved_through_the_api(open_space: Any, space: Space) -> None:
    space.add("cleo", seed=False)
    space.store.consents().record(
        "cleo", Consent(audio=True, transcript=True, share=("dr-b",)), datetime.now(UTC)
    )
    tab = open_space("cleo")
    page = tab.page
    tab.open_space()
    tab.section("What is kept")
    state = page.get_by_test_id("my-consent-state")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=my-consent-state]')"
        ".textContent.startsWith('Kept now')"
    )
    assert state.inner_text().startswith("Kept now: your recordings and your words.")
    assert "Shared with: dr-b." in state.inner_text()
    open_space.shot(tab, "consent")

    page.get_by_role("button", name="Change what is kept").click()
    panel = page.get_by_role("dialog", name="What is kept")
    panel.wait_for()
    assert "Therapists linked to you: dr-b." in panel.inner_text()
    assert panel.get_by_test_id("consent-audio").is_checked()  # what is in force
    panel.get_by_test_id("consent-audio").set_checked(False)
    panel.get_by_test_id("consent-share").fill("")
    panel.get_by_role("button", name="Save").click()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=consent-message]')"
        ".textContent.includes('in force now')"
    )
    in_force = space.store.consents().in_force("cleo")
    assert in_force.consent == Consent(audio=False, transcript=True, share=())
    assert tab.page.evaluate("localStorage.getItem('voice.consent')") is None  # recorded
    assert (
        "In force now. Kept: your words." in panel.get_by_test_id("consent-in-force").inner_text()
    )
    panel.get_by_role("button", name="Close").click()
    panel.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.id") == "my-consent-change"
    assert state.inner_text().startswith("Kept now: your words. Recordings: not kept.")
    assert "Shared with: no one." in state.inner_text()


def test_a_choice_the_server_cannot_record_now_waits_for_the_next_hello(
    open_space: Any, space: Space
) -> None:
    space.add("dana", seed=False)
    tab = open_space("dana")
    page = tab.page

    def unavailable(route: Any) -> None:
        if route.request.method != "PUT":
            route.continue_()
            return
        error = {"error": {"code": "storage_failed", "message": "try again later"}}
        route.fulfill(status=503, content_type="application/json", body=json.dumps(error))

    page.route("**/api/v1/my/consent", unavailable)
    page.get_by_test_id("consent-open").click()
    panel = page.get_by_role("dialog", name="What is kept")
    panel.get_by_test_id("consent-transcript").set_checked(True)
    panel.get_by_role("button", name="Save").click()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=consent-message]')"
        ".textContent.includes('next check-in')"
    )
    stored = page.evaluate("localStorage.getItem('voice.consent')")
    assert json.loads(stored) == {"audio": False, "transcript": True, "share": []}
    assert "recorded when your next check-in starts" in panel.inner_text()
    assert space.store.consents().in_force("dana").version is None
    # The refused PUT is the only thing the browser complained about.
    failed = [m for m in tab.console if m.startswith("error")]
    assert failed and all("503" in m for m in failed), failed
    tab.console.clear()


def test_export_downloads_a_zip_with_its_manifest(open_space: Any, space: Space) -> None:
    tab = open_space("ana")
    page = tab.page
    tab.open_space()
    tab.section("Export and erase")
    with page.expect_download() as started:
        page.get_by_role("button", name="Download my data").click()
    download = started.value
    today = datetime.now().astimezone().date().isoformat()
    assert download.suggested_filename == f"voice-export-{today}.zip"
    data = Path(download.path()).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("manifest.json"))
        files = {name: archive.read(name) for name in names}
    wavs = [name for name in names if name.startswith("recordings/") and name.endswith(".wav")]
    assert "checkins.json" in manifest["files"]
    assert len(wavs) == 1 and wavs[0] in manifest["files"]
    for name, entry in manifest["files"].items():
        assert hashlib.sha256(files[name]).hexdigest() == entry["sha256"], name
    kept = json.loads(files["checkins.json"])
    assert [c["id"] for c in kept["checkins"]] == [c.id for c in space.checkins["ana"]]
    state = page.get_by_test_id("export-state")
    state.wait_for()
    assert f"voice-export-{today}.zip" in state.inner_text()
    open_space.shot(tab, "export")


def test_erase_needs_the_name_then_everything_goes(open_space: Any, space: Space) -> None:
    token = space.add("eve", seed=True)
    assert len(space.records.reader.listing("eve")) == 2
    tab = open_space("eve")
    page = tab.page
    tab.open_space()
    page.get_by_test_id("checkin-open").nth(1).wait_for()
    tab.section("Export and erase")
    section = page.get_by_test_id("my-data")
    assert "cannot be undone" in section.inner_text()
    page.wait_for_function(
        "() => document.querySelector('#erase-name-hint').textContent.includes('eve')"
    )
    name = section.get_by_label("To confirm, type your name")
    name.fill("ana")
    section.get_by_role("button", name="Erase everything").click()
    assert "Nothing was erased" in section.get_by_test_id("erase-state").inner_text()
    assert name.get_attribute("aria-invalid") == "true"
    assert len(space.records.reader.listing("eve")) == 2
    assert tab.stored_token() == token

    name.fill("eve")
    section.get_by_role("button", name="Erase everything").click()
    erased = page.get_by_test_id("my-space-erased")
    erased.wait_for()
    assert "Everything was erased" in erased.inner_text()
    assert page.evaluate("document.activeElement.id") == "my-space-erased-title"
    assert tab.stored_token() is None
    assert page.get_by_test_id("checkin-list").locator("li").count() == 0
    assert page.get_by_test_id("my-space-open").is_hidden()
    assert page.get_by_test_id("sign-out").is_hidden()
    assert "no longer paired" in page.get_by_test_id("status").inner_text()
    open_space.shot(tab, "erased")

    assert space.records.reader.listing("eve") == []
    refused = api(space, token, "/checkins")
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "unauthorized"
    page.get_by_role("button", name="Back to my check-in").click()
    page.get_by_test_id("my-space").wait_for(state="hidden")
    assert page.evaluate("document.activeElement.id") == "start"


def test_the_sections_are_reached_with_the_keyboard(open_space: Any, space: Space) -> None:
    tab = open_space("ana")
    page = tab.page
    page.get_by_test_id("my-space-open").wait_for()

    def focused() -> str:
        label: str = page.evaluate(
            "(() => { const e = document.activeElement;"
            " return `${e.tagName} ${e.textContent.trim()}`; })()"
        )
        return label

    def tab_to(label: str, limit: int = 40) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if focused() == label:
                return
        raise AssertionError(f"{label!r} was not reached with Tab (last: {focused()!r})")

    tab_to("BUTTON My space")
    page.keyboard.press("Enter")
    page.get_by_test_id("my-space").wait_for()
    assert focused() == "H2 My space"
    tab_to("BUTTON Trends", limit=6)
    page.keyboard.press("Enter")
    page.get_by_test_id("trends-chart").locator("svg").wait_for()
    assert focused() == "H3 Trends"
    assert page.get_by_test_id("trends").is_visible()
    assert page.get_by_test_id("my-checkins").is_hidden()
    nav = page.get_by_role("navigation", name="My space sections")
    assert nav.get_by_role("button", name="Trends").get_attribute("aria-current") == "true"

    page.keyboard.press("Shift+Tab")  # back to the section buttons, then on to the plan
    assert focused() == "BUTTON Export and erase"
    for _ in range(2):
        page.keyboard.press("Shift+Tab")
    assert focused() == "BUTTON My safety plan"
    page.keyboard.press("Space")
    page.get_by_test_id("safety-plan").get_by_label("My warning signs").wait_for()
    assert focused() == "H3 My safety plan"
    page.keyboard.press("Tab")
    assert focused().startswith("TEXTAREA")  # straight into the plan's first section
    open_space.shot(tab, "keyboard")
