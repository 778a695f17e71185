"""The house rules: each room of ``voice`` imports only the rooms its docstring names, the
rooms form no cycle, and no module imports itself back through others (TYPE_CHECKING and
function-level imports count too)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "voice"
_MAY_IMPORT = re.compile(r"May import:\s*(.+?)\.\s*$", re.S | re.M)


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _rooms() -> dict[str, Path]:
    """Room name -> the file whose docstring states its rules."""
    rooms = {}
    for path in sorted(PACKAGE.iterdir()):
        if path.is_dir() and (path / "__init__.py").is_file():
            rooms[f"voice.{path.name}"] = path / "__init__.py"
        elif path.suffix == ".py" and path.name != "__init__.py":
            rooms[f"voice.{path.stem}"] = path
    return rooms


ROOMS = _rooms()
MODULES = {
    _module_name(path): path
    for path in sorted(PACKAGE.rglob("*.py"))
    if "__pycache__" not in path.parts
}


def _allowed(room: str) -> set[str] | None:
    """The rooms ``room`` may import (None: any), read from its docstring."""
    doc = ast.get_docstring(ast.parse(ROOMS[room].read_text(encoding="utf-8"))) or ""
    found = _MAY_IMPORT.search(doc)
    assert found, f"{ROOMS[room]}: the docstring has no 'May import:' line"
    text = " ".join(found.group(1).split())
    if text == "nothing":
        return set()
    if text == "any room":
        return None
    names = {name.strip() for name in text.split(",")}
    unknown = names - set(ROOMS)
    assert not unknown, f"{room} names rooms that do not exist: {sorted(unknown)}"
    return names


def _room_of(module: str) -> str | None:
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) >= 2 and parts[0] == "voice" else None


def _imports(path: Path) -> set[str]:
    """Every ``voice`` module ``path`` imports, wherever the import statement is."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("voice"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("voice"):
            assert node.level == 0, f"{path}: relative import"
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in MODULES else node.module)
    return found


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_stay_within_the_rooms_the_docstring_allows(module: str) -> None:
    room = _room_of(module)
    if room is None:
        return  # the root package imports nothing
    allowed = _allowed(room)
    for target in _imports(MODULES[module]):
        target_room = _room_of(target)
        assert target in MODULES, f"{module} imports {target}, which does not exist"
        if allowed is None or target_room in (room, "voice", None):
            continue
        assert target_room in allowed, f"{module} imports {target}: {room} may not use it"


def test_every_room_says_what_it_holds_and_may_import() -> None:
    for room, path in ROOMS.items():
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        assert len(doc.splitlines()[0]) > 20, f"{path}: say what lives here"
        _allowed(room)


def test_rooms_depend_on_each_other_without_cycles() -> None:
    graph = {room: _allowed(room) or set() for room in ROOMS if _allowed(room) is not None}
    _assert_acyclic(graph)


def test_no_module_imports_itself_back() -> None:
    graph = {
        module: {t for t in _imports(path) if t != module and t in MODULES}
        for module, path in MODULES.items()
    }
    _assert_acyclic(graph)


def _assert_acyclic(graph: dict[str, set[str]]) -> None:
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycle = [*path[path.index(nxt) :], nxt] if nxt in path else [node, nxt]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])


def test_the_checker_finds_a_cycle() -> None:
    with pytest.raises(pytest.fail.Exception, match="a -> b -> a"):
        _assert_acyclic({"a": {"b"}, "b": {"a"}})
