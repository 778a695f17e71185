"""What the web tests share beyond fixtures: a watched browser tab, and a real server with
accounts, and with accounts and records (the fixtures that use them are in
``tests/web/conftest.py``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from voice.accounts import AccountStore
from voice.db import open_database
from voice.engines.workers import Engines
from voice.records import Records, initialise
from voice.server.edge import OriginPolicy
from voice.server.state import Access, ConnectionLimits


@dataclass
class WatchedTab:
    """A page in its own browser context, and what the browser reported while it ran."""

    page: Any
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def wait_state(self, state: str) -> None:
        self.page.locator(f'[data-testid="status"][data-state="{state}"]').wait_for()


def start_accounts_server(
    start_server: Callable[..., str], folder: Path
) -> tuple[str, AccountStore]:
    """A real server (the session's models) with accounts in a fresh SQLite file, and records
    as ``voice serve`` always has them with accounts (``start_records_server``); several
    sessions per person, so one test's closing session never holds up the next."""
    address, store, _records = start_records_server(start_server, folder)
    return address, store


def start_records_server(
    start_server: Callable[..., str], folder: Path, engines: Engines | None = None
) -> tuple[str, AccountStore, Records]:
    """A real server (the session's models, or ``engines``) with accounts and the records
    kept for them: a fresh SQLite file in ``folder/data`` and the root key in
    ``folder/config`` (apart from the data, as ``voice init`` keeps it); several sessions
    per person."""
    data, config = folder / "data", folder / "config"
    data.mkdir()
    config.mkdir(mode=0o700)
    engine = open_database(f"sqlite:///{data}/voice.db")
    initialise(engine, config, None, datetime.now(UTC))
    store = AccountStore(engine)
    records = Records.open(engine, config, None)
    access = Access(accounts=store, records=records, policy=OriginPolicy.for_server("127.0.0.1"))
    limits = ConnectionLimits(max_sessions_per_account=4)
    return start_server(limits, engines, access=access), store, records
