"""The framework's floor on this machine: one Litestar route returning a constant Struct.

Served by the same uvicorn as the registry, so the difference is the registry's own work.
"""

from __future__ import annotations

import msgspec
from litestar import Litestar, get


class Floor(msgspec.Struct):
    status: str
    answer: int


FLOOR = Floor(status="ok", answer=42)


@get("/floor", sync_to_thread=False)
def floor() -> Floor:
    return FLOOR


app = Litestar(route_handlers=[floor])
