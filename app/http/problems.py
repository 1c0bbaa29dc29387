"""Every error leaves as RFC 9457 problem details; nothing else, never a stack trace."""

from __future__ import annotations

import re
import sqlite3
from http import HTTPStatus
from typing import Any

import asyncpg
import structlog
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException

from app.errors import DomainError
from app.http.fields import NO_NUL
from app.http.schemas import Schema

PROBLEM_JSON = "application/problem+json"
PROBLEM_TYPE_BASE = "urn:overdrachtsregister:problem:"

log = structlog.get_logger("app.http")


class InvalidParam(Schema):
    name: str
    reason: str


class Problem(Schema, omit_defaults=True):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    invalid_params: list[InvalidParam] | None = None


TITLES = {
    400: "Ongeldige invoer",
    401: "Niet geauthenticeerd",
    403: "Geen toegang",
    404: "Niet gevonden",
    405: "Methode niet toegestaan",
    409: "Conflict",
    412: "Voorwaarde niet vervuld",
    413: "Verzoek te groot",
    415: "Mediatype niet ondersteund",
    422: "Niet verwerkbaar",
    428: "Voorwaarde vereist",
    429: "Te veel verzoeken",
    500: "Interne fout",
    503: "Dienst niet beschikbaar",
}


def problem(
    request: Request,
    status: int,
    detail: str,
    *,
    slug: str | None = None,
    title: str | None = None,
    invalid_params: list[InvalidParam] | None = None,
    headers: dict[str, str] | None = None,
) -> Response[Problem]:
    phrase = HTTPStatus(status).phrase
    body = Problem(
        type=PROBLEM_TYPE_BASE + (slug or phrase.lower().replace(" ", "-")),
        title=title or TITLES.get(status, phrase),
        status=status,
        detail=detail,
        instance=request.url.path,
        invalid_params=invalid_params,
    )
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


FIELD_IN_MESSAGE = re.compile(r"(?:missing required field|unknown field) `([^`]+)`")
PATH_IN_MESSAGE = re.compile(r" - at `\$\.([^`]+)`")
NUL_MESSAGE = f"Expected `str` matching regex {NO_NUL!r}"


def _param_name(item: dict[str, Any]) -> str:
    """The field a validation error is about, as the client wrote it.

    Litestar names the whole body ``data`` for errors msgspec raises about one field of
    it; the field itself is in msgspec's message.
    """
    message = str(item.get("message", ""))
    if path := PATH_IN_MESSAGE.search(message):
        return path.group(1)
    if (key := item.get("key")) not in (None, "data"):
        return str(key)
    if field := FIELD_IN_MESSAGE.search(message):
        return field.group(1)
    return str(key or item.get("source") or "body")


def _reason(message: str) -> str:
    """msgspec's message, with the NUL pattern of ``app.http.fields`` said in words."""
    return message.replace(NUL_MESSAGE, "Expected `str` without a NUL or other control character")


def _validation_params(extra: Any) -> list[InvalidParam]:
    return [
        InvalidParam(name=_param_name(item), reason=_reason(str(item.get("message", "invalid"))))
        for item in (extra if isinstance(extra, list) else [])
        if isinstance(item, dict)
    ]


def handle_domain_error(request: Request, error: DomainError) -> Response[Problem]:
    params = [InvalidParam(name=error.field, reason=error.detail)] if error.field else None
    return problem(
        request,
        error.status,
        error.detail,
        slug=error.type_slug,
        title=error.title,
        invalid_params=params,
    )


def handle_validation_error(request: Request, error: ValidationException) -> Response[Problem]:
    params = _validation_params(error.extra)
    detail = "; ".join(f"{p.name}: {p.reason}" for p in params) or str(error.detail)
    return problem(request, 400, detail, slug="invalid-input", invalid_params=params or None)


def handle_http_error(request: Request, error: HTTPException) -> Response[Problem]:
    return problem(request, error.status_code, str(error.detail), headers=error.headers)


def handle_integrity_error(request: Request, error: Exception) -> Response[Problem]:
    """The database refused a write that the application's own checks let through.

    That happens when two requests race (the exclusion constraint on provisions, unique
    indexes): the loser gets the same 409 it would have got had it come second.
    """
    name = type(error).__name__
    if name == "ExclusionViolationError":
        return problem(
            request,
            409,
            "the period overlaps another provision of the same service and municipality",
            slug="overlapping-provision",
            title="Overlappende levering",
        )
    log.info("integrity error", path=request.url.path, error_type=name)
    return problem(request, 409, "the change conflicts with data already in the registry")


RETRY_AFTER_SECONDS = "5"


#: asyncpg's ways of saying the server went away, is going or is not taking connections:
#: SQLSTATE class 08 (connection exceptions) and 57 (operator intervention: shutdown,
#: restart, a cancelled query), too many connections, and the client-side errors of a
#: connection that broke mid-operation ("cannot switch to state …; another operation is
#: in progress", "connection is closed", "pool is closing").
POSTGRES_UNAVAILABLE = (
    asyncpg.exceptions.PostgresConnectionError,
    asyncpg.exceptions.OperatorInterventionError,
    asyncpg.exceptions.TooManyConnectionsError,
    asyncpg.exceptions.InterfaceError,
    asyncpg.exceptions.InternalClientError,
)


def is_database_unavailable(error: BaseException) -> bool:
    """Whether ``error`` means the database cannot be reached (rather than a bug).

    Also when it is the cause of the error raised (a transaction's rollback failing on
    the connection that broke, say).
    """
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, sqlite3.OperationalError):
            if "locked" in str(current) or "unable to open" in str(current):
                return True
        elif isinstance(current, (OSError, TimeoutError, *POSTGRES_UNAVAILABLE)):
            return True
        current = current.__cause__ or current.__context__
    return False


def handle_unexpected(request: Request, error: Exception) -> Response[Problem]:
    if is_database_unavailable(error):
        log.warning("database unavailable", path=request.url.path, error_type=type(error).__name__)
        return problem(
            request,
            503,
            "The registry's database cannot be reached; try again shortly.",
            slug="database-unavailable",
            headers={"Retry-After": RETRY_AFTER_SECONDS},
        )
    log.exception("unhandled error", path=request.url.path, error_type=type(error).__name__)
    return problem(request, 500, "An unexpected error occurred; it has been logged.")


EXCEPTION_HANDLERS = {
    asyncpg.exceptions.IntegrityConstraintViolationError: handle_integrity_error,
    sqlite3.IntegrityError: handle_integrity_error,
    DomainError: handle_domain_error,
    ValidationException: handle_validation_error,
    HTTPException: handle_http_error,
    Exception: handle_unexpected,
}
