"""``hello.consent`` and ``ready.consent``: strict, and nothing kept unless said."""

from __future__ import annotations

import json

import pytest

from voice.errors import ProtocolError
from voice.protocol import Consent, Hello, decode_client

AUDIO = {"encoding": "pcm_s16le", "sample_rate": 16000, "channels": 1}


def _hello(consent: object) -> Hello:
    message = decode_client(
        json.dumps({"type": "hello", "protocol": 1, "audio": AUDIO, "consent": consent})
    )
    assert isinstance(message, Hello)
    return message


def test_consent_is_read_strictly() -> None:
    assert _hello(None).consent is None
    assert _hello({"audio": True, "transcript": False}).consent == Consent(True, False, ())
    both = _hello({"audio": False, "transcript": True, "share": ["dr-b", "dr-b", "dr.c"]})
    assert both.consent == Consent(False, True, ("dr-b", "dr.c"))  # duplicates once
    assert _hello({"audio": False, "transcript": False, "share": None}).consent == Consent()
    assert not Consent().keeps_anything


@pytest.mark.parametrize(
    "consent",
    [
        {"audio": 1, "transcript": False},
        {"audio": True},
        {"audio": True, "transcript": True, "share": "dr-b"},
        {"audio": True, "transcript": True, "share": [5]},
        {"audio": True, "transcript": True, "share": ["../etc"]},
        {"audio": True, "transcript": True, "share": [f"t{i}" for i in range(17)]},
        "yes",
    ],
)
def test_bad_consent_is_bad_message_without_echo(consent: object) -> None:
    with pytest.raises(ProtocolError) as refused:
        _hello(consent)
    assert refused.value.code == "bad_message"
    assert "etc" not in refused.value.message
