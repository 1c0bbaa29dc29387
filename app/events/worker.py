"""The worker process: deliveries to subscriptions and time-driven events, in a loop."""

from __future__ import annotations

import asyncio
import contextlib
import time

import structlog

from app.events.clock import emit_reached
from app.events.delivery import deliver_due, delivery_client
from app.settings import get_settings

log = structlog.get_logger("app.events.worker")

#: Seconds between looks for dates reached (effective dates, guarantees' ends).
CLOCK_SECONDS = 60.0


async def run_worker(stop: asyncio.Event) -> None:
    """Deliver until ``stop`` is set; a failing round (database away) is logged and retried."""
    poll = get_settings().worker_poll_seconds
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
