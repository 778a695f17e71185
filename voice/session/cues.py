"""The prosody cues of one session: which baseline a turn is compared with, and keeping it.

With a ``user`` in hello and a store, turns are compared with the person's stored
baseline, loaded at the first spoken turn and saved after each one; otherwise with this
session's earlier turns only, and nothing is kept. File work runs on the prosody worker.
"""

from __future__ import annotations

import asyncio
import logging

from voice.engines.workers import Engines
from voice.errors import ProsodyError, VoiceError
from voice.prosody.baseline import Baseline, BaselineKeeper
from voice.prosody.cues import compare
from voice.prosody.measure import ProsodyFeatures
from voice.protocol import BaselineScope, Cues

_LOGGER = logging.getLogger(__name__)


class SessionCues:
    """Call ``cues_for`` for each spoken turn, in order; ``close`` when the session ends."""

    def __init__(self, engines: Engines, user: str | None, store: BaselineKeeper | None) -> None:
        self._engines = engines
        self._user = user
        self._store = store if user is not None else None
        self._baseline: Baseline | None = None
        self._loading: asyncio.Task[Baseline] | None = None
        self._saves: set[asyncio.Task[None]] = set()

    @property
    def scope(self) -> BaselineScope:
        """Whose turns the comparison rests on."""
        return BaselineScope.USER if self._store is not None else BaselineScope.SESSION

    async def cues_for(self, turn: int, features: ProsodyFeatures) -> Cues:
        """The ``cues`` message of a turn; the turn then joins the baseline."""
        baseline = await self._current()
        cues = compare(features, baseline, self._engines.cue_model)
        self._baseline = baseline.add(features)
        if self._store is not None:
            self._save(self._store, self._baseline)
        return Cues(
            turn=turn,
            features=features.to_json(),
            relative=dict(cues.relative),
            activation=cues.activation,
            confidence=cues.confidence,
            baseline_turns=cues.baseline_turns,
            baseline_scope=self.scope,
            summary=cues.summary,
        )

    async def summary_for(self, features: ProsodyFeatures) -> str:
        """The summary ``cues_for`` would give a turn now, changing nothing (for a reply
        begun before the turn is over)."""
        return compare(features, await self._current(), self._engines.cue_model).summary

    async def close(self) -> None:
        """Stop a baseline load nobody waits for any more, and wait for the baseline writes
        (they are never cancelled: the last turn counts)."""
        if self._loading is not None and not self._loading.done():
            self._loading.cancel()
        await asyncio.gather(*list(self._saves), return_exceptions=True)

    async def _current(self) -> Baseline:
        if self._baseline is None:
            if self._loading is None:  # two turns may ask at once; load only once
                self._loading = asyncio.ensure_future(self._load())
            loaded = await self._loading
            if self._baseline is None:
                self._baseline = loaded
        return self._baseline

    async def _load(self) -> Baseline:
        store, user = self._store, self._user
        if store is None or user is None:
            return Baseline()
        try:
            return await self._engines.on_prosody_worker(lambda: store.load(user))
        except ProsodyError as exc:
            # Never overwrite what could not be read: this session stands alone.
            _LOGGER.warning("stored baseline unreadable (%s); using this session only", exc.code)
            self._store = None
            return Baseline()

    def _save(self, store: BaselineKeeper, baseline: Baseline) -> None:
        user = self._user
        assert user is not None

        async def save() -> None:
            try:
                await self._engines.on_prosody_worker(lambda: store.save(user, baseline))
            except (OSError, VoiceError) as exc:
                _LOGGER.warning("could not store the baseline (%s)", type(exc).__name__)

        task = asyncio.ensure_future(save())
        self._saves.add(task)
        task.add_done_callback(self._saves.discard)
