"""Cached answers go out as the bytes they were first encoded to.

A cached continuity answer is some 14 kB of JSON; encoding it again for every poll cost
more than finding it in the answer cache (``app.answer_cache``). ``encode_answer``
encodes once, as Litestar would, and ``send_encoded`` sends those bytes; the handler's
``Response[T]`` annotation still documents ``T`` in the OpenAPI.

The bytes go out as an ``EncodedResponse``: a ``Response`` that hands them to Litestar's
``ASGIResponse`` as they are, without the type encoders, cookies and rendering a response
of arbitrary content needs. At the rate municipalities poll, that was a twentieth of a
kept answer's time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from litestar import MediaType, Response
from litestar.response.base import ASGIResponse
from litestar.serialization import encode_json

if TYPE_CHECKING:
    from litestar import Request

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class EncodedAnswer(Generic[T]):
    document: T
    body: bytes


def encode_answer(document: T) -> EncodedAnswer[T]:
    return EncodedAnswer(document, encode_json(document))


class EncodedResponse(Response[bytes]):
    """JSON that is already encoded, sent as it is."""

    def __init__(self, body: bytes) -> None:
        # What Response's own __init__ sets, without its merging of type encoders.
        self.content = body
        self.background = None
        self.cookies = []
        self.encoding = "utf-8"
        self.headers: dict[str, Any] = {}
        self.media_type = MediaType.JSON
        self.status_code = None
        self.response_type_encoders = {}

    def to_asgi_response(
        self, app: Any, request: Request, *, headers: dict[str, str] | None = None, **_: Any
    ) -> ASGIResponse:
        # The layers' headers, then the response's own, as Litestar merges them.
        merged = {**headers, **self.headers} if headers else self.headers
        return ASGIResponse(body=self.content, headers=merged, media_type=MediaType.JSON)


def send_encoded(encoded: EncodedAnswer[T]) -> Response[T]:
    # The content is ``T`` already encoded; ``Response[T]`` is what the OpenAPI documents.
    return cast("Response[T]", EncodedResponse(encoded.body))
