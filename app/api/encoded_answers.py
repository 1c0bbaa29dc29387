"""Cached answers go out as the bytes they were first encoded to.

A cached continuity answer is some 14 kB of JSON; encoding it again for every poll cost
more than finding it in the answer cache (``app.answer_cache``). ``encode_answer``
encodes once, as Litestar would, and ``send_encoded`` sends those bytes; the handler's
``Response[T]`` annotation still documents ``T`` in the OpenAPI.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar, cast

from litestar import MediaType, Response
from litestar.serialization import encode_json

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class EncodedAnswer(Generic[T]):
    document: T
    body: bytes


def encode_answer(document: T) -> EncodedAnswer[T]:
    return EncodedAnswer(document, encode_json(document))


def send_encoded(encoded: EncodedAnswer[T]) -> Response[T]:
    # The content is ``T`` already encoded; ``Response[T]`` is what the OpenAPI documents.
    return cast("Response[T]", Response(content=encoded.body, media_type=MediaType.JSON))
