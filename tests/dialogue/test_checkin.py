"""The check-in: script loading and validation, answer parsers, and the flow's steps."""

from __future__ import annotations

from pathlib import Path

import pytest

from voice.dialogue.checkin import (
    Answer,
    AnswerStatus,
    CheckinFlow,
    CheckinScript,
    CheckinStateError,
    ItemKind,
    Phase,
    StepKind,
    is_skip,
    is_stop,
    load_script,
    parse_choice,
    parse_scale,
    parse_script,
    spoken_number,
)
from voice.dialogue.checkin_script import OVERRIDE_NAME, default_script_text
from voice.errors import ConfigError


@pytest.fixture(scope="module")
def script() -> CheckinScript:
    return load_script()


# --- the script ----------------------------------------------------------------------------


def test_default_script_loads(script: CheckinScript) -> None:
    assert [i.id for i in script.items] == ["mood", "sleep", "energy", "on_mind", "went_well"]
    assert [i.kind for i in script.items] == [
        ItemKind.SCALE_0_10,
        ItemKind.CHOICE,
        ItemKind.CHOICE,
        ItemKind.FREE_TEXT,
        ItemKind.FREE_TEXT,
    ]
    assert [c.value for c in script.item("sleep").choices] == ["good", "okay", "poor"]
    assert script.greeting and script.open_prompt and script.closing


def test_override_in_the_data_dir_is_used(tmp_path: Path) -> None:
    (tmp_path / OVERRIDE_NAME).write_text(
        'greeting = "Morning!"\nopen_prompt = "Anything else?"\nclosing = "Bye now."\n'
        '[[items]]\nid = "stress"\nkind = "scale_0_10"\nprompt = "Stress, zero to ten?"\n'
        'clarify = "A number, please?"\nsummary = "your stress was {value}"\n',
        encoding="utf-8",
    )
    script = load_script(tmp_path)
    assert [i.id for i in script.items] == ["stress"]
    flow = CheckinFlow(script)
    assert flow.start().text == "Morning! Stress, zero to ten?"
    assert flow.answer("a three").kind is StepKind.OPEN
    assert flow.summary().text == "Today your stress was three. Bye now."


def test_no_override_means_the_default(tmp_path: Path) -> None:
    assert load_script(tmp_path) == load_script(None) == parse_script(default_script_text())


def _with_items(items: str) -> str:
    return 'greeting = "Hi"\nopen_prompt = "More?"\nclosing = "Bye"\n' + items


def _item(**fields: str) -> str:
    lines = [f"{key} = {value!r}" for key, value in fields.items()]
    return "[[items]]\n" + "\n".join(lines) + "\n"


_FREE = {"id": "m", "kind": "free_text", "prompt": "A?"}
_SCALE = {"id": "m", "kind": "scale_0_10", "prompt": "A?", "clarify": "A?"}
_CHOICE = {"id": "m", "kind": "choice", "prompt": "A?", "clarify": "A?"}

BAD_SCRIPTS = [
    ("greeting = 'Hi'\n" + _item(id="a"), "open_prompt"),
    (_with_items(_item(**{**_FREE, "kind": "slider"})), r"items\[0\]\.kind"),
    (_with_items(_item(**{**_FREE, "id": "Mood!"})), r"items\[0\]\.id"),
    (_with_items(_item(**{**_SCALE, "clarify": ""})), r"items\[0\]\.clarify"),
    (_with_items(_item(**_CHOICE)), r"items\[0\]\.choices"),
    (_with_items(_item(**_FREE, prompts="x")), r"items\[0\]\.prompts"),
    (_with_items(_item(**{**_FREE, "prompt": ""})), r"items\[0\]\.prompt"),
    (_with_items(_item(**_FREE, summary="x {name}")), r"items\[0\]\.summary"),
    (_with_items(_item(**_FREE) + _item(**_FREE)), r"items\[1\]\.id"),
    (
        _with_items(_item(**_CHOICE) + "[[items.choices]]\nvalue = 'x'\nsynonyms = 'y'\n"),
        r"items\[0\]\.choices\[0\]\.synonyms",
    ),
    (_with_items("items = []\n"), "items"),
    (_with_items("colour = 'blue'\n" + _item(**_FREE)), "colour"),
    ("greeting = \n", "not valid TOML"),
]


@pytest.mark.parametrize(("text", "key"), BAD_SCRIPTS)
def test_a_malformed_script_names_the_key(text: str, key: str) -> None:
    with pytest.raises(ConfigError, match=key) as info:
        parse_script(text, "checkin.toml")
    assert info.value.code == "bad_config"
    assert str(info.value).startswith("checkin.toml")


def test_a_malformed_override_raises_naming_file_and_key(tmp_path: Path) -> None:
    (tmp_path / OVERRIDE_NAME).write_text(
        _with_items("[[items]]\nid = 'mood'\nkind = 'slider'\nprompt = 'How?'\n"),
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"checkin\.toml: items\[0\]\.kind: must be one of"):
        load_script(tmp_path)


# --- parsers -------------------------------------------------------------------------------

SCALES: list[tuple[str, float | None]] = [
    ("about a six", 6),
    ("6 out of 10", 6),
    ("6/10", 6),
    ("pretty bad, maybe a three", 3),
    ("seven or eight", 7.5),
    ("7-8", 7.5),
    ("between five and six", 5.5),
    ("ten", 10),
    ("zero", 0),
    ("Ten out of ten!", 10),
    ("six and a half", 6.5),
    ("I'd say six-ish", 6),
    ("um, like, a four?", 4),
    ("I'd give it a solid 7", 7),
    ("on a scale of one to ten, a three", 3),
    ("60 percent", 6),
    ("for", 4),
    ("maybe a two, I only slept 5 hours", 2),
    ("I don't know", None),
    ("not great", None),
    ("eleven", None),
    ("a hundred", None),
    ("it was a four yesterday but today a seven", None),
]


@pytest.mark.parametrize(("text", "value"), SCALES)
def test_parse_scale(text: str, value: float | None) -> None:
    assert parse_scale(text) == value


CHOICES: list[tuple[str, str, str | None]] = [
    ("sleep", "I slept okay", "okay"),
    ("sleep", "not bad", "okay"),
    ("sleep", "Not too bad actually", "okay"),
    ("sleep", "pretty badly, I kept waking up", "poor"),
    ("sleep", "I didn't sleep at all", "poor"),
    ("sleep", "like a log", "good"),
    ("sleep", "Really well, thanks", "good"),
    ("sleep", "not great", "poor"),
    ("sleep", "alright I guess", "okay"),
    ("sleep", "good at first then bad", None),
    ("sleep", "I had a dream about my boss", None),
    ("energy", "pretty low", "low"),
    ("energy", "I'm exhausted", "low"),
    ("energy", "somewhere in the middle", "medium"),
    ("energy", "buzzing!", "high"),
]


@pytest.mark.parametrize(("item_id", "text", "value"), CHOICES)
def test_parse_choice(script: CheckinScript, item_id: str, text: str, value: str | None) -> None:
    assert parse_choice(text, script.item(item_id)) == value


@pytest.mark.parametrize(
    "text",
    ["skip", "Pass.", "next question", "I'd rather not say", "can we skip this one please",
     "I don't want to talk about it", "let's move on", "I'll pass"],
)  # fmt: skip
def test_skip(text: str) -> None:
    assert is_skip(text)


@pytest.mark.parametrize(
    "text",
    ["I want to skip work tomorrow", "I passed my exam", "next week is busy", "six", ""],
)
def test_not_skip(text: str) -> None:
    assert not is_skip(text)


@pytest.mark.parametrize(
    "text",
    ["I want to stop", "that's enough for today", "Can we finish?", "goodbye", "Bye for now!",
     "I'm done for today, thanks", "okay, I think that's it for now", "let's end the check-in",
     "I have to go now", "stop"],
)  # fmt: skip
def test_stop(text: str) -> None:
    assert is_stop(text)


@pytest.mark.parametrize(
    "text",
    ["I want to stop feeling like this", "I have to go to work soon and I'm stressed",
     "I'm done with this week", "I can't stop crying", "the bus didn't stop", ""],
)  # fmt: skip
def test_not_stop(text: str) -> None:
    assert not is_stop(text)


def test_spoken_number() -> None:
    assert [spoken_number(v) for v in (0, 6, 7.5, 10, 6.2)] == [
        "zero",
        "six",
        "seven and a half",
        "ten",
        "six point two",
    ]


# --- the flow ------------------------------------------------------------------------------


def test_a_whole_check_in(script: CheckinScript) -> None:
    flow = CheckinFlow(script)
    phases = [flow.phase]
    first = flow.start()
    phases.append(flow.phase)
    assert first.item_id == "mood"
    assert first.text.startswith(script.greeting) and first.text.endswith(script.items[0].prompt)

    step = flow.answer("pretty bad, maybe a three")
    assert step.kind is StepKind.NEXT and step.reflect
    assert step.answer == Answer("mood", AnswerStatus.ANSWERED, 3.0)
    assert step.prompt is not None and step.prompt.item_id == "sleep"

    step = flow.answer("I slept okay")
    assert step.answer == Answer("sleep", AnswerStatus.ANSWERED, "okay")
    step = flow.answer("skip")
    assert step.kind is StepKind.NEXT and not step.reflect
    assert step.answer == Answer("energy", AnswerStatus.SKIPPED)
    step = flow.answer("  Work, mostly.   My manager   is leaving. ")
    assert step.answer == Answer(
        "on_mind", AnswerStatus.ANSWERED, "Work, mostly. My manager is leaving."
    )
    step = flow.answer("I went for a swim")
    assert step.kind is StepKind.OPEN and step.reflect
    assert step.prompt is not None and step.prompt.text == script.open_prompt
    phases.append(flow.phase)

    assert flow.answer("My sister is visiting this weekend").kind is StepKind.CONVERSE
    assert flow.answer("that's enough for today").kind is StepKind.STOP
    phases.append(flow.phase)
    assert phases == [Phase.NOT_STARTED, Phase.SCRIPTED, Phase.OPEN, Phase.FINISHED]

    summary = flow.summary()
    assert summary.items == {
        "mood": 3.0,
        "sleep": "okay",
        "energy": None,
        "on_mind": "Work, mostly. My manager is leaving.",
        "went_well": "I went for a swim",
    }
    assert summary.text == (
        "Today you rated your mood three out of ten, you slept okay, you shared what's on your"
        " mind, and you named something that went well. " + script.closing
    )
    assert [a.status for a in summary.answers] == [
        AnswerStatus.ANSWERED,
        AnswerStatus.ANSWERED,
        AnswerStatus.SKIPPED,
        AnswerStatus.ANSWERED,
        AnswerStatus.ANSWERED,
    ]
    with pytest.raises(CheckinStateError):
        flow.answer("hello?")


def test_clarify_once_then_move_on(script: CheckinScript) -> None:
    flow = CheckinFlow(script)
    flow.start()
    step = flow.answer("hmm, hard to say")
    assert step.kind is StepKind.CLARIFY and step.answer is None and not step.reflect
    assert step.prompt is not None and step.prompt.text == script.item("mood").clarify
    step = flow.answer("seven")
    assert step.answer == Answer("mood", AnswerStatus.ANSWERED, 7.0)

    step = flow.answer("I had a weird dream")
    assert step.kind is StepKind.CLARIFY
    step = flow.answer("still not sure")
    assert step.kind is StepKind.NEXT
    assert step.answer == Answer("sleep", AnswerStatus.UNANSWERED)
    assert step.prompt is not None and step.prompt.item_id == "energy"
    # the next item gets its own clarification
    assert flow.answer("dunno").kind is StepKind.CLARIFY


def test_stop_at_once(script: CheckinScript) -> None:
    flow = CheckinFlow(script)
    flow.start()
    assert flow.answer("Actually I want to stop").kind is StepKind.STOP
    summary = flow.summary()
    assert set(summary.items.values()) == {None}
    assert summary.text.startswith("We didn't get to the questions today")
    assert summary.answers == ()


def test_finish_when_the_person_hangs_up(script: CheckinScript) -> None:
    flow = CheckinFlow(script)
    flow.start()
    flow.answer("eight")
    summary = flow.finish()
    assert flow.phase is Phase.FINISHED
    assert summary.items["mood"] == 8.0
    assert summary.text.startswith("Today you rated your mood eight out of ten.")


def test_calls_out_of_order(script: CheckinScript) -> None:
    flow = CheckinFlow(script)
    with pytest.raises(CheckinStateError) as info:
        flow.answer("six")
    assert info.value.code == "bad_state"
    flow.start()
    with pytest.raises(CheckinStateError):
        flow.start()
