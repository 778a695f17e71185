"""The numpy MiniLM encoder against the reference implementation: sentence-transformers'
embeddings of fixed sentences, stored in ``tests/data/minilm_reference.json`` (made once
with sentence-transformers 6.3.0, transformers 5.25.0 and torch 2.13.0 on the CPU, from the
same ``model.safetensors``)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from voice.engines.factory import model_path
from voice.engines.minilm import MiniLmEncoder
from voice.errors import ModelError
from voice.settings import Settings

REFERENCE = Path(__file__).resolve().parent.parent / "data" / "minilm_reference.json"


@pytest.mark.real_models
def test_embeddings_match_sentence_transformers(settings: Settings) -> None:
    reference = json.loads(REFERENCE.read_text(encoding="utf-8"))
    folder = model_path(settings, "safety")
    weights = (folder / "model.safetensors").read_bytes()
    assert hashlib.sha256(weights).hexdigest() == reference["model_sha256"]

    got = MiniLmEncoder(folder).encode(reference["sentences"])

    expected = np.asarray(reference["embeddings"], dtype=np.float32)
    assert got.shape == expected.shape == (6, 384)
    assert np.max(np.abs(got - expected)) < 1e-4


def test_a_folder_without_the_files_is_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"has no tokenizer\.json"):
        MiniLmEncoder(tmp_path)


@pytest.mark.real_models
def test_damaged_weights_are_a_model_error(settings: Settings, tmp_path: Path) -> None:
    folder = model_path(settings, "safety")
    (tmp_path / "tokenizer.json").write_bytes((folder / "tokenizer.json").read_bytes())
    (tmp_path / "model.safetensors").write_bytes(b"\x08\x00\x00\x00\x00\x00\x00\x00{}")
    with pytest.raises(ModelError, match="could not be read"):
        MiniLmEncoder(tmp_path)


PARITY = Path(__file__).resolve().parent.parent / "data" / "safety_screen_parity.json"


@pytest.mark.real_models
def test_the_adapted_encoder_and_screen_match_the_torch_reference(settings: Settings) -> None:
    """The shipped safety screen in numpy (adapters merged at load, a long turn read by its
    head and tail) gives the probabilities torch gave when it was fitted
    (``voice fit-safety --parity``)."""
    from voice.engines.factory import build_risk_screen

    screen = build_risk_screen(settings)
    reference = json.loads(PARITY.read_text(encoding="utf-8"))["texts"]
    assert len(reference) >= 6
    for row in reference:
        score = screen.score(row["text"])
        expected = np.asarray(row["probabilities"], dtype=np.float32)
        assert abs(score.crisis - expected[2]) < 1e-4
        assert abs(score.flagged - (expected[1] + expected[2])) < 1e-4
