"""A real sound server for the tests: PulseAudio (Debian's package) on a private socket with
one null sink, so a browser or a device has somewhere to play; what reaches the sink can be
recorded from its monitor, to check that sound was actually played."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

SINK = "voice_null"
RATE_HZ = 16000


class SoundServer:
    """``start()``d PulseAudio with the null sink ``voice_null`` as its default."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.socket = folder / "native"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def env(self) -> dict[str, str]:
        """What a client's environment needs to play here."""
        return {**os.environ, "PULSE_SERVER": f"unix:{self.socket}"}

    def start(self) -> None:
        if shutil.which("pulseaudio") is None:
            raise RuntimeError("PulseAudio is missing: run 'sudo apt-get install pulseaudio'")
        home = self.folder / "home"
        home.mkdir(exist_ok=True)
        self._process = subprocess.Popen(
            [
                "pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--disallow-exit",
                "--use-pid-file=no", "--log-target=stderr",
                f"--load=module-null-sink sink_name={SINK}",
                f"--load=module-native-protocol-unix socket={self.socket} auth-anonymous=1",
            ],
            env={**os.environ, "HOME": str(home), "XDG_RUNTIME_DIR": str(self.folder)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            ready = subprocess.run(
                ["pactl", "info"], env=self.env, capture_output=True, check=False
            )
            if ready.returncode == 0:
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("PulseAudio did not start")

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(10)
            self._process = None

    @contextmanager
    def recording(self) -> Iterator[list[np.ndarray]]:
        """What the null sink plays while the block runs: one array of 16 kHz mono samples,
        in the list yielded, once the block ends."""
        out = self.folder / "recorded.raw"
        found: list[np.ndarray] = []
        with out.open("wb") as sink:
            recorder = subprocess.Popen(
                ["parec", f"--device={SINK}.monitor", "--raw", "--format=s16le",
                 f"--rate={RATE_HZ}", "--channels=1"],
                env=self.env, stdout=sink,
            )  # fmt: skip
            try:
                yield found
            finally:
                recorder.terminate()
                recorder.wait(10)
        found.append(np.frombuffer(out.read_bytes(), "<i2") if out.exists() else np.array([]))
