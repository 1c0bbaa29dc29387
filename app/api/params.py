"""Path and query parameters used by more than one controller."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from litestar.params import PathParameter, QueryParameter

from app.dates import AMSTERDAM
from app.fields import SEARCH

IdPath = Annotated[UUID, PathParameter(description="The resource's id (UUID).")]
CbsCodePath = Annotated[
    str, PathParameter(description="CBS municipality code, e.g. GM0014.", pattern=r"^GM\d{4}$")
]
OnDate = Annotated[
    date | None,
    QueryParameter(
        description="The calendar date asked about (ISO 8601); default today.", required=False
    ),
]


KnownOn = Annotated[
    datetime | None,
    QueryParameter(
        name="knownOn",
        description=(
            "Answer with what the registry had recorded at this moment (ISO 8601 date-time; "
            "without an offset it is read as Europe/Amsterdam time)."
        ),
        required=False,
    ),
]


def as_aware(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=AMSTERDAM)


NameContains = Annotated[
    str | None,
    QueryParameter(description="Part of the name, any case.", required=False, **SEARCH),
]
