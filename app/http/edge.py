"""What every routed response gets on its way out: a request id, the headers every
response carries, and one JSON log line.

The line says which route answered whom and how: never the key, a body or a query value
(they may hold personal data).

One middleware rather than one per concern: each pass through an ASGI middleware wraps
``send`` once more, and at national polling rates those wrappers cost more than the
continuity answer itself once it is kept (see ``app.continuity.cache``).
"""

from __future__ import annotations

import os
import re
import time

import structlog
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from app.settings import API_VERSION

REQUEST_ID_HEADER = "X-Request-ID"
ACCEPTABLE_REQUEST_ID = re.compile(rb"^[A-Za-z0-9._-]{1,64}$")

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
EVERY_RESPONSE_HEADERS = {"API-Version": API_VERSION, **SECURITY_HEADERS}
_RAW_HEADERS = [
    (name.lower().encode(), value.encode()) for name, value in EVERY_RESPONSE_HEADERS.items()
]
_REQUEST_ID = REQUEST_ID_HEADER.lower().encode()

log = structlog.get_logger("app.requests")


def request_id_of(scope: Scope) -> bytes:
    """The client's own ``X-Request-ID`` when it is a sane one, else a fresh random id."""
    for name, value in scope.get("headers", ()):
        if name == _REQUEST_ID or name.lower() == _REQUEST_ID:
            if ACCEPTABLE_REQUEST_ID.fullmatch(value):
                return value
            break
    return os.urandom(16).hex().encode()


def add_headers(message: Message, request_id: bytes) -> None:
    """Add the request id and every response's headers, unless the response set them."""
    headers = message.setdefault("headers", [])
    if not isinstance(headers, list):
        headers = message["headers"] = list(headers)
    present = {name.lower() for name, _ in headers}
    headers.extend(pair for pair in _RAW_HEADERS if pair[0] not in present)
    if _REQUEST_ID not in present:
        headers.append((_REQUEST_ID, request_id))


def edge_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        request_id = request_id_of(scope)
        started = time.perf_counter()
        status = 500

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                add_headers(message, request_id)
            await send(message)

        try:
            await app(scope, receive, send_with_headers)
        finally:
            user = scope.get("user")
            log.info(
                "request",
                request_id=request_id.decode(),
                method=scope["method"],
                route=scope.get("path_template", scope["path"]),
                role=str(user.role) if user is not None else None,
                status=status,
                duration_ms=round((time.perf_counter() - started) * 1000, 1),
            )

    return middleware
