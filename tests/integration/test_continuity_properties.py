"""Continuity read back from the database against a day-by-day oracle, on random timelines.

Each example stores a random timeline for a fresh service (in Haren before its merger
and in Groningen after, so merges are part of it), with a guarantee, and asks the
registry's own queries about it. On PostgreSQL the exclusion constraint refuses
overlapping provisions, so there the examples are overlap-free by construction.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import date, timedelta
from uuid import UUID, uuid4

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.continuity import queries
from app.continuity.engine import Period, is_breached
from app.database import is_postgres
from app.tables.tables import (
    ContinuityGuarantee,
    Handover,
    Municipality,
    Organisation,
    Provision,
    Service,
)

MERGER = date(2019, 1, 1)  # Haren (GM0017) into Groningen (GM0014)
ORIGIN = MERGER - timedelta(days=60)
HORIZON = 120


def day(n: int) -> date:
    return ORIGIN + timedelta(days=n)


@st.composite
def timelines(draw) -> list[tuple[int, int | None, int, float | None]]:
    """(start, length or open, provider index, staffed FTE) per provision."""
    result = []
    for _ in range(draw(st.integers(1, 6))):
        start = draw(st.integers(0, HORIZON - 1))
        length = draw(st.one_of(st.none(), st.integers(1, HORIZON)))
        result.append(
            (start, length, draw(st.integers(0, 2)), draw(st.sampled_from([None, 1.0, 2.0])))
        )
    if is_postgres():  # keep only what the exclusion constraint would accept
        kept: list[tuple[int, int | None, int, float | None]] = []
        for p in sorted(result, key=lambda p: p[0]):
            end = None if p[1] is None else p[0] + p[1]
            if all(k[1] is not None and k[0] + k[1] <= p[0] for k in kept) and (
                end is None or all(end <= k[0] for k in kept if k[0] >= p[0])
            ):
                kept.append(p)
        result = kept
    return result


@pytest.fixture(scope="module")
def runner() -> Iterator[asyncio.Runner]:
    with asyncio.Runner() as loop_runner:
        yield loop_runner


@pytest.fixture(scope="module")
def world(runner: asyncio.Runner, demo: None) -> dict:
    async def build() -> dict:
        codes = {
            r["code"]: r["id"]
            for r in await Municipality.select(Municipality.id, Municipality.code).where(
                Municipality.code.is_in(["GM0014", "GM0017"])
            )
        }
        providers = [Organisation(name=f"Oracle aanbieder {i} {uuid4().hex[:6]}") for i in range(3)]
        await Organisation.insert(*providers)
        handover = Handover(title="Oracle", status="effective", effective_on=ORIGIN)
        await Handover.insert(handover)
        return {"codes": codes, "providers": [p.id for p in providers], "handover": handover.id}

    return runner.run(build())


def covered(rows: list[tuple[date, date | None, float | None]], d: date) -> list:
    return [r for r in rows if r[0] <= d and (r[1] is None or d < r[1])]


@settings(
    max_examples=500,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    timeline=timelines(),
    guarantee_start=st.integers(0, HORIZON),
    guarantee_length=st.one_of(st.none(), st.integers(1, HORIZON)),
    baseline=st.sampled_from([None, 1.5]),
    asked=st.integers(0, 2 * HORIZON),
)
def test_database_answers_match_the_oracle(
    runner, world, timeline, guarantee_start, guarantee_length, baseline, asked
) -> None:
    service_id: UUID = uuid4()
    periods = []
    for start, length, provider, fte in timeline:
        end = None if length is None else day(start + length)
        # Before the merger the service ran in Haren, from then on in Groningen.
        code = "GM0017" if end is not None and end <= MERGER else "GM0014"
        periods.append((day(start), end, provider, fte, code))
    guarantee_until = None if guarantee_length is None else day(guarantee_start + guarantee_length)

    async def store_and_ask():
        await Service.insert(Service(id=service_id, name=f"Oracle {service_id.hex[:8]}"))
        if periods:
            await Provision.insert(
                *(
                    Provision(
                        service=service_id,
                        municipality=world["codes"][code],
                        organisation=world["providers"][provider],
                        valid_from=start,
                        valid_to=end,
                        staffed_fte=fte,
                    )
                    for start, end, provider, fte, code in periods
                )
            )
        await ContinuityGuarantee.insert(
            ContinuityGuarantee(
                handover=world["handover"],
                service=service_id,
                municipality=world["codes"]["GM0014"],
                valid_from=day(guarantee_start),
                until=guarantee_until,
                full_strength=True,
                baseline_fte=baseline,
            )
        )
        try:
            found = await queries.continuity_issues("GM0014", day(0), day(3 * HORIZON))
            on = await queries.continuity_on("GM0014", day(asked))
        finally:  # keep Groningen small, so every example costs the same
            await ContinuityGuarantee.delete().where(ContinuityGuarantee.service == service_id)
            await Provision.delete().where(Provision.service == service_id)
            await Service.delete().where(Service.id == service_id)
        return found, on

    found, on = runner.run(store_and_ask())
    rows = [(s, e, f) for s, e, _, f, _ in periods]
    span = range(3 * HORIZON)
    covered_days = [n for n in span if covered(rows, day(n))]

    gap_days = {
        (g.start - ORIGIN).days + k
        for g in found.gaps
        if g.service == service_id
        for k in range(g.days)
    }
    expected_gaps = (
        {n for n in range(min(covered_days), max(covered_days)) if n not in covered_days}
        if covered_days
        else set()
    )
    assert gap_days == expected_gaps

    overlap_pairs = sum(1 for o in found.overlaps if o.service == service_id)
    expected_pairs = sum(
        1
        for i, a in enumerate(rows)
        for b in rows[i + 1 :]
        if any(covered([a], day(n)) and covered([b], day(n)) for n in span)
    )
    assert overlap_pairs == expected_pairs

    judged_end = 3 * HORIZON if guarantee_until is None else (guarantee_until - ORIGIN).days
    guarantee_days = range(guarantee_start, min(judged_end, 3 * HORIZON))
    missing = {
        (b.start - ORIGIN).days + k
        for b in found.breaches
        if b.guarantee.service == service_id and b.reason == "no_provision"
        for k in range((b.end - b.start).days)
    }
    assert missing == {n for n in guarantee_days if not covered(rows, day(n))}
    weak = {
        (b.start - ORIGIN).days + k
        for b in found.breaches
        if b.guarantee.service == service_id and b.reason == "below_strength"
        for k in range((b.end - b.start).days)
    }
    expected_weak = {
        n
        for n in guarantee_days
        if baseline is not None
        and any(f is not None and f < baseline for _, _, f in covered(rows, day(n)))
    }
    assert weak == expected_weak

    asked_day = day(asked)
    answer = [s for s in on.services if s.provision.service == service_id]
    providers_then = [p for p in periods if covered([(p[0], p[1], p[3])], asked_day)]
    if asked_day < MERGER:
        providers_then = [p for p in providers_then if p[4] == "GM0014"]
    assert bool(answer) == bool(providers_then)
    if answer:
        assert answer[0].provision.organisation in {
            world["providers"][p[2]] for p in providers_then
        }
        # The statement reads only the rows the asked day touches; the guarantee's
        # verdict must be the engine's over every provision of the track all the same.
        in_force = guarantee_start <= asked and (
            guarantee_until is None or asked_day < guarantee_until
        )
        guarantees = [g for g, _ in answer[0].guarantees]
        assert len(guarantees) == (1 if in_force else 0)
        if in_force:
            track = [
                Period(
                    id=n,
                    service=service_id,
                    municipality=world["codes"]["GM0014"],
                    provider=world["providers"][provider],
                    valid_from=start,
                    valid_to=end,
                    staffed_fte=fte,
                )
                for n, (start, end, provider, fte, code) in enumerate(periods)
                if code == "GM0014"
            ]
            guarantee = queries.as_guarantee(guarantees[0])
            [(_, breached)] = answer[0].guarantees
            assert breached == is_breached(guarantee, track, asked_day)
