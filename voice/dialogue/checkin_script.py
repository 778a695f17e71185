"""The check-in script: its format, the shipped default, and a validated override.

The default ``default_checkin.toml`` ships inside the package; ``<data_dir>/checkin.toml``
replaces it when present. Every problem raises ConfigError naming the file and the key.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from pathlib import Path

from voice.errors import ConfigError

DEFAULT_SCRIPT_NAME = "default_checkin.toml"
OVERRIDE_NAME = "checkin.toml"
"""The override's file name inside the data directory."""

_ID = re.compile(r"[a-z][a-z0-9_]{0,31}")


class ItemKind(StrEnum):
    """How an answer is understood."""

    SCALE_0_10 = "scale_0_10"
    CHOICE = "choice"
    FREE_TEXT = "free_text"


@dataclass(frozen=True, slots=True)
class Choice:
    """One allowed answer of a choice item: stored as ``value``, said back as ``say``."""

    value: str
    say: str
    synonyms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CheckinItem:
    """One scripted question."""

    id: str
    kind: ItemKind
    prompt: str
    clarify: str
    summary: str
    choices: tuple[Choice, ...] = ()


@dataclass(frozen=True, slots=True)
class CheckinScript:
    """A greeting, the questions in order, the invitation to talk freely, and a closing."""

    greeting: str
    open_prompt: str
    closing: str
    items: tuple[CheckinItem, ...]

    def item(self, item_id: str) -> CheckinItem:
        """The item with this id (KeyError if there is none)."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)


_TOP_KEYS = frozenset({"version", "greeting", "open_prompt", "closing", "items"})
_ITEM_KEYS = frozenset({"id", "kind", "prompt", "clarify", "summary", "choices"})
_CHOICE_KEYS = frozenset({"value", "say", "synonyms"})


class _Reader:
    """Typed access to the parsed TOML, with the key path in every error."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, key: str, problem: str) -> ConfigError:
        return ConfigError(f"{self.source}: {key}: {problem}")

    def table(self, value: object, key: str, allowed: frozenset[str]) -> Mapping[str, object]:
        if not isinstance(value, dict):
            raise self.fail(key, "must be a table")
        for name in value:
            if name not in allowed:
                where = f"{key}.{name}" if key else name
                raise self.fail(where, f"unknown key (allowed: {', '.join(sorted(allowed))})")
        return value

    def text(
        self, table: Mapping[str, object], name: str, key: str, default: str | None = None
    ) -> str:
        value = table.get(name, default)
        if value is None:
            raise self.fail(key, "is required")
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "must be a non-empty string")
        return " ".join(value.split())

    def array(self, table: Mapping[str, object], name: str, key: str) -> list[object]:
        value = table.get(name)
        if value is None:
            raise self.fail(key, "is required")
        if not isinstance(value, list) or not value:
            raise self.fail(key, "must be a non-empty array")
        return value


def _summary_template(reader: _Reader, table: Mapping[str, object], key: str, default: str) -> str:
    template = reader.text(table, "summary", key, default)
    stripped = template.replace("{value}", "")
    if "{" in stripped or "}" in stripped:
        raise reader.fail(key, "the only placeholder allowed is {value}")
    return template


def _choices(reader: _Reader, raw: Mapping[str, object], key: str) -> tuple[Choice, ...]:
    out: list[Choice] = []
    seen: set[str] = set()
    for c_index, raw_choice in enumerate(reader.array(raw, "choices", f"{key}.choices")):
        c_key = f"{key}.choices[{c_index}]"
        choice = reader.table(raw_choice, c_key, _CHOICE_KEYS)
        value = reader.text(choice, "value", f"{c_key}.value")
        if value in seen:
            raise reader.fail(f"{c_key}.value", f"duplicate value {value!r}")
        seen.add(value)
        synonyms_raw = choice.get("synonyms", [])
        if not isinstance(synonyms_raw, list) or not all(
            isinstance(s, str) and s.strip() for s in synonyms_raw
        ):
            raise reader.fail(f"{c_key}.synonyms", "must be an array of non-empty strings")
        synonyms = tuple(dict.fromkeys([value, *synonyms_raw]))
        out.append(Choice(value, reader.text(choice, "say", f"{c_key}.say", value), synonyms))
    return tuple(out)


def _item(reader: _Reader, raw_item: object, index: int, seen: set[str]) -> CheckinItem:
    key = f"items[{index}]"
    raw = reader.table(raw_item, key, _ITEM_KEYS)
    item_id = reader.text(raw, "id", f"{key}.id")
    if not _ID.fullmatch(item_id):
        raise reader.fail(f"{key}.id", "must be lower-case letters, digits or _ (at most 32)")
    if item_id in seen:
        raise reader.fail(f"{key}.id", f"duplicate id {item_id!r}")
    seen.add(item_id)
    kind_name = reader.text(raw, "kind", f"{key}.kind")
    try:
        kind = ItemKind(kind_name)
    except ValueError:
        allowed = ", ".join(k.value for k in ItemKind)
        raise reader.fail(f"{key}.kind", f"must be one of {allowed}") from None
    prompt = reader.text(raw, "prompt", f"{key}.prompt")
    if kind is ItemKind.FREE_TEXT:
        clarify = reader.text(raw, "clarify", f"{key}.clarify", prompt)
    else:
        clarify = reader.text(raw, "clarify", f"{key}.clarify")
    summary = _summary_template(reader, raw, f"{key}.summary", f"you answered {item_id}")
    choices: tuple[Choice, ...] = ()
    if kind is ItemKind.CHOICE:
        choices = _choices(reader, raw, key)
    elif "choices" in raw:
        raise reader.fail(f"{key}.choices", f"only a choice item has choices, not {kind.value}")
    return CheckinItem(item_id, kind, prompt, clarify, summary, choices)


def parse_script(text: str, source: str = OVERRIDE_NAME) -> CheckinScript:
    """Parse and validate a script; ``source`` names the file in errors."""
    reader = _Reader(source)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: not valid TOML ({exc})") from None
    top = reader.table(data, "", _TOP_KEYS)
    version = top.get("version", 1)
    if version != 1:
        raise reader.fail("version", "must be 1")
    greeting = reader.text(top, "greeting", "greeting")
    open_prompt = reader.text(top, "open_prompt", "open_prompt")
    closing = reader.text(top, "closing", "closing")
    seen: set[str] = set()
    items = tuple(
        _item(reader, raw_item, index, seen)
        for index, raw_item in enumerate(reader.array(top, "items", "items"))
    )
    return CheckinScript(greeting, open_prompt, closing, items)


def default_script_text() -> str:
    """The shipped default script, as TOML text."""
    return resources.files("voice.dialogue").joinpath(DEFAULT_SCRIPT_NAME).read_text("utf-8")


def load_script(data_dir: Path | None = None) -> CheckinScript:
    """The check-in script: ``<data_dir>/checkin.toml`` if it exists, else the default."""
    if data_dir is not None:
        override = data_dir / OVERRIDE_NAME
        if override.is_file():
            try:
                text = override.read_text("utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise ConfigError(
                    f"{override}: cannot be read ({exc.__class__.__name__})"
                ) from None
            return parse_script(text, str(override))
    return parse_script(default_script_text(), DEFAULT_SCRIPT_NAME)
