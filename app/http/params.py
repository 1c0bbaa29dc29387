"""Path and query parameters used by more than one controller."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from litestar.params import PathParameter, QueryParameter

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
