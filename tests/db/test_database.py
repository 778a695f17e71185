"""The database: migrations build exactly the schema the code declares, on SQLite and on a
real PostgreSQL server; SQLite is durable and private."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from voice.db import default_url, open_database
from voice.db.engine import migrate
from voice.db.schema import Base


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    built = open_database(database_url)
    yield built
    built.dispose()


def test_migrations_build_the_declared_schema(engine: Engine) -> None:
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
        assert set(inspect(connection).get_table_names()) >= {
            "people",
            "therapists",
            "links",
            "web_sessions",
            "checkins",
            "audio_chunks",
            "audit_log",
            "alembic_version",
        }


def test_downgrade_and_upgrade_again(engine: Engine) -> None:
    migrate(engine, "head")  # a second run is a no-op
    from alembic import command
    from alembic.config import Config

    from voice.db.engine import MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    with engine.connect() as connection:
        assert "people" not in inspect(connection).get_table_names()
    migrate(engine)
    with engine.connect() as connection:
        assert "people" in inspect(connection).get_table_names()


def test_sqlite_runs_wal_with_full_sync_on_every_connection(tmp_path: Path) -> None:
    engine = open_database(default_url(tmp_path))
    connections = [engine.raw_connection() for _ in range(3)]
    try:
        for raw in connections:
            cursor = raw.cursor()
            assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert cursor.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
            assert cursor.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    finally:
        for raw in connections:
            raw.close()
    # Only the server's user may read it, -wal and -shm included.
    for name in ("voice.db", "voice.db-wal", "voice.db-shm"):
        assert (tmp_path / name).stat().st_mode & 0o077 == 0, name
    # The file on disk says WAL too (a reader that did not set it sees it).
    plain = sqlite3.connect(tmp_path / "voice.db")
    try:
        assert plain.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        plain.close()
