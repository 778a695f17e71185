"""Reading the answer to a safety question without the model."""

from __future__ import annotations

import pytest

from voice.safety import RiskCategory, SafetyLevel, SafetyVerdict
from voice.safety.followup import YesNo, follow_up, pending_question, read_yes_no
from voice.safety.resources import scripted_reply

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


@pytest.mark.parametrize(
    ("verdict", "risky_answer", "safe_answer", "said"),
    [
        (
            SafetyVerdict(CONCERN, RiskCategory.MEDICAL_EMERGENCY, "medical.acute.signal"),
            "yes",
            "no, it was last week",
            ["call nine nine nine", "Is it happening right now?"],
        ),
        (
            SafetyVerdict(
                CONCERN, RiskCategory.MEDICAL_EMERGENCY, "medical.acute.other.signal", True
            ),
            "I don't know",
            "no",
            ["call nine nine nine", "Is anyone in danger right now?"],
        ),
        (
            SafetyVerdict(CONCERN, RiskCategory.ABUSE, "abuse.physical.signal"),
            "no",
            "yes, he's gone",
            ["call nine nine nine", "Are you safe where you are right now?"],
        ),
        (
            SafetyVerdict(CONCERN, RiskCategory.SUICIDE, "suicide.farewell.signal"),
            "yeah",
            "no",
            ["Samaritans", "are you thinking about ending your life?"],
        ),
        (
            SafetyVerdict(CONCERN, RiskCategory.EATING_DISORDER, "eating.danger.signal"),
            "a bit",
            "no",
            ["medical help straight away", "Are you feeling unwell right now?"],
        ),
    ],
)
def test_an_unconfirmed_crisis_signal_asks_the_crisis_question(
    verdict: SafetyVerdict, risky_answer: str, safe_answer: str, said: list[str]
) -> None:
    """A signal the screen did not confirm is a concern, but its reply names real help
    first and asks the question whose answer decides: a risky answer is a crisis."""
    reply = scripted_reply(verdict, "gb")
    assert reply is not None and all(words in reply.text for words in said)
    assert reply.resources[0].number in ("999", "116 123")
    pending = pending_question(verdict)
    assert pending is not None
    risky = follow_up(pending, risky_answer, "gb")
    assert risky is not None and risky.verdict is not None
    assert risky.verdict.level is CRISIS and risky.verdict.category is verdict.category
    assert risky.verdict.about_other is verdict.about_other
    assert "nine nine nine" in risky.reply.text or "Samaritans" in risky.reply.text
    safe = follow_up(pending, safe_answer, "gb")
    assert safe is not None and safe.verdict is None
