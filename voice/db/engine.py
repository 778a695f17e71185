"""Opening the database: the engine for a URL, SQLite's durability checked on every
connection, and the schema brought up to date with Alembic before first use."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from voice.errors import ConfigError, StorageError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
DATABASE_FILE = "voice.db"


def default_url(data_dir: Path) -> str:
    """The SQLite file in the data directory."""
    return f"sqlite:///{data_dir / DATABASE_FILE}"


def open_database(url: str) -> Engine:
    """An engine for ``url`` with the schema at the newest migration.

    SQLite runs in WAL mode with ``synchronous=FULL`` and foreign keys on, and every new
    connection is checked for all three (a file system that cannot do WAL is an error, not
    a silent fallback). PostgreSQL is used as the URL says.
    """
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigError("database_url is not a valid database URL") from exc
    options: dict[str, Any] = {"future": True}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            _private_file(Path(parsed.database).expanduser())
        options["connect_args"] = {"check_same_thread": False}
    else:
        options["pool_pre_ping"] = True
    try:
        engine = create_engine(parsed, **options)
    except (ArgumentError, ImportError) as exc:
        raise ConfigError("database_url names a database this installation cannot use") from exc
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_durable)
    try:
        migrate(engine)
    except SQLAlchemyError as exc:
        engine.dispose()
        raise StorageError("the database could not be opened") from exc
    return engine


def _private_file(path: Path) -> None:
    """Create the database file readable by this user only (SQLite gives its -wal and -shm
    files the same mode)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    except OSError as exc:
        raise StorageError("the database file cannot be created") from exc


def migrate(engine: Engine, revision: str = "head") -> None:
    """Run the Alembic migrations up to ``revision`` on ``engine``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def _sqlite_durable(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA secure_delete=ON")  # erased rows are zeroed, not left in free pages
        journal = cursor.execute("PRAGMA journal_mode").fetchone()[0]
        synchronous = cursor.execute("PRAGMA synchronous").fetchone()[0]
        foreign_keys = cursor.execute("PRAGMA foreign_keys").fetchone()[0]
    finally:
        cursor.close()
    # An in-memory database answers "memory": there is no file to make durable.
    if str(journal).lower() not in ("wal", "memory") or synchronous != 2 or foreign_keys != 1:
        raise StorageError("the SQLite database cannot run with WAL and synchronous=FULL here")
