"""The worker process: deliveries to subscriptions and time-driven events, in a loop."""

from __future__ import annotations

import asyncio
import contextlib
import time

import structlog

from app.database import DB, is_postgres
from app.events.clock import emit_reached
from app.events.delivery import deliver_due, delivery_client
from app.settings import get_settings

log = structlog.get_logger("app.events.worker")

#: Seconds between looks for dates reached (effective dates, guarantees' ends).
CLOCK_SECONDS = 60.0


async def run_worker(stop: asyncio.Event, *, own_pool: bool = True) -> None:
    """Deliver until ``stop`` is set; a failing round (database away) is logged and retried.

    ``own_pool=False`` beside the app in one process (the demo): the app's pool serves both.
    """
    settings = get_settings()
    pooled = own_pool and is_postgres() and settings.postgres_pool_size > 0
    if pooled:  # lazily connected, so the worker starts while the database is away
        # Engine's signature hides PostgresEngine's **kwargs (passed on to asyncpg.create_pool).
        await DB.start_connection_pool(min_size=0, max_size=settings.postgres_pool_size)  # type: ignore[call-arg]
    try:
        await _deliver_until(stop, settings.worker_poll_seconds)
    finally:
        if pooled:
            await DB.close_connection_pool()


async def _deliver_until(stop: asyncio.Event, poll: float) -> None:
    last_clock = float("-inf")
    async with delivery_client() as client:
        while not stop.is_set():
            delivered = 0
            try:
                if time.monotonic() - last_clock >= CLOCK_SECONDS:
                    await emit_reached()
                    last_clock = time.monotonic()
                delivered = await deliver_due(client)
            except Exception as error:  # the worker outlives a database that comes and goes
                log.warning("delivery round failed", error=f"{type(error).__name__}: {error}")
            if not delivered:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=poll)
