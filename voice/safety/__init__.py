"""Safety: crisis detection before the model, scripted replies, and a guard on its output.

Every final user turn goes through ``detect`` (the rules) first, raised where confident by
the learned screen (``voice.safety.screen.RiskScreen.verdict``) when the server has one.
On a crisis the model is not called: speak ``crisis_reply`` (or ``scripted_reply``)
instead. On a concern, speak ``concern_reply``. The answer to either one's question is
read by ``voice.safety.followup``. Every model reply goes through ``guard_reply`` before
it is spoken. The rule tables live in ``voice.safety.rules``; the learned screen's
sentence encoder is passed in (``voice.engines.minilm`` in the server).

May import: voice.errors, voice.text, voice.assets.
"""

from __future__ import annotations

from voice.safety.detector import detect
from voice.safety.guard import GuardReason, GuardResult, guard_reply
from voice.safety.normalise import normalise
from voice.safety.resources import (
    DEFAULT_LOCALE,
    LOCALES,
    ContactKind,
    CrisisResources,
    Resource,
    ScriptedReply,
    concern_reply,
    crisis_reply,
    resources_for,
    scripted_reply,
)
from voice.safety.verdict import NO_RISK, RiskCategory, SafetyLevel, SafetyVerdict

__all__ = [
    "DEFAULT_LOCALE",
    "LOCALES",
    "NO_RISK",
    "ContactKind",
    "CrisisResources",
    "GuardReason",
    "GuardResult",
    "Resource",
    "RiskCategory",
    "SafetyLevel",
    "SafetyVerdict",
    "ScriptedReply",
    "concern_reply",
    "crisis_reply",
    "detect",
    "guard_reply",
    "normalise",
    "resources_for",
    "scripted_reply",
]
