"""What the registry's processes share through Redis when ``HANDOVER_REDIS_URL`` is set.

- **Counters** for the API rate limit and the login throttle: a fixed window per key,
  counted by one Lua script (``INCR``, and the window's expiry on its first hit), so the
  count is atomic across every process. Litestar's own limiter reads, checks and writes
  in three steps (litestar issue #4700): two workers could both let the N+1st through.
  Without Redis, or while Redis does not answer, each process counts on its own.
- **Key revocations**: a revoked key's id is published on a channel that every serving
  process listens to (``app.access.keys.revocation_listener``), which drops the key from its
  lookup cache at once. Without Redis, other processes trust their cached lookup for
  ``HANDOVER_KEY_CACHE_SECONDS`` as before.

Every key is under ``HANDOVER_REDIS_PREFIX`` (default ``handover:``).
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import structlog

from app.settings import get_settings

log = structlog.get_logger("app.cross_process")

RECONNECT_SECONDS = 5.0

#: One window per key: the first hit opens it (and sets its expiry), later hits count.
HIT_SCRIPT = """
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
"""


def prefixed(name: str) -> str:
    return get_settings().redis_prefix + name


_clients: dict[int, Any] = {}


def redis_client() -> Any | None:
    """This event loop's Redis client (a client's connections belong to one loop)."""
    url = get_settings().redis_url
    if url is None:
        return None
    loop = id(asyncio.get_running_loop())
    client = _clients.get(loop)
    if client is None:
        import redis.asyncio

        client = redis.asyncio.Redis.from_url(
            url, socket_timeout=1.0, socket_connect_timeout=1.0, health_check_interval=30
        )
        _clients[loop] = client
    return client


class LocalCounter:
    """Fixed windows in this process's memory."""

    def __init__(self) -> None:
        self._windows: dict[str, tuple[int, float]] = {}

    def hit(self, key: str, window: float) -> tuple[int, float]:
        now = time.monotonic()
        count, ends = self._windows.get(key, (0, 0.0))
        if ends <= now:
            count, ends = 0, now + window
            if len(self._windows) > 100_000:  # forget closed windows now and then
                self._windows = {k: v for k, v in self._windows.items() if v[1] > now}
        self._windows[key] = (count + 1, ends)
        return count + 1, ends - now

    def give_back(self, key: str) -> None:
        count, ends = self._windows.get(key, (0, 0.0))
        if count > 0:
            self._windows[key] = (count - 1, ends)

    def clear(self) -> None:
        self._windows.clear()


LOCAL = LocalCounter()
_warned_at = 0.0


def _redis_failed(error: Exception) -> None:
    global _warned_at
    now = time.monotonic()
    if now - _warned_at > 60:  # one line a minute, not one per request
        _warned_at = now
        log.warning("redis unavailable; counting in this process", error=repr(error))


async def hit(name: str, window: float) -> tuple[int, float]:
    """Count one more hit on ``name`` in its window: (hits so far, seconds until it resets)."""
    client = redis_client()
    if client is not None:
        try:
            count, ttl_ms = await client.eval(
                HIT_SCRIPT, 1, prefixed(name), str(math.ceil(window * 1000))
            )
            return int(count), int(ttl_ms) / 1000
        except Exception as error:  # Redis away: limits per process rather than none
            _redis_failed(error)
    return LOCAL.hit(name, window)


async def give_back(name: str) -> None:
    """Take one hit back (a login that turned out right does not count as an attempt)."""
    client = redis_client()
    if client is not None:
        try:
            await client.decr(prefixed(name))
            return
        except Exception as error:
            _redis_failed(error)
    LOCAL.give_back(name)


async def publish(channel: str, message: str) -> int | None:
    """Publish to every process listening on ``channel``; how many did (``None``: no Redis)."""
    client = redis_client()
    if client is None:
        return None
    try:
        return int(await client.publish(prefixed(channel), message))
    except Exception as error:
        _redis_failed(error)
        return None


Listener = Callable[[str | None], None]


async def keep_listening(channel: str, on_message: Listener) -> None:
    """Call ``on_message`` with each message on ``channel`` for ever, and with ``None``
    each time listening (re)starts: whatever was sent meanwhile went unheard."""
    import redis.asyncio

    while True:
        url = get_settings().redis_url
        if url is None:
            raise RuntimeError("keep_listening needs a Redis URL (HANDOVER_REDIS_URL)")
        client = redis.asyncio.Redis.from_url(url, socket_connect_timeout=1)
        try:
            async with client.pubsub() as pubsub:
                await pubsub.subscribe(prefixed(channel))
                on_message(None)
                async for message in pubsub.listen():
                    if message.get("type") == "message":
                        on_message(message["data"].decode())
        except asyncio.CancelledError:
            raise
        except Exception as error:
            _redis_failed(error)
        finally:
            with contextlib.suppress(Exception):
                await client.aclose()
        await asyncio.sleep(RECONNECT_SECONDS)


def listening(channel: str, on_message: Listener) -> Callable[[Any], Any]:
    """A lifespan that, with Redis, keeps listening on ``channel`` while the process serves."""

    @contextlib.asynccontextmanager
    async def lifespan(_app: Any) -> AsyncIterator[None]:
        if get_settings().redis_url is None:
            yield
            return
        listener = asyncio.create_task(keep_listening(channel, on_message))
        try:
            yield
        finally:
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await listener
            client = _clients.pop(id(asyncio.get_running_loop()), None)
            if client is not None:
                with contextlib.suppress(Exception):
                    await client.aclose()

    return lifespan
