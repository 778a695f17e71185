"""Offline tools, never used by a live session: the benchmark, the evaluations of the
safety detector, the replies and the cues, fitting the safety screen and the cue, and the
administrator's commands for accounts and records.

May import: voice.errors, voice.settings, voice.assets, voice.text, voice.audio,
voice.protocol, voice.prosody, voice.dialogue, voice.safety, voice.engines,
voice.session, voice.server, voice.client, voice.db, voice.accounts, voice.records,
voice.device.
"""
