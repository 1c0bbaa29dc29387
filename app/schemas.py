"""The base of every request and response body, and the shapes shared between resources."""

from __future__ import annotations

from typing import Any, Generic, TypeVar
from uuid import UUID

import msgspec

T = TypeVar("T")


class Schema(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    """JSON bodies: camelCase field names, as the NL API Design Rules ask.

    Unknown fields are refused, so a misspelt field is a 400 rather than silently lost.
    """


class Ref(Schema):
    """A reference to another resource, with the name a person recognises it by."""

    id: UUID
    name: str


class MunicipalityRef(Schema):
    code: str
    name: str


class Page(Schema, Generic[T]):
    items: list[T]
    next: str | None = None


def set_fields(update: msgspec.Struct) -> dict[str, Any]:
    """The fields a PATCH body actually sent (those left ``UNSET`` are not changes)."""
    return {k: v for k, v in msgspec.structs.asdict(update).items() if v is not msgspec.UNSET}
