"""One live conversation, turn by turn: audio in, words, safety, reply out.

``session.CheckinSession`` owns every turn and every task it starts; ``turn`` is a
turn's explicit state; ``hearing`` turns audio into turn events (clock-free);
``conversation`` decides what to say (pure); ``responder`` turns that decision into
messages and a speaker; ``speaker`` writes and voices one reply; ``cues`` keeps the
person's voice baseline for the session.

May import: voice.errors, voice.text, voice.audio, voice.protocol, voice.prosody,
voice.dialogue, voice.safety, voice.engines.
"""
