"""The edge's pure policies: binding, Host, Origin, local clients."""

from __future__ import annotations

import pytest

from voice.errors import ConfigError
from voice.server.edge import (
    OriginPolicy,
    binding_problem,
    is_local_client,
    is_loopback,
    normalise_origin,
)


def test_loopback() -> None:
    for host in ("127.0.0.1", "127.8.9.1", "::1", "[::1]", "localhost", "LOCALHOST"):
        assert is_loopback(host)
    for host in ("0.0.0.0", "::", "192.168.1.2", "example.org", "localhost.example.org"):
        assert not is_loopback(host)


def test_binding_needs_accounts_then_tls_or_an_explicit_insecure_flag() -> None:
    assert binding_problem("127.0.0.1", accounts=False, tls=False, insecure_http=False) is None
    problem = binding_problem("0.0.0.0", accounts=False, tls=False, insecure_http=True)
    assert problem is not None and "voice user add" in problem
    problem = binding_problem("0.0.0.0", accounts=True, tls=False, insecure_http=False)
    assert problem is not None and "--tls-cert" in problem and "--insecure-http" in problem
    assert binding_problem("0.0.0.0", accounts=True, tls=True, insecure_http=False) is None
    assert binding_problem("0.0.0.0", accounts=True, tls=False, insecure_http=True) is None


def test_origins_are_normalised_and_checked() -> None:
    assert normalise_origin("HTTPS://Check.Example.org:443/") == "https://check.example.org"
    assert normalise_origin("http://localhost:8765") == "http://localhost:8765"
    for bad in ("check.example.org", "https://x.org/path", "ftp://x.org", "https://u@x.org"):
        with pytest.raises(ConfigError):
            normalise_origin(bad)


def test_loopback_server_answers_only_to_loopback_names() -> None:
    policy = OriginPolicy.for_server("127.0.0.1", ["https://checkin.example.org"])
    assert policy.host_ok("127.0.0.1:8765")
    assert policy.host_ok("localhost:8765")
    assert policy.host_ok("[::1]:8765")
    assert policy.host_ok("checkin.example.org")  # the reverse proxy's name
    assert not policy.host_ok("evil.example:8765")  # DNS rebinding
    assert not policy.host_ok(None)
    assert not policy.host_ok("")
    assert OriginPolicy.for_server("0.0.0.0").host_ok("anything.example")


def test_origin_must_be_the_servers_own_or_allowed() -> None:
    policy = OriginPolicy.for_server("127.0.0.1", ["https://checkin.example.org"])
    host = "127.0.0.1:8765"
    assert policy.origin_ok(None, host)  # a native client (it still authenticates)
    assert policy.origin_ok("http://127.0.0.1:8765", host)
    assert policy.origin_ok("https://checkin.example.org", host)
    assert not policy.origin_ok("http://127.0.0.1:9999", host)
    assert not policy.origin_ok("http://localhost:8765", host)  # another origin
    assert not policy.origin_ok("https://evil.example", host)
    assert not policy.origin_ok("null", host)
    assert not policy.origin_ok("http://127.0.0.1:notaport", host)
    headers = {"host": "evil.example:8765", "origin": "http://evil.example:8765"}
    assert not policy.request_ok(headers, changes_state=True)  # rebinding: Host refused
    assert policy.request_ok({"host": host}, changes_state=False)


def test_local_clients_are_loopback_and_not_relayed() -> None:
    local = {"host": "127.0.0.1:8765"}
    assert is_local_client("127.0.0.1", local)
    assert is_local_client("::1", {"host": "[::1]:8765"})
    assert is_local_client("127.0.0.1", {"host": "localhost:8765"})
    assert not is_local_client("192.168.1.20", local)
    assert not is_local_client(None, local)
    assert not is_local_client("127.0.0.1", {**local, "x-forwarded-for": "203.0.113.9"})
    assert not is_local_client("127.0.0.1", {**local, "forwarded": "for=203.0.113.9"})
    # A proxy on this machine that forwards no header still asks for its public name.
    assert not is_local_client("127.0.0.1", {"host": "checkin.example.org"})
    assert not is_local_client("127.0.0.1", {})
