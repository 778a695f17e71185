"""The listening room's API against a real server with accounts and records (fake models):
every route for every kind of caller, and only a linked therapist the person shares with
reads; a withdrawal holds from the next request; seeking by range; private sealed notes;
every read audited; new safety events flagged until the therapist looks."""

from __future__ import annotations

import io
import json
import wave
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from databases import accounts_and_records  # type: ignore[import-not-found]
from fakes import (  # type: ignore[import-not-found]
    FakeChatModel,
    FakeDetector,
    FakeSynthesizer,
    FakeTranscriber,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from voice.accounts import AccountStore
from voice.db.records import TherapistNote
from voice.engines.workers import Engines
from voice.protocol import Consent
from voice.records import Records
from voice.records.timeline import Piece, Source
from voice.server.edge import OriginPolicy
from voice.server.signin import SESSION_COOKIE
from voice.server.state import Access, ConnectionLimits

NOW = datetime.now(UTC)
RATE = 16000
PASSWORD = "a long enough password"
PCM = bytes(range(256)) * 125  # one second


@dataclass
class Room:
    address: str
    store: AccountStore
    records: Records
    cookies: dict[str, str]
    token: str
    checkin: str

    def get(self, path: str, who: str | None, **kw: object) -> httpx.Response:
        headers = dict(kw.pop("headers", {}) or {})  # type: ignore[call-overload]
        if who == "person":
            headers["authorization"] = f"Bearer {self.token}"
        elif who is not None:
            headers["cookie"] = f"{SESSION_COOKIE}={self.cookies[who]}"
        headers["origin"] = f"http://{self.address}"
        return httpx.request(
            str(kw.pop("method", "GET")),
            f"http://{self.address}/api/v1/people{path}",
            headers=headers,
            **kw,  # type: ignore[arg-type]
        )


def _seed(records: Records, at: datetime, *, safety: bool) -> str:
    writer = records.writer("ana", voice_rate_hz=RATE, reply_rate_hz=22050)
    writer.write_audio([Piece(Source.VOICE, 0, PCM)], at)
    writer.write_turn(1, "person", 100, "the garden was quiet", at)
    if safety:
        writer.write_safety(1, {"level": "concern", "category": "distress"}, at)
    writer.end(ended=True, now=at)
    assert writer.public_id is not None
    return writer.public_id


@pytest.fixture
def room(start_server: Callable[..., str], tmp_path: Path) -> Room:
    store, records = accounts_and_records(tmp_path)
    token = store.add_person("ana", NOW)
    for name in ("dr-b", "dr-c", "dr-d"):
        store.add_therapist(name, PASSWORD, NOW)
    store.link("ana", "dr-b", NOW)
    store.link("ana", "dr-d", NOW)  # linked, but ana does not share with dr-d
    store.consents().record("ana", Consent(audio=True, transcript=True, share=("dr-b",)), NOW)
    checkin = _seed(records, NOW, safety=True)
    cookies = {}
    for name in ("dr-b", "dr-c", "dr-d"):
        cookie = store.sign_in(name, PASSWORD, NOW)
        assert cookie is not None
        cookies[name] = cookie
    engines = Engines(
        FakeTranscriber(), FakeChatModel(), FakeSynthesizer(), detector_factory=FakeDetector
    )
    access = Access(store, records, policy=OriginPolicy.for_server("127.0.0.1"))
    address = start_server(ConnectionLimits(), engines, access=access)
    return Room(address, store, records, cookies, token, checkin)


def _routes(room: Room) -> list[tuple[str, str, dict[str, object]]]:
    one = f"/ana/checkins/{room.checkin}"
    return [
        ("GET", "/ana/checkins", {}),
        ("GET", "/ana/trends?days=7", {}),
        ("GET", "/ana/trends.svg?days=7", {}),
        ("GET", one, {}),
        ("GET", f"{one}/audio", {}),
        ("GET", f"{one}/download", {}),
        ("POST", f"{one}/notes", {"json": {"text": "ask about the garden"}}),
    ]


@pytest.mark.parametrize("who", [None, "person", "dr-c", "dr-d"])
def test_only_the_linked_therapist_the_person_shares_with_reads(room: Room, who: str) -> None:
    for method, path, extra in _routes(room):
        answer = room.get(path, who, method=method, **extra)
        assert answer.status_code == (401 if who in (None, "person") else 404), (path, who)
        assert "garden" not in answer.text and answer.json()["error"]["code"] in (
            "unauthorized",
            "not_found",
        )
    listed = room.get("", who)
    if who in (None, "person"):
        assert listed.status_code == 401
    else:
        assert listed.json() == {"people": []}
    assert room.records.audit.entries() == []


def test_the_linked_therapist_reads_and_every_read_is_audited(room: Room) -> None:
    for method, path, extra in _routes(room):
        answer = room.get(path, "dr-b", method=method, **extra)
        assert answer.status_code in (200, 201), (path, answer.text)
    detail = room.get(f"/ana/checkins/{room.checkin}", "dr-b").json()
    assert detail["turns"][0]["text"] == "the garden was quiet"
    assert [n["text"] for n in detail["notes"]] == ["ask about the garden"]
    actions = [e.action for e in room.records.audit.entries()]
    assert actions.count("read") == 5 and "listen" in actions
    assert "download" in actions and "note" in actions
    assert all(e.actor == "therapist:dr-b" for e in room.records.audit.entries())
    # the note is sealed, and the person never sees it
    with Session(room.records.engine) as db:
        sealed = db.scalars(select(TherapistNote.text)).all()
    assert sealed and all(b"garden" not in s for s in sealed)
    mine = httpx.get(
        f"http://{room.address}/api/v1/my/checkins/{room.checkin}",
        headers={"authorization": f"Bearer {room.token}"},
    )
    assert mine.status_code == 200 and "ask about" not in mine.text


def test_a_withdrawal_holds_from_the_next_request(room: Room) -> None:
    path = f"/ana/checkins/{room.checkin}"
    assert room.get(path, "dr-b").status_code == 200
    room.store.consents().record("ana", Consent(audio=True, transcript=True), NOW)
    assert room.get(path, "dr-b").status_code == 404
    assert room.get("", "dr-b").json() == {"people": []}


def test_the_recording_seeks_by_range(room: Room) -> None:
    path = f"/ana/checkins/{room.checkin}/audio"
    whole = room.get(path, "dr-b")
    assert whole.status_code == 200 and whole.headers["accept-ranges"] == "bytes"
    with wave.open(io.BytesIO(whole.content)) as wav:
        assert wav.getnframes() == RATE and wav.getnchannels() == 2
    part = room.get(path, "dr-b", headers={"range": "bytes=44-143"})
    assert part.status_code == 206 and part.content == whole.content[44:144]
    assert part.headers["content-range"] == f"bytes 44-143/{len(whole.content)}"
    assert room.get(path, "dr-b", headers={"range": "bytes=999999-"}).status_code == 416
    listens = [e for e in room.records.audit.entries() if e.action == "listen"]
    assert len(listens) == 1  # one listen, however many seeks


def test_safety_events_are_flagged_until_the_therapist_looks(room: Room) -> None:
    room.store.add_person("ben", NOW)
    room.store.link("ben", "dr-b", NOW)
    room.store.consents().record("ben", Consent(transcript=True, share=("dr-b",)), NOW)
    writer = room.records.writer("ben", voice_rate_hz=RATE, reply_rate_hz=22050)
    writer.write_turn(1, "person", 0, "a calm day", NOW + timedelta(hours=1))
    writer.end(ended=True, now=NOW + timedelta(hours=1))
    people = room.get("", "dr-b").json()["people"]
    assert [(p["name"], p["new_safety_events"]) for p in people] == [("ana", 1), ("ben", 0)]
    assert room.get("/ana/checkins", "dr-b").status_code == 200  # dr-b looks
    people = room.get("", "dr-b").json()["people"]
    assert [(p["name"], p["new_safety_events"]) for p in people] == [("ben", 0), ("ana", 0)]


def test_notes_are_checked_and_the_download_has_words_and_audio(room: Room) -> None:
    notes = f"/ana/checkins/{room.checkin}/notes"
    for bad in ({"text": ""}, {"text": 5}, {"text": "x" * 4001}, {"nope": "x"}):
        answer = room.get(notes, "dr-b", method="POST", json=bad)
        assert answer.status_code == 400 and answer.json()["error"]["code"] == "bad_request"
    download = room.get(f"/ana/checkins/{room.checkin}/download", "dr-b")
    archive = zipfile.ZipFile(io.BytesIO(download.content))
    assert set(archive.namelist()) == {"transcript.json", "recording.wav"}
    assert json.loads(archive.read("transcript.json"))["turns"][0]["text"] == (
        "the garden was quiet"
    )
    assert "attachment" in download.headers["content-disposition"]
