"""Everyday uses of risk phrases scoped to an ordinary thing, masked like figurative speech
(see ``figurative``): "what's the point of me going to the quiz", "better off without me in
the kitchen", "we set a date, we're eloping", "the last time I'll talk to you this week"."""

from __future__ import annotations

_PLACE = (
    r"(?:here|round here|around here|(?:in |on |at |near )?(?:this|the|a|my|our) (?:city|town"
    r"|area|street|road|estate|village|flat|house|country|countryside|suburbs|neighbourhood"
    r"|neighborhood|dorm|halls|building)|(?:in|near|round|around) (?!(?:this|the|a|my|such|constant"
    r"|fear|pain|misery|agony|hell|darkness|torment|shame|dread|silence)\b)[a-z]+)"
)
_HOUSEMATES = (
    r"(?:w|with) (?:my|our|me) (?:parents|mum|mom|dad|folks|flatmates?|housemates?|roommates?"
    r"|in laws|nan|gran|grandparents|family|sister|brother|ex)"
)
_SCENE = (
    r"(?:kitchen|karaoke|quiz|pub quiz|team|band|choir|group chat|chat|call|meeting|match|game"
    r"|pitch|field|court|stage|dance floor|rota|committee|trip|holiday|project|league|course"
    r"|class|squad|office|shop|bathroom|car|sofa|dinner|party|wedding|night out)"
)
_OCCASION = (
    r"(?:wedding|the big day|surgery|operation|op|move|moving|house move|party|launch|holiday"
    r"|trip|flight|interview|exam|appointment|procedure|transplant|birth|c section|induction"
    r"|christening|graduation|reunion|hand in my notice|hand my notice in|quit|leave|get married"
    r"|tie the knot|elope|start|retire|retirement)"
)

MASKS: tuple[tuple[str, str | None, str | None], ...] = (
    # "what's the point of living in london", "of me going to the quiz", "of waking up early"
    (
        rf"what is the point (?:of|in) (?:me )?(?:living {_PLACE}|living {_HOUSEMATES}|going"
        rf"(?= ?[,.]| to (?:the|a|this|that))|(?:being|staying) (?:on|in|at) (?:this|the|that)"
        rf" {_SCENE}|waking up (?:early|at \d+|before \w+))",
        None,
        None,
    ),
    # "I don't want to live with my parents / round here any more": a home, not a life
    (rf"(?:want|wanting|wanna) to live (?:{_HOUSEMATES}|{_PLACE})", None, None),
    # "better off without me in the kitchen", "easier without me hogging the bathroom"
    (
        rf"(?:without me|with me gone|miss me) (?:(?:in|on|at) (?:the|this|that|our|my) {_SCENE}"
        r"|hogging (?:the|my|our) \w+)",
        None,
        None,
    ),
    # "it's over for me in the fantasy league", "no future for me in sales"
    (
        r"(?:it is over|no future) for me (?:in|at) (?!(?:this|the) (?:world|life)\b|life\b)"
        r"(?:the |this |my )?\w+",
        None,
        None,
    ),
    # a date set for an occasion: "picked the day for the surgery", "the day I hand in my notice"
    (
        rf"(?:set|picked|chose|chosen|booked|fixed|got) (?:a|the) (?:date|day) (?:(?:for|of)"
        rf" (?:the |my |our )?{_OCCASION}|(?:i|we) (?:\w+ )?{_OCCASION})",
        None,
        None,
    ),
    (
        r"we (?:have )?(?:set|picked|chose|booked|fixed|got) (?:a|the) (?:date|day)",
        None,
        r"\b(?:eloping|elope|weddings?|engaged|get(?:ting)? married|honeymoon|fiance|fiancee)\b",
    ),
    # a farewell with a time limit or a place left: "the last time I'll talk to you this
    # week", "this is goodbye to the old office", "said goodbye to my kids at camp"
    (
        r"last time i will (?:talk|speak|chat|check in)(?: to you| with you)? (?:this|for (?:a|the)"
        r"|until|till|before) (?:week|weekend|month|fortnight|while|few days|holiday|trip|\w+day)",
        None,
        None,
    ),
    (
        r"(?:this is|it is) goodbye (?:i guess |then )?to (?:the|my|our) (?:old|former|last)"
        r" \w+",
        None,
        None,
    ),
    (
        r"(?:said|saying|say) goodbye to (?:my|the|our) (?:kids|son|daughter|children|boys|girls)"
        r" (?:at|off at|outside) (?:the )?(?:summer |school |scout |sleepaway )?(?:camp|school"
        r"|nursery|airport|station|gate|bus|coach)(?!.*\b(?:will not be (?:here|around)|last time"
        r"|forever|for good|never see)\b)",
        None,
        None,
    ),
    (
        r"(?:will not|am not going to) be (?:around|here) (?:much )?(?:longer )?today",
        None,
        r"\b(?:shift|off for|fortnight|holiday|annual leave|day off|clocking off|finish work)\b",
    ),
    (
        r"not (?:being|be) (?:here|around) (?:for|over) (?:the )?(?:holidays|christmas|easter"
        r"|summer|weekend|new year|half term)",
        None,
        None,
    ),
    # giving things away for a reason: "gave away my plants before the move", "for the declutter"
    (
        r"(?:gave|give|giving|given) (?:away )?(?:my |all my |some of my )?\w+ (?:away )?(?:before"
        r"|for|because of|ahead of) (?:the|my|our) (?:move|house move|declutter|decluttering"
        r"|clear out|car boot|jumble sale|charity shop)",
        None,
        None,
    ),
    (r"letters for (?:each of them|everyone|all of them) for the time capsule", None, None),
    # ending a relationship or a group: "ending things with the band"
    (r"end(?:ing|ed)? things with (?:the|my|our|her|him|them) ?\w*", None, None),
    # sleep, a lie in: "go to sleep and not wake up till noon"
    (
        r"not wake up (?:till|until) (?:noon|midday|lunch|lunchtime|the afternoon|\d+|late|tomorrow"
        r" afternoon)",
        None,
        None,
    ),
    # hyperbole with "could": "so bored I could die"
    (
        r"(?:am|was|feel|felt|getting) (?:so )?(?:bored|hungry|tired|hot|cold|full|sleepy"
        r"|jealous) i could die|dead inside(?= (?:haha|lol|lmao|hahaha)\b)",
        None,
        None,
    ),
    # a work of art about a theme: "the song's literally about wanting to die"
    (
        r"(?:song|songs|album|film|book|poem|track|lyrics) (?:is |are |was )?(?:\w+ )?about"
        r" (?:wanting to die|dying|death|suicide|killing (?:himself|herself|themselves))",
        None,
        None,
    ),
    # a sport or a hobby: "walking into the sea like the cold water swim lot", "hurt myself on
    # the trampoline", "kill myself running that half marathon"
    (
        r"walk(?:ing)? into the sea",
        None,
        r"\b(?:cold water swim\w*|wild swim\w*|open water swim\w*|sea swim\w*|swimmers)\b",
    ),
    (
        r"(?:hurt|injure|kill) myself (?:on (?:the|a) (?:trampoline|bike|ladder|slide|climbing"
        r" wall|skateboard|ice|slopes)|running (?:that|the|a) (?:half marathon|marathon|race|10k"
        r"|5k))",
        None,
        None,
    ),
    # a bad shift or exam, told as over and fine: "service was brutal and I wanted to die,
    # but we pulled it off", "the exam was so bad I literally wanted to die, anyway maccas"
    (
        r"(?:exam|test|shift|service|meeting|presentation|interview|class|lesson|gig|speech"
        r"|match|game|date|day at work)(?: \w+){0,4} (?:was|went) (?:so )?(?:bad|badly|brutal|awful"
        r"|embarrassing|hard|rough|terrible)(?:,? (?:\w+ ){0,8}?| )i (?:literally |actually )?"
        r"wanted to die",
        None,
        r"\b(?:anyway|but (?:we|it|i) (?:\w+ ){0,3}(?:pulled it off|got through|made it|was fine"
        r"|went fine)|tips were|lol|haha|lmao|got (?:maccas|pizza|food|drinks|chips|a kebab))\b",
    ),
    # a way of living, not a life: "I don't want to live out of this truck forever"
    (r"(?:want|wanting|wanna) to live out of (?:a|this|that|my|the|our) \w+", None, None),
    # a joke threat over a small thing: "my cousin said he'll kill me if I miss his wedding"
    (
        r"(?:will|is going to|gonna) kill me if i (?:miss|forget|am late|skip|break|lose|eat"
        r"|spill|scratch|dent|do not (?:come|turn up|show up|bring))",
        None,
        None,
    ),
    # a drill or a course, not an emergency: "mass casualty drill, fake blood everywhere"
    (
        r"fake blood(?: everywhere)?|blood everywhere|casualties",
        None,
        r"\b(?:drill|drills|simulation|mock casualty|role play|roleplay|first aid (?:course"
        r"|training)|training day|moulage)\b",
    ),
    # a thing about to "murder" someone: "the test was going to murder him"
    (
        r"(?:test|exam|exams|homework|essay|job|work|commute|deadline|course|gym|workout|class"
        r"|traffic|hangover|heat|weather|stairs|hill|run|shift)(?: \w+){0,2} (?:is|was|are|were)"
        r" (?:going to|gonna|about to) (?:kill|murder|destroy) (?:him|her|them|us)",
        None,
        None,
    ),
    # an insult: "my boss can go jump off a bridge"
    (
        r"(?:can|could|should|may) (?:go )?(?:and )?jump (?:off a bridge|off a cliff|in a lake"
        r"|in the river|in the sea|off a roof)",
        r"\bi (?:\w+ )?$",
        None,
    ),
    # someone else's sobriety: "my son's ninety days clean today, so proud"
    (
        r"(?:son|daughter|brother|sister|husband|wife|partner|mum|mom|dad|friend|mate|boyfriend"
        r"|girlfriend)(?:s| is)? (?:\w+ ){0,2}(?:days?|weeks?|months?|years?) (?:clean|sober)",
        None,
        None,
    ),
    # a question at work about an overdose: "a customer asked me what happens if you overdose"
    (
        r"(?:asked|asking|asks) (?:me )?(?:about|what happens if you|how much) (?:\w+ ){0,4}"
        r"overdose\w*(?: \w+){0,6}",
        None,
        r"\b(?:student|exam|nursing|course|customer|patient|counter|pharmacy|shift|class"
        r"|lecture)\b",
    ),
    # a class on a topic: "think about death a lot in my philosophy module"
    (
        r"(?:death|dying)(?: \w+){0,3} in (?:my|our|the) (?:philosophy|religion|ethics|theology"
        r"|classics|literature) (?:module|class|course|lecture|seminar|lessons?)",
        None,
        None,
    ),
)
"""Each: a pattern, words that just before it make it literal, words the turn must have."""
