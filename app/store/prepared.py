"""Selects whose SQL is built once per shape: each call only binds its values.

Piccolo builds a query's SQL afresh on every call (columns copied for every join step,
the string assembled and compiled): for the continuity questions that was about 40% of
each query's time, for SQL that differs between calls only in its values. A
``PreparedSelect`` builds its query with placeholder values, compiles it once for each
shape (live or as recorded at a moment; how many values each list holds) and then fills
in the real values. The database's own statement cache (asyncpg's) then sees the same
text each time as well.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from piccolo.query import Select
from piccolo.querystring import QueryString
from piccolo.table import Table

from app.store.recorded import as_recorded, moment_value

Value = UUID | str
Rows = list[dict[str, Any]]

#: Shapes kept per query; past this the cache starts afresh (lists of any length exist).
MAX_SHAPES = 256
_PLACEHOLDER_MOMENT = datetime(1900, 1, 1, 0, 0, 0, 424242, tzinfo=UTC)


def _placeholder(like: Value, name: int, position: int) -> Value:
    if isinstance(like, UUID):
        return UUID(int=((name + 1) << 64) + position + 1)
    if isinstance(like, str):
        return f"\x00placeholder:{name}:{position}"
    raise TypeError(f"a prepared select binds UUIDs and strings, not {type(like).__name__}")


@dataclass(frozen=True, slots=True)
class _Compiled:
    query: Select
    sql: str
    args: tuple[Any, ...]
    #: (position in args, name, index in its list or None for a single value)
    slots: tuple[tuple[int, str, int | None], ...]
    moment_slots: tuple[int, ...]

    def bind(self, values: dict[str, Value | Sequence[Value]], at: datetime | None) -> list:
        args = list(self.args)
        for position, name, index in self.slots:
            value = values[name]
            args[position] = value if index is None else value[index]  # type: ignore[index]
        if at is not None:
            moment = moment_value(at)
            for position in self.moment_slots:
                args[position] = moment
        return args


class PreparedSelect:
    """``build(**values)`` gives the Piccolo select of ``table``; calling this runs it with
    new values."""

    def __init__(self, table: type[Table], build: Callable[..., Select]) -> None:
        self._table = table
        self._build = build
        self._compiled: dict[tuple, _Compiled] = {}

    async def __call__(self, at: datetime | None, **values: Value | Sequence[Value]) -> Rows:
        engine = self._table._meta.db  # looked up per call: tests point tables elsewhere
        shape = (
            engine.engine_type,
            at is not None,
            *((n, _length(v)) for n, v in sorted(values.items())),
        )
        compiled = self._compiled.get(shape)
        if compiled is None:
            if len(self._compiled) >= MAX_SHAPES:
                self._compiled.clear()
            compiled = self._compile(values, at is not None, engine.engine_type)
            self._compiled[shape] = compiled
        querystring = QueryString("")
        # Piccolo's own hook for SQL compiled ahead (what ``Query.freeze`` uses).
        querystring._frozen_compiled_strings = (compiled.sql, compiled.bind(values, at))
        results = await engine.run_querystring(querystring)
        return await compiled.query._process_results(results)

    def _compile(
        self, values: dict[str, Value | Sequence[Value]], recorded: bool, engine_type: str
    ) -> _Compiled:
        placeholders: dict[str, Value | list[Value]] = {}
        where: dict[Value, tuple[str, int | None]] = {}
        for number, (name, value) in enumerate(sorted(values.items())):
            if isinstance(value, (list, tuple)):
                listed = [_placeholder(v, number, i) for i, v in enumerate(value)]
                placeholders[name] = listed
                where.update((p, (name, i)) for i, p in enumerate(listed))
            else:
                placeholders[name] = _placeholder(value, number, 0)  # type: ignore[arg-type]
                where[placeholders[name]] = (name, None)  # type: ignore[index]
        query = self._build(**placeholders)
        querystring = query.querystrings[0]
        moment = moment_value(_PLACEHOLDER_MOMENT)
        if recorded:
            querystring = as_recorded(querystring, _PLACEHOLDER_MOMENT)
        sql, args = querystring.compile_string(engine_type)
        slots = tuple(
            (position, *where[arg])
            for position, arg in enumerate(args)
            if isinstance(arg, (UUID, str)) and arg in where
        )
        if {slot[1:] for slot in slots} != set(where.values()):
            raise ValueError("a placeholder value did not reach the SQL as a parameter")
        moment_slots = tuple(p for p, arg in enumerate(args) if recorded and arg == moment)
        return _Compiled(query, sql, tuple(args), slots, moment_slots)


def _length(value: Value | Sequence[Value]) -> int:
    return len(value) if isinstance(value, (list, tuple)) else -1
