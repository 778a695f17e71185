"""The detector's rule table: pattern families written against the normalised text.

Patterns are written with single spaces; a space matches any run of spaces and commas, so
"i want to, die" still matches "want to die". Each rule says what it means (category and
level when stated plainly about oneself); the detector then reads the context: who it is
about, negation, history, accident, figurative use, fiction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from voice.safety.verdict import RiskCategory, SafetyLevel

CRISIS = SafetyLevel.CRISIS
CONCERN = SafetyLevel.CONCERN


class RuleKind(StrEnum):
    """How the detector reads a rule's context."""

    SELF_RISK = "self_risk"
    """A risk to the speaker, or to whoever the sentence is about."""
    OTHERS = "others"
    """The speaker harming someone else."""
    ABUSE = "abuse"
    """Someone harming the speaker."""
    MEDICAL = "medical"
    """A medical emergency, the speaker's or someone else's."""


@dataclass(frozen=True, slots=True)
class Rule:
    """One pattern family; ``id`` is what evaluation reports (never the matched text)."""

    id: str
    category: RiskCategory
    level: SafetyLevel
    pattern: re.Pattern[str]
    kind: RuleKind = RuleKind.SELF_RISK
    negatable: bool = True
    """False when the negation is part of the meaning ("I don't want to live")."""
    needs_intent: bool = False
    """A method named without any wish or plan ("jumped off a cliff") is only a concern."""


def _word_end_lookaheads(source: str) -> str:
    """End each negative lookahead at a word boundary: "(?! a)" must not refuse "anymore"."""
    out: list[str] = []
    stack: list[bool] = []
    i = 0
    while i < len(source):
        char = source[i]
        if char == "\\":
            out.append(source[i : i + 2])
            i += 2
            continue
        if char == "(":
            stack.append(source.startswith("(?!", i))
        elif char == ")" and stack and stack.pop():
            out.append(r"\b")
        out.append(char)
        i += 1
    return "".join(out)


def compile_pattern(source: str) -> re.Pattern[str]:
    """Compile a rule pattern: spaces match spaces or commas; whole words only."""
    spaced = source.replace(" ?", r"[\s,]*").replace(" ", r"[\s,]+")
    return re.compile(r"\b(?:" + _word_end_lookaheads(spaced) + r")\b")


def rule(
    rule_id: str,
    category: RiskCategory,
    level: SafetyLevel,
    *alternatives: str,
    kind: RuleKind = RuleKind.SELF_RISK,
    negatable: bool = True,
    needs_intent: bool = False,
) -> Rule:
    """A rule from alternative patterns (see ``compile_pattern``)."""
    return Rule(
        rule_id,
        category,
        level,
        compile_pattern("|".join(alternatives)),
        kind,
        negatable,
        needs_intent,
    )


REFL = r"(?:myself|yourself|himself|herself|themselves|ourselves)"
POSS = r"(?:my|your|his|her|their|our)"
PILLS = (
    r"(?:pills|tablets|meds|medication|medications|medicine|capsules|paracetamol|tylenol"
    r"|acetaminophen|ibuprofen|aspirin|sleeping pills|painkillers|xanax|valium|benzos|insulin"
    r"|oxy|oxycodone|opioids|antidepressants|lithium|sertraline|prozac)"
)
VICTIM = (
    r"(?:him|her|them|someone|somebody|anyone|anybody|people|everyone|everybody|a person"
    r"|the (?:baby|kids|children|boss|neighbou?rs?)|my (?:baby|babies|newborn|kid|kids|child"
    r"|children|son|daughter|toddler|husband|wife|partner|boyfriend|girlfriend|boss|manager"
    r"|mum|mom|mother|dad|father|brother|sister|neighbou?r|roommate|flatmate|housemate"
    r"|coworker|co worker|colleague|teacher|ex|family|parents|stepdad|stepmom|landlord"
    r"|friend|classmates?|coworkers|colleagues))"
)
AGENT = (
    r"(?:he|she|they|someone|somebody|a man|a guy|a woman|my (?:\w+ )?(?:husband|wife|partner"
    r"|boyfriend"
    r"|girlfriend|bf|gf|dad|father|mum|mom|mother|stepdad|stepfather|stepmom|stepmother|step dad"
    r"|step mom|brother|sister|uncle|aunt|grandfather|grandpa|cousin|ex|boss|teacher|coach|carer"
    r"|caregiver|son|daughter|parents|family|flatmate|roommate|fiance|fiancee|partner))"
)
LIVING = (
    r"(?:live|living|keep living|keep going|go on|going on|carry on|carrying on|be alive|being"
    r" alive|stay alive|staying alive|exist|existing|be here|being here|still being here"
    r"|still being alive|wake up|waking up|life|continue|continuing)"
)
DEATH_STATE = (
    r"(?:die|dying|be dead|being dead|not (?:be|being) alive|not (?:exist|existing)|stop"
    r" existing|cease to exist|not wake up|never wake up|not waking up|disappear forever|vanish"
    r" forever|be gone forever|in the ground|six feet under|end my life|ending my life|end it"
    r" all|ending it all|kill myself|killing myself|take my (?:own )?life|taking my (?:own )?life"
    r"|sleep forever(?! (?:after|this|on|until|till|when))|not (?:come|coming) back|never (?:come"
    r"|coming) back|suicide|not be here"
    r" anymore|not being here)"
)
LIVE = (
    r"(?:live|be alive|exist|go on|keep going|carry on|keep living|continue living|be here"
    r"|be around|be on this earth|be in this world|wake up|do this anymore|do life)"
)

SUICIDE = RiskCategory.SUICIDE
SELF_HARM = RiskCategory.SELF_HARM
OTHERS = RiskCategory.HARM_TO_OTHERS
ABUSE = RiskCategory.ABUSE
EATING = RiskCategory.EATING_DISORDER
MEDICAL = RiskCategory.MEDICAL_EMERGENCY
DISTRESS = RiskCategory.DISTRESS
