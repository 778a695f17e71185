"""The reference client of protocol v1: streams audio at real-time pace, records events.

``connection.CheckinClient`` is the building block (tests, the benchmark); ``talk`` is
``voice talk FILE.wav``.

May import: voice.errors, voice.audio, voice.protocol.
"""
