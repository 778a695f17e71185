"""Suicide rules that read a wish rather than an act: wishing to be dead, not wanting to
live, others better off, veiled intent, fear of one's own actions, and the hopelessness that
is a concern on its own. See ``voice.safety.rules`` for the pattern notation."""

from __future__ import annotations

from voice.safety.rules.base import (
    CONCERN,
    CRISIS,
    DEATH_STATE,
    LIVE,
    LIVING,
    PILLS,
    SUICIDE,
    Rule,
    rule,
)

WISH_RULES: tuple[Rule, ...] = (
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
        r"(?:tired|sick|weary) of (?:being alive|living(?! like (?:this|that)| this way| that way)"
        r"|existing|life|breathing)",
        r"done with (?:life|living|being alive|existing)",
        r"(?:hope|hoping|wish|wishing|pray|praying) (?:a|the|some) (?:car|bus|truck|train|plane"
        r"|lorry) (?:hits|would hit|will hit|runs over|ran over|crashes)",
        r"(?:hope|hoping|wish|wishing|want|wanted|pray) (?:someone|somebody|something|god) (?:to"
        r" )?(?:kills|would kill|will kill|kill|takes|would take|to take) me(?! up on)",
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
        r"|there|here|the|a|my|people|anyone|anybody|others|him|her|them|everyone|everybody))",
        r"(?:do|did) not want to (?:be here|be around|exist|be alive) (?:anymore|ever again"
        r"|any longer)",
        rf"(?:no longer|never) want to (?:{LIVE})(?! (?:with|to|at|like|in|early|for|there"
        r"|this way|that way))",
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
        r"(?:feeling|feel like|sense) (?:that )?i (?:will not|would not|am not going to)"
        r" (?:still )?be (?:here|around|alive) (?:next week|tomorrow|much longer|for long|by \w+"
        r"|next month)",
        r"(?:not|no longer) sure i (?:will|would|am going to) (?:still )?be (?:here|around|alive)"
        r" (?:next week|tomorrow|much longer|for long|by \w+|next month|at christmas)",
        r"(?:do not|can not) (?:think|see) (?:that )?i (?:will|would|am going to) (?:still )?be"
        r" (?:here|around|alive) (?:next week|tomorrow|much longer|for long|by \w+|next month)",
        rf"not wanting to (?:{LIVE})(?! (?:with|to|at|like|in|early|for|there|the|a|my))",
        r"what is the point (?:of|in) (?:living|life|going on|being alive|anything|carrying on"
        r"|existing|me|waking up)|what is the point anymore|point of my life",
        r"nothing (?:left )?to live for|(?:life|living|my life|it) is not worth (?:living|it"
        r" anymore)|not worth living|no will to live|lost the will to live|(?:want|wanted|wish)"
        r" (?:it|everything|my life|all of it|this life|it all|the world) to (?:end|be over"
        r"|(?<!\bit\sto\s)stop)(?: forever| for good| permanently)?(?! \w)|(?:want|wanted|wish)"
        r" it to stop (?:forever|for good|permanently)",
        r"(?:want|wants|wanted) it all to (?:end|stop|be over)",
        r"(?:do not know|not sure|unsure|wonder|wondering|doubt) (?:if|whether|why|how)? ?i"
        r" (?:want to|can|should|will) (?:live|keep living|go on|keep going|stay alive|be alive"
        r"|be here anymore|exist|carry on|survive)(?! with (?:this|that|the|his|her|their|our|my"
        r"|a|an) (?!(?:pain|guilt|shame|grief|feelings?|hurt|loneliness|emptiness|darkness"
        r"|depression|illness|anymore))\w+)",
        r"(?:how (?:much longer|long)) i can (?:keep going|go on|do this|hold on|keep living"
        r"|take this|keep fighting|survive)",
        r"(?:give|giving|given|gave) up on (?:life|living|being alive)",
        r"(?:except|other than|apart from|besides|but) (?:dying|death|suicide|killing myself"
        r"|ending it|ending my life)(?! (?:was|is|has been|would be|has|had)(?:/\w+)? (?:never"
        r"|not|no longer))|only (?:way out|option|answer|escape|solution|way to stop"
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
        # after a death, joining the one who died: "since my brother died I keep thinking
        # about joining him"; not "joining her at church" or "for a walk"
        r"(?:died|passed|passed away|lost (?:him|her|them|my \w+)|death|funeral|grave|killed"
        r" (?:himself|herself|themselves))\b.{0,100}\b(?:join|joining) (?:him|her|them|my"
        r" (?:\w+ )?(?:wife|husband|mum|mom|mother|dad|father|son|daughter|partner|brother|sister"
        r"|friend|baby|boy|girl|nan|gran|grandma|grandad|grandpa))(?: again| there| up there)?"
        r"(?= ?$| ?[.,!?;]| soon| now| tonight| one day| sooner)",
        r"(?:died|passed|passed away|death|funeral|grave)\b.{0,100}\b(?:want|wanna|need|long"
        r"|longing|ready) to be with (?:him|her|them)(?: again)? (?:now|soon|already|wherever"
        r" (?:he|she|they) (?:is|are))",
        # "It'll all be over soon.", said and left there
        r"(?:(?:it|this) (?:will|is going to|is gonna|gonna) all|(?:everything|the pain)"
        r" (?:will|is going to|is gonna|gonna)) be over (?:soon|tonight|tomorrow|shortly|before"
        r" long|for good)(?= ?$| ?[.!?;])",
        # every pill in the house gathered: "tonight I counted out every tablet in the house"
        rf"(?:counted|counting|gathered|gathering|collected|collecting|lined up|lining up|laid"
        rf" out|laying out) (?:out |up |together )?(?:every (?:single )?(?:\w+ )?"
        rf"(?:pill|tablet|capsule|one)|all (?:of )?(?:the|my) (?:\w+ )?{PILLS}) in the (?:house"
        rf"|flat|home|cabinet|cupboard|bathroom)",
        # at the top of a high place, now: "I drove to the multi storey, I'm on the top floor now"
        r"(?:multi ?storey|multistorey|car park|parking garage|parking structure|tower block"
        r"|bridge|cliff)\b.{0,80}\bi am (?:up )?(?:on|at) (?:the )?(?:top (?:floor|level|deck)"
        r"|roof|edge|railing|parapet)\b(?: \w+){0,3} (?:now|right now|tonight|alone)",
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
        r"|would|am going to) do(?! or (?:say|not))(?: to myself)?",
        r"(?:do not|can not|could not) trust myself(?! (?:with|around) (?:money|food|sweets|cake"
        r"|chocolate|shopping|my credit card|cookies|snacks|junk|(?:\w+ )?(?:decisions|choices))"
        r"| (?:with|to) (?:make|making|decide|deciding|choose|choosing|pick|picking|judge"
        r"|judging))",
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
    # --- suicide risk signals that are concerns on their own ------------------------------
    rule(
        "suicide.hopeless",
        SUICIDE,
        CONCERN,
        r"(?:i am|i feel like i am|i feel like|i feel|feel|just) (?:a|such a|nothing but a"
        r"|only a|the) (?:burden|waste of space|waste of oxygen|waste of air|waste of a life)",
        r"(?:i am|i feel|feeling|felt|am|been) (?:\w+ )?(?:worthless|hopeless|useless"
        r"(?! at| with| in)|empty inside|dead inside|numb all the time)",
        r"(?:everything|life|my life|it all|things) (?:is|are|feels|seems|feel|seem)"
        r" (?:completely |so )?(?:hopeless|pointless|meaningless)",
        r"(?:there is|i have|i see|feels like there is) no (?:hope|future|way out|light|escape)"
        r"(?! for (?:the|this|our|my) (?:team|project|company|game|match|car|laptop))",
        r"nothing (?:will|is going to|is ever going to|ever) (?:get|gets) better",
        r"(?:can not|do not) see (?:a|any) (?:way out|future|light)(?! for (?:the|this|our))",
        r"i hate (?:myself|my life|being alive|my existence|who i am|what i am|what i have become"
        r"|the person i (?:am|have become)|being me|everything about (?:me|myself))",
        r"what is the point(?= ?$| ?[.!?;])|(?:(?:feel|feeling) like giving up|want to give up(?!"
        r" (?:the|my)))(?! (?:smoking|sugar|coffee|drinking|meat|alcohol|dairy|caffeine|on (?!(?:me"
        r"|myself|everything|it all|all of it|life|living|hope|trying|the future|my future|my"
        r" recovery|recovery|treatment|therapy|my meds|my medication))\w+))",
        r"(?:give|giving|given|gave) up on (?:myself|everything)",
        r"(?:can not|could not) (?:go on|keep going) like this|(?:can not|could not) live like"
        r" this|(?:tired|sick|weary) of living (?:like this|like that|this way|that way)|(?:do not"
        r"|no longer) want to (?:continue |keep )?(?:live|living) (?:like this|this way)",
        r"(?:want|wanted|wish i could) to (?:disappear|vanish)(?! (?:under|into|for|to|on))",
        r"(?:wish|wished) i (?:could|would) (?:disappear|vanish)(?! (?:under|into|for|to|on))",
        r"(?:think|thinking|thought|thoughts) (?:about|of) (?:death|dying|being dead|my own death"
        r"|my funeral)",
        r"(?:giving|gave|give) away (?:all )?(?:of )?my (?:things|stuff|belongings|possessions"
        r"|clothes|books|pets)",
        r"(?:put|putting|get|getting|got) my affairs in order",
        r"(?:would|will) be better off (?:with someone else|with a (?:better|different|new) \w+"
        r"|with another \w+)",
        r"(?:just )?(?:taking up space|wasting space|wasting air|wasting oxygen)",
        r"(?:nobody|no one) (?:needs|wants|would need|would want) me",
        r"lost (?:all )?(?:hope|will to (?:go on|carry on|keep going))",
        r"(?:not sure|do not know|no idea) what (?:is )?keeping me (?:going|alive|here)",
        r"(?:scared|afraid|frightened|terrified) of (?:my own )?(?:thoughts|mind|head)",
        r"(?:imagine|imagining|picture|picturing|think about|thinking about|planning|plan) my"
        r" (?:own )?funeral",
        r"(?:giving|gave|give) (?:my |all my )?(?:stuff|things|belongings|possessions) away",
        r"(?:do not know|no idea) why i (?:even )?(?:bother|try|keep trying)",
        r"(?:wonder|wondering|ask myself|asking myself) what the point (?:is|of it all is|of"
        r" anything is|of it is)",
        r"(?:will|would|am going to) never (?:feel|get) (?:better|happy|okay|normal|good)"
        r"|never going to (?:feel|get) better|(?:can not|could not) imagine (?:a|my|any) future",
        r"existing,? not living|not living,? (?:just )?existing",
        r"(?:i am|i feel|feel|i have become|becoming|been) (?:\w+ ){0,5}(?:a |such a |nothing but a"
        r" |the )?burden(?! of)",
        r"(?:going to|about to|gonna|want to) jump(?= ?$)",
        r"my life is over|it is (?:all )?over for me|i give up(?= ?$| ?[.!?;])|(?:tired|sick) of"
        r" (?:fighting|trying|struggling|being me|everything|it all)(?= ?$| ?[.!?;]| anymore)"
        r"|(?:can not|do not want to) keep fighting",
        r"(?:wish|want) (?:it|everything) (?:would|to) (?:all )?stop",
        r"(?:i am|i have been|been|i was|head is|mind is|going|gone|went|spiral\w*|mentally|in)"
        r" (?:in |into |to )?(?:a )?dark (?:place|places|headspace)(?! to \w+)"
        r"|dark (?:thoughts?|things|stuff)|(?:bad|scary|intrusive) thoughts about"
        r" (?:myself|dying|death|hurting myself|not being here)",
        r"(?:i feel|feeling|i am|felt|i have been) (?:\w+ )?(?:numb|empty|hollow)(?! (?:about|after"
        r"|from)\b)",
        r"(?:feel|feeling|felt|am) (?:so )?trapped(?! in (?:a|the|that|this|my) (?:lift|elevator"
        r"|car|traffic|snow|toilet|bathroom|queue|meeting|train|plane|bus|tube|jam|room|house))"
        r"|no way out(?! of (?:this|the|my) (?:contract"
        r"|lease|meeting|deal|car park|parking|job))",
        r"no (?:reason|point) (?:to|in) (?:get|getting) (?:up|out of bed)|no point (?:in )?trying",
        r"(?:make|made) (?:it|everything|the pain|this) (?:all )?stop(?: forever| for good"
        r"| permanently)",
        r"(?:want|wanted|need|needed) (?:the pain|it|this|everything) to (?:end|stop|be over)"
        r"(?= ?$| ?[.!?;])",
    ),
)
