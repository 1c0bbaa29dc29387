"""The answer cache: answers about the live registry, kept until the registry changes.

Every municipality's system asks the same few questions again and again (who delivers
what today, the timeline of a service), while the registry changes a few times a day.
So an answer is computed once and kept until any change commits:

- every registry write inserts audit events, and on PostgreSQL a trigger on
  ``audit_event`` sends ``NOTIFY registry_changed`` at commit, which every process
  listens for (``keep_listening``), whoever made the change;
- a process also forgets at once after its own writes (``app.database.write_transaction``),
  so whoever just wrote reads what they wrote.

Without a listening connection (SQLite, PostgreSQL away, the connection lost) nothing is
kept, so an answer is never older than the last change this process can know of.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any, ParamSpec, TypeVar

import structlog

from app.metrics import ANSWER_CACHE_HIT, ANSWER_CACHE_MISS

CHANNEL = "registry_changed"
RECONNECT_SECONDS = 5.0
HEARTBEAT_SECONDS = 10.0

P = ParamSpec("P")
T = TypeVar("T")

log = structlog.get_logger()


class AnswerCache:
    def __init__(self, size: int = 4096) -> None:
        self._answers: OrderedDict[Any, Any] = OrderedDict()
        self._size = size
        self.enabled = False
        # Bumped on every change: an answer computed across a change is not kept.
        self.generation = 0

    def forget_all(self) -> None:
        self.generation += 1
        self._answers.clear()

    def stop(self) -> None:
        self.enabled = False
        self.forget_all()

    async def get_or_compute(self, key: Any, compute: Callable[[], Awaitable[T]]) -> T:
        if not self.enabled:
            return await compute()
        try:
            self._answers.move_to_end(key)
            answer = self._answers[key]
        except KeyError:
            ANSWER_CACHE_MISS.inc()
        else:
            ANSWER_CACHE_HIT.inc()
            return answer
        generation = self.generation
        answer = await compute()
        if self.enabled and generation == self.generation:
            self._answers[key] = answer
            if len(self._answers) > self._size:
                self._answers.popitem(last=False)
        return answer


ANSWER_CACHE = AnswerCache()


Arguments = dict[str, Any]


def _binder(
    function: Callable[..., Any],
) -> tuple[tuple[str, ...], Callable[[tuple, dict], Arguments]]:
    """The parameter names, and a binder giving a call's arguments by name, defaults
    filled in: ``Signature.bind`` without its cost (it ran on every poll), which it still
    does for a call that does not fit."""
    signature = inspect.signature(function)
    names = tuple(signature.parameters)
    known = frozenset(names)
    defaults = {
        name: p.default
        for name, p in signature.parameters.items()
        if p.default is not inspect.Parameter.empty
    }
    plain = all(
        p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) for p in signature.parameters.values()
    )

    def bind(args: tuple, kwargs: dict) -> Arguments:
        if plain and len(args) <= len(names) and known.issuperset(kwargs):
            arguments = {**defaults, **dict(zip(names, args, strict=False)), **kwargs}
            if len(arguments) == len(names):
                return arguments
        bound = signature.bind(*args, **kwargs)  # raises the TypeError a bad call deserves
        bound.apply_defaults()
        return dict(bound.arguments)

    return names, bind


def cached_answer(*, unless: Callable[[Arguments], bool] = lambda _: False):
    """Keep the decorated query's answers in ``ANSWER_CACHE`` (callers must not change them).

    ``unless`` tells from the call's arguments (by name) when not to (e.g. a question about
    the registry as it was known in the past, which the live notifications don't cover).
    """

    def decorate(function: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[T]]:
        names, bind = _binder(function)
        name = function.__qualname__

        @functools.wraps(function)
        async def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
            if not ANSWER_CACHE.enabled:
                return await function(*args, **kwargs)
            arguments = bind(args, kwargs)
            if unless(arguments):
                return await function(*args, **kwargs)
            key = (name, *map(arguments.__getitem__, names))
            return await ANSWER_CACHE.get_or_compute(key, lambda: function(*args, **kwargs))

        return wrapper

    return decorate


async def keep_listening(dsn: str) -> None:
    """Listen for registry changes for as long as the process runs; cache only meanwhile."""
    import asyncpg

    while True:
        connection = None
        try:
            connection = await asyncpg.connect(dsn, timeout=2)
            lost = asyncio.Event()
            connection.add_termination_listener(lambda _connection, lost=lost: lost.set())
            await connection.add_listener(CHANNEL, lambda *_notification: ANSWER_CACHE.forget_all())
            ANSWER_CACHE.forget_all()
            ANSWER_CACHE.enabled = True
            while not lost.is_set():
                try:
                    await asyncio.wait_for(lost.wait(), timeout=HEARTBEAT_SECONDS)
                except TimeoutError:
                    # A connection that hangs without closing would hide notifications.
                    await asyncio.wait_for(connection.fetchval("SELECT 1"), timeout=2)
            log.warning("answer cache off: lost the database connection it listens on")
        except (TimeoutError, OSError, asyncpg.PostgresError):
            pass
        finally:
            ANSWER_CACHE.stop()
            if connection is not None and not connection.is_closed():
                connection.terminate()
        await asyncio.sleep(RECONNECT_SECONDS)
