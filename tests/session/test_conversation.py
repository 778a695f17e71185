"""The dialogue director: safety first, then the check-in script, then the model."""

from __future__ import annotations

import pytest

from voice.dialogue.checkin import CheckinFlow, load_script
from voice.dialogue.prompt import SYSTEM_PROMPT
from voice.safety import RiskCategory, SafetyLevel, SafetyVerdict
from voice.session.conversation import AFTER_CRISIS_NOTE, REFLECT_NOTE, Conversation


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


def test_a_crisis_mid_check_in_is_scripted_and_the_check_in_pauses() -> None:
    c = _checkin()
    c.opening("")
    plan = c.plan("honestly I just want to go to sleep and not wake up")
    assert plan.model is None and plan.safety is not None
    assert plan.safety.level.value == "crisis"
    assert plan.then is not None and "nine eight eight" in plan.then
    assert "safe right now" in plan.then
    assert plan.resources and plan.resources[0]["number"] == "988"
    assert c.highest_level is SafetyLevel.CRISIS
    # "yes" answers "Are you safe right now?": acknowledged by script, no check-in question
    safe = c.plan("yeah, I'm safe")
    assert safe.model is None and safe.safety is None
    assert safe.then is not None and "glad" in safe.then and "nine eight eight" in safe.then
    assert "sleep" not in safe.then
    # from then on the model answers, told what happened, and the questions stay paused
    later = c.plan("it's just been a really long week")
    assert later.model is not None and later.then is None and not later.reflect_only
    assert later.model[-1].content == "it's just been a really long week" + AFTER_CRISIS_NOTE
    stop = c.plan("I want to stop now")
    assert stop.summary is not None and stop.summary.items["mood"] is None


@pytest.mark.parametrize("answer", ["no", "Um, no, not really.", "I don't know", "I'm not safe"])
def test_not_safe_after_a_crisis_gets_the_urgent_script(answer: str) -> None:
    c = _checkin()
    c.opening("")
    c.plan("I've got the pills saved up and I'm going to take them tonight")
    plan = c.plan(answer)
    assert plan.model is None and plan.safety is not None
    assert plan.safety.level.value == "crisis" and plan.safety.rule == "followup.not_safe"
    assert plan.then is not None and "right now" in plan.then
    assert "nine eight eight" in plan.then and "nine one one" in plan.then
    assert "not an emergency service" in plan.then
    assert [r["number"] for r in plan.resources] == ["988", "911"]
    # the urgent script asks nothing more: a later "no" is not read as an answer to it
    assert c.plan("no").model is not None


@pytest.mark.parametrize("answer", ["yeah, sometimes", "yes", "a little bit", "I think so"])
def test_yes_to_the_concern_question_about_suicide_is_a_crisis(answer: str) -> None:
    c = _checkin()
    c.opening("")
    concern = c.plan("I feel like giving up")
    assert concern.safety is not None and concern.safety.level.value == "concern"
    assert concern.then is not None and "ending their life" in concern.then
    plan = c.plan(answer)
    assert plan.safety is not None and plan.safety.level.value == "crisis"
    assert plan.safety.rule == "followup.suicide"
    assert plan.then is not None and "safe right now" in plan.then


def test_no_to_the_concern_question_resumes_the_check_in() -> None:
    c = _checkin()
    c.opening("")
    c.plan("I feel like giving up")
    plan = c.plan("no, nothing like that")
    assert plan.safety is None and plan.model is None
    mood = load_script(None).items[0].prompt
    assert plan.then == f"Thank you for telling me. I'm here if that changes, any time. {mood}"
    assert c.highest_level is SafetyLevel.CONCERN
    answered = c.plan("about a five")
    assert answered.then == "How did you sleep last night: well, okay, or badly?"


def test_yes_someone_is_in_danger_is_urgent_and_names_the_emergency_number() -> None:
    c = Conversation(None, safety_locale="gb")
    first = c.plan("I have a knife and I am going to stab him tonight")
    assert first.safety is not None and first.safety.category is RiskCategory.HARM_TO_OTHERS
    assert first.then is not None and "anyone in danger" in first.then
    plan = c.plan("yes")
    assert plan.safety is not None and plan.safety.rule == "followup.not_safe"
    assert plan.then is not None and "nine nine nine" in plan.then


def test_a_longer_answer_is_read_by_the_detector_as_usual() -> None:
    c = _checkin()
    c.opening("")
    c.plan("I want to kill myself")
    plan = c.plan("I don't even know why I said that, work was awful and I'm so tired")
    assert plan.safety is None and plan.model is not None
    assert plan.model[-1].content.endswith(AFTER_CRISIS_NOTE)


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


def test_a_crisis_only_the_screen_read_resumes_the_check_in_once_the_person_is_safe() -> None:
    c = _checkin()
    c.opening("")
    screen = SafetyVerdict(SafetyLevel.CRISIS, RiskCategory.SUICIDE, "screen.crisis")
    first = c.plan("I've been reading about the right to die lately", verdict=screen)
    assert first.safety is screen and first.then is not None and "safe right now" in first.then
    safe = c.plan("yes, I'm safe, I was just reading about it")
    assert safe.safety is None and safe.then is not None
    assert safe.then.endswith("how is your mood today?")  # the open question, asked again
    assert c.plan("about a five").then is not None  # the check-in goes on
    assert c.highest_level is SafetyLevel.CRISIS  # the summary still carries the flag


def test_a_crisis_the_rules_stated_keeps_the_check_in_paused_after_yes() -> None:
    c = _checkin()
    c.opening("")
    c.plan("I want to kill myself")
    safe = c.plan("yes, I'm safe for now")
    assert safe.then is not None and "mood" not in safe.then
    later = c.plan("about a five")
    assert later.model is not None and later.model[-1].content.endswith(AFTER_CRISIS_NOTE)


NO_RISK = SafetyVerdict(SafetyLevel.NONE)


def test_a_free_reply_can_be_previewed_without_changing_anything() -> None:
    c = Conversation(None, safety_locale="us")
    c.record("hello", "Hi, how are you?")
    revision = c.revision
    preview = c.preview("a long day at work", "", NO_RISK)
    assert preview is not None and preview.model is not None
    assert c.revision == revision and len(c.history) == 1
    assert preview == c.plan("a long day at work", "", NO_RISK)  # the same prompt, later
    assert c.revision == revision + 1


def test_nothing_is_previewed_for_a_flag_a_check_in_step_or_an_awaited_safety_answer() -> None:
    free = Conversation(None, safety_locale="us")
    concern = SafetyVerdict(SafetyLevel.CONCERN, RiskCategory.SUICIDE, "suicide.hopeless")
    assert free.preview("I feel hopeless", "", concern) is None
    checkin = _checkin()
    checkin.opening("")
    assert checkin.preview("about a six", "", NO_RISK) is None  # the step changes the flow
    free.plan("I feel hopeless", "", concern)  # asks the safety question
    assert free.preview("no", "", NO_RISK) is None  # its answer is read by the follow-up
