"""A guard on the model's reply: no diagnosis, no medication or dose advice, nothing that
encourages harm. A reply that breaks a rule is replaced by a safe scripted one."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from voice.safety.resources import DEFAULT_LOCALE, resources_for
from voice.text.normalise import basic_normalise


class GuardReason(StrEnum):
    """Why a reply was replaced."""

    DIAGNOSIS = "diagnosis"
    MEDICATION = "medication"
    HARM = "harm"


@dataclass(frozen=True, slots=True)
class GuardResult:
    """``ok`` replies are spoken as written; otherwise speak ``replacement``."""

    ok: bool
    reason: GuardReason | None = None
    replacement: str | None = None


_DIAG = (
    r"(?:(?:clinical |major |severe |mild |moderate |chronic |postnatal |postpartum )?depression"
    r"|major depressive disorder|bipolar(?: disorder)?|ptsd|c ?ptsd|post ?traumatic stress"
    r"(?: disorder)?|ocd|obsessive compulsive disorder|adhd|add|(?:an |generali[sz]ed |social )?"
    r"anxiety disorder|gad|panic disorder|borderline(?: personality disorder)?|bpd|(?:a )?"
    r"personality disorder|schizophrenia|schizoaffective(?: disorder)?|psychosis|autism|asperger"
    r"\w*|anorexia(?: nervosa)?|bulimia(?: nervosa)?|binge eating disorder|(?:an )?eating"
    r" disorder|insomnia|dementia|alzheimer\w*|(?:a )?mental illness|(?:a )?mental disorder"
    r"|seasonal affective disorder|dysthymia|cyclothymia|agoraphobia|adjustment disorder"
    r"|narcissistic personality disorder|npd|dissociative \w+ disorder|did)"
)
_DIAG_ADJ = (
    r"(?:bipolar|schizophrenic|psychotic|autistic|anorexic|bulimic|manic|clinically depressed"
    r"|a narcissist|narcissistic|a psychopath|a sociopath|borderline|ocd|mentally ill)"
)
_DIAGNOSIS = (
    re.compile(
        r"\byou (?:have|have got|got|are suffering from|suffer from|might have|may have|could"
        r" have|probably have|likely have|clearly have|seem to have|appear to have|definitely"
        r" have|must have|are showing signs of|show signs of|have developed|are living with)"
        r" (?:a |an |some )?" + _DIAG + r"\b"
    ),
    re.compile(
        r"\byou (?:are|re) (?:clearly |probably |definitely |likely |obviously |a bit )?"
        + _DIAG_ADJ
        + r"\b"
    ),
    re.compile(
        r"\b(?:sounds|seems|looks) like (?:you (?:have|have got|are|might have|may have|could"
        r" have|are suffering from) |it is |this is |that is |classic |textbook )?(?:a |an |some )?"
        + _DIAG
        + r"\b"
    ),
    re.compile(
        r"\b(?:this|that|these|those|it|which|what you describe|what you are describing)"
        r" (?:is|are|sounds like|could be|might be|may be|seems like|looks like|is probably)"
        r" (?:a |an |the |classic |textbook |clear |typical |common )?(?:signs?|symptoms?|case"
        r"|indicators?|hallmarks?) of (?:a |an )?" + _DIAG + r"\b"
    ),
    re.compile(
        r"\b(?:it|this|that) (?:is|could be|might be|may be|is probably|is likely|sounds like)"
        r" (?:a |an )?" + _DIAG + r"\b"
    ),
    re.compile(
        r"\byou\b.*\b(?:signs?|symptoms?|experiencing|dealing with|going through|struggling"
        r" with|suffering from|showing) (?:of )?(?:a |an |some |the )?(?:signs? of |symptoms? of )?"
        + _DIAG
        + r"\b"
    ),
    re.compile(
        r"\b(?:i would diagnose|i diagnose|diagnos(?:e|ing) you|you meet the criteria|you fit"
        r" the criteria|i think you have|i believe you have)\b"
    ),
)
_REPORTED = re.compile(
    r"\b(?:said|mentioned|told me|shared|explained|were diagnosed|have been diagnosed|got"
    r" diagnosed|your diagnosis|diagnosed with)\b"
)
_REFERRAL = re.compile(
    r"\b(?:doctor|gp|psychiatrist|pharmacist|prescriber|nurse|care team|medical team|physician"
    r"|clinician|therapist|professional|specialist)s?\b"
)
_REFERRAL_FRAME = re.compile(
    r"\b(?:doctor|gp|psychiatrist|pharmacist|prescriber|nurse|care team|physician|clinician"
    r"|therapist|professional|specialist)s? (?:can|could|might|may|would|will|is|are)"
    r"(?: be)?(?: able to| the (?:best|right) (?:person|people) to)? (?:help )?(?:you )?"
    r"(?:check|assess|tell|figure out|look at|explore|work out|understand|talk)"
)

_NAMED_DRUGS = (
    r"(?:sertraline|zoloft|fluoxetine|prozac|citalopram|celexa|escitalopram|lexapro|paroxetine"
    r"|paxil|venlafaxine|effexor|duloxetine|cymbalta|mirtazapine|bupropion|wellbutrin|trazodone"
    r"|amitriptyline|lithium|lamotrigine|lamictal|quetiapine|seroquel|olanzapine|aripiprazole"
    r"|abilify|risperidone|diazepam|valium|lorazepam|ativan|alprazolam|xanax|clonazepam|klonopin"
    r"|zolpidem|ambien|zopiclone|melatonin|benzodiazepines?|benzos|ssris?|snris?|maois?"
    r"|antidepressants?|antipsychotics?|mood stabili[sz]ers?|sleeping (?:pills?|tablets?)"
    r"|sleep aids?|painkillers?|ibuprofen|paracetamol|acetaminophen|tylenol|aspirin|codeine"
    r"|tramadol|oxycodone|adderall|ritalin|methylphenidate|propranolol|beta blockers?|st johns"
    r" wort|cbd|kava|valerian|5 ?htp|ashwagandha)"
)
_DRUGS = (
    r"(?:" + _NAMED_DRUGS + r"|medication|medications|meds|medicine|medicines|pills?|tablets?|dose"
    r"|dosage|doses|prescription)"
)
_DOSE_AMOUNT = re.compile(
    r"\b\d+(?:\.\d+)? ?(?:mg|milligrams?|mcg|micrograms?|ml|millilit(?:re|er)s?|grams?|iu"
    r"|units?)\b|\b(?:\d+|one|two|three|four|half a) (?:pills?|tablets?|capsules?|doses?)"
    r" (?:a|per|every|each|twice|at)\b"
)
_MED_DIRECTIVE = re.compile(
    r"\b(?:take|taking|try|trying|start|starting|increase|increasing|decrease|decreasing|double"
    r"|doubling|halve|halving|reduce|reducing|lower|lowering|raise|raising|up|upping|stop"
    r"|stopping|skip|skipping|quit|quitting|come off|coming off|go off|going off|wean off"
    r"|weaning off|switch|switching|change|changing|adjust|adjusting|cut down|cut back on|taper"
    r"|tapering|add|adding|mix|mixing|combine|combining|be on|get on|ask for)"
    r" (?:(?:taking|on|off|to|with) )?(?:your |the |a |some |an |more |less |extra |another"
    r" |any |all )?(?:\w+ )?" + _DRUGS + r"\b"
)
_DOCTOR_AGENT = re.compile(
    r"\b(?:doctor|gp|psychiatrist|pharmacist|prescriber|nurse|care team|physician|clinician)s?"
    r"(?: \w+){0,5} $|\b(?:ask|asking|check with|talk to|speak to|speak with|talk with)"
    r" (?:your |a )?(?:\w+ )?(?:doctor|gp|psychiatrist|pharmacist|prescriber)(?: \w+){0,4} $"
)
_SAFE_MED_FRAME = re.compile(
    r"\b(?:do not|never|please do not) (?:stop|change|skip|adjust|mix)\b.*\bwithout\b"
    r"|\b(?:before|without) (?:\w+ ){0,2}(?:talk|talking|speak|speaking|check|checking|ask"
    r"|asking|consult|consulting) (?:to|with)\b"
)
_SUBSTANCE_HELPS = re.compile(
    r"\b" + _DRUGS + r" (?:can|could|might|may|would|will|should|really|often|usually) (?:\w+ )?"
    r"(?:help|work|fix|calm|sort)\b"
)

_HARM = (
    re.compile(
        r"\b(?:you should|go ahead and|why not|it is okay to|it is fine to|nothing wrong with"
        r"|you could|you deserve to|maybe you should|you might as well|try to|just) (?:\w+ )?"
        r"(?:hurt|harm|cut|kill|end|starve|purge|punish|burn) (?:yourself|your life|it all"
        r"|your own life)\b"
    ),
    re.compile(
        r"\b(?:kill yourself|end your life|take your own life|better off dead|better off without"
        r" you|deserve to die|deserve to suffer|deserve the pain|deserve to be hurt|no one would"
        r" miss you|nobody would miss you|no one would care if you)\b"
    ),
    re.compile(
        r"\b(?:lethal|fatal|deadly) (?:dose|amount)|\bhow many (?:pills|tablets) (?:it takes|would"
        r" it take|to)|\b(?:painless|easiest|best|quickest|surest) way to (?:die|kill|end)"
    ),
    re.compile(
        r"\b(?:you (?:should|could|might)|try|maybe|just) (?:\w+ )?(?:skip|skipping|stop eating"
        r"|eat less|eating less|fast|fasting|cutting calories|cut calories|purge|purging|make"
        r" yourself sick|throw up)\b"
    ),
)
_NEGATED_BEFORE = re.compile(r"\b(?:not|never|no one|nobody)\b(?: \w+){0,3} $")


def _replacement(reason: GuardReason, locale: str) -> str:
    if reason is GuardReason.DIAGNOSIS:
        return (
            "I can't say what might be going on medically, but a doctor or therapist can help"
            " you explore it. What feels most important to talk about right now?"
        )
    if reason is GuardReason.MEDICATION:
        return (
            "I can't give advice about medication or doses. Your doctor or pharmacist is the"
            " best person to ask. How are you feeling today?"
        )
    line = resources_for(locale).crisis_line.spoken
    return (
        "I care about your safety. If you're having thoughts of hurting yourself, please"
        f" {line}, any time. Would you like to tell me more about how you're feeling?"
    )


REPLACEMENTS: Mapping[GuardReason, str] = MappingProxyType(
    {reason: _replacement(reason, DEFAULT_LOCALE) for reason in GuardReason}
)
"""The replacement replies for the default locale."""


def _sentences(text: str) -> list[str]:
    return [s.strip() + " " for s in re.split(r"[.!?;]+", text) if s.strip()]


def _diagnoses(sentence: str) -> bool:
    for index, pattern in enumerate(_DIAGNOSIS):
        for match in pattern.finditer(sentence):
            before = sentence[: match.start()]
            if _REPORTED.search(before + match.group(0)):
                continue  # "you mentioned you have depression": their words, not ours
            if _NEGATED_BEFORE.search(before):
                continue
            if index >= 3 and _REFERRAL_FRAME.search(sentence):
                continue  # "a doctor can check whether it might be depression"
            return True
    return False


def _advises_medication(sentence: str) -> bool:
    if _DOSE_AMOUNT.search(sentence):
        return True
    helps = _SUBSTANCE_HELPS.search(sentence)
    if helps and re.search(_NAMED_DRUGS, helps.group(0)) and not _REFERRAL_FRAME.search(sentence):
        return True
    for match in _MED_DIRECTIVE.finditer(sentence):
        before = sentence[: match.start()]
        if _DOCTOR_AGENT.search(before) or _SAFE_MED_FRAME.search(sentence):
            continue  # "ask your doctor whether to adjust your dose"
        return True
    return False


def _encourages_harm(sentence: str) -> bool:
    for pattern in _HARM:
        for match in pattern.finditer(sentence):
            if not _NEGATED_BEFORE.search(sentence[: match.start()]):
                return True
    return False


def guard_reply(text: str, locale: str = DEFAULT_LOCALE) -> GuardResult:
    """Check a model reply before it is spoken; a failing one comes with a safe replacement.

    Raises ConfigError for an unknown locale (only when a replacement is needed).
    """
    for sentence in _sentences(basic_normalise(text)):
        if _encourages_harm(sentence):
            reason = GuardReason.HARM
        elif _diagnoses(sentence):
            reason = GuardReason.DIAGNOSIS
        elif _advises_medication(sentence):
            reason = GuardReason.MEDICATION
        else:
            continue
        return GuardResult(False, reason, _replacement(reason, locale))
    return GuardResult(True)
