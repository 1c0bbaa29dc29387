"""The changes a write transaction makes, and what runs on them just before it commits.

Every audited write notes its change here (``app.store.audit``). The outermost write
transaction (``app.database.write_transaction``) hands them, just before COMMIT, to the
hooks installed with ``before_commit``: the change feed's outbox
(``app.events.outbox``) turns them into events there, so a change commits with its events
or neither commits. The registry's writes know nothing of the feed; the feed plugs in.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextvars import ContextVar, Token
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Change:
    """One audited write: the raw material events are derived from."""

    record_type: str
    action: str
    record_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


BeforeCommit = Callable[[list[Change]], Awaitable[None]]

_hooks: list[BeforeCommit] = []
_pending: ContextVar[list[Change] | None] = ContextVar("pending_changes", default=None)


class NoChangeFeed(RuntimeError):
    """Changes were written in a process that installed nothing to turn them into events."""


def before_commit(hook: BeforeCommit) -> BeforeCommit:
    """Install ``hook`` to run on each write transaction's changes before it commits."""
    if hook not in _hooks:
        _hooks.append(hook)
    return hook


def begin_collecting() -> Token[list[Change] | None]:
    return _pending.set([])


def end_collecting(token: Token[list[Change] | None]) -> None:
    _pending.reset(token)


def note_change(change: Change) -> None:
    pending = _pending.get()
    if pending is not None:
        pending.append(change)


async def run_before_commit() -> None:
    """Inside the outermost write transaction, before COMMIT: hand its changes on."""
    pending = _pending.get()
    if not pending:
        return
    if not _hooks:
        # Losing the events silently would leave every subscriber behind for good.
        raise NoChangeFeed("changes were written but no change feed is installed (app.events)")
    changes = list(pending)
    pending.clear()
    for hook in _hooks:
        await hook(changes)
