"""Answers kept until the registry changes go out as the bytes they were first encoded to.

A kept continuity answer is some 14 kB of JSON; encoding it again for every poll cost
more than finding it. ``keep`` encodes once, as Litestar would, and ``answer`` sends those
bytes; the handler's ``Response[T]`` annotation still documents ``T`` in the OpenAPI.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from litestar import MediaType, Response
from litestar.serialization import encode_json

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Kept(Generic[T]):
    document: T
    body: bytes


def keep(document: T) -> Kept[T]:
    return Kept(document, encode_json(document))


def answer(kept: Kept[T]) -> Response[T]:
    return Response(content=kept.body, media_type=MediaType.JSON)
