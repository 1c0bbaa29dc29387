"""The database engine, chosen from ``HANDOVER_DATABASE_URL``, and write transactions."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType
from piccolo.querystring import QueryString

from app import changes
from app.answer_cache import ANSWER_CACHE
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


async def _no_session_reset(connection: Any) -> None:
    """What a pooled connection needs between uses: nothing beyond asyncpg's own rollback.

    asyncpg's default reset sends ``pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *;
    RESET ALL`` each time a connection goes back to the pool, a second round trip for
    every query Piccolo runs. The registry keeps no session state on pooled connections:
    its settings and advisory locks are transaction-local (``set_config(…, true)``,
    ``pg_advisory_xact_lock``) and it listens on a connection of its own.
    """


async def start_pool(max_size: int) -> None:
    # min_size=0: connect lazily, so the app starts (and answers 503) while the
    # database is away, and reconnects by itself when it is back.
    # Engine's signature hides PostgresEngine's **kwargs (passed on to asyncpg.create_pool).
    await DB.start_connection_pool(min_size=0, max_size=max_size, reset=_no_session_reset)  # type: ignore[call-arg]


def _sqlite_now() -> str:
    # The version tables' fixed-width text form (see app.store.recorded.moment_value).
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f+00:00")


class HeldWrite:
    """A write transaction that ``held_write`` keeps open past the writes inside it.

    It begins at the first ``write_transaction`` within the block, not before: a request
    that reads and checks a large upload first holds no lock (SQLite has one writer)
    while it does.
    """

    def __init__(self) -> None:
        self._stack: AsyncExitStack | None = None
        self._transaction: Any = None

    @property
    def begun(self) -> bool:
        return self._stack is not None

    async def begin(self) -> None:
        self._stack = AsyncExitStack()
        self._transaction = await self._stack.enter_async_context(_outermost())

    async def rollback(self) -> None:
        """Undo what was written so far; the block still ends normally."""
        if self._transaction is not None and not self._transaction._rolled_back:
            await self._transaction.rollback()

    async def end(self, error: BaseException | None) -> None:
        if self._stack is not None:
            await self._stack.__aexit__(type(error) if error else None, error, None)


_held: ContextVar[HeldWrite | None] = ContextVar("held_write", default=None)


@asynccontextmanager
async def held_write() -> AsyncIterator[HeldWrite]:
    """Writes inside this block commit together when it ends (or roll back on an error).

    For a request whose answer must be stored with its writes (``Idempotency-Key``).
    """
    held = HeldWrite()
    token = _held.set(held)
    try:
        yield held
    except BaseException as error:
        await held.end(error)
        raise
    else:
        await held.end(None)
    finally:
        _held.reset(token)


@asynccontextmanager
async def write_transaction() -> AsyncIterator[Any]:
    """A transaction for read-then-write work.

    SQLite must take the write lock at BEGIN (IMMEDIATE), otherwise two writers that
    both read first deadlock on upgrade and one fails with "database is locked".
    On SQLite the outermost one also stamps the versions its writes record (PostgreSQL's
    triggers use the transaction's own ``now()``).
    After it ends, this process forgets its kept answers, so a writer reads its write.
    Inside ``held_write`` the first one begins the held transaction and the rest nest in it.
    The outermost one hands the changes its writes noted to the hooks of ``app.changes``
    just before it commits (the change feed writes their events there).
    """
    held = _held.get()
    if DB.current_transaction.get() is None and held is not None and not held.begun:
        await held.begin()
    if DB.current_transaction.get() is not None:
        async with DB.transaction() as nested:
            yield nested
        return
    async with _outermost() as transaction:
        yield transaction


@asynccontextmanager
async def _outermost() -> AsyncIterator[Any]:
    collecting = changes.begin_collecting()
    sqlite = isinstance(DB, SQLiteEngine)
    if sqlite:
        transaction = DB.transaction(transaction_type=TransactionType.immediate)
    else:
        transaction = DB.transaction()
    try:
        async with transaction:
            if sqlite:
                await DB.run_querystring(
                    QueryString(
                        "INSERT OR REPLACE INTO recording_context (id, recorded_at) VALUES (1, {})",
                        _sqlite_now(),
                    )
                )
            yield transaction
            if not transaction._rolled_back:
                await changes.run_before_commit()
                if sqlite:
                    await DB.run_querystring(QueryString("DELETE FROM recording_context"))
    finally:
        changes.end_collecting(collecting)
    ANSWER_CACHE.forget_all()


async def record_as(actor: str) -> None:
    """Name who makes the versions the current write transaction records."""
    if isinstance(DB, SQLiteEngine):
        statement = QueryString("UPDATE recording_context SET actor = {} WHERE id = 1", actor)
    else:
        statement = QueryString("SELECT set_config('handover.actor', {}, true)", actor)
    await DB.run_querystring(statement)
