"""The deterministic safety detector: every final user turn goes through ``detect`` first."""

from __future__ import annotations

import re

from voice.safety.normalise import normalise
from voice.safety.rules import context as ctx
from voice.safety.rules.base import Rule, RuleKind
from voice.safety.rules.figurative import mask_figurative
from voice.safety.rules.general import GENERAL_RULES
from voice.safety.rules.harm import HARM_RULES
from voice.safety.rules.names import plain_names
from voice.safety.rules.suicide import SUICIDE_RULES
from voice.safety.rules.topic import is_topic_question
from voice.safety.verdict import (
    CATEGORY_PRIORITY,
    NO_RISK,
    SIGNAL_SUFFIX,
    RiskCategory,
    SafetyLevel,
    SafetyVerdict,
)

RULES: tuple[Rule, ...] = SUICIDE_RULES + HARM_RULES + GENERAL_RULES
"""Every rule the detector runs."""

_CRISIS = SafetyLevel.CRISIS
_CONCERN = SafetyLevel.CONCERN

_HYPERBOLE_AFTER = re.compile(r"^ ?(?:if|when|for|because|once|after)\b")
_MENTION_RULES = frozenset({"suicide.mention", "self_harm.mention", "eating.mention"})
_SIBLING_FIGHT = re.compile(
    r"\b(?:brother|sister|cousin|siblings?)\b.*\b(?:punched|hit|kicked|pushed|slapped|bit|shoved)\b"
)
_WISH_RULES = frozenset({"suicide.want_die", "suicide.death_wish", "suicide.cease"})
_MASS = re.compile(r"\b(?:everyone|everybody|people|all of them|them all)\b")
_ASKED = re.compile(
    r"\basked (?:me )?(?:if|whether) i(?: \w+){0,2} ?$"
    r"|\btold me to (?:\w+ ){1,4}if i(?: \w+){0,3} ?$"
)
_SAID_YES = re.compile(r"\b(?:said|answered|told (?:her|him|them)) yes\b")
_KILL_WORDS = re.compile(r"\b(?:kill|killing|murder|murdering)\b")
_ABUSE_NEGATED = re.compile(
    r"\b(?:not|never|no longer|stopped) (?:\w+ )?(?:hit|hits|beat|beats|hurt|hurts|touch|touched"
    r"|touches|abuse|abused|abuses|raped|choke|choked|push|pushed|slap|slapped|kick|kicked|punch"
    r"|punched|threaten|threatened|attacked|grabbed)\b"
)
_WEAPON_OR_TARGET = re.compile(r"\b(?:shoot up|gun|knife|weapon)\b")
_EATING_DANGER = re.compile(
    r"\b(?:fainted|faint|fainting|passed out|passing out|blacked out|collapsed|dizzy|heart"
    r" (?:is )?(?:racing|pounding|skipping|fluttering|doing weird)|chest (?:pain|hurts)|blood"
    r"|hospital|seizure|\d+ weeks?|a week|weeks|pass out|going to faint|faint)\b"
)
_IF = re.compile(r"\bif\b")
_INDEFINITE_HARM = re.compile(
    r"\b(?:hurt|hurting|harm|harming|kill|killing|attack|attacking|stab|stabbing)"
    r" (?:someone|somebody|anyone|anybody|people|a person|everyone|everybody)\b"
)
_HARM_INTENT = re.compile(
    r"\b(?:going to|gonna|will|about to|afraid i|scared i|worried i|terrified i|urge"
    r"|urges|want to|wanted to|need to|feel like|going to end up)\b"
)
_LAST_WORDS = 8
_EMBARRASSMENT_WORDS = 6


def detect(text: str) -> SafetyVerdict:
    """The safety verdict on one user turn; run it before the language model sees the turn."""
    normalised = normalise(plain_names(text))
    if is_topic_question(normalised):
        return NO_RISK  # "what is suicidal ideation?": a topic, not a disclosure
    norm = mask_figurative(normalised)
    media = ctx.MEDIA.search(norm) is not None
    fiction = ctx.FICTION.search(norm) is not None
    best = NO_RISK
    for sentence in ctx.SENTENCE_SPLIT.split(norm):
        if not sentence.strip():
            continue
        for rule in RULES:
            for match in rule.pattern.finditer(sentence):
                verdict = _judge(rule, match, sentence, media, fiction)
                if verdict is None:
                    continue
                if verdict.category is RiskCategory.EATING_DISORDER and _EATING_DANGER.search(norm):
                    # Not eating for weeks, or with fainting or chest pain, is dangerous now.
                    verdict = SafetyVerdict(
                        _CRISIS, verdict.category, "eating.danger", verdict.about_other
                    )
                verdict = _as_signal(verdict, norm)
                if _stronger(verdict, best):
                    best = verdict
    return best


CRISIS_SIGNALS = frozenset(
    {
        "abuse.physical",
        "eating.danger",
        "medical.acute",
        "medical.acute.other",
        "medical.general",
        "others.harm",
        "others.harm.child",
        "suicide.farewell",
        "suicide.veiled",
    }
)
"""Rule families that point at a crisis without stating it: a farewell, veiled words, abuse,
a medical symptom, harm to someone. On real people's posts they fire far more often on
the past, on others and on everyday talk (guns, asthma, a breakup) than on a present crisis
(6 of 105 in ``tests/data/real/train.csv``), so the rules call them a concern (``rule``
ends in ``.signal``) and the learned screen, which reads the whole turn, decides whether it
is a crisis. Harm to someone stays a crisis
when a weapon and an intent are both stated ("I have a knife and I'm going to stab him")."""


def _as_signal(verdict: SafetyVerdict, norm: str) -> SafetyVerdict:
    if (
        verdict.rule == "others.harm"
        and _WEAPON_OR_TARGET.search(norm)
        and _HARM_INTENT.search(norm)
    ):
        return verdict
    if verdict.level is _CRISIS and verdict.rule in CRISIS_SIGNALS:
        return SafetyVerdict(
            _CONCERN, verdict.category, f"{verdict.rule}{SIGNAL_SUFFIX}", verdict.about_other
        )
    return verdict


def _stronger(a: SafetyVerdict, b: SafetyVerdict) -> bool:
    return _key(a) > _key(b)


def _key(a: SafetyVerdict) -> tuple[int, int, int, int]:
    priority = len(CATEGORY_PRIORITY) - CATEGORY_PRIORITY.index(a.category) if a.category else 0
    signal = 1 if a.is_signal else 0  # points at a crisis: above a concern
    return (a.level.rank, signal, 0 if a.about_other else 1, priority)


def _verdict(
    rule: Rule, level: SafetyLevel, suffix: str = "", *, about_other: bool = False
) -> SafetyVerdict:
    return SafetyVerdict(level, rule.category, rule.id + suffix, about_other)


def _judge(
    rule: Rule, match: re.Match[str], sentence: str, media: bool, fiction: bool
) -> SafetyVerdict | None:
    """Read one match in its context; None when it is not a risk after all."""
    if rule.kind is RuleKind.SELF_RISK:
        return _judge_self_risk(rule, match, sentence, media)
    if rule.kind is RuleKind.OTHERS:
        return _judge_others(rule, match, sentence, fiction)
    if rule.kind is RuleKind.ABUSE:
        return _judge_abuse(rule, match, sentence, fiction)
    return _judge_medical(rule, match, sentence, fiction)


def _in_quotation(sentence: str, start: int) -> bool:
    """A lyric, a title or a character's line: "the song goes 'I want to die'"."""
    if ctx.MEDIA.search(sentence) is None:
        return False
    recent = " ".join(sentence[:start].split()[-_LAST_WORDS:])
    return ctx.QUOTE_MARKER.search(recent) is not None


def _is_past(clause: str, sentence: str) -> bool:
    return ctx.PAST.search(clause) is not None and ctx.RECENT.search(sentence) is None


def _judge_self_risk(
    rule: Rule, match: re.Match[str], sentence: str, media: bool
) -> SafetyVerdict | None:
    start, end = match.span()
    before = ctx.clause_before(sentence, start)
    after = ctx.clause_after(sentence, end)
    clause = before + " " + after  # markers inside the match ("stopped taking") are its own
    if _in_quotation(sentence, start):
        return None
    if ctx.REPORTED_INSULT.search(before):
        # "people at school tell me to kill myself": bullying, and worth a gentle question.
        return SafetyVerdict(_CONCERN, RiskCategory.ABUSE, "abuse.told_to_die")
    subject = ctx.subject_of(match.group(0), sentence[:start])
    if subject is ctx.Subject.OTHER:
        return _third_person(rule, sentence, media, before)
    if _ASKED.search(before) and not _SAID_YES.search(sentence):
        # "my therapist asked if I'm suicidal", "told me to come back if I was going to ..."
        return _verdict(rule, _CONCERN, ".asked")
    if (
        rule.negatable
        and ctx.is_negated(before)
        and not ctx.DENIAL_OVERRIDE.search(sentence[start:])
    ):
        if rule.category is RiskCategory.DISTRESS:
            return None
        # A stated denial ("I'd never kill myself") is still worth a gentle question.
        return _verdict(rule, _CONCERN, ".denied")
    if rule.negatable and ctx.TRAILING_DENIAL.search(sentence):
        return _verdict(rule, _CONCERN, ".denied")  # "... but I won't act on it"
    if rule.id in _MENTION_RULES and (media or ctx.PROFESSIONAL.search(sentence)):
        return None  # a topic (an article, a class, a shift at work), not a disclosure
    if rule.category is RiskCategory.EATING_DISORDER and ctx.ILLNESS.search(sentence):
        return None  # "threw it all up": food poisoning, a hangover
    if rule.category is RiskCategory.DISTRESS and ctx.TRIVIAL_OBJECT.match(after.lstrip(" ,")):
        return None  # "at the end of my rope with this printer": exasperation with a thing
    if rule.id == "self_harm.recovery" and _substance_recovery(sentence):
        return None  # "ninety days clean, got my chip at the meeting": sobriety, not self-harm
    level = rule.level
    accident = (
        (ctx.ACCIDENT.search(sentence) or ctx.TOOL_ACCIDENT.search(match.group(0) + after))
        and not ctx.INTENT.search(clause)
        and not ctx.MOTIVE.search(sentence)
    )
    if rule.category is RiskCategory.SELF_HARM and accident:
        return None  # "I cut myself shaving"
    if rule.id in _WISH_RULES and _embarrassed(clause, sentence[:start]):
        return None  # "so embarrassed I wanted to die", "how embarrassing, I wish I could die"
    if rule.needs_intent and not ctx.INTENT.search(before):
        level = _CONCERN
    if level is _CRISIS and _told_as_past(clause, sentence, before + match.group(0), end):
        return _verdict(rule, _CONCERN, ".past")
    if level is _CRISIS and _IF.search(sentence) and ctx.TRIVIAL_CONDITION.search(sentence):
        return _verdict(rule, _CONCERN, ".hyperbole")
    if subject is ctx.Subject.YOU:
        return _verdict(rule, _CONCERN, ".you")
    return _verdict(rule, level)


def _embarrassed(clause: str, head: str) -> bool:
    recent = " ".join(head.split()[-_EMBARRASSMENT_WORDS:])
    return bool(ctx.EMBARRASSMENT.search(clause) or ctx.EMBARRASSMENT.search(recent))


def _told_as_past(clause: str, sentence: str, through_match: str, end: int) -> bool:
    """History ("years ago"), a past belief ("I thought they'd be better off"), or a risk the
    sentence then says is over ("...but now I'm flourishing")."""
    if _is_past(clause, sentence) or ctx.NOW_BETTER.search(sentence[end:]):
        return True
    return bool(ctx.PAST_BELIEF.search(through_match)) and not ctx.RECENT.search(sentence)


def _substance_recovery(sentence: str) -> bool:
    return bool(ctx.SUBSTANCE.search(sentence)) and not ctx.SELF_HARM_WORDS.search(sentence)


def _third_person(rule: Rule, sentence: str, media: bool, before: str) -> SafetyVerdict | None:
    """Someone else's risk: none in fiction or news, a concern, or a crisis if it is now."""
    if rule.category is RiskCategory.DISTRESS or media:
        return None
    if ctx.is_negated(before) and not ctx.WORRY.search(sentence):
        return None
    past = ctx.PAST.search(sentence) is not None
    if _calm_past(sentence):
        return None  # long ago, told calmly and resolved: "she's doing great now"
    if ctx.VENTING.search(sentence):
        return None  # "he said he'd jump off a bridge after his team lost"
    if ctx.WORK_OTHER.search(sentence) and not ctx.KIN.search(sentence):
        return None  # someone else's crisis handled at work, not a disclosure
    if rule.level is _CRISIS and not past and ctx.IMMEDIATE_OTHER.search(sentence):
        return _verdict(rule, _CRISIS, ".other", about_other=True)
    if past and not ctx.PERSONAL_TIE.search(ctx.FRIENDS_RELATIVE.sub(" ~ ", sentence)):
        return None  # history about a stranger, a public figure or a friend's relative
    return _verdict(rule, _CONCERN, ".other", about_other=True)


def _calm_past(sentence: str) -> bool:
    """Someone else's risk long ago, told calmly: "she's doing great now"."""
    past = ctx.PAST.search(sentence) or ctx.OTHER_PAST.search(sentence)
    return bool(past) and ctx.CALM.search(sentence) is not None


def _judge_others(
    rule: Rule, match: re.Match[str], sentence: str, fiction: bool
) -> SafetyVerdict | None:
    start, end = match.span()
    before = ctx.clause_before(sentence, start)
    after = ctx.clause_after(sentence, end)
    if fiction or ctx.is_negated(before):
        return None
    matched = match.group(0)
    rest = sentence[:start] + " ~ " + sentence[end:]
    if (
        (ctx.PETTY.search(sentence) or ctx.GAME_WIN.search(sentence))
        and not _WEAPON_OR_TARGET.search(sentence)
        and not ctx.MEANS_OR_TIME.search(rest)
        and not ctx.CHILD_VICTIM.search(matched)
        and (re.search(r"\bcould\b", before) or not ctx.MEANS_OR_TIME.search(matched))
    ):
        # "I could strangle my brother, he ate my leftovers", "off the cigs and I want to
        # murder everyone", "people who beat me at fortnite": a petty grievance, a craving or
        # a lost game, with no means, time or target.
        return None
    if _WEAPON_OR_TARGET.search(matched) or (
        _MASS.search(matched) and _KILL_WORDS.search(matched) and ctx.INTENT.search(before)
    ):
        return _verdict(rule, _CRISIS)
    subject = ctx.subject_of("", sentence[:start])
    if subject is ctx.Subject.OTHER:
        if ctx.VENTING.search(sentence) or _calm_past(sentence):
            return None  # "she wants to strangle him, classic her"
        return _verdict(rule, _CONCERN, ".other", about_other=True)
    if subject is ctx.Subject.YOU:
        return None
    if ctx.CHILD_VICTIM.search(matched):
        if ctx.PLAY.search(sentence):
            return None
        return _verdict(rule, _CRISIS, ".child")
    means = ctx.MEANS_OR_TIME.search(sentence) is not None
    if _INDEFINITE_HARM.search(matched) and _HARM_INTENT.search(before):
        # "I'm going to hurt someone if I don't get out of here": no named person to be cross
        # with, so not hyperbole; an intent to hurt anyone at all.
        return _verdict(rule, _CRISIS, ".anyone")
    if not means and (re.search(r"\bcould\b", before) or _HYPERBOLE_AFTER.search(after)):
        return None  # "I could kill him", "I'll murder him if he's late again"
    if not means and _KILL_WORDS.search(matched) and sentence[end:].strip(" ,"):
        return None  # "I'm gonna kill my sister, she took my car again": a reason, hyperbole
    # "thoughts of hurting", "a knife", "tonight": crisis; a wish or a threat alone: concern.
    return _verdict(rule, _CRISIS if means else _CONCERN)


def _judge_abuse(
    rule: Rule, match: re.Match[str], sentence: str, fiction: bool
) -> SafetyVerdict | None:
    start, end = match.span()
    before = ctx.clause_before(sentence, start)
    matched = match.group(0)
    if fiction or ctx.is_negated(before) or _ABUSE_NEGATED.search(matched):
        return None
    if ctx.PLAY.search(sentence):
        return None
    if ctx.GAME_WIN.search(sentence) and not ctx.GAME_HARM.search(sentence):
        return None  # "he beat me at chess", "shot some hoops with my son, he beat me"
    if " me" not in f" {matched} ":
        subject = ctx.subject_of("", sentence[:start])
        if subject is ctx.Subject.OTHER:
            if _calm_past(sentence):
                return None  # "he hit her when I was little, she's remarried now"
            return _verdict(rule, _CONCERN, ".other", about_other=True)
    clause = before + " " + ctx.clause_after(sentence, end)
    if rule.level is _CRISIS and _is_past(clause, sentence):
        if _SIBLING_FIGHT.search(matched):
            return None  # children fighting, long ago
        return _verdict(rule, _CONCERN, ".past")
    return _verdict(rule, rule.level)


def _judge_medical(
    rule: Rule, match: re.Match[str], sentence: str, fiction: bool
) -> SafetyVerdict | None:
    start, end = match.span()
    before = ctx.clause_before(sentence, start)
    if fiction or ctx.is_negated(before):
        return None
    clause = before + " " + ctx.clause_after(sentence, end)
    about_other = ctx.subject_of("", sentence[:start]) is ctx.Subject.OTHER
    overdose = rule.id.startswith("medical.overdose")  # harm shows hours later: never "over"
    at_work = ctx.AT_WORK.search(sentence) and not ctx.KIN.search(sentence)
    if not overdose and about_other and at_work and not ctx.NOW.search(sentence):
        return None  # "I'm a dental nurse, a patient fainted in the chair today"
    if not overdose and ctx.BENIGN_CAUSE.search(sentence[end:]):
        return None  # "a chest pain that turned out to be indigestion"
    if not overdose and ctx.RESOLVED.search(sentence[end:]):
        if ctx.ACCIDENT.search(sentence):
            return None  # "cut my finger chopping onions, blood everywhere but it's fine now"
        return _verdict(rule, _CONCERN, ".resolved", about_other=about_other)
    if _is_past(clause, sentence):
        if rule.id == "medical.overdose":
            return _verdict(rule, _CONCERN, ".past", about_other=about_other)
        return None
    return _verdict(rule, rule.level, ".other" if about_other else "", about_other=about_other)
