"""What every response gets on its way out: a request id, the headers every response
carries, and one JSON log line.

``stamp_response`` is a Litestar ``before_send`` hook, so it sees every response the app
sends: routed ones, errors raised before routing (an unknown path) and errors raised in
route middleware, which Litestar answers outside any middleware of ours.
``mark_start`` notes when routing handed a request over, for the log's ``duration_ms``.

The line says which route answered whom and how: never the key, a body or a query value
(they may hold personal data).
"""

from __future__ import annotations

import os
import re
import time
from typing import cast

import structlog
from litestar import Litestar
from litestar.enums import ScopeType
from litestar.routes import HTTPRoute
from litestar.types import ASGIApp, HTTPResponseStartEvent, Message, Receive, Scope, Send

from app.settings import API_VERSION, get_settings

REQUEST_ID_HEADER = "X-Request-ID"
ACCEPTABLE_REQUEST_ID = re.compile(rb"^[A-Za-z0-9._-]{1,64}$")

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
#: The pages load their one stylesheet from /static and run no script at all: nothing
#: else may load, no inline script or style runs, no one frames them, forms post home.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
#: Piccolo Admin and the API's Swagger page bring scripts of their own: not under the policy.
OUTSIDE_POLICY = ("/admin", "/api/")
HSTS = "max-age=31536000; includeSubDomains"
EVERY_RESPONSE_HEADERS = {
    "API-Version": API_VERSION,
    **SECURITY_HEADERS,
    # Only when TLS ends in front of us: over plain HTTP the header would lock browsers
    # out of a local demo.
    **({"Strict-Transport-Security": HSTS} if get_settings().behind_tls else {}),
}
_RAW_HEADERS = [
    (name.lower().encode(), value.encode()) for name, value in EVERY_RESPONSE_HEADERS.items()
]
_CSP = (b"content-security-policy", CONTENT_SECURITY_POLICY.encode())
_REQUEST_ID = REQUEST_ID_HEADER.lower().encode()

#: The ``Allow`` of each path's automatic OPTIONS handler, by the handler's id. Litestar
#: makes that handler when a path's first handler is registered, with that handler's
#: methods only; ``note_allowed_methods`` records every method of the path at startup.
ALLOW: dict[int, bytes] = {}
_ALLOW = b"allow"

STARTED = "handover.started"
STATUS = "handover.status"
REQUEST_ID = "handover.request_id"

log = structlog.get_logger("app.requests")


def request_id_of(scope: Scope) -> bytes:
    """The client's own ``X-Request-ID`` when it is a sane one, else a fresh random id."""
    for name, value in scope.get("headers", ()):
        if name == _REQUEST_ID:
            if ACCEPTABLE_REQUEST_ID.fullmatch(value):
                return value
            break
    return os.urandom(16).hex().encode()


def add_headers(message: HTTPResponseStartEvent, request_id: bytes, path: str = "") -> None:
    """Add the request id and every response's headers, unless the response set them."""
    headers = message.setdefault("headers", [])
    if not isinstance(headers, list):
        headers = message["headers"] = list(headers)
    present = {name.lower() for name, _ in headers}
    headers.extend(pair for pair in _RAW_HEADERS if pair[0] not in present)
    if _CSP[0] not in present and not path.startswith(OUTSIDE_POLICY):
        headers.append(_CSP)
    if _REQUEST_ID not in present:
        headers.append((_REQUEST_ID, request_id))


async def stamp_response(message: Message, scope: Scope) -> None:
    if scope["type"] != ScopeType.HTTP:
        return
    if message["type"] == "http.response.start":
        request_id = request_id_of(scope)
        scope[REQUEST_ID] = request_id  # type: ignore[literal-required]
        scope[STATUS] = message["status"]  # type: ignore[literal-required]
        scope.setdefault(STARTED, time.perf_counter())  # type: ignore[misc]
        if scope["method"] == "OPTIONS" and (allow := ALLOW.get(id(scope.get("route_handler")))):
            message["headers"] = [
                *((k, v) for k, v in message.get("headers", ()) if k.lower() != _ALLOW),
                (_ALLOW, allow),
            ]
        # The path as sent: a mounted app (Piccolo Admin) sees its own part of it only.
        path = scope.get("raw_path") or scope["path"].encode()
        add_headers(message, request_id, path.decode("latin-1"))
    elif message["type"] == "http.response.body" and not message.get("more_body", False):
        user = scope.get("user")
        log.info(
            "request",
            request_id=cast("bytes", scope.get(REQUEST_ID, b"")).decode(),
            method=scope["method"],
            route=scope.get("path_template", scope["path"]),
            role=str(user.role) if user is not None else None,
            status=scope.get(STATUS),
            duration_ms=round((time.perf_counter() - scope[STARTED]) * 1000, 1),  # type: ignore[literal-required]
        )


def note_allowed_methods(app: Litestar) -> None:
    for route in app.routes:
        if isinstance(route, HTTPRoute):
            allow = ", ".join(sorted(route.methods)).encode()
            for handler in route.route_handlers:
                if handler.http_methods == {"OPTIONS"}:
                    ALLOW[id(handler)] = allow


def mark_start(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        scope[STARTED] = time.perf_counter()  # type: ignore[literal-required]
        await app(scope, receive, send)

    return middleware
