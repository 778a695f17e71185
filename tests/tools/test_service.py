"""``voice install-service`` and the units in ``deploy/``: the real ``systemd-analyze``
accepts them (verify, and the security review), they carry the sandbox, and what the
command prints or writes is exactly what the renderer makes."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path, PurePosixPath

import pytest
from paths import REPO  # type: ignore[import-not-found]

from voice.cli import main
from voice.errors import ConfigError
from voice.tools import service
from voice.tools.units import DEFAULT_VOICE, ServiceChoices, Unit, render

ANALYZE = "/usr/bin/systemd-analyze"
UNIT_PATH = Path("/usr/lib/systemd/system")
VENV_VOICE = Path(os.path.abspath(sys.executable)).parent / "voice"
NAMES = ("voice-server.service", "voice-device.service")


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A file-system root for ``systemd-analyze --root``: the system's own unit files (so
    network-online.target and the rest resolve) and a ``voice`` at the default path, so
    the units in deploy/ are checked as they are, ExecStart included."""
    top = tmp_path_factory.mktemp("root")
    shutil.copytree(UNIT_PATH, top / "usr/lib/systemd/system", symlinks=True)
    (top / "lib").symlink_to("usr/lib")  # the units' own absolute links
    (top / "etc/systemd/system").mkdir(parents=True)
    voice = top / str(DEFAULT_VOICE).lstrip("/")
    voice.parent.mkdir(parents=True)
    voice.write_text("#!/bin/sh\n", encoding="utf-8")
    voice.chmod(0o755)
    return top


def _install_in(root: Path, units: dict[str, str]) -> list[Path]:
    folder = root / "etc/systemd/system"
    for old in folder.iterdir():
        old.unlink()
    for name, text in units.items():
        (folder / name).write_text(text, encoding="utf-8")
    return [folder / name for name in units]


def _analyze(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ANALYZE, *args], capture_output=True, text=True, check=False, timeout=30)


def _assert_clean(done: subprocess.CompletedProcess[str]) -> None:
    """Exit 0 is not enough: an unknown directive is only a warning."""
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert not [line for line in output.splitlines() if any(n in line for n in NAMES)], output


def _service_section(text: str) -> dict[str, list[str]]:
    """Key -> values of the [Service] section (keys may repeat), comments left out."""
    found: dict[str, list[str]] = {}
    section = ""
    for line in text.splitlines():
        if line.startswith("["):
            section = line
        elif section == "[Service]" and line and not line.startswith("#"):
            key, _, value = line.partition("=")
            found.setdefault(key, []).append(value)
    return found


def _expected(**changes: object) -> ServiceChoices:
    """What install-service renders here with these flags: this venv's voice, and only the
    device groups this machine has."""
    groups = tuple(g for g in ServiceChoices().device_groups if service.group_exists(g))
    values = {"voice": PurePosixPath(VENV_VOICE), "device_groups": groups, **changes}
    return replace(ServiceChoices(), **values).validated()  # type: ignore[arg-type]


def test_the_units_in_deploy_are_the_default_rendering() -> None:
    shipped = {p.name: p.read_text(encoding="utf-8") for p in (REPO / "deploy").glob("*.service")}
    assert shipped == render(ServiceChoices().validated()), (
        "deploy/ drifted: run .venv/bin/python -m voice.tools.units deploy"
    )
    assert sorted(shipped) == sorted(NAMES)


def test_systemd_analyze_verify_accepts_the_units_in_deploy(root: Path) -> None:
    files = _install_in(root, render(ServiceChoices().validated()))
    for path in files:  # byte for byte what deploy/ holds
        assert path.read_bytes() == (REPO / "deploy" / path.name).read_bytes()
    _assert_clean(_analyze("verify", *service.VERIFY[1:], f"--root={root}", *map(str, files)))
    assert service.verify(files, root) == []


def test_systemd_analyze_verify_accepts_rendered_units_with_other_choices(
    tmp_path: Path,
) -> None:
    choices = _expected(
        data_dir=PurePosixPath("/srv/voice/data"),  # not under /var/lib: ReadWritePaths=
        config_dir=PurePosixPath("/srv/voice/keys"),
        port=443,
        host="0.0.0.0",
        at="07:15",
        device_groups=("audio",),
    )
    for name, text in render(choices).items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    _assert_clean(_analyze(*service.VERIFY, *(str(tmp_path / n) for n in NAMES)))


def test_the_security_review_rates_both_units_well_protected(root: Path) -> None:
    files = _install_in(root, render(ServiceChoices().validated()))
    limits = {"voice-server.service": 2.0, "voice-device.service": 2.5}  # 10 is unprotected
    for path in files:
        done = _analyze("security", "--offline=true", f"--root={root}", str(path))
        assert done.returncode == 0, done.stderr
        level = re.search(r"exposure level for \S+: (\d+\.\d)", done.stdout)
        assert level, done.stdout
        assert float(level.group(1)) <= limits[path.name], done.stdout


def test_every_unit_carries_the_sandbox_and_no_content_logging() -> None:
    for name, text in render(ServiceChoices().validated()).items():
        s = _service_section(text)
        for key, value in {
            "User": "voice", "Group": "voice", "ProtectSystem": "strict",
            "ProtectHome": "true", "PrivateTmp": "true", "NoNewPrivileges": "true",
            "Restart": "on-failure", "RestartSec": "5", "StandardOutput": "journal",
            "StandardError": "journal", "LockPersonality": "true", "RestrictRealtime": "true",
            "SystemCallArchitectures": "native", "UMask": "0077",
            "RestrictAddressFamilies": "AF_UNIX AF_INET AF_INET6", "CapabilityBoundingSet": "",
        }.items():  # fmt: skip
            assert s.get(key) == [value], f"{name}: {key}"
        assert "PYTHONUNBUFFERED=1" in s["Environment"]
        assert "MemoryDenyWriteExecute" not in s
        settings = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
        assert "log-content" not in settings
        assert "LOG_CONTENT" not in settings


def test_the_server_unit_makes_its_key_and_keeps_to_its_folders() -> None:
    s = _service_section(render(ServiceChoices().validated())["voice-server.service"])
    dirs = "--data-dir /var/lib/voice --config-dir /var/lib/voice-keys"
    assert s["ExecStartPre"] == [f"{DEFAULT_VOICE} init {dirs}"]
    assert s["ExecStart"] == [
        f"{DEFAULT_VOICE} serve --host 127.0.0.1 --port 8765 {dirs} --cache-dir /var/cache/voice"
    ]
    assert s["StateDirectory"] == ["voice voice-keys"]
    assert s["CacheDirectory"] == ["voice"]
    assert s["StateDirectoryMode"] == ["0700"]
    assert "ReadWritePaths" not in s
    assert s["PrivateDevices"] == ["true"]


def test_the_device_unit_reaches_sound_and_gpio_but_not_the_servers_data() -> None:
    text = render(ServiceChoices().validated())["voice-device.service"]
    s = _service_section(text)
    assert s["ExecStart"] == [
        f"{DEFAULT_VOICE} device --url ws://127.0.0.1:8765/v1/checkin"
        " --token-file /etc/voice/device-token --at 20:30"
    ]
    assert "After=network-online.target voice-server.service" in text.splitlines()
    assert "Wants=network-online.target" in text.splitlines()
    assert "PrivateDevices" not in s
    assert s["SupplementaryGroups"] == ["audio gpio"]
    assert s["InaccessiblePaths"] == ["-/var/lib/voice -/var/lib/voice-keys"]
    assert s["StateDirectory"] == ["voice-device"]


def test_choices_shape_the_units() -> None:
    units = render(
        replace(
            ServiceChoices(),
            units=(Unit.SERVER,),
            port=443,
            data_dir=PurePosixPath("/srv/voice"),
        ).validated()
    )
    assert list(units) == ["voice-server.service"]
    s = _service_section(units["voice-server.service"])
    assert s["CapabilityBoundingSet"] == ["CAP_NET_BIND_SERVICE"]
    assert s["AmbientCapabilities"] == ["CAP_NET_BIND_SERVICE"]
    assert s["ReadWritePaths"] == ["/srv/voice"]
    assert s["StateDirectory"] == ["voice-keys"]
    device = render(replace(ServiceChoices(), at="07:15", device_groups=()).validated())
    s = _service_section(device["voice-device.service"])
    assert s["ExecStart"][0].endswith("--at 07:15")
    assert "SupplementaryGroups" not in s


@pytest.mark.parametrize(
    ("change", "flag"),
    [
        ({"at": "8:30"}, "--at"),
        ({"at": "24:00"}, "--at"),
        ({"voice": PurePosixPath("/home/me/.venv/bin/voice")}, "--voice"),
        ({"voice": PurePosixPath("/opt/my voice/bin/voice")}, "--voice"),
        ({"user": "root"}, "--user"),
        ({"config_dir": PurePosixPath("/var/lib/voice/keys")}, "--config-dir"),
        ({"url": "ws://127.0.0.1:8765/v1/checkin?x=%i"}, "--url"),
        ({"port": 0}, "--port"),
        ({"token_file": PurePosixPath("/var/lib/voice-keys/token")}, "--token-file"),
        ({"units": ()}, "--unit"),
    ],
)
def test_bad_choices_are_refused_with_the_flag_named(change: dict[str, object], flag: str) -> None:
    with pytest.raises(ConfigError, match=flag):
        replace(ServiceChoices(), **change).validated()  # type: ignore[arg-type]


def test_dry_run_prints_the_rendered_units_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["install-service", "--dry-run", "--at", "07:15", "--unit-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    units = render(_expected(at="07:15"))
    assert out == "".join(f"# ==> {tmp_path / n} <==\n{t}\n" for n, t in units.items())
    assert list(tmp_path.iterdir()) == []


def test_install_writes_exactly_the_rendered_units(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--unit-dir", str(tmp_path), "--no-enable", "--no-user", "--at", "07:15"]
    assert main(["install-service", *args]) == 0
    for name, text in render(_expected(at="07:15")).items():
        assert (tmp_path / name).read_bytes() == text.encode("utf-8")
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(NAMES)
    captured = capsys.readouterr()
    assert "systemctl enable --now voice-server.service voice-device.service" in captured.out
    assert "/etc/voice/device-token" in captured.err  # the token is still to be put there


def test_a_group_the_machine_lacks_is_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--device-group", "no-such-group-x", "--unit", "device", "--unit-dir", str(tmp_path)]
    assert main(["install-service", "--dry-run", *args]) == 0
    captured = capsys.readouterr()
    assert "no group no-such-group-x" in captured.err
    assert "SupplementaryGroups" not in captured.out
    assert "voice-server.service <==" not in captured.out


def test_a_misspelled_directive_fails_the_check(tmp_path: Path) -> None:
    text = render(_expected())["voice-server.service"]
    assert "\nProtectSystem=strict\n" in text
    unit = tmp_path / "voice-server.service"
    unit.write_text(text.replace("\nProtectSystem=", "\nProtectSystm="), encoding="utf-8")
    assert _analyze(*service.VERIFY, str(unit)).returncode == 0  # only a warning...
    problems = service.verify([unit])  # ...which the check does not let pass
    assert any("Unknown key 'ProtectSystm'" in line for line in problems), problems
    unit.write_text(text.replace(str(VENV_VOICE), "/opt/nowhere/voice"), encoding="utf-8")
    assert any("/opt/nowhere/voice" in line for line in service.verify([unit]))


def test_a_unit_that_fails_the_check_is_not_installed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def misspelled(choices: ServiceChoices) -> dict[str, str]:
        return {n: t.replace("\nPrivateTmp=", "\nPrivateTpm=") for n, t in render(choices).items()}

    monkeypatch.setattr(service, "render", misspelled)
    assert main(["install-service", "--unit-dir", str(tmp_path), "--no-enable", "--no-user"]) == 1
    err = capsys.readouterr().err
    assert "systemd-analyze verify rejected the units; nothing was installed" in err
    assert "PrivateTpm" in err
    assert list(tmp_path.iterdir()) == []


def test_enabling_needs_root(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    assert main(["install-service", "--unit-dir", str(tmp_path)]) == 1
    assert "needs root: run it with sudo" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_a_machine_without_systemctl_is_told_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    tools = tmp_path / "bin"
    tools.mkdir()
    (tools / "systemd-analyze").symlink_to(ANALYZE)
    monkeypatch.setenv("PATH", str(tools))
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    units = tmp_path / "units"
    assert main(["install-service", "--unit-dir", str(units), "--no-user"]) == 1
    assert "systemctl missing: this needs a systemd machine" in capsys.readouterr().err
    assert not units.exists()


def test_a_missing_voice_executable_is_a_bad_argument(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--voice", "/opt/nowhere/voice", "--unit-dir", str(tmp_path), "--no-enable"]
    assert main(["install-service", *args, "--no-user"]) == 2
    assert "--voice: no voice executable at /opt/nowhere/voice" in capsys.readouterr().err
    assert main(["install-service", "--dry-run", "--at", "7pm"]) == 2
    assert "--at must be HH:MM" in capsys.readouterr().err


def test_the_service_user_is_a_system_account_without_a_login() -> None:
    argv = service.useradd_command(ServiceChoices())
    assert argv[:4] == ["useradd", "--system", "--user-group", "--no-create-home"]
    assert argv[4:6] == ["--home-dir", "/var/lib/voice"]
    assert argv[6] == "--shell" and argv[7].endswith("nologin")
    assert argv[-1] == "voice"


def test_a_unit_folder_that_cannot_be_written_fails_cleanly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("", encoding="utf-8")
    args = ["--unit-dir", str(blocked), "--no-enable", "--no-user"]
    assert main(["install-service", *args]) == 1
    assert f"voice install-service: {blocked}: File exists" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["voice-server.service", "voice-device.service"])
def test_the_commands_in_the_units_are_ones_voice_takes(name: str) -> None:
    """Every ExecStart line, read by the real command line parser (a renamed flag fails)."""
    from voice.cli import build_parser

    text = render(replace(ServiceChoices(), at="07:15"))[name]
    commands = [line.split("=", 1)[1] for line in text.splitlines() if line.startswith("Exec")]
    assert commands
    for command in commands:
        argv = shlex.split(command)
        assert argv[0].endswith("/voice")
        build_parser().parse_args(argv[1:])  # exits (SystemExit) on an unknown flag
