"""Failed logins at /inloggen, limited per username and per client address.

Every attempt takes a place in both windows first (atomically, in Redis when
``HANDOVER_REDIS_URL`` is set, so every process counts together); a login that turns out
right gives its places back, so only failures count. Past either limit the form answers
429 without looking at the password, until the window closes: 60 guesses cannot end in
a login. Behind a proxy the address is the one uvicorn trusts (``FORWARDED_ALLOW_IPS``).

Logged with the address and a keyed hash of the username (a username may be a name).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

import structlog

from app import cross_process
from app.settings import get_settings, secret_key

WINDOW_SECONDS = 15 * 60

log = structlog.get_logger("app.login")


def username_tag(username: str) -> str:
    digest = hmac.new(secret_key(), username.strip().lower().encode(), hashlib.sha256)
    return digest.hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Attempt:
    names: tuple[str, str]
    #: Seconds to wait when refused; ``None`` when the attempt may go ahead.
    retry_after: float | None


async def begin_attempt(username: str, address: str) -> Attempt:
    settings = get_settings()
    tag = username_tag(username)
    by_user, by_address = f"login:user:{tag}", f"login:address:{address}"
    user_count, user_reset = await cross_process.hit(by_user, WINDOW_SECONDS)
    address_count, address_reset = await cross_process.hit(by_address, WINDOW_SECONDS)
    waits = [
        reset
        for count, limit, reset in (
            (user_count, settings.login_attempts_per_user, user_reset),
            (address_count, settings.login_attempts_per_address, address_reset),
        )
        if count > limit
    ]
    if waits:
        log.warning(
            "login throttled",
            username_tag=tag,
            address=address,
            user_failures=user_count - 1,
            address_failures=address_count - 1,
        )
        return Attempt((by_user, by_address), max(waits))
    return Attempt((by_user, by_address), None)


async def succeeded(attempt: Attempt) -> None:
    for name in attempt.names:
        await cross_process.give_back(name)
