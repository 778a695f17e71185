"""The rules on everyday uses of risk words, each beside a risky neighbour that stays
flagged (figurative.py, context.py)."""

from __future__ import annotations

import pytest

from voice.safety import SafetyLevel, SafetyVerdict, detect

NONE = SafetyLevel.NONE


# Everyday uses, one phenomenon a row (figurative.py, context.py):
# "benign | a risky neighbour that stays flagged | its level, crisis unless named"
EVERYDAY = """
I want to die my jeans black | I want to die, my hair is falling out from stress
going to die the t shirts pink for the hen do | I want to die my hair is falling out
sliced my thumb cooking, blood everywhere, fine now | I cut myself on purpose while cooking
cut my hand peeling spuds, blood everywhere, all good now | cut my finger, the bleeding won't stop
burned my ear with the curling tongs again | burned my arm with the straighteners on purpose
burned my fingers on the oven tray again | burned myself with the straighteners, 90 days clean gone
i can't breathe from laughing at my dog | I can't breathe and my lips are going blue
my daughter beat me at scrabble again | my dad beat me after the football match
played pool with my brother and he beat me easily | played cards with my husband, he beat me up
said goodbye to everyone at work, my last day | said goodbye to everyone, I won't be here tomorrow
said my goodbyes to the old flat, new keys tomorrow | I've said my goodbyes to my family
night shift, we had two overdoses come in | we had an overdose come in, it was my sister
my library books are overdose, I owe a fine | I took an overdose at the library
the sale fell through and the chain collapsed | my dad collapsed and he isn't moving
the tent collapsed in the wind, we went home | the tent collapsed on my dad, he isn't breathing
at the end of my tether with this router | I'm at the end of my rope with this life | concern
feel like giving up on sourdough, third flat loaf | I feel like giving up on everything | concern
want to vanish off the grid for a week | I want to vanish off the face of the earth | concern
i could strangle my sister, she ate my chocolate | i could strangle my sister tonight
I'll murder him, he drank all my milk again | he drank my milk so I'm going to stab him
week one off the fags and I could kill everyone | I want to kill everyone at school tomorrow
sixty days sober today, got my coin at the meeting | sixty days clean from cutting today | concern
I'm a paramedic, caught a cardiac arrest job | on shift, my chest is tight and my arm is numb
a quiet shift, one chest pain that turned out to be reflux | chest pain, not reflux | concern
as a carer, a resident fainted but was fine after | my mum collapsed on the ward, not responding
the pitch went so badly I wanted to die in a hole | I wanted to die in a hole again last night
my friend's dad killed himself years ago, a sad funeral | my dad killed himself years ago | concern
what's the point of me going to the gym, it's shut | what's the point of me being here
what's the point in waking up early, no ferry | what's the point in waking up tomorrow
don't want to live with my in laws anymore, we're saving hard | I don't want to live anymore
they'd be better off without me on the rota | they'd all be better off without me
it is over for me in the office sweepstake this year | it's over for me, I can't go on
we picked the day for the operation, it's next month | I've picked the day, it's next month
we set a date at last, the wedding's in june | I've set a date and written the notes
last time I'll check in this weekend, off camping tomorrow | this is the last time I'll talk to you
said goodbye to my son at the school gate | said goodbye to my kids, I won't be here tomorrow
giving my books away before the move | giving my things away, I won't need them | concern
ending things with my flatmate's band, they're too loud | I'm thinking about ending things tonight
I want to sleep and not wake up until midday tomorrow | I want to go to sleep and not wake up
I'm so hungry I could die, where's dinner | I could die tonight and nobody would care
grandad took his life before I was born, never knew him | dad took his life, can't cope | concern
long shift at the hospital, a patient in after an overdose | my brother took an overdose
dad said he'd jump off a bridge after his team lost | dad wants to jump off a bridge | concern
the gig went so badly I wanted to die lol, got chips after | I wanted to die, I still do
I don't want to live out of a suitcase for another year | I don't want to live anymore
she'll kill me if I forget to feed the cat again | he said he'll kill me if I leave him
first aid training day, fake blood everywhere | I cut my wrist and there's blood everywhere
the hill on that run was going to kill him, he walked it | I'm going to kill him, I've got a knife
my landlord can go jump in a lake | I'm going to jump off a bridge tonight
my brother's a year sober next week, so proud | my brother took an overdose, he's not breathing
a customer at the counter asked me about overdose limits | what dose is an overdose for me | concern
all this rejection is killing my self-esteem | all this rejection makes me want to kill myself
my best mate lives 800 kms away now | i'm going to kms tonight
should I end it? how do I know when to end my marriage | should I end it all? nobody would miss me
I need to cut all contact with my dad | I need to cut, it's the only thing that helps
I cut myself off from everyone after the divorce | I cut myself again after the divorce
it's so itchy, I scratched the bite on my leg till it bled | I scratch my legs till they bleed
scratched my leg on barbed wire at the farm | I scratched my legs with a blade last night
overdid it at the gym to a knee injury, trying not to injure myself again | I keep injuring myself
I'd say yes to anything he asked, even if it meant hurting myself | I keep hurting myself at night
I'm too scared of hurting myself doing a backflip | I'm scared I'm going to hurt myself tonight
on my period and terrified I'll bleed through my jeans at school | I want to bleed, I deserve it
my bones want to rip through my skin when I'm anxious | I want to rip my skin open with a razor
I killed myself, the person I used to be, and started over | I've thought about killing myself
the drink took my whole life away from me | I'm going to take my life tonight
I can't wake up in the morning without five alarms | I hope I don't wake up in the morning
health anxiety again, I'm scared I might die in my sleep | I want to die in my sleep
so anxious, I could die any minute, my heart's racing | I could die tonight and nobody would care
my therapist says I don't need it anymore, we're done | I won't need it anymore after tonight
day three off the cigs, I hope this is goodbye | this is goodbye, I love you all
I'll say my goodbyes and head home after the ceremony | I've said my goodbyes to everyone I love
I nearly felt like dying during that spin class | I felt like dying all week and I still do
the episode after his death is really good | death sounds good right now
I keep drinking even though it's harming myself and my kids | I keep harming myself, nobody knows
I can't trust myself to make decisions at work | I can't trust myself alone tonight
I'm scared of what I might do or say at the party | I'm scared of what I might do to myself tonight
I hope someone takes me up on the offer | I hope someone kills me
I don't know if I can live with the noise next door | not sure I can live with this pain anymore
I don't want to be around people right now | I don't want to be around anymore
I feel like that app shouldn't exist | I feel that I shouldn't exist
the last thing I'd want is to hurt anyone with bad advice | I want to hurt anyone who comes near me
ugh, that was so embarrassing, I wish I could die | ugh, my life is pointless, I wish I could die
he said what's the point of me going out if you're out | what's the point of me anymore
a guy on the bus wanted to harm me, I got off | I want to harm myself
I want to hurt people that beat me at chess | I want to hurt people
what's the lethal dose of caffeine for a dog? he ate a bean | what's the lethal dose of paracetamol
what does overdose mean in a medical dictionary? | I took an overdose, what do I do
what is the definition of suicide? | the definition of my life right now is I want to kill myself
"""


@pytest.mark.parametrize("row", EVERYDAY.strip().splitlines())
def test_everyday_use_beside_a_risky_neighbour(row: str) -> None:
    benign, risky, *level = (part.strip() for part in row.split("|"))
    assert detect(benign).level is NONE
    verdict = detect(risky)
    if (verdict.rule or "").endswith(".signal"):  # a crisis signal: the screen decides
        verdict = SafetyVerdict(SafetyLevel.CRISIS, verdict.category, verdict.rule)
    assert verdict.level is SafetyLevel(level[0] if level else "crisis")


# Over-escalations read in people's own posts, one phenomenon a row: the first sentence is a
# concern at most (a way of living, a topic, history told as over, a denial, a clinician's
# instruction), the neighbour using the same words stays a crisis.
# "softened | its level | a risky neighbour that stays a crisis"
SOFTENED = """
I'm tired of living like this, always broke | concern | I'm tired of living
I don't want to keep living this way, I'm quitting booze | concern | I don't want to keep living
the neighbours' dog barks all night and I want it to stop | concern | I want it to stop forever
my GP said it's a form of suicidal ideation | concern | I've been having suicidal ideation every day
the leaflet says to call if it causes suicidal thoughts | concern | my suicidal thoughts are worse
I'm tired, but suicide has never been an option for me | concern | there's no way out but suicide
I have zero interest in hurting myself | concern | I have every intention of hurting myself
the doctor told me to come back if I felt like hurting myself | concern | I feel like hurting myself
mum started yelling at my scars, I used to cut myself years ago | concern | I started cutting again
I thought they'd all be better off without me back then | concern | they'd be better off without me
there were nights I wanted to end it all, but now I'm thriving | concern | I want to end it all
I came close to suicide in my late twenties | concern | I came close to suicide last night
my brother saved me from my own suicidal thoughts | concern | I'm having suicidal thoughts again
I considered suicide when I was ill, but I'm glad I never did it | concern | I'm considering suicide
"""


@pytest.mark.parametrize("row", SOFTENED.strip().splitlines())
def test_softened_beside_a_crisis(row: str) -> None:
    softened, level, risky = (part.strip() for part in row.split("|"))
    assert detect(softened).level is SafetyLevel(level)
    assert detect(risky).level is SafetyLevel.CRISIS
