"""Crisis resources per locale and the scripted replies spoken instead of the model's.

Replies are spoken by Piper: short sentences, no URLs, and numbers written out the way a
person says them ("nine eight eight"), so the synthesiser never reads "988" as a quantity.
Only numbers we are certain of are listed; a locale without a specific line (for example
a domestic-abuse line) falls back to its crisis line and emergency number.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from voice.errors import ConfigError
from voice.safety.verdict import RiskCategory, SafetyLevel, SafetyVerdict


class ContactKind(StrEnum):
    """How a resource is reached."""

    CALL = "call"
    TEXT = "text"
    CALL_OR_TEXT = "call_or_text"


@dataclass(frozen=True, slots=True)
class Resource:
    """One line to reach: a display name, the number as dialled, and how to say it."""

    name: str
    number: str
    spoken: str
    kind: ContactKind = ContactKind.CALL

    def as_dict(self) -> dict[str, str]:
        """The wire form, as in ``{"type": "safety", "resources": [...]}``."""
        return {"name": self.name, "number": self.number, "kind": self.kind.value}


@dataclass(frozen=True, slots=True)
class CrisisResources:
    """The resources of one locale; ``crisis_line`` is said first in every crisis reply."""

    locale: str
    country: str
    crisis_line: Resource
    emergency: Resource
    abuse_line: Resource | None = None

    @property
    def lines(self) -> tuple[Resource, ...]:
        """Every line of the locale, the crisis line first: the help a client keeps at hand
        from the start (``ready.resources``)."""
        abuse = () if self.abuse_line is None else (self.abuse_line,)
        return (self.crisis_line, self.emergency, *abuse)


_US = CrisisResources(
    "us",
    "United States",
    Resource(
        "988 Suicide and Crisis Lifeline",
        "988",
        "call or text nine eight eight",
        ContactKind.CALL_OR_TEXT,
    ),
    Resource("Emergency services", "911", "call nine one one"),
    Resource(
        "National Domestic Violence Hotline",
        "1-800-799-7233",
        "call the National Domestic Violence Hotline on one eight hundred, seven nine nine,"
        " seven two three three",
    ),
)
_GB = CrisisResources(
    "gb",
    "United Kingdom",
    Resource("Samaritans", "116 123", "call Samaritans free on one one six, one two three"),
    Resource("Emergency services", "999", "call nine nine nine"),
    Resource(
        "National Domestic Abuse Helpline",
        "0808 2000 247",
        "call the National Domestic Abuse Helpline on oh eight oh eight, two thousand, two four"
        " seven",
    ),
)
_IE = CrisisResources(
    "ie",
    "Ireland",
    Resource("Samaritans", "116 123", "call Samaritans free on one one six, one two three"),
    Resource("Emergency services", "112", "call one one two, or nine nine nine"),
)
_CA = CrisisResources(
    "ca",
    "Canada",
    Resource(
        "9-8-8 Suicide Crisis Helpline",
        "988",
        "call or text nine eight eight",
        ContactKind.CALL_OR_TEXT,
    ),
    Resource("Emergency services", "911", "call nine one one"),
)
_AU = CrisisResources(
    "au",
    "Australia",
    Resource("Lifeline", "13 11 14", "call Lifeline on thirteen eleven fourteen"),
    Resource("Emergency services", "000", "call triple zero"),
)
_NZ = CrisisResources(
    "nz",
    "New Zealand",
    Resource(
        "1737, Need to talk?",
        "1737",
        "call or text one seven three seven",
        ContactKind.CALL_OR_TEXT,
    ),
    Resource("Emergency services", "111", "call one one one"),
)

LOCALES: Mapping[str, CrisisResources] = MappingProxyType(
    {r.locale: r for r in (_US, _GB, _IE, _CA, _AU, _NZ)}
)
"""Built-in locales by lower-case ISO 3166 code; ``uk`` is accepted for ``gb``."""

DEFAULT_LOCALE = "us"


def resources_for(locale: str = DEFAULT_LOCALE) -> CrisisResources:
    """The resources of a locale ("us", "gb"/"uk", "ie", "ca", "au", "nz").

    Raises ConfigError naming the key ``safety_locale`` for any other value.
    """
    code = locale.strip().lower().replace("_", "-").split("-")[-1]
    code = "gb" if code == "uk" else code
    try:
        return LOCALES[code]
    except KeyError:
        known = ", ".join(sorted(LOCALES))
        raise ConfigError(f"safety_locale: unknown locale {locale!r} (known: {known})") from None


@dataclass(frozen=True, slots=True)
class ScriptedReply:
    """What to say instead of the model, and the resources to send with it."""

    text: str
    resources: tuple[Resource, ...]


NOT_AN_EMERGENCY_SERVICE = "I'm not an emergency service, and I can't send help myself."

_ACKNOWLEDGE: Mapping[RiskCategory, str] = MappingProxyType(
    {
        RiskCategory.SUICIDE: "I'm really glad you told me. What you're feeling matters.",
        RiskCategory.SELF_HARM: "Thank you for telling me. That sounds really painful.",
        RiskCategory.HARM_TO_OTHERS: "Thank you for telling me. It sounds like things feel"
        " very intense right now.",
        RiskCategory.ABUSE: "I'm so sorry that is happening. It is not your fault.",
        RiskCategory.EATING_DISORDER: "Thank you for telling me. What you describe can be"
        " dangerous for your body.",
        RiskCategory.MEDICAL_EMERGENCY: "This sounds like it could be a medical emergency.",
        RiskCategory.DISTRESS: "I'm really glad you told me. That sounds like a lot.",
    }
)


def _speakable_plan(plan: str) -> str:
    text = " ".join(plan.split()).strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def crisis_reply(
    verdict: SafetyVerdict,
    locale: str = DEFAULT_LOCALE,
    safety_plan: str | None = None,
) -> ScriptedReply:
    """The scripted crisis reply: acknowledge, ask about safety now, give real help, read the
    person's own safety plan if they recorded one, and say plainly this is not an emergency
    service. Raises ConfigError for an unknown locale."""
    res = resources_for(locale)
    category = verdict.category or RiskCategory.SUICIDE
    emergency = res.emergency.spoken
    crisis = res.crisis_line.spoken
    resources: list[Resource] = [res.crisis_line, res.emergency]
    if verdict.about_other:
        parts = [
            "It sounds like someone you care about may be in danger right now.",
            f"If their life is at risk, please {emergency} now.",
            f"You can also {crisis}, to get advice on how to help them.",
            "Are you safe where you are?",
        ]
        if category is RiskCategory.MEDICAL_EMERGENCY:
            resources = [res.emergency]
    elif category is RiskCategory.MEDICAL_EMERGENCY:
        parts = [
            _ACKNOWLEDGE[category],
            f"Please {emergency} now, or ask someone near you to call.",
            "Are you able to call right now?",
        ]
        resources = [res.emergency]
    elif category is RiskCategory.ABUSE:
        parts = [
            _ACKNOWLEDGE[category],
            "Are you safe right now?",
            f"If you are in danger, please {emergency}.",
        ]
        if res.abuse_line is not None:
            parts.append(f"You can also {res.abuse_line.spoken}, any time.")
            resources = [res.abuse_line, res.emergency, res.crisis_line]
        else:
            parts.append(f"You can also {crisis}, any time.")
    elif category is RiskCategory.HARM_TO_OTHERS:
        parts = [
            _ACKNOWLEDGE[category],
            "Is anyone in danger right now?",
            f"If someone could get hurt, please {emergency}.",
            f"You can {crisis} to talk to someone trained to help, any time.",
        ]
    else:
        # The person's own steps come first, in their words, before the crisis line.
        parts = [_ACKNOWLEDGE[category], "Are you safe right now?"]
        if safety_plan and safety_plan.strip():
            parts.append(
                "You made a safety plan for moments like this. Here it is, in your words: "
                + _speakable_plan(safety_plan)
            )
        parts += [
            f"Please {crisis}, any time, to talk to someone trained to help.",
            f"If you are in danger, {emergency}.",
        ]
    parts.append(NOT_AN_EMERGENCY_SERVICE)
    parts.append("I'm here with you while you reach out.")
    return ScriptedReply(" ".join(parts), tuple(resources))


_CONCERN_QUESTION: Mapping[RiskCategory, str] = MappingProxyType(
    {
        RiskCategory.SUICIDE: "It sounds like things are really hard right now. Sometimes when"
        " people feel this way, they think about ending their life. Is that something you have"
        " been thinking about?",
        RiskCategory.SELF_HARM: "Thank you for sharing that with me. Are you having any urges to"
        " hurt yourself right now?",
        RiskCategory.HARM_TO_OTHERS: "It sounds like you're carrying a lot of anger. Are you"
        " worried you might hurt someone?",
        RiskCategory.ABUSE: "I'm sorry you've been through that. Do you feel safe where you are"
        " now?",
        RiskCategory.EATING_DISORDER: "Thank you for telling me. It sounds like eating has been"
        " really hard. How are you feeling in your body right now?",
        RiskCategory.MEDICAL_EMERGENCY: "That sounds frightening. If it gets worse, or you have"
        " chest pain or trouble breathing, please get medical help straight away. How are you"
        " feeling right now?",
        RiskCategory.DISTRESS: "That sounds like a lot to carry. I'm glad you said it out loud."
        " How are you coping right now?",
    }
)


def concern_reply(
    verdict: SafetyVerdict,
    locale: str = DEFAULT_LOCALE,
    safety_plan: str | None = None,
) -> ScriptedReply:
    """A gentler scripted check-in for a concern: one direct, caring question, and the crisis
    line for later. Raises ConfigError for an unknown locale."""
    res = resources_for(locale)
    category = verdict.category or RiskCategory.DISTRESS
    if verdict.is_signal:
        return _signal_check(verdict, res)
    if verdict.about_other:
        question = (
            "It sounds like you're worried about someone. That's a hard thing to hold."
            f" If they are ever in danger, {res.emergency.spoken}. How are you doing with it?"
        )
    elif (verdict.rule or "").endswith(".denied"):
        question = (
            "I'm glad you told me where you stand. It still sounds like a lot to carry."
            " How are you feeling right now?"
        )
    else:
        question = _CONCERN_QUESTION[category]
    later = f"If things get worse, you can {res.crisis_line.spoken}, any time."
    if safety_plan and safety_plan.strip() and not verdict.about_other:
        later += " Your safety plan is there for you too."
    return ScriptedReply(f"{later} {question}", (res.crisis_line,))


def _signal_check(verdict: SafetyVerdict, res: CrisisResources) -> ScriptedReply:
    """The reply to an unconfirmed crisis signal: real help named first, then one direct
    question whose answer decides (``voice.safety.followup``). The check-in goes on."""
    emergency, crisis = res.emergency.spoken, res.crisis_line.spoken
    category = verdict.category or RiskCategory.DISTRESS
    if verdict.about_other or category is RiskCategory.HARM_TO_OTHERS:
        text = f"If anyone is in danger now, please {emergency}. Is anyone in danger right now?"
        return ScriptedReply(text, (res.emergency, res.crisis_line))
    if category is RiskCategory.MEDICAL_EMERGENCY:
        text = (
            f"That sounds frightening. If it is happening now, please {emergency}."
            " Is it happening right now?"
        )
        return ScriptedReply(text, (res.emergency,))
    if category is RiskCategory.ABUSE:
        line = res.abuse_line or res.crisis_line
        text = (
            f"I'm so sorry. If you are in danger, please {emergency}."
            " Are you safe where you are right now?"
        )
        return ScriptedReply(text, (res.emergency, line))
    if category is RiskCategory.EATING_DISORDER:
        text = (
            "That sounds hard on your body. If you feel faint or unwell, please get medical"
            f" help straight away, or {emergency}. Are you feeling unwell right now?"
        )
        return ScriptedReply(text, (res.emergency, res.crisis_line))
    text = (
        f"Thank you for telling me. If you are in danger, you can {crisis} right now."
        " I want to ask you directly: are you thinking about ending your life?"
    )
    return ScriptedReply(text, (res.crisis_line, res.emergency))


def scripted_reply(
    verdict: SafetyVerdict,
    locale: str = DEFAULT_LOCALE,
    safety_plan: str | None = None,
) -> ScriptedReply | None:
    """The crisis or concern reply for a verdict, or None when the model may answer."""
    if verdict.level is SafetyLevel.CRISIS:
        return crisis_reply(verdict, locale, safety_plan)
    if verdict.level is SafetyLevel.CONCERN:
        return concern_reply(verdict, locale, safety_plan)
    return None
