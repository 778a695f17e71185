"""What to say (pure): the chat-model protocol, prompts, reply shaping, sentence splitting,
and the scripted daily check-in with its answer parsers.

Model adapters live in ``voice.engines``; safety decisions in ``voice.safety``.

May import: voice.errors, voice.text.
"""
