"""The person's own safety plan (Stanley and Brown's six steps): what each part holds, how a
plan sent by a client is checked, and the words a crisis reply reads aloud from it."""

from __future__ import annotations

from collections.abc import Mapping

from voice.errors import ProtocolError

SECTIONS: tuple[tuple[str, str], ...] = (
    ("warning_signs", "My warning signs"),
    ("coping", "Things I can do on my own"),
    ("distraction", "People and places that help me feel better"),
    ("help", "People I can ask for help"),
    ("professionals", "Professionals and crisis lines I can call"),
    ("environment", "Making my surroundings safer"),
)
MAX_SECTION_CHARS = 2000

# What a crisis reply reads, in this order: the person's own steps, not the signs.
_SPOKEN = (
    ("coping", "Things you can do on your own"),
    ("help", "People you can ask for help"),
    ("distraction", "People and places that help"),
    ("environment", "Making things safer around you"),
)


def checked_plan(data: object) -> dict[str, str]:
    """A plan from a client: an object of the six sections, each text (empty allowed);
    ``ProtocolError`` naming the problem otherwise."""
    if not isinstance(data, Mapping):
        raise ProtocolError("the safety plan must be an object")
    known = {name for name, _ in SECTIONS}
    unknown = set(data) - known
    if unknown:
        raise ProtocolError(f"the safety plan has unknown parts: {', '.join(sorted(unknown))}")
    plan: dict[str, str] = {}
    for name, _ in SECTIONS:
        value = data.get(name, "")
        if not isinstance(value, str):
            raise ProtocolError(f"the safety plan's '{name}' must be text")
        if len(value) > MAX_SECTION_CHARS:
            raise ProtocolError(f"the safety plan's '{name}' is too long")
        if any(0xD800 <= ord(c) <= 0xDFFF or (ord(c) < 32 and c not in "\n\t") for c in value):
            raise ProtocolError(f"the safety plan's '{name}' has characters that are not text")
        plan[name] = value.strip()
    return plan


def spoken_plan(plan: Mapping[str, object] | None) -> str | None:
    """The steps a crisis reply reads aloud, or ``None`` when the plan has none."""
    if not plan:
        return None
    parts = []
    for name, lead in _SPOKEN:
        value = plan.get(name)
        if isinstance(value, str) and value.strip():
            text = " ".join(value.split()).rstrip(".")
            parts.append(f"{lead}: {text}.")
    return " ".join(parts) or None
