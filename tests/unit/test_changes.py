"""The changes a write transaction collects, and the hooks that see them before commit."""

import pytest

from app import changes
from app.changes import Change


def _change() -> Change:
    return Change("service", "create", "1", None, {"name": "Link050"})


async def test_hooks_see_the_transactions_changes_once(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[list[Change]] = []

    async def hook(batch: list[Change]) -> None:
        seen.append(batch)

    monkeypatch.setattr(changes, "_hooks", [])
    changes.before_commit(hook)
    changes.before_commit(hook)  # installing twice runs it once
    token = changes.begin_collecting()
    try:
        changes.note_change(_change())
        await changes.run_before_commit()
        await changes.run_before_commit()  # nothing new: the hook is not called again
    finally:
        changes.end_collecting(token)
    assert seen == [[_change()]]


async def test_changes_without_a_change_feed_refuse_to_commit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(changes, "_hooks", [])
    token = changes.begin_collecting()
    try:
        changes.note_change(_change())
        with pytest.raises(changes.NoChangeFeed):
            await changes.run_before_commit()
    finally:
        changes.end_collecting(token)


def test_changes_outside_a_write_transaction_are_not_collected() -> None:
    changes.note_change(_change())  # no transaction collecting: nothing to hand on
    assert changes._pending.get() is None
