"""``GET /metrics``: Prometheus' text format, for an admin key only.

Requests are counted by route template (never the raw path: an unknown path must not
make a new series), in a ``before_send`` hook so that errors answered outside our
middleware count too.
"""

from __future__ import annotations

import contextlib
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
    REQUESTS.labels(method, route, str(scope.get(_STATUS, 0))).inc()
    if (started := cast("float | None", scope.get(STARTED))) is not None:
        LATENCY.labels(method, route).observe(time.perf_counter() - started)
    pool = getattr(DB, "pool", None)
    if pool is not None:
        size = pool.get_size()
        POOL_SIZE.set(size)
        POOL_IN_USE.set(size - pool.get_idle_size())
        POOL_MAX.set(pool.get_max_size())


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
