"""all-MiniLM-L6-v2 in torch, weight for weight the numpy encoder of ``voice.engines.minilm``,
with low-rank adapters (LoRA) on every dense layer: what ``voice fit-safety`` trains.

Only the offline fitting uses torch (``pip install -e '.[fit]'``); the server runs the fitted
adapters in numpy. The forward pass matches sentence-transformers to 2e-7 (checked when
this module was written, on ``tests/data/minilm_reference.json``).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import torch
from safetensors.torch import load_file
from torch import nn

LAYERS, HEADS, WIDTH = 6, 12, 384
DENSE = (
    "attention.self.query",
    "attention.self.key",
    "attention.self.value",
    "attention.output.dense",
    "intermediate.dense",
    "output.dense",
)
"""The adapted layers of each encoder block."""


class LoRA(nn.Module):  # type: ignore[misc]
    """A low-rank change B @ A of one weight, scaled by alpha / rank; B starts at zero."""

    def __init__(self, n_in: int, n_out: int, rank: int, alpha: float) -> None:
        super().__init__()
        self.a = nn.Parameter(torch.randn(rank, n_in) / math.sqrt(n_in))
        self.b = nn.Parameter(torch.zeros(n_out, rank))
        self.scale = alpha / rank

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return (x @ self.a.T) @ self.b.T * self.scale


def _key(weight_name: str) -> str:
    return weight_name.removesuffix(".weight").replace(".", "_")


class MiniLM(nn.Module):  # type: ignore[misc]
    """The frozen encoder plus its trainable adapters; ``forward`` gives token states."""

    def __init__(self, weights: dict[str, torch.Tensor], rank: int, alpha: float) -> None:
        super().__init__()
        self.w = {k: v.float().requires_grad_(False) for k, v in weights.items()}
        self.lora = nn.ModuleDict()
        for layer in range(LAYERS if rank else 0):
            for name in DENSE:
                weight = f"encoder.layer.{layer}.{name}.weight"
                out_f, in_f = self.w[weight].shape
                self.lora[_key(weight)] = LoRA(in_f, out_f, rank, alpha)

    def _dense(self, x: torch.Tensor, name: str) -> torch.Tensor:
        y = x @ self.w[name + ".weight"].T + self.w[name + ".bias"]
        key = _key(name + ".weight")
        return y + self.lora[key](x) if key in self.lora else y

    def _norm(self, x: torch.Tensor, name: str) -> torch.Tensor:
        return nn.functional.layer_norm(
            x, (WIDTH,), self.w[name + ".weight"], self.w[name + ".bias"], 1e-12
        )

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Token states of the last layer, (batch, tokens, 384)."""
        batch, n = ids.shape
        w = self.w
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:n]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = self._norm(x, "embeddings.LayerNorm")
        bias = (1.0 - mask[:, None, None, :].float()) * -1e9
        size = WIDTH // HEADS
        for layer in range(LAYERS):
            p = f"encoder.layer.{layer}."
            q, k, v = (
                self._dense(x, p + "attention.self." + part)
                .view(batch, n, HEADS, size)
                .transpose(1, 2)
                for part in ("query", "key", "value")
            )
            weights = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(size) + bias, dim=-1)
            context = (weights @ v).transpose(1, 2).reshape(batch, n, WIDTH)
            x = self._norm(
                x + self._dense(context, p + "attention.output.dense"),
                p + "attention.output.LayerNorm",
            )
            hidden = nn.functional.gelu(self._dense(x, p + "intermediate.dense"))
            x = self._norm(x + self._dense(hidden, p + "output.dense"), p + "output.LayerNorm")
        return x

    def merge(self, adapters: dict[str, tuple[torch.Tensor, torch.Tensor]]) -> None:
        """Add fitted low-rank changes to the frozen weights (for prediction)."""
        for name, (b, a) in adapters.items():
            self.w[name] = self.w[name] + b @ a

    def adapters(self) -> dict[str, tuple[torch.Tensor, torch.Tensor]]:
        """Weight name -> (B * scale, A), so that the adapted weight is W + B @ A."""
        out = {}
        for layer in range(LAYERS if len(self.lora) else 0):
            for name in DENSE:
                weight = f"encoder.layer.{layer}.{name}.weight"
                lora: Any = self.lora[_key(weight)]
                out[weight] = (lora.b.detach() * lora.scale, lora.a.detach())
        return out


def mean_pool(states: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """The mean of each row's real (unpadded) token states."""
    m = mask[..., None].float()
    return (states * m).sum(1) / m.sum(1).clamp(min=1.0)


def load(model_dir: Path, *, rank: int, alpha: float) -> MiniLM:
    """The encoder from its ``model.safetensors``, with fresh adapters."""
    return MiniLM(load_file(str(model_dir / "model.safetensors")), rank, alpha)
