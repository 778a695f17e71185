"""Where each sealed field lives (its associated data: a value moved to another row or
column no longer opens), and JSON values sealed there."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from voice.errors import VaultError
from voice.vault import Place, seal, unseal


def turn_place(row_id: int, column: str) -> Place:
    return Place("turns", str(row_id), column)


def event_place(row_id: int) -> Place:
    return Place("safety_events", str(row_id), "detail")


def checkin_place(row_id: int, column: str) -> Place:
    return Place("checkins", str(row_id), column)


def document_place(person_id: int, kind: str) -> Place:
    return Place("person_documents", f"{person_id}:{kind}", "sealed")


def seal_json(key: bytes, value: Mapping[str, object], place: Place) -> bytes:
    """``value`` as compact UTF-8 JSON, sealed at ``place``."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return seal(key, text.encode("utf-8"), place)


def open_json(key: bytes, sealed: bytes, place: Place) -> dict[str, Any]:
    """The JSON object sealed at ``place``; ``VaultError`` (``tampered``) otherwise."""
    try:
        value = json.loads(unseal(key, sealed, place))
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise VaultError("a stored value has an unknown format", code="tampered")
    return value
