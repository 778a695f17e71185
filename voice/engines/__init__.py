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

import os

# The CPU budget, part one, before any engine library loads: OpenMP threads (ctranslate2's,
# running Whisper) sleep when they wait instead of spinning. libgomp reads this once, when
# it loads. On two cores the models' threads outnumber the cores whenever two sessions are
# busy, and spinning waiters starved the others: with the default, a final transcript that
# takes 0.3 s alone took up to 6 s beside the language model (docs/benchmarks.md). An
# operator's own setting is kept.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
