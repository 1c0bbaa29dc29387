"""The rules a staff transfer keeps: plain Python, no database."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import Any

from app.errors import IllegalTransition
from app.staff.vocabulary import STAFF_FLOW, StaffBasis, StaffStatus


def check_staff_status(current: str, target: str) -> None:
    """Staff move forward only (skipping steps is fine); declining ends the transfer."""
    if target == current:
        return
    if current in {StaffStatus.TRANSFERRED, StaffStatus.DECLINED}:
        raise IllegalTransition(
            f"a staff transfer that is {current} cannot become {target}",
            field="status",
            nl="Een afgeronde of afgeziene overgang verandert niet meer van status.",
        )
    if target == StaffStatus.DECLINED:
        return
    if STAFF_FLOW.index(target) < STAFF_FLOW.index(current):
        raise IllegalTransition(
            f"a staff transfer moves forward only: {current} cannot become {target}",
            field="status",
            nl="Een overgang gaat alleen vooruit, of naar ‘afgezien’.",
        )


def moves(status: str, basis: str) -> bool:
    """Whether a staff member goes over: not declined, and not staying where they are."""
    return status != StaffStatus.DECLINED and basis != StaffBasis.NOT_TRANSFERRING


def moving_fte_per_service(staff: Iterable[Mapping[str, Any]]) -> dict[Hashable, float]:
    """FTE per service of the staff who move (rounded to 2 decimals): what a provision
    opened by becoming effective is staffed with."""
    totals: dict[Hashable, float] = {}
    for member in staff:
        if member["service"] is not None and moves(member["status"], member["basis"]):
            totals[member["service"]] = round(totals.get(member["service"], 0.0) + member["fte"], 2)
    return totals
