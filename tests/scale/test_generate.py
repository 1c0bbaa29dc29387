"""``handover generate`` at a tiny scale, into its own SQLite file or PostgreSQL database."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from app.generate.scales import Sizes
from app.generate.synthetic import TABLES, generate
from app.handovers.lifecycle import check_transition
from app.handovers.vocabulary import HandoverStatus
from app.municipalities.reference import shipped
from app.staff.rules import moving_fte_per_service
from tests.scale.stores import empty_store, handover_cli, serving_from
from tests.scale.stores import generate as generate_into

SEED = 7


@pytest.fixture(scope="module")
async def stores() -> dict[str, str]:
    """Two registries from the same seed, and one from another seed."""
    urls = {
        "first": await empty_store("seed7_a"),
        "again": await empty_store("seed7_b"),
        "other": await empty_store("seed8"),
    }
    generate_into(urls["first"], "--seed", str(SEED))
    generate_into(urls["again"], "--seed", str(SEED))
    generate_into(urls["other"], "--seed", "8")
    return urls


async def fetch(url: str, sql: str) -> list[tuple[Any, ...]]:
    """Rows straight from the store, with no Piccolo in between."""
    if url.startswith("sqlite"):
        import sqlite3

        connection = sqlite3.connect(url.removeprefix("sqlite:///"))
        try:
            return [tuple(row) for row in connection.execute(sql)]
        finally:
            connection.close()
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        return [tuple(row) for row in await connection.fetch(sql)]
    finally:
        await connection.close()


async def test_counts_are_the_scales_sizes(stores: dict[str, str]) -> None:
    sizes = Sizes.of("test")
    expected = {
        "municipality": len(shipped()[0]),
        "municipality_succession": len(shipped()[1]),
        "organisation": sizes.organisations,
        "service": sizes.services,
        "provision": sizes.provisions,
        "handover": sizes.handovers,
        "staff_transfer": sizes.staff_transfers,
        "audit_event": sizes.audit_events,
    }
    for table, count in expected.items():
        assert await fetch(stores["first"], f"SELECT count(*) FROM {table}") == [(count,)], table
    mergers = await fetch(
        stores["first"], "SELECT count(*) FROM municipality WHERE successor IS NOT NULL"
    )
    assert mergers[0][0] >= 1
    groningen = await fetch(
        stores["first"],
        "SELECT m.code FROM municipality m JOIN municipality s ON s.id = m.successor "
        "WHERE s.code = 'GM0014' ORDER BY m.code",
    )
    assert groningen == [("GM0009",), ("GM0017",)]  # the real map: Ten Boer and Haren
    statuses = {r[0] for r in await fetch(stores["first"], "SELECT status FROM handover")}
    assert statuses == {
        "proposed",
        "intent_signed",
        "agreed",
        "effective",
        "completed",
        "cancelled",
    }


async def test_same_seed_same_registry(stores: dict[str, str]) -> None:
    for table in TABLES:
        sql = f"SELECT * FROM {table} ORDER BY id"
        first = await fetch(stores["first"], sql)
        assert first == await fetch(stores["again"], sql), table
        assert first != await fetch(stores["other"], sql), table


async def test_provisions_never_overlap_and_follow_the_handovers(stores: dict[str, str]) -> None:
    overlapping = await fetch(
        stores["first"],
        "SELECT count(*) FROM provision a JOIN provision b "
        "ON a.service = b.service AND a.municipality = b.municipality AND a.id < b.id "
        "WHERE a.valid_from < COALESCE(b.valid_to, '9999-12-31') "
        "AND b.valid_from < COALESCE(a.valid_to, '9999-12-31')",
    )
    assert overlapping == [(0,)]
    # Every provision a handover opened starts the day it took effect, where the
    # source's provision it closed ends; only handovers that took effect move anything.
    opened = await fetch(
        stores["first"],
        "SELECT h.status, h.effective_on = o.valid_from, c.id IS NOT NULL, "
        "c.organisation = s.from_organisation "
        "FROM provision o JOIN handover h ON h.id = o.opened_by "
        "LEFT JOIN provision c ON c.closed_by = h.id AND c.service = o.service "
        "AND c.municipality = o.municipality AND c.valid_to = o.valid_from "
        "LEFT JOIN handover_service s ON s.handover = h.id AND s.service = o.service "
        "AND s.municipality = o.municipality",
    )
    assert opened
    assert {
        (r[0] in {"effective", "completed"}, bool(r[1]), bool(r[2]), bool(r[3])) for r in opened
    } == {(True, True, True, True)}
    receiving = await fetch(
        stores["first"],
        "SELECT count(*) FROM provision o JOIN handover_party p ON p.handover = o.opened_by "
        "AND p.role = 'receiving' WHERE p.organisation <> o.organisation",
    )
    assert receiving == [(0,)]


async def test_the_generated_registry_keeps_the_rules_the_services_apply(
    stores: dict[str, str],
) -> None:
    url = stores["first"]
    steps = await fetch(
        url, 'SELECT handover, from_status, to_status, "on" FROM handover_transition'
    )
    by_handover: dict[Any, list[tuple[Any, ...]]] = {}
    for step in steps:
        by_handover.setdefault(step[0], []).append(step)
    for handover_steps in by_handover.values():
        last_on = None
        for _, before, after, on in sorted(handover_steps, key=lambda s: (str(s[3]), s[1])):
            check_transition(HandoverStatus(before), HandoverStatus(after), _day(on), last_on)
            last_on = _day(on)
    assert await fetch(
        url,
        "SELECT count(*) FROM (SELECT handover FROM handover_party WHERE role = 'receiving' "
        "GROUP BY handover HAVING count(*) > 1) AS twice",
    ) == [(0,)]
    assert await fetch(
        url,
        "SELECT count(*) FROM continuity_guarantee g JOIN handover h ON h.id = g.handover "
        "WHERE g.valid_from <> h.effective_on OR g.until <= g.valid_from",
    ) == [(0,)]
    # A provision a handover opened is staffed by the staff who moved with it, or keeps
    # the source's figure where none did (the rule becoming effective applies).
    opened = await fetch(
        url,
        "SELECT o.opened_by, o.service, o.staffed_fte, c.staffed_fte FROM provision o "
        "JOIN provision c ON c.closed_by = o.opened_by AND c.service = o.service "
        "AND c.municipality = o.municipality AND c.valid_to = o.valid_from",
    )
    staff = await fetch(url, "SELECT handover, service, fte, basis, status FROM staff_transfer")
    moving: dict[Any, dict[Any, float]] = {}
    for handover in {row[0] for row in staff}:
        members = [
            {"service": s[1], "fte": s[2], "basis": s[3], "status": s[4]}
            for s in staff
            if s[0] == handover
        ]
        moving[handover] = moving_fte_per_service(members)
    staffed_by_movers = 0
    for handover, service, fte, source_fte in opened:
        expected = moving.get(handover, {}).get(service, source_fte)
        staffed_by_movers += service in moving.get(handover, {})
        assert fte == pytest.approx(expected)
    assert staffed_by_movers > 0


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


async def test_the_continuity_engine_finds_the_planted_gaps(stores: dict[str, str]) -> None:
    from app.continuity import queries

    planted = generate(Sizes.of("test"), SEED).planted_gaps
    assert planted
    async with serving_from(stores["first"]):
        for gap in planted:
            found = await queries.continuity_issues(
                gap.municipality_code, gap.start - timedelta(days=1), gap.end + timedelta(days=1)
            )
            assert any(
                g.service == gap.service and g.start == gap.start and g.end == gap.end
                for g in found.gaps
            ), gap


async def test_refuses_a_registry_that_holds_records(stores: dict[str, str]) -> None:
    result = handover_cli(stores["first"], "generate", "--scale", "test")
    assert result.returncode == 1
    assert result.stderr.startswith("Error: the registry is not empty (")
    assert len(result.stderr.strip().splitlines()) == 1
    assert await fetch(stores["first"], "SELECT count(*) FROM provision") == [
        (Sizes.of("test").provisions,)
    ]
