"""Suicide rules: the act named, methods and means, plans, and wishes to be dead, stated
directly or indirectly. See ``voice.safety.rules`` for the pattern notation."""

from __future__ import annotations

from voice.safety.rules.base import (
    CONCERN,
    CRISIS,
    DEATH_STATE,
    LIVE,
    LIVING,
    PILLS,
    POSS,
    REFL,
    SELF_HARM,
    SUICIDE,
    Rule,
    rule,
)

SUICIDE_RULES: tuple[Rule, ...] = (
    # --- suicide: the act named -------------------------------------------------------
    rule("suicide.kill_self", SUICIDE, CRISIS, rf"kill(?:s|ed|ing)? {REFL}"),
    rule(
        "suicide.end_life",
        SUICIDE,
        CRISIS,
        rf"(?:end|ends|ending|ended|take|takes|taking|took|finish|finishing) {POSS} (?:own )?"
        r"life(?! back| in | into| to | seriously| for granted| more| one)",
        r"(?:end|ending) (?:it all|everything|things(?! with| off| between)|it (?:tonight|today|now"
        r"|for good|forever|soon|this week)|it(?= ?$| ?[.!?]))",
        r"(?:thinking|thought|think) (?:about |of )?ending it(?! with| off| there| between)",
    ),
    rule(
        "suicide.attempt",
        SUICIDE,
        CRISIS,
        r"(?:commit|commits|committing|committed|attempt|attempts|attempted|attempting|die by"
        r"|died by|dying by) suicide",
        r"my (?:last |first |previous )?suicide (?:attempt|attempts|note|letter|plan|pact)",
    ),
    rule(
        "suicide.suicidal",
        SUICIDE,
        CRISIS,
        r"(?:am|is|are|feel|feels|feeling|felt|been|get|getting|got|was|were|being|become"
        r"|becoming|go|going|so|quite|bit|little|a bit|little bit|pretty) suicidal",
        r"suicidal (?:thoughts|thinking|ideation|ideas|feelings|urges|tendencies|again|lately"
        r"|right now|tonight|today)",
        r"(?:think|thinking|thought|thoughts|considering|considered|contemplating|contemplated"
        r"|plan|planning|urges?) (?:about |of )?(?:suicide|killing myself|ending my life"
        r"|ending it all|ending everything|ending things|jumping(?! (?:in|into|on|at|ship|rope"
        r"|the|for|back|to|up))|ways to die|how to die|ways to kill myself|how to kill myself"
        r"|ways to end it|how to end it|the best way to die|how i would do it|not being here|not"
        r" existing|not being alive|not waking up|no longer being here)",
    ),
    rule("suicide.mention", SUICIDE, CONCERN, r"suicide|suicidal|suicides|overdose|overdoses"),
    rule(
        "self_harm.mention",
        SELF_HARM,
        CONCERN,
        r"self (?:harm|harms|injury|mutilation)|(?:found|find|finding) (?:\w+ ){0,3}(?:razor"
        r" blades?|blades|razors|a noose|cuts|scars|bloody tissues)",
    ),
    rule(
        "suicide.method",
        SUICIDE,
        CRISIS,
        rf"(?:hang|hanging|hanged|shoot|shooting|shot|drown|drowning|drowned|gas|gassing"
        rf"|suffocate|suffocating|electrocute|poison|poisoning|starve) {REFL}(?! in the foot)",
        rf"(?:slit|slitting|slash|slashing|cut|cutting|open|opening) {POSS} (?:wrists?|throat"
        r"|veins)",
        rf"(?:gun|pistol|barrel) (?:to|in|against) {POSS} (?:head|mouth|temple)",
        rf"blow {POSS} brains out|put a bullet in {POSS} (?:head|brain)",
        r"(?:tie|tied|tying|made|make|making|have|bought|got) a noose|noose",
        r"(?:(?:i|to|will|would|going to|want to|might|could|and|gonna) overdose|overdosed"
        r"|overdosing|(?:took|taken|take|taking|had|have taken) (?:an |another )?overdose)(?! on"
        r" (?:the )?(?:chocolate|sugar|caffeine|coffee|netflix))",
        rf"(?:how many|enough) {PILLS} (?:would it take|does it take|it takes|it would take"
        rf"|it will take|would do it|will do it|would be enough|is enough|to take|to die|to kill"
        rf"|would"
        rf" kill|will kill|to overdose|to end it|is lethal|are lethal)",
        r"(?:lethal|fatal|deadly) (?:dose|amount|overdose)",
        rf"{PILLS} (?:\w+ )?(?:counted out|lined up|laid out|ready|in front of me|in my hand|all"
        r" out on)",
        r"(?:the |a |my )?(?:rope|noose|gun|knife|razor|blade|belt) (?:is |are )?(?:ready|in front"
        r" of me|in my hand|set up|tied)",
        r"(?:bridge|roof|ledge|building|balcony|cliff|tracks|train tracks|railway|platform|pills"
        r"|rope|gun|noose)\b.{0,60}\b(?:thought about it|thinking about it|think about it"
        r"|considered it|thought about doing it|thinking about doing it|thought about jumping"
        r"|thinking about jumping)",
        r"swallow (?:everything|all of it|the lot) in the (?:medicine|bathroom) cabinet",
        r"(?:researching|research|looking up|looked up|look up|googling|googled|searching|searched"
        r"|reading up on) (?:how to|ways to|the best way to|methods to|how i could|how people)"
        r" (?:die|kill|overdose|end it|end my life|hang)",
        r"(?:use|using|used|turn|turning|try|trying) (?:it|them|the \w+|a \w+|my \w+) on myself",
        r"(?:do|doing|did) (?:something|anything) (?:\w+ )?to myself",
        rf"{PILLS} (?:\w+ )?(?:saved|saved up|stockpiled|stashed|hidden away|hoarded|put aside|set"
        r" aside)",
        rf"(?:saving|saved|stockpiling|stockpiled|hoarding|hoarded|collecting|collected|stashing"
        rf"|stashed|keeping) (?:up )?(?:my |all my |all of my |some )?{PILLS}",
    ),
    rule(
        "suicide.method_place",
        SUICIDE,
        CRISIS,
        r"(?:jump|jumping|jumped|throw myself|throwing myself|threw myself|step|stepping|stepped"
        r"|walk|walking|walked|drive|driving|drove|run|running|ran|lie|lying|lay)"
        r" (?:off|from|in front of|under|onto|into|on) (?:a|the|my|this|that|some) (?:\w+ )?"
        r"(?:bridge|building|roof|rooftop|balcony|cliff|tower|ledge|window|car park|parking garage"
        r"|overpass|train|bus|car|truck|lorry|tube|traffic|tracks|railway|railway line|train"
        r" tracks|motorway|highway|freeway|oncoming traffic|tree|wall)(?! for (?:a|an|some|one"
        r"|the chance))",
        r"(?:jump|jumping|step|stepping|walk|walking|throw myself) into (?:oncoming )?traffic",
        r"(?:take|taking|swallow|swallowing|down|downing) every (?:single )?(?:pill|tablet|capsule"
        r"|one of my pills)",
        r"(?:drive|driving|crash|crashing) (?:my car|the car) (?:off|into)",
        r"(?:crash|crashing|wreck|wrecking) (?:my|the) car(?= ?$| ?[.!?;]| on purpose| into)",
        r"(?:bridge|roof|ledge|building|window|balcony|cliff|edge|tracks|platform)\b.{0,60}\b"
        r"(?:going to|wants to|want to|about to|threatening to|threatened to|will|might|says he"
        r" will|says she will) jump(?! (?:in|into|on|at|for|rope|ship|queue|the gun|start))",
        rf"(?:take|taking|swallow|swallowing|down|downing) (?:all|all of|a bottle of|the whole"
        rf" bottle of|a whole bottle of|a handful of|the rest of|every one of|the whole (?:pack"
        rf"|packet|box|strip|lot|bottle)(?: of)?|a whole (?:pack|packet|box|strip)(?: of)?) (?:my "
        rf"|the |of my"
        rf" |those |these )?(?:\w+ )?{PILLS}",
        needs_intent=True,
    ),
    rule(
        "suicide.plan",
        SUICIDE,
        CRISIS,
        r"(?:have|made|got|have got|have made|making) (?:a )?plan (?:to|for|on how to|how to)"
        r" (?:end|kill|die|do it|take)",
        r"know (?:how|when|where) (?:i am going to|i will|i would|i could) do it",
        r"(?:picked|chosen|chose|set|decided on) (?:a|the) (?:date|day|time|way|method|place)",
        r"(?:wrote|written|writing|write|left|leave|leaving) (?:a|my) (?:goodbye|final|last)"
        r" (?:note|letter|letters|message)",
        r"(?:letters?|notes?) (?:to|for) (?:my|everyone)(?: \w+)? (?:to say goodbye|saying goodbye"
        r"|for when i am gone|for after i am gone)",
        r"(?:said|saying|say) (?:all )?my goodbyes|this is (?:my )?goodbye|goodbye (?:forever|for"
        r" good|for the last time)|(?:say|said|saying) goodbye to (?:everyone|everybody|my family"
        r"|the world) (?:forever|for good|for the last time)",
        r"this (?:is|will be) (?:my )?last (?:check in|message|night|day|time talking|time you"
        r" hear)(?! at| of| before| for)",
        r"(?:will not|never) hear from me again|last time you will (?:hear from|talk to) me",
        r"(?:will not|not going to) (?:be|be around|be here|be alive) (?:much longer|for much"
        r" longer|for long|anymore|by (?:tomorrow|the weekend|next week))",
        r"(?:will not|not going to) be a (?:burden|problem|bother)(?: (?:to|for) (?:anyone|anybody"
        r"|everyone|you|them|my family|you all))? (?:much longer|for long|anymore|soon)",
        r"soon (?:i )?(?:will not|not going to) be a (?:burden|problem|bother)",
        r"(?:will not|do not|would not) need (?:it|them|anything|my \w+) (?:anymore|where i am"
        r" going|after (?:tonight|tomorrow))",
    ),
    # --- suicide: wishing to be dead, stated directly or indirectly -----------------------
    rule(
        "suicide.want_die",
        SUICIDE,
        CRISIS,
        r"(?:want|wants|wanted|wanting|wish|wishing|wished|ready|need|pray|praying|hope|hoping"
        r"|deserve|deserved|long|longing|tried|like|rather|prefer|love|close) to die",
        r"so (?:that )?i (?:could|can|would|will|might) die",
        r"i (?:should|might as well|may as well|ought to|could) die(?! (?:of|from|laughing|for))",
        r"(?:want|wants|wanted|wish|wishes|wished) (?:to be|(?:i|he|she|they) (?:was|were|could be"
        r"|would be|had been)) dead|(?:would|had) rather be dead|(?:i am|i would be|i will be|be"
        r"|am|i was)"
        r" better off dead|should be dead|(?:should|could|would|wish i) (?:have|had) died",
        r"(?:wish|hope|hoping|pray|praying|wishing)(?: \w+){0,3} (?:that )?i (?:die|died|would die"
        r"|will die|could die|was gone|were gone|was not here|were not here|would disappear"
        r"|do not wake up(?! (?:late|early|in time|too|at|before|until|till|with|for|feeling))"
        r"|would not wake up|will not wake up|never wake up|never woke up|did not wake up|get hit"
        r"|got hit|would get hit|get run over|get cancer|got cancer|get killed|got killed|drop dead"
        r"|had never been born|was never born|were never born|had not been born|never existed"
        r"|did not exist|could stop existing|could just stop|could disappear forever"
        r"|could disappear for good)",
        r"(?:want|wanted|wish|wishing|need) to (?:stop existing|not exist|cease to exist"
        r"|disappear forever|disappear for good|disappear permanently|vanish forever|be gone"
        r" forever|go to sleep forever|sleep forever(?! (?:after|this|on|until|till|when))|be gone"
        r"|not be here|not wake up|never wake up"
        r"|die in my sleep|stop living|stop breathing)",
        r"(?:go|going|went) to sleep and (?:not|never) wake up|(?:fall|falling) asleep and"
        r" (?:not|never) (?:wake up|wake)|not wake up (?:again|ever|anymore|tomorrow|in the"
        r" morning)|never wake up (?:again|ever)|die in my sleep",
        r"(?:tired|sick|weary) of (?:being alive|living|existing|life|breathing)",
        r"done with (?:life|living|being alive|existing)",
        r"(?:hope|hoping|wish|wishing|pray|praying) (?:a|the|some) (?:car|bus|truck|train|plane"
        r"|lorry) (?:hits|would hit|will hit|runs over|ran over|crashes)",
        r"(?:hope|hoping|wish|wishing|want|wanted|pray) (?:someone|somebody|something|god) (?:to"
        r" )?(?:kills|would kill|will kill|kill|takes|would take|to take) me",
        r"(?:would|will) (?:rather|prefer) (?:die|be dead)",
        r"(?:i|me) (?:would|will) (?:rather|prefer) be dead",
        r"(?:would|had) rather not (?:exist|be alive|live|wake up|be here anymore|have been born"
        r"|be born|be here at all)",
        r"(?:do not|does not) care (?:if|whether) i (?:live or die|die|wake up|live)",
        r"(?:easier|better) (?:for everyone )?(?:to not be here|not to be here|to not exist|not to"
        r" exist|to be dead|to die|to not wake up|to disappear|if i was not here|if i were not"
        r" here)",
        r"(?:feel|feeling|felt) like dying(?! (?:of|from|laughing))",
        r"(?:fall|falling) asleep forever",
    ),
    rule(
        "suicide.death_wish",
        SUICIDE,
        CRISIS,
        rf"(?:want|wanna|wanted|wanting|wish|wishing|wished|hope|hoping|pray|praying|would like"
        rf"|would love|need|long|longing|crave|craving|ready|plan|planning|planned|fantasi[sz]e"
        rf"|fantasi[sz]ing|dream|dreaming|imagine|imagining|consider|considering|considered"
        rf"|tempted|close|so close|decided|better off) (?:\w+ ){{0,2}}(?:to |about |of )?"
        rf"{DEATH_STATE}",
        r"(?:what if|imagine if|wonder what would happen if|wonder if anyone would (?:care|notice)"
        r" if) i (?:did not exist|was not here|were not here|was gone|were gone|died|was dead"
        r"|were dead|disappeared|killed myself|ended it|was not around|were not around)",
        r"(?:do not|never) belong (?:on this earth|in this world|on this planet|among the living"
        r"|here anymore|anywhere anymore)",
        r"want out (?:for good|forever|of (?:this life|life|this world))",
        r"(?:suicide|death|dying|being dead|ending it|ending my life|killing myself|not existing"
        r"|not waking up|not being here) (?:sounds|seems|feels|would be|looks|is) (?:\w+ ){0,2}"
        r"(?:nice|good|peaceful|appealing|like a relief|a relief|like the only (?:option|way|answer"
        r"|choice|way out)|the only (?:option|way|answer|choice|way out)|the answer|like the answer"
        r"|like a good idea|a good idea|better|easier|tempting|inviting|like freedom|freedom|an"
        r" escape|like an escape|like a release|a release|welcome|attractive|like the best option)",
        r"(?:tired|sick) of waking up(?! (?:early|at|to|with|in))",
        r"(?:dying|death|suicide|being dead|ending it|ending my life|not being here|killing myself"
        r"|my death) (?:would|will|could|might|is going to) (?:fix|solve|end|stop|help|make"
        r" (?:it|everything|things) (?:better|easier|stop)|be the answer|sort)",
        r"(?:happier|better|easier|fine|relieved|calmer|at peace) (?:off )?dead",
        r"done (?:with )?(?:living|being alive|existing)",
        r"end (?:my|the|this) (?:suffering|pain|misery|torment|existence)(?: for good| forever"
        r"| permanently| once and for all| tonight)",
        r"end my (?:suffering|misery|existence)",
        r"never (?:get up|wake up|open my eyes|breathe) again",
        r"if i am (?:gone|not here|dead|not around) (?:tomorrow|tonight|by|next|in the morning"
        r"|soon)",
        r"(?:wish|wishing|hope|hoping|pray|praying) (?:\w+ ){0,3}(?:get|got|be|was|were|die)"
        r" (?:in|hit by|killed in|run over by|killed by) (?:a|an|the) (?:\w+ )?(?:accident|crash"
        r"|car|bus|train|truck|lorry|plane)",
        r"(?:urge|urges|tempted|want|wanted|thinking about|thought about|think about|impulse)"
        r" (?:\w+ ){0,2}to jump(?! (?:in|into|on|at|for|rope|ship|the queue|up|out|ahead|around"
        r"|over))",
        r"(?:place|spot|bridge|building|roof|cliff) (?:where|to|from which|from where) i (?:could"
        r"|can|will|would|might) jump",
        r"(?:drive|driving|drove|crash|crashing) (?:my car |the car )?(?:into|off) (?:a|the)"
        r" (?:river|lake|sea|ocean|canal|quarry|cliff|wall|tree|bridge|lorry|truck)",
        r"(?:doing|do) (?:\w+ ){0,2}(?:a )?(?:favour|favor) (?:\w+ ){0,2}by (?:dying"
        r"|killing myself|disappearing|not being here"
        r"|being gone|ending it)",
        rf"(?:plan|plans|planning|planned) (?:is |was )?to (?:take|swallow) (?:the|all the|all my"
        rf"|all) (?:\w+ )?{PILLS}",
        r"(?:belt|rope|cord|noose|scarf|tie|cable|string|wire) (?:a)?round my neck",
        r"jump off (?:something|somewhere) (?:high|tall)",
        r"(?:not going to|will not|do not think i will|might not|may not) make it (?:to|through"
        r"|until|till) (?:the weekend|tomorrow|next week|the end of the week|the morning|morning"
        r"|christmas|my birthday|next month|the night)",
        r"(?:walk|walking|walked|wade|wading|swim|swimming) (?:out )?into the (?:sea|ocean|river"
        r"|lake|water)(?: and (?:not|never) (?:come|coming) back)?",
    ),
    rule(
        "suicide.not_want_live",
        SUICIDE,
        CRISIS,
        rf"(?:do|did|does) not (?:want|wish|feel like|care) to (?:{LIVE})"
        r"(?! (?:with|to|at|like|this|that|in|early|for|so|until|till|when|before|on|without"
        r"|there|here|the|a|my))",
        r"(?:do|did) not want to (?:be here|be around|exist|be alive) (?:anymore|ever again"
        r"|any longer)",
        rf"(?:no longer|never) want to (?:{LIVE})(?! (?:with|to|at|like|in|early|for|there))",
        r"(?:do|did) not want to wake up(?! (?:early|at|before|for|so|until|till|in time|when|to))",
        r"(?:can not|could not) (?:go on|keep living|live)(?= ?$| ?[.!?;]| anymore| like this"
        r" anymore| much longer| any more)",
        r"(?:can not|could not) (?:live|go on) with myself",
        r"(?:do not|can not|could not) (?:see|find) (?:the|a|any) (?:point|reason|purpose)"
        r"(?= ?$| ?[.!?;]| anymore| of it all)",
        rf"(?:do not|can not|could not) (?:see|find) (?:the|a|any|much) (?:point|reason|purpose)"
        rf" (?:for me )?(?:to|in|of|for) (?:me )?{LIVING}",
        rf"(?:no|not any|not a single|never any|not much) (?:reason|point|purpose) (?:left )?(?:for"
        rf" me )?(?:(?:to|in|of|for) )?(?:me )?{LIVING}|no (?:reason|point|purpose) anymore",
        r"(?:not|no longer) sure i (?:will|would|am going to) (?:still )?be (?:here|around|alive)"
        r" (?:next week|tomorrow|much longer|for long|by \w+|next month|at christmas)",
        r"(?:do not|can not) (?:think|see) (?:that )?i (?:will|would|am going to) (?:still )?be"
        r" (?:here|around|alive) (?:next week|tomorrow|much longer|for long|by \w+|next month)",
        rf"not wanting to (?:{LIVE})(?! (?:with|to|at|like|in|early|for|there|the|a|my))",
        r"what is the point (?:of|in) (?:living|life|going on|being alive|anything|carrying on"
        r"|existing|me|waking up)|what is the point anymore|point of my life",
        r"nothing (?:left )?to live for|(?:life|living|my life|it) is not worth (?:living|it"
        r" anymore)|not worth living|no will to live|lost the will to live|(?:want|wanted|wish)"
        r" (?:it|everything|my life|all of it|this life|it all|the world) to (?:end|be over|stop)"
        r"(?: forever| for good| permanently)?(?! \w)",
        r"(?:want|wants|wanted) it all to (?:end|stop|be over)",
        r"(?:do not know|not sure|unsure|wonder|wondering|doubt) (?:if|whether|why|how)? ?i"
        r" (?:want to|can|should|will) (?:live|keep living|go on|keep going|stay alive|be alive"
        r"|be here anymore|exist|carry on|survive)",
        r"(?:how (?:much longer|long)) i can (?:keep going|go on|do this|hold on|keep living"
        r"|take this|keep fighting|survive)",
        r"(?:give|giving|given|gave) up on (?:life|living|being alive)",
        r"(?:except|other than|apart from|besides|but) (?:dying|death|suicide|killing myself"
        r"|ending it|ending my life)|only (?:way out|option|answer|escape|solution|way to stop"
        r" the pain) is (?:to )?(?:die|death|dying|suicide|killing myself|ending it"
        r"|ending my life)",
        r"(?:do not|can not|could not) see myself (?:being )?(?:alive|here|around|living)"
        r" (?:next|in|by|much longer|for long|at)",
        r"future\b.{0,30}\b(?:do not|no longer) want (?:one|it|a future)",
        negatable=False,
    ),
    rule(
        "suicide.better_off",
        SUICIDE,
        CRISIS,
        r"(?:better|easier|happier) (?:off )?(?:for (?:everyone|everybody|them|my family|all of"
        r" them|people|my kids|my children) )?(?:without (?:a \w+ |someone |somebody |people )?like"
        r" me|without me|if i (?:was|were|am|had|was not|were"
        r" not) (?:gone|dead|not here|not around|never born|around|here|alive|out of the"
        r" picture|never been born)|if i (?:died|disappeared|left for good|killed myself|ended it"
        r"|was not alive)|with me gone|once i am gone|when i am gone|if i did not exist)",
        r"(?:i|i am|i would be|i will be|be) better off (?:not being here|not existing|not alive"
        r"|not being alive|gone|not around|never born|not here)",
        r"(?:nobody|no one|not one person|none of them|no body|no 1) (?:would|will|is going to"
        r"|even) (?:\w+ )?(?:care|notice|miss me|cry|be sad|come to my funeral|mourn)"
        r"(?: if i (?:was|were|am|died|disappeared|killed|left|was gone|was not|were not|ended"
        r" it|did not wake up|did not exist)| when i am gone|(?= ?$| ?[.!?;]))",
        r"(?:i|me) (?:would not|will not|do not|would) (?:care|mind) if i (?:died|did not wake up"
        r"|never woke up|got hit|was dead|did not make it|was gone|never wake up|do not wake up)",
        r"if i (?:died|was dead|were dead|did not wake up) (?:tomorrow |tonight |today )?(?:nobody"
        r"|no one|i|it) (?:would|will) (?:not )?(?:care|notice|matter|mind)",
        negatable=False,
    ),
    rule(
        "suicide.veiled",
        SUICIDE,
        CRISIS,
        r"(?:going to|will|am ready to|ready to|decided to|about to|plan to|planning to|want to"
        r"|finally|gonna) (?:do it|go through with it)(?: \w+)? (?:tonight|today|tomorrow|this"
        r" time|for real|soon|this weekend|finally|now)",
        r"(?:act|acting|acted) on (?:it|them|these thoughts|those thoughts|my thoughts|the thoughts"
        r"|the urges|these urges|my urges|those urges|the feelings)",
        r"know (?:exactly |already |just )?(?:how|when|where) (?:i am going to|i will|i would"
        r"|i could|to) do it",
        r"(?:stop|end|be over|be free|be at peace|go away) (?:when|once|if) i am (?:dead|gone)",
        r"(?:a )?(?:relief|peaceful|easier|better) (?:for me )?to (?:die|be dead)|(?:death|dying"
        r"|being dead) (?:would|will|could) be (?:a relief|better|easier|peaceful|a release"
        r"|freedom|a mercy)",
        r"(?:will|letters|note|notes|goodbyes)\b.{0,40}\bi am ready(?= ?$| ?[.!?;])",
        r"(?:bridge|roof|ledge|building|balcony|cliff|tracks|railway|platform|pills|tablets"
        r"|bottle|rope|gun|noose|knife|blade|razor)\b.{0,60}\b(?:(?:keep|kept|been|keep on)"
        r" (?:looking at|staring at|holding|touching|thinking about) (?:it|them)|(?:going to|want"
        r" to|will|might) use (?:it|them)|(?:hold|holding|held) (?:it|them) and think)",
        r"(?:been thinking|keep thinking|thinking lately|think about it) (?:\w+ ){0,3}(?:it is )?"
        r"time for me to go(?= ?$| ?[.!?;])",
        r"(?:join|be with|see|meet) (?:my )?(?:\w+ )?(?:wife|husband|mum|mom|mother|dad|father|son"
        r"|daughter|partner|baby|child|brother|sister|grandma|gran|nan|friend|him|her"
        r"|them) (?:again"
        r" )?(?:in heaven|on the other side|up there|in the afterlife)",
        r"(?:go|be|going) where (?:she|he|they) (?:is|are|went|has gone|have gone)",
        r"(?:stopped|stop|not|quit|skipping|skip|skipped|refuse|refusing) (?:taking )?my (?:insulin"
        r"|heart (?:medication|meds|pills)|blood thinners|dialysis|treatment|chemo|transplant"
        r" meds|seizure meds|medication|meds) (?:on purpose|deliberately|so (?:that )?i|because i"
        r" (?:want|do not want))",
        r"(?:hope|hoping|wish|wishing|pray|praying) (?:that )?(?:something|someone|somebody|a car|a"
        r" bus|a truck) (?:bad )?(?:happens to me|happens|will happen|would happen|hits me|will hit"
        r" me|would hit me|kills me|runs me over)",
        r"(?:life|living|existence|this world|everything)\b.{0,40}\bwant out(?= ?$| ?[.!?;])",
        r"engine running in (?:the|a|my) (?:closed )?garage|(?:hose|hosepipe|tube) (?:from|to|on)"
        r" the exhaust|charcoal (?:burning )?in (?:my|the) (?:room|car|bathroom|tent)",
        r"(?:standing|sitting|up|perched) on (?:the|a|my) (?:edge of the "
        r"|edge of a )?(?:\w+ )?(?:roof"
        r"|rooftop|bridge|ledge|cliff|tracks|railway|balcony railing|railing|parapet|overpass)"
        r"(?! (?:bar|party|terrace|garden|picnic|view|photo|deck|with (?:my|friends)))",
        r"i am on (?:the|a) (?:roof|bridge|ledge|tracks|railway|cliff"
        r"|overpass)(?: of(?: \w+){1,2})?"
        r" (?:right now|now|tonight|alone)",
        r"(?:do not know|no idea) why i am still (?:here|alive|around)",
        r"goodbye (?:everyone|everybody|world|cruel world|forever|for good)(?= ?$| ?[.!?;])",
        r"(?:hold|holding|held) (?:the|a|my) (?:knife|blade|razor|pills|gun|rope) and (?:think"
        r"|thinking|thought) about it",
    ),
    rule(
        "suicide.scared_of_self",
        SUICIDE,
        CRISIS,
        r"(?:scared|afraid|terrified|worried|frightened) (?:of|about) what i (?:might|will|could"
        r"|would|am going to) do(?: to myself)?",
        r"(?:do not|can not|could not) trust myself(?! (?:with|around) (?:money|food|sweets|cake"
        r"|chocolate|shopping|my credit card|cookies|snacks|junk))",
        r"i am not safe(?= ?$| ?[.!?;]| right now| tonight| with myself| around myself| on my own"
        r"| alone| from myself)",
        r"(?:do not|not) feel safe (?:with|around|from) myself",
        r"(?:can not|could not|not|do not think i can) (?:promise|guarantee|say) (?:that )?i"
        r" (?:will"
        r"|would|can|am going to) (?:be|stay|keep myself) safe",
        r"(?:do not|not) feel safe (?:being )?(?:alone|on my own|by myself)",
        r"(?:scared|afraid|terrified|worried) (?:that )?i (?:might|will|could|am going to) (?:do"
        r" something|hurt myself|kill myself|end it|not stop)",
        negatable=False,
    ),
)
