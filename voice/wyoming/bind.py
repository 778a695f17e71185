"""Where ``voice wyoming`` may listen (pure).

Wyoming has no authentication: whoever reaches the port can have speech transcribed and
talk to the companion. So the server listens on loopback (or a unix socket)
unless the operator says ``--allow-remote``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from voice.errors import ConfigError
from voice.server.edge import is_loopback

DEFAULT_URI = "tcp://127.0.0.1:10300"

_SHAPE = "--uri must look like tcp://127.0.0.1:10300 or unix:///PATH"


def check_uri(uri: str, *, allow_remote: bool) -> bool:
    """Whether ``uri`` is reachable from other machines; raises ConfigError when it is
    malformed, or reachable from elsewhere without ``allow_remote``."""
    parts = urlsplit(uri)
    if parts.scheme == "unix" and parts.path:
        return False
    if parts.scheme != "tcp":
        raise ConfigError(_SHAPE)
    try:
        port = parts.port
    except ValueError:
        raise ConfigError("--uri has a port outside 0..65535") from None
    if not parts.hostname or port is None:
        raise ConfigError(_SHAPE)
    if is_loopback(parts.hostname):
        return False
    if not allow_remote:
        raise ConfigError(
            f"--uri {parts.hostname} can be reached from other machines, and Wyoming has no "
            "authentication: listen on 127.0.0.1 (Home Assistant on this machine), or add "
            "--allow-remote behind a firewall that lets only Home Assistant in"
        )
    return True
