"""Text to speech: the Synthesizer protocol and the Piper adapter."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from voice.errors import ModelError


class Synthesizer(Protocol):
    """Speaks text as mono s16le PCM at ``sample_rate_hz``; blocking, so use a worker."""

    @property
    def sample_rate_hz(self) -> int:
        """Rate of the PCM that ``synthesize`` yields."""
        ...

    def synthesize(self, text: str) -> Iterator[bytes]:
        """Yield PCM chunks (one per sentence or phrase) for ``text``."""
        ...


class PiperSynthesizer:
    """A Piper ONNX voice on the CPU."""

    def __init__(self, model_path: Path, *, threads: int = 1, steady: bool = False) -> None:
        """``steady``: no sampled variation (Piper's noise scales at 0), so the same text
        always gives the same audio: for tests and benchmarks that must repeat. The voice
        the person hears keeps the variation, which sounds more natural."""
        import onnxruntime
        from piper import PiperVoice, SynthesisConfig
        from piper.config import PiperConfig

        config_path = Path(f"{model_path}.json")
        if not model_path.is_file() or not config_path.is_file():
            raise ModelError(f"Piper voice {model_path} or its .json config is missing")
        try:
            config = PiperConfig.from_dict(json.loads(config_path.read_text(encoding="utf-8")))
            # Few intra-op threads: on two cores the rest belongs to Whisper or the LLM.
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
            session = onnxruntime.InferenceSession(
                str(model_path), sess_options=options, providers=["CPUExecutionProvider"]
            )
            voice = PiperVoice(config=config, session=session)
        except (RuntimeError, ValueError, OSError, KeyError) as exc:
            raise ModelError(f"could not load the Piper voice {model_path}") from exc
        self._voice = voice
        self._config = SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0) if steady else None
        self._rate = int(voice.config.sample_rate)

    @property
    def sample_rate_hz(self) -> int:
        """The voice's native rate (22050 Hz for medium voices)."""
        return self._rate

    def synthesize(self, text: str) -> Iterator[bytes]:
        """Yield one PCM chunk per sentence Piper finds in ``text``."""
        for chunk in self._voice.synthesize(text, syn_config=self._config):
            yield chunk.audio_int16_bytes
