"""Reading the answer to a safety question without the model."""

from __future__ import annotations

import pytest

from voice.safety import RiskCategory, SafetyLevel, SafetyVerdict
from voice.safety.followup import YesNo, follow_up, pending_question, read_yes_no

CRISIS, CONCERN = SafetyLevel.CRISIS, SafetyLevel.CONCERN


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yes", YesNo.YES),
        ("Yeah, I'm safe.", YesNo.YES),
        ("um yeah I think I'm okay now", YesNo.YES),
        ("I am", YesNo.YES),
        ("no", YesNo.NO),
        ("Nope.", YesNo.NO),
        ("no, not really", YesNo.NO),
        ("I'm not safe", YesNo.NO),
        ("I’m not okay", YesNo.NO),
        ("yes I'm scared", YesNo.NO),
        ("nothing like that", YesNo.NO),
        ("I don't know", YesNo.UNSURE),
        ("maybe", YesNo.UNSURE),
        ("a little bit", YesNo.UNSURE),
        ("sometimes", YesNo.UNSURE),
        ("I can't promise", YesNo.UNSURE),
        ("I think so", YesNo.UNSURE),
        ("", YesNo.OTHER),
        (
            "work was awful today and my boss shouted at me again in front of everyone else",
            YesNo.OTHER,
        ),
        ("the weather", YesNo.OTHER),
    ],
)
def test_short_answers_are_read(text: str, expected: YesNo) -> None:
    assert read_yes_no(text) is expected


def test_which_answers_are_risky_depends_on_the_question() -> None:
    suicide = SafetyVerdict(CRISIS, RiskCategory.SUICIDE, "suicide.want_die")
    safe_q = pending_question(suicide)
    assert safe_q is not None and YesNo.NO in safe_q.risky and YesNo.YES not in safe_q.risky
    others = SafetyVerdict(CRISIS, RiskCategory.HARM_TO_OTHERS, "others.harm")
    danger_q = pending_question(others)
    assert danger_q is not None and YesNo.YES in danger_q.risky and YesNo.NO not in danger_q.risky
    thoughts = pending_question(SafetyVerdict(CONCERN, RiskCategory.SUICIDE, "suicide.hopeless"))
    assert thoughts is not None and YesNo.YES in thoughts.risky
    abuse = pending_question(SafetyVerdict(CONCERN, RiskCategory.ABUSE, "abuse.control"))
    assert abuse is not None and YesNo.NO in abuse.risky
    # open questions ("how are you feeling?") and denials are read like any other turn
    denial = SafetyVerdict(CONCERN, RiskCategory.SUICIDE, "suicide.want_die.denied")
    assert pending_question(denial) is None
    assert pending_question(SafetyVerdict(CONCERN, RiskCategory.DISTRESS, "d")) is None
    other = SafetyVerdict(CONCERN, RiskCategory.SUICIDE, "suicide.mention.other", True)
    assert pending_question(other) is None


def test_a_medical_emergency_answer() -> None:
    medical = SafetyVerdict(CRISIS, RiskCategory.MEDICAL_EMERGENCY, "medical.acute")
    pending = pending_question(medical)
    assert pending is not None
    can_call = follow_up(pending, "yes", "gb")
    assert can_call is not None and can_call.verdict is None
    assert can_call.reply.text == "Please call nine nine nine now. I'll be right here."
    cannot = follow_up(pending, "no I can't", "gb")
    assert cannot is not None and cannot.verdict is not None
    assert "shout for help" in cannot.reply.text and "nine nine nine" in cannot.reply.text
    assert follow_up(pending, "my chest feels tight and my arm hurts", "gb") is None
