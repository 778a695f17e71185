"""How the HTTP API says no: one shape of error (a stable code and a fixed sentence, never
input, never content), ``Refused`` for a dependency or handler to raise, and the app's
handlers that turn refusals, bad requests and records errors into that shape."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from voice.errors import ProtocolError, VoiceError


def api_error(status: int, code: str, message: str, **headers: str) -> JSONResponse:
    """The one shape of an API error: a stable code and a fixed sentence (never input)."""
    return JSONResponse({"error": {"code": code, "message": message}}, status, headers=headers)


class Refused(Exception):
    """Answer ``status`` with ``code`` and ``message`` (and ``headers``)."""

    def __init__(self, status: int, code: str, message: str, **headers: str) -> None:
        super().__init__(code)
        self.status, self.code, self.message, self.headers = status, code, message, headers


def not_found(message: str = "there is no such record") -> Refused:
    """404: nothing there, or nothing this caller may see (the same answer)."""
    return Refused(404, "not_found", message)


def install_error_handlers(app: FastAPI) -> None:
    """Every error a route raises becomes an ``api_error``."""

    @app.exception_handler(Refused)
    async def refused(_request: Request, exc: Refused) -> JSONResponse:
        return api_error(exc.status, exc.code, exc.message, **exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        # FastAPI's own answer quotes the input back; ours names only the parameter.
        where = [e.get("loc", ()) for e in exc.errors()]
        names = sorted({str(loc[1]) for loc in where if len(loc) == 2 and loc[0] != "body"})
        if names:
            return api_error(400, "bad_request", f"check the parameter {names[0]}")
        return api_error(400, "bad_request", "the request is not valid")

    @app.exception_handler(ProtocolError)
    async def bad_request(_request: Request, exc: ProtocolError) -> JSONResponse:
        return api_error(400, "bad_request", exc.message)

    @app.exception_handler(VoiceError)
    async def records_error(_request: Request, exc: VoiceError) -> JSONResponse:
        if exc.code == "not_found":
            return api_error(404, "not_found", "there is no such record")
        if exc.code == "tampered":
            return api_error(500, "tampered", "this record failed its integrity check")
        return api_error(500, exc.code, "the records cannot be read or written now")
