"""Context the detector reads around a match: figurative speech, negation, who it is about,
history, fiction. Word lists over the normalised text (see ``normalise``)."""

from __future__ import annotations

import re
from enum import StrEnum


def _word_list(text: str) -> list[str]:
    return text.split()


def _words(source: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + source + r")\b")


# Figurative and everyday uses of risk words. Masked out before any rule runs, so a real
# risk in the same sentence ("this job is killing me and I want to kill myself") still
# matches. Each entry may name words that, just before it, make it literal again.
_FIGURATIVE: tuple[tuple[str, str | None], ...] = (
    (
        r"(?:kill|kills|killed|killing) (?:time|it|some time|the time|an hour|a few hours|two birds"
        r"|the (?:lights|engine|mood|vibe|game|music|conversation|bugs?|spiders?|process|app|weeds"
        r"|power|noise|boss|level|monsters?|dragon|zombies)|(?:the )?(?:bugs?|spiders?|weeds|germs"
        r"|bacteria|plants?|houseplants?|zombies|monsters|enemies|dragons?|aliens|batteries"
        r"|flies|mosquitos|mosquitoes|ants|wasps|mice|rats|cockroaches))",
        None,
    ),
    (r"(?:would|could|will|might) (?:\w+ )?kill for|kill for (?:a|an|some|the)", None),
    (r"dressed to kill|make a killing|killer \w+|kill (?:them|him|her|you) with kindness", None),
    (r"(?:is|are|was|were|keeps?|kept|be|been|it|that|this) killing me", None),
    (r"(?:it|that|this|which|she|he|they|you|mum|mom|what) (?:\w+ )?(?:kills|killed) me", None),
    (
        r"(?:going to|will|would|is going to|are going to|gon) (?:kill|murder) (?:me|him|her)"
        r"(?= (?:if|when|for|because|after|haha|lol|once|the)\b)|(?:going to|will|would|is"
        r" going to|are going to) (?:kill|murder) me(?= ?$| ?[.,!?])",
        r"(?:said|says|told me|threatened|threatening|swore|promised|scared|afraid|terrified"
        r"|worried|think|thinks|thought|really|plan|planning|knife|gun)(?: that)?(?: \w+){0,6} ?$"
        r"|\bif i (?:leave|tell|go|call|report|try)\b|\bhow (?:many|much)\b|\b(?:enough|dose"
        r"|pills|tablets|paracetamol)\b",
    ),
    (r"kill (?:myself|me) laughing|(?:killing|killed) myself laughing", None),
    (
        r"(?:killing|killed|kill) myself (?:at work|at the gym|working|trying to|to (?:get|finish"
        r"|meet|make|keep|be|learn)|over (?:this|that|the|a|my|nothing)|for (?:this|that|the"
        r"|nothing|a|my)|studying|training|with (?:work|this|that|the))",
        None,
    ),
    (r"(?:work|works|worked|working) (?:myself|me|him|her|us|them) to death", None),
    (
        r"to die for|(?:would|could|will|i) (?:\w+ )?die for (?:a|an|some|the|that|this|you|my"
        r"|her|him)|dying (?:to|for) (?:see|meet|know|try|go|get|hear|tell|watch|read|have|eat"
        r"|find|a|an|some|the|that|this|my)",
        None,
    ),
    (
        r"(?:dying|died|die|dead) (?:of|from|with) (?:laughter|laughing|embarrassment|boredom"
        r"|curiosity|heat|thirst|hunger|shame|cringe|jealousy|envy|cuteness|excitement)"
        r"|(?:die|died|dying|dead) laughing|(?:bored|scared|worried|frightened|freezing|sick"
        r"|tired|love|loved|loves|hug|hugged|talk|talked|done) (?:\w+ )?to death",
        None,
    ),
    (r"(?:nearly|almost|could have|could of|practically) died(?: laughing| of| when| from)?", None),
    (
        r"i am dead(?= (?:lol|haha|lmao|that|this|from)\b| ?$| ?[.,!?])",
        r"\b(?:when|once|if|after|until|wish|hope|should|off|soon|before|and|because) ?$",
    ),
    (
        r"dead (?:tired|on my feet|beat|serious|set|end|ends|easy|last|center|centre|silence"
        r"|quiet|lock|of winter|of night|battery|phone|weight|wrong|right|ringer|inside joke"
        r"|heat)|deadline|deadlines|dead to me|drop dead gorgeous|over my dead body",
        None,
    ),
    (
        r"(?:my|the|its|his|her|our) (?:phone|battery|laptop|car|computer|plants?|tv|printer|game"
        r"|headphones|charger|tablet|conversation|party|band|hope of \w+) (?:is |was |just |has"
        r" )?(?:died|dead|dying|kills|killed)|die (?:down|out|hard|off)",
        None,
    ),
    (r"(?:want|wanted|going|was going|could) to die (?:of|from) \w+", None),
    (
        r"(?:would|had) rather (?:die|be dead) than (?!(?:live|feel|go on|keep|be alive|wake up"
        r"|continue|carry on|face|go back|return|be here|exist|be with|stay|spend another))",
        None,
    ),
    (
        r"shoot (?:me|him|her|them|you|us) (?:a|an) \w+|photo ?shoot|shoot (?:for|the breeze|hoops"
        r"|some hoops|a video|a film|a scene|photos|pictures|the messenger|my shot)|(?:flu|covid"
        r"|booster|vaccine|allergy|b12|tetanus|hormone) (?:shot|jab)|shots? of \w+|took a shot at"
        r"|give it a shot|big shot|long shot|screenshot|shot myself in the foot|shot down",
        None,
    ),
    (
        r"overdos(?:e|ed|ing) on (?:chocolate|sugar|caffeine|coffee|netflix|tv|carbs|candy"
        r"|sweets|junk|junk food|cake|cookies|pizza|cheese|love|cuteness|drama|sun|sunshine"
        r"|social media|tiktok|youtube|news|work|video games|games|reality tv|christmas|holiday"
        r"|food|memes|cat videos|television|chips|crisps)",
        None,
    ),
    (
        r"drowning in (?:work|emails|paperwork|laundry|debt|assignments|homework|bills|tasks"
        r"|deadlines|stuff|admin|meetings|love|money|sweat|papers|marking|grading|dishes)",
        None,
    ),
    (
        r"hang (?:out|up|around|in there|tight)|hanging (?:out|up|around)|hung (?:out|up)|get the"
        r" hang|hang (?:the|a|my) (?:picture|washing|laundry|coat|clothes|jacket|painting|shelf"
        r"|curtains|lights|pictures|decorations)|hang on(?! by)",
        None,
    ),
    (
        r"(?:cut|cutting|give|gave|giving) (?:myself|me) (?:a|some) (?:slice|piece|break|slack)"
        r"|(?:burn|burnt|burned|burning) (?:myself|yourself|herself|himself) out"
        r"|(?:hurt|hurting) myself laughing|(?:beat|beating|beats) (?:myself|yourself|herself"
        r"|himself) up|(?:kick|kicking|kicked) myself|hate myself for (?:eating|buying|forgetting"
        r"|missing|sleeping|skipping|saying|not|watching|drinking|spending|ordering|staying"
        r"|procrastinating|agreeing)|push (?:myself|yourself) too hard",
        None,
    ),
    (
        r"(?:jump|jumped|jumping) (?:on|off|onto|into) (?:a |the )?(?:call|zoom|meeting"
        r"|bandwagon|queue|line|shower|pool|bed|stage|chance)|off the deep end|jumping off point"
        r"|(?:jump|jumped|jumping|dive|dived|diving) (?:off|from) (?:a|the) (?:\w+ )?(?:cliff"
        r"|bridge|pier|rock|rocks|boat|diving board|dock|jetty|harbour wall|wall)(?: \w+){0,2}"
        r" into (?:the )?(?:sea|water|lake|pool|river|ocean|waves)|(?:bungee|bungy|base)"
        r" (?:jumping|jump|jumped)(?: off| from)?(?: a| the)?(?: \w+)?",
        None,
    ),
    (
        r"suicide (?:squad|mission|missions|run|runs|sprints|drills|doors|burpees|king|bomber"
        r"|bombers|bombing|bombings|lane)",
        None,
    ),
    (
        r"(?:nearly|almost|practically|about to|going to|will|would|gonna|could have|could of"
        r"|you|that|this|he|she|it|they|mum|mom) (?:\w+ )?(?:have|had|give|gave|giving|gives)"
        r" (?:me |her |him |us |them )?a (?:heart attack|stroke|seizure|aneurysm|coronary)",
        None,
    ),
    (
        r"(?:it|that|this|the \w+|reality|realisation|realization|news|sadness|grief|wave of \w+)"
        r" (?:\w+ )?(?:hit|hits|hitting) me|hit me up|hit me with (?:the|a|this|that|some)"
        r" (?:news|question|idea|truth|facts|bill|request|story)",
        None,
    ),
    (r"(?:disappear|vanish) (?:under|into|for (?:a|the)|to (?:my|the)|on (?:a|holiday))", None),
    (
        r"(?:can not|can no longer|struggling to|hard to) breathe(?: properly)? (?:with|because of"
        r"|from|in) (?:this |the |my )?(?:hay ?fever|cold|flu|allergies|congestion|pollen|blocked"
        r" nose|stuffy nose|mask|humidity)",
        None,
    ),
    (r"(?:laughing|laughed|laugh) so hard (?:that )?i (?:could|can) not breathe", None),
    (r"murder (?:a|an|some) (?:\w+)|murder (?:mystery|mysteries|podcast|podcasts|ballad)", None),
    (r"(?:nearly|almost) (?:fainted|passed out|blacked out|collapsed)", None),
    (r"if looks could kill|curiosity killed|(?:what does not|that which does not) kill", None),
    (r"the (?:suspense|wait|waiting|heat|cold|anticipation|cringe|pain) is killing", None),
    (r"i (?:want|wanted) the (?:ground|earth|floor) to swallow me", None),
)

_FIGURATIVE_RES = tuple(
    (re.compile(r"\b(?:" + pattern + r")\b"), re.compile(unless) if unless else None)
    for pattern, unless in _FIGURATIVE
)


def mask_figurative(text: str) -> str:
    """Blank out figurative uses ("killing time", "to die for") with a neutral token."""
    for pattern, unless in _FIGURATIVE_RES:
        pieces: list[str] = []
        last = 0
        for match in pattern.finditer(text):
            if unless is not None and unless.search(text[: match.start()]):
                continue
            pieces.append(text[last : match.start()])
            pieces.append(" ~ ")
            last = match.end()
        pieces.append(text[last:])
        text = "".join(pieces)
    return text


SENTENCE_SPLIT = re.compile(r"[.!?;:]+(?:\s+|$)|\s+-\s+")
CLAUSE_BOUNDARY = re.compile(
    r",|\b(?:but|though|although|however|except|because|cause|and then|and now|so that|and i|so i"
    r"|then i|while i|whereas)\b"
)

NEGATION = _words(
    r"not (?:think|believe|feel like|reckon) (?:that )?i(?: am| would| will| have)?|not|never"
    r"|no longer|no way (?:that )?(?:i|am i|would i|will i)|nowhere near|no (?:intention"
    r"|intentions|plan|plans|desire|wish"
    r"|urge|urges|thoughts?|interest|reason to)|without"
)
NEGATION_BLOCKERS = frozenset(
    _word_list(
        "sure know knowing stop stopping help helping care mind matter understand why whether "
        "if think lie lying kidding joking okay fine good well safe promise guarantee say "
        "tell afraid scared wait only much sleep eat i he she they you we it anyone anybody "
        "someone people remember see sleep because"
    )
)
NEGATION_WINDOW_WORDS = 5
DENIAL_OVERRIDE = _words(
    r"yet|today|tonight|right now|for now|this time|at the moment|again"
    r"|(?:do not know|not sure|unsure) (?:if|whether|that) i (?:can|will|could|would)"
    r"|(?:can not|not|could not) (?:promise|guarantee|keep (?:that|the|my) promise)"
)
"""After a denial ("I won't do it tonight"), words that leave the risk open."""

INTENT = _words(
    r"want|wanted|wants|wanting|wish|wished|wishing|need|needed|thinking|think|thought|thoughts"
    r"|plan|plans|planned|planning|going to|will|would|might|could|may|tempted|urge|urges|urged"
    r"|feel like|felt like|considering|considered|contemplating|decided|ready|try|tried|trying"
    r"|attempt|attempted|imagine|imagining|picture|picturing|fantasi[sz]e|fantasi[sz]ing|dream"
    r"|dreaming|intend|intending|about to|keep|kept|should|nearly|almost|on purpose|deliberately"
)
MEANS_OR_TIME = _words(
    r"snap|lose control|losing control|lose it|stab|stabbing|shoot|shooting|strangle|strangling"
    r"|smother|smothering|poison|poisoning|drown"
    r"|drowning|push|pushing|shove|shoving|gun|guns|knife|knives|weapon|rifle|pistol|axe|machete"
    r"|poison|tonight|tomorrow|plan|planned"
    r"|planning|bought|when (?:he|she|they) (?:gets|comes|get|come) home|in (?:his|her|their)"
    r" sleep|thoughts|thought|urge|urges|fantasi[sz]e|fantasi[sz]ing|imagine|imagining|picture"
    r"|picturing|intrusive|keep thinking|can not stop thinking"
)
RECENT = _words(
    r"(?<!not )(?<!no )(?:"
    r"again|right now|tonight|today|this (?:morning|afternoon|evening|week|weekend)|last"
    r" (?:night|week|weekend)|yesterday|earlier|recently|lately|these days|keep|keeps|still"
    r"|currently|started|starting|relapsed|anymore"
    r"|at the moment|just now|an hour ago|minutes ago)"
)
PAST = _words(
    r"used to|\d+ years ago|years ago|months ago|a year ago|year ago|last year|in the past"
    r"|when (?:i|we) (?:was|were) (?:\w+ ){0,3}(?:young|younger|little|a kid|kids|children"
    r"|teenagers|a child|a teenager|a teen|in school"
    r"|at school|in high school|in college|at university|at uni|\d+|pregnant|growing up)"
    r"|as a (?:kid|child|teenager|teen)|growing up|back (?:then|in \w+)|in (?:high school"
    r"|college|my teens|my twenties|my 20s|\d{4})|a long time ago|long ago|once before|stopped"
    r"|quit|clean for|\d+ (?:days|weeks|months|years) clean|since \d+|for \d+ (?:years|months)"
    r"|recovered|recovering|in recovery|got better|survived|survivor|history of|had a history"
    r"|before(?= ?$| ?[,.!?;]| but\b)|previously|once or twice"
)
ACCIDENT = _words(
    r"accident|accidentally|by mistake|shaving|cooking|chopping|slicing|peeling|cutting"
    r" (?:onions|vegetables|veg|bread|meat|fruit)|in the kitchen|at the gym|lifting|playing"
    r"|running|skiing|snowboarding|skating|climbing|hiking|cycling|biking|gardening|football"
    r"|soccer|rugby|basketball|tennis|training|workout|working out|exercising|fell|fall|falling"
    r"|tripped|slipped|on (?:the|a) (?:stove|oven|pan|iron|kettle|hob|grill|glass|can|nail|rock"
    r"|fence|paper|radiator|curling iron|straighteners)|dropped|moving house|with the \w+ while"
    r"|dancing|yoga|sports?|match|game|opening (?:a|the) \w+|open (?:a|the) (?:can|tin|jar|box"
    r"|packet|parcel|bottle)"
)
MEDIA = _words(
    r"news|article|articles|headline|headlines|newspaper|reported|documentary|movie|movies|film"
    r"|films|show|shows|series|episode|tv|netflix|book|books|novel|story|stories|character"
    r"|characters|fiction|play|musical|podcast|song|songs|lyric|lyrics|album|rapper|singer|band"
    r"|actor|actress|celebrity|famous|video game|youtube|tiktok|reddit|poem|essay|assignment"
    r"|lecture|research|study|studies|statistics|rate|rates|awareness|prevention|campaign"
    r"|training|course|charity|fundraiser|historical|war|soldier|soldiers|shakespeare"
    r"|hamlet|romeo|juliet|opera|anime|manga|comic|script|screenplay|true crime|read about"
    r"|reading about|watched|watching|hotline number|awareness month|prevention month"
    r"|(?:awareness|prevention) (?:week|day|walk)|walk for|month for|history class"
)
QUOTE_MARKER = _words(
    r"song|lyric|lyrics|line|title|quote|quoting|sings|sang|singing|raps|rapping|goes|called"
    r"|named|character|chorus|verse|poem|meme|joke|says"
)
REPORTED_INSULT = re.compile(
    r"\b(?:tell|told|tells|telling|said|says|saying|posted|wrote|texted|messaged|commented"
    r"|yelled|shouted|screamed)(?: at)? me (?:that )?(?:i )?(?:should|to|go|could)(?: go)?(?: \w+)?"
    r" ?$"
)
TRIVIAL_CONDITION = _words(
    r"song|meeting|meetings|email|emails|traffic|queue|line|one more|another|hear|watch|episode"
    r"|homework|class|lecture|call|calls|advert|ad|commercial|spreadsheet|zoom|powerpoint|exam"
    r"|test|cover|karaoke|again|rerun|lunch|dinner|soup|paperwork|excel|taxes"
)
IMMEDIATE_OTHER = _words(
    r"right now|now|tonight|at the moment|currently|about to|has (?:a|the|some)"
    r" (?:gun|knife|rope|pills|weapon)|(?:is|was) on (?:the|a) (?:bridge|roof|ledge|edge|train"
    r" tracks|tracks)|just (?:texted|messaged|called|sent|told|said|posted)|goodbye|not"
    r" answering|will not answer|took (?:pills|an overdose|a bunch|too many)|overdosed|is"
    r" bleeding|not breathing|unconscious|collapsed|is having|is planning|has a plan|tonight"
)
CHILD_VICTIM = _words(r"baby|babies|newborn|kid|kids|child|children|son|daughter|toddler")
EMBARRASSMENT = _words(
    r"embarrass\w*|cringe\w*|mortif\w*|awkward|full(?! of)|stuffed|bloated|hungover"
)
"""Hyperbole: "so embarrassed I wanted to die", "so full I want to die"."""
PERSONAL_TIE = _words(r"my|our|we|us|i|me")
TRAILING_DENIAL = re.compile(
    r"\bbut i (?:will not|would not|am not going to|never would|never will|do not plan to|have no"
    r" plans? to|am not planning to|know i will not|know i would not)(?: (?:act on (?:it|them)"
    r"|do it|do anything|go through with it|do anything about it))? ?$"
)
PLAY = _words(
    r"(?:as a|for a) joke|joking|jokingly|playfully|messing around|mucking about|in fun|in (?:his"
    r"|her|my|their) sleep|with (?:a|the|my) (?:pillow|ball|toy|snowball|cushion|balloon)|playing"
    r"|play fight\w*|tickl\w+|by accident|accidentally|pillow fight|video game|game"
)
ILLNESS = _words(
    r"food poisoning|bug|virus|flu|bad (?:\w+)|hangover|hungover|got drunk|was drunk|too drunk"
    r"|drinking too much|drank too much|pregnan\w+"
    r"|morning sickness|migraine|norovirus|stomach bug|covid|chemo|motion sickness|seasick\w*"
    r"|carsick\w*"
)
FICTION = _words(
    r"movie|movies|film|films|book|novel|series|episode|character|characters|documentary"
    r"|podcast|news|article|headline|video game|game|song|lyrics|show about|in the show|on tv"
    r"|netflix|play about|true crime|story about|fiction|anime|manga|comic"
)
PROFESSIONAL = _words(
    r"on the ward|patient|patients|client|clients|shift|at the hospital|in a and e|in the er"
    r"|(?:i am|as) a (?:nurse|doctor|paramedic|police officer|teacher|counsellor|counselor"
    r"|therapist|social worker|carer|psychologist)|class|classes|lesson|psychology|seminar"
    r"|workshop|presentation|school project"
)
WORRY = _words(r"worried|worry|scared|afraid|concerned|frightened|terrified|panicking")


class Subject(StrEnum):
    """Whom a risk phrase is about."""

    SELF = "self"
    OTHER = "other"
    YOU = "you"
    """The listener, or the generic "you" of "you just want to die, you know"."""


_SUBJECT_WORDS: dict[str, Subject] = {
    **dict.fromkeys(("i", "we", "me", "myself", "ourselves", "my", "our"), Subject.SELF),
    **dict.fromkeys(("you", "yourself", "your"), Subject.YOU),
    **dict.fromkeys(
        _word_list(
            "he she they him her them himself herself themselves his their someone somebody "
            "people friend friends brother brothers sister sisters mum mom mother dad father son "
            "daughter husband wife partner boyfriend girlfriend bf gf cousin uncle aunt grandma "
            "grandmother grandpa grandfather nan gran colleague coworker boss neighbour neighbor "
            "roommate flatmate housemate classmate student kid kids child children teen teenager "
            "man woman guy girl boy lady person character patient client ex niece nephew stepdad "
            "stepmom stepmother stepfather fiance fiancee mate bestie parents family sibling "
            "siblings baby twin teammate employee manager"
        ),
        Subject.OTHER,
    ),
}
_REFLEXIVE_OR_POSSESSIVE: dict[str, Subject] = {
    "myself": Subject.SELF,
    "ourselves": Subject.SELF,
    "yourself": Subject.YOU,
    "himself": Subject.OTHER,
    "herself": Subject.OTHER,
    "themselves": Subject.OTHER,
    "my": Subject.SELF,
    "our": Subject.SELF,
    "your": Subject.YOU,
    "his": Subject.OTHER,
    "her": Subject.OTHER,
    "their": Subject.OTHER,
    "i": Subject.SELF,
    "me": Subject.SELF,
}
_WORD = re.compile(r"[a-z0-9]+")


def subject_of(matched: str, before: str) -> Subject:
    """Whom a match is about: its own reflexive or possessive, else the nearest subject before
    it in the sentence, else the speaker."""
    words = _WORD.findall(matched)
    for word in words:
        if word in ("myself", "yourself", "himself", "herself", "themselves", "ourselves"):
            return _REFLEXIVE_OR_POSSESSIVE[word]
    for word in words:
        if word in _REFLEXIVE_OR_POSSESSIVE:
            return _REFLEXIVE_OR_POSSESSIVE[word]
    for word in reversed(_WORD.findall(before)):
        if word in _SUBJECT_WORDS:
            return _SUBJECT_WORDS[word]
    return Subject.SELF


def clause_before(sentence: str, start: int) -> str:
    """The part of the match's clause that comes before it."""
    head = sentence[:start]
    cut = 0
    for boundary in CLAUSE_BOUNDARY.finditer(head):
        cut = boundary.end()
    return head[cut:]


def clause_after(sentence: str, end: int) -> str:
    """The part of the match's clause that comes after it."""
    tail = sentence[end:]
    boundary = CLAUSE_BOUNDARY.search(tail)
    return tail[: boundary.start()] if boundary else tail


def is_negated(before: str) -> bool:
    """True when a negation just before the match scopes over it ("I'm not going to ...").

    The negation must be within a few words and nothing may reattach it elsewhere: a new
    subject ("I'm not okay, I want to ..."), or a verb like "know", "sure", "stop" ("I can't
    stop thinking about ...").
    """
    negations = list(NEGATION.finditer(before))
    if not negations:
        return False
    last = negations[-1]
    between = _WORD.findall(before[last.end() :])
    if len(between) > NEGATION_WINDOW_WORDS:
        return False
    return not any(word in NEGATION_BLOCKERS for word in between)
