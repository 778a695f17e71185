"""``voice serve`` and the commands beside it, as a person runs them: the root key it needs,
where it refuses to listen, TLS, the account and records commands, and a log that keeps no
health content even at DEBUG."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
import ssl
import subprocess
import sys
import time
import urllib.request
import wave
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import numpy as np
import pytest

from voice.accounts import AccountStore
from voice.client.connection import CheckinClient
from voice.db import default_url, open_database
from voice.protocol import Consent
from voice.records import Records
from voice.records.timeline import Piece, Source
from voice.server.edge import OriginPolicy
from voice.server.signin import SESSION_COOKIE
from voice.server.state import Access, ConnectionLimits
from voice.settings import Settings

VOICE = [sys.executable, "-m", "voice.cli"]
NOW = datetime.now(UTC)


def _voice(
    *args: str, env: dict[str, str], stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*VOICE, *args],
        check=False,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def env(settings: Settings, tmp_path: Path) -> dict[str, str]:
    """A server's environment whose root key exists (``voice init``)."""
    env = {
        **os.environ,
        "VOICE_CACHE_DIR": str(settings.cache_dir),
        "VOICE_DATA_DIR": str(tmp_path / "data"),
        "VOICE_CONFIG_DIR": str(tmp_path / "config"),
    }
    env.pop("VOICE_PASSPHRASE", None)
    assert _voice("init", env=env).returncode == 0
    return env


def test_serve_needs_a_root_key(env: dict[str, str], tmp_path: Path) -> None:
    bare = {**env, "VOICE_CONFIG_DIR": str(tmp_path / "elsewhere")}
    refused = _voice("serve", "--port", "0", env=bare)
    assert refused.returncode == 2
    assert "voice init" in refused.stderr and "Traceback" not in refused.stderr
    assert "nothing changed" in _voice("init", env=env).stdout  # never overwritten
    key = tmp_path / "config" / "root.key"
    assert key.stat().st_mode & 0o777 == 0o600 and len(key.read_bytes()) == 32


def test_account_commands(env: dict[str, str], tmp_path: Path) -> None:
    added = _voice("user", "add", "ana", "--url", "https://checkin.example.org", env=env)
    assert added.returncode == 0, added.stderr
    lines = added.stdout.strip().splitlines()
    token = lines[-1]
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)
    assert f"https://checkin.example.org/#pair={token}" in lines[0]
    listed = _voice("user", "list", env=env)
    assert listed.stdout.startswith("ana\t") and token not in listed.stdout
    assert _voice("user", "token", "ana", env=env).returncode == 2  # needs --rotate
    rotated = _voice("user", "token", "ana", "--rotate", env=env).stdout.strip().splitlines()[-1]
    assert rotated != token
    therapist = _voice(
        "therapist", "add", "dr-b", "--password-stdin", env=env, stdin="a long password\n"
    )
    assert therapist.returncode == 0, therapist.stderr
    weak = _voice("therapist", "add", "dr-c", "--password-stdin", env=env, stdin="short\n")
    assert weak.returncode == 2 and "at least" in weak.stderr
    assert _voice("link", "ana", "dr-b", env=env).returncode == 0
    assert "ana" in _voice("therapist", "list", env=env).stdout
    assert _voice("unlink", "ana", "dr-b", env=env).returncode == 0
    assert _voice("user", "revoke", "ana", env=env).returncode == 0
    assert "revoked" in _voice("user", "list", env=env).stdout
    store = AccountStore(open_database(default_url(Path(env["VOICE_DATA_DIR"]))))
    assert store.person_for_token(rotated) is None
    files = b"".join(p.read_bytes() for p in Path(env["VOICE_DATA_DIR"]).glob("voice.db*"))
    assert token.encode() not in files and rotated.encode() not in files
    assert b"a long password" not in files


def test_records_commands(env: dict[str, str], tmp_path: Path) -> None:
    """``voice user export|retention|erase`` and ``voice audit verify`` on kept check-ins."""
    assert _voice("user", "add", "ana", env=env).returncode == 0
    engine = open_database(default_url(Path(env["VOICE_DATA_DIR"])))
    AccountStore(engine).consents().record("ana", Consent(audio=True, transcript=True), NOW)
    records = Records.open(engine, Path(env["VOICE_CONFIG_DIR"]), None)
    writer = records.writer("ana", voice_rate_hz=16000, reply_rate_hz=22050)
    pcm = bytes(range(256)) * 250
    writer.write_audio([Piece(Source.VOICE, 0, pcm)], NOW)
    writer.write_turn(1, "person", 0, "the kettle sang", NOW)
    writer.end(ended=True, now=NOW)
    out = tmp_path / "export"
    exported = _voice("user", "export", "ana", str(out), env=env)
    assert exported.returncode == 0, exported.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    for name, entry in manifest["files"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == entry["sha256"]
    [wav_name] = [n for n in manifest["files"] if n.endswith(".wav")]
    with wave.open(str(out / wav_name)) as wav:
        frames = wav.readframes(wav.getnframes())
    assert np.frombuffer(frames, "<i2")[0::2].tobytes() == pcm  # the voice, as sent
    assert (out / "checkins.json").stat().st_mode & 0o777 == 0o600
    assert "the kettle sang" in (out / "checkins.json").read_text()
    assert _voice("user", "export", "ana", str(out), env=env).returncode == 2  # not empty
    assert _voice("user", "retention", "ana", "30", env=env).returncode == 0
    assert _voice("user", "retention", "ana", "soon", env=env).returncode == 2
    assert _voice("user", "erase", "ana", env=env, stdin="ana\n").returncode == 2  # no tty
    erased = _voice("user", "erase", "ana", "--yes", env=env)
    assert erased.returncode == 0, erased.stderr
    assert records.reader.listing("ana") == []
    verified = _voice("audit", "verify", env=env)
    assert verified.returncode == 0 and "3 entries; the chain is whole" in verified.stdout
    listed = _voice("audit", "list", env=env).stdout
    assert [line.split("\t")[3] for line in listed.splitlines()] == ["export", "retention", "erase"]
    with engine.begin() as db:
        db.exec_driver_sql("UPDATE audit_log SET subject = 'person:zed' WHERE seq = 2")
    broken = _voice("audit", "verify", env=env)
    assert broken.returncode == 1 and "entry 2: edited" in broken.stdout
    engine.dispose()


def test_a_passphrase_instead_of_a_key_file(settings: Settings, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "VOICE_CACHE_DIR": str(settings.cache_dir),
        "VOICE_DATA_DIR": str(tmp_path / "data"),
        "VOICE_CONFIG_DIR": str(tmp_path / "config"),
        "VOICE_PASSPHRASE": "correct horse battery staple",
    }
    made = _voice("init", env=env)
    assert made.returncode == 0 and "VOICE_PASSPHRASE" in made.stdout
    assert not (tmp_path / "config" / "root.key").exists()
    assert _voice("audit", "verify", env=env).returncode == 0
    wrong = _voice("audit", "verify", env={**env, "VOICE_PASSPHRASE": "another long passphrase"})
    assert wrong.returncode == 2 and "does not fit" in wrong.stderr
    missing = _voice(
        "audit", "verify", env={k: v for k, v in env.items() if k != "VOICE_PASSPHRASE"}
    )
    assert missing.returncode == 2 and "VOICE_PASSPHRASE" in missing.stderr


def test_serve_refuses_an_open_network_address(env: dict[str, str]) -> None:
    refused = _voice("serve", "--host", "0.0.0.0", "--port", "0", env=env)
    assert refused.returncode != 0
    assert "voice user add" in refused.stderr and "127.0.0.1" in refused.stderr
    assert _voice("user", "add", "ana", env=env).returncode == 0
    plain = _voice("serve", "--host", "0.0.0.0", "--port", "0", env=env)
    assert plain.returncode != 0
    assert "--tls-cert" in plain.stderr and "--insecure-http" in plain.stderr
    half = _voice("serve", "--tls-cert", "/etc/hostname", "--port", "0", env=env)
    assert half.returncode != 0 and "tls_key" in half.stderr


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost (Debian's openssl)."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.mark.real_models
def test_tls_serves_https_and_wss_with_secure_cookies(
    start_server: Callable[..., str], certificate: tuple[Path, Path], tmp_path: Path
) -> None:
    store = AccountStore(open_database(default_url(tmp_path)))
    now = datetime.now(UTC)
    token = store.add_person("ana", now)
    store.add_therapist("dr-b", "a long password", now)
    address = start_server(
        ConnectionLimits(),
        access=Access(store, policy=OriginPolicy.for_server("127.0.0.1"), tls=True),
        tls=certificate,
    )
    trust = ssl.create_default_context(cafile=str(certificate[0]))
    with httpx.Client(base_url=f"https://{address}", verify=trust) as http:
        signed = http.post("/api/v1/session", json={"name": "dr-b", "password": "a long password"})
        assert signed.status_code == 200
        flags = {p.strip().lower() for p in signed.headers["set-cookie"].split(";")[1:]}
        assert {"secure", "httponly", "samesite=strict"} <= flags
        assert signed.headers["set-cookie"].startswith(f"{SESSION_COOKIE}=")
    with pytest.raises(httpx.TransportError):  # plain http to the TLS port is not served
        httpx.get(f"http://{address}/healthz", timeout=5).raise_for_status()

    async def check_in() -> str:
        async with CheckinClient.open(f"wss://{address}/v1/checkin", ssl=trust) as client:
            ready = await client.hello(token=token)
            await client.end()
            return str(ready["type"])

    assert asyncio.run(check_in()) == "ready"


CANARY_SPOKEN = "My secret word today is pineapple marmalade."
CANARY_TYPED = "zanzibar quokka canary"


@pytest.fixture
def debug_server(env: dict[str, str], tmp_path: Path) -> Iterator[tuple[int, str, Path]]:
    """``voice serve`` on 0.0.0.0 with accounts, --insecure-http and DEBUG logging."""
    added = _voice("user", "add", "ana", env=env)
    token = added.stdout.strip().splitlines()[-1]
    log = tmp_path / "server.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [*VOICE, "serve", "--host", "0.0.0.0", "--port", "0", "--insecure-http",
             "--log-level", "DEBUG"],
            env=env, stderr=out, text=True,
        )  # fmt: skip
        try:
            port = None
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline and proc.poll() is None:
                if m := re.search(r"listening on http://0\.0\.0\.0:(\d+)", log.read_text()):
                    port = int(m.group(1))
                    try:
                        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                            break
                    except OSError:
                        pass
                time.sleep(0.3)
            assert port is not None, log.read_text()
            yield port, token, log
        finally:
            proc.terminate()
            proc.wait(30)


@pytest.mark.real_models
def test_debug_log_keeps_no_health_content(
    debug_server: tuple[int, str, Path], speak: Callable[[str], bytes]
) -> None:
    port, token, log = debug_server
    pcm = speak(CANARY_SPOKEN)

    async def check_in() -> list[str]:
        async with CheckinClient.open(f"ws://127.0.0.1:{port}/v1/checkin") as client:
            ready = await client.hello(token=token, checkin=False)
            assert ready["type"] == "ready"
            await client.wait_for(lambda e: e["type"] == "metrics" and e["turn"] == 0, 60)
            await client.stream(pcm)
            await client.stream_silence_until(lambda: client.turn_complete(1), timeout_s=90)
            await client.send_json({"type": "text", "text": CANARY_TYPED})
            await client.wait_for(lambda e: e["type"] == "metrics" and e["turn"] == 2, 90)
            await client.end()
        return [e.get("text", "") for e in client.received.events if e["type"] == "transcript"]

    transcripts = asyncio.run(check_in())
    assert any("marmalade" in t.lower() for t in transcripts), transcripts  # it was heard
    text = log.read_text()
    assert "WARNING" in text and "plain http" in text  # --insecure-http is said out loud
    assert "DEBUG" in text  # the level was really on
    for canary in ("pineapple", "marmalade", "zanzibar", "quokka", token):
        assert canary.lower() not in text.lower(), canary
