"""The rubric a companion's reply is held to, as checks that need no model (all pure).

Built on what counsellors are taught (motivational interviewing: reflect before asking,
open rather than closed questions, no advice unless asked, no cheerleading over distress)
and checked against a reader's labels of replies (``voice eval-replies --check-rubric``;
the figures are in docs/replies.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from voice.dialogue.advice import ADVICE, asks_for_advice, is_advice
from voice.dialogue.prompt import MAX_REPLY_SENTENCES

MAX_WORDS = 60

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_STOPWORDS = frozenset(
    "a an the and or but so to of in on at for with about from by is am are was were be been "
    "being i me my mine myself you your yours yourself we our it its this that these those "
    "there here what how why when who which do did does done doing have has had having not no "
    "yes just really very quite bit little lot some any all more most much many can could "
    "would should will shall may might must get got getting feel feeling feels felt today "
    "day like also too them they their he she his her him as if then than into out up down "
    "over again still sound sounds sounded thing things know think thought going go want "
    "way make made one even well right now time lately something anything everything "
    "hear heard understand sorry glad great good wonderful nice okay ok tell share talk "
    "seem seems im ive id dont cant its thats youre youve theres".split()
)
_FEELINGS = frozenset(
    "sad down low blue unhappy miserable depressed depressing hopeless lonely alone isolated "
    "tired exhausted drained worn weary sleepy anxious anxiety worried worry worrying nervous "
    "scared afraid fear frightened panic panicky stressed stress stressful overwhelmed "
    "overwhelming pressure angry anger mad furious frustrated frustrating annoyed irritated "
    "upset hurt hurting ashamed shame guilty guilt embarrassed jealous confused lost stuck "
    "numb empty bored restless disappointed disappointing heartbroken grief grieving "
    "happy glad relieved relief calm content proud excited hopeful grateful thankful "
    "cheerful cheered better worse hard difficult tough rough heavy painful struggle "
    "struggling cope coping uncertain unsure uneasy uncomfortable unwell sadness heartache "
    "insecure helpless powerless useless worthless trapped rejected abandoned betrayed "
    "ignored unappreciated disrespected loneliness terrified dread".split()
)
_GENERIC = frozenset("hard difficult tough rough struggle struggling cope coping".split())
"""Feelings anyone could be told they have: no reflection of this person on their own."""
_DISTRESS = _FEELINGS - frozenset(
    "happy glad relieved relief calm content proud excited hopeful grateful thankful "
    "cheerful cheered better".split()
) | frozenset("not never didnt couldnt cant wont nothing nobody badly bad awful terrible".split())
_CHEER = re.compile(
    r"\b(that'?s|that is|how|sounds?)\s+(so\s+|really\s+)?(great|wonderful|awesome|amazing|"
    r"fantastic|brilliant|exciting)\b|\b(glad|good|great|happy) to hear\b",
    re.IGNORECASE,
)
_REFLECTION = re.compile(
    "|".join(
        [
            r"\b(sounds?|sounded) (like|as if|as though|really|so|very|quite|pretty|hard|tough|"
            r"difficult|painful|lonely|exhausting|frustrating|stressful|upsetting)\b",
            r"\b(it|that) (seems|must|can'?t) (be|have|like)\b|\bseems? like\b",
            r"\bi can (see|tell|imagine|hear)\b|\bi hear (you|that you|how)\b|^i wonder if\b",
            r"\bso you('re| are| feel| have|'ve)\b|\byou (must|might) (be|have|feel)\b",
            r"\byou('re| are) (feeling|finding|carrying|missing|worried|tired|struggling|"
            r")\b|\byou (feel|felt|have been|'ve been)\b",
        ]
    ),
    re.IGNORECASE,
)
"""The forms a reflection takes (it sounds like, you must be feeling, so you...)."""
_NOT_REFLECTION = re.compile(
    r"^(i hope|i wish|thank|thanks|good luck|i'm glad|i am glad|i think (it'?s|it is) great)",
    re.IGNORECASE,
)
"""A wish, thanks or praise, about the person but not saying back what they said."""
_PREFACE = re.compile(
    r"^(i (can )?understand|i'?m (so |really |very )?sorry to hear|i hear)( that| how| why)?"
    r"[,\s]+",
    re.IGNORECASE,
)
"""Words before a reflection that say nothing of the person themselves."""
_YOU = re.compile(r"\byou(r|rs|rself|'re|'ve|'d|'ll)?\b", re.IGNORECASE)
_PHATIC = re.compile(
    r"\b(hi|hello|hey|thanks|thank|please|doing|fine|nice|meet|evening|morning|afternoon|"
    r"about|usual|there|bob|alright)\b",
    re.IGNORECASE,
)
"""Greetings and small talk: a turn with nothing else has nothing to reflect."""
_CLOSED_START = frozenset(
    "do does did don't doesn't didn't is isn't are aren't was wasn't were weren't have "
    "haven't has hasn't had can can't could couldn't would wouldn't will won't should "
    "shall may might am any".split()
)
_INVITATION = re.compile(
    r"(can|could|would|will) you (please )?(tell|say|share|describe|explain|talk)( me)? "
    r"(a (little|bit) )?(more|about|what|how|why)\b|would you like to (tell|share|say|talk)\b"
)
_LEAD = re.compile(r"^(and|so|but|then|also|now|okay|ok|well|i wonder|i'm wondering)[,\s]+")


@dataclass(frozen=True, slots=True)
class Checks:
    """How one reply to one turn fares on each part of the rubric."""

    sentences: int
    words: int
    questions: int
    open_questions: int
    advice: bool
    asked_for_advice: bool
    cheerleading: bool
    reflects: bool
    """A statement (not a question) says back something of what the person said; a
    greeting or small talk has nothing to say back."""
    guard_ok: bool

    @property
    def length_ok(self) -> bool:
        """One to three short sentences."""
        return 1 <= self.sentences <= MAX_REPLY_SENTENCES and self.words <= MAX_WORDS

    @property
    def question_ok(self) -> bool:
        """At most one question, and that one open."""
        return self.questions == 0 or (self.questions == 1 and self.open_questions == 1)

    @property
    def advice_ok(self) -> bool:
        """No advice the person did not ask for."""
        return not self.advice or self.asked_for_advice

    @property
    def passed(self) -> bool:
        """Every check passes."""
        return (
            self.length_ok
            and self.question_ok
            and self.advice_ok
            and not self.cheerleading
            and self.reflects
            and self.guard_ok
        )


def sentences(text: str) -> list[str]:
    """The text's sentences (split after . ! ? and an ellipsis)."""
    return [s.strip() for s in re.split(r"(?<=[.!?…])\s+", text.strip()) if s.strip()]


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


def content_stems(text: str) -> set[str]:
    """The text's content words, cut to five letters (a crude stem: worry, worried)."""
    kept = (w.replace("'", "") for w in _words(text))
    return {w[:5] for w in kept if w not in _STOPWORDS and len(w) > 2}


def is_open(question: str) -> bool:
    """An open question invites the person to say more in their own words (what, how,
    tell me...); a closed one is answered yes or no (do you, is it, have you...). A
    request to say more in a question's form ("Can you tell me more about it?") invites
    as an open question does, and counts as one."""
    text = _LEAD.sub("", question.strip().lower().replace("’", "'"))
    if _INVITATION.match(text):
        return True
    words = _words(text)
    return bool(words) and words[0] not in _CLOSED_START


def distressed(turn: str) -> bool:
    """The turn carries some difficulty (a hard feeling, a not, a bad day)."""
    return bool({w.replace("'", "") for w in _words(turn)} & _DISTRESS)


def reflects(turn: str, statement: str) -> bool:
    """``statement`` says back something of ``turn``: one of their words or a feeling
    more particular than "a hard time", in a reflection's form (it sounds like, you must
    be feeling...), or about the person, or two of their words."""
    text = _PREFACE.sub("", statement.replace("’", "'"))
    if ADVICE.search(text) or _NOT_REFLECTION.search(text):
        return False
    shared = content_stems(turn) & content_stems(text)
    feeling = bool({w.replace("'", "") for w in _words(text)} & (_FEELINGS - _GENERIC))
    if not shared and not feeling:
        return False  # "it sounds like you're going through a difficult time": anyone's
    if _REFLECTION.search(text):
        return True
    if re.match(r"(i|i'm|i've|i'd|i'll|me|my)\b", text, re.IGNORECASE):
        return False  # about the speaker, not the person
    if len(shared) >= 2:
        return True
    return bool(_YOU.search(text)) and (bool(shared) or feeling)


def check(turn: str, reply: str, *, guard_ok: bool = True) -> Checks:
    """The rubric's checks of ``reply`` to ``turn``."""
    said = sentences(reply)
    asked = [s for s in said if s.endswith("?")]
    return Checks(
        sentences=len(said),
        words=len(reply.split()),
        questions=len(asked),
        open_questions=sum(is_open(q) for q in asked),
        advice=is_advice(reply),
        asked_for_advice=asks_for_advice(turn),
        cheerleading=bool(_CHEER.search(reply)) and distressed(turn),
        reflects=not content_stems(_PHATIC.sub(" ", turn))
        or any(reflects(turn, s) for s in said if not s.endswith("?")),
        guard_ok=guard_ok,
    )
