"""``import_staff`` on the real database: all or nothing, updates by status rules, audited."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.errors import InvalidInput, NotFound
from app.exchange.staff_import import import_staff
from app.store.personal_data import NAME
from app.store.recorded import read
from app.tables.tables import AuditEvent, Handover, StaffTransfer
from tests.exchange.conftest import staff_csv

GOOD = staff_csv(
    "S-1;Anna Voorbeeld;consulent;0,8;Proefdienst A;voorgesteld",
    "S-2;Bram Proef;jongerenwerker;1;proefdienst b;geïnformeerd",
    "S-3;;coördinator;0,5;;",
)


async def staff_of(handover_id) -> dict[str, dict]:
    rows = await StaffTransfer.select(StaffTransfer.all_columns(), NAME).where(
        StaffTransfer.handover == handover_id
    )
    return {r["staff_ref"]: r for r in rows}


async def test_a_good_file_is_written_with_one_audit_event_per_row(handover) -> None:
    seen: list[tuple[int, int]] = []
    report = await import_staff(
        handover["id"], GOOD, "p.csv", actor="test:import", progress=lambda *p: seen.append(p)
    )
    assert (report.rows, report.written, report.problems) == (3, 3, [])
    assert seen[-1] == (3, 3)
    staff = await staff_of(handover["id"])
    assert staff["S-1"]["fte"] == 0.8
    assert staff["S-2"]["status"] == "informed"
    assert staff["S-3"]["name"] is None
    assert staff["S-3"]["status"] == "proposed"
    assert staff["S-3"]["basis"] == "transfer_of_undertaking"
    events = await AuditEvent.select().where(
        AuditEvent.record_id.is_in([str(r["id"]) for r in staff.values()])
    )
    assert {(e["action"], e["actor"]) for e in events} == {("create", "test:import")}
    assert len(events) == 3
    # The bulk write records versions, as any other write does.
    known = await read(StaffTransfer.select(StaffTransfer.id), datetime.now(UTC))
    assert {r["id"] for r in known} >= {r["id"] for r in staff.values()}
    after = await Handover.select(Handover.version).where(Handover.id == handover["id"]).first()
    assert after["version"] == handover["version"] + 1


async def test_one_bad_row_writes_nothing_unless_skip_invalid(handover) -> None:
    data = staff_csv(
        "S-1;Anna;consulent;0,8;Proefdienst A;voorgesteld",
        "S-2;Bram;consulent;0,8;Woonkans;voorgesteld",
        "S-3;Carla;consulent;9;Proefdienst A;voorgesteld",
    )
    report = await import_staff(handover["id"], data, "p.csv", actor="test")
    assert report.written == 0
    assert [(p.line, p.field) for p in report.problems] == [(3, "dienst"), (4, "fte")]
    assert "Woonkans" in report.problems[0].reason
    assert await staff_of(handover["id"]) == {}
    report = await import_staff(handover["id"], data, "p.csv", actor="test", skip_invalid=True)
    assert (report.written, len(report.problems)) == (1, 2)
    assert set(await staff_of(handover["id"])) == {"S-1"}


async def test_a_second_import_updates_forward_and_refuses_going_back(handover) -> None:
    await import_staff(handover["id"], GOOD, "p.csv", actor="test")
    before = await staff_of(handover["id"])
    update = staff_csv(
        "S-1;;;0,9;;akkoord", "S-2;Bram Proef;jongerenwerker;1;Proefdienst B;geïnformeerd"
    )
    report = await import_staff(handover["id"], update, "p.csv", actor="test")
    assert (report.written, report.problems) == (1, [])  # S-2 is unchanged
    after = await staff_of(handover["id"])
    assert after["S-1"]["status"] == "agreed"
    assert after["S-1"]["fte"] == 0.9
    assert after["S-1"]["name"] == "Anna Voorbeeld"  # an empty cell keeps the value
    assert after["S-1"]["version"] == before["S-1"]["version"] + 1
    events = await AuditEvent.select().where(
        (AuditEvent.record_id == str(after["S-1"]["id"])) & (AuditEvent.action == "update")
    )
    assert len(events) == 1
    backwards = staff_csv("S-1;;;0,9;;voorgesteld")
    back = await import_staff(handover["id"], backwards, "p.csv", actor="test")
    assert back.written == 0
    assert back.problems[0].field == "status"
    assert "forward" in back.problems[0].reason


async def test_unreadable_files_and_unknown_handovers_are_errors(handover) -> None:
    with pytest.raises(InvalidInput):
        await import_staff(handover["id"], b"%PDF", "personeel.pdf", actor="test")
    with pytest.raises(NotFound):
        await import_staff("00000000-0000-4000-8000-000000000000", GOOD, "p.csv", actor="test")
