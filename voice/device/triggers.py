"""What starts (and ends) a check-in besides the clock: a key, a GPIO button, a signal.

Every source presses the same ``Button``: a key on the terminal the device runs in (when
it has one), a push button on a GPIO line through ``gpiozero`` (where it is installed: a
Raspberry Pi), and ``SIGUSR1`` (``systemctl kill -s USR1 voice-device``, or a Home
Assistant automation over SSH). A press while idle starts a check-in; during one, it ends
it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
import termios
import tty
from collections.abc import Iterator
from typing import Any

from voice.errors import ConfigError

_LOGGER = logging.getLogger(__name__)

KEYS = {"space": " ", "enter": "\n"}


class Button:
    """Presses from any source, on the event loop."""

    def __init__(self) -> None:
        self.pressed = asyncio.Event()
        self._loop = asyncio.get_running_loop()

    def press(self) -> None:
        """Press it (from any thread)."""
        self._loop.call_soon_threadsafe(self.pressed.set)

    async def wait(self, timeout_s: float) -> bool:
        """Whether it was pressed within ``timeout_s``; the press is used up."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.pressed.wait(), timeout_s)
        pressed = self.pressed.is_set()
        self.pressed.clear()
        return pressed


def key_char(name: str) -> str:
    """``space``, ``enter`` or one printable character."""
    if name in KEYS:
        return KEYS[name]
    if len(name) == 1 and name.isprintable():
        return name
    raise ConfigError("--key must be 'space', 'enter', 'none' or a single character")


@contextlib.contextmanager
def keyboard(button: Button, key: str) -> Iterator[bool]:
    """Press ``button`` on ``key`` typed at the terminal; yields False (and does nothing)
    when standard input is not a terminal (a service)."""
    if not sys.stdin.isatty():
        yield False
        return
    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    tty.setcbreak(fd)
    loop = asyncio.get_running_loop()

    def typed() -> None:
        if sys.stdin.read(1) == key:
            button.press()

    loop.add_reader(fd, typed)
    try:
        yield True
    finally:
        loop.remove_reader(fd)
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


@contextlib.contextmanager
def gpio_button(button: Button, pin: int | None) -> Iterator[bool]:
    """Press ``button`` from a push button wired to GPIO ``pin`` (to ground); yields
    whether one is wired up."""
    if pin is None:
        yield False
        return
    try:
        from gpiozero import Button as GpioButton

        wired: Any = GpioButton(pin)
    except Exception as exc:  # no gpiozero, no GPIO chip, pin busy
        raise ConfigError(
            f"GPIO {pin} cannot be used ({type(exc).__name__}); install gpiozero on the "
            "device, or use --key"
        ) from exc
    wired.when_pressed = button.press
    try:
        yield True
    finally:
        wired.close()


@contextlib.contextmanager
def usr1(button: Button) -> Iterator[None]:
    """Press ``button`` on ``SIGUSR1``."""
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGUSR1, button.press)
    try:
        yield
    finally:
        loop.remove_signal_handler(signal.SIGUSR1)
