"""Real emotional-support conversations to reply to and to check the rubric against: ESConv
(Liu et al. 2021, thu-coai/Emotional-Support-Conversation, CC BY-NC 4.0; read from a copy
of its ``codes/dataset/*WithStrategy_short.tsv`` or its JSON files, never shipped or
committed here).

In ESConv a help-seeker talks about a problem of their own with a supporter trained in
helping skills, who labelled each of their turns with its strategy (a question, a
reflection of feelings, a suggestion...). Each line of the files is a window of one
conversation: turns separated by `` EOS ``, each ``weight speaker index text`` (speaker 0
the seeker, 1 the supporter; a supporter's text starts with ``[Strategy]``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

_TURN = re.compile(r"^\s*[\d.]+ ([01]) (\d+) (.*)$", re.DOTALL)
_STRATEGY = re.compile(r"^\[([^\]]+)\]\s*")


@dataclass(frozen=True, slots=True)
class Reply:
    """A supporter's turn, its strategy as they labelled it, and the seeker's turn before."""

    seeker: str
    supporter: str
    strategy: str


@dataclass(frozen=True, slots=True)
class Conversation:
    """One conversation's turns in order: (speaker, text), 0 the seeker."""

    turns: tuple[tuple[int, str], ...]


def read_conversations(text: str) -> list[Conversation]:
    """The conversations in the text of one ``*WithStrategy_short.tsv`` file, each once."""
    conversations: list[dict[int, tuple[int, str]]] = []
    for line in text.splitlines():
        turns = [m for seg in line.split(" EOS ") if (m := _TURN.match(seg))]
        if not turns:
            continue
        window = {int(m.group(2)): (int(m.group(1)), " ".join(m.group(3).split())) for m in turns}
        # A window overlaps the conversation before it unless its turns start again at 0/1.
        current = conversations[-1] if conversations else None
        if current is not None and all(current.get(i, t) == t for i, t in window.items()):
            current.update(window)
        else:
            conversations.append(dict(window))
    return [Conversation(tuple(c[i] for i in sorted(c))) for c in conversations]


def read_json_conversations(text: str) -> list[Conversation]:
    """The conversations of ESConv's JSON files (``ESConv.json``, ``FailedESConv.json``):
    a list of objects whose ``dialog`` is turns of ``speaker`` (the seeker: ``seeker`` or
    ``speaker``; the supporter: ``supporter`` or ``listener``) and ``content``."""
    found = []
    for item in json.loads(text):
        turns = tuple(
            (
                0 if turn["speaker"] in ("seeker", "speaker") else 1,
                " ".join(turn["content"].split()),
            )
            for turn in item["dialog"]
        )
        found.append(Conversation(turns))
    return found


def replies(conversation: Conversation) -> list[Reply]:
    """Each labelled supporter turn that answers a seeker's turn."""
    found = []
    for (speaker_before, before), (speaker, text) in zip(
        conversation.turns, conversation.turns[1:], strict=False
    ):
        label = _STRATEGY.match(text)
        if speaker_before == 0 and speaker == 1 and label:
            found.append(Reply(before, text[label.end() :], label.group(1)))
    return found


def opening_turns(conversation: Conversation, *, min_words: int = 6) -> list[str]:
    """The seeker's first turn that says how they are (``min_words`` or more): what a
    person answers a check-in's opening question with."""
    for speaker, text in conversation.turns:
        if speaker == 0 and len(text.split()) >= min_words:
            return [text]
    return []
