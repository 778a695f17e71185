"""Has the person finished their turn, or only paused? ``TurnModel`` is the narrow protocol
the session asks at a pause; ``SmartTurn`` answers it with Smart Turn v3 (Pipecat,
BSD-2-Clause): an ONNX classifier over the last 8 s of the turn, read as Whisper-style
log-mel features, run by onnxruntime on one thread (about 50 ms on one core here).

The features are faster-whisper's own log-mel (the library Whisper runs on here) of the
waveform normalised to zero mean and unit variance, as the model was trained; the tests
hold them to Pipecat's reference implementation."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

from voice.audio.pcm import PIPELINE_RATE_HZ
from voice.errors import ModelError

WINDOW_SECONDS = 8
WINDOW_SAMPLES = WINDOW_SECONDS * PIPELINE_RATE_HZ
_NORM_EPS = 1e-7


class TurnModel(Protocol):
    """``complete(pcm)``: how likely it is that the turn in ``pcm`` (16 kHz, s16le, from
    its start up to the pause) is finished, from 0 to 1."""

    def complete(self, pcm: bytes) -> float: ...


class TurnFeatures:
    """The model's input: an (80, 800) log-mel of the last 8 s (zero-padded in front)."""

    def __init__(self) -> None:
        from faster_whisper.feature_extractor import FeatureExtractor

        self._extract = FeatureExtractor(
            feature_size=80,
            sampling_rate=PIPELINE_RATE_HZ,
            hop_length=160,
            chunk_length=WINDOW_SECONDS,
            n_fft=400,
        )

    def __call__(self, audio: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        window = audio[-WINDOW_SAMPLES:].astype(np.float32)
        window = np.pad(window, (WINDOW_SAMPLES - len(window), 0))
        window = (window - window.mean()) / np.sqrt(window.var() + _NORM_EPS)
        return np.asarray(self._extract(window, padding=0), dtype=np.float32)


class SmartTurn:
    """Smart Turn v3 from its ONNX file."""

    def __init__(self, path: Path, *, threads: int = 1) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.inter_op_num_threads = 1
        options.intra_op_num_threads = threads
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        try:
            self._session = ort.InferenceSession(str(path), sess_options=options)
        except Exception as exc:  # onnxruntime raises its own types for a bad file
            raise ModelError(f"the end-of-turn model could not be loaded: {path}") from exc
        self._features = TurnFeatures()

    def complete(self, pcm: bytes) -> float:
        audio = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
        features = self._features(audio)[np.newaxis]
        (probability,) = self._session.run(None, {"input_features": features})
        return float(np.asarray(probability).ravel()[0])
