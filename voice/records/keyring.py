"""Each person's data key: made when something of theirs is first kept, wrapped by the root
key, and kept as one 0600 file per person in the key folder (in the config directory, never
in the data directory). Erase deletes that file, so a backup of the data directory taken
before can never be decrypted again: the only copy of the key is gone."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from voice.db.schema import Person
from voice.errors import StorageError, VaultError
from voice.vault import RootKey, new_data_key, unwrap_data_key, wrap_data_key

KEYS_FOLDER = "keys"


class Keyring:
    """Data keys, unwrapped on use (never cached: an erase takes effect at once)."""

    def __init__(self, root: RootKey, folder: Path) -> None:
        self.root = root
        self.folder = folder

    @staticmethod
    def person_id(db: Session, name: str) -> int:
        """The id of the person called ``name``; ``VaultError`` if there is none."""
        found = db.scalar(select(Person.id).where(Person.name == name))
        if found is None:
            raise VaultError("no such person", code="not_found")
        return int(found)

    def _path(self, person_id: int) -> Path:
        return self.folder / f"person-{person_id}.key"

    def key(self, person_id: int) -> bytes | None:
        """The person's data key, or ``None`` when none was made (or it was erased)."""
        try:
            wrapped = self._path(person_id).read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise VaultError("a data key cannot be read", code="no_key") from exc
        return unwrap_data_key(self.root, wrapped, person_id)

    def key_or_new(self, person_id: int) -> bytes:
        """The person's data key, made and written (0600, synced) if new."""
        found = self.key(person_id)
        if found is not None:
            return found
        made = new_data_key()
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            fd = os.open(self._path(person_id), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another server made it a moment ago
            return self.key_or_new(person_id)
        except OSError as exc:
            raise StorageError("a data key cannot be written") from exc
        with os.fdopen(fd, "wb") as out:
            out.write(wrap_data_key(self.root, made, person_id))
            out.flush()
            os.fsync(out.fileno())
        self._sync_folder()
        return made

    def destroy(self, person_id: int) -> None:
        """Delete the person's key for good."""
        with contextlib.suppress(FileNotFoundError):
            self._path(person_id).unlink()
        self._sync_folder()

    def _sync_folder(self) -> None:
        fd = os.open(self.folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
