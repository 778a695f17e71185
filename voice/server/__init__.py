"""The network edge: HTTP routes, the static web page, and the check-in websocket.

``connection`` runs one websocket (validation, routing, errors, close codes) around a
``voice.session.CheckinSession``; ``app`` builds the FastAPI app; ``run`` serves it
under uvicorn.

May import: voice.errors, voice.settings, voice.assets, voice.audio, voice.protocol,
voice.prosody, voice.dialogue, voice.safety, voice.engines, voice.session.
"""
