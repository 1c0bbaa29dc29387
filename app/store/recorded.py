"""The registry as it was recorded at a moment: one read path for every question.

Every registry table has a twin, ``<table>_version``, that database triggers fill in the
transaction of each change (see the migration ``registry_2026_12_01t23_50``): the row's
columns as they were, held over ``[recorded_from, recorded_to)``. A question asked "as
known on" a moment runs the very query it runs live, with each table it reads shadowed by
a common table expression of the same name that selects the versions held then. The live
question reads the tables themselves.

So a ``knownOn`` answer costs what the live one does, plus an index step per row: it
grows with the versions of the rows it reads, never with the registry's whole history.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime
from typing import Any

from piccolo.query.base import Query
from piccolo.query.methods.select import First
from piccolo.querystring import QueryString
from piccolo.table import Table

from app.database import is_postgres
from app.tables.tables import (
    ContinuityGuarantee,
    Handover,
    HandoverParty,
    HandoverService,
    HandoverTransition,
    Milestone,
    Municipality,
    MunicipalitySuccessor,
    Officer,
    Organisation,
    OrganisationIdentifier,
    OrganisationName,
    OrganisationRelation,
    Provision,
    Service,
    ServiceFigure,
    StaffTransfer,
)

#: The tables whose every version is kept.
VERSIONED: tuple[type[Table], ...] = (
    Organisation,
    OrganisationName,
    OrganisationRelation,
    OrganisationIdentifier,
    Officer,
    Municipality,
    MunicipalitySuccessor,
    Service,
    Handover,
    HandoverParty,
    HandoverService,
    HandoverTransition,
    Provision,
    StaffTransfer,
    ContinuityGuarantee,
    Milestone,
    ServiceFigure,
)
#: The columns a version adds to its row's.
VERSION_COLUMNS = ("version_id", "recorded_from", "recorded_to", "recorded_by")

_TABLE_NAMED = re.compile(r'(?:FROM|JOIN) "(\w+)"')
# PostgreSQL and SQLite would compute a shadow referenced twice (an organisation joined
# as source and as receiver) once, over every version; inlined, the query's own filters
# reach the version indexes.
_INLINED = "NOT MATERIALIZED " if is_postgres() or sqlite3.sqlite_version_info >= (3, 35) else ""


_RECURSIVE = "WITH RECURSIVE "


def version_table(table: type[Table]) -> str:
    return f"{table._meta.tablename}_version"


def _shadow(table: type[Table]) -> str:
    columns = ", ".join(f'"{c._meta.db_column_name}"' for c in table._meta.columns)
    return (
        f'"{table._meta.tablename}" AS {_INLINED}(SELECT {columns} '
        f'FROM "{version_table(table)}" WHERE "recorded_from" <= {{}} '
        'AND ("recorded_to" IS NULL OR "recorded_to" > {}))'
    )


_SHADOWS = {table._meta.tablename: _shadow(table) for table in VERSIONED}


def moment_value(moment: datetime) -> Any:
    """A moment as the version tables compare it: SQLite keeps them as fixed-width text."""
    if is_postgres():
        return moment
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f+00:00")


def as_recorded(querystring: QueryString, at: datetime) -> QueryString:
    """``querystring`` asked of the versions held at ``at``."""
    names = sorted(set(_TABLE_NAMED.findall(str(querystring))) & _SHADOWS.keys())
    if not names:
        return querystring
    value = moment_value(at)
    ctes = ", ".join(_SHADOWS[name] for name in names)
    moments = [value, value] * len(names)
    if querystring.template.startswith(_RECURSIVE):
        # One WITH clause only: the shadows go first in the query's own recursive one.
        rest = querystring.template.removeprefix(_RECURSIVE)
        return QueryString(f"{_RECURSIVE}{ctes}, {rest}", *moments, *querystring.args)
    return QueryString(f"WITH {ctes} {{}}", *moments, querystring)


async def read_sql(
    table: type[Table], querystring: QueryString, at: datetime | None = None
) -> list[dict[str, Any]]:
    """Rows of SQL written by hand, run on ``table``'s engine, live or as held at ``at``."""
    if at is not None:
        querystring = as_recorded(querystring, at)
    engine = table._meta.db  # looked up per call: tests point tables elsewhere
    return engine.transform_response_to_dicts(await engine.run_querystring(querystring)) or []


async def read(query: Query | First, at: datetime | None) -> Any:
    """Run a Piccolo query live (``at`` is None) or as the registry held it at ``at``."""
    if at is None:
        return await query
    if isinstance(query, First):
        rows = await read(query.query, at)
        return rows[0] if rows else None
    engine = query.table._meta.db
    results = await engine.run_querystring(as_recorded(query.querystrings[0], at))
    return await query._process_results(results)
