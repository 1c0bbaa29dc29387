"""HR's forms on the staff of a handover: one transfer at a time, or one status for
several at once. The same checks as the staff API (HR of a party, registrars, admins),
the writes through ``app.staff.service``."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import PathParameter
from litestar.response import Redirect, Template

from app.access.roles import Principal
from app.errors import DomainError, NotFound, PreconditionFailed
from app.staff import queries, service
from app.staff.access import check_staff_access
from app.staff.queries import StaffRow
from app.web import choices
from app.web.forms import FormErrors, FormReader, require
from app.web.handover_forms import back_to, form_values, handover_page_with, refused_status
from app.web.session import require_login

Viewer = NamedDependency[Principal]
HandoverId = Annotated[UUID, PathParameter(description="The handover's id.")]
StaffId = Annotated[UUID, PathParameter(description="The staff transfer's id.")]
#: Staff FTE as the API bounds it: 0 < fte ≤ 1.5.
FTE_LOW, FTE_HIGH = 0.01, 1.5


async def may_edit_staff(viewer: Principal, handover_id: UUID) -> None:
    require(viewer, "updateStaffTransfer")
    await check_staff_access(viewer, handover_id)


async def staff_row(handover_id: UUID, staff_id: UUID) -> StaffRow:
    row = await queries.staff_row(staff_id)
    if row is None or row.handover != handover_id:
        raise NotFound(f"no staff transfer with id {staff_id} in this handover")
    return row


def values_of(row: StaffRow) -> dict[str, str]:
    return {
        "status": row.status,
        "basis": row.basis,
        "fte": f"{row.fte:g}".replace(".", ","),
        "function": row.function,
        "version": str(row.version),
    }


def staff_page(
    viewer: Principal,
    handover_id: UUID,
    row: StaffRow,
    values: dict[str, str],
    errors: FormErrors,
    status_code: int = 200,
) -> Template:
    return Template(
        template_name="staff_form.html",
        context={
            "viewer": viewer,
            "handover_id": handover_id,
            "staff": row,
            "values": values,
            "errors": errors,
            "statuses": choices.STAFF_STATUSES,
            "bases": choices.STAFF_BASES,
        },
        status_code=status_code,
    )


class StaffFormController(Controller):
    guards = [require_login]

    @post("/overdrachten/{handover_id:uuid}/medewerkers/status", status_code=303)
    async def set_status(
        self, request: Request, viewer: Viewer, handover_id: HandoverId
    ) -> Template | Redirect:
        await may_edit_staff(viewer, handover_id)
        form = await request.form()
        values = await form_values(request)
        reader = FormReader(values)
        status = reader.choice("status", choices.STAFF_STATUSES, required="Kies de nieuwe status.")
        versions: dict[UUID, int] = {}
        for value in form.getall("staff", []):
            try:
                staff_id = UUID(value)
            except ValueError:
                continue
            version = values.get(f"version-{staff_id}", "")
            versions[staff_id] = int(version) if version.isdigit() else 0
        if not versions:
            reader.errors.add("staff", "Kies ten minste één medewerker.")
        kept = {**values, "staff_selected": [str(i) for i in versions]}
        if reader.errors or status is None:
            return await handover_page_with(viewer, handover_id, "staff", kept, reader.errors, 400)
        try:
            await service.set_staff_status(handover_id, versions, status, viewer.actor)
        except DomainError as error:
            reader.errors.add_domain_error(error, values)
            return await handover_page_with(
                viewer, handover_id, "staff", kept, reader.errors, refused_status(error)
            )
        return back_to(handover_id, "#medewerkers")

    @get("/overdrachten/{handover_id:uuid}/medewerkers/{staff_id:uuid}/bewerken")
    async def edit_form(
        self, viewer: Viewer, handover_id: HandoverId, staff_id: StaffId
    ) -> Template:
        await may_edit_staff(viewer, handover_id)
        row = await staff_row(handover_id, staff_id)
        return staff_page(viewer, handover_id, row, values_of(row), FormErrors())

    @post("/overdrachten/{handover_id:uuid}/medewerkers/{staff_id:uuid}/bewerken", status_code=303)
    async def update(
        self, request: Request, viewer: Viewer, handover_id: HandoverId, staff_id: StaffId
    ) -> Template | Redirect:
        await may_edit_staff(viewer, handover_id)
        row = await staff_row(handover_id, staff_id)
        values = await form_values(request)
        reader = FormReader(values)
        changes = {
            "status": reader.choice("status", choices.STAFF_STATUSES, required="Kies de status."),
            "basis": reader.choice("basis", choices.STAFF_BASES, required="Kies de grondslag."),
            "fte": reader.number("fte", low=FTE_LOW, high=FTE_HIGH, required="Vul de fte in."),
            "function": reader.text("function", max_length=200),
        }
        if reader.errors:
            return staff_page(viewer, handover_id, row, values, reader.errors, 400)
        try:
            await service.update_staff_transfer(
                handover_id, staff_id, changes, viewer.actor, reader.version()
            )
        except DomainError as error:
            reader.errors.add_domain_error(error, values)
            if isinstance(error, PreconditionFailed):
                current = await staff_row(handover_id, staff_id)
                return staff_page(
                    viewer, handover_id, current, values_of(current), reader.errors, 409
                )
            return staff_page(
                viewer, handover_id, row, values, reader.errors, refused_status(error)
            )
        return back_to(handover_id, "#medewerkers")
