"""Who may reach the server at all, as pure functions of the request: the bind address,
the ``Host`` and ``Origin`` headers, the client's address, and the headers every page gets.

Loopback without accounts is the only open mode. A server on a loopback address also only
answers to loopback host names (or an allowed origin's), so a page that rebinds its own
name to 127.0.0.1 is still refused; an ``Origin`` must be the server's own or an allowed
one, so another site's page cannot drive a check-in from the person's browser.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from voice.errors import ConfigError

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}
# Headers a reverse proxy adds: a relayed request is not a local one, whatever its address.
FORWARDED_HEADERS = ("forwarded", "x-forwarded-for", "x-real-ip")

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; media-src 'self' blob:; object-src 'none'; "
    "base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS: Mapping[str, str] = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cache-control": "no-store",
}


def is_loopback(host: str) -> bool:
    """True for a loopback name or address (``localhost``, ``127.x``, ``::1``)."""
    name = host.strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def binding_problem(host: str, *, accounts: bool, tls: bool, insecure_http: bool) -> str | None:
    """Why the server must not listen on ``host`` as configured (a sentence naming the
    fix), or ``None``."""
    if is_loopback(host):
        return None
    if not accounts:
        return (
            f"listening on {host} needs accounts: add a person with 'voice user add NAME' "
            "first, or listen on 127.0.0.1"
        )
    if not tls and not insecure_http:
        return (
            f"listening on {host} without TLS would send voices and words in the clear: "
            "give --tls-cert and --tls-key, or, behind a TLS reverse proxy, --insecure-http"
        )
    return None


def normalise_origin(origin: str) -> str:
    """``scheme://host[:port]`` in lower case, the default port dropped; ConfigError when
    ``origin`` is not an origin (a path, a query, no host)."""
    parts = urlsplit(origin.strip())
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or parts.username
    ):
        raise ConfigError("allowed_origin must look like https://HOST or https://HOST:PORT")
    return _origin(parts.scheme, parts.hostname, parts.port)


def _origin(scheme: str, hostname: str, port: int | None) -> str:
    host = f"[{hostname}]" if ":" in hostname else hostname.lower()
    if port is None or port == _DEFAULT_PORTS.get(scheme):
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def _host_and_port(value: str) -> tuple[str, int | None] | None:
    try:
        parts = urlsplit(f"//{value.strip()}")
        return (parts.hostname or "", parts.port) if parts.hostname else None
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class OriginPolicy:
    """Which ``Host`` and ``Origin`` headers a request may carry."""

    loopback_only: bool
    """The server listens on a loopback address: the Host must name loopback (or an
    allowed origin's host)."""
    allowed_origins: frozenset[str] = frozenset()

    @classmethod
    def for_server(cls, bind_host: str, allowed: Iterable[str] = ()) -> OriginPolicy:
        """The policy of a server listening on ``bind_host``."""
        return cls(is_loopback(bind_host), frozenset(normalise_origin(o) for o in allowed))

    def host_ok(self, host_header: str | None) -> bool:
        """May a request with this ``Host`` header be answered?"""
        if not self.loopback_only:
            return True
        found = _host_and_port(host_header or "")
        if found is None:
            return False
        name = found[0]
        if name in LOOPBACK_NAMES or is_loopback(name):
            return True
        return any(urlsplit(o).hostname == name for o in self.allowed_origins)

    def origin_ok(self, origin: str | None, host_header: str | None) -> bool:
        """May a request from ``origin`` change state? No ``Origin`` (a native client) is
        allowed here; it still has to authenticate."""
        if origin is None:
            return True
        parts = urlsplit(origin)
        try:
            port = parts.port
        except ValueError:
            return False
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return False
        normal = _origin(parts.scheme, parts.hostname, port)
        if normal in self.allowed_origins:
            return True
        own = _host_and_port(host_header or "")
        if own is None:
            return False
        # The page's own origin: same host and port as the request was sent to.
        return normal in {_origin(s, own[0], own[1]) for s in ("http", "https")}

    def request_ok(self, headers: Mapping[str, str], *, changes_state: bool) -> bool:
        """Host always; Origin for websockets and state-changing requests."""
        host = headers.get("host")
        if not self.host_ok(host):
            return False
        return not changes_state or self.origin_ok(headers.get("origin"), host)


def is_local_client(address: str | None, headers: Mapping[str, str]) -> bool:
    """A client on this machine that asked for this machine by a loopback name, not relayed
    by a proxy (the open mode's only clients)."""
    if address is None or not is_loopback(address):
        return False
    if any(name in headers for name in FORWARDED_HEADERS):
        return False
    found = _host_and_port(headers.get("host", ""))
    return found is not None and is_loopback(found[0])
