"""The safety core: detector (measured and hard cases), scripted replies, reply guard, and the
evaluation used by ``voice eval-safety``."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from voice.errors import ConfigError
from voice.safety import (
    LOCALES,
    RiskCategory,
    SafetyLevel,
    SafetyVerdict,
    concern_reply,
    crisis_reply,
    detect,
    guard_reply,
    normalise,
    resources_for,
    scripted_reply,
)
from voice.safety.guard import GuardReason
from voice.tools.eval_safety import (
    EvaluationError,
    LabelledRow,
    evaluate,
    parse_labelled_rows,
    read_labelled_csv,
    report_json,
)

DATA = Path(__file__).resolve().parent.parent / "data"
CRISIS, CONCERN, NONE = SafetyLevel.CRISIS, SafetyLevel.CONCERN, SafetyLevel.NONE


# --- measured on labelled sets -------------------------------------------------------------


def pointing(text: str) -> SafetyVerdict:
    """The rules' verdict, counting a crisis signal (a concern the learned screen decides
    on, ``voice.safety.detector.CRISIS_SIGNALS``) as the crisis the rules point at."""
    verdict = detect(text)
    if (verdict.rule or "").endswith(".signal"):
        return SafetyVerdict(CRISIS, verdict.category, verdict.rule, verdict.about_other)
    return verdict


def test_labelled_set_meets_the_targets() -> None:
    rows = read_labelled_csv(DATA / "safety_labelled.csv")
    report = evaluate(rows, pointing)
    assert report["n"] == len(rows) and len(rows) >= 300
    labels = [row.label for row in rows]
    assert labels.count(CRISIS) >= 100 and labels.count(NONE) >= 100
    assert isinstance(report["crisis_recall"], float) and report["crisis_recall"] >= 0.95
    assert isinstance(report["false_positive_rate"], float)
    assert report["false_positive_rate"] <= 0.05


@pytest.mark.parametrize(
    ("name", "min_recall", "max_fpr"),
    [
        # holdout and holdout2: their misses were read to find the families generalised in
        # rules_general.py, so they are no longer held out (were 19/30 and 26/31)
        ("safety_holdout.csv", 1.0, 0.029),  # measured: crisis 30/30, false positives 1/35
        ("safety_holdout2.csv", 1.0, 0.028),  # measured: crisis 31/31, false positives 1/36
        # written after the last change, measured once, never tuned on (was 9/30 before)
        ("safety_holdout3.csv", 0.366, 0.0),  # measured: crisis 11/30, false positives 0/32
        # written later by writers who saw neither the rules nor their data; holdouts 5-7's
        # false positives were then read and fixed by phenomenon (docs/safety.md)
        ("safety_holdout4.csv", 0.2375, 0.0),  # crisis 19/80, false positives 0/80
        ("safety_holdout5.csv", 0.25, 0.0),  # crisis 20/80, false positives 0/80 (was 3)
        ("safety_holdout6.csv", 0.25, 0.0),  # crisis 20/80, false positives 0/80 (was 2)
        ("safety_holdout7.csv", 0.3125, 0.0),  # crisis 25/80, false positives 0/80 (was 5)
        ("safety_holdout8.csv", 0.225, 0.025),  # measured once: crisis 18/80, fp 2/80
    ],
)
def test_holdout_figures_do_not_regress(name: str, min_recall: float, max_fpr: float) -> None:
    """Sets written after the detector was frozen, and never tuned on. Their figures are well
    below the targets, so the test pins the honest measured figures as a floor instead of the
    0.95 / 5% targets (docs/safety.md)."""
    rows = read_labelled_csv(DATA / name)
    assert len(rows) >= 60
    report = evaluate(rows, pointing)
    recall, fpr = report["crisis_recall"], report["false_positive_rate"]
    assert isinstance(recall, float) and recall >= min_recall
    assert isinstance(fpr, float) and fpr <= max_fpr


# --- hard cases ----------------------------------------------------------------------------

CASES: list[tuple[str, SafetyLevel]] = [
    # the issue's own examples
    ("Sometimes I think everyone would be better off without me", CRISIS),
    ("I don't see the point anymore", CRISIS),
    ("I want to go to sleep and not wake up", CRISIS),
    # compositional families (rules_general.py), each with a benign neighbour
    ("part of me hopes I don't wake up after the operation", CRISIS),
    ("I hope I don't make it to the party on time", NONE),
    ("I wish I could stop existing", CRISIS),
    ("if there was a pill to not wake up I'd take it in a heartbeat", CRISIS),
    ("my wife would be relieved once I'm gone", CRISIS),
    ("the team will be fine when I'm gone on holiday", NONE),
    ("been staring at the pills on my desk for hours", CRISIS),
    ("I held the knife and chopped onions for ages", NONE),
    ("I've been stockpiling my pills", CRISIS),
    ("I looked up how much insulin would kill me", CRISIS),
    ("I looked up how much coffee is too much", NONE),
    ("I wrote letters to my kids explaining why", CRISIS),
    ("I wrote thank you notes to everyone", NONE),
    ("I found a new home for my cat so she'll be looked after", CRISIS),
    ("I gave away my old clothes to charity", NONE),
    ("I pressed a lighter against my arm", CRISIS),
    ("I cut my hand opening a can", NONE),
    ("he came at me with a knife last night", CRISIS),
    ("I swallowed half a pack of paracetamol", CRISIS),
    ("I took half the day off", NONE),
    ("I'm going to hurt somebody if this doesn't stop", CRISIS),
    ("I'm restricting to 400 calories", CONCERN),
    ("if i got hit by a bus tomorrow that'd be fine by me", CRISIS),
    ("i wanna dissapear forever", CRISIS),
    # negation: a denial is a concern, never silently none; a negated phrase of despair is
    # still a crisis; a negation elsewhere in the sentence does not hide the risk
    ("I'm not going to kill myself", CONCERN),
    ("I would never kill myself, my kids need me", CONCERN),
    ("I'm not suicidal", CONCERN),
    ("I don't want to live anymore", CRISIS),
    ("I'm not gonna lie, I want to die", CRISIS),
    ("I'm not okay. I want to end my life", CRISIS),
    ("I can't stop thinking about killing myself", CRISIS),
    ("I'm not going to do it tonight, but I keep thinking about it", CRISIS),
    ("I don't want to live with my parents anymore", NONE),
    ("I'd never hurt anyone", NONE),
    # figurative speech
    ("This traffic is killing me", NONE),
    ("killing time before my appointment", NONE),
    ("I'd die for a coffee", NONE),
    ("I'm dying to see the new film", NONE),
    ("dead tired today", NONE),
    ("I killed it at the gym", NONE),
    ("shoot me an email when you're free", NONE),
    ("I overdosed on chocolate", NONE),
    ("My mum is going to kill me when she sees my grades", NONE),
    ("I'm so embarrassed I want to die", NONE),
    ("This job is killing me and I want to kill myself", CRISIS),
    # curly quotes, contractions, fillers, lower case, run-ons
    ("I\u2019m going to end it all tonight", CRISIS),
    ("i dont wanna be here no more", CRISIS),
    ("um I just, like, you know, want to die", CRISIS),
    ("im so tired i cant do this anymore i just want to die", CRISIS),
    # transcription errors and spellings
    ("i want to kill my self", CRISIS),
    ("I'm suicidle", CRISIS),
    ("I want to dye", CRISIS),
    ("I want to dye my hair", NONE),
    ("i want to and my life", CRISIS),
    ("i cant breath", CRISIS),
    # other people, news, fiction
    ("My friend just texted me that she's going to kill herself tonight", CRISIS),
    ("My sister has been talking about suicide", CONCERN),
    ("Kurt Cobain killed himself in 1994", NONE),
    ("In the book the main character kills herself", NONE),
    ("I read an article about suicide rates", NONE),
    ("The song goes I want to die, it's so catchy", NONE),
    # history and accidents
    ("I tried to kill myself years ago but I'm doing much better now", CONCERN),
    ("I tried to kill myself last night", CRISIS),
    ("I cut myself shaving", NONE),
    ("I cut myself again last night", CRISIS),
    # the other categories
    ("he hits me when he drinks", CRISIS),
    ("My dad used to hit me when I was a kid", CONCERN),
    ("I have thoughts of hurting my baby", CRISIS),
    ("I could kill my brother for eating my leftovers", NONE),
    ("I think I'm having a heart attack", CRISIS),
    ("You nearly gave me a heart attack", NONE),
    ("I took a whole bottle of pills", CRISIS),
    ("I took two paracetamol for my headache", NONE),
    ("I haven't eaten in 5 days and I fainted", CRISIS),
    ("I make myself sick after I eat", CONCERN),
    ("I threw up because of food poisoning", NONE),
]


@pytest.mark.parametrize(("text", "level"), CASES)
def test_hard_cases(text: str, level: SafetyLevel) -> None:
    assert pointing(text).level is level


def test_the_category_names_the_risk() -> None:
    assert detect("I want to kill myself").category is RiskCategory.SUICIDE
    assert detect("I've been cutting my arms").category is RiskCategory.SELF_HARM
    assert detect("My husband hits me").category is RiskCategory.ABUSE
    assert detect("I want to shoot up the school").category is RiskCategory.HARM_TO_OTHERS
    assert detect("I can't breathe").category is RiskCategory.MEDICAL_EMERGENCY
    assert detect("I've been starving myself").category is RiskCategory.EATING_DISORDER
    assert detect("I'm not coping at all").category is RiskCategory.DISTRESS


def test_someone_elses_crisis_is_marked_about_them() -> None:
    other = detect("My brother is on the bridge right now and says he's going to jump")
    assert other.level is CRISIS and other.about_other
    assert not detect("I'm going to jump off the bridge").about_other


def test_an_ordinary_turn_is_not_flagged() -> None:
    verdict = detect("I slept okay and my mood is about a six")
    assert verdict == SafetyVerdict(NONE)
    assert not verdict.flagged and not verdict.is_crisis


def test_the_verdict_never_holds_the_words() -> None:
    verdict = detect("I keep thinking about jumping off the Clifton bridge")
    assert verdict.is_crisis
    assert "clifton" not in repr(verdict).lower()
    assert re.fullmatch(r"[a-z_]+\.[a-z_]+(?:\.[a-z_]+)?", verdict.rule or "")


def test_normalisation() -> None:
    assert normalise("I\u2019m NOT gonna, um, kill my self") == "i am not going to kill myself"
    assert normalise("i dont wanna be here no more") == "i do not want to be here anymore"
    assert normalise("haven't eaten in three days") == "have not eaten in 3 days"
    assert normalise("no one would notice") == "no one would notice"


def test_odd_input_is_safe() -> None:
    for text in ("", "   ", "...", "\u2019\u201c", "a" * 5000, ", " * 2000):
        assert detect(text).level is NONE


# --- scripted replies ----------------------------------------------------------------------

SPOKEN_DIGITS = re.compile(r"\d")


def test_crisis_reply_us() -> None:
    reply = crisis_reply(detect("I want to kill myself"))
    text = reply.text
    assert "Are you safe right now?" in text
    assert "nine eight eight" in text and "nine one one" in text
    assert "not an emergency service" in text
    assert not SPOKEN_DIGITS.search(text) and "http" not in text and "www" not in text
    assert [r.number for r in reply.resources] == ["988", "911"]
    assert reply.resources[0].as_dict() == {
        "name": "988 Suicide and Crisis Lifeline",
        "number": "988",
        "kind": "call_or_text",
    }


def test_crisis_reply_gb_and_other_locales() -> None:
    text = crisis_reply(detect("I want to die"), "gb").text
    assert "Samaritans" in text and "one one six, one two three" in text
    assert "nine nine nine" in text
    assert resources_for("en-GB") is resources_for("uk") is LOCALES["gb"]
    assert "thirteen eleven fourteen" in crisis_reply(detect("I want to die"), "au").text
    for locale in LOCALES:
        reply = crisis_reply(detect("I want to die"), locale)
        assert not SPOKEN_DIGITS.search(reply.text), locale


def test_unknown_locale_names_the_key() -> None:
    with pytest.raises(ConfigError, match="safety_locale"):
        crisis_reply(detect("I want to die"), "xx")


def test_crisis_reply_reads_the_persons_safety_plan() -> None:
    plan = "Call my sister Ana. Go for a walk.   Remember the dog needs me"
    text = crisis_reply(detect("I want to die"), safety_plan=plan).text
    assert "Call my sister Ana. Go for a walk. Remember the dog needs me." in text
    assert text.index("Call my sister") < text.index("to talk to someone trained to help")
    assert "safety plan" not in crisis_reply(detect("I want to die")).text


def test_crisis_replies_fit_the_category() -> None:
    medical = crisis_reply(detect("I think I'm having a heart attack"))
    assert "nine one one now" in medical.text
    assert [r.number for r in medical.resources] == ["911"]
    abuse = crisis_reply(detect("My husband hits me"))
    assert "not your fault" in abuse.text and "seven nine nine" in abuse.text
    assert abuse.resources[0].number == "1-800-799-7233"
    other = crisis_reply(detect("My friend says she's going to kill herself tonight"))
    assert "someone you care about" in other.text


def test_concern_reply_asks_one_question_and_offers_the_line() -> None:
    for text in ("I feel hopeless", "I'm not going to kill myself", "I'm not coping at all"):
        reply = concern_reply(detect(text))
        assert reply.text.count("?") == 1 and reply.text.endswith("?")
        assert "nine eight eight" in reply.text


def test_scripted_reply_by_level() -> None:
    assert scripted_reply(detect("I'm fine")) is None
    concern = scripted_reply(detect("I feel hopeless"))
    crisis = scripted_reply(detect("I want to kill myself"))
    assert concern is not None and crisis is not None
    assert "not an emergency service" in crisis.text
    assert "not an emergency service" not in concern.text


# --- the guard on the model's replies ------------------------------------------------------

GUARDED: list[tuple[str, GuardReason | None]] = [
    ("You have depression.", GuardReason.DIAGNOSIS),
    ("Honestly, you are bipolar.", GuardReason.DIAGNOSIS),
    ("It sounds like you have PTSD.", GuardReason.DIAGNOSIS),
    ("These are classic symptoms of depression.", GuardReason.DIAGNOSIS),
    ("Take 20 mg of sertraline before bed.", GuardReason.MEDICATION),
    ("Maybe increase your sertraline a little.", GuardReason.MEDICATION),
    ("You should stop taking your meds.", GuardReason.MEDICATION),
    ("Melatonin can really help with sleep.", GuardReason.MEDICATION),
    ("Maybe you should just end it all.", GuardReason.HARM),
    ("You could skip dinner tonight.", GuardReason.HARM),
    ("Talk to your doctor about your medication.", None),
    ("Please don't stop taking your medication without talking to your doctor.", None),
    ("Your doctor might be able to adjust your dose.", None),
    ("You mentioned you were diagnosed with depression. How is that going?", None),
    ("A doctor can help you figure out whether it might be depression.", None),
    ("You don't deserve to suffer like this.", None),
    ("That sounds like a long day. What helped you get through it?", None),
    ("It's normal to feel nervous before an exam.", None),
]


@pytest.mark.parametrize(("reply", "reason"), GUARDED)
def test_guard(reply: str, reason: GuardReason | None) -> None:
    result = guard_reply(reply)
    assert result.reason is reason
    assert result.ok is (reason is None)
    if reason is None:
        assert result.replacement is None
    else:
        assert result.replacement and guard_reply(result.replacement).ok


def test_guard_replacement_uses_the_locale() -> None:
    result = guard_reply("You should hurt yourself.", locale="gb")
    assert result.replacement is not None and "Samaritans" in result.replacement


# --- evaluation ----------------------------------------------------------------------------


def _reader(text: str) -> csv.DictReader[str]:
    return csv.DictReader(io.StringIO(text))


def test_evaluate_counts_and_lists_every_miss() -> None:
    rows = [
        LabelledRow("a", CRISIS, "suicide", 2),
        LabelledRow("b", CRISIS, "suicide", 3),
        LabelledRow("c", NONE, None, 4),
        LabelledRow("d", NONE, None, 5),
        LabelledRow("e", CONCERN, "abuse", 6),
    ]
    verdicts = {
        "a": SafetyVerdict(CRISIS, RiskCategory.SUICIDE, "suicide.x"),
        "b": SafetyVerdict(CONCERN, RiskCategory.SUICIDE, "suicide.y"),
        "c": SafetyVerdict(NONE),
        "d": SafetyVerdict(CONCERN, RiskCategory.DISTRESS, "distress.z"),
        "e": SafetyVerdict(CRISIS, RiskCategory.ABUSE, "abuse.w"),
    }
    report = evaluate(rows, detector=verdicts.__getitem__)
    assert report["n"] == 5
    assert report["crisis_recall"] == 0.5
    assert report["false_positive_rate"] == 0.5
    assert report["crisis_false_positive_rate"] == 0.0
    assert report["concern_recall"] == 1.0
    per_category = report["per_category"]
    assert isinstance(per_category, dict)
    assert per_category["suicide"]["crisis_recall"] == 0.5
    misses = report["misses"]
    assert isinstance(misses, list)
    assert [(m["text"], m["expected"], m["got"]) for m in misses] == [
        ("b", "crisis", "concern"),
        ("d", "none", "concern"),
        ("e", "concern", "crisis"),
    ]
    assert json.loads(report_json(report))["n"] == 5


def test_reader_column_options_and_labels() -> None:
    rows = parse_labelled_rows(
        _reader("utterance,gold\nI want to die,CRISIS\nnice day, none \n,\n"),
        text_column="utterance",
        label_column="gold",
    )
    assert [(r.text, r.label, r.category, r.line) for r in rows] == [
        ("I want to die", CRISIS, None, 2),
        ("nice day", NONE, None, 3),
    ]


def test_reader_names_a_missing_column() -> None:
    with pytest.raises(EvaluationError, match=r"no column 'text' \(columns: utterance, label\)"):
        parse_labelled_rows(_reader("utterance,label\nhi,none\n"))
    with pytest.raises(EvaluationError, match="--label-column"):
        parse_labelled_rows(_reader("text,gold\nhi,none\n"))


def test_reader_rejects_an_unknown_label(tmp_path: Path) -> None:
    path = tmp_path / "set.csv"
    path.write_text("text,label\nhi,none\nbye,urgent\n", encoding="utf-8")
    with pytest.raises(EvaluationError, match=r"line 3: unknown label 'urgent'") as info:
        read_labelled_csv(path)
    assert info.value.code == "bad_eval_data"
    with pytest.raises(EvaluationError, match="cannot be read"):
        read_labelled_csv(tmp_path / "missing.csv")
