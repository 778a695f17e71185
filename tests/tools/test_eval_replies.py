"""The reply rubric, the real conversations it is checked on, and the way replies are
produced for it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fakes import FakeChatModel  # type: ignore[import-not-found]

from voice.dialogue.advice import asks_for_advice, is_advice
from voice.dialogue.prompt import LISTENING_REPLY
from voice.errors import VoiceError
from voice.tools import esconv
from voice.tools.eval_replies import check_reply, generate, read_turns, report_markdown, run
from voice.tools.reply_rubric import check, is_open

LONELY = "I feel lonely since I moved to this city."


def test_a_reflection_and_one_open_question_pass_every_check() -> None:
    r = check_reply(
        "I went for a long walk after lunch and it helped.",
        "A walk after lunch sounds like it did you good. What did you notice on it?",
    )
    c = r.checks
    assert (c.sentences, c.questions, c.open_questions, c.guard_ok, c.reflects) == (
        2, 1, 1, True, True,
    )  # fmt: skip
    assert r.passed


@pytest.mark.parametrize(
    ("turn", "reply", "failing"),
    [
        ("My sister called me.", "That is hard. Is it work? Is it home?", "question_ok"),
        ("My sister called me.", "Your sister called. Did that help?", "question_ok"),  # closed
        ("I feel flat.", "It sounds like you have depression.", "guard_ok"),
        ("I feel flat.", "Take 50 mg of sertraline every morning.", "guard_ok"),
        ("My sister called me.", "That's great to hear! Anything else?", "reflects"),
        ("My sister called me.", "One. Two. Three. Four.", "length_ok"),
        (LONELY, "Moving city is lonely at first. You could try joining a club.", "advice_ok"),
        (LONELY, "Moving is lonely. Have you considered a local group?", "advice_ok"),
        (LONELY, "Lonely in a new city. It's important to stay connected.", "advice_ok"),
    ],
)
def test_each_check_can_fail(turn: str, reply: str, failing: str) -> None:
    c = check_reply(turn, reply).checks
    assert getattr(c, failing) is False
    assert not check_reply(turn, reply).passed


def test_a_reflection_says_something_of_this_person_not_of_anyone() -> None:
    turn = "Hi. I'm feeling really depressed since my girlfriend left me."
    generic = "It sounds like you're going through a difficult time. How are you feeling?"
    assert not check(turn, generic).reflects
    specific = "It sounds like her leaving has left you very low. What has it been like?"
    assert check(turn, specific).reflects
    named = "You must be feeling heartbroken. What has it been like?"  # a particular feeling
    assert check(turn, named).reflects


def test_cheering_a_hard_day_fails_but_cheering_a_good_one_does_not() -> None:
    reply = "That's great to hear! A sister's call can lift a morning. What did you talk about?"
    assert check("Honestly I'm doing okay, just tired, my sister called.", reply).cheerleading
    assert not check("My sister called me and that cheered me up.", reply).cheerleading


def test_advice_the_person_asked_for_is_allowed() -> None:
    turn = "I can't sleep before exams. What should I do?"
    assert asks_for_advice(turn) and not asks_for_advice(LONELY)
    c = check(turn, "Exams keep your mind busy at night. You could try writing the worries down.")
    assert c.advice and c.advice_ok


@pytest.mark.parametrize(
    ("text", "advice"),
    [
        ("Maybe take a run to clear your mind.", True),
        ("You should talk to your manager.", True),
        ("It might help to write it down.", True),
        ("I'd suggest a short walk.", True),
        ("Have you tried talking to her about it?", True),
        ("Just hearing that, I can imagine how scary this is.", False),
        ("You must be feeling very tired.", False),
        ("It will get better with time.", False),
        ("It sounds like the move has been lonely.", False),
        ("I went for walks when that happened to me.", False),
    ],
)
def test_advice_is_told_from_reflection_and_reassurance(text: str, advice: bool) -> None:
    assert is_advice(text) is advice


@pytest.mark.parametrize(
    ("question", "open_"),
    [
        ("What was the hardest part?", True),
        ("How did that feel?", True),
        ("And what happened next?", True),
        ("Do you want to talk about it?", False),
        ("Is it work?", False),
        ("Would you like to tell me more?", True),  # an invitation in a question's form
        ("Can you tell me more about what happened?", True),
        ("Can you sleep at all?", False),
        ("Have you slept?", False),
    ],
)
def test_open_and_closed_questions(question: str, open_: bool) -> None:
    assert is_open(question) is open_


def test_generate_leaves_out_advice_nobody_asked_for_like_the_server() -> None:
    chat = FakeChatModel(pieces=["A long week. ", "Try to rest. ", "What was hardest?"])
    assert generate(chat, "It was a long week.") == "A long week. What was hardest?"
    chat = FakeChatModel(pieces=["Try to rest. ", "It's important to eat."])
    assert generate(chat, "I'm tired.") == LISTENING_REPLY


def test_generate_shapes_and_guards_like_the_server() -> None:
    chat = FakeChatModel(pieces=["That's a lot. ", "You have depression. ", "Take care."])
    reply = generate(chat, "I feel flat")
    assert reply.startswith("That's a lot. [replaced by the guard:]")
    assert "You have depression" not in reply and "Take care" not in reply
    chat = FakeChatModel(pieces=["Hm. ", "How was it? ", "And this? ", "More."])
    assert generate(chat, "a day") == "Hm. How was it?"


def test_run_and_report(tmp_path: Path) -> None:
    turns_file = tmp_path / "turns.txt"
    turns_file.write_text("# comment\nI went for a walk.\n\nWork was stressful.\n")
    turns = read_turns(turns_file)
    assert turns == ["I went for a walk.", "Work was stressful."]
    results = run(FakeChatModel(pieces=["You went for a walk. ", "How was it?"]), turns)
    report = report_markdown(results, "fake")
    assert "| every check | 1 / 2 |" in report and "| the guard | 2 / 2 |" in report
    assert report.count("| You went for a walk. How was it? |") == 2


def test_read_turns_rejects_an_empty_or_missing_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n\n")
    with pytest.raises(VoiceError, match="no user turns"):
        read_turns(empty)
    with pytest.raises(VoiceError, match="cannot be read"):
        read_turns(tmp_path / "missing.txt")


# ESConv's layout (these lines are written here, in its format): overlapping windows of
# one conversation, turns "weight speaker index text", the supporter's with a strategy.
_ESCONV = "\n".join(
    [
        "1.0 0 0 Hello  EOS 1.0 1 1 [Questions] How are you feeling?",
        "1.0 0 0 Hello  EOS 1.0 1 1 [Questions] How are you feeling? EOS 1.0 0 2 Not great, I "
        "lost my job last week and I feel useless. EOS 1.0 1 3 [Reflection of feelings] Losing "
        "a job can leave you feeling useless.",
        "0.0 1 1 [Questions] How are you feeling? EOS 0.0 0 2 Not great, I lost my job last "
        "week and I feel useless. EOS 0.0 1 3 [Reflection of feelings] Losing a job can leave "
        "you feeling useless. EOS 0.0 0 4 Yes. EOS 1.0 1 5 [Providing Suggestions] Maybe try "
        "a walk.",
        "1.0 0 0 Hi  EOS 1.0 1 1 [Questions] What brings you here?",
        "1.0 0 0 Hi  EOS 1.0 1 1 [Questions] What brings you here? EOS 1.0 0 2 My dog died on "
        "Sunday and the house is so quiet.",
    ]
)


def test_esconv_conversations_are_rebuilt_from_their_windows(tmp_path: Path) -> None:
    path = tmp_path / "dev.tsv"
    path.write_text(_ESCONV + "\n", encoding="utf-8")
    conversations = esconv.read_conversations(path.read_text(encoding="utf-8"))
    assert [len(c.turns) for c in conversations] == [6, 3]
    replies = esconv.replies(conversations[0])
    assert [(r.strategy, r.seeker) for r in replies] == [
        ("Questions", "Hello"),
        ("Reflection of feelings", "Not great, I lost my job last week and I feel useless."),
        ("Providing Suggestions", "Yes."),
    ]
    assert replies[2].supporter == "Maybe try a walk."
    assert read_turns(path) == [
        "Not great, I lost my job last week and I feel useless.",
        "My dog died on Sunday and the house is so quiet.",
    ]


def test_esconv_json_conversations_give_their_opening_turns(tmp_path: Path) -> None:
    dialog = [
        {"speaker": "speaker", "content": "Hey there\n"},
        {"speaker": "listener", "content": "hi, how are you feeling?"},
        {"speaker": "speaker", "content": "I am  struggling so much with school lately.\n"},
    ]
    path = tmp_path / "FailedESConv.json"
    path.write_text(json.dumps([{"situation": "school", "dialog": dialog}]), encoding="utf-8")
    assert read_turns(path) == ["I am struggling so much with school lately."]
    path.write_text(json.dumps([{"no dialog": []}]), encoding="utf-8")
    with pytest.raises(VoiceError, match="not ESConv's layout"):
        read_turns(path)
