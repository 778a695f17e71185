"""What the safety detector says about one user turn (no text is ever kept in it)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class SafetyLevel(StrEnum):
    """How urgent a turn is; ordered none < concern < crisis."""

    NONE = "none"
    CONCERN = "concern"
    CRISIS = "crisis"

    @property
    def rank(self) -> int:
        """0, 1 or 2, for comparing levels."""
        return _RANK[self]


_RANK = {SafetyLevel.NONE: 0, SafetyLevel.CONCERN: 1, SafetyLevel.CRISIS: 2}


class RiskCategory(StrEnum):
    """The kind of risk a rule recognised; sent on the wire as ``category``."""

    SUICIDE = "suicide"
    SELF_HARM = "self_harm"
    HARM_TO_OTHERS = "harm_to_others"
    ABUSE = "abuse"
    EATING_DISORDER = "eating_disorder"
    MEDICAL_EMERGENCY = "medical_emergency"
    DISTRESS = "distress"
    """Not a named risk, but a person struggling (hopelessness, not coping)."""


CATEGORY_PRIORITY: tuple[RiskCategory, ...] = (
    RiskCategory.SUICIDE,
    RiskCategory.MEDICAL_EMERGENCY,
    RiskCategory.SELF_HARM,
    RiskCategory.HARM_TO_OTHERS,
    RiskCategory.ABUSE,
    RiskCategory.EATING_DISORDER,
    RiskCategory.DISTRESS,
)
"""Which category names a turn when rules of several categories agree on the level."""


SIGNAL_SUFFIX = ".signal"
"""The rule-id suffix of a crisis signal the rules demoted to a concern."""


@dataclass(frozen=True, slots=True)
class SafetyVerdict:
    """The detector's verdict on one turn.

    ``rule`` names the deciding rule (for evaluation and logs; it never contains the
    person's words). ``about_other`` is true when the risk is to someone else the person
    talked about, so the scripted reply speaks about them, not to them.
    """

    level: SafetyLevel
    category: RiskCategory | None = None
    rule: str | None = None
    about_other: bool = False

    @property
    def is_crisis(self) -> bool:
        """True when the model must not be called and the crisis script is spoken."""
        return self.level is SafetyLevel.CRISIS

    @property
    def flagged(self) -> bool:
        """True for concern or crisis: the turn is flagged for the person's therapist."""
        return self.level is not SafetyLevel.NONE

    @property
    def is_signal(self) -> bool:
        """True for a concern that points at a crisis without stating it (a symptom, a
        threat, a farewell: ``voice.safety.detector.CRISIS_SIGNALS``), not yet confirmed."""
        return self.level is SafetyLevel.CONCERN and (self.rule or "").endswith(SIGNAL_SUFFIX)


NO_RISK = SafetyVerdict(SafetyLevel.NONE)
"""The verdict on an ordinary turn."""
