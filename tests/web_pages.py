"""What the web tests share beyond fixtures: a watched browser tab, and a real server with
accounts (the fixtures that use them are in ``tests/web/conftest.py``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from voice.accounts import AccountStore
from voice.db import open_database
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
    """A real server (the session's models) with accounts in a fresh SQLite file; several
    sessions per person, so one test's closing session never holds up the next."""
    store = AccountStore(open_database(f"sqlite:///{folder}/voice.db"))
    access = Access(accounts=store, policy=OriginPolicy.for_server("127.0.0.1"))
    return start_server(ConnectionLimits(max_sessions_per_account=4), access=access), store
