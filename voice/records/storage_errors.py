"""Turning a database's "disk is full" into one error the server can act on (stop
acknowledging, tell the client once, keep talking), whatever the backend says."""

from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import OperationalError, SQLAlchemyError

from voice.errors import StorageError

_FULL_WORDS = ("database or disk is full", "no space left on device", "disk full")


class StorageFull(StorageError):
    """There is no room to store more."""

    code = "storage_full"


def is_full(exc: BaseException) -> bool:
    """True when ``exc`` says the disk (or the database's allowance) is full."""
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return True
    if isinstance(exc, OperationalError):
        orig = exc.orig
        if getattr(orig, "sqlstate", None) == "53100":  # PostgreSQL's disk_full
            return True
        return any(word in str(orig).lower() for word in _FULL_WORDS)
    return False


@contextmanager
def storage_guard() -> Iterator[None]:
    """Raise ``StorageFull`` for a full disk and ``StorageError`` for any other database
    failure (the message names no content)."""
    try:
        yield
    except (OSError, SQLAlchemyError) as exc:
        if is_full(exc):
            raise StorageFull("there is no room left to store this check-in") from exc
        raise StorageError("the check-in could not be stored") from exc
