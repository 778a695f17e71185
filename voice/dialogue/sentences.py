"""Cutting a streamed reply into pieces that can be spoken while the rest is written."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence ends at . ! ? (optionally closed by quotes or brackets) followed by space.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*\s")
# A clause break, used only to get the first words spoken sooner.
_CLAUSE_END = re.compile(r"[,;:—–]\s")
MAX_PIECE_WORDS = 24
"""A piece longer than this is cut even without punctuation."""
_ABBREVIATIONS = frozenset({"mr.", "mrs.", "ms.", "dr.", "st.", "e.g.", "i.e.", "etc.", "vs."})


@dataclass(frozen=True, slots=True)
class Piece:
    """A speakable piece of the reply; ``end`` is its end offset in all text pushed."""

    text: str
    end: int


class SentenceSplitter:
    """Accumulates text deltas and returns whole sentences as they complete.

    Call ``push`` with each delta, then ``flush`` once for the remainder. When
    ``first_clause_words`` is set, the very first piece may end at a clause break
    (a comma) once it has that many words, so speech starts sooner.
    """

    def __init__(self, *, first_clause_words: int | None = 6) -> None:
        self._buffer = ""
        self._buffer_start = 0  # offset of the buffer in all text pushed
        self._first_clause_words = first_clause_words
        self._emitted = 0

    def push(self, delta: str) -> list[Piece]:
        """Add a delta; return the pieces it completed (possibly none)."""
        self._buffer += delta
        out: list[Piece] = []
        while (end := self._next_end()) is not None:
            text = self._buffer[:end].strip()
            self._buffer = self._buffer[end:]
            self._buffer_start += end
            if text:
                self._emitted += 1
                out.append(Piece(text, self._buffer_start))
        return out

    def flush(self) -> Piece | None:
        """Return what is left (the last, unterminated sentence), if anything."""
        text = self._buffer.strip()
        self._buffer_start += len(self._buffer)
        self._buffer = ""
        return Piece(text, self._buffer_start) if text else None

    def _next_end(self) -> int | None:
        for match in _SENTENCE_END.finditer(self._buffer):
            last_word = self._buffer[: match.end()].split()[-1].lower()
            if last_word not in _ABBREVIATIONS:
                return match.end()
        if self._emitted == 0 and self._first_clause_words is not None:
            for match in _CLAUSE_END.finditer(self._buffer):
                if len(self._buffer[: match.start()].split()) >= self._first_clause_words:
                    return match.end()
        # A run-on with no punctuation: cut at a clause break, else at a word boundary,
        # so a long sentence never holds back speech until the model has finished.
        if len(self._buffer.split()) > MAX_PIECE_WORDS:
            clauses = list(_CLAUSE_END.finditer(self._buffer))
            if clauses:
                return clauses[-1].end()
            spaces = [m.end() for m in re.finditer(r"\s+", self._buffer.rstrip())]
            return spaces[MAX_PIECE_WORDS - 1]
        return None
