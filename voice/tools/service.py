"""``voice install-service``: write the systemd units of ``voice/tools/units.py``, check them
with ``systemd-analyze verify``, create the service user and enable them. Exit status 0
installed, 1 failed (nothing is installed when the check fails), 2 bad arguments."""

from __future__ import annotations

import argparse
import grp
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from voice.errors import ConfigError
from voice.tools.units import ServiceChoices, Unit, extra_dirs, render

UNIT_DIR = Path("/etc/systemd/system")
VERIFY = ("verify", "--man=no", "--generators=no")
"""``systemd-analyze`` arguments: no man-page lookups and no generators, so the check works
offline and without systemd running (in a container, in the tests)."""


class InstallFailed(Exception):
    """A step of the installation failed; the message says which and what to do."""


def add_parsers(sub: Any) -> None:
    """The ``install-service`` sub-command."""
    d = ServiceChoices()
    p = sub.add_parser("install-service", help="install the server and device as systemd units")
    p.add_argument(
        "--unit",
        dest="units",
        action="append",
        choices=[u.value for u in Unit],
        help="which unit (repeatable; default: server and device)",
    )
    p.add_argument("--voice", type=Path, help="the voice executable (default: this one)")
    p.add_argument("--user", default=d.user, help=f"the service user ({d.user})")
    p.add_argument("--data-dir", type=PurePosixPath, default=d.data_dir, help=f"({d.data_dir})")
    p.add_argument(
        "--config-dir",
        type=PurePosixPath,
        default=d.config_dir,
        help=f"where the keys live, apart from the data ({d.config_dir})",
    )
    p.add_argument("--cache-dir", type=PurePosixPath, default=d.cache_dir, help=f"({d.cache_dir})")
    p.add_argument("--host", default=d.host, help=f"where the server listens ({d.host})")
    p.add_argument("--port", type=int, default=d.port, help=f"({d.port})")
    p.add_argument("--url", default=d.url, help=f"where the device connects ({d.url})")
    p.add_argument(
        "--token-file",
        type=PurePosixPath,
        default=d.token_file,
        help=f"the device's pairing token, 0600 ({d.token_file})",
    )
    p.add_argument("--at", default=d.at, help=f"the device's daily check-in, HH:MM ({d.at})")
    p.add_argument(
        "--device-group",
        dest="device_groups",
        action="append",
        help=f"the device's groups (repeatable; default: {' '.join(d.device_groups)})",
    )
    p.add_argument("--unit-dir", type=Path, default=UNIT_DIR, help=f"where units go ({UNIT_DIR})")
    p.add_argument("--no-user", action="store_true", help="do not create the service user")
    p.add_argument("--no-enable", action="store_true", help="write and check, do not enable")
    p.add_argument("--dry-run", action="store_true", help="print the units; change nothing")


def choices_from(args: argparse.Namespace) -> ServiceChoices:
    """The choices the flags make; groups this machine lacks are left out (said on stderr),
    since systemd refuses to start a unit whose group does not exist."""
    voice = args.voice or Path(os.path.abspath(sys.executable)).parent / "voice"
    groups = tuple(args.device_groups or ServiceChoices().device_groups)
    present = tuple(g for g in groups if group_exists(g))
    units = tuple(Unit(u) for u in args.units) if args.units else (Unit.SERVER, Unit.DEVICE)
    if Unit.DEVICE in units and present != groups:
        missing = " ".join(g for g in groups if g not in present)
        print(f"note: no group {missing} here: the device unit leaves it out", file=sys.stderr)
    return ServiceChoices(
        units=units,
        voice=PurePosixPath(voice),
        user=args.user,
        data_dir=args.data_dir,
        config_dir=args.config_dir,
        cache_dir=args.cache_dir,
        host=args.host,
        port=args.port,
        url=args.url,
        token_file=args.token_file,
        at=args.at,
        device_groups=present,
    ).validated()


def dry_run_text(units: dict[str, str], unit_dir: Path) -> str:
    """What ``--dry-run`` prints: each unit under a line naming where it would go."""
    return "".join(f"# ==> {unit_dir / name} <==\n{text}\n" for name, text in units.items())


def verify(files: Sequence[Path], root: Path | None = None) -> list[str]:
    """What ``systemd-analyze verify`` says against ``files`` (empty: they are sound). It
    exits 0 on some mistakes (an unknown directive is only a warning), so any line naming
    one of the files counts too. With ``root``, the files must lie inside it."""
    tool = shutil.which("systemd-analyze")
    if tool is None:
        raise InstallFailed("systemd-analyze is missing: install systemd (it checks the units)")
    where = [f"--root={root}"] if root is not None else []
    done = subprocess.run(
        [tool, *VERIFY, *where, *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "SYSTEMD_LOG_COLOR": "0"},
    )
    lines = (done.stdout + done.stderr).splitlines()
    names = tuple(f.name for f in files)
    problems = [line for line in lines if any(name in line for name in names)]
    if done.returncode != 0 and not problems:
        problems = lines or [f"systemd-analyze verify exited {done.returncode}"]
    return problems


def useradd_command(choices: ServiceChoices) -> list[str]:
    """The command that makes the service user: a system account, no login, its own group."""
    nologin = next(
        (s for s in ("/usr/sbin/nologin", "/sbin/nologin") if Path(s).exists()), "/bin/false"
    )
    return [
        "useradd", "--system", "--user-group", "--no-create-home",
        "--home-dir", str(choices.data_dir), "--shell", nologin, choices.user,
    ]  # fmt: skip


def run(args: argparse.Namespace) -> int:
    """Carry out ``voice install-service``; bad flags raise ConfigError (exit 2)."""
    choices = choices_from(args)
    units = render(choices)
    if args.dry_run:
        sys.stdout.write(dry_run_text(units, args.unit_dir))
        return 0
    try:
        _install(args, choices, units)
    except InstallFailed as exc:
        print(f"voice install-service: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # a folder it may not write
        print(f"voice install-service: {exc.filename}: {exc.strerror}", file=sys.stderr)
        return 1
    return 0


def _install(args: argparse.Namespace, choices: ServiceChoices, units: dict[str, str]) -> None:
    voice = Path(choices.voice)
    if not (voice.is_file() and os.access(voice, os.X_OK)):
        raise ConfigError(f"--voice: no voice executable at {voice}")
    if (not args.no_user or not args.no_enable) and os.geteuid() != 0:
        raise InstallFailed(
            "creating the user and enabling the units needs root: run it with sudo"
            " (--no-user --no-enable only writes the units)"
        )
    needed = ["systemd-analyze"] + ([] if args.no_enable else ["systemctl"])
    needed += [] if args.no_user or _user_exists(choices.user) else ["useradd"]
    missing = [tool for tool in needed if shutil.which(tool) is None]
    if missing:
        raise InstallFailed(f"{' and '.join(missing)} missing: this needs a systemd machine")

    with tempfile.TemporaryDirectory(prefix="voice-units-") as tmp:
        staged = [_write(Path(tmp), name, text) for name, text in units.items()]
        problems = verify(staged)
        if problems:
            raise InstallFailed(
                "systemd-analyze verify rejected the units; nothing was installed:\n"
                + "\n".join(problems)
            )
        if not args.no_user and not _user_exists(choices.user):
            _command(useradd_command(choices))
            print(f"created the system user {choices.user}")
        _make_dirs(choices)
        args.unit_dir.mkdir(parents=True, exist_ok=True)
        for path in staged:
            _write(args.unit_dir, path.name, path.read_text(encoding="utf-8"))
    print(f"wrote {', '.join(str(args.unit_dir / name) for name in units)}")
    if args.no_enable:
        print(f"to start them: systemctl daemon-reload && systemctl enable --now {' '.join(units)}")
    else:
        _command(["systemctl", "daemon-reload"])
        _command(["systemctl", "enable", "--now", *units])
        print(f"enabled and started; after an update: systemctl restart {' '.join(units)}")
    _advise(choices)


def _advise(choices: ServiceChoices) -> None:
    """What the operator still has to do, on stderr."""
    if Unit.SERVER in choices.units:
        print(
            f"the server makes its root key at first start in {choices.config_dir}:"
            " back it up apart from the data (docs/storage.md)",
            file=sys.stderr,
        )
    if Unit.DEVICE not in choices.units:
        return
    token = Path(choices.token_file)
    if not token.exists():
        print(
            f"the device needs its pairing token in {token} (0600, owned by {choices.user}):"
            " see docs/service.md",
            file=sys.stderr,
        )
    elif token.stat().st_mode & 0o077:
        print(f"{token} is readable by others: chmod 0600 {token}", file=sys.stderr)


def _make_dirs(choices: ServiceChoices) -> None:
    """Folders outside /var/lib and /var/cache, which systemd does not make; as root only,
    since they must belong to the service user."""
    if os.geteuid() != 0 or not _user_exists(choices.user):
        return
    for folder in map(Path, extra_dirs(choices)):
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        shutil.chown(folder, choices.user, choices.user)


def _write(folder: Path, name: str, text: str) -> Path:
    """Write one unit whole (a temporary file renamed), 0644 like every unit."""
    path = folder / name
    partial = folder / f".{name}.partial"
    partial.write_text(text, encoding="utf-8")
    partial.chmod(0o644)
    partial.replace(path)
    return path


def _command(argv: list[str]) -> None:
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        output = (done.stdout + done.stderr).strip()
        raise InstallFailed(f"{' '.join(argv)} failed (exit {done.returncode}):\n{output}")


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def group_exists(name: str) -> bool:
    """Whether this machine has the group ``name``."""
    try:
        grp.getgrnam(name)
    except KeyError:
        return False
    return True
