"""The account store on a real SQLite file and a real PostgreSQL server: people, tokens,
therapists, links, sessions."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from voice.accounts import AccountStore
from voice.db import open_database
from voice.errors import AccountError

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


@pytest.fixture
def store(database_url: str) -> Iterator[AccountStore]:
    engine = open_database(database_url)
    yield AccountStore(engine)
    engine.dispose()


def test_a_new_store_has_no_accounts(store: AccountStore) -> None:
    assert not store.has_accounts()
    assert store.people() == []
    assert store.therapists() == []


def test_person_token_works_until_rotated_or_revoked(store: AccountStore) -> None:
    token = store.add_person("ana", NOW)
    assert store.has_accounts()
    assert store.person_for_token(token) == "ana"
    assert store.person_for_token(token[:-1]) is None
    assert store.person_for_token("") is None

    rotated = store.rotate_token("ana", NOW + timedelta(days=1))
    assert rotated != token
    assert store.person_for_token(token) is None
    assert store.person_for_token(rotated) == "ana"
    (info,) = store.people()
    assert info.token_issued_at == NOW + timedelta(days=1)

    store.revoke_person("ana", NOW + timedelta(days=2))
    assert store.person_for_token(rotated) is None
    (info,) = store.people()
    assert info.revoked
    with pytest.raises(AccountError):
        store.rotate_token("ana", NOW)
    with pytest.raises(AccountError, match="never reused"):
        store.add_person("ana", NOW)


def test_tokens_and_passwords_never_reach_the_file(tmp_path: Path) -> None:
    store = AccountStore(open_database(f"sqlite:///{tmp_path / 'voice.db'}"))
    token = store.add_person("ana", NOW)
    store.add_therapist("dr-b", "a secret phrase 42", NOW)
    web = store.sign_in("dr-b", "a secret phrase 42", NOW)
    assert web is not None
    data = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("voice.db"))
    assert b"ana" in data  # the file is what we read: names are there
    for secret in (token, web, "a secret phrase 42"):
        assert secret.encode() not in data


def test_names_are_checked(store: AccountStore) -> None:
    for bad in ("", "-ana", "ana smith", "x" * 65, "ánа"):
        with pytest.raises(AccountError):
            store.add_person(bad, NOW)
    with pytest.raises(AccountError, match="at least"):
        store.add_therapist("dr-b", "short", NOW)


def test_links(store: AccountStore) -> None:
    store.add_person("ana", NOW)
    store.add_person("ben", NOW)
    store.add_therapist("dr-b", "a long password", NOW)
    assert store.link("ana", "dr-b", NOW)
    assert not store.link("ana", "dr-b", NOW)
    assert [(p.name, p.therapists) for p in store.people()] == [("ana", ("dr-b",)), ("ben", ())]
    assert [(t.name, t.people) for t in store.therapists()] == [("dr-b", ("ana",))]
    assert store.unlink("ana", "dr-b")
    assert not store.unlink("ana", "dr-b")
    with pytest.raises(AccountError):
        store.link("nobody", "dr-b", NOW)
    with pytest.raises(AccountError):
        store.link("ana", "nobody", NOW)


def test_web_sessions_expire_and_sign_out(store: AccountStore) -> None:
    store.add_therapist("dr-b", "a long password", NOW)
    assert store.sign_in("dr-b", "wrong password!", NOW) is None
    assert store.sign_in("nobody", "a long password", NOW) is None
    token = store.sign_in("dr-b", "a long password", NOW, timedelta(hours=1))
    assert token is not None
    assert store.therapist_for_session(token, NOW + timedelta(minutes=59)) == "dr-b"
    assert store.therapist_for_session(token, NOW + timedelta(minutes=60)) is None
    other = store.sign_in("dr-b", "a long password", NOW + timedelta(hours=2))
    assert other is not None
    assert store.web_session_count() == 1  # the expired one was cleared on sign-in
    store.sign_out(other)
    assert store.therapist_for_session(other, NOW + timedelta(hours=2)) is None
    assert store.web_session_count() == 0
