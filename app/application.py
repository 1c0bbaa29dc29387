"""The Litestar application, assembled in one place: the API (``app.api``), the pages
(``app.web``), their lifespans, and the change feed's outbox installed on every write."""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar, Router
from litestar.config.cors import CORSConfig
from litestar.di import Provide
from litestar.handlers import HTTPRouteHandler
from piccolo.engine.postgres import PostgresEngine

from app.access.keys import revocation_listener
from app.access.policy import POLICY
from app.answer_cache import keep_listening
from app.api.audit import AuditController
from app.api.auth import access_middleware, provide_principal
from app.api.docs import swagger_assets
from app.api.health import health, ready
from app.api.idempotency import idempotency_middleware
from app.api.inputs import check_input
from app.api.metrics import count_response, metrics, metrics_lifespan
from app.api.openapi import API_PREFIX, openapi_config
from app.api.problems import EXCEPTION_HANDLERS, POSTGRES_UNAVAILABLE
from app.api.rate_limit import rate_limit_config
from app.api.response_stamps import mark_start, note_allowed_methods, stamp_response
from app.continuity.controllers import ContinuityController
from app.database import DB, is_postgres, start_pool
from app.events import outbox as _change_feed  # noqa: F401  (installs the outbox)
from app.events.controllers import EventController
from app.events.subscription_controllers import SubscriptionController
from app.exchange.controllers import ExchangeController
from app.handovers.controllers import HandoverController
from app.logs import configure_logging
from app.municipalities.controllers import MunicipalityController
from app.organisations.controllers import OrganisationController
from app.provisions.controllers import ProvisionController
from app.services.controllers import ServiceController
from app.settings import get_settings
from app.staff.controllers import StaffTransferController
from app.versions.controllers import VersionController
from app.web import template_config, web_routes

API_CONTROLLERS = [
    OrganisationController,
    MunicipalityController,
    ServiceController,
    ProvisionController,
    HandoverController,
    StaffTransferController,
    ContinuityController,
    AuditController,
    ExchangeController,
    VersionController,
    EventController,
    SubscriptionController,
]


@asynccontextmanager
async def database_pool(app: Litestar) -> AsyncIterator[None]:
    """Open the PostgreSQL pool for the process's lifetime (size 0: a connection per query)."""
    pooled = is_postgres() and get_settings().postgres_pool_size > 0
    if pooled:
        await start_pool(get_settings().postgres_pool_size)
    try:
        yield
    finally:
        if pooled:
            await close_pool_within(get_settings().shutdown_seconds)


async def close_pool_within(seconds: float) -> None:
    """Close the pool, waiting at most ``seconds`` for connections still in use.

    A connection that broke in a PostgreSQL restart may never be released; ``close``
    would wait for it forever and shutdown with it. Past the bound, what is left is
    terminated (asyncpg's ``close`` terminates by itself when it is cancelled).
    """
    if not isinstance(DB, PostgresEngine):  # only PostgreSQL keeps a pool
        return
    pool = DB.pool
    if pool is None:
        return
    try:
        await asyncio.wait_for(pool.close(), timeout=seconds)
    except (TimeoutError, OSError, *POSTGRES_UNAVAILABLE):
        pool.terminate()
    DB.pool = None


@asynccontextmanager
async def answer_cache(app: Litestar) -> AsyncIterator[None]:
    """On PostgreSQL, keep answers while listening for changes (see app.answer_cache)."""
    if not (is_postgres() and get_settings().answer_cache):
        yield
        return
    listener = asyncio.create_task(keep_listening(get_settings().database_url))
    try:
        yield
    finally:
        listener.cancel()
        with contextlib.suppress(asyncio.CancelledError, TimeoutError):
            await asyncio.wait_for(listener, timeout=get_settings().shutdown_seconds)


def check_policy_covers(app: Litestar) -> None:
    """Refuse to start when an API route has no entry in the access policy."""
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            if (
                isinstance(handler, HTTPRouteHandler)
                and access_middleware in handler.resolve_middleware()
                and handler.http_methods != {"OPTIONS"}
                and handler.operation_id not in POLICY
            ):
                raise RuntimeError(f"route {route.path} has no entry in app.access.policy.POLICY")


def freeze_startup_objects(app: Litestar) -> None:
    """Leave what startup made (modules, routes, schemas) out of later garbage collections.

    A full collection over them paused every request in flight for up to 200 ms, which
    was the p99 of the national benchmark; frozen, the longest pause measured 13 ms.
    """
    gc.collect()
    gc.freeze()


def create_app() -> Litestar:
    configure_logging()
    rate_limit = rate_limit_config(get_settings().rate_limit)
    api = Router(
        path=API_PREFIX,
        route_handlers=API_CONTROLLERS,
        dependencies={"principal": Provide(provide_principal, sync_to_thread=False)},
        # The access check before idempotency: a key without the right gets its 403
        # before anything about its Idempotency-Key or its input is judged.
        middleware=[
            *([rate_limit.middleware] if rate_limit else []),
            access_middleware,
            idempotency_middleware,
        ],
        before_request=check_input,
    )
    app = Litestar(
        route_handlers=[health, ready, metrics, api, swagger_assets(), *web_routes()],
        openapi_config=openapi_config(),
        exception_handlers=EXCEPTION_HANDLERS,
        lifespan=[database_pool, answer_cache, revocation_listener, metrics_lifespan],
        middleware=[mark_start],
        before_send=[stamp_response, count_response],
        request_max_body_size=get_settings().request_max_body_bytes,
        on_startup=[check_policy_covers, note_allowed_methods, freeze_startup_objects],
        template_config=template_config(),
        cors_config=CORSConfig(
            allow_origins=["*"],
            allow_headers=["Authorization", "Content-Type", "If-Match", "Idempotency-Key"],
            expose_headers=["API-Version", "ETag", "Retry-After"],
        ),
    )
    return app
