"""The framework's floor on this machine: one Litestar route returning a constant Struct.

Served by the same uvicorn as the registry, so the difference is the registry's own work.
``/floor`` returns a small Struct, as the issue defines the floor. ``/floor/sized``
returns a constant Struct as large as the benchmarked continuity answer (the JSON in
``BENCH_SIZED_BODY``, decoded into the registry's own ``Continuity`` Struct), to show
what serving an answer of that size costs with no work at all.
"""

from __future__ import annotations

import os
from pathlib import Path

import msgspec
from litestar import Litestar, get

from app.continuity.schemas import Continuity


class Floor(msgspec.Struct):
    status: str
    answer: int


FLOOR = Floor(status="ok", answer=42)
_sized = os.environ.get("BENCH_SIZED_BODY")
SIZED = msgspec.json.decode(Path(_sized).read_bytes(), type=Continuity) if _sized else None


@get("/floor", sync_to_thread=False)
def floor() -> Floor:
    return FLOOR


@get("/floor/sized", sync_to_thread=False)
def sized() -> Continuity:
    return SIZED


app = Litestar(route_handlers=[floor, sized])
