"""Real databases for the storage tests: a SQLite file, and a throwaway PostgreSQL cluster
(Debian's ``postgresql`` package, started here on a private socket; as root it runs as the
``postgres`` user, since PostgreSQL refuses to run as root); and a server's accounts and
records, keys included; and one check-in written as the server writes it."""

from __future__ import annotations

import glob
import math
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from voice.accounts import AccountStore
from voice.db import open_database
from voice.db.records import Checkin
from voice.db.schema import Person
from voice.records import Records, initialise
from voice.records.timeline import Piece, Source


def _bindir() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(versions[-1]).parent if versions else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PostgresCluster:
    """One cluster for the test session; ``new_database()`` gives each test its own."""

    def __init__(self) -> None:
        bindir = _bindir()
        if bindir is None:
            pytest.fail("PostgreSQL is missing: run 'sudo apt-get install postgresql'")
        self._bin = bindir
        self.root = Path(tempfile.mkdtemp(prefix="voice-pg-"))
        self.root.chmod(0o755)
        self._as: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
            self._as = ["runuser", "-u", "postgres", "--"]
        self.data = self.root / "data"
        self.port = _free_port()
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "voice", "--no-sync")
        options = f"-k {self.root} -p {self.port} -c listen_addresses='' -c fsync=off"
        log = str(self.root / "server.log")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", log, "-w", "start")

    def _run(self, tool: str, *args: str) -> None:
        done = subprocess.run(
            [*self._as, str(self._bin / tool), *args], capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            pytest.fail(f"PostgreSQL's {tool} failed: {done.stderr.strip()[-500:]}")

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://voice@/{database}?host={self.root}&port={self.port}"

    def new_database(self) -> str:
        import psycopg

        name = f"t_{uuid.uuid4().hex[:12]}"
        conninfo = f"host={self.root} port={self.port} user=voice dbname=postgres"
        with psycopg.connect(conninfo, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    """A throwaway PostgreSQL cluster for the whole run."""
    cluster = PostgresCluster()
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database of each kind the server supports."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'voice.db'}"
    cluster: PostgresCluster = request.getfixturevalue("postgres")
    return cluster.new_database()


def accounts_and_records(folder: Path) -> tuple[AccountStore, Records]:
    """A SQLite database in ``folder/data`` with its root key in ``folder/config`` (never
    inside the data folder), as ``voice init`` makes them: the accounts and the records."""
    engine = open_database(f"sqlite:///{folder / 'data' / 'voice.db'}")
    initialise(engine, folder / "config", None, datetime.now(UTC))
    return AccountStore(engine), Records.open(engine, folder / "config", None)


# One check-in, written as the server writes it during a check-in (the room's tests).
_VOICE_HZ, _REPLY_HZ = 16000, 22050
SEEDED_SECONDS = 3.0
SEEDED_WORDS = (
    "The week was long but I kept my walks.",
    "Keeping your walks through a long week sounds like it mattered.",
)
SEEDED_CUE = "slower and quieter than usual"
SEEDED_SUMMARY = "Mood five out of ten, slept okay, energy low."


def _tone(seconds: float, rate_hz: int, hz: float) -> bytes:
    t = np.arange(int(seconds * rate_hz)) / rate_hz
    return (0.3 * 32767 * np.sin(2 * math.pi * hz * t)).astype("<i2").tobytes()


def seed_checkin(records: Records, name: str, at: datetime) -> str:
    """One check-in as the server writes it: 3 s of a tone, two turns (0 s and 1.5 s) with
    cues, answers, a summary and a safety event; its public id."""
    w = records.writer(name, voice_rate_hz=_VOICE_HZ, reply_rate_hz=_REPLY_HZ)
    w.write_audio([Piece(Source.VOICE, 0, _tone(SEEDED_SECONDS, _VOICE_HZ, 220.0))], at)
    w.write_turn(1, "person", 0, SEEDED_WORDS[0], at)
    w.write_cues(1, {"summary": SEEDED_CUE, "activation": -0.4, "confidence": 0.7}, at)
    w.write_turn(1, "assistant", 1500, SEEDED_WORDS[1], at)
    w.write_safety(1, {"level": "concern", "category": "distress"}, at)
    w.write_summary(
        {"items": {"mood": 5, "sleep": "okay", "energy": "low"}, "text": SEEDED_SUMMARY,
         "safety": "concern"},
        at,
    )  # fmt: skip
    w.end(ended=True, now=at)
    assert w.public_id is not None
    return w.public_id


def ended_checkin(records: Records, person: str, timeout_s: float = 30.0) -> str:
    """The public id of ``person``'s one check-in, once the server has closed it (the last
    chunk of a recording is written as the connection closes, after ``bye``)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with Session(records.engine) as db:
            found = db.scalars(
                select(Checkin).join(Person).where(Person.name == person, Checkin.ended)
            ).all()
        if found:
            [checkin] = found
            return checkin.public_id
        time.sleep(0.1)
    raise AssertionError(f"{person}'s check-in was not closed within {timeout_s} s")
