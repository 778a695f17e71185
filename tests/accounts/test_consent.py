"""Consent records on SQLite and PostgreSQL: nothing kept by default, granular, versioned,
revocable, and sharing only with therapists still linked."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from voice.accounts import NOTHING_KEPT, WORDING_VERSION, AccountStore, ConsentStore
from voice.db import open_database
from voice.errors import AccountError
from voice.protocol import Consent

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


@pytest.fixture
def stores(database_url: str) -> Iterator[tuple[AccountStore, ConsentStore]]:
    engine = open_database(database_url)
    accounts = AccountStore(engine)
    accounts.add_person("ana", NOW)
    accounts.add_person("ben", NOW)
    for therapist in ("dr-b", "dr-c"):
        accounts.add_therapist(therapist, "a long password", NOW)
    accounts.link("ana", "dr-b", NOW)
    yield accounts, ConsentStore(engine)
    engine.dispose()


def test_nothing_is_kept_until_the_person_chooses(
    stores: tuple[AccountStore, ConsentStore],
) -> None:
    _, consents = stores
    assert consents.in_force("ana") == NOTHING_KEPT
    assert not consents.in_force("ana").consent.keeps_anything
    assert consents.history("ana") == []
    with pytest.raises(AccountError):
        consents.in_force("nobody")


def test_a_choice_is_granular_versioned_and_replaced_by_the_next(
    stores: tuple[AccountStore, ConsentStore],
) -> None:
    _, consents = stores
    first = consents.record("ana", Consent(audio=False, transcript=True), NOW)
    assert first.consent == Consent(audio=False, transcript=True, share=())
    assert (first.version, first.agreed_at) == (WORDING_VERSION, NOW)
    later = NOW + timedelta(days=3)
    both = consents.record("ana", Consent(audio=True, transcript=True, share=("dr-b",)), later)
    assert both.consent == Consent(True, True, ("dr-b",))
    assert both.agreed_at == later
    withdrawn = consents.record("ana", Consent(), later + timedelta(hours=1))
    assert not withdrawn.consent.keeps_anything and withdrawn.consent.share == ()
    assert [h.consent for h in consents.history("ana")] == [
        Consent(False, True, ()),
        Consent(True, True, ("dr-b",)),
        Consent(False, False, ()),
    ]
    assert consents.in_force("ben") == NOTHING_KEPT  # one person's choice is theirs only


def test_sharing_only_with_linked_therapists_and_only_while_linked(
    stores: tuple[AccountStore, ConsentStore],
) -> None:
    accounts, consents = stores
    state = consents.record("ana", Consent(True, True, ("dr-b", "dr-c", "nobody")), NOW)
    assert state.consent.share == ("dr-b",)  # dr-c is not linked to ana; nobody is nobody
    accounts.unlink("ana", "dr-b")
    assert consents.in_force("ana").consent.share == ()  # unlinking ends sharing at once
    accounts.link("ana", "dr-b", NOW + timedelta(days=1))
    assert consents.in_force("ana").consent.share == ()  # a new link needs a new choice
    again = consents.record("ana", Consent(True, True, ("dr-b",)), NOW + timedelta(days=2))
    assert again.consent.share == ("dr-b",)
