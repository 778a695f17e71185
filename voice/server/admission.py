"""Who may start a check-in session, and when: the checks a websocket passes before its
session begins (pure where it can be; the connection runs them in order).

Before ``accept``: the Host, the Origin and, without accounts, that the client is local
(``admit``). After a valid hello: the token (``authenticate``). Then ``refuse`` says why a
session cannot start now, if it cannot: the models are still loading, the account or
address is cooling down after too-fast audio, replies are coming too late (the load
gauge), or no session slot is free; otherwise a slot is taken.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from starlette.websockets import WebSocket

from voice.protocol import ErrorCode, Hello
from voice.server.edge import is_local_client
from voice.server.state import ServerState

_LOGGER = logging.getLogger(__name__)

CLOSE_NORMAL = 1000
CLOSE_POLICY = 1008
CLOSE_TOO_BIG = 1009
CLOSE_INTERNAL = 1011
CLOSE_TRY_LATER = 1013

_REFUSED = {
    "total": "too many check-ins right now",
    "account": "too many check-ins for this person at once",
    "address": "too many check-ins from this network at once",
}
Refusal = tuple[ErrorCode, str, int]
"""The error code, the plain message and the close code of a session refused at hello."""
_TOO_BUSY = "replies are slow right now; please try again in a minute"
_COOLING_DOWN = "audio came too fast a moment ago; wait a minute before connecting again"


@dataclass(frozen=True, slots=True)
class Admission:
    """How a connection was let in: whether it must authenticate, and the address its
    sessions count against (``None`` for a local client)."""

    auth_required: bool
    address: str | None


async def admit(websocket: WebSocket, state: ServerState) -> Admission | None:
    """Check Host, Origin and, without accounts, that the client is local."""
    access = state.access
    headers = websocket.headers
    if not access.policy.request_ok(headers, changes_state=True):
        _LOGGER.warning("refused a websocket from a foreign host or origin")
        return None
    accounts = access.accounts
    auth_required = accounts is not None and await asyncio.to_thread(accounts.has_accounts)
    client = websocket.client.host if websocket.client else None
    local = is_local_client(client, headers)
    if not auth_required and not local:
        _LOGGER.warning("refused a remote websocket: there are no accounts")
        return None
    return Admission(auth_required, None if local else client)


async def authenticate(state: ServerState, hello: Hello, required: bool) -> tuple[bool, str | None]:
    """(accepted, the person's id). With accounts the token names the person and
    ``hello.user`` is ignored; without, a token cannot be checked and is refused."""
    accounts = state.access.accounts
    if not required:
        return hello.token is None, hello.user
    if hello.token is None or accounts is None:
        return False, None
    person = await asyncio.to_thread(accounts.person_for_token, hello.token)
    return person is not None, person


def cooldown_keys(account: str | None, address: str | None) -> list[str]:
    """The keys a too-fast close cools down: the account and the remote address."""
    keys = [f"account:{account}"] if account is not None else []
    if address is not None:
        keys.append(f"address:{address}")
    return keys


def refuse(
    state: ServerState, account: str | None, address: str | None, keys: list[str], now: float
) -> Refusal | None:
    """Why this session cannot start now, if it cannot (models still loading, cooling
    down, replies too slow, no slot free); otherwise it holds a slot from here on."""
    if state.engines is None:
        return ErrorCode.NOT_READY, "the models are still loading", CLOSE_TRY_LATER
    if state.cooldowns.waiting(keys, now):
        return ErrorCode.TOO_FAST, _COOLING_DOWN, CLOSE_POLICY
    if state.active_sessions and state.load.overloaded(now):
        return ErrorCode.OVERLOADED, _TOO_BUSY, CLOSE_TRY_LATER
    refused = state.slots.acquire(account, address)
    if refused is not None:
        return ErrorCode.OVERLOADED, _REFUSED[refused], CLOSE_TRY_LATER
    return None
