"""Who gets in: every route and message, for every kind of caller, against a real server
with accounts (a SQLite file) and the real models. Each refusal has its documented code,
and nothing is processed for a refused caller."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from databases import accounts_and_records  # type: ignore[import-not-found]
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from voice.accounts import AccountStore
from voice.db import open_database
from voice.protocol import Consent
from voice.records import Records
from voice.server.edge import OriginPolicy
from voice.server.signin import SESSION_COOKIE
from voice.server.state import Access, ConnectionLimits, ServerState

pytestmark = pytest.mark.real_models

NOW = datetime.now(UTC)
PASSWORD = "a long enough password"
AUDIO = {"encoding": "pcm_s16le", "sample_rate": 16000, "channels": 1}


@dataclass(frozen=True)
class Clinic:
    """A server with accounts and records: ana, ben and eve (active; eve keeps her cues), cy
    (revoked), dr-b (a therapist)."""

    address: str
    store: AccountStore
    tokens: dict[str, str]
    therapist_cookie: str
    records: Records
    state: ServerState

    @property
    def ws(self) -> str:
        return f"ws://{self.address}/v1/checkin"

    @property
    def http(self) -> str:
        return f"http://{self.address}"


@pytest.fixture(scope="module")
def clinic(
    start_server: Callable[..., str],
    server_state: Callable[[str], ServerState],
    tmp_path_factory: pytest.TempPathFactory,
) -> Clinic:
    folder = tmp_path_factory.mktemp("clinic")
    store, records = accounts_and_records(folder)
    tokens = {name: store.add_person(name, NOW) for name in ("ana", "ben", "cy", "dee")}
    tokens["old-dee"] = tokens["dee"]
    tokens["dee"] = store.rotate_token("dee", NOW)
    store.revoke_person("cy", NOW)
    store.add_therapist("dr-b", PASSWORD, NOW)
    store.link("ana", "dr-b", NOW)
    cookie = store.sign_in("dr-b", PASSWORD, NOW)
    assert cookie is not None
    tokens["eve"] = store.add_person("eve", NOW)  # eve keeps her cues: her baseline is kept
    store.consents().record("eve", Consent(transcript=True), NOW)
    address = start_server(
        ConnectionLimits(max_sessions=2),
        access=Access(accounts=store, records=records, policy=OriginPolicy.for_server("127.0.0.1")),
    )
    return Clinic(address, store, tokens, cookie, records, server_state(address))


async def _session(
    url: str,
    hello_extra: dict[str, Any],
    *,
    after: list[str | bytes] = (),  # type: ignore[assignment]
    headers: dict[str, str] | None = None,
    until: str | None = None,
) -> tuple[list[dict[str, Any]], int, int | None]:
    """Hello (plus frames after it); returns (text events, bytes frames, close code): all
    until the server closes or is quiet for 5 s, or up to the first event of type
    ``until``."""
    events: list[dict[str, Any]] = []
    audio = 0
    async with connect(url, additional_headers=headers or {}, open_timeout=10) as ws:
        try:
            await ws.send(
                json.dumps({"type": "hello", "protocol": 1, "audio": AUDIO, **hello_extra})
            )
            for frame in after:
                await ws.send(frame)
        except ConnectionClosed:
            pass
        try:
            while True:
                message = await asyncio.wait_for(ws.recv(), 5.0)
                if isinstance(message, bytes):
                    audio += 1
                else:
                    events.append(json.loads(message))
                    if events[-1]["type"] == until:
                        return events, audio, None
        except TimeoutError:
            return events, audio, None
        except ConnectionClosed:
            return events, audio, ws.close_code


def _cookie(value: str) -> dict[str, str]:
    return {"Cookie": f"{SESSION_COOKIE}={value}"}


def _refused(clinic: Clinic, hello_extra: dict[str, Any], **kw: Any) -> list[dict[str, Any]]:
    before = clinic.state.sessions_started
    speech = b"\x00\x10" * 16000  # a second of loud square-ish audio after hello
    events, audio, code = asyncio.run(_session(clinic.ws, hello_extra, after=[speech], **kw))
    assert [e["type"] for e in events] == ["error"], events
    assert events[0]["code"] == "unauthorized"
    assert code == 1008
    assert audio == 0  # no greeting was spoken
    assert clinic.state.sessions_started == before  # no session was started
    assert clinic.state.active_sessions == 0
    return events


@pytest.mark.parametrize(
    ("who", "hello_extra"),
    [
        ("no token", {}),
        ("no token, a user name", {"user": "ana"}),
        ("a wrong token", {"token": "x" * 43}),
        ("an empty token", {"token": ""}),
        ("a revoked token", {"token": "@cy"}),
        ("a rotated-away token", {"token": "@old-dee"}),
        ("a therapist's cookie as a token", {"token": "@cookie"}),
    ],
)
def test_the_websocket_refuses(clinic: Clinic, who: str, hello_extra: dict[str, Any]) -> None:
    extra = dict(hello_extra)
    if extra.get("token") == "@cookie":
        extra["token"] = clinic.therapist_cookie
    elif str(extra.get("token", "")).startswith("@"):
        extra["token"] = clinic.tokens[extra["token"][1:]]
    events = _refused(clinic, extra)
    assert "token" not in json.dumps(events) or clinic.tokens["ana"] not in json.dumps(events)


def test_a_therapist_cookie_does_not_open_the_persons_socket(clinic: Clinic) -> None:
    _refused(clinic, {}, headers={"Cookie": f"{SESSION_COOKIE}={clinic.therapist_cookie}"})


def test_a_foreign_origin_is_refused_before_accept(clinic: Clinic) -> None:
    before = clinic.state.sessions_started
    with pytest.raises(InvalidStatus) as refused:
        asyncio.run(
            _session(
                clinic.ws,
                {"token": clinic.tokens["ana"]},
                headers={"Origin": "https://evil.example"},
            )
        )
    assert refused.value.response.status_code == 403
    # DNS rebinding: a page at evil.example whose name now points here; same-origin to the
    # browser, so the Origin matches the Host, but this server does not answer to that name.
    port = int(clinic.address.rsplit(":", 1)[1])

    async def rebound() -> None:
        url = f"ws://evil.example:{port}/v1/checkin"
        origin = {"Origin": f"http://evil.example:{port}"}
        async with connect(url, host="127.0.0.1", port=port, additional_headers=origin):
            pass

    with pytest.raises(InvalidStatus) as rebinding:
        asyncio.run(rebound())
    assert rebinding.value.response.status_code == 403
    assert clinic.state.sessions_started == before


def test_the_right_token_gets_a_session_as_its_own_person(
    clinic: Clinic, speak: Callable[[str], bytes]
) -> None:
    """Eve's token with ``user: ana`` is Eve's session: the voice baseline kept is Eve's."""
    pcm = speak("I slept well last night and I am looking forward to the weekend.")
    silence = bytes(2 * 16000)
    frames: list[str | bytes] = [pcm[i : i + 3200] for i in range(0, len(pcm), 3200)]
    frames.append(silence)

    async def run() -> list[dict[str, Any]]:
        events: list[dict[str, Any]] = []
        origin = {"Origin": clinic.http}
        async with connect(clinic.ws, additional_headers=origin) as ws:
            hello = {"type": "hello", "protocol": 1, "audio": AUDIO, "checkin": False}
            await ws.send(json.dumps({**hello, "token": clinic.tokens["eve"], "user": "ana"}))
            for frame in frames:
                await ws.send(frame)
                await asyncio.sleep(0.1)  # real time: 3200 bytes is 100 ms
            while not any(e["type"] == "cues" for e in events):
                message = await asyncio.wait_for(ws.recv(), 60)
                if isinstance(message, str):
                    events.append(json.loads(message))
            await ws.send(json.dumps({"type": "end"}))
        return events

    events = asyncio.run(run())
    assert events[0]["type"] == "ready"
    words = " ".join(e["text"] for e in events if e["type"] == "transcript" and e["final"])
    assert "weekend" in words.lower()
    baselines = clinic.records.baselines()
    for _ in range(100):  # the baseline is saved off the event loop after the cues
        if baselines.load("eve").turns:
            break
        time.sleep(0.05)
    assert baselines.load("eve").turns == 1  # the token's person, not hello's "user"
    assert baselines.load("ana").turns == 0


def test_http_routes(clinic: Clinic) -> None:
    ana = clinic.tokens["ana"]
    with httpx.Client(base_url=clinic.http) as http:
        health = http.get("/healthz")
        assert health.status_code == 200
        assert health.json() in ({"status": "ok", "warm": True}, {"status": "ok", "warm": False})
        page = http.get("/")
        assert page.status_code == 200 and b"<html" in page.content.lower()
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
        assert page.headers["x-content-type-options"] == "nosniff"
        assert page.headers["referrer-policy"] == "no-referrer"

        assert http.get("/api/v1/me").status_code == 401
        assert http.get("/api/v1/me", headers=_cookie("nonsense")).status_code == 401
        assert http.get("/api/v1/me", headers=_cookie(ana)).status_code == 401
        bearer = {"Authorization": f"Bearer {ana}"}
        assert http.get("/api/v1/me", headers=bearer).status_code == 401
        me = http.get("/api/v1/me", headers=_cookie(clinic.therapist_cookie))
        assert (me.status_code, me.json()) == (200, {"therapist": "dr-b"})

        evil = {"Origin": "https://evil.example"}
        body = {"name": "dr-b", "password": PASSWORD}
        assert http.post("/api/v1/session", json=body, headers=evil).status_code == 403
        assert http.delete("/api/v1/session", headers=evil).status_code == 403
        wrong = http.post("/api/v1/session", json={**body, "password": "not it at all"})
        assert wrong.status_code == 401 and "not it" not in wrong.text
        assert clinic.records.audit.entries()[-1].action == "sign_in_failed"
        bad = http.post("/api/v1/session", content=b'{"name": 5}')
        assert bad.status_code == 400 and bad.json()["error"]["code"] == "bad_request"

        assert http.get("/", headers={"Host": "evil.example"}).status_code == 403
        assert http.get("/healthz", headers={"Host": "evil.example"}).status_code == 403


def test_sign_in_cookie_and_sign_out(clinic: Clinic) -> None:
    with httpx.Client(base_url=clinic.http) as http:
        signed = http.post(
            "/api/v1/session",
            json={"name": "dr-b", "password": PASSWORD},
            headers={"Origin": clinic.http},
        )
        assert signed.status_code == 200
        cookie = signed.headers["set-cookie"]
        assert cookie.startswith(f"{SESSION_COOKIE}=")
        flags = {part.strip().lower() for part in cookie.split(";")[1:]}
        assert {"httponly", "samesite=strict", "path=/"} <= flags
        assert "secure" not in flags  # plain http on loopback; see the TLS test
        assert http.get("/api/v1/me").json() == {"therapist": "dr-b"}
        last = clinic.records.audit.entries()[-1]
        assert (last.actor, last.action, last.subject) == ("127.0.0.1", "sign_in", "therapist:dr-b")
        token = http.cookies[SESSION_COOKIE]
        out = http.delete("/api/v1/session", headers={"Origin": clinic.http})
        assert out.status_code == 204
        assert http.get("/api/v1/me", headers=_cookie(token)).status_code == 401


def test_sign_in_attempts_are_limited_per_account_and_per_address(
    start_server: Callable[..., str], tmp_path: Path
) -> None:
    store = AccountStore(open_database(f"sqlite:///{tmp_path / 'voice.db'}"))
    store.add_therapist("dr-b", PASSWORD, NOW)
    store.add_therapist("dr-c", PASSWORD, NOW)
    address = start_server(
        ConnectionLimits(), access=Access(store, policy=OriginPolicy.for_server("127.0.0.1"))
    )
    with httpx.Client(base_url=f"http://{address}") as http:
        codes = [
            http.post(
                "/api/v1/session", json={"name": "dr-b", "password": f"guess {i}!!"}
            ).status_code
            for i in range(5)
        ]
        assert codes == [401] * 5
        limited = http.post("/api/v1/session", json={"name": "dr-b", "password": PASSWORD})
        assert limited.status_code == 429  # even the right password, once limited
        assert limited.json()["error"]["code"] == "too_many_attempts"
        assert 1 <= int(limited.headers["retry-after"]) <= 900
        # Another account from the same address still gets in.
        assert (
            http.post("/api/v1/session", json={"name": "dr-c", "password": PASSWORD}).status_code
            == 200
        )
        # The address has its own, larger allowance: 20 attempts in all.
        codes = [
            http.post("/api/v1/session", json={"name": f"who{i}", "password": "x" * 12}).status_code
            for i in range(20)
        ]
        assert codes.count(429) >= 5 and codes[-1] == 429


def test_without_accounts_only_local_clients_get_in(ws_url: str) -> None:
    """The open mode (loopback, no accounts): a relayed request is refused before accept,
    and a token, which cannot be checked, is refused after hello."""
    with pytest.raises(InvalidStatus) as relayed:
        asyncio.run(_session(ws_url, {}, headers={"X-Forwarded-For": "203.0.113.9"}))
    assert relayed.value.response.status_code == 403
    events, audio, code = asyncio.run(_session(ws_url, {"token": "x" * 43}))
    assert [e.get("code") for e in events] == ["unauthorized"] and code == 1008 and audio == 0
    events, _, _ = asyncio.run(_session(ws_url, {}, until="ready"))
    assert events[0]["type"] == "ready"


@pytest.mark.parametrize(
    "first",
    [
        '{"type": "text", "text": "I want to talk about my day."}',
        '{"type": "commit"}',
        '{"type": "end"}',
        b"\x00\x10" * 8000,
    ],
    ids=["text", "commit", "end", "audio"],
)
def test_no_message_is_processed_before_an_authenticated_hello(
    clinic: Clinic, first: str | bytes
) -> None:
    before = clinic.state.sessions_started

    async def run() -> tuple[list[dict[str, Any]], int | None]:
        events: list[dict[str, Any]] = []
        async with connect(clinic.ws) as ws:
            await ws.send(first)
            try:
                while True:
                    message = await asyncio.wait_for(ws.recv(), 5.0)
                    assert isinstance(message, str)  # never any audio
                    events.append(json.loads(message))
            except ConnectionClosed:
                return events, ws.close_code

    events, code = asyncio.run(run())
    assert [e["code"] for e in events] == ["bad_message"]
    assert "hello" in events[0]["message"]
    assert code == 1008
    assert clinic.state.sessions_started == before


def test_consent_is_a_standing_choice_answered_in_ready(clinic: Clinic) -> None:
    async def ready(extra: dict[str, Any]) -> dict[str, Any]:
        events, _, _ = await _session(
            clinic.ws, {"token": clinic.tokens["ben"], **extra}, until="ready"
        )
        assert events[0]["type"] == "ready", events
        return dict(events[0]["consent"])

    async def run() -> list[dict[str, Any]]:
        return [
            await ready({}),
            await ready({"consent": {"audio": True, "transcript": True, "share": ["dr-b"]}}),
            await ready({}),
            await ready({"consent": {"audio": False, "transcript": False}}),
        ]

    never, chosen, held, withdrawn = asyncio.run(run())
    nothing = {"audio": False, "transcript": False, "share": []}
    assert never == {**nothing, "version": None, "agreed_at": None}
    # dr-b is not linked to ben: sharing with them is not in force.
    assert {k: chosen[k] for k in nothing} == {"audio": True, "transcript": True, "share": []}
    assert chosen["version"] and datetime.fromisoformat(chosen["agreed_at"]).tzinfo is not None
    assert held == chosen  # it holds for later sessions until changed
    assert {k: withdrawn[k] for k in nothing} == nothing
    assert withdrawn["agreed_at"] >= chosen["agreed_at"]
    bad, _, code = asyncio.run(
        _session(clinic.ws, {"token": clinic.tokens["ben"], "consent": {"audio": "yes"}})
    )
    assert [e["code"] for e in bad] == ["bad_message"] and code == 1008


def test_without_accounts_nothing_is_kept_whatever_hello_asks(ws_url: str) -> None:
    keep = {"consent": {"audio": True, "transcript": True, "share": []}}
    events, _, _ = asyncio.run(_session(ws_url, keep, until="ready"))
    assert events[0]["type"] == "ready"
    assert events[0]["consent"] == {
        "audio": False,
        "transcript": False,
        "share": [],
        "version": None,
        "agreed_at": None,
    }
