"""A question about a topic, not a disclosure: "what is suicidal ideation?", "why is the
suicide rate higher in men?", "how did Van Gogh die?". One short question, asking what
something means, how common it is, why people do it or what happened, with nobody in it
who could be the asker (no I, we or you) and nothing asked about means (a dose, a method,
how long it takes). The labelling guide calls these ``none``; the rules and the screen
both read them as such (``detector.detect``, ``screen.combine``).

Written over the normalised text (``normalise``): lower case, contractions expanded.
"""

from __future__ import annotations

import re

_POLITE_FRAME = re.compile(
    r"^\W*(?:(?:so|and|but|ok|okay|hey|hi|also|quick question|random question),? )?"
    r"(?:(?:can|could|would) you (?:please )?(?:tell me|explain(?: to me)?|help me understand)"
    r"|do you know|please (?:tell me|explain)|tell me|explain|i (?:was|am) wondering)?,? ?"
)
_GENERIC = (
    r"(?:people|someone|somebody|a person|persons|men|women|boys|girls|teenagers|teens|kids"
    r"|children|young people|adults|students|doctors|nurses|veterans|soldiers|some people"
    r"|so many people|many people|celebrities|famous people|artists|musicians|writers|poets"
    r"|animals|the suicide rate|suicide rates|rates|the rate|the number)"
)
_FORMS = re.compile(
    # what a word means, what the difference is, the definition
    r"^(?:what (?:is|are|was|were|does|do) (?:the )?(?:[a-z]+ ){0,5}(?:mean|meaning|means"
    r"|definition|difference|differences)\b"
    r"|what (?:is|are) (?:the )?(?:difference|definition|meaning|origin)s? (?:between|of)\b"
    r"|what (?:is|are|was|were) (?:a |an )?(?:[a-z]+ ){0,2}(?:ideation|euthanasia|suicide"
    r"|self harm|self injury|overdose|homicide|manslaughter|murder|genocide|psychosis|mania"
    r"|depression|bipolar|schizophrenia|ptsd|anorexia|bulimia|an eating disorder"
    r"|eating disorders|a panic attack|panic attacks|a heart attack|a stroke|catatonia"
    r"|dissociation|a massacre|the holocaust)\W*$"
    r"|(?:define|the definition of|the meaning of)\b"
    r"|what (?:is|are) (?:a|an) (?!life\b|way\b|reason\b|point\b)(?:[a-z]+ ){0,2}[a-z]+"
    r"(?: used for| made of| made from| for| like)?\W*$"
    r"|how (?:does|do) (?:a |an |the )?(?:[a-z]+ ){1,3}work\b"
    r"|what (?:a |an |the )?(?!point\b|use\b|reason\b)(?:[a-z]+ ){1,4}(?:is|are|means)\W*$"
    # how common, how many people, the rate, which groups
    r"|how (?:common|prevalent|rare|likely) (?:is|are)\b"
    r"|how many (?:people|americans|men|women|teenagers|teens|deaths|suicides|murders"
    r"|soldiers|veterans|children|kids|students)\b"
    r"|what (?:percentage|proportion|share|number|fraction) of\b"
    r"|(?:which|what) (?:country|countries|age group|age|group|groups|profession|professions"
    r"|jobs?|state|states|month|season|day) (?:has|have|is|are|had)\b"
    r"|(?:is|was) it true (?:that )?\b"
    r"|is (?:suicide|self harm|depression|murder|euthanasia|assisted dying) (?:more|less"
    r"|legal|illegal|a crime|common|rare|hereditary|genetic|contagious)\b"
    # why people do it, what causes it, its signs
    r"|why (?:do|does|did|is|are|was|were|would|might|could) " + _GENERIC + r"\b"
    r"|why did (?!he |she |they |it )(?:[a-z]+ ){1,3}(?:die|kill (?:himself|herself|themselves)"
    r"|commit suicide|take (?:his|her|their) (?:own )?life)\b"
    r"|what (?:causes|caused|leads to|led to|drives|drove|makes|made) " + _GENERIC + r"\b"
    r"|what (?:are|were|is) (?:the |some )?(?:common |main |early |usual |typical )?(?:warning"
    r" )?(?:signs|symptoms|causes|risk factors|reasons|effects|treatments)\b"
    # what happened: history, public figures, films
    r"|how did (?:[a-z]+ ){1,4}(?:die|dies|died|end|ended|happen|happened|start|started)\b"
    r"|(?:who|when|where) (?:was|were|did|killed|shot|murdered|assassinated|invented)\b"
    r"|what (?:happened|happens) (?:at|in|to|during|after|when)\b)"
)
_ASKER = re.compile(
    r"\b(?:i|me|my|mine|myself|we|(?<!the )us|our|ours|ourselves|you|your|yours|yourself"
    r"|yourselves)\b"
)
_MEANS = re.compile(
    r"\b(?:lethal|fatal|dose|doses|dosage|pills?|tablets?|how long (?:does|would|will|did)"
    r"|how much|painless|painlessly|least painful|most painful|quickest|fastest|easiest|surest"
    r"|best way|most effective|ways? to (?:die|kill|end)|does it take|would it take|method"
    r"|methods|where (?:to|can) (?:buy|get)|bridge|bridges|cliff|cliffs|rope|gun|guns|firearm"
    r"|roof|ledge|train tracks|railway|tallest|highest|drown|drowning|hang|hanging|jump"
    r"|jumping|peaceful|peacefully|suffocate|suffocation|bleed out|carbon monoxide|exhaust"
    r"|feel like to die|hurt the least)\b"
)
_SENTENCE_END = re.compile(r"[.!;]\s")
MAX_WORDS = 30


def is_topic_question(norm: str) -> bool:
    """One short question about a topic, with nobody in it who could be the asker. A
    transcript may lack the question mark: a lone sentence in a question's form counts."""
    stripped = norm.strip()
    if stripped.count("?") > 1 or "?" in stripped[:-1]:
        return False  # a question and then more: read the whole turn
    if len(stripped.split()) > MAX_WORDS or _SENTENCE_END.search(stripped):
        return False
    asked = _POLITE_FRAME.sub("", stripped, count=1)
    return (
        _FORMS.search(asked) is not None
        and _ASKER.search(asked) is None
        and _MEANS.search(asked) is None
    )
