"""Settings: defaults, then VOICE_* environment variables, then flags; validated with key names."""

from __future__ import annotations

from pathlib import Path

import pytest

from voice.errors import ConfigError
from voice.settings import Settings, from_sources


def test_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    settings = from_sources({}, {})
    assert settings == Settings()
    assert (settings.host, settings.port) == ("127.0.0.1", 8765)
    assert settings.data_dir == tmp_path / ".local" / "share" / "voice"
    assert settings.cache_dir == tmp_path / ".cache" / "voice"
    assert settings.whisper_model is None
    assert settings.piper_voice is None
    assert settings.llm_model is None
    assert settings.llm_url is None
    assert settings.whisper_language == "en"
    assert settings.llm_name == "default"
    assert (settings.llm_parallel, settings.threads, settings.max_sessions) == (4, 2, 4)
    assert settings.endpoint_silence_ms == 800
    assert settings.log_level == "INFO"
    assert settings.log_content is False


def test_xdg_directories_are_respected(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    settings = from_sources({}, {})
    assert settings.data_dir == tmp_path / "data" / "voice"
    assert settings.cache_dir == tmp_path / "cache" / "voice"


def test_environment_applies() -> None:
    env = {
        "VOICE_PORT": "9000",
        "VOICE_HOST": "0.0.0.0",
        "VOICE_THREADS": "4",
        "VOICE_DATA_DIR": "/srv/voice-data",
        "VOICE_LLM_URL": "http://127.0.0.1:8080/v1",
        "VOICE_LOG_LEVEL": "debug",
        "PORT": "1",  # not ours
    }
    settings = from_sources(env, {})
    assert settings.port == 9000
    assert settings.host == "0.0.0.0"
    assert settings.threads == 4
    assert settings.data_dir == Path("/srv/voice-data")
    assert settings.llm_url == "http://127.0.0.1:8080/v1"
    assert settings.log_level == "debug"


def test_a_remote_models_api_key_comes_from_the_environment_and_is_never_shown() -> None:
    from voice.engines.factory import build_chat_model

    env = {"VOICE_LLM_URL": "https://llm.clinic.example/v1", "VOICE_LLM_API_KEY": "s3cret-key"}
    settings = from_sources(env, {})
    assert settings.llm_api_key == "s3cret-key"
    assert "s3cret-key" not in repr(settings)
    chat = build_chat_model(settings)
    assert chat._api_key == "s3cret-key"  # type: ignore[attr-defined]


def test_empty_optional_values_mean_unset() -> None:
    settings = from_sources({"VOICE_LLM_URL": "", "VOICE_WHISPER_MODEL": ""}, {})
    assert settings.llm_url is None
    assert settings.whisper_model is None


def test_flags_override_the_environment() -> None:
    env = {"VOICE_PORT": "9000", "VOICE_MAX_SESSIONS": "8"}
    settings = from_sources(env, {"port": 9100, "threads": None})
    assert settings.port == 9100
    assert settings.max_sessions == 8
    assert settings.threads == 2  # a flag left unset (None) does not override


def test_bad_int_in_the_environment_names_the_variable() -> None:
    with pytest.raises(ConfigError, match="VOICE_PORT") as info:
        from_sources({"VOICE_PORT": "eighty"}, {})
    assert info.value.code == "bad_config"


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("port", 70000),
        ("port", -1),
        ("endpoint_silence_ms", 100),
        ("endpoint_silence_ms", 6000),
        ("max_sessions", 0),
        ("max_sessions", 65),
        ("threads", 0),
        ("llm_parallel", 17),
        ("log_level", "LOUD"),
        ("end_of_turn", "guess"),
    ],
)
def test_out_of_range_values_name_the_key(key: str, value: object) -> None:
    with pytest.raises(ConfigError, match=key):
        from_sources({}, {key: value})


def test_out_of_range_from_the_environment_names_the_key() -> None:
    with pytest.raises(ConfigError, match="max_sessions"):
        from_sources({"VOICE_MAX_SESSIONS": "100"}, {})


@pytest.mark.parametrize(
    "url", ["localhost:8080/v1", "ftp://example.org/v1", "http://", "127.0.0.1:8080"]
)
def test_bad_llm_url_is_rejected(url: str) -> None:
    with pytest.raises(ConfigError, match="llm_url"):
        from_sources({"VOICE_LLM_URL": url}, {})


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080/v1", "https://llm.local/v1"])
def test_good_llm_url_is_accepted(url: str) -> None:
    assert from_sources({}, {"llm_url": url}).llm_url == url


@pytest.mark.parametrize(
    ("raw", "value"),
    [("yes", True), ("1", True), ("ON", True), ("true", True), ("no", False), ("0", False)],
)
def test_log_content_flag_from_the_environment(raw: str, value: bool) -> None:
    assert from_sources({"VOICE_LOG_CONTENT": raw}, {}).log_content is value


def test_log_content_rejects_unclear_values() -> None:
    with pytest.raises(ConfigError, match="VOICE_LOG_CONTENT"):
        from_sources({"VOICE_LOG_CONTENT": "maybe"}, {})


def test_model_paths_must_exist(tmp_path: Path) -> None:
    present = tmp_path / "voice.onnx"
    present.write_bytes(b"onnx")
    assert from_sources({"VOICE_PIPER_VOICE": str(present)}, {}).piper_voice == present
    with pytest.raises(ConfigError, match="llm_model"):
        from_sources({}, {"llm_model": tmp_path / "absent.gguf"})


def test_settings_are_frozen() -> None:
    settings = from_sources({}, {})
    with pytest.raises(AttributeError):
        settings.port = 1  # type: ignore[misc]


@pytest.mark.parametrize("key", ["VOICE_DATA_DIR", "VOICE_CACHE_DIR"])
def test_empty_required_directory_is_rejected(key: str) -> None:
    with pytest.raises(ConfigError, match=key):
        from_sources({key: ""}, {})


def test_directories_expand_the_home_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert from_sources({"VOICE_DATA_DIR": "~/checkins"}, {}).data_dir == tmp_path / "checkins"


def test_end_of_turn_from_the_environment_and_the_flag() -> None:
    assert from_sources({}, {}).end_of_turn == "silence"
    assert from_sources({"VOICE_END_OF_TURN": "model"}, {}).end_of_turn == "model"
    assert from_sources({"VOICE_END_OF_TURN": "model"}, {"end_of_turn": "silence"}).end_of_turn == (
        "silence"
    )
