"""voice: a local voice companion for spoken daily check-ins.

The package is a house of rooms, each a subpackage with one purpose; imports run
downward only (``tests/test_architecture.py`` checks every module against the
``May import:`` line of its room's docstring):

- ``voice.text``, ``voice.audio``: plain-English text and PCM audio basics (pure).
- ``voice.protocol``: the websocket protocol v1 on the wire.
- ``voice.prosody``, ``voice.dialogue``, ``voice.safety``: the cores of a turn (pure):
  how the person sounds, what to say, and what must never be missed.
- ``voice.engines``: the models behind them (Whisper, Piper, llama.cpp, MiniLM) and the
  worker threads that run them.
- ``voice.session``: one live conversation, turn by turn.
- ``voice.server``: the HTTP and websocket edge.
- ``voice.client``: the reference client (``voice talk``).
- ``voice.tools``: offline tools: benchmark, evaluations, fitting.
- ``voice.cli``: the ``voice`` command; ``voice.settings``, ``voice.errors``,
  ``voice.assets``: shared by all.

Importing this package is cheap: no model is loaded until an adapter is built.

May import: nothing.
"""

from __future__ import annotations

__version__ = "0.1.0"
