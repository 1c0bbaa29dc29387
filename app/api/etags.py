"""Optimistic concurrency over HTTP: ETag out, If-Match in.

Every editable resource carries a ``version`` that each write bumps; its ETag is that
version as a strong tag. ``PATCH`` and handover transitions must send the ETag they read
as ``If-Match``: none is a 428, a stale one a 412. The comparison happens in
``app.store.records`` inside the write transaction, under the row lock, after the
caller's access has been checked (so a 428 never hides a 403).

A handover is edited as one document: its ETag also changes when its parties, services,
guarantees, milestones, staff or lifecycle change, and a milestone is edited with the
handover's ETag.
"""

from __future__ import annotations

from typing import Annotated, Protocol, TypeVar

from litestar import Response
from litestar.params import HeaderParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from app.store.records import etag

IF_MATCH = "If-Match"

IfMatch = Annotated[
    str | None,
    HeaderParameter(
        name=IF_MATCH,
        description="The ETag of the record as you read it; required to change it.",
        required=False,
    ),
]


class Versioned(Protocol):
    version: int


T = TypeVar("T", bound=Versioned)


def with_etag(body: T, *, status_code: int = HTTP_200_OK) -> Response[T]:
    return Response(body, status_code=status_code, headers={"ETag": etag(body.version)})


def created(body: T) -> Response[T]:
    return with_etag(body, status_code=HTTP_201_CREATED)
