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
        rf"(?= ?[,.]| to (?:the|a|this|that)| out\b)|(?:being|staying) (?:on|in|at) (?:this|the"
        rf"|that) {_SCENE}|waking up (?:early|at \d+|before \w+))",
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
    # --- everyday wording in people's own posts -----------------------------------------
    # "should I end it?" when the turn says what: "...if I should end my relationship"
    (
        r"(?:should i|do i|whether to|whether i should|time to|how do i) (?:\w+ )?end (?:it|things)"
        r"(?! all| for good| forever| tonight)",
        None,
        r"\b(?:end|ending|ended|finish|call off) (?:my|our|the|this|a) (?:\w+ )?(?:relationship"
        r"|marriage|engagement|friendship|situationship)\b|\bbreak(?:ing)? up with\b",
    ),
    # cutting people off, not the skin: "cut contact with my family", "cut myself off from
    # everyone", "cut it out of my life", "I cut myself off after two drinks"
    (
        r"(?:cut|cuts|cutting) (?:myself|me) (?:off|out|away)(?: from)?|(?:cut|cuts|cutting)"
        r" (?:myself|me) from (?:everyone|everybody|people|friends|the world|others|them|him|her"
        r"|society|my (?:friends|family|parents))|(?:cut|cuts|cutting) (?:off )?(?:all )?(?:contact"
        r"|ties|communication)|(?:cut|cuts|cutting) (?:\w+ ){1,3}out of my life",
        None,
        None,
    ),
    # an itch scratched until it bled, in a turn about a rash, a bite or eczema (and no motive)
    (
        r"(?:scratch|scratched|scratching|scratches) (?:at )?(?:my|the|that|a|this|those|these)"
        r" (?:same )?(?:\w+ )?(?:wrists?|arms?|legs?|skin|hands?|moles?|bites?|spots?|scabs?|rash"
        r"|eczema|back|scalp|ankles?|feet|neck|face|chest)(?: (?:\w+ ){0,2}?(?:until|till) (?:it"
        r"|they) (?:bled|bleeds|bleed|bleeding))?",
        None,
        r"^(?!.*\b(?:on purpose|deliberately|punish\w*|deserve\w*|urges?|to feel|to cope|relaps\w*"
        r"|self harm\w*)\b).*\b(?:itch\w*|rash|rashes|eczema|hives|scabies|psoriasis|mosquito"
        r"|bug bites?|insect bites?|allerg\w*|dermatitis|chicken ?pox)\b",
    ),
    # a graze on a thing: "scratched my leg on rusty rebar", "cut my hand on some wire"
    (
        r"(?:cut|scratched|scraped|grazed|gashed|snagged|caught) my (?:\w+ )?(?:arm|arms|leg|legs"
        r"|hand|hands|shin|knee|ankle|foot|finger|back|skin) on (?:\w+ ){0,2}?(?:rebar|nails?|wire"
        r"|barbed wire|fence|rocks?|metal|branch|branches|thorns?|brambles?|corner|edge|screw|hook"
        r"|coral|shell|shells)",
        None,
        None,
    ),
    # a sports or overwork injury: "overdid it to a knee injury, trying not to injure myself"
    (
        r"(?:injure|injures|injuring|injured) myself",
        None,
        r"^(?!.*\b(?:on purpose|deliberately|punish\w*|deserve\w*|urges?|to feel|to cope|relaps\w*"
        r"|self harm\w*|cut\w*|burn\w*)\b).*\b(?:(?:leg|knee|ankle|back|shoulder|sports?|running"
        r"|gym|hamstring|foot|hip|muscle|wrist|neck) injur(?:y|ies)|overwork\w*|overtrain\w*)\b",
    ),
    # a thing that should not exist: "that place shouldn't exist", "I feel like it shouldn't"
    (
        r"(?:it|that|this|which|these|those|they)(?: (?!(?:i|me|we|people|someone)\b)\w+)?"
        r" (?:should not|should never|ought not to|does not deserve to|do not deserve to) exist",
        None,
        None,
    ),
    # a cost borne for someone: "I wanted to please him, even if it meant hurting myself"
    (r"(?:even )?if it (?:meant|means|mean) (?:hurting|harming|injuring) myself", None, None),
    # fear of an injury in an activity: "too afraid of hurting myself trying to break it"
    (
        r"(?:afraid|scared|worried|frightened|terrified) (?:of )?(?:hurting|injuring) myself"
        r" (?:trying|doing|by|when|while|lifting|running|climbing|falling|on)",
        None,
        None,
    ),
    # a period: "I don't want to bleed through my jeans"
    (
        r"(?:bleed|bleeding|bled) through (?:my |some |the |a |your |her )?(?:\w+ )?(?:pants"
        r"|jeans|trousers|clothes|pads?|tampons?|sheets|underwear|knickers|uniform|leggings"
        r"|shorts|skirt|bed)",
        None,
        None,
    ),
    # the body as the subject of an anxious feeling: "my skeleton wants to rip through my skin"
    (
        r"(?:skeleton|bones|heart|soul|insides|organs|body) (?:\w+ ){0,2}?(?:wants?|trying|tries"
        r"|going) to (?:rip|tear|burst|crawl|jump|climb|break) (?:out of|through|out through) my"
        r" (?:skin|chest|body)",
        None,
        None,
    ),
    # the old self killed off: "I've killed myself, the person I was"
    (
        r"(?:kill|killed|killing) myself,? (?:as in )?(?:the|who|my) (?:old )?(?:person|version of"
        r" me|self|man|woman|girl|guy|boy|me) (?:i|that i|who i) (?:was|used to be)",
        None,
        None,
    ),
    # a life taken away by a thing: "alcohol, you took my life away from me"
    (r"(?:took|taken|stole|stolen|takes|taking) my (?:whole )?life away from me", None, None),
    # waking up is hard: "I can't wake up in the morning, five alarms"
    (
        r"(?:can not|could not) wake up(?! (?:my|him|her|them|his|our|the)\b)",
        r"\b(?:wish|hope|hoping|wishing|pray|praying)(?: that)? i ?$",
        None,
    ),
    # fear of dying, health anxiety: "I fear I may die in my sleep"
    (
        r"(?:fear|fears|feared|afraid|scared|terrified|worried|worry|anxious|paranoid|convinced"
        r"|panicking)(?: that)? i (?:may|might|will|could|am going to|would) die(?: in my sleep"
        r"| any (?:moment|minute|second|day|time)| soon| young)?",
        None,
        None,
    ),
    (
        r"(?:could|might|may) die any (?:moment|minute|second|day|time)",
        None,
        r"\b(?:fear|afraid|scared|terrified|worried|anxiety|anxious|panic|health|doctor|symptoms?"
        r"|tumou?r|heart|cancer)\b",
    ),
    # someone else's judgement about a service: "they said I don't need it anymore"
    (
        r"(?:they|he|she|doctor|gp|therapist|psychiatrist|nurse|team|you) (?:\w+ )?(?:said|say|says"
        r"|told me|decided|think|thinks|reckon|reckons)(?: that)? i (?:do not|will not|would not"
        r"|did not) need (?:it|them|\w+) anymore",
        None,
        None,
    ),
    # goodbye to a habit: "one last cigarette, I pray to god this is goodbye"
    (
        r"(?:hope|hoping|pray|praying)(?: to god)?(?: that)? this is (?:my )?goodbye",
        None,
        r"\b(?:quit|quitting|smok\w*|cigarettes?|cigs|fags|vap\w*|nicotine|tobacco|drinking|booze"
        r"|alcohol|weed|sober\w*)\b",
    ),
    # goodbyes when leaving somewhere: "say my goodbyes and head home"
    (
        r"(?:say|said|saying) (?:all )?my goodbyes (?:and|before) (?:\w+ )?(?:move on|moved on"
        r"|moving on|leave|left|leaving|head|headed|heading|go|went|going) (?:to (?:see|find|meet"
        r"|join|the)|home|off|out|back)",
        None,
        None,
    ),
    # worn out by a task: "nearly felt like dying during that chem final"
    (
        r"(?:felt|feel|feeling) like dying (?:during|in|after|at|on|through) (?:that|the|my|this|a"
        r"|each|every) (?:\w+ ){0,2}?(?:final|finals|exam|exams|test|run|race|workout|class|lecture"
        r"|hike|match|game|shift|marathon|session|flight|presentation|interview|practice"
        r"|training)",
        None,
        None,
    ),
    # the time after someone's death: "the scene after Midge's death is really good"
    (
        r"(?:after|since|before) (?:\w+ ){0,2}?(?:death|dying|suicide|funeral|passing)(?= (?:is"
        r"|was|sounds|seems|feels) )",
        None,
        None,
    ),
    # an animal's poisoning: "what's the lethal dose of caffeine for a dog"
    (
        r"(?:lethal|fatal|deadly|toxic|dangerous) (?:dose|amount)(?: of (?:\w+ ){1,3}?)? ?(?:for"
        r"|to) (?:a |an |my |our |the |your )?(?:dogs?|cats?|pupp(?:y|ies)|kittens?|pets?"
        r"|horses?|rabbits?|birds?|hamsters?|guinea pigs?|parrots?|budgies?|fish)\b",
        None,
        None,
    ),
    # a word asked about: "what does overdose mean", "what is the definition of self harm"
    (
        r"(?:what (?:does|do) (?:the (?:word|term) )?(?:\w+ ){1,3}?mean(?! to me)\b|(?:what is the"
        r" )?(?:definition|meaning) of (?:the (?:word|term) )?(?:\w+ ){0,2}\w+(?= ?[?.]|$)|(?:how"
        r" (?:do|would) you )?define (?:the (?:word|term) )?(?:\w+ ){0,2}\w+(?= ?[?.]|$))",
        None,
        None,
    ),
    # a habit harming me: "I keep drinking though it is harming myself and others"
    (
        r"(?:it|this|that|drinking|smoking|using|alcohol|drugs|(?:the|my) (?:drinking|smoking"
        r"|using|habit|addiction)) (?:is|was|has been|keeps|are|were) (?:harming|hurting"
        r"|damaging) (?:myself|me)",
        None,
        None,
    ),
)
"""Each: a pattern, words that just before it make it literal, words the turn must have."""
