"""What the HTTP API promises, for its OpenAPI document (``/api/v1/openapi.json``): the
shapes of its answers and of the bodies it takes, as pydantic models, and what each kind of
route may answer. These only describe: handlers build their answers themselves and check
bodies with the same rules as the websocket, and the schemathesis test holds the two
together."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from voice.protocol.consent import MAX_SHARED_WITH
from voice.protocol.spec import MAX_USER_ID_CHARS
from voice.records.room import MAX_NOTE_CHARS
from voice.safety.plan import MAX_SECTION_CHARS, SECTIONS

UserName = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MAX_USER_ID_CHARS,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
        description="A person's or therapist's name: letters, digits, '-', '_', '.'.",
    ),
]
TEXT = r"^[^\x00-\x08\x0b-\x1f]*$"  # text: no control characters but tab and newline


class _Shape(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- errors ---------------------------------------------------------------------------


class ErrorDetail(_Shape):
    code: str = Field(description="Stable: programs may act on it.")
    message: str = Field(description="A fixed sentence for people; never echoes input.")


class ApiError(_Shape):
    """Every error: a stable code and a fixed sentence."""

    error: ErrorDetail


_SAID = {
    400: "The request is not valid (the message says what to change).",
    401: "Not signed in (therapists) or not paired (people).",
    403: "The request came from a host or site this server does not serve.",
    404: "No such record, or not one this caller may see.",
    429: "Too many attempts; the Retry-After header says when to try again.",
    500: "A record failed its integrity check, or the records cannot be read now.",
    503: "This server keeps no records or has no accounts.",
}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The error answers a route may give, each an ``ApiError``."""
    return {s: {"model": ApiError, "description": _SAID[s]} for s in statuses}


def content(media_type: str, description: str) -> dict[int | str, dict[str, Any]]:
    """A 200 answer that is not JSON."""
    return {200: {"content": {media_type: {}}, "description": description}}


# --- therapists' sign-in ----------------------------------------------------------------


class Credentials(_Shape):
    name: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


class SignedIn(_Shape):
    therapist: str


# --- check-ins ----------------------------------------------------------------------------


class CheckinLine(_Shape):
    id: str
    started_at: datetime
    audio_ms: int = Field(ge=0, description="Length of the kept recording.")
    has_audio: bool
    has_words: bool
    safety_events: int = Field(ge=0)


class Checkins(_Shape):
    checkins: list[CheckinLine] = Field(description="Newest first.")


class Turn(_Shape):
    turn: int = Field(ge=0)
    speaker: Literal["person", "assistant"]
    at_ms: int = Field(ge=0, description="Where the turn starts on the recording.")
    text: str
    cues: dict[str, Any] | None = Field(description="How the voice sounded against usual.")


class Checkin(_Shape):
    id: str
    started_at: datetime
    audio_ms: int = Field(ge=0)
    has_audio: bool
    has_words: bool
    turns: list[Turn]
    summary: dict[str, Any] | None = Field(description="The check-in's answers.")
    safety_events: list[dict[str, Any]]


class Note(_Shape):
    at: datetime
    text: str


class CheckinForTherapist(Checkin):
    notes: list[Note] = Field(description="This therapist's private notes, oldest first.")


class NoteBody(_Shape):
    text: str = Field(max_length=MAX_NOTE_CHARS, pattern=r"\S", description="Not blank.")


# --- people and trends ------------------------------------------------------------------


class PersonLine(_Shape):
    name: str
    last_checkin_at: datetime | None
    new_safety_events: int = Field(ge=0, description="Since this therapist last looked.")


class People(_Shape):
    people: list[PersonLine] = Field(description="New safety events first.")


class TrendDay(BaseModel):
    """One local day; the check-in's answers (mood, sleep, energy…) ride alongside."""

    model_config = ConfigDict(extra="allow")
    date: date
    activation: float | None
    rate: float | None
    loudness: float | None
    pitch: float | None
    safety: bool


class Trends(_Shape):
    days: list[TrendDay] = Field(description="Oldest first; only days with a check-in.")


# --- the person's own -------------------------------------------------------------------


class Me(_Shape):
    name: str


Plan: type[BaseModel] = create_model(  # the six sections, named once in voice.safety.plan
    "Plan",
    __config__=ConfigDict(extra="forbid"),
    __doc__="The safety plan: each section text, empty when not written.",
    **{
        name: (str, Field("", max_length=MAX_SECTION_CHARS, pattern=TEXT, description=heading))
        for name, heading in SECTIONS
    },  # type: ignore[call-overload]
)


class SafetyPlan(_Shape):
    plan: Plan  # type: ignore[valid-type]
    sections: list[list[str]] = Field(description="[name, heading] pairs, in order.")
    updated_at: str | None


class PlanBody(_Shape):
    plan: Plan  # type: ignore[valid-type]


class ConsentChoice(_Shape):
    audio: bool = Field(description="Keep my recordings.")
    transcript: bool = Field(description="Keep my words, answers and cues.")
    share: list[UserName] | None = Field(
        default=None,
        max_length=MAX_SHARED_WITH,
        description="Linked therapists who may read and listen (absent or null: none).",
    )


class ConsentInForce(ConsentChoice):
    version: str | None = Field(description="The wording agreed to; null when never.")
    agreed_at: datetime | None


class ConsentAnswer(_Shape):
    consent: ConsentInForce
    therapists: list[str] = Field(description="The therapists linked to this person.")


class EraseBody(_Shape):
    confirm: str = Field(description="The person's own name, typed to confirm.")


class Erased(_Shape):
    erased: Literal[True]


def body(model: type[BaseModel]) -> dict[str, Any]:
    """``openapi_extra`` for a route that reads a JSON body shaped like ``model``."""
    schema = model.model_json_schema()
    defs = schema.pop("$defs", {})

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return inline(defs[ref.removeprefix("#/$defs/")])
            return {k: inline(v) for k, v in node.items()}
        if isinstance(node, list):
            return [inline(v) for v in node]
        return node

    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": inline(schema)}},
        }
    }


def without_422(document: dict[str, Any]) -> dict[str, Any]:
    """FastAPI's document, saying what this API answers to a request that fails its
    parameters' checks: 400 with an ``ApiError`` (never FastAPI's 422, which quotes input)."""
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            answers = operation.get("responses", {})
            if answers.pop("422", None) is not None:
                answers.setdefault("400", {"description": _SAID[400], "content": _ERROR})
    schemas = document.get("components", {}).get("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    return document


_ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}}
