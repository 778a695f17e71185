"""``voice user``, ``voice therapist``, ``voice link``, ``voice unlink``, ``voice init`` and
``voice audit``: the accounts and their records, managed on the server's machine (there is
no remote administration)."""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from voice.errors import AccountError
from voice.server.run import open_accounts
from voice.settings import Settings
from voice.tools.records import RECORDS_ACTIONS, RECORDS_COMMANDS
from voice.tools.records import run as run_records

PAIRING_FRAGMENT = "#pair="
"""The web client reads the token from this fragment (never sent to the server, never
logged by a proxy), keeps it and removes it from the address bar."""


def add_parsers(sub: Any) -> None:
    """The account sub-commands."""
    user = sub.add_parser("user", help="people who check in: add, list, token, revoke")
    user_sub = user.add_subparsers(dest="action", required=True)
    add = user_sub.add_parser("add", help="create a person and print their pairing token")
    add.add_argument("name")
    _common(add)
    _common(user_sub.add_parser("list", help="list people (never their tokens)"))
    token = user_sub.add_parser("token", help="issue a new pairing token")
    token.add_argument("name")
    token.add_argument("--rotate", action="store_true", help="replace the token (required)")
    _common(token)
    revoke = user_sub.add_parser("revoke", help="withdraw a person's pairing")
    revoke.add_argument("name")
    _common(revoke)
    erase = user_sub.add_parser("erase", help="erase everything kept of a person, for good")
    erase.add_argument("name")
    erase.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    _common(erase)
    export = user_sub.add_parser("export", help="write a person's check-ins into a folder")
    export.add_argument("name")
    export.add_argument("dir", type=Path, help="a new or empty folder")
    _common(export)
    retention = user_sub.add_parser("retention", help="erase recordings after N days")
    retention.add_argument("name")
    retention.add_argument("days", help="a number of days, or 'off' to keep until erased")
    _common(retention)

    init = sub.add_parser("init", help="create the root key that seals what people keep")
    _common(init)
    audit = sub.add_parser("audit", help="the audit log: verify its chain, or list it")
    audit_sub = audit.add_subparsers(dest="action", required=True)
    _common(audit_sub.add_parser("verify", help="report edited, removed or reordered entries"))
    _common(audit_sub.add_parser("list", help="print every entry"))

    therapist = sub.add_parser("therapist", help="therapists who sign in: add, list")
    therapist_sub = therapist.add_subparsers(dest="action", required=True)
    tadd = therapist_sub.add_parser("add", help="create a therapist with a password")
    tadd.add_argument("name")
    tadd.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    _common(tadd)
    _common(therapist_sub.add_parser("list", help="list therapists"))

    for name, text in (("link", "link a person and a therapist"), ("unlink", "remove a link")):
        link = sub.add_parser(name, help=text)
        link.add_argument("person")
        link.add_argument("therapist")
        _common(link)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data-dir", type=Path, help="the server's data directory (default XDG data)")
    p.add_argument("--database-url", help="the server's database, if not the default")
    p.add_argument("--config-dir", type=Path, help="where the keys live (default XDG config)")
    p.add_argument(
        "--url", help="the address people open, for the pairing link (default: this server)"
    )


def pairing_link(base: str, token: str) -> str:
    """The web client's address with the token in its fragment."""
    return f"{base.rstrip('/')}/{PAIRING_FRAGMENT}{token}"


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Carry out one account command; errors are AccountError (printed by the CLI)."""
    if args.command in RECORDS_COMMANDS or getattr(args, "action", None) in RECORDS_ACTIONS:
        return run_records(args, settings)
    store = open_accounts(settings)
    now = datetime.now(UTC)
    base = args.url or _default_base(settings)
    if args.command == "user":
        if args.action == "add":
            _print_token(base, store.add_person(args.name, now))
        elif args.action == "list":
            for p in store.people():
                state = "revoked" if p.revoked else f"token from {p.token_issued_at:%Y-%m-%d}"
                linked = ", ".join(p.therapists) or "no therapist"
                print(f"{p.name}\t{state}\t{linked}")
        elif args.action == "token":
            if not args.rotate:
                raise AccountError(
                    "tokens are kept only as hashes and cannot be shown again; "
                    "use --rotate to issue a new one (the old one stops working)"
                )
            _print_token(base, store.rotate_token(args.name, now))
        else:
            store.revoke_person(args.name, now)
            print(f"revoked {args.name}: their token no longer connects")
    elif args.command == "therapist":
        if args.action == "add":
            store.add_therapist(args.name, _read_password(args.password_stdin), now)
            print(f"added therapist {args.name}")
        else:
            for t in store.therapists():
                print(f"{t.name}\tsince {t.created_at:%Y-%m-%d}\t{', '.join(t.people) or '-'}")
    elif args.command == "link":
        done = store.link(args.person, args.therapist, now)
        print(f"linked {args.person} and {args.therapist}" if done else "already linked")
    else:
        done = store.unlink(args.person, args.therapist)
        print(f"unlinked {args.person} and {args.therapist}" if done else "they were not linked")
    return 0


def _default_base(settings: Settings) -> str:
    scheme = "https" if settings.tls_cert is not None else "http"
    host = "localhost" if settings.host in ("127.0.0.1", "::1") else settings.host
    return f"{scheme}://{host}:{settings.port}"


def _print_token(base: str, token: str) -> None:
    print(f"pairing link (open it once on the person's device): {pairing_link(base, token)}")
    print(token)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        return line.removesuffix("\n").removesuffix("\r")
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise AccountError("the two passwords differ")
    return first
