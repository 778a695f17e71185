"""How one session behaves: endpointing, pacing, content logging, safety locale, script."""

from __future__ import annotations

from dataclasses import dataclass, field

from voice.audio.endpointer import EndpointerConfig
from voice.dialogue.checkin import CheckinScript
from voice.safety import DEFAULT_LOCALE


@dataclass(frozen=True, slots=True)
class SessionSettings:
    """Per-session behaviour."""

    endpointer: EndpointerConfig = field(default_factory=EndpointerConfig)
    audio_lead_seconds: float = 0.5
    """How far ahead of real time reply audio is sent (keeps barge-in responsive)."""
    log_content: bool = False
    """Log transcripts and replies (health data: only when the operator asks)."""
    safety_locale: str = DEFAULT_LOCALE
    """Whose crisis lines the scripted safety replies give."""
    safety_plan: str | None = None
    """The person's own safety plan, as speakable text, read in a crisis reply."""
    checkin_script: CheckinScript | None = None
    """The day's check-in questions; None: open conversation only."""
    voice_notes: bool = True
    """Whether the replies may mention how the voice sounds (the cues' summary goes to the
    language model); False when the person has not asked for voice notes."""
    begin_replies_early: bool = True
    """Begin the model's reply at a pause, on the early transcript, and let it out only if
    the turn ends there with the same words (otherwise it is dropped, having sent nothing)."""
