"""Unlocking the root key at start-up (``unlock``) and creating it once (``voice init``,
``initialise``). The key is a 0600 file in the config directory, or derived with Argon2id
from ``VOICE_PASSPHRASE`` and a salt kept in the database. A value sealed by the key is kept
in the database too, so a wrong key or passphrase stops start-up instead of sealing new data
that nothing else could open. There is no way to run without a key."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from voice.db.records import VaultCheck
from voice.errors import VaultError
from voice.vault import Place, RootKey, create_root_key_file, read_root_key_file, seal, unseal
from voice.vault.keys import new_salt, root_key_from_passphrase

KEY_FILE = "root.key"
_CHECK_PLACE = Place("vault", "1", "check_value")
_CHECK_TEXT = b"voice root key check v1"


def key_path(config_dir: Path) -> Path:
    """Where the root key file lives."""
    return config_dir / KEY_FILE


def initialise(engine: Engine, config_dir: Path, passphrase: str | None, now: datetime) -> str:
    """Create the root key (a new file, or a salt for ``passphrase``) unless one exists, and
    bind the database to it. Returns what was done, in a sentence."""
    with Session(engine) as db, db.begin():
        check = db.get(VaultCheck, 1)
        if check is not None:
            unlock_with(check, config_dir, passphrase)  # the key present must fit
            return "this database already has its root key; nothing changed"
        if passphrase is not None:
            salt = new_salt()
            root = root_key_from_passphrase(passphrase, salt)
            done = "the root key comes from VOICE_PASSPHRASE (it cannot be recovered if lost)"
        else:
            salt = None
            path = key_path(config_dir)
            root = read_root_key_file(path) if path.exists() else create_root_key_file(path)
            done = f"the root key is {path} (back it up apart from the data)"
        db.add(
            VaultCheck(
                id=1,
                check_value=seal(root.key, _CHECK_TEXT, _CHECK_PLACE),
                passphrase_salt=salt,
                created_at=now,
            )
        )
    return done


def unlock(engine: Engine, config_dir: Path, passphrase: str | None) -> RootKey:
    """The root key for this database; ``VaultError`` saying what to do when it is missing
    or does not fit."""
    with Session(engine) as db:
        check = db.scalar(select(VaultCheck).where(VaultCheck.id == 1))
    if check is None:
        raise VaultError("there is no root key yet: run 'voice init' first", code="no_key")
    return unlock_with(check, config_dir, passphrase)


def unlock_with(check: VaultCheck, config_dir: Path, passphrase: str | None) -> RootKey:
    """The root key that opens ``check``."""
    if check.passphrase_salt is not None:
        if passphrase is None:
            raise VaultError(
                "this data is sealed with a passphrase: set VOICE_PASSPHRASE", code="no_key"
            )
        root = root_key_from_passphrase(passphrase, check.passphrase_salt)
    else:
        if passphrase is not None:
            raise VaultError(
                "this data is sealed with a key file, not a passphrase: unset VOICE_PASSPHRASE",
                code="no_key",
            )
        root = read_root_key_file(key_path(config_dir))
    try:
        unseal(root.key, check.check_value, _CHECK_PLACE)
    except VaultError:
        raise VaultError(
            "the root key does not fit this database (another key file or passphrase)",
            code="wrong_key",
        ) from None
    return root
