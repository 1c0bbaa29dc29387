"""Authentication by API key, and the one guard that applies the access policy."""

from __future__ import annotations

from litestar.connection import ASGIConnection
from litestar.di import NamedDependency
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers import BaseRouteHandler

from app.access.keys import principal_for_key
from app.access.policy import POLICY
from app.access.roles import Principal

BEARER = "bearer "

#: The key holder calling a handler, as a handler parameter type.
CurrentPrincipal = NamedDependency[Principal]


async def authenticate(connection: ASGIConnection) -> Principal:
    header = connection.headers.get("authorization", "")
    if not header.lower().startswith(BEARER) or not header[len(BEARER) :].strip():
        raise NotAuthorizedException(
            "Send an API key as 'Authorization: Bearer <key>'.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    principal = await principal_for_key(header[len(BEARER) :].strip())
    if principal is None:
        raise NotAuthorizedException(
            "The API key is unknown or revoked.", headers={"WWW-Authenticate": "Bearer"}
        )
    return principal


async def authorize(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    """Guard on every API route: look the route up in the policy table, then check the role."""
    if connection.scope.get("method") == "OPTIONS":
        return  # CORS preflight and the automatic OPTIONS answer carry no data
    operation = str(handler.operation_id)
    allowed = POLICY[operation]
    principal = await authenticate(connection)
    connection.scope["user"] = principal
    if principal.role not in allowed:
        raise PermissionDeniedException(f"A {principal.role} key may not call {operation}.")


def provide_principal(request: ASGIConnection) -> Principal:
    return request.scope["user"]
