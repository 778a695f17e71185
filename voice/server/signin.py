"""Therapists' sign-in over HTTP: ``/api/v1/session`` (POST signs in, DELETE signs out) and
``/api/v1/me``. The session lives in an HttpOnly, SameSite=Strict cookie (Secure over TLS);
attempts are limited per account and per address before any password is checked."""

from __future__ import annotations

import asyncio
import json
import math
import time
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from fastapi.security import APIKeyCookie

from voice.server import api_schema as schema
from voice.server.api_errors import api_error
from voice.server.state import ServerState

API_PREFIX = "/api/v1"
SESSION_COOKIE = "voice_session"
SESSION_COOKIE_SECONDS = 12 * 3600
MAX_BODY_BYTES = 4096
MAX_NAME_CHARS = 64
MAX_PASSWORD_CHARS = 1024


_SESSION = APIKeyCookie(
    name=SESSION_COOKIE,
    auto_error=False,
    scheme_name="session",
    description="A therapist's session, set by POST /api/v1/session.",
)


async def signed_in_therapist(
    request: Request, token: Annotated[str | None, Depends(_SESSION)]
) -> str | None:
    """The therapist whose live session cookie came with the request, or ``None``."""
    accounts = request.app.state.voice.access.accounts
    if accounts is None or token is None or len(token) > 256:
        return None
    return await asyncio.to_thread(accounts.therapist_for_session, token, datetime.now(UTC))


Therapist = Annotated[str | None, Depends(signed_in_therapist)]


def secure_cookies(request: Request, tls: bool) -> bool:
    """Cookies are Secure when we run TLS, or when the page came over https (a TLS proxy)."""
    origin = request.headers.get("origin", "")
    return tls or origin.startswith("https://")


def _cookie_flags(request: Request, tls: bool) -> dict[str, Any]:
    """The session cookie's flags, the same when it is set and when it is cleared."""
    return {
        "path": "/",
        "httponly": True,
        "secure": secure_cookies(request, tls),
        "samesite": "strict",
    }


def _credentials(body: bytes) -> tuple[str, str] | None:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or not set(data) <= {"name", "password"}:
        return None
    name, password = data.get("name"), data.get("password")
    if not isinstance(name, str) or not isinstance(password, str):
        return None
    if not 0 < len(name) <= MAX_NAME_CHARS or not 0 < len(password) <= MAX_PASSWORD_CHARS:
        return None
    try:
        name.encode("utf-8")
        password.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return name, password


def sign_in_router(state: ServerState) -> APIRouter:
    """The sign-in routes, bound to the server's accounts."""
    router = APIRouter(prefix=API_PREFIX, tags=["therapists' sign-in"])

    @router.post(
        "/session",
        response_model=schema.SignedIn,
        responses=schema.errors(400, 401, 403, 429, 503),
        openapi_extra=schema.body(schema.Credentials),
    )
    async def sign_in(request: Request) -> Response:
        """Sign in: the session cookie comes back (HttpOnly, SameSite=Strict)."""
        accounts = state.access.accounts
        if accounts is None:
            return api_error(503, "no_accounts", "this server has no accounts")
        body = await request.body()
        credentials = _credentials(body) if len(body) <= MAX_BODY_BYTES else None
        if credentials is None:
            return api_error(400, "bad_request", "send a JSON object with a name and a password")
        name, password = credentials
        now = time.monotonic()
        address = request.client.host if request.client else "unknown"
        if not (
            state.sign_in_addresses.take(address, 1.0, now)
            and state.sign_in_accounts.take(name.lower(), 1.0, now)
        ):
            wait = max(
                state.sign_in_addresses.seconds_until(address, 1.0, now),
                state.sign_in_accounts.seconds_until(name.lower(), 1.0, now),
            )
            return api_error(
                429,
                "too_many_attempts",
                "too many sign-in attempts; try again later",
                **{"retry-after": str(max(1, math.ceil(wait)))},
            )
        at = datetime.now(UTC)
        token = await asyncio.to_thread(accounts.sign_in, name, password, at)
        records = state.access.records
        if records is not None:
            action = "sign_in" if token is not None else "sign_in_failed"
            await asyncio.to_thread(records.audit.append, address, action, f"therapist:{name}", at)
        if token is None:
            return api_error(401, "unauthorized", "that name and password do not match")
        response = JSONResponse({"therapist": name})
        response.set_cookie(
            SESSION_COOKIE,
            token,
            max_age=SESSION_COOKIE_SECONDS,
            **_cookie_flags(request, state.access.tls),
        )
        return response

    @router.delete("/session", status_code=204, response_class=Response)
    async def sign_out(request: Request) -> Response:
        """Sign out: the session, if any, ends and its cookie is cleared."""
        accounts = state.access.accounts
        token = request.cookies.get(SESSION_COOKIE)
        if accounts is not None and token is not None:
            await asyncio.to_thread(accounts.sign_out, token)
        response = Response(status_code=204)
        response.delete_cookie(SESSION_COOKIE, **_cookie_flags(request, state.access.tls))
        return response

    @router.get("/me", response_model=schema.SignedIn, responses=schema.errors(401, 403))
    async def me(therapist: Therapist) -> Response:
        """Who is signed in."""
        if therapist is None:
            return api_error(401, "unauthorized", "sign in first")
        return JSONResponse({"therapist": therapist}, headers={"cache-control": "no-store"})

    return router
