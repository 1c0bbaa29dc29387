"""Who may see a handover's staff: HR of one of its parties, or an unscoped role. The
API's guard, the pages, the exports and the versions all ask here."""

from __future__ import annotations

from uuid import UUID

from app.access.roles import Principal, Role
from app.access.scope import is_party_organisation
from app.errors import Forbidden
from app.store import records
from app.tables.tables import Handover


async def may_see_staff(principal: Principal, handover_id: UUID) -> bool:
    """Admins, registrars, and HR of an organisation that is party to the handover."""
    if principal.unscoped:
        return True
    return principal.role is Role.HR and await is_party_organisation(principal, handover_id)


async def check_staff_access(principal: Principal, handover_id: UUID) -> None:
    """The handover exists, and ``principal`` may see its staff."""
    await records.get_row(Handover, handover_id)
    if await may_see_staff(principal, handover_id):
        return
    raise Forbidden(
        "staff transfers are personal data: only HR of a party, registrars and admins see them"
    )


async def check_personal_data_access(principal: Principal, handover_id: UUID) -> None:
    """What the registry holds of a person (AVG art. 15) is for HR of a party and admins."""
    await records.get_row(Handover, handover_id)
    if principal.role is Role.ADMIN or (
        principal.role is Role.HR and await is_party_organisation(principal, handover_id)
    ):
        return
    raise Forbidden("only HR of a party and admins may show what the registry holds of a person")
