"""Consent on the wire: what a person agrees may be kept (``hello.consent``) and what is in
force (``ready.consent``). Nothing is kept unless a consent in force says so."""

from __future__ import annotations

from dataclasses import dataclass

from voice.protocol.fields import Fields
from voice.protocol.spec import MAX_USER_ID_CHARS, is_valid_user_id

MAX_SHARED_WITH = 16


@dataclass(frozen=True, slots=True)
class Consent:
    """A standing choice, held for later sessions until changed: keep my recordings (my
    voice and the assistant's), keep my words (transcripts, answers and cues), share them
    with these linked therapists."""

    audio: bool = False
    transcript: bool = False
    share: tuple[str, ...] = ()

    @property
    def keeps_anything(self) -> bool:
        """True when something may be stored."""
        return self.audio or self.transcript

    def to_json(self) -> dict[str, object]:
        """The wire dict."""
        return {"audio": self.audio, "transcript": self.transcript, "share": list(self.share)}

    @classmethod
    def read(cls, f: Fields) -> Consent:
        """Validate: two booleans and, optionally, the names of linked therapists."""
        share = f.optional_string_list("share", max_items=MAX_SHARED_WITH)
        if not all(is_valid_user_id(name) for name in share):
            raise f.error(
                "share", f"must name therapists (1-{MAX_USER_ID_CHARS} letters, digits, -_.)"
            )
        return cls(
            audio=f.boolean("audio"),
            transcript=f.boolean("transcript"),
            share=tuple(dict.fromkeys(share)),
        )


@dataclass(frozen=True, slots=True)
class ConsentInForce:
    """What ``ready`` reports: the choice in force, the version of the wording the person
    agreed to and when (both ``None`` when nothing was ever agreed: nothing is kept)."""

    consent: Consent
    version: str | None = None
    agreed_at: str | None = None
    """ISO 8601, UTC."""

    def to_json(self) -> dict[str, object]:
        """The wire dict."""
        return {**self.consent.to_json(), "version": self.version, "agreed_at": self.agreed_at}

    @classmethod
    def read(cls, f: Fields) -> ConsentInForce:
        """Validate strictly."""
        return cls(
            consent=Consent.read(f),
            version=f.optional_string("version"),
            agreed_at=f.optional_string("agreed_at"),
        )
