"""What every API request's input must be before a handler sees it.

A ``before_request`` hook on the API router, after authentication and the access check
(so a caller without the right learns nothing about what input is valid):

- a JSON operation takes only a JSON ``Content-Type`` (else 415);
- its body is decoded strictly against the operation's schema first: ``"0.5"`` is not a
  number, and nesting is refused at the first level the schema does not have, so a body
  of 100,000 ``[`` is a 400 and never reaches a decoder that recurses;
- every date and moment, in the body or in the query, lies in ``FIRST_DAY``..``LAST_DAY``,
  the range the continuity engine and the pages compute within.

Lengths, NUL and numeric ranges are the schemas' own constraints (``app.fields``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import msgspec
from litestar import Request
from litestar.enums import RequestEncodingType
from litestar.exceptions import HTTPException, ValidationException
from litestar.handlers import HTTPRouteHandler
from litestar.params import BodyKwarg, QueryParameter

from app.errors import InvalidInput
from app.fields import FIRST_DAY, LAST_DAY


class _Inputs(msgspec.Struct, frozen=True):
    body: Any  # the body's type, or None when the operation takes no JSON body
    dated_query: tuple[tuple[str, type], ...]  # query keys holding a date or moment, and which


_INPUTS: dict[int, _Inputs] = {}


def _is_dated(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, date)


def _inputs_of(handler: HTTPRouteHandler) -> _Inputs:
    """What a handler takes, worked out once per handler."""
    found = _INPUTS.get(id(handler))
    if found is not None:
        return found
    body = None
    dated: list[tuple[str, type]] = []
    for name, field in handler.parsed_fn_signature.parameters.items():
        definition = field.kwarg_definition
        if name == "data" and isinstance(definition, BodyKwarg):
            if definition.media_type == RequestEncodingType.JSON:
                body = field.annotation
        elif isinstance(definition, QueryParameter):
            types = [t.annotation for t in field.inner_types] if field.is_optional else []
            for kind in [field.annotation, *types]:
                if _is_dated(kind):
                    dated.append((definition.name or name, kind))
    found = _INPUTS[id(handler)] = _Inputs(body=body, dated_query=tuple(dated))
    return found


def _is_json(content_type: str) -> bool:
    return content_type == "application/json" or (
        content_type.startswith("application/") and content_type.endswith("+json")
    )


def check_day(value: date, field: str) -> None:
    day = value.date() if isinstance(value, datetime) else value
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InvalidInput(
            f"{field} must lie between {FIRST_DAY.isoformat()} and {LAST_DAY.isoformat()}",
            field=field,
        )


def _check_days(value: Any, path: str) -> None:
    """Every date in a decoded body, named as the client wrote it (``parties[0].validFrom``)."""
    if isinstance(value, date):
        check_day(value, path)
    elif isinstance(value, msgspec.Struct):
        for info in msgspec.structs.fields(value):
            inner = getattr(value, info.name)
            if inner is not msgspec.UNSET:
                _check_days(inner, f"{path}.{info.encode_name}" if path else info.encode_name)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_days(item, f"{path}[{index}]")


async def check_input(request: Request) -> None:
    inputs = _inputs_of(request.route_handler)
    for key, kind in inputs.dated_query:
        raw = request.query_params.get(key)
        if raw is None:
            continue
        try:
            # Strictly ISO 8601: Litestar's own lax reading takes "0.5" as a timestamp.
            moment: date = msgspec.json.decode(msgspec.json.encode(raw), type=kind)
        except msgspec.ValidationError:
            raise InvalidInput(
                f"{key} must be an ISO 8601 date (2022-01-01) or date-time", field=key
            ) from None
        check_day(moment, key)
    if inputs.body is None:
        return
    content_type = request.content_type[0]
    if not _is_json(content_type):
        raise HTTPException(
            status_code=415,
            detail=f"send the body as application/json, not {content_type or 'no Content-Type'}",
        )
    try:
        body = msgspec.json.decode(await request.body(), type=inputs.body, strict=True)
    except (msgspec.ValidationError, msgspec.DecodeError) as error:
        raise ValidationException(
            detail=str(error), extra=[{"message": str(error), "key": "data", "source": "body"}]
        ) from error
    _check_days(body, "")
