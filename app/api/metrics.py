"""``GET /metrics``: Prometheus' text format, for an admin key only.

Requests are counted by route template (never the raw path: an unknown path must not
make a new series), in a ``before_send`` hook so that errors answered outside our
middleware count too.
"""

from __future__ import annotations

import contextlib
import functools
import os
import time
from collections.abc import AsyncIterator
from typing import Any, cast

from litestar import Response, get
from litestar.enums import ScopeType
from litestar.types import Message, Scope

from app.api.auth import access_middleware
from app.api.response_stamps import STARTED
from app.database import DB
from app.metrics import (
    LATENCY,
    POOL_IN_USE,
    POOL_MAX,
    POOL_SIZE,
    REQUESTS,
    is_multiprocess,
)

_STATUS = "handover.metrics_status"
UNMATCHED = "(unmatched)"


#: How often a process writes its pool's figures: they are samples, and a request that
#: wrote three gauges under their locks each time paid for it at every answer.
POOL_SAMPLE_SECONDS = 1.0
_pool_sampled: float | None = None


def sample_pool(now: float) -> None:
    global _pool_sampled
    if _pool_sampled is not None and now - _pool_sampled < POOL_SAMPLE_SECONDS:
        return
    _pool_sampled = now
    pool = getattr(DB, "pool", None)
    if pool is not None:
        size = pool.get_size()
        POOL_SIZE.set(size)
        POOL_IN_USE.set(size - pool.get_idle_size())
        POOL_MAX.set(pool.get_max_size())


async def count_response(message: Message, scope: Scope) -> None:
    if scope["type"] != ScopeType.HTTP:
        return
    if message["type"] == "http.response.start":
        scope[_STATUS] = message["status"]  # type: ignore[literal-required]
        return
    if message["type"] != "http.response.body" or message.get("more_body", False):
        return
    route = scope.get("path_template") or UNMATCHED
    method = scope["method"]
    _requests(method, route, scope.get(_STATUS, 0)).inc()
    now = time.perf_counter()
    if (started := cast("float | None", scope.get(STARTED))) is not None:
        _latency(method, route).observe(now - started)
    sample_pool(now)


# Each series' child, found once: ``labels()`` takes a lock and checks its values at every
# call. Route templates, methods and statuses are few, so the cache stays small.
@functools.cache
def _requests(method: str, route: str, status: int) -> Any:
    return REQUESTS.labels(method, route, str(status))


@functools.cache
def _latency(method: str, route: str) -> Any:
    return LATENCY.labels(method, route)


def exposition() -> bytes:
    from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess

    if is_multiprocess():
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest(REGISTRY)


@get(
    "/metrics",
    operation_id="getMetrics",
    include_in_schema=False,
    middleware=[access_middleware],
    sync_to_thread=False,
)
def metrics() -> Response[bytes]:
    from prometheus_client import CONTENT_TYPE_LATEST

    return Response(exposition(), media_type=CONTENT_TYPE_LATEST)


@contextlib.asynccontextmanager
async def metrics_lifespan(_app: Any) -> AsyncIterator[None]:
    """A worker that stops takes its live gauges with it."""
    try:
        yield
    finally:
        if is_multiprocess():
            from prometheus_client import multiprocess

            multiprocess.mark_process_dead(os.getpid())
