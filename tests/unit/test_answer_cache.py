"""The answer cache keeps nothing computed across a change, and nothing while off."""

from __future__ import annotations

from app.continuity.cache import AnswerCache


async def test_an_answer_computed_across_a_change_is_not_kept() -> None:
    cache = AnswerCache()
    cache.enabled = True
    calls = []

    async def compute_while_the_registry_changes() -> int:
        calls.append(1)
        cache.forget_all()  # a NOTIFY arrives while the answer is being read
        return len(calls)

    assert await cache.get_or_compute("k", compute_while_the_registry_changes) == 1
    assert await cache.get_or_compute("k", compute_while_the_registry_changes) == 2


async def test_kept_until_forgotten_and_bounded() -> None:
    cache = AnswerCache(size=2)
    cache.enabled = True
    counter = iter(range(100))

    async def compute() -> int:
        return next(counter)

    first = await cache.get_or_compute("a", compute)
    assert await cache.get_or_compute("a", compute) == first
    await cache.get_or_compute("b", compute)
    kept_c = await cache.get_or_compute("c", compute)  # "a", least recently used, goes
    assert await cache.get_or_compute("a", compute) != first
    assert await cache.get_or_compute("a", compute) == await cache.get_or_compute("a", compute)
    cache.forget_all()
    assert await cache.get_or_compute("c", compute) != kept_c


async def test_nothing_is_kept_while_off() -> None:
    cache = AnswerCache()
    counter = iter(range(100))

    async def compute() -> int:
        return next(counter)

    assert await cache.get_or_compute("k", compute) != await cache.get_or_compute("k", compute)
