"""The dialogue director: safety first, then the check-in script, then the model."""

from __future__ import annotations

from voice.conversation import REFLECT_NOTE, Conversation
from voice.dialogue.checkin import CheckinFlow, load_script
from voice.dialogue.prompt import SYSTEM_PROMPT


def _checkin() -> Conversation:
    return Conversation(CheckinFlow(load_script(None)), safety_locale="us")


def test_opening_is_the_script_greeting_and_first_question() -> None:
    opening = _checkin().opening("unused")
    assert opening.startswith("Hi, it's good to hear from you.")
    assert opening.endswith("how is your mood today?")
    assert Conversation(None, safety_locale="us").opening("Hello there.") == "Hello there."


def test_an_answer_is_reflected_by_the_model_then_the_next_question_follows() -> None:
    c = _checkin()
    c.opening("")
    plan = c.plan("about a six I think")
    assert plan.model is not None and plan.reflect_only
    assert plan.model[0].content == SYSTEM_PROMPT  # the cached prefix is untouched
    assert plan.model[-1].content == "about a six I think" + REFLECT_NOTE
    assert plan.then == "How did you sleep last night: well, okay, or badly?"
    assert plan.safety is None and plan.summary is None


def test_an_answer_not_understood_gets_the_clarifying_question_without_the_model() -> None:
    c = _checkin()
    c.opening("")
    plan = c.plan("hmm, hard to say")
    assert plan.model is None
    assert plan.then is not None and "zero to ten" in plan.then


def test_skip_moves_on_without_the_model() -> None:
    c = _checkin()
    c.opening("")
    plan = c.plan("I'd rather skip that one")
    assert plan.model is None
    assert plan.then == "That's fine. How did you sleep last night: well, okay, or badly?"


def test_a_crisis_mid_check_in_is_scripted_and_the_question_stays_open() -> None:
    c = _checkin()
    c.opening("")
    plan = c.plan("honestly I just want to go to sleep and not wake up")
    assert plan.model is None and plan.safety is not None
    assert plan.safety.level.value == "crisis"
    assert plan.then is not None and "nine eight eight" in plan.then
    assert plan.resources and plan.resources[0]["number"] == "988"
    # The mood question is still the one being answered.
    assert c.plan("maybe a three").then == "How did you sleep last night: well, okay, or badly?"


def test_stopping_gives_the_summary_and_then_free_conversation() -> None:
    c = _checkin()
    c.opening("")
    c.plan("seven out of ten")
    c.plan("skip")
    plan = c.plan("I want to stop now")
    assert plan.summary is not None and plan.model is None
    assert plan.summary.items == {
        "mood": 7.0,
        "sleep": None,
        "energy": None,
        "on_mind": None,
        "went_well": None,
    }
    assert plan.then == plan.summary.text and "seven out of ten" in plan.then
    assert c.plan("thanks").model is not None
    assert c.final_summary() is None  # already given


def test_after_the_questions_the_conversation_is_open() -> None:
    c = _checkin()
    c.opening("")
    for answer in ("six", "okay", "high", "a deadline at work", "a walk with my sister"):
        last = c.plan(answer)
    assert last.then is not None and "anything else on your mind" in last.then
    summary = c.final_summary()
    assert summary is not None
    assert summary.items["energy"] == "high"
    assert summary.items["went_well"] == "a walk with my sister"
    free = c.plan("not really, I'm fine")
    assert free.model is not None and not free.reflect_only and free.then is None


def test_without_a_script_every_turn_goes_to_the_model_after_safety() -> None:
    c = Conversation(None, safety_locale="gb")
    assert c.plan("I had a nice lunch").model is not None
    crisis = c.plan("I'm going to kill myself tonight")
    assert crisis.model is None and crisis.safety is not None
    assert crisis.then is not None and "one one six" in crisis.then.replace(",", "")
    assert c.final_summary() is None
