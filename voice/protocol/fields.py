"""Strict, typed readers for the fields of one decoded JSON object.

Every failure is a ``ProtocolError`` whose message names the field and the expected
shape, but never quotes the received value: it may be long, or someone's words.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from voice.errors import ProtocolError

BAD_MESSAGE = "bad_message"


class Fields:
    """Reads typed fields from one JSON object; a missing field and ``null`` mean absent."""

    __slots__ = ("_data", "_label", "_prefix")

    def __init__(self, data: Mapping[str, object], label: str, prefix: str = "") -> None:
        self._data = data
        self._label = label
        self._prefix = prefix

    @classmethod
    def for_message(cls, data: Mapping[str, object], message_type: str) -> Fields:
        """Reader for a message object; a ``type`` field, when present, must match."""
        reader = cls(data, message_type)
        found = data.get("type", message_type)
        if found != message_type:
            raise reader.error("type", f"must be '{message_type}'")
        return reader

    def nested(self, name: str) -> Fields:
        """Reader for the required JSON object in field ``name``."""
        value = self._required(name)
        if not isinstance(value, Mapping):
            raise self.error(name, "must be a JSON object")
        return Fields(value, self._label, f"{self._prefix}{name}.")

    def error(self, name: str, problem: str, *, code: str = BAD_MESSAGE) -> ProtocolError:
        """Build (not raise) the error for field ``name`` failing ``problem``."""
        return ProtocolError(f"{self._label}: field '{self._prefix}{name}' {problem}", code=code)

    def integer(
        self, name: str, *, min_value: int | None = None, max_value: int | None = None
    ) -> int:
        """Required integer in ``[min_value, max_value]``; booleans and floats are rejected."""
        return self._check_integer(name, self._required(name), min_value, max_value)

    def optional_integer(
        self, name: str, *, min_value: int | None = None, max_value: int | None = None
    ) -> int | None:
        """Like ``integer`` but absent or ``null`` gives ``None``."""
        value = self._data.get(name)
        if value is None:
            return None
        return self._check_integer(name, value, min_value, max_value)

    def string(self, name: str) -> str:
        """Required string (may be empty)."""
        value = self._required(name)
        if not isinstance(value, str):
            raise self.error(name, "must be a string")
        return value

    def optional_string(self, name: str) -> str | None:
        """Optional string; absent or ``null`` gives ``None``."""
        value = self._data.get(name)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.error(name, "must be a string")
        return value

    def optional_nested(self, name: str) -> Fields | None:
        """Reader for an optional JSON object; absent or ``null`` gives ``None``."""
        if self._data.get(name) is None:
            return None
        return self.nested(name)

    def optional_string_list(self, name: str, *, max_items: int) -> list[str]:
        """A JSON array of at most ``max_items`` strings; absent or ``null`` gives ``[]``."""
        value = self._data.get(name)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(name, "must be a JSON array of strings")
        if len(value) > max_items:
            raise self.error(name, f"must hold at most {max_items} items")
        return list(value)

    def boolean(self, name: str) -> bool:
        """Required ``true`` or ``false``; 0 and 1 are rejected."""
        value = self._required(name)
        if not isinstance(value, bool):
            raise self.error(name, "must be true or false")
        return value

    def optional_boolean(self, name: str) -> bool | None:
        """A JSON boolean, or ``None`` when absent or null."""
        if self._data.get(name) is None:
            return None
        return self.boolean(name)

    def answer_map(self, name: str) -> dict[str, float | str | None]:
        """Required JSON object whose values are finite numbers, strings or ``null``."""
        out: dict[str, float | str | None] = {}
        for key, value in self._map(name).items():
            if value is None or isinstance(value, str):
                out[key] = value
                continue
            number = _finite(value)
            if number is None:
                raise self.error(name, "must map names to numbers, strings or null")
            out[key] = number
        return out

    def number(self, name: str, *, min_value: float, max_value: float) -> float:
        """Required finite number (integer or not) in ``[min_value, max_value]``."""
        value = self._required(name)
        number = _finite(value)
        if number is None:
            raise self.error(name, "must be a finite number")
        if not min_value <= number <= max_value:
            raise self.error(name, f"must be between {min_value:g} and {max_value:g}")
        return number

    def number_map(self, name: str) -> dict[str, float]:
        """Required JSON object whose values are all finite numbers (keys are not quoted
        back in errors: they are input too)."""
        out: dict[str, float] = {}
        for key, value in self._map(name).items():
            number = _finite(value)
            if number is None:
                raise self.error(name, "must map names to finite numbers")
            out[key] = number
        return out

    def optional_number_map(self, name: str) -> dict[str, float | None]:
        """Required JSON object whose values are finite numbers or ``null``."""
        out: dict[str, float | None] = {}
        for key, value in self._map(name).items():
            number = _finite(value)
            if number is None and value is not None:
                raise self.error(name, "must map names to finite numbers or null")
            out[key] = number
        return out

    def string_map_list(self, name: str) -> list[dict[str, str]]:
        """Required JSON array of objects whose values are all strings."""
        value = self._required(name)
        if not isinstance(value, list):
            raise self.error(name, "must be a JSON array")
        out: list[dict[str, str]] = []
        for item in value:
            if not isinstance(item, Mapping) or not all(isinstance(v, str) for v in item.values()):
                raise self.error(name, "must hold objects of strings")
            out.append({str(k): str(v) for k, v in item.items()})
        return out

    def optional_string_map_list(self, name: str) -> list[dict[str, str]]:
        """Like ``string_map_list`` but absent or ``null`` gives ``[]``."""
        if self._data.get(name) is None:
            return []
        return self.string_map_list(name)

    def optional_duration_ms(self, name: str) -> float | None:
        """A finite, non-negative number of milliseconds, or ``None`` when absent or null."""
        value = self._data.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(name, "must be a number or null")
        number = float(value)
        if not math.isfinite(number) or number < 0:
            raise self.error(name, "must be a finite number >= 0")
        return number

    def _map(self, name: str) -> Mapping[str, object]:
        value = self._required(name)
        if not isinstance(value, Mapping):
            raise self.error(name, "must be a JSON object")
        return value

    def _required(self, name: str) -> object:
        if name not in self._data:
            raise ProtocolError(f"{self._label}: missing field '{self._prefix}{name}'")
        return self._data[name]

    def _check_integer(
        self, name: str, value: object, min_value: int | None, max_value: int | None
    ) -> int:
        # bool is a subclass of int, and `true` must not pass for 1.
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(name, "must be an integer")
        if min_value is not None and max_value is not None:
            if not min_value <= value <= max_value:
                raise self.error(name, f"must be between {min_value} and {max_value}")
        elif min_value is not None and value < min_value:
            raise self.error(name, f"must be >= {min_value}")
        elif max_value is not None and value > max_value:
            raise self.error(name, f"must be <= {max_value}")
        return value


def _finite(value: object) -> float | None:
    """``value`` as a float if it is a finite JSON number (not a boolean), else ``None``."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:  # an integer with hundreds of digits
        return None
    return number if math.isfinite(number) else None
