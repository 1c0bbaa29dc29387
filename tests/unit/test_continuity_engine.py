"""The continuity engine against a brute-force, day-by-day oracle on random timelines."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from app.continuity.engine import (
    Guarantee,
    find_breaches,
    find_gaps,
    find_overlaps,
    providers_on,
    timeline,
    uncovered,
)
from app.provisions.periods import Period, conflicting

ORIGIN = date(2020, 1, 1)
HORIZON = 120  # days the random timelines live in
SERVICES = ["link050", "jimmys"]
MUNICIPALITIES = ["GM0014", "GM0017"]
PROVIDERS = ["mjd", "werkpro", "emco"]


def day(n: int) -> date:
    return ORIGIN + timedelta(days=n)


@st.composite
def periods(draw, max_size: int = 8) -> list[Period]:
    result = []
    for i in range(draw(st.integers(0, max_size))):
        start = draw(st.integers(0, HORIZON - 1))
        length = draw(st.one_of(st.none(), st.integers(1, HORIZON)))
        result.append(
            Period(
                id=i,
                service=draw(st.sampled_from(SERVICES)),
                municipality=draw(st.sampled_from(MUNICIPALITIES)),
                provider=draw(st.sampled_from(PROVIDERS)),
                valid_from=day(start),
                valid_to=None if length is None else day(start + length),
                staffed_fte=draw(st.one_of(st.none(), st.sampled_from([0.5, 1.0, 2.0, 3.0]))),
            )
        )
    return result


LIMIT = 3 * HORIZON  # every day any random period can touch


@cache
def days_of(period: Period) -> frozenset[int]:
    """The oracle's view of a period: the days it covers, asked one day at a time."""
    return frozenset(n for n in range(LIMIT) if period.covers(day(n)))


def covered_days(track: list[Period], until: int = LIMIT) -> set[int]:
    return {n for p in track for n in days_of(p) if n < until}


def oracle_gap_days(all_periods: list[Period]) -> set[tuple]:
    """Days on which a track has no provider but has one both before and after."""
    days = set()
    for service in SERVICES:
        for municipality in MUNICIPALITIES:
            track = [p for p in all_periods if p.track == (service, municipality)]
            covered = covered_days(track)
            if not covered:
                continue
            first, last = min(covered), max(covered)
            days |= {(service, municipality, n) for n in range(first, last) if n not in covered}
    return days


@settings(max_examples=1500, deadline=None)
@given(periods())
def test_gaps_are_exactly_the_uncovered_days_between_provisions(ps: list[Period]) -> None:
    found = {
        (g.service, g.municipality, (g.start - ORIGIN).days + k)
        for g in find_gaps(ps)
        for k in range(g.days)
    }
    assert found == oracle_gap_days(ps)
    for gap in find_gaps(ps):
        assert gap.before.valid_to is not None
        assert gap.before.valid_to <= gap.start
        assert gap.after.valid_from == gap.end


@settings(max_examples=1500, deadline=None)
@given(periods())
def test_overlaps_are_exactly_the_pairs_sharing_a_day(ps: list[Period]) -> None:
    expected = {
        frozenset((a.id, b.id))
        for i, a in enumerate(ps)
        for b in ps[i + 1 :]
        if a.track == b.track and days_of(a) & days_of(b)
    }
    found = find_overlaps(ps)
    assert {frozenset((o.first.id, o.second.id)) for o in found} == expected
    for overlap in found:
        # the reported span is exactly the shared days
        shared = sorted(days_of(overlap.first) & days_of(overlap.second))
        assert overlap.start == day(shared[0])
        if overlap.end is not None:
            assert overlap.end == day(shared[-1] + 1)


@settings(max_examples=1000, deadline=None)
@given(periods(), st.integers(0, HORIZON - 1), st.one_of(st.none(), st.integers(1, HORIZON)))
def test_conflicting_matches_day_by_day_sharing(ps: list[Period], start: int, length) -> None:
    candidate = Period(
        "new",
        "link050",
        "GM0014",
        "werkpro",
        day(start),
        None if length is None else day(start + length),
    )
    expected = {p.id for p in ps if p.track == candidate.track and days_of(p) & days_of(candidate)}
    assert {p.id for p in conflicting(ps, candidate)} == expected


@settings(max_examples=1500, deadline=None)
@given(
    periods(),
    st.integers(0, HORIZON),
    st.one_of(st.none(), st.integers(1, HORIZON)),
    st.booleans(),
    st.sampled_from([None, 1.0, 2.0]),
    st.integers(1, 2 * HORIZON),
)
def test_breaches_match_the_oracle(ps, start, length, full_strength, baseline, judged) -> None:
    guarantee = Guarantee(
        id="g",
        service="link050",
        municipality="GM0014",
        valid_from=day(start),
        until=None if length is None else day(start + length),
        full_strength=full_strength,
        baseline_fte=baseline,
    )
    track = [p for p in ps if p.track == ("link050", "GM0014")]
    end = min(judged, start + length) if length is not None else judged
    covered = covered_days(track)
    expected_missing = {n for n in range(start, end) if n not in covered}
    expected_weak = {
        n
        for n in range(start, end)
        if full_strength
        and baseline is not None
        and any(
            n in days_of(p) and p.staffed_fte is not None and p.staffed_fte < baseline
            for p in track
        )
    }
    breaches = find_breaches(guarantee, ps, day(judged))
    missing = {
        (b.start - ORIGIN).days + k
        for b in breaches
        if b.reason == "no_provision"
        for k in range((b.end - b.start).days)
    }
    weak = {
        (b.start - ORIGIN).days + k
        for b in breaches
        if b.reason == "below_strength"
        for k in range((b.end - b.start).days)
    }
    assert missing == expected_missing
    assert weak == expected_weak


@settings(max_examples=500, deadline=None)
@given(periods(), st.integers(0, 2 * HORIZON))
def test_providers_on_a_day(ps: list[Period], n: int) -> None:
    assert {p.id for p in providers_on(ps, day(n))} == {
        p.id for p in ps if p.valid_from <= day(n) and (p.valid_to is None or day(n) < p.valid_to)
    }


def test_uncovered_with_open_end() -> None:
    track = [Period(1, "s", "m", "a", day(5), day(10)), Period(2, "s", "m", "b", day(12))]
    assert uncovered(track, day(0), day(20)) == [(day(0), day(5)), (day(10), day(12))]


def test_timeline_marks_gap_and_overlap() -> None:
    mjd = Period("mjd", "link050", "GM0014", "mjd", date(2018, 1, 1), date(2022, 1, 1))
    werkpro = Period("werkpro", "link050", "GM0014", "werkpro", date(2022, 1, 5))
    other = Period("other", "link050", "GM0014", "emco", date(2023, 1, 1), date(2023, 2, 1))
    entries = {e.period.id: e for e in timeline([werkpro, mjd, other])}
    assert [e.period.id for e in timeline([werkpro, mjd, other])] == ["mjd", "werkpro", "other"]
    assert entries["werkpro"].gap_before_days == 4
    assert entries["werkpro"].overlaps_with == ["other"]
    assert entries["other"].overlaps_with == ["werkpro"]
    assert entries["mjd"].overlaps_with == []


def test_handover_on_new_year_leaves_no_gap() -> None:
    mjd = Period("mjd", "link050", "GM0014", "mjd", date(2018, 1, 1), date(2022, 1, 1))
    werkpro = Period("werkpro", "link050", "GM0014", "werkpro", date(2022, 1, 1))
    assert find_gaps([mjd, werkpro]) == []
    assert find_overlaps([mjd, werkpro]) == []
    assert [p.id for p in providers_on([mjd, werkpro], date(2021, 12, 31))] == ["mjd"]
    assert [p.id for p in providers_on([mjd, werkpro], date(2022, 1, 1))] == ["werkpro"]
