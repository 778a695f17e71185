"""One frozen settings object: defaults, then ``VOICE_*`` environment variables, then flags.

May import: voice.errors, voice.audio, voice.safety.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from urllib.parse import urlparse

from voice.audio.endpointer import END_SILENCE_MS, MAX_END_SILENCE_MS, MIN_END_SILENCE_MS
from voice.errors import ConfigError


def _xdg(var: str, fallback: str) -> Path:
    base = os.environ.get(var)
    return (Path(base) if base else Path.home() / fallback) / "voice"


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the server can be told. Field names map to ``VOICE_<NAME>`` and flags."""

    host: str = "127.0.0.1"
    port: int = 8765
    data_dir: Path = field(default_factory=lambda: _xdg("XDG_DATA_HOME", ".local/share"))
    cache_dir: Path = field(default_factory=lambda: _xdg("XDG_CACHE_HOME", ".cache"))
    config_dir: Path = field(default_factory=lambda: _xdg("XDG_CONFIG_HOME", ".config"))
    """Where the root key and the people's data keys live: never inside the data directory
    (``VOICE_PASSPHRASE`` in the environment derives the root key instead of a key file)."""
    whisper_model: Path | None = None
    """A CTranslate2 Whisper folder; default: the manifest's."""
    whisper_language: str = "en"
    piper_voice: Path | None = None
    """A Piper .onnx voice (with its .onnx.json beside it); default: the manifest's."""
    llm_model: Path | None = None
    """A GGUF file for the embedded model; default: the manifest's."""
    llm_url: str | None = None
    """An OpenAI-compatible server (``http://HOST:PORT/v1``) instead of the embedded model."""
    llm_name: str = "default"
    """Model name sent to the OpenAI-compatible server."""
    llm_api_key: str | None = field(default=None, repr=False)
    """Its API key, sent as a bearer token (``VOICE_LLM_API_KEY`` only: never a flag, which
    other users of the machine could read)."""
    llm_parallel: int = 4
    """Replies the language model decodes together (its slots): as many as sessions, so
    four people's first sentences progress side by side rather than two waiting."""
    threads: int = 2
    endpoint_silence_ms: int = END_SILENCE_MS
    end_of_turn: str = "silence"
    """How the end of a turn is found: "silence" (``endpoint_silence_ms`` of it) or "model"
    (the end-of-turn model judges each pause; a turn it calls unfinished waits longer)."""
    max_sessions: int = 4
    log_level: str = "INFO"
    safety_locale: str = "us"
    """Whose crisis lines safety replies give: us, gb, ie, ca, au, nz."""
    log_content: bool = False
    """Log transcripts and replies. Health data: only for local debugging, never in production."""
    database_url: str | None = None
    """Where accounts are kept; default: a SQLite file in the data directory."""
    tls_cert: Path | None = None
    """A PEM certificate (chain): the server speaks https and wss itself."""
    tls_key: Path | None = None
    """The PEM private key of ``tls_cert``."""
    insecure_http: bool = False
    """Allow plain http on a non-loopback address (behind a TLS reverse proxy only)."""
    allowed_origins: tuple[str, ...] = ()
    """Other origins whose pages may connect (e.g. the reverse proxy's https://HOST)."""
    session_minutes: int = 60
    max_sessions_per_account: int = 2
    max_sessions_per_address: int = 3

    def validated(self) -> Settings:
        """Check every value; raise ConfigError naming the key."""
        if not 0 <= self.port <= 65535:
            raise ConfigError("port must be 0..65535")
        if not MIN_END_SILENCE_MS <= self.endpoint_silence_ms <= MAX_END_SILENCE_MS:
            raise ConfigError(
                f"endpoint_silence_ms must be {MIN_END_SILENCE_MS}..{MAX_END_SILENCE_MS}"
            )
        if self.end_of_turn not in ("model", "silence"):
            raise ConfigError("end_of_turn must be model or silence")
        if not 1 <= self.max_sessions <= 64:
            raise ConfigError("max_sessions must be 1..64")
        if not 1 <= self.max_sessions_per_account <= 64:
            raise ConfigError("max_sessions_per_account must be 1..64")
        if not 1 <= self.max_sessions_per_address <= 64:
            raise ConfigError("max_sessions_per_address must be 1..64")
        if not 1 <= self.session_minutes <= 24 * 60:
            raise ConfigError("session_minutes must be 1..1440")
        if (self.tls_cert is None) != (self.tls_key is None):
            raise ConfigError("tls_cert and tls_key go together: give both or neither")
        if not 1 <= self.threads <= 64:
            raise ConfigError("threads must be 1..64")
        if not 1 <= self.llm_parallel <= 16:
            raise ConfigError("llm_parallel must be 1..16")
        if self.log_level.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR"):
            raise ConfigError("log_level must be DEBUG, INFO, WARNING or ERROR")
        if self.llm_url is not None:
            parsed = urlparse(self.llm_url)
            if parsed.scheme not in ("http", "https") or not parsed.hostname:
                raise ConfigError("llm_url must look like http://HOST:PORT/v1")
        from voice.safety import resources_for

        resources_for(self.safety_locale)  # raises ConfigError naming safety_locale
        for name in ("whisper_model", "piper_voice", "llm_model", "tls_cert", "tls_key"):
            path = getattr(self, name)
            if path is not None and not path.exists():
                raise ConfigError(f"{name}: {path} does not exist")
        return self


def _convert(name: str, kind: str, raw: str) -> object:
    try:
        if "tuple" in kind:
            return tuple(raw.replace(",", " ").split())
        if "int" in kind:
            return int(raw)
        if "bool" in kind:
            lowered = raw.strip().lower()
            if lowered not in ("1", "0", "true", "false", "yes", "no", "on", "off"):
                raise ValueError(raw)
            return lowered in ("1", "true", "yes", "on")
        if "Path" in kind:
            if not raw and "None" not in kind:
                raise ValueError(raw)  # data_dir / cache_dir must not become None
            return Path(raw).expanduser() if raw else None
        return raw if raw or "None" not in kind else None
    except ValueError as exc:
        raise ConfigError(f"{name} has an invalid value") from exc


def from_sources(env: Mapping[str, str], overrides: Mapping[str, object]) -> Settings:
    """Build settings from defaults, ``VOICE_*`` variables, then explicit overrides (flags)."""
    values: dict[str, object] = {}
    for f in fields(Settings):
        key = f"VOICE_{f.name.upper()}"
        if key in env:
            values[f.name] = _convert(key, str(f.type), env[key])
    for name, value in overrides.items():
        if value is not None:
            values[name] = value
    return replace(Settings(), **values).validated()  # type: ignore[arg-type]
