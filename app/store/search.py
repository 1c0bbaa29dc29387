"""Case-insensitive "name contains" filters that work the same on both databases."""

from __future__ import annotations

from piccolo.columns import Varchar
from piccolo.columns.combination import Where

from app.database import is_postgres


def name_contains(column: Varchar, text: str) -> Where:
    pattern = "%" + text.replace("\\", "").replace("%", "").replace("_", "") + "%"
    # SQLite's LIKE already ignores case (for ASCII); it has no ILIKE and warns about it.
    return column.ilike(pattern) if is_postgres() else column.like(pattern)
