"""The reply rubric and the way replies are produced for it."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes import FakeChatModel  # type: ignore[import-not-found]

from voice.errors import VoiceError
from voice.tools.eval_replies import check_reply, generate, read_turns, report_markdown, run


def test_a_good_reply_passes_every_check() -> None:
    r = check_reply(
        "I went for a long walk after lunch and it helped.",
        "A walk after lunch sounds like it did you good. What did you notice on it?",
    )
    assert (r.sentences, r.questions, r.guard_ok, r.reflects) == (2, 1, True, True)
    assert r.passed


@pytest.mark.parametrize(
    ("reply", "failing"),
    [
        ("That is hard. Is it work? Is it home?", "questions"),
        ("It sounds like you have depression.", "guard_ok"),
        ("Take 50 mg of sertraline every morning.", "guard_ok"),
        ("That's great to hear! Anything else?", "reflects"),
        ("One. Two. Three. Four.", "sentences"),
    ],
)
def test_each_check_can_fail(reply: str, failing: str) -> None:
    r = check_reply("My sister called me and it cheered me up.", reply)
    assert not r.passed
    value = getattr(r, failing)
    assert value is False or (isinstance(value, int) and value > 1)


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
    results = run(FakeChatModel(pieces=["A walk, nice. ", "How was it?"]), turns)
    report = report_markdown(results, "fake")
    assert "**1 of 2 replies pass every check.**" in report
    assert report.count("| A walk, nice. How was it? |") == 2


def test_read_turns_rejects_an_empty_or_missing_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n\n")
    with pytest.raises(VoiceError, match="no user turns"):
        read_turns(empty)
    with pytest.raises(VoiceError, match="cannot be read"):
        read_turns(tmp_path / "missing.txt")
