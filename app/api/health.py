"""Liveness and readiness, for load balancers and orchestrators."""

from __future__ import annotations

import asyncio

from litestar import Request, Response, get

from app.api.problems import RETRY_AFTER_SECONDS, Problem, problem
from app.database import DB
from app.schemas import Schema

READY_TIMEOUT_SECONDS = 2.0


class Health(Schema):
    status: str


@get("/health", operation_id="health", include_in_schema=False)
async def health() -> Health:
    return Health(status="ok")


@get("/ready", operation_id="ready", include_in_schema=False)
async def ready(request: Request) -> Response[Health] | Response[Problem]:
    try:
        await asyncio.wait_for(DB.run_ddl("SELECT 1"), READY_TIMEOUT_SECONDS)
    except Exception:
        return problem(
            request,
            503,
            "The registry's database cannot be reached; try again shortly.",
            slug="database-unavailable",
            headers={"Retry-After": RETRY_AFTER_SECONDS},
        )
    return Response(Health(status="ready"))
