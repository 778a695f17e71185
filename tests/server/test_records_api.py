"""The person's own space over HTTP, against a real server with accounts and records (fake
models: this is about the edge): who may read what, strict input, a withdrawal that takes
effect mid-check-in within one audio chunk, tampering reported, erase for good."""

from __future__ import annotations

import asyncio
import io
import json
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

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
from voice.client.connection import CheckinClient
from voice.db.records import TurnRecord
from voice.engines.workers import Engines
from voice.protocol import Consent
from voice.records import Records
from voice.records.timeline import Piece, Source
from voice.server.edge import OriginPolicy
from voice.server.state import Access, ConnectionLimits

NOW = datetime.now(UTC)
RATE = 16000


@dataclass
class Space:
    address: str
    store: AccountStore
    records: Records
    tokens: dict[str, str]

    def call(self, method: str, path: str, who: str | None = "ana", **kw: Any) -> httpx.Response:
        headers = {"authorization": f"Bearer {self.tokens[who]}"} if who else {}
        origin = {"origin": f"http://{self.address}"}
        return httpx.request(
            method, f"http://{self.address}/api/v1/my{path}", headers={**headers, **origin}, **kw
        )


@pytest.fixture
def space(start_server: Callable[..., str], tmp_path: Path) -> Space:
    store, records = accounts_and_records(tmp_path)
    tokens = {name: store.add_person(name, NOW) for name in ("ana", "ben")}
    store.add_therapist("dr-b", "a long enough password", NOW)
    store.link("ana", "dr-b", NOW)
    for name in tokens:
        store.consents().record(name, Consent(audio=True, transcript=True), NOW)
    engines = Engines(
        FakeTranscriber(), FakeChatModel(), FakeSynthesizer(), detector_factory=FakeDetector
    )
    access = Access(store, records, policy=OriginPolicy.for_server("127.0.0.1"))
    address = start_server(ConnectionLimits(), engines, access=access)
    return Space(address, store, records, tokens)


def _seed(space: Space, name: str = "ana") -> str:
    writer = space.records.writer(name, voice_rate_hz=RATE, reply_rate_hz=22050)
    writer.write_audio([Piece(Source.VOICE, 0, b"\x01\x02" * RATE)], NOW)
    writer.write_turn(1, "person", 200, "I walked to the river", NOW)
    writer.write_summary({"items": {"mood": 7}, "text": "Mood seven.", "safety": None}, NOW)
    writer.end(ended=True, now=NOW)
    assert writer.public_id is not None
    return writer.public_id


def test_a_person_reads_their_own_check_ins_only(space: Space) -> None:
    mine, theirs = _seed(space, "ana"), _seed(space, "ben")
    listing = space.call("GET", "/checkins").json()["checkins"]
    assert [c["id"] for c in listing] == [mine]
    detail = space.call("GET", f"/checkins/{mine}").json()
    assert detail["turns"][0]["text"] == "I walked to the river"
    assert detail["summary"]["items"] == {"mood": 7}
    audio = space.call("GET", f"/checkins/{mine}/audio")
    assert audio.headers["content-type"] == "audio/wav" and len(audio.content) == 44 + 4 * RATE
    for path in (f"/checkins/{theirs}", f"/checkins/{theirs}/audio", "/checkins/nope"):
        refused = space.call("GET", path)
        assert refused.status_code == 404 and refused.json()["error"]["code"] == "not_found"
        assert "river" not in refused.text
    assert space.call("GET", "/checkins", who=None).status_code == 401
    wrong = httpx.get(
        f"http://{space.address}/api/v1/my/checkins", headers={"authorization": "Bearer x" * 3}
    )
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "unauthorized"


def test_trends_come_as_numbers_and_as_an_accessible_chart(space: Space) -> None:
    _seed(space)
    days = space.call("GET", "/trends?days=14").json()["days"]
    assert [d["mood"] for d in days] == [7]
    svg = space.call("GET", "/trends.svg?days=14")
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert "<title" in svg.text and "<desc" in svg.text and "Mood: 7" in svg.text
    assert "stroke-dasharray" in svg.text or "circle" in svg.text
    for bad in ("days=0", "days=366", "days=seven", "days=-1", "offset=841", "offset=--5"):
        answer = space.call("GET", f"/trends?{bad}")
        assert answer.status_code == 400 and answer.json()["error"]["code"] == "bad_request"
    # Days are the person's local dates: the same check-in, seen from UTC-10:00 and UTC+10:00.
    late = space.call("GET", "/trends?days=14&offset=-600").json()["days"]
    early = space.call("GET", "/trends?days=14&offset=600").json()["days"]
    started = NOW.replace(microsecond=0)
    assert late[0]["date"] == (started - timedelta(minutes=600)).date().isoformat()
    assert early[0]["date"] == (started + timedelta(minutes=600)).date().isoformat()


def test_the_safety_plan_is_kept_sealed_and_checked(space: Space) -> None:
    plan = {"coping": "Walk the dog around the block", "help": "My sister Ana"}
    saved = space.call("PUT", "/safety-plan", json={"plan": plan}).json()
    assert saved["plan"]["coping"] == "Walk the dog around the block"
    assert saved["updated_at"] is not None and len(saved["sections"]) == 6
    assert space.call("GET", "/safety-plan").json()["plan"]["help"] == "My sister Ana"
    assert "Walk the dog" in (space.records.spoken_safety_plan("ana") or "")
    database = Path(str(space.records.engine.url.database))
    at_rest = b"".join(p.read_bytes() for p in database.parent.glob("voice.db*"))
    assert b"Walk the dog" not in at_rest
    for bad in ({"plan": {"coping": 3}}, {"plan": {"secret": "x"}}, {"plan": "x"}, [1]):
        answer = space.call("PUT", "/safety-plan", json=bad)
        assert answer.status_code == 400, bad
        assert "x" not in answer.json()["error"]["message"].split()  # input never echoed
    too_big = space.call("PUT", "/safety-plan", content=b"{" + b" " * 70000 + b"}")
    assert too_big.status_code == 400


def test_withdrawing_mid_check_in_stops_keeping_within_one_chunk(space: Space) -> None:
    async def run() -> tuple[list[dict[str, Any]], int]:
        async with CheckinClient.open(f"ws://{space.address}/v1/checkin") as client:
            assert (await client.hello(token=space.tokens["ana"], checkin=False))["type"] == "ready"
            await client.stream(bytes(3 * 2 * RATE))  # 3 s kept
            await client.wait_for(lambda e: e["type"] == "stored" and e["audio_ms"] >= 2000, 10)
            withdrawn = await asyncio.to_thread(
                space.call, "PUT", "/consent", json={"audio": False, "transcript": False}
            )
            assert withdrawn.json()["consent"]["audio"] is False
            at_withdrawal = len(client.received.events)
            await client.stream(bytes(3 * 2 * RATE))  # 3 s more, not kept
            await client.end()
            return client.received.events[at_withdrawal:], at_withdrawal

    after, _ = asyncio.run(run())
    assert [e for e in after if e["type"] == "stored"] == []
    [listing] = space.records.reader.listing("ana")
    assert 3000 <= listing.audio_ms <= 4000  # at most one more chunk than the 3 s before
    assert [e.action for e in space.records.audit.entries()] == ["consent"]


def test_a_tampered_field_is_an_error_and_an_audit_entry(space: Space) -> None:
    checkin = _seed(space)
    with Session(space.records.engine) as db, db.begin():
        row = db.scalars(select(TurnRecord)).one()
        row.text = row.text[:-1] + bytes([row.text[-1] ^ 1])
    answer = space.call("GET", f"/checkins/{checkin}")
    assert answer.status_code == 500 and answer.json()["error"]["code"] == "tampered"
    assert "river" not in answer.text
    assert [e.action for e in space.records.audit.entries()] == ["tampered"]


def test_export_and_erase_from_the_person_side(space: Space) -> None:
    _seed(space)
    exported = space.call("POST", "/export")
    archive = zipfile.ZipFile(io.BytesIO(exported.content))
    manifest = json.loads(archive.read("manifest.json"))
    assert "checkins.json" in manifest["files"]
    assert "voice-export-" in exported.headers["content-disposition"]
    refused = space.call("POST", "/erase", json={"confirm": "someone else"})
    assert refused.status_code == 400 and space.records.reader.listing("ana")
    assert space.call("POST", "/erase", json={"confirm": "ana"}).json() == {"erased": True}
    assert space.call("GET", "/checkins").status_code == 401  # the token no longer works
    assert space.records.reader.listing("ana") == []
    assert space.records.keyring.key(1) is None
    assert [e.action for e in space.records.audit.entries()] == ["export", "erase"]
    assert space.records.audit.verify() == []


def test_a_crisis_reply_reads_the_persons_own_plan_first(space: Space) -> None:
    plan = {"coping": "Sit with the cat and breathe slowly", "help": "Call my sister Ana"}
    assert space.call("PUT", "/safety-plan", json={"plan": plan}).status_code == 200

    async def run() -> list[dict[str, Any]]:
        async with CheckinClient.open(f"ws://{space.address}/v1/checkin") as client:
            assert (await client.hello(token=space.tokens["ana"], checkin=False))["type"] == "ready"
            await client.send_json({"type": "text", "text": "I want to kill myself tonight"})
            await client.wait_for(lambda e: e["type"] == "reply" and e["turn"] == 1, 30)
            await client.end()
            return client.received.events

    events = asyncio.run(run())
    assert next(e for e in events if e["type"] == "safety")["level"] == "crisis"
    reply = next(e["text"] for e in events if e["type"] == "reply" and e["turn"] == 1)
    assert "Sit with the cat and breathe slowly" in reply and "Call my sister Ana" in reply
    assert reply.index("Sit with the cat") < reply.index("to talk to someone trained to help")
    reader = space.records.reader
    for _ in range(100):  # written by the recorder as the connection closes
        listing = reader.listing("ana")
        if listing and reader.detail("ana", listing[0].id, NOW).safety:
            break
        time.sleep(0.05)
    kept = reader.detail("ana", reader.listing("ana")[0].id, NOW)
    assert [e["level"] for e in kept.safety] == ["crisis"]  # and the event is kept, sealed
