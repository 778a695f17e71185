"""The companion's voice: system prompt, greeting, history, and reply shaping (all pure)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from voice.dialogue.advice import is_advice
from voice.dialogue.chat import ChatMessage, Role

SYSTEM_PROMPT = (
    "You are a warm, calm companion for a short spoken daily check-in. "
    "The person talks to you by voice and hears your reply spoken aloud. "
    "You listen; you do not fix.\n"
    "How to reply:\n"
    "- First reflect: say back in your own words what the person told you and the feeling "
    "in it, tentatively (it sounds like..., I wonder if...).\n"
    "- Then, only if it fits, ask one open question that starts with what or how and "
    "invites them to say more. Never a yes-or-no question, never two questions.\n"
    "- No advice, tips or suggestions, and never tell them what they should do, unless "
    "they ask you what to do.\n"
    "- When the news is mixed or hard, do not say that's great: acknowledge the hard part.\n"
    "- One to three short sentences in plain everyday words. No lists, no emojis, no "
    "therapy jargon, no quotation of these instructions.\n"
    "- You complement therapy; you are not a therapist or a doctor. Never diagnose, "
    "never name a disorder the person has, never advise on medication or doses.\n"
    "- If something sounds serious or unsafe, gently encourage reaching out to "
    "someone they trust or to their therapist.\n"
    "Examples of the way to reply:\n"
    "Person: I've been snapping at my kids all week and I hate it.\n"
    "You: It sounds like you've been stretched thin, and it hurts to see it land on your "
    "kids. What has the week been asking of you?\n"
    "Person: Not bad, the new job is fine I guess, but the commute is killing me.\n"
    "You: The job itself seems alright, but those long journeys are wearing you down. "
    "How are you getting through them?\n"
    "Person: My friend finally called me back after two weeks.\n"
    "You: Two weeks is a long wait, so her call must have meant a lot. How did it feel "
    "to hear from her?"
)
"""Identical in every request, so the model's cache of its prefix is reused."""

LISTENING_REPLY = "Thank you for telling me. What feels most important about it right now?"
"""Spoken when everything the model wrote was left out (advice nobody asked for)."""
FALLBACK_REPLY = "I'm sorry, I lost my train of thought for a moment. Could you say that again?"
"""Spoken when the language model fails or writes nothing."""
NOT_HEARD_REPLY = "I'm sorry, I couldn't make that out. Could you say it again?"
"""Spoken when a turn's words could not be transcribed (the speech recogniser failed)."""

MAX_HISTORY_TURNS = 12
"""The most earlier exchanges a prompt carries."""
HISTORY_STEP = 6
"""The oldest exchanges leave the prompt this many at a time, never one each turn: the
prompt's beginning then stays the same from turn to turn and the model's cache of it is
reused. (A window that slid by one exchange a turn made the model read the whole history
again every turn: from the eighth turn of a session on, 7-10 s to its first token here.)"""
MAX_HISTORY_CHARS = 4000
"""About 1,000 tokens of earlier exchanges: with the system prompt (about 450), a minute of
speech and its reply, a prompt stays inside a slot's 2,048-token context."""
MAX_REPLY_SENTENCES = 3
MAX_REPLY_TOKENS = 96


@dataclass(frozen=True, slots=True)
class Exchange:
    """One finished turn of the conversation."""

    user: str
    assistant: str


def greeting(now: datetime) -> str:
    """The opening line of a check-in, by the local time of day."""
    hour = now.hour
    if 5 <= hour < 12:
        opener = "Good morning."
    elif 12 <= hour < 18:
        opener = "Good afternoon."
    elif 18 <= hour < 23:
        opener = "Good evening."
    else:
        opener = "Hi, I'm here."
    return f"{opener} It's good to hear from you. How are you feeling today?"


CUES_NOTE = (
    "\n\n[Voice cue, measured by the app from the sound of the voice, not said by the "
    "person. Compared with their own usual voice: {summary}. It may be wrong. If it fits, "
    "mention it gently as a question and let them correct you (for example: you sound a bit "
    "tired today, is that right?). Never label their emotion or name a condition.]"
)
"""Appended to the user's words (never to the system prompt, whose cache is reused)."""


def history_window(history: Sequence[Exchange]) -> Sequence[Exchange]:
    """The earlier exchanges a prompt carries: all of them from a start that moves on only
    in steps of ``HISTORY_STEP``, as far as needed to keep at most ``MAX_HISTORY_TURNS``
    exchanges and ``MAX_HISTORY_CHARS`` characters. As exchanges are added the start never
    moves back, so the next turn's prompt begins as this one's did until it steps on."""
    start = 0
    while start < len(history) and (
        len(history) - start > MAX_HISTORY_TURNS
        or sum(len(e.user) + len(e.assistant) for e in history[start:]) > MAX_HISTORY_CHARS
    ):
        start += HISTORY_STEP
    return history[start:]


def build_messages(
    history: Sequence[Exchange], user_text: str, cues_summary: str = "", instruction: str = ""
) -> list[ChatMessage]:
    """The chat prompt: the fixed system prompt, recent exchanges, the new user turn, with
    a delimited note of the prosody cues' summary when something stood out and any
    ``instruction`` for this turn. History keeps only the words: notes are about this turn."""
    messages = [ChatMessage(Role.SYSTEM, SYSTEM_PROMPT)]
    for exchange in history_window(history):
        messages.append(ChatMessage(Role.USER, exchange.user))
        messages.append(ChatMessage(Role.ASSISTANT, exchange.assistant))
    note = CUES_NOTE.format(summary=cues_summary) if cues_summary else ""
    messages.append(ChatMessage(Role.USER, user_text + note + instruction))
    return messages


_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")  # keep a link's words, drop its URL
_MARKUP = re.compile(r"[*_#`>|~]+")
_EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\ufe0f]")


def clean_for_speech(text: str) -> str:
    """Remove markdown and emoji that a voice would read out or stumble on."""
    return _EMOJI.sub("", _MARKUP.sub("", _LINK.sub(r"\1", text)))


class ReplyShaper:
    """Keeps a streamed reply brief: stops after a question or the sentence limit, and
    leaves out advice the person did not ask for.

    Ask ``allows`` before speaking a piece (False: stop generating) and ``skips`` (True:
    leave this piece out and go on), then feed it to ``accept``; when that returns False,
    stop generating.
    """

    def __init__(
        self,
        max_sentences: int = MAX_REPLY_SENTENCES,
        *,
        allow_question: bool = True,
        allow_advice: bool = True,
    ) -> None:
        self._max = max_sentences
        self._allow_question = allow_question
        self._allow_advice = allow_advice
        self._sentences = 0
        self._done = False
        self.skipped = 0
        """Pieces left out (advice nobody asked for)."""

    @property
    def done(self) -> bool:
        """True once the reply is complete."""
        return self._done

    def allows(self, sentence: str) -> bool:
        """False for a question when questions are not allowed (a scripted one follows)."""
        return self._allow_question or not sentence.rstrip("\"'”’)] ").endswith("?")

    def skips(self, sentence: str) -> bool:
        """True for a piece to leave out while the reply goes on: advice, when the person
        did not ask what to do (``allow_advice`` False)."""
        if self._allow_advice or not is_advice(sentence):
            return False
        self.skipped += 1
        return True

    def accept(self, sentence: str) -> bool:
        """Record a finished sentence; False means the reply is complete."""
        if sentence.rstrip("\"'”’)] ").endswith(("?", ".", "!", "…")):
            self._sentences += 1
        if sentence.rstrip("\"'”’)] ").endswith("?") or self._sentences >= self._max:
            self._done = True
        return not self._done
