"""A request limit per API key (per client address without a valid key), per process.

Litestar's ``RateLimitConfig`` with the key's id as the identifier: never the key
itself. A request without a valid key counts against the client's address, so sending
made-up keys does not buy anyone a fresh allowance. ``HANDOVER_RATE_LIMIT`` sets the limit
("600/minute"; "0" turns it off). The counts live in the process's memory: with N
workers a key may make up to N times the limit.
"""

from __future__ import annotations

from typing import get_args

from litestar import Request
from litestar.exceptions import TooManyRequestsException
from litestar.middleware.rate_limit import (
    DurationUnit,
    RateLimitConfig,
    RateLimitMiddleware,
    get_remote_address,
)
from litestar.types import Receive, Scope, Send

from app.http.auth import key_principal

#: Paths a load balancer polls; never throttled.
EXEMPT = ["^/health$", "^/ready$"]


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


def identify(request: Request) -> str:
    return request.scope.get(IDENTITY) or f"address:{get_remote_address(request)}"  # type: ignore[return-value]


class RetryAfterRateLimitMiddleware(RateLimitMiddleware):
    """Litestar's limiter, counting per key id, with the ``Retry-After`` a 429 must carry."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Looked up once per request: the access middleware reuses it.
        if principal := await key_principal(scope):
            scope[IDENTITY] = f"key:{principal.key_id}"  # type: ignore[literal-required]
        try:
            await super().__call__(scope, receive, send)
        except TooManyRequestsException as error:
            headers = dict(error.headers or {})
            headers["Retry-After"] = str(max(1, int(headers.get("RateLimit-Reset", "1"))))
            raise TooManyRequestsException(
                detail="Too many requests with this key; wait as Retry-After says.",
                headers=headers,
            ) from None


def rate_limit_config(value: str) -> RateLimitConfig | None:
    limit = parse_rate_limit(value)
    if limit is None:
        return None
    return RateLimitConfig(
        rate_limit=limit,
        exclude=EXEMPT,
        identifier_for_request=identify,
        middleware_class=RetryAfterRateLimitMiddleware,
    )
