"""How a person sounds (pure): prosody measured with Praat, their usual voice, and cues.

``measure`` turns a turn's audio into features; ``baseline`` keeps a person's usual
(median and spread of recent turns) and its file store; ``cues`` compares a turn with
the baseline and says, tentatively, what stands out.

May import: voice.errors, voice.audio, voice.assets.
"""
