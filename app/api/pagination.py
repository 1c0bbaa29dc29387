"""Keyset pagination: an opaque cursor holding the sort value and id of the last item."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from litestar.params import QueryParameter
from piccolo.columns import Column
from piccolo.query import Select

from app.errors import InvalidInput
from app.fields import CURSOR_PATTERN
from app.store.audit import json_value
from app.store.recorded import read

Limit = Annotated[
    int, QueryParameter(ge=1, le=500, description="Page size (1-500).", required=False)
]
Cursor = Annotated[
    str | None,
    QueryParameter(
        description="The `next` value of the previous page.",
        required=False,
        pattern=CURSOR_PATTERN,
    ),
]


def encode_cursor(sort_value: Any, record_id: Any) -> str:
    raw = json.dumps([json_value(sort_value), str(record_id)]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[Any, UUID]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        sort_value, record_id = json.loads(base64.urlsafe_b64decode(padded))
        return sort_value, UUID(record_id)
    except (ValueError, TypeError) as error:
        raise InvalidInput("the cursor is not one this API handed out", field="cursor") from error


async def keyset_page(
    query: Select,
    *,
    sort: Column,
    id_column: Column,
    limit: int,
    cursor: str | None,
    convert: Callable[[Any], Any] = lambda value: value,
    at: datetime | None = None,
) -> tuple[Sequence[dict[str, Any]], str | None]:
    """Run ``query`` for one page ordered by (sort, id), live or as recorded ``at``; return
    its rows and the next cursor."""
    if cursor is not None:
        last_sort, last_id = decode_cursor(cursor)
        last_sort = convert(last_sort)
        query = query.where((sort > last_sort) | ((sort == last_sort) & (id_column > last_id)))
    rows = await read(query.order_by(sort, id_column).limit(limit + 1), at)
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    last = rows[-1]
    return rows, encode_cursor(last[sort._meta.name], last[id_column._meta.name])
