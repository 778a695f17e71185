"""The answer to a safety question, read without the model.

Every scripted crisis reply asks a question ("Are you safe right now?", "Is anyone in
danger right now?", "Are you able to call right now?") and most concern replies do too
("…they think about ending their life. Is that something you have been thinking
about?"). The next turn is usually the answer, often a bare "no" or "yeah, a bit", which
says nothing to a detector on its own. ``pending_question`` records which question was
asked and which answers mean danger; ``follow_up`` reads the answer:

- a risky answer to a concern question ("yes" to thoughts of ending your life) is a
  crisis: the crisis script is spoken;
- a risky answer to a crisis question ("no, I'm not safe") gets a more urgent scripted
  reply, still with the crisis line and the emergency number;
- a reassuring answer to a crisis question gets a short scripted acknowledgement;
- anything else is left to the usual path (the detector runs on every turn regardless).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from voice.safety.resources import (
    NOT_AN_EMERGENCY_SERVICE,
    Resource,
    ScriptedReply,
    crisis_reply,
    resources_for,
)
from voice.safety.verdict import RiskCategory, SafetyLevel, SafetyVerdict


class YesNo(StrEnum):
    """What a short answer to a yes/no question says."""

    YES = "yes"
    NO = "no"
    UNSURE = "unsure"
    OTHER = "other"


_UNSURE = re.compile(
    r"^(?:i do not know|not sure|i am not sure|i'?m not sure|maybe|possibly|kind of"
    r"|kinda|sort of|a (?:little|bit)|sometimes|a little bit|i guess|perhaps|i think so"
    r"|not really sure|hard to say|i can not say|i can not promise|i do not think i am)\b"
)
_NO = re.compile(
    r"^(?:no|nope|nah|not really|not at all|not right now|not now|no i am not|i am not"
    r"|not safe|never|no way|definitely not|of course not|i do not think so"
    r"|no one|nobody|nothing like that|none|i can not|i will not|i have not|i do not)\b"
)
_YES = re.compile(
    r"^(?:yes|yeah|yep|yup|ya|aye|i am|sure|i think i am|i am okay|i am ok|i am fine"
    r"|i am safe|definitely|of course|correct|that is right|uh huh|mm hmm|i have|i do"
    r"|i can|i will|ok|okay|fine|safe)\b"
)
_LEAD = re.compile(r"^(?:(?:um|uh|erm|er|hmm|well|so|honestly|i mean|like|oh)\b ?)+")
_NOT_SAFE = re.compile(r"\b(?:not safe|unsafe|not okay|not ok|scared|frightened)\b")
_CONTRACTIONS = (
    (re.compile(r"\bi'?m\b"), "i am"),
    (re.compile(r"\b(do|does|is|are|was|can|could|would|have)n'?t\b"), r"\1 not"),
    (re.compile(r"\b(?:cannot|can'?t)\b"), "can not"),
    (re.compile(r"\bwon'?t\b"), "will not"),
    (re.compile(r"\bthat'?s\b"), "that is"),
)


def _plain(text: str) -> str:
    """Lower case, straight quotes, contractions expanded, punctuation to spaces (a light
    normalisation: the detector's own also drops hedges like "a little", which matter here)."""
    plain = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    for pattern, replacement in _CONTRACTIONS:
        plain = pattern.sub(replacement, plain)
    return " ".join(re.sub(r"[^a-z' ]+", " ", plain).split())


def read_yes_no(text: str) -> YesNo:
    """Classify a short answer: yes, no, unsure, or something else (a longer turn)."""
    bare = _LEAD.sub("", _plain(text)).strip()
    if not bare or len(bare.split()) > 12:
        return YesNo.OTHER
    if _UNSURE.search(bare):
        return YesNo.UNSURE
    if _NO.search(bare):
        # "no, I'm not safe" and "no I'm scared" are answers about danger either way round
        return YesNo.NO
    if _YES.search(bare):
        return YesNo.NO if _NOT_SAFE.search(bare) else YesNo.YES
    if _NOT_SAFE.search(bare):
        return YesNo.NO
    return YesNo.OTHER


@dataclass(frozen=True, slots=True)
class PendingQuestion:
    """The safety question the last scripted reply asked, and which answers mean danger."""

    verdict: SafetyVerdict
    risky: frozenset[YesNo]


@dataclass(frozen=True, slots=True)
class FollowUp:
    """What to say to an answer: a scripted reply, and the verdict it carries (None when
    the answer was reassuring)."""

    reply: ScriptedReply
    verdict: SafetyVerdict | None


_RISKY_NO = frozenset({YesNo.NO, YesNo.UNSURE})
_RISKY_YES = frozenset({YesNo.YES, YesNo.UNSURE})
_CONCERN_RISKY_YES = (
    RiskCategory.SUICIDE,
    RiskCategory.SELF_HARM,
    RiskCategory.HARM_TO_OTHERS,
)


def pending_question(verdict: SafetyVerdict) -> PendingQuestion | None:
    """The question the scripted reply to ``verdict`` asked, or None when it asked an
    open question (how are you feeling?) that is read like any other turn."""
    category = verdict.category or RiskCategory.DISTRESS
    if verdict.is_signal:  # the crisis question of ``resources._signal_check``
        if category is RiskCategory.ABUSE and not verdict.about_other:
            return PendingQuestion(verdict, _RISKY_NO)  # "Are you safe where you are?"
        return PendingQuestion(verdict, _RISKY_YES)  # "Is it happening / anyone in danger?"
    if verdict.level is SafetyLevel.CRISIS:
        if category is RiskCategory.HARM_TO_OTHERS and not verdict.about_other:
            return PendingQuestion(verdict, _RISKY_YES)  # "Is anyone in danger right now?"
        return PendingQuestion(verdict, _RISKY_NO)  # "Are you safe / able to call?"
    if verdict.level is not SafetyLevel.CONCERN or verdict.about_other:
        return None
    if (verdict.rule or "").endswith(".denied"):
        return None
    if category in _CONCERN_RISKY_YES:
        return PendingQuestion(verdict, _RISKY_YES)
    if category is RiskCategory.ABUSE:
        return PendingQuestion(verdict, _RISKY_NO)  # "Do you feel safe where you are now?"
    return None


def follow_up(pending: PendingQuestion, text: str, locale: str) -> FollowUp | None:
    """Read ``text`` as the answer to ``pending``; None when it is not a yes/no answer."""
    answer = read_yes_no(text)
    if answer is YesNo.OTHER:
        return None
    asked = pending.verdict
    category = asked.category or RiskCategory.SUICIDE
    if answer not in pending.risky:
        if asked.level is SafetyLevel.CRISIS:
            return FollowUp(_reassured(asked, locale), None)
        return FollowUp(ScriptedReply(_THANKS_CONCERN, ()), None)
    if asked.level is SafetyLevel.CONCERN:
        escalated = SafetyVerdict(
            SafetyLevel.CRISIS, category, f"followup.{category.value}", asked.about_other
        )
        return FollowUp(crisis_reply(escalated, locale), escalated)
    urgent = SafetyVerdict(SafetyLevel.CRISIS, category, "followup.not_safe", asked.about_other)
    return FollowUp(_urgent(urgent, locale), urgent)


_THANKS_CONCERN = "Thank you for telling me. I'm here if that changes, any time."


def _reassured(asked: SafetyVerdict, locale: str) -> ScriptedReply:
    res = resources_for(locale)
    if asked.category is RiskCategory.MEDICAL_EMERGENCY and not asked.about_other:
        text = f"Please {res.emergency.spoken} now. I'll be right here."
        return ScriptedReply(text, (res.emergency,))
    text = (
        "I'm really glad. If that changes, tonight or any time, you can"
        f" {res.crisis_line.spoken}. We can keep talking for as long as you like."
    )
    return ScriptedReply(text, (res.crisis_line,))


def _urgent(verdict: SafetyVerdict, locale: str) -> ScriptedReply:
    """A risky answer to a crisis question: the most direct script, real help first."""
    res = resources_for(locale)
    emergency, crisis = res.emergency.spoken, res.crisis_line.spoken
    category = verdict.category
    resources: tuple[Resource, ...]
    if verdict.about_other or category is RiskCategory.HARM_TO_OTHERS:
        parts = [
            f"Please {emergency} now.",
            "If you can, put some distance between you and anyone who could get hurt.",
            f"You can also {crisis}, to talk it through with someone trained to help.",
        ]
        resources = (res.emergency, res.crisis_line)
    elif category is RiskCategory.MEDICAL_EMERGENCY:
        parts = [
            f"If you can't call, ask anyone nearby to {emergency} for you, or shout for help.",
            "If you're on your own, unlock the door if you can, and message someone you trust.",
        ]
        resources = (res.emergency,)
    elif category is RiskCategory.ABUSE:
        line = res.abuse_line or res.crisis_line
        parts = [
            f"Please {emergency} if you are in danger now.",
            "If you can, go somewhere safer, near other people.",
            f"You can also {line.spoken}, any time.",
        ]
        resources = (res.emergency, line)
    else:
        parts = [
            "Thank you for telling me. I want you to get help right now.",
            f"Please {crisis} now, or {emergency} if you might act on these thoughts.",
            "If you can, put some distance between you and anything you could use to hurt"
            " yourself, and ask someone to be with you.",
        ]
        resources = (res.crisis_line, res.emergency)
    parts += [NOT_AN_EMERGENCY_SERVICE, "I'm here with you."]
    return ScriptedReply(" ".join(parts), resources)
