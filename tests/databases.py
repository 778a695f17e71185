"""Real databases for the storage tests: a SQLite file, and a throwaway PostgreSQL cluster
(Debian's ``postgresql`` package, started here on a private socket; as root it runs as the
``postgres`` user, since PostgreSQL refuses to run as root); and a server's accounts and
records, keys included."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from voice.accounts import AccountStore
from voice.db import open_database
from voice.records import Records, initialise


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
