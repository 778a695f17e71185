"""A person's voice baseline kept as a sealed document: read whenever they check in, written
only while they consent to keeping their words, answers and cues (the baseline is made of
their cues). Without that consent a session compares with what was kept, and keeps nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from voice.accounts.consent import ConsentStore
from voice.errors import ProsodyError, VaultError
from voice.prosody.baseline import Baseline
from voice.records.documents import BASELINE, Documents


class SealedBaselines:
    """A ``BaselineKeeper`` over the records (blocking: call from a worker thread)."""

    def __init__(
        self,
        documents: Documents,
        consents: ConsentStore,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._documents = documents
        self._consents = consents
        self._now = now

    def load(self, user: str) -> Baseline:
        """The kept baseline, or an empty one."""
        try:
            data = self._documents.read(user, BASELINE)
        except VaultError as exc:
            raise ProsodyError("the stored baseline could not be read") from exc
        return Baseline() if data is None else Baseline.from_json(data)

    def save(self, user: str, baseline: Baseline) -> None:
        """Keep ``baseline`` if the person consents to keeping cues now."""
        if self._consents.in_force(user).consent.transcript:
            self._documents.write(user, BASELINE, baseline.to_json(), self._now())
