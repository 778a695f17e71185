"""A full disk is recognised whatever says it: the OS, SQLite or PostgreSQL."""

from __future__ import annotations

import errno
import sqlite3

import pytest
from sqlalchemy.exc import OperationalError

from voice.errors import StorageError
from voice.records.storage_errors import StorageFull, is_full, storage_guard


class _PgDiskFull(Exception):
    sqlstate = "53100"


@pytest.mark.parametrize(
    "exc",
    [
        OSError(errno.ENOSPC, "No space left on device"),
        OperationalError("INSERT", {}, sqlite3.OperationalError("database or disk is full")),
        OperationalError("INSERT", {}, _PgDiskFull("could not extend file")),
    ],
)
def test_a_full_disk_is_storage_full(exc: BaseException) -> None:
    assert is_full(exc)
    with pytest.raises(StorageFull) as raised, storage_guard():
        raise exc
    assert raised.value.code == "storage_full"
    assert "INSERT" not in raised.value.message  # no statement, no content


def test_other_failures_are_storage_errors_that_name_nothing() -> None:
    failure = OperationalError("SELECT secret", {"x": "words"}, sqlite3.OperationalError("locked"))
    assert not is_full(failure) and not is_full(OSError(errno.EIO, "I/O error"))
    with pytest.raises(StorageError) as raised, storage_guard():
        raise failure
    assert not isinstance(raised.value, StorageFull)
    assert "secret" not in raised.value.message and "words" not in raised.value.message
