"""Suicide rules: the act named, methods and means, plans; then the wishes to be dead, stated
directly or indirectly (``wishes``). See ``voice.safety.rules`` for the pattern notation."""

from __future__ import annotations

from voice.safety.rules.base import (
    CONCERN,
    CRISIS,
    PILLS,
    POSS,
    REFL,
    SELF_HARM,
    SUICIDE,
    Rule,
    rule,
)
from voice.safety.rules.wishes import WISH_RULES

_SUICIDAL_NOUN = r"suicidal (?:thoughts|thinking|ideation|ideas|feelings|urges|tendencies)"
_HAVING = (
    r"have|has|had|having|get|gets|getting|got|keep|keeps|kept|experience|experiencing"
    r"|experienced|struggle with|struggling with|struggled with|dealing with|deal with|battling"
    r"|fighting"
)
"""Before the noun: someone having "suicidal thoughts" ("I've been having", "my")."""

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
        "suicide.past_attempt",
        SUICIDE,
        CONCERN,
        # "I locked the knives away after my attempt": a past attempt needs no noun before it
        r"(?:since|after|before|from|during|because of) my (?:last |first |previous |second"
        r" |third |\d+(?:st|nd|rd|th) )?(?:attempt|attempts|overdose)\b(?! (?:at|to|on|in) )",
    ),
    rule(
        "suicide.suicidal",
        SUICIDE,
        CRISIS,
        r"(?:am|is|are|feel|feels|feeling|felt|been|get|getting|got|was|were|being|become"
        r"|becoming|go|going|so|quite|bit|little|a bit|little bit|pretty) suicidal",
        r"suicidal (?:again|lately|right now|tonight|today)",
        # the noun is a crisis when someone has it now; "a form of suicidal ideation", "turning
        # suicidal ideation into hope", "if it causes suicidal thoughts" are a topic (a mention)
        rf"(?:(?:{_HAVING}) (?:\w+ ){{0,2}}?|(?:my|our)(?: own)? |(?:these|those) )"
        rf"{_SUICIDAL_NOUN}|{_SUICIDAL_NOUN} (?:again|lately|right"
        r" now|tonight|today|every (?:day|night)|all the time|are back|came back|keep coming"
        r"|will not (?:stop|go)|are getting|getting worse|are (?:stronger|worse|louder))",
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
    # --- suicide: wishing to be dead, stated directly or indirectly (``wishes``) ----------
    *WISH_RULES,
)
