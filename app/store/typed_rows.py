"""Typed rows: a msgspec Struct says which columns a read takes, and the rows arrive as
instances of it, so a renamed column fails the type check (or the first read), not a
``KeyError`` somewhere downstream.

Each field's name in the row (``msgspec.field(name=...)``) is its path from the table:
``organisation.name`` joins the organisation and takes its name, as Piccolo spells it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

import msgspec
from piccolo.columns import Column
from piccolo.table import Table

R = TypeVar("R", bound=msgspec.Struct)


def columns_for(row: type[msgspec.Struct], table: type[Table]) -> list[Column]:
    """The columns ``row`` reads from ``table``, in its fields' order."""
    columns: list[Column] = []
    for field in msgspec.structs.fields(row):
        node: Any = table
        for step in field.encode_name.split("."):
            node = getattr(node, step)
        columns.append(node)
    return columns


def as_rows(row: type[R], rows: Sequence[dict[str, Any]]) -> list[R]:
    return [msgspec.convert(r, row) for r in rows]
