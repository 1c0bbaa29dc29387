"""Liveness and readiness, for load balancers and orchestrators."""

from __future__ import annotations

import asyncio

from litestar import Response, get

from app.database import DB
from app.http.schemas import Schema

READY_TIMEOUT_SECONDS = 2.0


class Health(Schema):
    status: str


@get("/health", operation_id="health", include_in_schema=False)
async def health() -> Health:
    return Health(status="ok")


@get("/ready", operation_id="ready", include_in_schema=False)
async def ready() -> Response[Health]:
    try:
        await asyncio.wait_for(DB.run_ddl("SELECT 1"), READY_TIMEOUT_SECONDS)
    except Exception:
        return Response(
            Health(status="database unavailable"), status_code=503, headers={"Retry-After": "5"}
        )
    return Response(Health(status="ready"))
