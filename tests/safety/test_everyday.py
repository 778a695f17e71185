"""The rules on everyday uses of risk words, each beside a risky neighbour that stays
flagged (figurative.py, context.py)."""

from __future__ import annotations

import pytest

from voice.safety import SafetyLevel, detect

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
"""


@pytest.mark.parametrize("row", EVERYDAY.strip().splitlines())
def test_everyday_use_beside_a_risky_neighbour(row: str) -> None:
    benign, risky, *level = (part.strip() for part in row.split("|"))
    assert detect(benign).level is NONE
    assert detect(risky).level is SafetyLevel(level[0] if level else "crisis")
