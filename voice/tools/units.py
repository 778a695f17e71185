"""The systemd units of the server and the home device, rendered from a frozen set of
choices (pure: no file, no process). ``voice install-service`` (``voice/tools/service.py``)
writes, verifies and enables them; ``deploy/*.service`` are these units for the default
choices (``python -m voice.tools.units deploy`` writes them again)."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path, PurePosixPath

from voice.errors import ConfigError

STATE_ROOT = PurePosixPath("/var/lib")
CACHE_ROOT = PurePosixPath("/var/cache")
ENV_FILE = PurePosixPath("/etc/voice/server.env")
DEFAULT_VOICE = PurePosixPath("/opt/voice/.venv/bin/voice")
DEFAULT_TOKEN_FILE = PurePosixPath("/etc/voice/device-token")
DEVICE_STATE = "voice-device"
"""The device's own writable folder (under /var/lib), apart from the server's."""

# What may appear in a unit's command line without quoting: no spaces, no '%' (a systemd
# specifier), no '$' (an environment variable), no quotes or backslashes.
_SAFE_PATH = re.compile(r"/[A-Za-z0-9._+/-]*")
_SAFE_URL = re.compile(r"wss?://[A-Za-z0-9._~:/\[\]@+-]+")
_SAFE_HOST = re.compile(r"[A-Za-z0-9.:_-]+")
_USER = re.compile(r"[a-z_][a-z0-9_-]{0,31}")
_AT = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")
# ProtectHome=true hides these from the service: a voice installed there cannot start.
_HIDDEN = (PurePosixPath("/home"), PurePosixPath("/root"), PurePosixPath("/run/user"))


class Unit(StrEnum):
    """One of the two services."""

    SERVER = "server"
    DEVICE = "device"

    @property
    def file_name(self) -> str:
        """The unit's file name, e.g. ``voice-server.service``."""
        return f"voice-{self.value}.service"


@dataclass(frozen=True, slots=True)
class ServiceChoices:
    """Everything the units are rendered from; ``validated()`` before ``render``."""

    units: tuple[Unit, ...] = (Unit.SERVER, Unit.DEVICE)
    voice: PurePosixPath = DEFAULT_VOICE
    """The ``voice`` executable the units run."""
    user: str = "voice"
    data_dir: PurePosixPath = STATE_ROOT / "voice"
    config_dir: PurePosixPath = STATE_ROOT / "voice-keys"
    """Where the root key and the people's data keys live (the server writes new ones)."""
    cache_dir: PurePosixPath = CACHE_ROOT / "voice"
    host: str = "127.0.0.1"
    port: int = 8765
    url: str = "ws://127.0.0.1:8765/v1/checkin"
    """Where the device connects."""
    token_file: PurePosixPath = DEFAULT_TOKEN_FILE
    at: str = "20:30"
    """The device's daily check-in time, HH:MM."""
    device_groups: tuple[str, ...] = ("audio", "gpio")
    """The device's supplementary groups: ALSA's /dev/snd and the GPIO chip."""

    def validated(self) -> ServiceChoices:
        """Check every value; raise ConfigError naming the flag."""
        if not self.units or len(set(self.units)) != len(self.units):
            raise ConfigError("--unit must name server and/or device, each once")
        paths = {
            "--voice": self.voice,
            "--data-dir": self.data_dir,
            "--config-dir": self.config_dir,
            "--cache-dir": self.cache_dir,
            "--token-file": self.token_file,
        }
        for flag, path in paths.items():
            if not _SAFE_PATH.fullmatch(str(path)) or ".." in path.parts:
                raise ConfigError(f"{flag} must be an absolute path of letters, digits, ._+-/")
            if any(path.is_relative_to(hidden) for hidden in _HIDDEN):
                raise ConfigError(f"{flag} must not be under /home, /root or /run/user")
        dirs = (self.data_dir, self.config_dir, self.cache_dir, STATE_ROOT / DEVICE_STATE)
        if any(len(d.parts) < 3 for d in dirs):
            raise ConfigError("--data-dir, --config-dir and --cache-dir need a folder of their own")
        if any(a != b and a.is_relative_to(b) for a in dirs for b in dirs) or len(set(dirs)) < 4:
            raise ConfigError(
                f"--data-dir, --config-dir, --cache-dir and {STATE_ROOT / DEVICE_STATE} must not"
                " overlap"
            )
        if not _USER.fullmatch(self.user) or self.user == "root":
            raise ConfigError("--user must be a system user name other than root")
        if not _SAFE_HOST.fullmatch(self.host):
            raise ConfigError("--host must be an address or a host name")
        if not 1 <= self.port <= 65535:
            raise ConfigError("--port must be 1..65535")
        if not _SAFE_URL.fullmatch(self.url):
            raise ConfigError("--url must look like ws://HOST:PORT/v1/checkin")
        if any(self.token_file.is_relative_to(d) for d in dirs):
            raise ConfigError("--token-file must not be in the server's folders")
        if not _AT.fullmatch(self.at):
            raise ConfigError("--at must be HH:MM (24-hour)")
        if not all(_USER.fullmatch(g) for g in self.device_groups):
            raise ConfigError("--device-group must be a group name")
        return self


def render(choices: ServiceChoices) -> dict[str, str]:
    """File name -> text of each chosen unit, server first."""
    makers = {Unit.SERVER: _server, Unit.DEVICE: _device}
    return {u.file_name: makers[u](choices) for u in Unit if u in choices.units}


def extra_dirs(choices: ServiceChoices) -> tuple[PurePosixPath, ...]:
    """The folders that systemd does not make (outside /var/lib and /var/cache):
    install-service makes them, owned by the user."""
    dirs = (choices.data_dir, choices.config_dir, choices.cache_dir)
    return tuple(d for d in dirs if d.parent not in (STATE_ROOT, CACHE_ROOT))


def _writable(*dirs: PurePosixPath) -> str:
    """StateDirectory=/CacheDirectory= for folders right under /var/lib and /var/cache
    (systemd makes them, owned by User=, 0700); ReadWritePaths= for any other."""
    state = [d.name for d in dirs if d.parent == STATE_ROOT]
    cache = [d.name for d in dirs if d.parent == CACHE_ROOT]
    other = [str(d) for d in dirs if d.parent not in (STATE_ROOT, CACHE_ROOT)]
    lines = ["# Writable: only these (ProtectSystem=strict makes everything else read-only)."]
    if state:
        lines += [f"StateDirectory={' '.join(state)}", "StateDirectoryMode=0700"]
    if cache:
        lines += [f"CacheDirectory={' '.join(cache)}", "CacheDirectoryMode=0700"]
    if other:
        lines.append(f"ReadWritePaths={' '.join(other)}")
    return "\n".join(lines) + "\n"


def _header(unit: Unit, what: str) -> str:
    return (
        f"# {unit.file_name}: {what}\n"
        "# Rendered by `voice install-service` (voice/tools/units.py); docs/service.md says\n"
        "# why each line is here. Change it by running install-service again, or with\n"
        f"# `systemctl edit {unit.file_name}`.\n"
    )


# Shared by both units.
_RUN = """\
Restart=on-failure
RestartSec=5
# Logs go to the journal; without --log-content they never hold health content.
StandardOutput=journal
StandardError=journal
Environment=PYTHONUNBUFFERED=1
"""

# Shared by both units: each line narrows what a compromised process could reach.
_SANDBOX = """\
# The sandbox.
NoNewPrivileges=true
ProtectSystem=strict
ProtectHome=true
PrivateTmp=true
ProtectKernelTunables=true
ProtectKernelModules=true
ProtectKernelLogs=true
ProtectControlGroups=true
ProtectHostname=true
ProtectProc=invisible
RestrictNamespaces=true
RestrictSUIDSGID=true
# A service's RLIMIT_RTPRIO is 0, so this takes nothing from audio it could have had.
RestrictRealtime=true
LockPersonality=true
SystemCallArchitectures=native
SystemCallFilter=@system-service
SystemCallErrorNumber=EPERM
# No AF_NETLINK: glibc's getaddrinfo falls back without it, and nothing else needs it.
RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6
UMask=0077
# No MemoryDenyWriteExecute=: Whisper's CTranslate2 bundles oneDNN and Intel MKL, which
# write their kernels at run time (JIT) and would fail under it; onnxruntime (Piper) was
# not tried under it.
"""


def _server(c: ServiceChoices) -> str:
    dirs = f"--data-dir {c.data_dir} --config-dir {c.config_dir}"
    # A port below 1024 needs this one capability; any other port needs none.
    caps = "CAP_NET_BIND_SERVICE" if c.port < 1024 else ""
    ambient = f"AmbientCapabilities={caps}\n" if caps else ""
    return f"""\
{_header(Unit.SERVER, "the check-in server, sandboxed.")}
[Unit]
Description=voice check-in server
After=network-online.target
Wants=network-online.target

[Service]
Type=exec
User={c.user}
Group={c.user}
# Makes the root key on the first start; afterwards it checks that the key fits the
# database and changes nothing (a missing or wrong key stops the start).
ExecStartPre={c.voice} init {dirs}
ExecStart={c.voice} serve --host {c.host} --port {c.port} {dirs} --cache-dir {c.cache_dir}
# VOICE_* settings (docs/deploy.md), e.g. VOICE_LLM_URL; never VOICE_LOG_CONTENT.
EnvironmentFile=-{ENV_FILE}
SyslogIdentifier=voice-server
{_RUN}
{_writable(c.data_dir, c.config_dir, c.cache_dir)}
# No devices, no clock, no capabilities (but CAP_NET_BIND_SERVICE for a port below 1024).
PrivateDevices=true
ProtectClock=true
CapabilityBoundingSet={caps}
{ambient}{_SANDBOX}
[Install]
WantedBy=multi-user.target
"""


def _device(c: ServiceChoices) -> str:
    home = STATE_ROOT / DEVICE_STATE
    etc = PurePosixPath("/etc")
    folder = c.token_file.parent
    config = (
        f"ConfigurationDirectory={folder.relative_to(etc)}\n"
        if folder.is_relative_to(etc) and folder != etc
        else ""
    )
    groups = f"SupplementaryGroups={' '.join(c.device_groups)}\n" if c.device_groups else ""
    return f"""\
{_header(Unit.DEVICE, "the home device's daily check-in, sandboxed.")}
[Unit]
Description=voice home device
After=network-online.target {Unit.SERVER.file_name}
Wants=network-online.target

[Service]
Type=exec
User={c.user}
Group={c.user}
ExecStart={c.voice} device --url {c.url} --token-file {c.token_file} --at {c.at}
# Its local voice is the server's Piper model, from the same cache.
Environment=VOICE_CACHE_DIR={c.cache_dir}
# A home and working folder of its own (GPIO libraries write small files there).
Environment=HOME={home}
WorkingDirectory={home}
SyslogIdentifier=voice-device
{_RUN}
{_writable(home, c.cache_dir)}
# The server's data and keys are hidden from it (it runs as the same user).
InaccessiblePaths=-{c.data_dir} -{c.config_dir}
{config}
# The microphone and speaker (ALSA, /dev/snd) and the GPIO chip, by group. Not
# PrivateDevices= (it would hide them), nor ProtectClock= (it implies a device allow-list).
{groups}CapabilityBoundingSet=
{_SANDBOX}
[Install]
WantedBy=multi-user.target
"""


if __name__ == "__main__":
    # python -m voice.tools.units deploy: the default units, as the repository ships them.
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "deploy")
    for name, text in render(ServiceChoices().validated()).items():
        (folder / name).write_text(text, encoding="utf-8")
