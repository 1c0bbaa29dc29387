"""The staff transfer's rules, through its service and a real database: no HTTP."""

from __future__ import annotations

from datetime import date

import pytest

from app.errors import Conflict, IllegalTransition
from app.staff import service as staff
from app.staff.vocabulary import StaffBasis, StaffStatus
from app.store import personal_data, records
from app.tables.tables import StaffTransfer
from tests import factories


def _values(staff_ref: str, **overrides: object) -> dict[str, object]:
    values: dict[str, object] = {
        "staff_ref": staff_ref,
        "fte": 0.8,
        "function": "opbouwwerker",
        "service": None,
        "basis": StaffBasis.TRANSFER_OF_UNDERTAKING,
        "terms_retained": True,
        "status": StaffStatus.PROPOSED,
        "is_demo": False,
    }
    values.update({field: None for field in personal_data.FIELDS})
    values.update(overrides)
    return values


async def test_a_staff_reference_is_used_once_per_handover() -> None:
    made, *_ = await factories.moving_handover(date(2027, 1, 1))
    await staff.create_staff_transfer(made["id"], _values("MW-1"), "test")
    with pytest.raises(Conflict) as refused:
        await staff.create_staff_transfer(made["id"], _values("MW-1"), "test")
    assert refused.value.field == "staffRef"


async def test_staff_work_on_a_service_the_handover_moves() -> None:
    made, *_ = await factories.moving_handover(date(2027, 1, 1))
    elsewhere = await factories.service()
    with pytest.raises(Conflict) as refused:
        await staff.create_staff_transfer(made["id"], _values("MW-2", service=elsewhere), "test")
    assert refused.value.field == "serviceId"


async def test_a_declined_transfer_does_not_come_back() -> None:
    made, moved, *_ = await factories.moving_handover(date(2027, 1, 1))
    row = await staff.create_staff_transfer(made["id"], _values("MW-3", service=moved), "test")
    await staff.update_staff_transfer(
        made["id"], row["id"], {"status": StaffStatus.DECLINED}, "test", records.etag(1)
    )
    with pytest.raises(IllegalTransition):
        await staff.update_staff_transfer(
            made["id"], row["id"], {"status": StaffStatus.AGREED}, "test", records.etag(2)
        )
    stored = await StaffTransfer.select(StaffTransfer.status).where(StaffTransfer.id == row["id"])
    assert stored == [{"status": StaffStatus.DECLINED}]
