"""Compositional rules: families of expression built from small lexicons (a first-person
subject, a death or ending concept, a desire or plan; a means and its nearness; a harm verb
and a body part) rather than from phrases. See ``voice.safety.rules`` for the notation.

They were added after the hold-out sets showed that new wording of the same phenomena
slipped past the phrase rules (docs/safety.md, "Measured").
"""

from __future__ import annotations

from voice.safety.rules.base import (
    ABUSE,
    AGENT,
    CONCERN,
    CRISIS,
    EATING,
    MEDICAL,
    PILLS,
    SELF_HARM,
    SUICIDE,
    Rule,
    RuleKind,
    rule,
)

# Being dead, not existing, not surviving: the object of a wish ("I'd welcome ___").
ENDING = (
    r"(?:death|dying|my end|my death|being dead|not existing|not being here|not being"
    r" alive|not waking up|oblivion|eternal sleep|the grave|an early grave)"
)
# Ceasing to be, as a verb phrase ("wish I could ___", "I should ___").
CEASE = (
    r"(?:stop (?:being alive|living|existing|breathing)|not (?:exist|be alive|be here|wake up"
    r"|be born|have been born)|never (?:have been born|existed|wake up)|disappear (?:for good"
    r"|forever|permanently|for ever|and never come back|off the face of the earth)|vanish"
    r" (?:for good|forever|permanently)|(?:be|was|were) gone (?:for good|forever|permanently)"
    r"|fade away(?: forever| for good)?|cease to exist|be erased|never be seen again|go to sleep"
    r" forever|not (?:come|coming) back (?:from|ever)|die(?! (?:back|down|out|off|of|from|for"
    r"|laughing|in the game|my)))"
)
# My death or absence, as a condition ("... if I were gone").
IF_I_WERE_GONE = (
    r"(?:(?:if|when|once|after) i (?:was|were|am|had) (?:gone|dead|not here|not around|out of the"
    r" picture|no longer here|no longer around|buried)|(?:if|when|once|after) i (?:died|die"
    r"|disappeared|killed myself|ended it|was not alive|did not exist|did not wake up"
    r"|never woke up|stopped existing|left for good)|with me gone)(?! (?:on|for (?:the|a|two"
    r"|\d+|work)|to|away|abroad|travelling|at|from (?:the|work)|tomorrow|next|this))"
)
# What others would feel: relief, indifference, getting over it.
RELIEF = (
    r"(?:be |feel )?(?:relieved|happier|better|fine|okay|ok|better off|lighter|freer|at peace"
    r"|glad|thankful|grateful)|(?:move|moved) on|get over it|forget (?:about )?me|not (?:miss"
    r" me|notice|care|even notice|be sad|mind)|barely notice|hardly notice|never notice|be"
    r" (?:free|rid of me)|have (?:one less|more money|more space|an easier life|it easier)"
    r"|cope (?:better|fine)|save (?:money|time)"
)
MEANS = (
    rf"(?:{PILLS}|(?:a |the |my |all (?:my |the )?)?(?:bottle|box|pack|packet|stash|handful|pile"
    rf"|jar|tub|strip|blister pack|supply|collection)s? of (?:\w+ )?{PILLS}|(?:a |the |my )?(?:rope"
    r"|noose|gun|pistol|rifle|shotgun|razor|razor blade|blade|blades|knife|bridge|ledge|edge|roof"
    r"|rooftop|train tracks|tracks|railway line|cliff|cliff edge|balcony|overpass|motorway bridge"
    r"|car park roof|top floor|charcoal|exhaust|hose|belt|cord|plastic bag|poison|bleach"
    r"|antifreeze|weed killer|rat poison|tall buildings?|tallest buildings?|high buildings?"
    r"|highest buildings?|tall bridges?|high places))"
)
# Nearness to a means: holding it, sitting with it, staring at it, keeping it.
NEAR = (
    r"(?:sat|sit|sitting|stood|stand|standing|stared|staring|looked|looking|look|gazing|gazed"
    r"|held|hold|holding|counted|counting|count|lined|lining|laid|laying|kept|keeping|keep"
    r"|stashed|stashing|checked|checking|went|drove|driving|walked|walking|been going|got"
    r"|have|bought|buying|ordered|ordering|saving|saved|stockpiling|stockpiled|hoarding"
    r"|hoarded|scouting|scouted|visited|visiting|measuring|tested|testing|tying|tied)"
)
# Thinking about the means, or lingering with it.
LINGER = (
    r"(?:and (?:thinking|thought|think|wondering|wondered|wonder|imagining|imagined|picturing"
    r"|considering|considered|deciding|debating|crying|staring|thinking about it)|for (?:an"
    r" hour|hours|ages|a long time|a while|half an hour|\d+ (?:minutes|hours)|the whole night"
    r"|most of the night)|(?:all|most of the|half the|the whole) (?:night|evening)|in case i"
    r" need|for when|for the right time|for a bad day|for the end|wondering|thinking|trying to"
    r" decide|deciding|and (?:stood|sat|looked down|looked over|leaned over|climbed))"
)
HARM_VERB = (
    r"(?:slice|slicing|sliced|slash|slashing|slashed|gouge|gouging|gouged|carve|carving|carved"
    r"|cut|cutting|burn|burning|burned|burnt|scrape|scraping|scraped|rip|ripping|ripped|tear"
    r"|tearing|tore|stab|stabbing|stabbed|scratch|scratching|scratched|pierce|piercing"
    r"|mutilate|mutilating|hack|hacking|hacked)"
)
BODY = (
    r"(?:arm|arms|wrist|wrists|forearm|forearms|thigh|thighs|leg|legs|skin|stomach|belly|body"
    r"|hips?|chest|hands?|ankles?|flesh|veins|neck|throat)"
)
SHARP = (
    r"(?:razor|razors|razor blade|razor blades|blade|blades|knife|knives|scissors|compass|glass"
    r"|broken glass|lighter|cigarette|lit cigarette|lit match|pencil sharpener|sharpener"
    r"|box cutter|stanley knife|hot iron|boiling water"
    r"|shard|shards)"
)
WEAPON = (
    r"(?:knife|knives|gun|pistol|rifle|shotgun|bat|baseball bat|hammer|machete|axe|screwdriver"
    r"|scissors|blade|broken bottle|weapon|belt|iron|cord|rope)"
)

GENERAL_RULES: tuple[Rule, ...] = (
    # --- a wish for death, phrased as welcoming it or not surviving ------------------------
    rule(
        "suicide.welcome_death",
        SUICIDE,
        CRISIS,
        rf"(?:welcome|welcomed|welcoming|embrace|embracing|look forward to|looking forward to"
        rf"|long for|longing for|yearn for|yearning for|crave|craving|pray for|praying for"
        rf"|hope for|hoping for|wish for|wishing for|would not fight|would not resist|would not"
        rf" say no to|would accept|ready for|envy (?:the )?dead|jealous of (?:the )?dead) {ENDING}"
        rf"(?! (?:of|to|scene|scenes|penalty|metal|row|game|result|results|certificate|toll))",
        r"(?:welcome|welcomed|accept|not mind|not fight) it (?:if|when) (?:death|i (?:died|did"
        r" not wake up|never woke up|was gone)|it all ended|something (?:killed|took) me)",
        rf"{ENDING} (?:would be|will be|is|sounds|seems|feels) (?:\w+ ){{0,2}}(?:welcome|a gift"
        r"|a kindness|a mercy|a blessing|kind|a rest|restful|sweet|comforting|calming|okay|fine"
        r"|preferable|merciful|like rest|like home)",
        negatable=True,
    ),
    rule(
        "suicide.not_survive",
        SUICIDE,
        CRISIS,
        r"(?:hope|hoping|wish|wishing|pray|praying|want|wanted|secretly hope|part of me hopes)"
        r" (?:that )?i (?:do not|did not|will not|would not|never|can not) (?:survive|make it"
        r"|pull through|come through|wake up|live)(?! (?:without|to|in|on|for|back|home|into"
        r"|onto|like|with|near|next|there|here|until|till|before|early|late|at|past|through"
        r" (?:the|this|that|my) (?:week|day|shift|exam|interview|meeting|workout|class)))",
        r"(?:hope|hoping|wish|wishing|pray|praying) (?:that )?(?:it|this|the (?:\w+ )?(?:cancer"
        r"|tumou?r|illness|disease|infection|surgery|operation|plane|flight|car|accident|virus"
        r"|lump)) (?:kills|takes|will kill|will take|finishes|would kill|would take) me",
        r"(?:hope|hoping|wish|wishing|pray|praying) (?:that )?(?:it|the (?:\w+ )?(?:lump|scan"
        r"|results?|diagnosis|test|tumou?r)) (?:is|turns out|comes back) (?:\w+ )?(?:terminal|fatal"
        r"|cancer|incurable)",
        r"(?:hope|hoping|wish|wishing|pray|praying) (?:that )?(?:the )?(?:plane|flight|car|bus"
        r"|train) (?:crashes|goes down|comes off)",
        negatable=False,
    ),
    rule(
        "suicide.cease",
        SUICIDE,
        CRISIS,
        rf"(?:want|wanted|wanna|wish|wished|wishing|would like|would love|need|needed|long|hope"
        rf"|hoping|should|ought|deserve|deserved|ready|planning|plan|better if i|easier if i"
        rf"|best if i|time for me) (?:(?:i|could|would|can|might|was|were|able|if|me|myself"
        rf"|to) ){{0,3}}{CEASE}",
        rf"(?:a relief|peaceful|easier|better|kinder|nicer|a mercy|a blessing|simpler) (?:for"
        rf" (?:me|everyone) )?to {CEASE}",
        rf"if (?:i could|there (?:was|were|is) (?:a|some) (?:way|button|pill|switch) to|someone"
        rf" (?:offered|gave) me (?:a|the) (?:way|button|pill|chance) to) (?:\w+ ){{0,5}}?(?:and )?"
        rf"(?:{CEASE}|not (?:exist|be here|wake up)|erase myself|disappear|vanish|switch myself"
        r" off|turn myself off)\b.{0,20}\b(?:i would|i would do it|i would take it|i would press"
        r" it|in a heartbeat|without thinking|right now|i would not hesitate)",
    ),
    # --- others relieved or better off if I were gone -----------------------------------
    rule(
        "suicide.others_relieved",
        SUICIDE,
        CRISIS,
        rf"(?:would|will|could|might|is going to|are going to) (?:\w+ ){{0,3}}?(?:{RELIEF})"
        rf"(?: \w+){{0,4}}? (?:{IF_I_WERE_GONE})",
        rf"(?:{IF_I_WERE_GONE}) (?:\w+ ){{0,4}}?(?:would|will|could|might) (?:\w+ ){{0,2}}?"
        rf"(?:{RELIEF})",
        r"(?:the )?(?:world|earth|everyone|everybody|my family|my kids|nobody|no one) (?:does"
        r" not|do not|would not|will not|doesnt) (?:need|want|miss) me (?:in it|here|around"
        r"|alive|on it|anymore|in their lives)",
        r"(?:relieved|happier|freer|lighter|glad|at peace|thankful) (?:\w+ ){0,2}?without me"
        r"(?= ?$| ?[.!?;]| around| here| in (?:their|the|it))",
        r"(?:burden|weight|problem) (?:would|will) (?:be )?(?:lifted|gone|over|solved|off"
        r" (?:them|everyone|their shoulders)) (?:\w+ ){0,2}(?:if|when|once) i",
        negatable=False,
    ),
    rule(
        "suicide.indifferent",
        SUICIDE,
        CRISIS,
        r"if (?:i|something|someone) (?:got|get|was|were) (?:hit by|run over by|killed|killed by"
        r"|taken|sick and died)|if i (?:died|were to die|did not wake up|never woke up|dropped"
        r" dead|crashed|drowned)(?: \w+){0,8}? (?:would be|that would be|that is|it would be|would"
        r" not be|it is|i would be) (?:\w+ )?(?:fine|okay|ok|alright|good|a relief|a blessing"
        r"|welcome|not a bad thing|no great loss|not the worst thing)(?: by me| with me"
        r"| honestly)?",
        negatable=False,
        needs_intent=False,
    ),
    rule(
        "suicide.veiled_concern",
        SUICIDE,
        CONCERN,
        r"(?:tired|sick|weary|exhausted) of (?:being here|being around|being me|this life|this"
        r" existence)(?! (?:at|in|with|every|all day|on|for))",
        r"i am (?:so )?done(?= ?$| ?[.!?;])|i have a plan(?= ?$| ?[.!?;])|i am saying"
        r" goodbye(?= ?$| ?[.!?;])",
    ),
    # --- means at hand, in the first person and the present -----------------------------
    rule(
        "suicide.means_near",
        SUICIDE,
        CRISIS,
        rf"{NEAR} (?:up |out |down |around |there |again )?(?:with |at |on |to |by |near |onto"
        rf" |in front of |next to |beside |for |up on )?(?:the |a |my |some |all (?:my |the )?)?"
        rf"{MEANS} (?:(?!and )\w+ ){{0,4}}?{LINGER}",
        rf"(?:saving|saved|stockpiling|stockpiled|hoarding|hoarded|stashing|stashed) (?:up )?"
        rf"(?:my |all my |the |some |a few )?(?:\w+ )?{PILLS}",
        r"(?:bought|got|ordered|have|found|picked out|chosen|chose) (?:a|the|some) (?:rope|noose"
        r"|gun|hose|charcoal|razor blades|helium)(?: \w+){0,4} (?:for (?:myself|me|when|later"
        r"|it)|just in case|in case|and (?:i am|it is) ready|to (?:use|do it|end))",
        r"(?:know|found|picked|chosen|chose|scouted|checked out|looked at) (?:\w+ ){0,2}(?:the"
        r" |a )?(?:bridge|building|spot|place|roof|cliff|train|tracks|drop|height|floor) (?:high"
        r" enough|tall enough|where i (?:would|will|could|can|am going to)|i would use|i will use"
        r"|to do it|for it)",
        r"(?:high|tall|far) enough (?:to (?:die|kill|not survive|do it|end it)|that i would not"
        r" survive|so i would not survive)",
        needs_intent=False,
    ),
    rule(
        "suicide.research",
        SUICIDE,
        CRISIS,
        r"(?:googl\w+|search\w*|looked up|looking up|look up|looked into|looking into|researched"
        r"|researching|reading up on|read up on|asked (?:chat ?gpt|ai|an ai|the internet|google))"
        r" (?:\w+ ){0,6}?(?:kill me|would kill|kill myself|to die|painless (?:way|death|method)"
        r"|how long it takes to die|suicide(?! (?:prevention|hotline|helpline|rates?|statistics"
        r"|awareness|line|number|charity|support))|end my life|hang myself|how to hang|noose"
        r"|overdose (?:on|amount|limit)|survive a fall|would not survive|(?:quickest|easiest"
        r"|least painful|surest) way to (?:die|go|do it|end it))",
        r"(?:how many|how much|what dose of|what amount of) (?:\w+ ){0,2}(?:would|will|does it"
        r" take to|it takes to|to) (?:kill|be fatal|be lethal|be enough to die|stop (?:my|a)"
        r" heart|make me die|knock me out forever)",
        r"(?:how|what is the) (?:high|tall|far) (?:a (?:\w+ )?(?:bridge|building|fall|drop) )?"
        r"(?:you|i|someone|a person) (?:need|needs|would need|have) to (?:fall|jump) (?:to|from)",
        # asking for a way to die, with or without a search: "what is a painless way to die?"
        r"(?:painless|peaceful|quick|quickest|fast|fastest|easy|easiest|least painful|surest"
        r"|gentlest|best|most reliable) (?:way|ways|method|methods) (?:to|of) (?:die|dying"
        r"|end it all|end my life|kill myself|commit suicide|not wake up)\b"
        r"(?! (?:in|on) (?:minecraft|fortnite|the game|a game|game|video games?|roblox|elden"
        r" ring|dark souls|skyrim))",
        r"(?:painless|peaceful|least painful|gentlest) (?:way|ways) to go\b",
    ),
    # --- goodbyes, giving away, final arrangements --------------------------------------
    rule(
        "suicide.farewell",
        SUICIDE,
        CRISIS,
        r"(?:wrote|written|writing|write|left|leaving|leave|typed|recorded|recording|drafted"
        r"|drafting|finished|finishing) (?!(?:thank|christmas|birthday|sticky|study|revision"
        r"|lecture|meeting|love|post it|shopping|cover|reference)\b)(?:\w+ ){0,2}(?:notes?|letters?"
        r"|goodbyes?) (?:for|to) (?:everyone i love|everybody i love|the people i love|people i"
        r" love|everyone|everybody|all of them|each of (?:them|my \w+)|my loved ones)"
        r"(?! (?:at (?:work|school|the)|in (?:the|my) (?:office|class|team)|for (?:work|christmas"
        r"|their birthday|the wedding)|about (?:the|a|my) (?:party|meeting|trip|wedding)))",
        r"(?:wrote|written|writing|left|leaving|typed|drafted) (?:\w+ ){0,2}(?:notes?|letters?)"
        r" (?:for|to) my (?:\w+ )?(?:family|kids|children|parents|wife|husband|partner|mum|mom"
        r"|dad|friends|sister|brother|son|daughter) (?:\w+ ){0,3}(?:explaining|to explain|saying"
        r" goodbye|saying sorry|in case|for (?:when|after)|to (?:read|find|open) (?:after|when"
        r"|later))",
        r"(?:wrote|written|writing|left|leaving|typed|drafted) (?:\w+ ){0,2}(?:goodbye|farewell"
        r"|final|last|suicide) (?:notes?|letters?|messages?|videos?|words)",
        r"this is (?:my )?goodbye(?= ?$| ?[.!?;])|(?:saying|say|said) goodbye (?:\w+ ){0,3}(?:for"
        r" good|forever|for the last time)",
        r"(?:decided|decide|picked|chosen|chose|set|settled on) (?:\w+ ){0,2}(?:the )?(?:date"
        r"|day|time|night)(?= ?$| ?[.!?;]| for it| to do it)|(?:tonight|today|tomorrow|this"
        r" weekend) (?:is|will be) the (?:night|day)(?= ?$| ?[.!?;])",
        r"(?:i have|i have got|i got) (?:a plan and )?(?:the means|everything i need to do it"
        r"|what i need to do it)",
        r"(?:said|saying|say) (?:my )?(?:goodbyes?|goodbye) (?:to (?:everyone|everybody|all"
        r" of them|my (?:family|kids|friends|children|loved ones))|in my head|quietly|without"
        r" them knowing)",
        r"(?:giving|gave|give|given) away (?:\w+ ){0,3}(?:my|all my|most of my)"
        r" (?!(?:old|spare|unwanted|outgrown|extra|baby|kids)\b)(?:\w+ )?(?:things"
        r"|stuff|belongings|possessions|clothes|books|pets?|cat|dog|guitar|jewellery|jewelry"
        r"|records|games|plants|collection)(?! (?:to (?:a |the )?(?:charity|goodwill|thrift|op"
        r"|charity shop|food bank|shelter)|i (?:do not|no longer|never) (?:wear|use|need|play)"
        r"|that (?:i )?(?:do not|no longer|never)))",
        # "I've given my dog to my sister.", said and left there (not "for the weekend")
        r"(?:given|gave|giving|give) my (?:cat|dog|pets?|rabbit|bird|budgie|hamster|tortoise"
        r"|guinea pig|horse) (?:away )?to (?:my |a |our )?(?:\w+ ){0,2}?(?:sister|brother|mum|mom"
        r"|dad|neighbou?r|friend|cousin|aunt|uncle|nan|gran|parents|family|son|daughter|someone"
        r"|somebody)(?= ?$| ?[.!?;])",
        r"(?:found|finding|arranged|arranging|sorted|sorting) (?:a )?(?:new )?(?:home|homes|someone"
        r"|somebody) (?:for|to (?:look after|take care of|take)) my (?:cat|dog|pets?|kids|children"
        r"|things|stuff)(?! (?:while|when i am (?:away|on holiday|in hospital)|for the|during|over"
        r" the))",
        r"(?:make|making|made|sure|sorted|sorting|sort out|left|leaving|wrote|writing|updated"
        r"|updating|finished) (?:\w+ ){0,3}(?:will|passwords|instructions|bank details|affairs"
        r"|insurance|funeral|life insurance) (?:\w+ ){0,3}(?:for (?:when|after) i am gone|after"
        r" i am gone|when i am gone|once i am gone|before i go|for after)",
        r"(?:last|final) (?:time|message|check in|conversation|words|goodbye|night|day)"
        r" (?:you will (?:hear|talk)|i will (?:talk|speak|check in)|we will talk|from me)",
        r"(?:deleted|deleting|delete|closed|closing|cancelled|cancelling) (?:all )?(?:of )?my"
        r" (?:accounts|social media|subscriptions) (?:\w+ ){0,3}(?:and|so) (?:\w+ ){0,3}(?:notes?"
        r"|letters?|goodbye|gone|nobody|no one|will not need|do not need)",
        r"(?:will not|would not|do not|am not going to) need (?:it|them|this|these|my \w+)"
        r" (?:anymore|where i am going|after (?:tonight|this week|today|tomorrow))(?= ?$| ?[.!?;])",
    ),
    # --- self-harm with a verb of cutting and a body part, or an object on oneself -------
    rule(
        "self_harm.body",
        SELF_HARM,
        CRISIS,
        rf"{HARM_VERB} (?:\w+ )?(?:my|into my|up my|open my|my own) (?:\w+ )?{BODY}(?: open)?"
        r"(?! (?:on (?:the|a|my|some) |shaving|while|when i|by accident|cooking|in the kitchen"
        r"|hair|in the sun|at the beach))",
        rf"{HARM_VERB} (?:\w+ )?(?:my )?{BODY} open",
        rf"(?:use|used|using|took|take|taking|grab|grabbed|grabbing|press|pressed|pressing|hold"
        rf"|held|holding|run|ran|running|drag|dragged|dragging|put|putting) (?:a |the |my |some"
        rf" )?{SHARP} (?:to|against|across|into|along) (?:myself|my (?:\w+ )?{BODY})",
        needs_intent=False,
    ),
    rule(
        "suicide.vehicle",
        SUICIDE,
        CRISIS,
        r"(?:drive|driving|drove|crash|crashing|swerve|swerving|steer|steering|veer|veering)"
        r" (?:my car |the car |the wheel )?(?:off the road|off a bridge|off the bridge|into"
        r" (?:oncoming traffic|traffic|a wall|the wall|a tree|a lorry|a truck|a pillar|the barrier"
        r"|the central reservation|a bridge))",
        needs_intent=True,
    ),
    # --- threats by others with a weapon ------------------------------------------------
    rule(
        "abuse.weapon",
        ABUSE,
        CRISIS,
        rf"{AGENT} (?:\w+ ){{0,3}}?(?:threatened|threatens|threatening|came at|comes at|went for"
        rf"|goes for|chased|chases|attacked|attacks|cornered|corners|held|holds|pulled|pulls"
        rf"|pointed|points|swung|swings) (?:me |at me )?(?:\w+ )?(?:with|using) (?:a"
        rf" |an |his |her |their |the )?{WEAPON}",
        rf"(?:pointed|points|pointing|held|holds|holding|put|puts|pulled|pulls|waved|waves|waving"
        rf"|pressed|presses) (?:a |an |his |her |their |the )?{WEAPON} (?:at|to|against|on|in)"
        r" (?:me|my (?:head|throat|neck|face|chest|stomach|back))",
        rf"(?:threatened|threatens|threatening) (?:me )?with (?:a |an |his |her |their |the )?"
        rf"{WEAPON}",
        kind=RuleKind.ABUSE,
    ),
    rule(
        "abuse.other_bullying",
        ABUSE,
        CONCERN,
        r"(?:pushes|pushed|shoves|shoved|knocks|knocked|bosses|bossed) (?:him|her"
        r"|them|my \w+) (?:around|about)",
        rf"{AGENT} (?:\w+ ){{1,4}}(?:calls|called|keeps calling) me (?:names|worthless|stupid"
        r"|fat|ugly|useless|a whore|a slut|a bitch|an idiot|pathetic|disgusting|nothing)",
        rf"{AGENT} (?:\w+ ){{0,2}}(?:yells|screams|shouts|yelled|screamed|shouted) at me (?:every"
        r" day|all the time|constantly|until|and (?:calls|called|throws|threw|breaks|broke|hits"
        r"|smashes|smashed|punches|punched))",
        kind=RuleKind.ABUSE,
    ),
    # --- eating disorders: purging after food, calorie limits, named disorders ------------
    rule(
        "eating.general",
        EATING,
        CONCERN,
        r"(?:throw|throwing|threw|bring|bringing|brought|sick|vomit|vomiting|vomited|puke|puking"
        r"|puked) (?:up )?(?:\w+ ){0,2}(?:what|everything|anything|all|most|half) (?:of )?"
        r"(?:what )?i (?:eat|ate|have eaten|had|manage to eat|do eat)",
        r"(?:restricting|restrict|restricted|limiting|limit|limited|keeping|keep|kept|staying"
        r"|stay|sticking|stick|capping|cap) (?:myself |it |me )?(?:to|under|below|at)"
        r" (?:about |around |only |less than |under )?(?:[1-9]\d\d|\d{1,2})"
        r" (?:calories|kcal|cals)(?! (?:more|less|extra))",
        r"(?:have not|had not|did not|not|barely|hardly) (?:eaten|eat|eating|touched food|had"
        r" food|had a meal|had a proper meal)(?: anything| properly| at all| a thing| much)?"
        r" (?:in|for|since) (?:\d+|a few|several|many|two|three|four|five) (?:days|weeks)",
    ),
    rule(
        "eating.mention",
        EATING,
        CONCERN,
        r"(?:bulimi\w*|anorexi\w*|eating disorder|binge eating disorder|arfid|orthorexi\w*"
        r"|ednos)(?! (?:awareness|week|documentary|charity|research|study|clinic staff))",
    ),
    # --- medical: a fraction of a bottle taken, or how-much-did-I-take -------------------
    rule(
        "medical.overdose_general",
        MEDICAL,
        CRISIS,
        rf"(?:took|taken|swallowed|downed|have taken|had|necked|popped) (?:like |about |around"
        rf" |maybe |over |nearly |almost |more than )?(?:half|most|a third|a quarter|the rest"
        rf"|two thirds|\d+ (?:boxes|packs|packets|strips|bottles)|a few (?:boxes|packs|packets"
        rf"|strips)|a couple of (?:boxes|packs|packets|strips)|everything in|the whole lot)"
        rf" (?:of )?(?:a |the |my |a whole )?(?:\w+ )?(?:(?:bottle|box|pack|packet|strip|tub"
        rf"|jar|blister pack|prescription|supply)s? (?:of )?(?:my |the )?(?:\w+ )?)?{PILLS}",
        rf"(?:took|taken|swallowed|downed|have taken|necked|popped) (?:\w+ ){{0,3}}{PILLS}"
        r" (?:\w+ ){0,3}(?:to (?:sleep forever|not wake up|end it|die|make it stop)|on purpose"
        r"|all at once|at once|in one go)",
        kind=RuleKind.MEDICAL,
    ),
    rule(
        "medical.general",
        MEDICAL,
        CRISIS,
        r"(?:can not|can not seem to|unable to) (?:catch|get) my breath(?! (?:after|from|back))"
        r"|(?:throat|airway) (?:is |feels )?(?:closing|closing up|tight and)",
        r"(?:heart|chest) (?:feels like it is|is) (?:going to )?(?:explode|exploding|stop|stopping"
        r"|being crushed|being squeezed|in a vice)(?! (?:with|from|when|of|every time))",
        r"(?:left|right) (?:arm|side of my face|side) (?:went|is|has gone|feels) (?:numb|dead"
        r"|weak|limp)",
        kind=RuleKind.MEDICAL,
    ),
)
