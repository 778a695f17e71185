"""``voice init``, ``voice user erase|export|retention`` and ``voice audit verify|list``: the
root key, and what people keep, handled on the server's machine. Each act that touches a
person's records is an audit entry (the administrator is the actor)."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime

from voice.errors import AccountError
from voice.records import Records, initialise
from voice.records.erase import erase_person, set_retention
from voice.records.export import export_person, write_export
from voice.server.run import open_engine, open_records, passphrase
from voice.settings import Settings

RECORDS_COMMANDS = ("init", "audit")
RECORDS_ACTIONS = ("erase", "export", "retention")
ADMIN = "admin"
MAX_RETENTION_DAYS = 36500


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Carry out one records command."""
    engine = open_engine(settings)
    now = datetime.now(UTC)
    if args.command == "init":
        if settings.config_dir.resolve().is_relative_to(settings.data_dir.resolve()):
            raise AccountError("config_dir must not be inside data_dir: keys never sit beside data")
        print(initialise(engine, settings.config_dir, passphrase(), now))
        return 0
    records = open_records(settings, engine)
    if args.command == "audit":
        return _audit(records, args.action)
    name = args.name
    subject = f"person:{name}"
    if args.action == "erase":
        if not args.yes and not _confirmed(name):
            print("nothing was erased")
            return 1
        erase_person(engine, records.keyring, name, now)
        records.audit.append(ADMIN, "erase", subject, now)
        print(f"erased everything kept of {name}; their key is destroyed and their name retired")
    elif args.action == "export":
        files = export_person(records.reader, records.documents, name, now)
        try:
            write_export(files, args.dir)
        except (FileExistsError, OSError) as exc:
            raise AccountError(f"the export could not be written to {args.dir}: {exc}") from None
        records.audit.append(ADMIN, "export", subject, now)
        print(f"wrote {len(files)} files to {args.dir} (health data: keep them private)")
    else:
        days = _days(args.days)
        set_retention(engine, name, days)
        records.audit.append(ADMIN, "retention", subject, now)
        kept = "until erased" if days is None else f"for {days} days"
        print(f"{name}'s recordings are kept {kept}")
    return 0


def _audit(records: Records, action: str) -> int:
    if action == "list":
        for e in records.audit.entries():
            print(f"{e.seq}\t{e.at.isoformat()}\t{e.actor}\t{e.action}\t{e.subject}")
        return 0
    problems = records.audit.verify()
    for problem in problems:
        print(problem)
    count = len(records.audit.entries())
    print(f"{count} entries; the chain is {'BROKEN' if problems else 'whole'}")
    return 1 if problems else 0


def _days(raw: str) -> int | None:
    if raw.strip().lower() == "off":
        return None
    try:
        days = int(raw)
    except ValueError:
        raise AccountError("days must be a whole number, or 'off'") from None
    if not 1 <= days <= MAX_RETENTION_DAYS:
        raise AccountError(f"days must be 1..{MAX_RETENTION_DAYS}, or 'off'")
    return days


def _confirmed(name: str) -> bool:
    if not sys.stdin.isatty():
        raise AccountError("erase asks for confirmation: run it in a terminal, or pass --yes")
    answer = input(f"erase everything kept of {name}, for good? type their name to confirm: ")
    return answer.strip() == name
