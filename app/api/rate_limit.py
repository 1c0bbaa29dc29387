"""A request limit per API key (per client address without a valid key).

Counted by the key's id: never the key itself. A request without a valid key counts
against the client's address, so sending made-up keys does not buy anyone a fresh
allowance. ``HANDOVER_RATE_LIMIT`` sets the limit ("600/minute"; "0" turns it off), in
fixed windows that open on a key's first request.

With ``HANDOVER_REDIS_URL`` set the counts are shared by every process, counted
atomically in Redis (``app.cross_process.hit``): with any number of workers a key gets the
limit per window. Without Redis the counts live in each process's memory: with N
workers a key may make up to N times the limit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, cast, get_args

from litestar.enums import ScopeType
from litestar.exceptions import TooManyRequestsException
from litestar.middleware import DefineMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from app import cross_process
from app.api.auth import key_principal

DurationUnit = Literal["second", "minute", "hour", "day"]
SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


def parse_rate_limit(value: str) -> tuple[DurationUnit, int] | None:
    """``"600/minute"`` → ``("minute", 600)``; ``"0"`` or ``""`` → ``None`` (no limit)."""
    if value in {"", "0", "off"}:
        return None
    count, _, unit = value.partition("/")
    unit = unit.strip().removesuffix("s") or "minute"
    if not count.strip().isdigit() or unit not in get_args(DurationUnit):
        raise ValueError(
            f"HANDOVER_RATE_LIMIT={value!r}: write it as COUNT/UNIT, e.g. 600/minute "
            "(unit second, minute, hour or day), or 0 for no limit"
        )
    return unit, int(count)  # type: ignore[return-value]


IDENTITY = "handover.rate_limit_identity"


def identify(scope: Scope) -> str:
    if identity := cast("str | None", scope.get(IDENTITY)):
        return identity
    client = scope.get("client")
    return f"address:{client[0] if client else 'unknown'}"


@dataclass(frozen=True, slots=True)
class RateLimit:
    limit: int
    window: float

    @property
    def middleware(self) -> DefineMiddleware:
        return DefineMiddleware(rate_limit_middleware, limit=self)


def rate_limit_middleware(app: ASGIApp, limit: RateLimit) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or scope["method"] == "OPTIONS":
            await app(scope, receive, send)
            return
        # Looked up once per request: the access middleware reuses it.
        if principal := await key_principal(scope):
            scope[IDENTITY] = f"key:{principal.key_id}"  # type: ignore[literal-required]
        count, reset = await cross_process.hit(f"rl:{identify(scope)}", limit.window)
        reset_seconds = str(max(1, math.ceil(reset)))
        if count > limit.limit:
            raise TooManyRequestsException(
                detail="Too many requests with this key; wait as Retry-After says.",
                headers={
                    "Retry-After": reset_seconds,
                    "RateLimit-Limit": str(limit.limit),
                    "RateLimit-Remaining": "0",
                    "RateLimit-Reset": reset_seconds,
                },
            )
        headers = [
            (b"ratelimit-limit", str(limit.limit).encode()),
            (b"ratelimit-remaining", str(limit.limit - count).encode()),
            (b"ratelimit-reset", reset_seconds.encode()),
        ]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), *headers]
            await send(message)

        await app(scope, receive, send_with_headers)

    return middleware


def rate_limit_config(value: str) -> RateLimit | None:
    limit = parse_rate_limit(value)
    if limit is None:
        return None
    unit, count = limit
    return RateLimit(limit=count, window=SECONDS[unit])
