"""Names of things that hold a risk word, said plainly before any reader sees the turn:
"a car with suicide doors" is a car with rear-hinged doors, "shoot me an email" asks for an
email, "kill the parent process" stops a program.

Both readers take the plain wording (``detector.detect`` and ``screen.RiskScreen``). The
rules could mask such a name, but the learned screen reads words, not masks: "suicide
doors" or "shoot me an email" alone made it read a crisis, and a turn with a phrase cut out
reads oddly to it ("I could a pizza right now" made a crisis of a craving). An everyday
paraphrase is what the encoder was trained on, so each name here has one. Only names whose
every use is harmless are listed; "suicide note", "suicide pact" or a "suicide knot" are
never names of something else.

Works on the raw turn (any case, hyphens or spaces), so the screen still reads the person's
own wording everywhere else.
"""

from __future__ import annotations

import re

_GAP = r"[\s-]+"

_TRAINING = re.compile(
    r"\b(?:practice|practise|training|coach|gym|drills?|court|pitch|pe|p\.e\.|basketball"
    r"|football|soccer|netball|hockey|lacrosse|volleyball)\b",
    re.IGNORECASE,
)
# "coach made us run suicides", "we did ten suicides at practice": the drill, only with a
# verb of running or doing and a word of training in the turn ("lost two people to
# suicides" is never a drill)
_DRILL = re.compile(
    rf"\b(?:run|ran|running|runs|do|did|doing|does)(?:{_GAP}\w+)?{_GAP}(?:suicides"
    rf"|suicide{_GAP}runs?)\b",
    re.IGNORECASE,
)

_NAMES: tuple[tuple[str, str], ...] = (
    # cars, roads, rockets, cards, sport, hair, food, biology
    (rf"suicide{_GAP}doors?", "rear-hinged doors"),
    (rf"suicide{_GAP}(?:knob|spinner)", "steering knob"),
    (rf"suicide{_GAP}(?:shift|shifter|clutch)", "foot clutch"),
    (rf"suicide{_GAP}seat", "front passenger seat"),
    (rf"suicide{_GAP}lane", "centre turning lane"),
    (rf"suicide{_GAP}burn", "landing burn"),
    (rf"suicide{_GAP}kings?", "king of hearts"),
    (rf"suicide{_GAP}squeeze(?:{_GAP}play)?", "squeeze play"),
    # not "suicide runs in my family", not "the suicide lines" (helplines)
    (rf"suicide{_GAP}(?:sprints?|drills?|shuttles)", "shuttle sprints"),
    (rf"suicide{_GAP}blondes?", "bottle blonde"),
    (rf"suicide{_GAP}(?:wings|sauce|chilli|chili|curry)", "extra hot wings"),
    (rf"cell(?:ular)?{_GAP}suicide(?!{_GAP}(?:watch|risk|attempt|note|rate))", "apoptosis"),
    (r"killer\s+whales?", "orcas"),
    (rf"kill{_GAP}switch(?:es)?", "off switch"),
    # work and machines
    (
        r"\bshoot\s+(?:me|him|her|them|us|you)\s+(?:an?|the|your|over\s+an?)\s+(?:quick\s+)?"
        r"(?:e-?mail|text|message|line|note|dm|invite|link|reply|update|msg|pm)\b",
        "send me a message",
    ),
)

# Killing a program: the verb said plainly, the rest kept ("kill the parent process").
_PROGRAM = re.compile(
    r"\b(kill|killed|killing|kills)(?=\s+(?:-9\s+)?(?:the|a|this|that|my|every|all(?:\s+the)?)\s+"
    r"(?:\w+\s+){0,2}(?:process|processes|task|tasks|job|jobs|app|apps|program|programs"
    r"|server|servers|container|containers|tab|tabs|thread|threads|daemon|pid|session"
    r"|sessions|query|queries|build|pod|pods)\b)",
    re.IGNORECASE,
)
_STOP = {"kill": "stop", "kills": "stops", "killed": "stopped", "killing": "stopping"}


def _stop(match: re.Match[str]) -> str:
    return _STOP[match.group(1).lower()]


# Parents, children and zombies, where the turn is about processes: "how do I kill the
# parent process without killing the children?"
_PROCESS = re.compile(
    r"\b(?:(?:parent|child|zombie|orphan|orphaned|background|running|worker)\s+process(?:es)?"
    r"|pids?|daemons?|sigkill|sigterm|linux|unix)\b",  # not "bash", a verb too
    re.IGNORECASE,
)
_PROCESS_KIN = re.compile(
    r"\b(kill|kills|killed|killing)(?=\s+(?:the\s+|its\s+|their\s+|all\s+(?:the\s+)?)?"
    r"(?:child|children|parent|parents|orphans?|zombies?)\b)",
    re.IGNORECASE,
)

_COMPILED = tuple((re.compile(pattern, re.IGNORECASE), plain) for pattern, plain in _NAMES)


def plain_names(text: str) -> str:
    """The turn with every harmless name of a thing said plainly (see the module's text)."""
    if _PROCESS.search(text):
        text = _PROCESS_KIN.sub(_stop, text)
    text = _PROGRAM.sub(_stop, text)
    if _TRAINING.search(text):
        text = _DRILL.sub("run shuttle sprints", text)
    for pattern, plain in _COMPILED:
        text = pattern.sub(plain, text)
    return text
