"""A real server to kill with SIGKILL and start again (``crash_server.py``: the real app,
database, keys and recorder, with fake models), for the crash-safety and reconnect tests.
The person ``ana`` has a pairing token and consents to keeping audio and words."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from voice.accounts import AccountStore
from voice.db import open_database
from voice.protocol import Consent
from voice.records import initialise

TESTS = Path(__file__).resolve().parent


@dataclass
class Crashes:
    data: Path
    config: Path
    token: str
    zygote: subprocess.Popen[str]
    started: list[int] = field(default_factory=list)
    """Every server the zygote forked (killed at the end, whichever are still running)."""

    def start(self, port: int = 0) -> tuple[int, int]:
        """A fresh server (on ``port``, or any free one): its pid and port."""
        assert self.zygote.stdin is not None and self.zygote.stdout is not None
        self.zygote.stdin.write(f"start {port}\n")
        self.zygote.stdin.flush()
        pid, bound = self.zygote.stdout.readline().split()
        self.started.append(int(pid))
        return int(pid), int(bound)


@contextlib.contextmanager
def killable_server(folder: Path, now: datetime) -> Iterator[Crashes]:
    """The zygote that forks servers over the records in ``folder``."""
    data, config = folder / "data", folder / "config"
    engine = open_database(f"sqlite:///{data / 'voice.db'}")
    initialise(engine, config, None, now)
    store = AccountStore(engine)
    token = store.add_person("ana", now)
    store.consents().record("ana", Consent(audio=True, transcript=True), now)
    engine.dispose()
    zygote = subprocess.Popen(
        [sys.executable, str(TESTS / "crash_server.py"), str(data), str(config)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    crashes = Crashes(data, config, token, zygote)
    try:
        yield crashes
    finally:
        for pid in crashes.started:  # a forked server outlives the zygote otherwise
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        zygote.kill()
        zygote.wait()
        for pipe in (zygote.stdin, zygote.stdout):
            if pipe is not None:
                pipe.close()
