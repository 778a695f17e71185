"""Figurative and everyday uses of risk words, masked out before any rule runs: "killing
time", "to die for", "dye my hair", "a chest pain job" on an ambulance shift."""

from __future__ import annotations

import re

from voice.safety.rules.everyday import MASKS as _SCOPED

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
    (
        r"(?:disappear|vanish) (?:under|into|for (?:a|the)|to (?:my|the)|on (?:a|holiday)|abroad"
        r"|offline|off (?:the grid|the radar|social media|line)(?! (?:forever|for good|for ever"
        r"|permanently)))",
        None,
    ),
    (
        r"(?:can not|can no longer|struggling to|hard to) breathe(?: properly)? (?:with|because of"
        r"|from|in) (?:this |the |my )?(?:hay ?fever|cold|flu|allergies|congestion|pollen|blocked"
        r" nose|stuffy nose|mask|humidity)",
        None,
    ),
    (
        r"(?:laughing|laughed|laugh|giggling|cackling|crying laughing) (?:so |too |that )?(?:hard"
        r" |much )?(?:that )?i (?:could|can) not breathe|(?:can not|could not) breathe (?:i am"
        r" |i was |from |for |with |because i am |because i was )?(?:laughing|giggling|cackling"
        r"|laughter)",
        None,
    ),
    (r"murder (?:a|an|some) (?:\w+)|murder (?:mystery|mysteries|podcast|podcasts|ballad)", None),
    (r"(?:nearly|almost) (?:fainted|passed out|blacked out|collapsed)", None),
    (r"if looks could kill|curiosity killed|(?:what does not|that which does not) kill", None),
    (r"the (?:suspense|wait|waiting|heat|cold|anticipation|cringe|pain) is killing", None),
    (r"i (?:want|wanted) the (?:ground|earth|floor) to swallow me", None),
)

_COLOUR = (
    r"(?:black|white|red|blue|green|yellow|pink|purple|orange|brown|blonde|blond|grey|gray|silver"
    r"|navy|teal|lilac|violet|ginger|auburn|copper|burgundy|indigo|turquoise|dark|darker|light"
    r"|lighter)"
)
_DYED = (
    r"(?:hair|roots|fringe|beard|eyebrows|brows|lashes|tips|ends|highlights|fabric|cloth|clothes"
    r"|shirt|shirts|t shirt|tshirt|top|jeans|jacket|dress|trousers|shoes|trainers|wool|yarn|eggs"
    r"|curtains|sheets|costume|fur|leather|canvas|cotton)"
)
_WORK = (
    r"\b(?:shift|shifts|on the ward|ward|wards|patients?|paramedics?|ambulance|crew|nurses?"
    r"|doctors?|medic|a and e|resus|cath lab|triage|on call|callout|call out|icu|itu|the job)\b"
)
_CASE = (
    r"(?:overdoses?|chest pains?|cardiac arrests?|arrests?|heart attacks?|strokes?|seizures?|fits?"
    r"|collapses?|faints?|fallers?|falls?|stabbings?|bleeds?|head injury|head injuries|anaphylaxis"
    r"|asthma attacks?|suicide attempts?|self harms?|hangings?|jumpers?|hypos?)"
)
_LEFT_PLACE = (
    r"(?:(?:old |former |previous |last )?(?:job|work|office|team|school|class|uni|university"
    r"|college|company|firm|shop|store|ward|department|leaving do|leaving party|farewell party)"
    r"|(?:old|former|previous|last) (?:house|flat"
    r"|apartment|home|street|neighbourhood|neighborhood|village|place))"
)
_THING = (
    r"(?:chain|deal|sale|purchase|mortgage|offer|plans?|talks|negotiations|market|economy|company"
    r"|business|firm|project|government|coalition|tent|shelf|shelves|roof|ceiling|wall|fence"
    r"|scaffolding|bookcase|wardrobe|table|chair|bed|sofa|cake|souffle|sponge|pavlova|sandcastle"
    r"|tower|jenga tower|house of cards|gazebo|trampoline|deckchair|deck chair|stack)"
)

# Everyday uses that are not a risk and not a figure of speech either: a homophone, a case at
# work, a house sale, a place left behind. Each names, optionally, words that just before it
# make it literal again, and words that must be somewhere in the turn (the setting).
_EVERYDAY: tuple[tuple[str, str | None, str | None], ...] = (
    # "dye" written or heard as "die": dyeing has a dyed thing, or a colour, as its object
    (
        rf"(?:die|dies|died|dying) (?:my|her|his|their|our|your|the|this|that|these|those|some|a"
        rf"|an|it|them) (?:\w+ ){{0,2}}?{_DYED}(?! (?:of|is|are|was|were|has|have|had|keeps?|kept"
        rf"|falling|fell|coming|came|thinning|going|gone))|(?:die|dies|died|dying) (?:it|them)"
        rf" (?:back )?(?:to )?{_COLOUR}",
        None,
        None,
    ),
    # a case on a shift: "a chest pain job", "we had an overdose come in", "two falls in resus"
    (
        rf"(?:a|an|another|the|one|two|three|\d+) (?:\w+ )?{_CASE} (?:job|jobs|call|calls"
        r"|callout|callouts|call out|case|cases|patient|patients|shout|come in|came in|comes in"
        r"|coming in|brought in|rolled in|in resus|admitted|on the ward|in bay \d+)(?!.*\b(?:my"
        r"|our) (?:own )?(?:mum|mom|mother|dad|father|son|daughter|brother|sister|husband|wife"
        r"|partner|friend|kid|child|baby|grandma|grandad|nan|gran|aunt|uncle|cousin)\b)",
        None,
        _WORK,
    ),
    # a thing, not a person, collapsing: "the whole chain collapsed", "the tent collapsed"
    (
        rf"(?:the|our|my|their|his|her|this|that|a) (?:\w+ )?{_THING} (?:has |had |just |then"
        r" |completely |totally |finally )?(?:collapsed|collapses|collapsing|fell through|caved in)"
        r"(?!(?: \w+){0,3} (?:on|onto|with|under|over|and) (?:me|us|him|her|them|my|his|someone"
        r"|somebody|people|a man|a woman|a child|the kids|the children))",
        None,
        None,
    ),
    # goodbyes when leaving a job, a school or a house: "said goodbye to everyone at the old job"
    (
        r"(?:said|saying|say|says) (?:all )?(?:my |our |the )?(?:goodbyes?|farewells?|bye) (?:to"
        r" (?:everyone|everybody|all|them all|the (?:team|staff|kids|class|neighbou?rs"
        r"|colleagues)|my (?:colleagues|team|classmates|students|pupils|coworkers|neighbou?rs)) )?"
        rf"(?:at|in|from|on) (?:(?:the|my|our) )?{_LEFT_PLACE}",
        None,
        None,
    ),
    (
        r"(?:said|saying|say|says) (?:all )?(?:my |our )?(?:goodbyes?|farewells?) to (?:the|my"
        r"|our) (?:(?:old|former|previous|last) (?:home|town|city|street|neighbourhood"
        r"|neighborhood|village|place|job|school|car|desk)|(?:old |former |previous |last )?"
        r"(?:house|flat|apartment|office|neighbou?rs|colleagues|coworkers|team|classmates"
        r"|students|pupils|class|dorm|halls))",
        None,
        None,
    ),
    # embarrassment, in the past: "the exam was that bad I wanted to die in a hole"
    (
        r"(?:wanted|could have|could of) (?:to )?die in (?:a|the) (?:hole|whole)(?! (?:again|last"
        r" night|tonight|today|every|all the time|lately|these days))",
        None,
        None,
    ),
)

_MASKS = tuple(
    (
        re.compile(r"\b(?:" + pattern + r")\b"),
        re.compile(unless) if unless else None,
        re.compile(requires) if requires else None,
    )
    for pattern, unless, requires in (
        *((p, u, None) for p, u in _FIGURATIVE),
        *_EVERYDAY,
        *_SCOPED,
    )
)


def mask_figurative(text: str) -> str:
    """Blank out figurative and everyday uses ("killing time", "to die for", "dye my hair")
    with a neutral token."""
    for pattern, unless, requires in _MASKS:
        if requires is not None and requires.search(text) is None:
            continue
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
