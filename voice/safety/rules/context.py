"""Context the detector reads around a match: negation, who it is about, history, accident,
fiction, work. Word lists over the normalised text (see ``normalise``); figurative speech is
masked before any rule runs (see ``figurative``)."""

from __future__ import annotations

import re
from enum import StrEnum


def _word_list(text: str) -> list[str]:
    return text.split()


def _words(source: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + source + r")\b")


SENTENCE_SPLIT = re.compile(r"[.!?;:]+(?:\s+|$)|\s+-\s+")
CLAUSE_BOUNDARY = re.compile(
    r",|\b(?:but|though|although|however|except|because|cause|and then|and now|so that|and i|so i"
    r"|then i|while i|whereas)\b"
)

NEGATION = _words(
    r"not (?:think|believe|feel like|reckon) (?:that )?i(?: am| would| will| have)?|not|never"
    r"|no longer|no way (?:that )?(?:i|am i|would i|will i)|nowhere near|(?:no|zero) (?:intention"
    r"|intentions|plan|plans|desire|wish"
    r"|urge|urges|thoughts?|interest|reason to)|without|(?:the )?last thing i (?:would |will )?"
    r"(?:want|wanted|need)"
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
    r"|currently|(?<!they )(?<!he )(?<!she )(?<!parents )(?<!mum )(?<!mom )(?<!dad )start(?:ed"
    r"|ing)|relapsed|anymore"
    r"|at the moment|just now|an hour ago|minutes ago)"
)
PAST = _words(
    r"used to|\d+ years ago|years ago|months ago|a year ago|year ago|last year|in the past"
    r"|(?:\d+|a few|few|several|some|many|a couple of) years back|years back|a year back"
    r"|when (?:i|we) (?:was|were) (?:\w+ ){0,3}(?:young|younger|little|a kid|kids|children"
    r"|teenagers|a child|a teenager|a teen|in school|at school|in high school|in college"
    r"|at university|at uni|\d+|pregnant|growing up|sick|ill|unwell|unmedicated|at my worst"
    r"|at my lowest)|as a (?:kid|child|teenager|teen)|growing up|back (?:then|in \w+)|in (?:high"
    r" school|college|my (?:early |mid |late )?(?:teens|twenties|thirties|20s|30s)|\d{4})"
    r"|(?:saved|rescued|pulled|got|helped) me (?:out of|from|through)|a long time ago|long ago"
    r"|once before|stopped|quit|clean for|\d+ (?:days|weeks|months|years) clean|since \d+"
    r"|for \d+ (?:years|months)|recovered|recovering|in recovery|got better|survived|survivor"
    r"|history of|had a history|before(?= ?$| ?[,.!?;]| but\b)|previously|once or twice"
)
NOW_BETTER = _words(
    r"but now i am (?:\w+ )?(?:flourishing|thriving|doing (?:well|better|great|good|okay)|better"
    r"|happy|okay|in a (?:good|better) place|recovered|stable)|glad i never (?:did it|went"
    r" through with it|acted on it)"
)
"""After a risk in the same sentence, that it is over: "...but now I'm flourishing"."""
PAST_BELIEF = _words(
    r"i thought (?:that )?(?:it|they|everyone|everybody|people|my \w+) (?:would|will)"
    r" (?:all )?(?:be )?(?:better|easier|happier)"
)
"""A belief told as past: "I thought they would be better off without me"."""
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
TOOL_ACCIDENT = _words(
    r"(?:my|her|his) (?:neck|ears?|forehead|face|scalp|fingers?|fingertips?|thumbs?|hands?"
    r"|knuckles?|palm) (?:\w+ ){0,3}?(?:(?:with|on|off|from|using) (?:the|my|a|her|his|some)"
    r" (?:hair )?(?:straighteners|straightener|curling (?:iron|tongs|wand)|tongs|hair ?dryer"
    r"|oven (?:door|tray)|baking tray|kettle|hob|pan|frying pan|saucepan|grill|stove|toaster"
    r"|steam|glue gun|soldering iron|hot wax|wax|mandoline|grater|tin lid|can opener|hot oil"
    r"|oil)|(?:while |when )?(?:ironing|baking|frying|welding|soldering|(?:doing|straightening"
    r"|curling) (?:my|her) hair))"
)
"""Where a styling or kitchen tool burns or cuts by accident: a hand, a finger, the neck. Not
the arms or thighs, and never "myself"."""
MOTIVE = _words(
    r"deserve\w*|punish\w*|on purpose|deliberately|intentionally|to feel|to cope|to calm|urges?"
    r"|relaps\w*|numb|release|hate myself|make it stop|(?:\d+|days|weeks|months) clean"
)
"""Why someone hurt themselves: never an accident, whatever the tool."""
MEDIA = _words(
    r"news|article|articles|headline|headlines|newspaper|reported|documentary|movie|movies|film"
    r"|films|show|shows|series|episode|tv|netflix|book|books|novel|story|stories|character"
    r"|characters|fiction|play|musical|podcast|song|songs|lyric|lyrics|album|rapper|singer|band"
    r"|actor|actress|celebrity|famous|video game|youtube|tiktok|reddit|poem|essay|assignment"
    r"|lecture|research|study|studies|statistics|rate|rates|awareness|prevention|campaign"
    r"|training|course|charity|fundraiser|historical|war|soldier|soldiers|shakespeare"
    r"|hamlet|romeo|juliet|opera|anime|manga|comic|script|screenplay|true crime|read about"
    r"|reading about|watched|watching|hotline number|awareness month|prevention month"
    r"|(?:awareness|prevention) (?:week|day|walk)|walk for|month for|history class|radio"
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
FRIENDS_RELATIVE = _words(
    r"(?:my|our) (?:best |old |close |good )?(?:mates|friends|colleagues|coworkers|neighbours"
    r"|neighbors|classmates|flatmates|housemates|teammates) (?:\w+ )?(?:dad|father|mum|mom"
    r"|mother|brother|sister|son|daughter|uncle|aunt|cousin|grandad|grandfather|grandma"
    r"|grandmother|husband|wife|partner|boyfriend|girlfriend)"
)
"""A friend's relative: their loss, long ago, is not a tie of the speaker's own."""
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
    r"|workshop|presentation|school project|exam|exams|module|first aid|course"
)
AT_WORK = _words(
    r"on (?:the|my) (?:ward|shift|rounds)|on shift|(?:long|night|day|quiet|busy|early|late"
    r"|twelve hour|\d+ hour) shift|(?:a|the|one of (?:my|our|the)) (?:patient|patients|client"
    r"|clients|resident|residents)|(?:i am|as) an? (?:\w+ )?(?:nurse|doctor|paramedic|medic|carer"
    r"|care worker|midwife|dentist|hygienist|physio|gp|surgeon|porter|hca|healthcare assistant"
    r"|first aider|lifeguard)"
)
"""A health worker's shift: someone else's emergency there is their work, not a disclosure."""
KIN = _words(
    r"(?:my|our) (?:own )?(?:mum|mom|mother|dad|father|son|daughter|brother|sister|husband|wife"
    r"|partner|boyfriend|girlfriend|friend|best friend|kid|kids|child|children|baby|grandma|grandad"
    r"|grandpa|nan|gran|aunt|uncle|cousin|flatmate|housemate|roommate|family)"
)
NOW = _words(r"right now|now|at the moment|currently|still")
BENIGN_CAUSE = _words(
    r"(?:turned out|turns out) to be (?:only |nothing but )?(?:indigestion|heartburn|reflux|wind"
    r"|gas|a pulled muscle|muscular|a trapped nerve|anxiety|a panic attack|nothing|fine|okay"
    r"|a false alarm|dehydration|low blood sugar|a cold|a virus)|false alarm|nothing serious"
)
"""After a medical event, a harmless explanation."""
RESOLVED = _words(
    r"(?<!not )(?<!no longer )(?:fine|okay|all good|alright|right as rain|back to normal|sorted)"
    r" (?:now|after|again|in the end|by the end)|(?:it|the bleeding|bleeding) (?:has |had )?"
    r"stopped(?! \w)"
)
"""After a medical event, words that say it is over."""
TRIVIAL_OBJECT = _words(
    r"with (?:this|the|my|that|these|those|our) (?:\w+ ){0,2}?(?:printer|printers|computer"
    r"|laptop|pc|phone|wifi|internet|broadband|router|flatpack|flat pack|wardrobe|furniture|ikea"
    r"|desk|shelf|shelves|software|app|update|website|spreadsheet|excel|inbox|paperwork|forms?"
    r"|traffic|queue|weather|rain|car|boiler|washing machine|dishwasher|tumble dryer|hoover"
    r"|vacuum|kettle|toaster|oven|tv|remote|level|puzzle|crossword|jigsaw|recipe|sourdough|lawn"
    r"|weeds|wallpaper|diy|builders|plumber|parking|bus|train|printer cartridge|screws|lego)"
)
"""Exasperation with a thing ("at the end of my rope with this printer"), not distress."""
PETTY = _words(
    r"(?:ate|eaten|eats|eating|took|taken|takes|taking|nicked|nicking|nicks|stole|stolen|steals"
    r"|stealing|borrowed|borrowing|borrows|broke|breaks|breaking|used|uses|using|finished"
    r"|finishes|drank|drinks|drinking|hid|hides|hiding|spoiled|spoilt|spoils|ruined|ruins|wore"
    r"|wears|wearing|spilled|spilt|spills|scratched|dented|deleted|unplugged|changed|moved|lost"
    r"|loses) (?:all |the last of |the last |half )?(?:my|our) (?:\w+ )?(?:leftovers|food|lunch"
    r"|dinner|chocolate|snacks?|sandwich|chips|crisps|cake|biscuits|cookies|pizza|chocolates"
    r"|clothes|jumper|hoodie|top|tops|dress|shoes|trainers|makeup|make up|charger|headphones"
    r"|seat|spot|game|save|remote|shampoo|milk|coffee|beer|wine|tea"
    r"|yoghurt|ice cream|sweets|straighteners|hair ?dryer|perfume|razor|jeans)"
    r"|off the (?:cigs|cigarettes|fags|smokes|booze|caffeine|coffee|sugar|vape)|(?:quit|quitting"
    r"|stopped|giving up|gave up|given up) (?:smoking|vaping|the cigs|cigarettes|caffeine|coffee"
    r"|sugar|nicotine)|nicotine|hangry|before (?:my|i have had my) (?:first )?coffee|no coffee"
)
"""A petty grievance or a craving behind "I'll kill her": hyperbole, without means or a time."""
GAME_WIN = re.compile(
    r"\b(?:beat|beats|beaten|thrashed|whooped|trounced|hammered|destroyed|smashed) me (?:at|in)"
    r" (?:\w+ ){0,2}?(?:chess|cards|poker|pool|snooker|darts|scrabble|monopoly|uno|tennis|golf"
    r"|squash|badminton|football|basketball|hoops|a race|the race|racing|mario kart|fifa|a game"
    r"|the game|arm wrestling|quiz|trivia|table tennis|ping pong|bowling|a match|the match"
    r"|video games?|online games?|fortnite|ranked)\b"
    r"|\b(?:played|playing|shot|shooting|a game of|a round of|raced|racing) (?:\w+ ){0,3}?"
    r"(?:chess|cards|poker|pool|snooker|darts|scrabble|monopoly|uno|tennis|golf|squash"
    r"|badminton|football|basketball|hoops|mario kart|fifa|a game|a match|a race|table tennis"
    r"|ping pong|bowling)\b.*\b(?:beat|beats|won|thrashed|whooped|trounced) me(?= ?$| ?[.!?;,]"
    r"| again| easily| fair| hands down| \d)"
)
"""Beaten at a game: "he beat me at chess", "shot some hoops with my son, he beat me"."""
GAME_HARM = _words(
    r"beat me up|hurt|hurts|bruise\w*|blood|bleeding|black eye|belt|fists?|punch\w*|kick\w*"
    r"|slap\w*|scared|afraid|terrified|with (?:a|his|her|the) \w+|until|black and blue"
)
SUBSTANCE = _words(
    r"chip|coin|meeting|meetings|sober|sobriety|aa|na|sponsor|drink|drinking|drinks|alcohol|booze"
    r"|drugs|using|heroin|coke|cocaine|crack|weed|meth|pills|smoking|cigarettes|vaping|gambling"
    r"|betting|off the \w+"
)
"""A recovery milestone ("ninety days clean, got my chip") from a substance, not self-harm."""
SELF_HARM_WORDS = _words(r"cut|cuts|cutting|self harm\w*|harm\w*|burn\w*|blade|razor|scars?")
OTHER_PAST = _words(
    r"when (?:i|we) (?:was|were) (?:small|little|a baby|tiny|born)|before (?:i|we) (?:was|were)"
    r" born|in the (?:sixties|seventies|eighties|nineties|\d0s)|back in (?:\d{4}|the day)"
    r"|as a (?:toddler|baby|kid|child|teenager)|at school|years ago|in (?:her|his|their)"
    r" (?:teens|twenties)"
)
"""Someone else's past told as history, beyond ``PAST``: "when I was small", "in the sixties"."""
CALM = _words(
    r"(?:is|are|was|s|she is|he is|they are|now|been) doing (?:really |so |very )?(?:well|great"
    r"|fine|good|brilliantly)|(?:is|are) (?:fine|happy|okay|thriving) now|remarried|do not"
    r" (?:really )?remember (?:him|her|them)|never (?:knew|met) (?:him|her|them)|only found out"
    r"|family history|it was brave|was really brave|helped me understand|made (?:\w+ ){0,3}feel"
    r" safer|nice to remember|is a \w+ now|funnily enough|she is in her \w+|he is in his \w+"
)
"""Someone else's risk long ago, told calmly and resolved: "she's doing great now"."""
WORK_OTHER = _words(
    r"i work (?:in|at|on) (?:a|an|the) \w+|on my (?:wing|ward|unit|shift|caseload)|(?:long|night"
    r"|busy|early|late) shift|at the hospital|had a patient|followed the procedure"
)
VENTING = _words(
    r"(?:just|only) meant|did not mean it|(?:classic|typical) (?:her|him|them)|(?:after|because)"
    r" (?:his|her|their) team lost|football fans|(?:she|he) is not like that"
)
"""Someone else's figure of speech, said to be one: "she just meant she was annoyed"."""
"""Someone else's crisis handled at work: "I work in a prison and someone self harmed"."""
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
            "siblings baby twin teammate employee manager resident passenger customer fella bloke "
            "chap gentleman someones somebodys footballer influencer celebrity singer actor "
            "actress youtuber streamer rapper athlete teacher"
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
