"""The models and the threads that run them.

Adapters behind the narrow protocols of the cores: Whisper (``stt``), Piper (``tts``),
llama.cpp and OpenAI-compatible servers (``llm_embedded``, ``llm_openai``), the MiniLM
sentence encoder (``minilm``), the end-of-turn model (``turn_model``). ``manifest`` says
where each model's bytes come from and checks them; ``workers.Engines`` is the async face
of the loaded models (one worker per model that is not re-entrant); ``factory`` builds them
all from settings.

May import: voice.errors, voice.settings, voice.assets, voice.text, voice.audio,
voice.prosody, voice.dialogue, voice.safety.
"""
