"""Chat model adapter running a GGUF model in-process with xllamacpp (llama.cpp's server)."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import queue
import secrets
import threading
from collections.abc import Callable, Generator, Sequence
from pathlib import Path
from typing import Any

import httpx
import xllamacpp

from voice.dialogue.chat import ChatMessage
from voice.engines.llm_wire import Timings, parse_chunk, request_body
from voice.errors import ChatError, ModelError

logger = logging.getLogger(__name__)

_DONE = object()


class LlamaChatModel:
    """A ``ChatModel`` over one llama.cpp model, loaded once and shared by all sessions.

    Up to ``n_parallel`` replies are decoded together (continuous batching, one slot
    each); further requests wait for a free slot. ``n_ctx`` is the context window of
    one slot. Prompt caching is on, so an unchanged system prompt is not re-evaluated.
    With ``slot_dir``, ``prime`` keeps the primed prompt's state there, to restore it into
    every slot at once (on this start and the next). Call ``close()`` to release the model.
    """

    def __init__(
        self,
        model_path: Path,
        *,
        n_threads: int = 2,
        n_ctx: int = 2048,
        n_parallel: int = 2,
        slot_dir: Path | None = None,
    ) -> None:
        if not model_path.is_file():
            raise ModelError("the language model file is missing")
        self.model_path = model_path
        params = xllamacpp.CommonParams()
        params.model.path = str(model_path)
        params.n_parallel = n_parallel
        params.n_ctx = n_ctx * n_parallel  # the KV cache is split evenly between slots
        params.cpuparams.n_threads = n_threads
        params.cpuparams_batch.n_threads = n_threads
        # Threads wait asleep, not spinning (poll 0): on two cores a spinning decoder
        # starves Whisper and Piper, which the person waits on as much.
        params.cpuparams.poll = 0
        params.cpuparams_batch.poll = 0
        params.cache_prompt = True
        # Reuse cached chunks of 64+ tokens that moved (earlier exchanges left the prompt,
        # voice.dialogue.prompt.history_window) by shifting them, instead of reading the
        # rest of the conversation again.
        params.n_cache_reuse = 64
        # Read the weights into memory instead of mapping the file: llama.cpp repacks
        # most of them for the CPU, and with a mapping the original pages stay resident
        # too (measured: 1.9 GB resident with a mapping, 1.3 GB without, same speed).
        params.load_mode = xllamacpp.llama_load_mode.LLAMA_LOAD_MODE_NONE
        # Host-memory prompt cache for slots that switch between sessions (default 8 GiB).
        params.cache_ram_mib = 256
        # llama.cpp logs at or below this level; 0 silences it, prompts included.
        params.verbosity = 0
        # The server also listens on a loopback port; lock it so no local process can
        # read cached conversations through it. Our in-process calls bypass the key.
        params.hostnames = ["127.0.0.1"]
        params.port = 0
        self._key = secrets.token_urlsafe(32)
        params.api_keys = [self._key]
        # Saving and restoring a slot's state goes through this (keyed) endpoint, and only
        # to files in slot_dir; without one the endpoint stays off.
        params.endpoint_slots = slot_dir is not None
        if slot_dir is not None:
            slot_dir.mkdir(parents=True, exist_ok=True)
            # llama.cpp joins this and a file's name as strings: the separator is ours to add.
            params.slot_save_path = f"{slot_dir}{os.sep}"
        self._slot_dir = slot_dir
        self._n_parallel = n_parallel
        size = model_path.stat().st_size
        self._state_key = f"{model_path.name}:{size}:{n_ctx}:{xllamacpp.__version__}"
        params.endpoint_props = False
        params.ui = False
        params.endpoint_metrics = True  # for the start-up handshake below
        try:
            self._server: Any = xllamacpp.Server(params)
            # The constructor returns before the task loop runs, and a stop sent then is
            # lost (close() would hang). A metrics request is answered by that loop.
            self._server.handle_metrics()
        except Exception as exc:
            raise ModelError("the language model failed to load") from exc
        self._lock = threading.Lock()
        self._workers: set[threading.Thread] = set()
        self._closing = threading.Event()
        logger.info("language model loaded: slots=%d ctx_per_slot=%d", n_parallel, n_ctx)

    @property
    def active_streams(self) -> int:
        """How many replies are still being generated (cancelled ones until they stop)."""
        with self._lock:
            return len(self._workers)

    def stream(
        self, messages: Sequence[ChatMessage], *, max_tokens: int, temperature: float
    ) -> Generator[str, None, None]:
        """Yield text pieces of the reply; closing the iterator stops generation."""
        request = request_body(
            messages, max_tokens=max_tokens, temperature=temperature, cache_prompt=True
        )
        return self._generate(request)

    def _generate(self, request: str) -> Generator[str, None, None]:
        events: queue.SimpleQueue[object] = queue.SimpleQueue()
        stop = threading.Event()

        def on_event(data: str) -> bool:
            # Runs on the worker thread for each server-sent event; True cancels the task.
            # Also cancel when the interpreter exits: the worker is not a daemon, because
            # a daemon thread killed inside llama.cpp aborts the process.
            if stop.is_set() or self._closing.is_set() or not threading.main_thread().is_alive():
                return True
            events.put(data)
            return False

        with self._lock:
            if self._server is None:
                raise ChatError("the language model is closed")
            # Only the worker holds the server, so close() frees it once workers finish.
            # Not a daemon, said explicitly: a thread inherits its creator's flag, and a
            # server run on a daemon thread (as the tests do) would pass it on.
            worker = threading.Thread(
                target=self._work,
                args=(self._server, request, on_event, events),
                name="llm",
                daemon=False,
            )
            self._workers.add(worker)
            worker.start()
        try:
            while (item := events.get()) is not _DONE:
                if isinstance(item, BaseException):
                    raise ChatError("the language model failed") from item
                chunk = parse_chunk(str(item))
                if chunk.timings is not None:
                    _log_timings(chunk.timings)
                if chunk.text:
                    yield chunk.text
            if self._closing.is_set():
                raise ChatError("the language model was closed during a reply")
        finally:
            stop.set()  # the worker cancels the task at the next event and frees the slot

    def _work(
        self,
        server: Any,
        request: str,
        on_event: Callable[[str], bool],
        events: queue.SimpleQueue[object],
    ) -> None:
        try:
            server.handle_chat_completions(request, on_event)
        except Exception as exc:  # handed to the consumer, which raises ChatError
            events.put(exc)
        finally:
            with self._lock:
                self._workers.discard(threading.current_thread())
            events.put(_DONE)

    def prime(self, messages: Sequence[ChatMessage]) -> str:
        """Fill every slot's cache with ``messages`` (the fixed system prompt and a short
        turn), so no person's turn pays for it; returns how: ``restored`` (the state saved
        by an earlier start, copied into every slot in milliseconds), ``primed`` (one slot
        computed, saved, and copied into the others) or ``computed`` (each slot in turn,
        without a ``slot_dir`` or when saving or restoring fails)."""
        saved = self.state_file(messages)
        if saved is not None:
            name = saved.name
            try:
                if saved.is_file():
                    self._restore(name, range(self._n_parallel))
                    return "restored"
            except (httpx.HTTPError, ValueError, ChatError) as exc:
                logger.warning("saved prompt state not restored (%s)", type(exc).__name__)
            try:
                self._compute(messages, slot=0)
                # Another server sharing the cache may be saving the same state now.
                partial = f"{name}.{os.getpid()}-{secrets.token_hex(4)}.part"
                self._slot_action(0, "save", partial)
                os.replace(saved.with_name(partial), saved)
                self._restore(name, range(1, self._n_parallel))
                return "primed"
            except (httpx.HTTPError, ValueError, ChatError, OSError) as exc:
                logger.warning("prompt state not saved (%s)", type(exc).__name__)
        for slot in range(self._n_parallel):
            self._compute(messages, slot=slot)
        return "computed"

    def state_file(self, messages: Sequence[ChatMessage]) -> Path | None:
        """Where ``prime`` keeps the state of ``messages`` (None without a ``slot_dir``): a
        name for this model file, context size, llama.cpp build and these exact messages."""
        if self._slot_dir is None:
            return None
        key = json.dumps([self._state_key, [(m.role.value, m.content) for m in messages]])
        return self._slot_dir / f"prompt-{hashlib.sha256(key.encode()).hexdigest()[:24]}.bin"

    def _compute(self, messages: Sequence[ChatMessage], *, slot: int) -> None:
        """One token of a reply on ``slot``: its cache then holds ``messages``."""
        body = request_body(
            messages, max_tokens=1, temperature=0.0, cache_prompt=True, id_slot=slot
        )
        for _ in self._generate(body):
            pass

    def _restore(self, name: str, slots: range) -> None:
        for slot in slots:
            self._slot_action(slot, "restore", name)

    def _slot_action(self, slot: int, action: str, filename: str) -> None:
        """Save or restore one slot's state through the server's keyed loopback endpoint."""
        with self._lock:
            if self._server is None:
                raise ChatError("the language model is closed")
            address = self._server.listening_address
        answer = httpx.post(
            f"{address}/slots/{slot}",
            params={"action": action},
            json={"filename": filename},
            headers={"Authorization": f"Bearer {self._key}"},
            timeout=30.0,
        )
        answer.raise_for_status()
        done = answer.json()
        if not isinstance(done, dict) or not done.get(
            "n_saved" if action == "save" else "n_restored"
        ):
            raise ChatError(f"the language model's slot {action} did nothing")

    def close(self, timeout_s: float = 5.0) -> None:
        """Cancel running replies and release the model; ``stream`` fails afterwards."""
        self._closing.set()
        with self._lock:
            workers = list(self._workers)
            self._server = None
        for worker in workers:
            worker.join(timeout_s)


def _log_timings(timings: Timings) -> None:
    """Log llama.cpp's speed report for one reply (counts and rates only)."""
    logger.info(
        "llm reply: prompt_tokens=%d cached_tokens=%d prompt_ms=%.0f tokens=%d tokens_per_s=%.1f",
        timings.prompt_tokens,
        timings.cached_tokens,
        timings.prompt_ms,
        timings.tokens,
        timings.tokens_per_s,
    )
