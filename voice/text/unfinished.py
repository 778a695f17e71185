"""Words that stop mid-sentence (pure): "I went to the shop and", "because my", "I think
the". A person who pauses there is thinking, not finished, whatever the silence says.

Read on the final transcript begun at a pause (``voice.session.session``): Whisper ends
what it hears as a whole sentence with a stop, and leaves a trailing "..." or nothing
after a fragment; or the last word is one that English sentences almost never end on (an
article, a possessive, a conjunction, a subject pronoun, "of", a filler). Words that often
end a sentence ("to", "for", "up", "so", "it", "that", "her", "about", "with") are left
out: a finished turn must not wait. On LJ Speech clips 21-35 cut at 30, 45 and 60% of
their length, 13 of 45 fragments read as unfinished; of 22 whole check-in answers spoken
by Piper and all 35 whole clips, two clips ("8. The Press Yard", a sentence Whisper heard
ending "there for...").
"""

from __future__ import annotations

import re

_NEVER_LAST = frozenset(
    # articles and possessives: a noun must follow
    "a an the my your our their its his"
    # conjunctions that open a clause
    " and but or nor because cause cos coz if whereas although unless than whether"
    # prepositions that need their object ("to", "for", "at", "from" often end one: "I
    # don't want to.", "what's it for?"; without a stop they are caught below anyway)
    " of into onto towards toward"
    # subject pronouns: a verb must follow
    " i we they he she"
    # fillers: the person is looking for the word
    " um uh erm er ehm hmm".split()
)
_LAST_WORD = re.compile(r"([a-z']+)\W*$")


def sounds_unfinished(text: str, *, punctuated: bool) -> bool:
    """Whether ``text`` (a transcript so far) stops mid-sentence; ``punctuated``: it comes
    from a transcriber that ends a whole sentence with a stop, so a missing one counts."""
    stripped = text.strip().lower()
    if not stripped:
        return False
    if stripped.endswith((",", "...", "…", "-", "—")):
        return True
    if punctuated and stripped[-1] not in ".?!\"')":
        return True  # Whisper ends what it hears as a whole sentence with a stop
    match = _LAST_WORD.search(stripped)
    return match is not None and match.group(1) in _NEVER_LAST
