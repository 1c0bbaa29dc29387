"""The answer cache keeps nothing computed across a change, and nothing while off."""

from __future__ import annotations

import pytest

from app.answer_cache import AnswerCache


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


async def test_remembered_keys_a_call_by_its_arguments_however_written() -> None:
    from app.answer_cache import ANSWER_CACHE, cached_answer

    calls: list[tuple] = []

    @cached_answer(unless=lambda arguments: arguments["past"])
    async def question(code: str, on: int = 1, *, past: bool = False) -> int:
        calls.append((code, on, past))
        return len(calls)

    ANSWER_CACHE.enabled = True
    try:
        first = await question("GM0014")
        assert await question("GM0014", 1) == first
        assert await question(code="GM0014", on=1) == first
        assert await question("GM0014", on=2) != first
        assert await question("GM0014", past=True) != await question("GM0014", past=True)
        with pytest.raises(TypeError):
            await question("GM0014", 1, 2)
        with pytest.raises(TypeError):
            await question("GM0014", when=3)
    finally:
        ANSWER_CACHE.stop()
    assert calls[:2] == [("GM0014", 1, False), ("GM0014", 2, False)]
