"""The kinds of value request bodies and query parameters take, each bounded once.

Every string is no longer than the column that keeps it (free texts get a sane bound of
their own) and holds no NUL (PostgreSQL cannot store one) nor other control characters
(the XLSX exports cannot hold them): refused here with a 400 naming the field, on SQLite
as on PostgreSQL, before the database sees it. Numbers
have the ranges a person could mean. Dates and moments have one accepted range
(``FIRST_DAY``..``LAST_DAY``), checked by ``app.api.inputs``, stated in the schema.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from msgspec import Meta

#: No NUL and no other control character but tab, newline and carriage return (as a
#: regex Python and JSON Schema read alike): PostgreSQL cannot store a NUL, and the XLSX
#: exports cannot hold the others.
NO_NUL = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$"

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2200, 12, 31)


def text(max_length: int, min_length: int = 0) -> Meta:
    return Meta(min_length=min_length, max_length=max_length, pattern=NO_NUL)


# Lengths follow app/tables/tables.py.
Name = Annotated[str, text(200, min_length=1)]
Title = Annotated[str, text(300, min_length=1)]
PersonName = Annotated[str, text(200)]
Function = Annotated[str, text(200)]
OrganisationKind = Annotated[str, text(40)]
Website = Annotated[str, text(300)]
Category = Annotated[str, text(100)]
Metric = Annotated[str, text(100, min_length=1)]
StaffRef = Annotated[str, text(60, min_length=1)]
#: Descriptions, notes, sources and promises: Text columns, bounded all the same.
FreeText = Annotated[str, text(10_000)]
CbsCode = Annotated[str, Meta(pattern=r"^GM\d{4}$", description="CBS code, e.g. GM0014.")]
KvkNumber = Annotated[str, Meta(pattern=r"^\d{8}$", description="KvK number: 8 digits.")]

#: One person's FTE in a handover.
Fte = Annotated[float, Meta(gt=0, le=1.5, description="0 < fte ≤ 1.5")]
#: The FTE staffing a whole service (a provision's, a guarantee's baseline).
ServiceFte = Annotated[float, Meta(ge=0, le=100_000, description="0 ≤ fte ≤ 100000")]
Year = Annotated[int, Meta(ge=1900, le=2200)]
FigureValue = Annotated[float, Meta(ge=-1e12, le=1e12)]

# The same bounds for query parameters (Litestar's QueryParameter takes them as keywords).
CBS_CODE_PATTERN = r"^GM\d{4}$"
#: What ``app.api.pagination`` hands out: unpadded URL-safe base64 (or a plain offset).
CURSOR_PATTERN = r"^[A-Za-z0-9_-]{1,1000}$"
SEARCH = {"max_length": 200, "pattern": NO_NUL}
CBS_CODE_QUERY = {"pattern": CBS_CODE_PATTERN}
