"""The rules a staff transfer keeps: plain Python, no database."""

from __future__ import annotations

from app.errors import IllegalTransition
from app.staff.vocabulary import STAFF_FLOW, StaffStatus


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
