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
from litestar.types import ExceptionHandlersMap

from app.errors import (
    Conflict,
    DomainError,
    FileLimitExceeded,
    FileTooLarge,
    Forbidden,
    InvalidInput,
    NotFound,
    OverlappingProvision,
    PreconditionFailed,
    PreconditionRequired,
    UnreadableFile,
)
from app.fields import NO_NUL
from app.schemas import Schema

PROBLEM_JSON = "application/problem+json"
PROBLEM_TYPE_BASE = "urn:overdrachtsregister:problem:"

log = structlog.get_logger("app.api")


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


#: The one place a domain refusal gets its HTTP status; a subclass takes its nearest
#: ancestor's.
STATUS_OF: dict[type[DomainError], int] = {
    DomainError: 400,
    InvalidInput: 400,
    UnreadableFile: 422,
    FileLimitExceeded: 422,
    FileTooLarge: 413,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    PreconditionFailed: 412,
    PreconditionRequired: 428,
}


def status_of(error: DomainError) -> int:
    return next(STATUS_OF[kind] for kind in type(error).__mro__ if kind in STATUS_OF)


#: Dutch titles of the statuses that are not a domain refusal (a route that does not exist,
#: a missing key, a throttle); a domain error's status takes its title from the error.
TITLES = {
    401: "Niet geauthenticeerd",
    405: "Methode niet toegestaan",
    413: "Verzoek te groot",
    415: "Mediatype niet ondersteund",
    422: "Niet verwerkbaar",
    429: "Te veel verzoeken",
    500: "Interne fout",
    503: "Dienst niet beschikbaar",
} | {
    STATUS_OF[kind]: kind.title
    for kind in (
        InvalidInput,
        Forbidden,
        NotFound,
        Conflict,
        PreconditionFailed,
        PreconditionRequired,
    )
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
    """msgspec's message, with the NUL pattern of ``app.fields`` said in words."""
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
        status_of(error),
        error.detail,
        slug=error.kind,
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
            slug=OverlappingProvision.kind,
            title=OverlappingProvision.title,
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


EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    asyncpg.exceptions.IntegrityConstraintViolationError: handle_integrity_error,
    sqlite3.IntegrityError: handle_integrity_error,
    DomainError: handle_domain_error,
    ValidationException: handle_validation_error,
    HTTPException: handle_http_error,
    Exception: handle_unexpected,
}
