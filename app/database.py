"""The database engine, chosen from ``HANDOVER_DATABASE_URL``, and write transactions."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType
from piccolo.querystring import QueryString

from app.settings import DatabaseURLError, get_settings

#: The registry's working set lives in memory, where an index lookup costs about what a
#: sequential read does. With PostgreSQL's default (4.0, for spinning disks) the planner
#: joined a municipality's 130 provisions to their names by hashing the whole
#: organisation table, so the nationwide tables' growth showed in every answer.
PLANNER_SETTINGS = {"random_page_cost": "1.1"}


def engine_from_url(url: str) -> Engine:
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        # sqlite:///relative.sqlite and sqlite:////absolute/path.sqlite
        path = url.removeprefix("sqlite:///")
        if not path:
            raise DatabaseURLError(f"no file path in database URL {url!r}")
        return SQLiteEngine(path=path, timeout=30)
    if scheme in {"postgresql", "postgres"}:
        # A short connect timeout: when the server is away, answer 503 fast, don't hang.
        # No extensions: Piccolo would connect at import to create them, and the app
        # must start (and say 503) while the database is away. UUIDs come from Python.
        return PostgresEngine(
            config={"dsn": url, "timeout": 2, "server_settings": PLANNER_SETTINGS},
            extensions=(),
        )
    raise DatabaseURLError(
        f"unsupported database URL {url!r}: use sqlite:///path or postgresql://user@host:port/db"
    )


DB = engine_from_url(get_settings().database_url)


def is_postgres() -> bool:
    return isinstance(DB, PostgresEngine)


def _sqlite_now() -> str:
    # The version tables' fixed-width text form (see app.store.recorded.moment_value).
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f+00:00")


@asynccontextmanager
async def write_transaction() -> AsyncIterator[Any]:
    """A transaction for read-then-write work.

    SQLite must take the write lock at BEGIN (IMMEDIATE), otherwise two writers that
    both read first deadlock on upgrade and one fails with "database is locked".
    On SQLite the outermost one also stamps the versions its writes record (PostgreSQL's
    triggers use the transaction's own ``now()``).
    After it ends, this process forgets its kept answers, so a writer reads its write.
    The outermost one writes the events its changes call for just before it commits
    (``app.events.outbox``).
    """
    from app.continuity.cache import ANSWERS
    from app.events import outbox

    outermost = DB.current_transaction.get() is None
    collecting = outbox.begin_collecting() if outermost else None
    if isinstance(DB, SQLiteEngine):
        transaction = DB.transaction(transaction_type=TransactionType.immediate)
    else:
        transaction = DB.transaction()
    try:
        async with transaction:
            if outermost and isinstance(DB, SQLiteEngine):
                await DB.run_querystring(
                    QueryString(
                        "INSERT OR REPLACE INTO recording_context (id, recorded_at) VALUES (1, {})",
                        _sqlite_now(),
                    )
                )
            yield transaction
            if outermost:
                await outbox.write_pending()
            if outermost and isinstance(DB, SQLiteEngine):
                await DB.run_querystring(QueryString("DELETE FROM recording_context"))
    finally:
        if collecting is not None:
            outbox.end_collecting(collecting)
    ANSWERS.forget_all()


async def record_as(actor: str) -> None:
    """Name who makes the versions the current write transaction records."""
    if isinstance(DB, SQLiteEngine):
        statement = QueryString("UPDATE recording_context SET actor = {} WHERE id = 1", actor)
    else:
        statement = QueryString("SELECT set_config('handover.actor', {}, true)", actor)
    await DB.run_querystring(statement)
