"""Home Assistant's way in: the Wyoming protocol, for speech to text, text to speech and
the check-in companion as a conversation agent.

``bind`` says which addresses may be listened on (loopback, unless the operator allows
more: Wyoming has no authentication); ``info`` builds the answer to ``describe``;
``intake`` takes one audio stream in and makes 16 kHz mono of it (clock-free);
``conversations`` keeps the companion's conversations in memory, by id, for a while
(clock passed in); ``handler`` is one connection (asyncio); ``command`` is
``voice wyoming``. Nothing is stored.

May import: voice.errors, voice.settings, voice.audio, voice.protocol, voice.dialogue,
voice.engines, voice.session, voice.server.
"""
