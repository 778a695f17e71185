"""all-MiniLM-L6-v2 sentence embeddings in plain numpy (no torch, no network).

A 6-layer BERT encoder (384 wide, 12 heads) with mean pooling and L2 normalisation, as
sentence-transformers runs it. Weights are read from the model's ``model.safetensors``
with ``safetensors.numpy`` and the WordPiece tokenizer from its ``tokenizer.json`` (Hugging
Face ``tokenizers``, already a dependency of faster-whisper). About 23 M parameters, 90 MB
in float32; a check-in turn takes a few milliseconds on one core.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from voice.errors import ModelError
from voice.safety.screen import HEAD_TOKENS, TAIL_TOKENS, head_and_tail

_LAYERS = 6
_HEADS = 12
_EPS = 1e-12
MAX_TOKENS = 256
"""Longer turns are cut here, as sentence-transformers does for this model."""

Matrix = NDArray[np.float32]


class MiniLmEncoder:
    """``encode(texts)`` gives one unit-length 384-value row per text."""

    dimension = 384

    def __init__(
        self,
        model_dir: Path,
        *,
        adapter: Mapping[str, tuple[Matrix, Matrix]] | None = None,
        head_tokens: int = HEAD_TOKENS,
        tail_tokens: int = TAIL_TOKENS,
    ) -> None:
        from safetensors import SafetensorError
        from tokenizers import Tokenizer  # the adapter owns the library import

        for name in ("tokenizer.json", "model.safetensors"):
            if not (model_dir / name).is_file():
                raise ModelError(f"sentence encoder in {model_dir} has no {name}")
        try:
            self._tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
            self._w = _read_weights(model_dir / "model.safetensors")
        except (OSError, ValueError, KeyError, SafetensorError) as exc:
            raise ModelError(
                f"sentence encoder in {model_dir} could not be read ({type(exc).__name__})"
            ) from exc
        self._tokenizer.no_padding()
        self._tokenizer.no_truncation()
        for name, (b, a) in (adapter or {}).items():
            if name not in self._w or self._w[name].shape != (b.shape[0], a.shape[1]):
                raise ModelError(f"the adapter does not fit the sentence encoder ({name})")
            self._w[name] = (self._w[name] + b @ a).astype(np.float32)
        self._head_tokens = head_tokens
        self._tail_tokens = tail_tokens

    def encode(self, texts: Sequence[str]) -> Matrix:
        """Embed each text as sentence-transformers does: its first 256 tokens, mean-pooled
        and of unit length (one at a time: check-in turns are short and batches small)."""
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        for i, text in enumerate(texts):
            ids = self._ids(text)
            pooled = self._states(ids[:-1][: MAX_TOKENS - 1] + ids[-1:]).mean(axis=0)
            out[i] = pooled / max(float(np.linalg.norm(pooled)), 1e-9)
        return out

    def pool(self, text: str) -> Matrix:
        """The mean of the token states of a whole turn; a long one is read by its head and
        its tail (where people often say what matters), as the safety screen was fitted."""
        ids = self._ids(text)
        body = head_and_tail(ids[1:-1], self._head_tokens, self._tail_tokens)
        pooled: Matrix = self._states([ids[0], *body, ids[-1]]).mean(axis=0)
        return pooled

    def _ids(self, text: str) -> list[int]:
        return list(self._tokenizer.encode(text).ids)

    def _states(self, token_ids: list[int]) -> Matrix:
        """The last layer's token states."""
        ids = np.asarray(token_ids, dtype=np.int64)
        w = self._w
        n = ids.shape[0]
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:n]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = _layer_norm(x, w, "embeddings.LayerNorm")
        for layer in range(_LAYERS):
            p = f"encoder.layer.{layer}."
            x = _layer_norm(
                x + _attention(x, w, p + "attention."), w, p + "attention.output.LayerNorm"
            )
            hidden = _gelu(_dense(x, w, p + "intermediate.dense"))
            x = _layer_norm(x + _dense(hidden, w, p + "output.dense"), w, p + "output.LayerNorm")
        return x.astype(np.float32)


def _dense(x: Matrix, w: dict[str, Matrix], name: str) -> Matrix:
    return x @ w[name + ".weight"].T + w[name + ".bias"]


def _attention(x: Matrix, w: dict[str, Matrix], prefix: str) -> Matrix:
    n, width = x.shape
    head = width // _HEADS

    def split(name: str) -> Matrix:
        return _dense(x, w, prefix + "self." + name).reshape(n, _HEADS, head).transpose(1, 0, 2)

    q, k, v = split("query"), split("key"), split("value")
    scores = q @ k.transpose(0, 2, 1) / np.float32(np.sqrt(head))
    scores -= scores.max(axis=-1, keepdims=True)
    weights = np.exp(scores)
    weights /= weights.sum(axis=-1, keepdims=True)
    context = (weights @ v).transpose(1, 0, 2).reshape(n, width)
    return _dense(context, w, prefix + "output.dense")


def _layer_norm(x: Matrix, w: dict[str, Matrix], name: str) -> Matrix:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    normed: Matrix = (x - mean) / np.sqrt(var + _EPS) * w[name + ".weight"] + w[name + ".bias"]
    return normed


def _gelu(x: Matrix) -> Matrix:
    """BERT's exact GELU, x·Φ(x), with erf from Abramowitz & Stegun 7.1.26 (error < 2e-7)."""
    z = np.abs(x) / np.float32(np.sqrt(2.0))
    t = 1.0 / (1.0 + 0.3275911 * z)
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    erf = np.sign(x) * (1.0 - poly * np.exp(-z * z))
    return (0.5 * x * (1.0 + erf)).astype(np.float32)


def _read_weights(path: Path) -> dict[str, Matrix]:
    """The model's float tensors as float32 arrays (``safetensors.numpy``: no torch)."""
    from safetensors.numpy import load_file

    return {
        name: array.astype(np.float32)
        for name, array in load_file(path).items()
        if array.dtype.kind == "f"
    }
