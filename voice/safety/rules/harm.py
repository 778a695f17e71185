"""Rules for the other risks: suicide-risk concerns, self-harm, eating disorders, harm to
others, abuse disclosed, medical emergencies and general distress. See
``voice.safety.rules`` for the pattern notation."""

from __future__ import annotations

from voice.safety.rules.base import (
    ABUSE,
    AGENT,
    CONCERN,
    CRISIS,
    DISTRESS,
    EATING,
    MEDICAL,
    OTHERS,
    PILLS,
    POSS,
    REFL,
    SELF_HARM,
    VICTIM,
    Rule,
    RuleKind,
    rule,
)

HARM_RULES: tuple[Rule, ...] = (
    # --- self-harm --------------------------------------------------------------------
    rule(
        "self_harm.act",
        SELF_HARM,
        CRISIS,
        rf"(?:cut|cuts|cutting|burn|burns|burning|burned|burnt|harm|harms|harming|harmed|hurt"
        rf"|hurts|hurting|injure|injuring|injured|hit|hitting|punch|punching|punched|scratch"
        rf"|scratching|scratched|stab|stabbing|stabbed|bite|biting|bruise|bruising|carve|carving"
        rf"|carved|mutilate|mutilating|bash|bashing|slap|slapping|choke|choking|strangle"
        rf"|strangling) {REFL}(?! (?:laughing|out|up|a|some)\b)",
        rf"(?:cut|cuts|cutting|burn|burning|burned|burnt|scratch|scratching|carve|carving|carved"
        rf"|hit|hitting|punch|punching) (?:into )?{POSS} (?:arm|arms|wrist|wrists|thigh|thighs"
        r"|leg|legs|skin|stomach|body|hips|hip)(?! on (?:the|a) )",
        r"self (?:harming|harmed|injuring|injured|mutilating|mutilated)",
        r"(?:i|i have been|been|started|start|keep|keeps|still|again|i am) (?:\w+ )?self (?:harm"
        r"|harming|harmed|injure|injuring|mutilate)",
        r"(?:thoughts|urges|urge|thinking|thought) (?:of|about|to) (?:self harm|cutting|hurting"
        r" myself|harming myself|burning myself)",
        r"(?:i|i have been|been|keep|started|start|am|was) cutting(?= ?$| ?[.!?;,]| deeper| more"
        r"| again| every| a lot| because| to feel| to cope| when)|cutting (?:deeper|more and more)"
        r"|only way i can (?:feel|cope)(?: \w+){0,2} (?:is )?cutting|cutting is the only",
        r"(?:want|need|deserve|wanted|needed) to feel (?:physical )?pain",
        r"(?:urge|urges|urged|tempted|temptation|want|wanted|wanting|need|needed|feel like|felt"
        r" like|craving|crave|itching) to (?:cut|burn|hurt|harm|punish|scratch|carve|bleed|hit"
        r" myself|hurt myself)(?! (?:him|her|them|someone|somebody|people|my \w+|the \w+|you"
        r"|off|out|down|back|class|ties|costs|corners|the|a|some|calories|sugar|carbs|me|said"
        r"|that|this|anyone|anybody|everyone|everybody|others|contact))",
        r"(?:relapsed|relapse|relapsing) (?:on |into |with )?(?:self harm|cutting|harming"
        r"|burning)|(?:started|start|starting) (?:cutting|burning|harming) (?:again|myself)",
        r"(?:cutting|burning) again",
        r"(?:going to|gonna|will|want to|need to|about to|might) (?:cut|burn) (?:tonight|today"
        r"|again|later|now|when i get home)",
        r"(?:cut|burn|scratch|hit|bang|pick|pull|bite|punch|claw|dig|pinch|slam)\w*"
        r" (?:\w+ ){0,6}(?:until|till) (?:it|they|i|my \w+) (?:bleeds|bleed|bled"
        r"|bleeding|scars|scar|hurts|hurt|bruises|bruised|bruise)",
        r"(?:hitting|hit|punching|punched|bashing|bashed|slamming|slammed) my head (?:against|on"
        r"|into) (?:the |a )?(?:wall|floor|door|desk|table)",
        r"(?:fresh|new|deep) (?:cuts|wounds|burns|scars|marks) on (?:my )?(?:arm|arms|wrist|wrists"
        r"|thigh|thighs|leg|legs|stomach|body|skin|hips)",
        r"(?:cut|burned|burnt|hit|slammed|banged|punched|scratched|bit|hurt|injured|bruised) (?:my"
        r"|myself)(?: \w+){0,3} (?:on purpose|deliberately|intentionally)",
        r"(?:i|and) (?:cut|burned|burnt) (?:again|yesterday|last night|today|this morning|tonight"
        r"|this week|the other day)",
    ),
    rule(
        "self_harm.recovery",
        SELF_HARM,
        CONCERN,
        r"(?:have not|had not|did not|not) (?:cut|self harmed|burned|burnt|hurt myself|harmed"
        r" myself|cut myself|burned myself)(?: myself)? (?:in|for|since)",
        r"(?:\d+|a|one|two|three|four|five|six) (?:days?|weeks?|months?|years?) (?:clean|free"
        r"|without (?:cutting|self harm|self harming|hurting myself|harming myself))",
        r"clean (?:from|of) (?:self harm|cutting)|(?:been )?clean (?:for|since) (?:\d+|a|over a"
        r"|almost|nearly)",
        r"used to (?:cut|self harm|burn myself|hurt myself|harm myself|cut myself)",
        negatable=False,
    ),
    rule(
        "self_harm.deserve_pain",
        SELF_HARM,
        CONCERN,
        r"(?:deserve|deserved|deserves) (?:to (?:hurt|suffer|be punished|feel pain|bleed|be in"
        r" pain)|pain|to be hurt)",
        r"(?:punish|punishing|punished) myself",
    ),
    # --- eating disorders -------------------------------------------------------------
    rule(
        "eating.purge",
        EATING,
        CONCERN,
        r"(?:make|makes|made|making|force|forced|forcing|get|got) (?:myself|herself|himself"
        r"|themselves) (?:throw up|vomit|puke|sick|be sick)",
        r"(?:purge|purges|purging|purged)|binge and purge|(?:bingeing|binging) and purging",
        r"(?:throw|throwing|threw) up (?:after|every time i|when i) (?:i )?(?:eat|ate|eating|meals"
        r"|every"
        r" meal|dinner|lunch)",
        r"(?:chew|chewing) and (?:spit|spitting)",
        r"(?:throw|throwing|threw) (?:it|it all|everything|food|my food|my meals?|dinner|lunch) up",
        r"(?:taking|take|took|use|using|abusing) (?:\w+ )?(?:laxatives|diet pills|water pills"
        r"|diuretics)",
    ),
    rule(
        "eating.restrict",
        EATING,
        CONCERN,
        r"(?:starve|starves|starving|starved) (?:myself|herself|himself|themselves)",
        r"(?:have not|had not|did not|has not) (?:eaten|eat|had any food|had a meal|had anything"
        r" to eat|eaten anything|eaten a thing)(?: or (?:drunk|drank|had anything to drink|had any"
        r" water))?(?: anything| properly| at all| a thing)?"
        r" (?:in|for|since) (?:\d+|a|several|a few|many|two|three|the last \d+|days|weeks)"
        r" ?(?:days?|weeks?|monday|tuesday|wednesday|thursday|friday|saturday|sunday)?",
        r"(?:stopped|stop|refuse|refusing|refused) (?:eating|to eat)(?= ?$| ?[.!?;,]| properly"
        r"| altogether| completely| at all| for days| again| anything| because| so)",
        r"(?:not eating|barely eating|hardly eating|barely eat|hardly eat|skipping meals|skip"
        r" meals|skipped meals|eat nothing|eating nothing|ate nothing) (?:\w+ ){0,3}(?:to lose"
        r"|so i (?:can|will) lose|on purpose|to punish|to feel in control|to be thin|because i"
        r" am fat|for days|all week|for a week)",
        r"(?:only|barely|just) (?:eat|eating|ate|allow myself|allowing myself) (?:\d{1,3}|a few"
        r" hundred) calories",
        r"(?:eat|eating|ate|having|allow myself|allowing myself|living on|surviving on) (?:like"
        r" |about |around |only |maybe |under |less than |barely )?(?:[1-7]\d\d|\d{1,2})"
        r" calories (?:a|per|each) day",
        r"(?:afraid|scared|terrified) (?:to eat|of eating|of food)",
        r"(?:weigh|weighing) myself (?:\d+|many|several|a dozen) times",
        r"by (?:not eating|starving|skipping meals|barely eating|throwing up|purging)",
        r"(?:only|barely) (?:let|allow) myself (?:to )?eat",
    ),
    # --- harm to others ---------------------------------------------------------------
    rule(
        "others.harm",
        OTHERS,
        CRISIS,
        rf"(?:kill|killing|murder|murdering|hurt|hurting|harm|harming|stab|stabbing|shoot"
        rf"|shooting|strangle|strangling|choke|choking|smother|smothering|drown|drowning|poison"
        rf"|poisoning|beat up|beating up|attack|attacking|hit|hitting|shake|shaking) {VICTIM}"
        r"(?! (?:feelings|feeling|ego|pride|chances|career|reputation|back|knee|up|a text"
        r"|an email|a message|with kindness|in the game|off|it off))",
        rf"(?:push|pushing|shove|shoving|throw|throwing) {VICTIM} (?:in front of|off|under|down"
        r" the stairs|out of)",
        r"shoot up (?:the|my|a|our) (?:school|office|work|workplace|church|mall|college|class)",
        r"(?:bring|take|bringing|taking) (?:a|my) (?:gun|knife|weapon) to (?:school|work|class"
        r"|the office)",
        kind=RuleKind.OTHERS,
    ),
    rule(
        "others.revenge",
        OTHERS,
        CONCERN,
        r"(?:make|making) (?:them|him|her|everyone|all of them) pay|(?:they|he|she) will (?:all )?"
        r"(?:pay|be sorry)",
        kind=RuleKind.OTHERS,
    ),
    # --- abuse disclosed --------------------------------------------------------------
    rule(
        "abuse.physical",
        ABUSE,
        CRISIS,
        rf"{AGENT} (?:\w+ ){{0,4}}(?:hits|hit|beats|beat|punches|punched|kicks|kicked|slaps"
        r"|slapped|chokes|choked|strangles|strangled|shoves|shoved|pushed|pushes|throws things at"
        r"|threw (?:\w+ ){0,2}at|burns|burned|bites|bit|grabs|grabbed|attacked|attacks"
        r"|assaulted|assaults|raped|rapes|molested|molests|abused|abuses|is abusing|was abusing"
        r"|hurts|beat up|beats up|locks|locked|touches|touched|forced|forces|knocked|knocks"
        r"|smacked|smacks|whipped) me(?! (?:out of|to"
        r" (?:do better|try|go|be|study|work)|into (?:doing|going|a|the)|hard|like|that|how"
        r"|off|deeply|so much|a lot|on the (?:shoulder|arm|back|hand|head)|in (?:the|a)"
        r" (?:game|match)|with (?:a|the) (?:pillow|ball|toy|snowball|news|question|idea|bill)))",
        r"forced (?:himself|herself|themselves) on me",
        rf"{AGENT} (?:\w+ ){{0,2}}(?:said|says|threatened|threatens|told me|swore)(?: that)?"
        r" (?:he|she|they) (?:would|will|is going to|is gonna|was going to) (?:break|smash|beat"
        r"|hurt|hit|kill|punch|stab|burn) (?:my|me)",
        rf"{AGENT} (?:\w+ ){{0,2}}(?:pinned|pins|held|holds|dragged|drags|shook|shakes|spat on"
        r"|spits on|tied|ties|threw|throws) me (?:down|up|against|to|on|by|across|around|into)",
        r"(?:he|boyfriend|stepdad|stepfather|uncle|dad|father|brother|cousin|grandfather|grandpa"
        r"|man|guy|teacher|coach) (?:\w+ ){0,2}(?:comes|came|coming|sneaks|sneaked|snuck|gets|got"
        r"|creeps|crept) into my (?:room|bed|bedroom) (?:at night|when|and|while)",
        rf"{AGENT} (?:\w+ ){{0,2}}(?:hits|hit|beats|beat|punches|punched|kicks|kicked|slaps"
        r"|slapped|hurts|abuses|abused|chokes|choked) (?:\w+ ){1,3}and me",
        r"(?:got|get|was|been|being|getting|am) (?:hit|beaten|punched|kicked|slapped|choked"
        r"|strangled|attacked|hurt|pushed|shoved|raped|assaulted|threatened|burned|bitten) by"
        r" (?:my |him|her|them|he|she)",
        r"(?:am|was|been|get|got|keeps me|kept) locked (?:in|inside) (?:my|the|a|his|her)"
        r" (?:room|house|flat|cupboard|basement|bathroom|apartment)(?! by accident)",
        rf"{AGENT} (?:would|will|is going to|is gonna|said he would|said she would) (?:kill|hurt"
        r"|hit|beat) me if i (?:leave|go|tell|call|report|try)",
        r"(?:threaten|threatens|threatened|threatening) to (?:kill|hurt|hit|beat|stab|shoot) me",
        r"(?:said|says|told me|swore|promised) (?:that )?(?:he|she|they) (?:would|will|is going"
        r" to|was going to) (?:kill|hurt|hit|beat) me",
        r"(?:afraid|scared|terrified|frightened) (?:that )?(?:he|she|they|my \w+) (?:will|might"
        r"|is going to|could|would) (?:kill|hurt|hit|beat) me",
        r"(?:afraid|scared|terrified|frightened) (?:for my life|he will kill me|she will kill me)",
        r"(?:do not|not) feel safe (?:at home|in my (?:own )?(?:house|home)|with (?:him|her|them"
        r"|my \w+)|around (?:him|her|them|my \w+)|going home)",
        r"(?:was|been|got|were|being|am|get) (?:raped|sexually assaulted|sexually abused|molested"
        r"|assaulted|abused|beaten|beaten up|attacked|strangled|choked|groped|spiked|drugged"
        r"|trafficked)",
        r"(?:makes|made|forces|forced|forcing) me (?:to )?(?:have sex|do sexual|touch (?:him|her)"
        r"|watch porn|sleep with)",
        r"(?:touches|touched|touching) me (?:where|when|at night|in ways|inappropriately|and i"
        r" (?:do|did) not|even though|without)",
        kind=RuleKind.ABUSE,
    ),
    rule(
        "abuse.other",
        ABUSE,
        CONCERN,
        rf"{AGENT} (?:\w+ ){{0,4}}(?:hits|hit|beats|beat|punches|punched|kicks|kicked|slaps"
        r"|slapped|abuses|abused|chokes|choked|rapes|raped|molests|molested|is abusing|was abusing)"
        r" (?:her|him|them|my (?:\w+ )?(?:mum|mom|mother|sister|brother|kids|children|son"
        r"|daughter|dad|father|baby|friend|partner))(?! (?:up|with (?:a|the) (?:pillow|ball|toy)))",
        kind=RuleKind.ABUSE,
    ),
    rule(
        "abuse.control",
        ABUSE,
        CONCERN,
        rf"{AGENT} (?:\w+ )?(?:does not|will not|do not|never) let me (?:leave|out|go|see|talk"
        r"|have|use|eat|sleep|work|go anywhere|have money|have friends)",
        rf"{AGENT} (?:\w+ )?(?:controls|checks|monitors|tracks|takes|took|reads|read) (?:all )?"
        r"(?:of )?my (?:money|phone|messages|location|bank|texts|wages|pay|passport)",
        rf"{AGENT} (?:\w+ )?(?:calls|called|keeps calling) me (?:names|worthless|stupid|fat|ugly"
        r"|useless|a whore|a slut|a bitch|an idiot|pathetic)",
        r"(?:afraid|scared|terrified|frightened) (?:of|to go) (?:go(?:ing)? )?(?:home|back home"
        r"|my husband|my partner|my boyfriend|my girlfriend|my wife|my dad|my father|my mum|my mom"
        r"|my stepdad|him|her)(?= ?$| ?[.!?;,]| when| because| again)",
        r"(?:walking|walk) on eggshells",
        r"(?:threaten|threatens|threatened|threatening) to (?:\w+ ){0,3}(?:take (?:the|my|our)"
        r" (?:kids|children|baby|son|daughter)|kick me out|throw me out|leave me with nothing|tell"
        r" everyone|out me|report me|hurt (?:the|my|our) (?:kids|dog|cat|pets?|children))",
        r"(?:tell|told|tells|telling|said|says|saying) me to (?:kill myself|die|go die|kill"
        r" yourself|go kill myself)",
        kind=RuleKind.ABUSE,
    ),
    # --- medical emergencies ----------------------------------------------------------
    rule(
        "medical.acute",
        MEDICAL,
        CRISIS,
        r"(?:having|have|think it is|this is|feels like|i am having|is having|he is having|she is"
        r" having) a (?:heart attack|stroke|seizure|fit|allergic reaction|anaphylactic"
        r" (?:shock|reaction))",
        r"(?:can not|can no longer|struggling to|hard to) breathe(?! (?:through|out of|with) (?:my"
        r"|this|the) (?:nose|mask|cold))|(?:stopped|is not|not) breathing|turning blue|gasping"
        r" for (?:air|breath)",
        r"chest (?:pain|pains|is tight|hurts|feels tight|pressure|is crushing|feels crushed)"
        r" (?:\w+ ){0,6}(?:arm|jaw|sweat|sweating|breathe|breath|crushing|spreading|numb|right"
        r" now|now|dizzy|faint)",
        r"(?:crushing|severe|really bad|terrible) chest pain",
        r"(?:having |have |got )?(?:trouble|difficulty|problems|struggling) breathing",
        r"(?:seizure|fit|collapsed|overdosed|overdose|fell|pills|hit (?:his|her|their) head)\b"
        r".{0,40}\b(?:not|is not|will not|can not) (?:waking up|wake (?:him|her|them) up"
        r"|responding|breathing|moving)",
        r"(?:shaking|sweating|sweaty|dizzy|numb|can not breathe|short of breath|breathless"
        r"|nauseous|faint)\b.{0,40}\bchest (?:pain|pains|hurts|is tight|feels tight|pressure)",
        r"(?:throat|tongue|lips|face) (?:is|are) (?:swelling|closing|swollen)",
        r"(?:face|mouth) (?:is )?(?:drooping|droopy)|slurred speech|slurring my words"
        r"|can not (?:move"
        r"|feel) (?:my |the )?(?:left |right )?(?:arm|leg|side|face)",
        r"(?:bleeding|blood) (?:will not stop|is not stopping|does not stop|everywhere|a lot"
        r"|heavily|badly|so much|through the)|lost (?:a lot of|so much|too much) blood",
        r"(?:unconscious|unresponsive|collapsed|passed out and (?:will not|can not|is not))"
        r"|can not wake (?:him|her|them) up(?! for)",
        r"(?:hit|banged|bumped) my head (?:\w+ ){0,6}(?:throwing up|vomiting|confused|blurry"
        r"|can not see|passed out|blacked out)",
        r"(?:vomiting|throwing up|coughing up) blood",
        kind=RuleKind.MEDICAL,
    ),
    rule(
        "medical.overdose",
        MEDICAL,
        CRISIS,
        rf"(?:took|taken|swallowed|have taken|downed|had) (?:like |about |around |maybe |roughly"
        rf" |over |at least |nearly |almost |more than )?(?:way |far )?(?:too many|a lot of|a bunch"
        rf" of|a handful of|loads of|lots of|all (?:of )?(?:my|the)|a (?:whole )?(?:bottle|box"
        rf"|pack|packet|strip) of|the (?:whole|entire|rest of the) (?:bottle|box|pack|packet)"
        rf"(?: of)?|\d{{2,}}) (?:\w+ )?{PILLS}",
        rf"(?:mixed|mixing|took|taken|had|drank) (?:\w+ ){{0,3}}{PILLS} (?:with|and) (?:alcohol"
        r"|vodka|wine|beer|a drink|drinks|booze|whiskey|gin)",
        r"(?:alcohol|vodka|wine|drinks|booze) (?:with|and) (?:my )?(?:sleeping pills|xanax"
        r"|benzos|painkillers|opioids|pills)",
        rf"(?:drank|had|drinking|downed) (?:\w+ ){{0,4}}(?:alcohol|vodka|wine|beer|drinks|booze"
        rf"|whiskey|gin) (?:\w+ ){{0,3}}(?:and|then) (?:took|taken|had|swallowed|popped) (?:\w+"
        rf" ){{0,2}}{PILLS}",
        rf"(?:took|taken|swallowed|had) (?:way |far )?too much (?:of )?(?:my )?(?:\w+ )?{PILLS}",
        kind=RuleKind.MEDICAL,
    ),
    rule(
        "medical.concern",
        MEDICAL,
        CONCERN,
        r"chest (?:pain|pains|is tight|hurts|feels tight|pressure)",
        r"(?:having|have) a panic attack(?: right now| now)",
        r"(?:heart|heartbeat) (?:is )?(?:racing|pounding|skipping|fluttering) (?:and|for)"
        r" (?:hours|ages|\d+)",
        r"(?:fainted|passed out|blacked out|collapsed|keep fainting|keep passing out)",
        kind=RuleKind.MEDICAL,
    ),
    # --- general distress -------------------------------------------------------------
    rule(
        "distress.not_coping",
        DISTRESS,
        CONCERN,
        r"(?:can not|could not|not) cope|not coping|(?:can not|could not) (?:take|handle|do)"
        r" (?:it|this|any of this) anymore|(?:i am|feel like i am) (?:falling apart|breaking down"
        r"|drowning|at breaking point|at my breaking point|at the end of my rope|at the end of my"
        r" tether|at rock bottom|barely holding on|hanging on by a thread|not okay(?! (?:with"
        r"|about)))",
        r"(?:the )?walls (?:are|were|keep) closing in|(?:feel|feels|feeling) like i am"
        r" (?:drowning|suffocating|going under|sinking)",
        r"(?:crying|cry|cried) (?:every day|every night|all the time|all day|constantly|non stop"
        r"|for days)|can not stop crying",
        r"(?:drinking|drunk|using|getting high|smoking weed) (?:\w+ ){0,5}(?:every day|every night"
        r"|all day|to cope|to forget|to numb|to get through|to sleep|to feel nothing|way too"
        r" much|more and more)",
        r"(?:no one|nobody) (?:cares|would care|loves|gives a damn) (?:about|for) me",
        r"(?:feel|feels|feeling) like i am dying|not in a good (?:place|way|headspace|space)"
        r"|(?:do not|can not) care about anything|(?:punched|punch|punching|hit|hitting|kicked)"
        r" (?:a|the) wall",
        r"(?:i am|i feel) (?:so |completely |totally )?(?:alone|lonely) (?:all the time|in the"
        r" world|every day)|(?:lost and alone|alone and lost)",
        r"(?:do not know|no idea) what to do anymore",
    ),
)
