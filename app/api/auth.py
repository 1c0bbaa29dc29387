"""Authentication by API key, and the middleware that applies the access policy.

Litestar's guards would be the usual place for the policy, but Litestar hands every
guard call a copy of the route handler, and at the rate municipalities poll that copy
cost a tenth of a kept continuity answer. So one middleware on the API router does what
the guard did: authenticate the key, put the principal in ``scope["user"]``, and look the
route's operation id up in ``app.access.policy.POLICY``. ``check_policy_covers`` refuses
to start when an API route has no entry there.
"""

from __future__ import annotations

from typing import cast

from litestar.connection import ASGIConnection
from litestar.di import NamedDependency
from litestar.enums import ScopeType
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers import HTTPRouteHandler
from litestar.types import ASGIApp, Receive, Scope, Send

from app.access.keys import principal_for_key
from app.access.policy import POLICY
from app.access.roles import Principal

BEARER = "bearer "

#: The key holder calling a handler, as a handler parameter type.
CurrentPrincipal = NamedDependency[Principal]


def bearer_key(scope: Scope) -> str | None:
    """The key of an ``Authorization: Bearer <key>`` header, if the request has one."""
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            header = value.decode("latin-1")
            if header[: len(BEARER)].lower() != BEARER:
                return None
            return header[len(BEARER) :].strip() or None
    return None


#: Where a request keeps the principal of its key once looked up (``None``: none found).
PRINCIPAL = "handover.principal"


async def key_principal(scope: Scope) -> Principal | None:
    """The principal of the request's bearer key, looked up once per request.

    The rate limit, idempotency and the access check each need it, in that order.
    """
    if PRINCIPAL not in scope:
        key = bearer_key(scope)
        scope[PRINCIPAL] = await principal_for_key(key) if key else None  # type: ignore[literal-required]
    return scope[PRINCIPAL]  # type: ignore[literal-required]


async def authenticate(scope: Scope) -> Principal:
    if bearer_key(scope) is None:
        raise NotAuthorizedException(
            "Send an API key as 'Authorization: Bearer <key>'.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    principal = await key_principal(scope)
    if principal is None:
        raise NotAuthorizedException(
            "The API key is unknown or revoked.", headers={"WWW-Authenticate": "Bearer"}
        )
    return principal


def access_middleware(app: ASGIApp) -> ASGIApp:
    """On every API route: who is calling, and may their role call this operation."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        # CORS preflight and the automatic OPTIONS answer carry no data.
        if scope["type"] == ScopeType.HTTP and scope["method"] != "OPTIONS":
            # An HTTP scope's handler: the API router has HTTP routes only.
            operation = str(cast("HTTPRouteHandler", scope["route_handler"]).operation_id)
            principal = await authenticate(scope)
            scope["user"] = principal
            if principal.role not in POLICY[operation]:
                raise PermissionDeniedException(f"A {principal.role} key may not call {operation}.")
        await app(scope, receive, send)

    return middleware


def provide_principal(request: ASGIConnection) -> Principal:
    return request.scope["user"]
