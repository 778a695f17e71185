"""A server to kill, for the crash-safety tests: the real app, database, keys and recorder
with fake models. It imports everything once, then for each line on stdin forks a fresh
server (its own event loop, database connections and stream state) that prints
``PID PORT`` when it listens (a line ``start PORT`` asks for that port, to restart a
killed server where its clients reconnect). The test kills that child with SIGKILL.

Usage: python tests/crash_server.py DATA_DIR CONFIG_DIR
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fakes import FakeChatModel, FakeDetector, FakeSynthesizer, FakeTranscriber

from voice.accounts import AccountStore
from voice.db import open_database
from voice.engines.workers import Engines
from voice.records import Records
from voice.server.app import create_app
from voice.server.edge import OriginPolicy
from voice.server.run import bound_port, make_server
from voice.server.state import Access, ConnectionLimits


def _serve(data: Path, config: Path, port: int) -> None:
    engine = open_database(f"sqlite:///{data / 'voice.db'}")
    access = Access(
        accounts=AccountStore(engine),
        records=Records.open(engine, config, None),
        policy=OriginPolicy.for_server("127.0.0.1"),
    )
    engines = Engines(
        FakeTranscriber(), FakeChatModel(), FakeSynthesizer(), detector_factory=FakeDetector
    )
    app = create_app(lambda: engines, ConnectionLimits(), access)
    server = make_server(app, "127.0.0.1", port)

    async def main() -> None:
        task = asyncio.ensure_future(server.serve())
        while not server.started:
            await asyncio.sleep(0.01)
        print(os.getpid(), bound_port(server), flush=True)
        await task

    asyncio.run(main())


def main() -> None:
    data, config = Path(sys.argv[1]), Path(sys.argv[2])
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # killed children are reaped at once
    for line in sys.stdin:
        port = int(line.split()[1]) if len(line.split()) > 1 else 0
        if os.fork() == 0:
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            _serve(data, config, port)
            os._exit(0)


if __name__ == "__main__":
    main()
