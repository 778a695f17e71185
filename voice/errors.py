"""Error types: one base with a stable code, one subclass per stage.

May import: nothing.
"""

from __future__ import annotations


class VoiceError(Exception):
    """Base error: a stable snake_case ``code`` and a plain ``message`` safe to send."""

    code: str = "internal"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        self.message = message


class ProtocolError(VoiceError):
    """A client broke protocol v1 (bad JSON, unknown type, wrong order...)."""

    code = "bad_message"


class AudioError(VoiceError):
    """Audio that cannot be read or converted."""

    code = "unsupported_audio"


class ConfigError(VoiceError):
    """Invalid configuration; the message names the offending key."""

    code = "bad_config"


class ModelError(VoiceError):
    """A model file is missing, corrupt, or failed to load."""

    code = "model_unavailable"


class ChatError(VoiceError):
    """The language model backend failed while writing a reply."""

    code = "llm_failed"


class ProsodyError(VoiceError):
    """Prosody cues could not be made: a stored baseline or the cue weights are unreadable."""

    code = "cues_unavailable"


class Disconnected(Exception):
    """The client went away; whatever was being sent to it is dropped quietly."""


class StorageError(VoiceError):
    """The database cannot be opened or written (the message names no path or content)."""

    code = "storage_failed"


class AccountError(VoiceError):
    """An account command cannot be done (no such name, a name taken, a weak password)."""

    code = "account"


class VaultError(VoiceError):
    """A key is missing or wrong, or stored data failed its integrity check."""

    code = "vault"
