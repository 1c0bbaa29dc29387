"""Idempotent creates: a POST sent again with the same ``Idempotency-Key`` gets the first answer.

A client that lost the answer to a create (a timeout, a dropped connection) sends it again
with the same key and gets the same status, body, ETag and Location, instead of a second
record. Keys belong to the API key that sent them and live 24 hours; the same key with
another body or path is a 422. Only successful answers are kept, so a failed create can
be retried with its key.

The create and the stored answer are written in one transaction, begun at the create's
first write rather than when the request arrives, and the unique ``lookup`` of
``IdempotentRequest`` decides between concurrent retries: the loser's transaction (its
create included) is rolled back and it answers with the winner's result.
"""

from __future__ import annotations

import hashlib
import time
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import msgspec
from litestar.types import (
    ASGIApp,
    HTTPRequestEvent,
    HTTPScope,
    Message,
    Receive,
    ReceiveMessage,
    Scope,
    Send,
)

from app.api.auth import key_principal
from app.api.problems import PROBLEM_JSON, PROBLEM_TYPE_BASE, TITLES, InvalidParam, Problem
from app.database import held_write, write_transaction
from app.settings import get_settings
from app.tables.tables import IdempotentRequest

HEADER = "Idempotency-Key"
KEEP_FOR = timedelta(hours=24)
MAX_KEY_LENGTH = 255  # the lookup column holds "<api key id>:<key>" in 300 characters
REPLAYED_HEADERS = ("content-type", "etag", "location")
PURGE_EVERY_SECONDS = 600

_last_purge = 0.0


def _header(scope: Scope, name: str) -> str | None:
    wanted = name.lower().encode()
    for key, value in scope.get("headers", []):
        if key.lower() == wanted:
            return value.decode("latin-1")
    return None


async def _send_problem(scope: Scope, send: Send, status: int, detail: str, slug: str) -> None:
    body = msgspec.json.encode(
        Problem(
            type=PROBLEM_TYPE_BASE + slug,
            title=TITLES[status],
            status=status,
            detail=detail,
            instance=scope["path"],
            invalid_params=[InvalidParam(name=HEADER, reason=detail)],
        )
    )
    await _send(send, status, {"content-type": PROBLEM_JSON}, body)


async def _send(send: Send, status: int, headers: dict[str, str], body: bytes) -> None:
    raw = [(k.encode(), v.encode("latin-1")) for k, v in headers.items()]
    raw.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body, "more_body": False})


async def _read_body(receive: Receive, limit: int) -> tuple[bytes, list[ReceiveMessage], bool]:
    """The body, the messages it came in, and whether it stayed within ``limit``."""
    messages: list[ReceiveMessage] = []
    size = 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return b"", messages, False
        size += len(message.get("body", b""))
        if size > limit:
            return b"", messages, False
        if not message.get("more_body", False):
            # Every message so far was an ``http.request`` (anything else returned above).
            chunks = (cast("HTTPRequestEvent", m).get("body", b"") for m in messages)
            return b"".join(chunks), messages, True


def _replaying(messages: list[ReceiveMessage], receive: Receive) -> Receive:
    pending = list(messages)

    async def replay() -> ReceiveMessage:
        return pending.pop(0) if pending else await receive()

    return replay


class _Captured:
    """The handler's answer, held back until its transaction has committed."""

    def __init__(self) -> None:
        self.status = 500
        self.headers: list[tuple[bytes, bytes]] = []
        self.messages: list[Message] = []

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.headers = list(message.get("headers", []))
        self.messages.append(message)

    @property
    def succeeded(self) -> bool:
        return 200 <= self.status < 300

    def body(self) -> bytes:
        return b"".join(
            m.get("body", b"") for m in self.messages if m["type"] == "http.response.body"
        )

    def kept_headers(self) -> dict[str, str]:
        return {
            name.decode("latin-1").lower(): value.decode("latin-1")
            for name, value in self.headers
            if name.decode("latin-1").lower() in REPLAYED_HEADERS
        }

    async def forward(self, send: Send) -> None:
        for message in self.messages:
            await send(message)


async def _stored(lookup: str) -> dict[str, Any] | None:
    return (
        await IdempotentRequest.select()
        .where(
            (IdempotentRequest.lookup == lookup)
            & (IdempotentRequest.created_at > datetime.now(UTC) - KEEP_FOR)
        )
        .output(load_json=True)
        .first()
    )


async def _answer_from(stored: dict[str, Any], scope: Scope, send: Send, body_hash: str) -> None:
    if stored["path"] != scope["path"] or stored["body_hash"] != body_hash:
        await _send_problem(
            scope,
            send,
            422,
            f"this {HEADER} was used for another request; use a new key for a new request",
            "idempotency-key-reused",
        )
        return
    await _send(
        send,
        stored["status_code"],
        stored["response_headers"] or {},
        stored["response_body"].encode(),
    )


async def _forget_expired(lookup: str) -> None:
    """Free an expired lookup for reuse; now and then, drop every expired answer."""
    global _last_purge
    cutoff = datetime.now(UTC) - KEEP_FOR
    expired = IdempotentRequest.created_at <= cutoff
    if time.monotonic() - _last_purge >= PURGE_EVERY_SECONDS:
        _last_purge = time.monotonic()
        await IdempotentRequest.delete().where(expired)
    else:
        await IdempotentRequest.delete().where((IdempotentRequest.lookup == lookup) & expired)


def idempotency_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        key = _header(scope, HEADER) if scope["type"] == "http" else None
        if key is None or cast("HTTPScope", scope)["method"] != "POST":
            await app(scope, receive, send)
            return
        if not (0 < len(key) <= MAX_KEY_LENGTH and key.isprintable() and key.isascii()):
            await _send_problem(
                scope,
                send,
                400,
                f"{HEADER} must be 1 to {MAX_KEY_LENGTH} printable ASCII characters",
                "invalid-input",
            )
            return
        principal = await key_principal(scope)
        if principal is None:  # the access middleware answers 401
            await app(scope, receive, send)
            return
        scope["user"] = principal  # for the request log, when a replay skips the access check
        body, messages, whole = await _read_body(receive, get_settings().request_max_body_bytes)
        if not whole:  # too large, or the client left: the app answers as it would
            await app(scope, _replaying(messages, receive), send)
            return
        lookup = f"{principal.key_id}:{key}"
        body_hash = hashlib.sha256(body).hexdigest()
        if (stored := await _stored(lookup)) is not None:
            await _answer_from(stored, scope, send, body_hash)
            return
        captured = _Captured()
        try:
            # The transaction begins at the handler's first write, so the lock is not held
            # while it reads and checks an upload; the answer is stored in that same one.
            async with held_write() as held:
                await app(scope, _replaying(messages, receive), captured.send)
                if captured.succeeded:
                    async with write_transaction():
                        await _forget_expired(lookup)
                        await IdempotentRequest.insert(
                            IdempotentRequest(
                                lookup=lookup,
                                method=cast("HTTPScope", scope)["method"],
                                path=scope["path"],
                                body_hash=body_hash,
                                status_code=captured.status,
                                response_body=captured.body().decode(),
                                response_headers=captured.kept_headers(),
                            )
                        )
                else:
                    await held.rollback()
        except Exception:
            # A concurrent retry stored its answer first (the unique lookup refused ours);
            # anything else is a real error.
            if (stored := await _stored(lookup)) is None:
                raise
            await _answer_from(stored, scope, send, body_hash)
            return
        if not captured.succeeded and (stored := await _stored(lookup)) is not None:
            # Failed because a concurrent retry created the same record first (a unique
            # KvK number, an overlapping provision): that retry's answer is ours.
            await _answer_from(stored, scope, send, body_hash)
            return
        await captured.forward(send)

    return middleware
