"""What the registry counts for Prometheus (served at ``/metrics``, see app.api.metrics).

With more than one uvicorn worker, ``handover serve`` sets ``PROMETHEUS_MULTIPROC_DIR``
(``HANDOVER_METRICS_DIR``, or a fresh temporary folder) before the workers start: each
worker writes its counts there and ``/metrics`` adds them up, whichever worker answers.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from prometheus_client import Counter, Gauge, Histogram

MULTIPROCESS_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"

REQUESTS = Counter(
    "handover_http_requests",
    "HTTP requests answered, by route template and status.",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "handover_http_request_duration_seconds",
    "Time from routing to the last byte of the answer, by route template.",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
ANSWER_CACHE_LOOKUPS = Counter(
    "handover_answer_cache_lookups",
    "Questions answered from the answer cache (hit) or computed (miss); see app.answer_cache.",
    ["result"],
)
ANSWER_CACHE_HIT = ANSWER_CACHE_LOOKUPS.labels("hit")
ANSWER_CACHE_MISS = ANSWER_CACHE_LOOKUPS.labels("miss")
POOL_SIZE = Gauge(
    "handover_database_pool_connections",
    "PostgreSQL connections open in the pool, summed over live processes.",
    multiprocess_mode="livesum",
)
POOL_IN_USE = Gauge(
    "handover_database_pool_connections_in_use",
    "PostgreSQL pool connections lent to a query now, summed over live processes.",
    multiprocess_mode="livesum",
)
POOL_MAX = Gauge(
    "handover_database_pool_connections_max",
    "The most connections the pools may open, summed over live processes.",
    multiprocess_mode="livesum",
)


def prepare_multiprocess(workers: int) -> Path | None:
    """Before workers start: an empty folder for their counts (``None`` for one worker)."""
    if workers <= 1:
        return None
    configured = os.environ.get("HANDOVER_METRICS_DIR")
    if configured:
        folder = Path(configured)
        # Counts of an earlier run would be added to this one's.
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
    else:
        folder = Path(tempfile.mkdtemp(prefix="handover-metrics-"))
    os.environ[MULTIPROCESS_VARIABLE] = str(folder)
    return folder


def is_multiprocess() -> bool:
    return bool(os.environ.get(MULTIPROCESS_VARIABLE))
