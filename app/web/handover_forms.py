"""The registrar's forms on a handover: a new one, editing it, lifecycle steps, milestones
and guarantees. Each reads the form, checks the role as the API's policy does, and calls
``app.handovers.service``; a refused write comes back as the form with its messages."""

from __future__ import annotations

import functools
import re
from collections.abc import Awaitable
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import PathParameter
from litestar.response import Redirect, Template

from app.access.roles import Principal
from app.api.problems import status_of
from app.dates import today
from app.errors import DomainError, PreconditionFailed
from app.handovers import service
from app.handovers.access import visible_handover
from app.handovers.vocabulary import HandoverStatus
from app.store import records
from app.tables.tables import Handover
from app.web import choices, views
from app.web.forms import FormErrors, FormReader, require
from app.web.session import require_login

Viewer = NamedDependency[Principal]
HandoverId = Annotated[UUID, PathParameter(description="The handover's id.")]
PARTY_ROWS = 5
SERVICE_ROWS = 6
TITLE_NEEDED = "Vul een titel in."


async def form_values(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str) and k != "_csrf_token"}


def refused_status(error: DomainError) -> int:
    return 409 if status_of(error) in {409, 412, 428} else 400


# --- the new handover form and its edit form ----------------------------------------------


async def form_options() -> dict[str, Any]:
    return {
        "kinds": choices.HANDOVER_KINDS,
        "roles": choices.PARTY_ROLES,
        "involvements": choices.INVOLVEMENTS,
        "organisations": await choices.organisations(),
        "municipalities": await choices.municipalities(),
        "services": await choices.services(),
        "party_rows": range(PARTY_ROWS),
        "service_rows": range(SERVICE_ROWS),
    }


def read_own_fields(reader: FormReader, options: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": reader.text("title", required=TITLE_NEEDED, max_length=300),
        "description": reader.text("description", max_length=10_000),
        "kind": reader.choice("kind", options["kinds"], required="Kies het soort overdracht.")
        or "transfer",
        "effective_on": reader.date("effectiveOn"),
        "announced_on": reader.date("announcedOn"),
        "source": reader.text("source", max_length=10_000),
    }


def read_party(reader: FormReader, i: int, options: dict[str, Any]) -> service.NewParty | None:
    at = f"parties[{i}]."
    names = [at + n for n in ("role", "organisationId", "municipalityCode", "involvement", "note")]
    if reader.blank(*names):
        return None
    role = reader.choice(at + "role", options["roles"], required="Kies de rol van deze partij.")
    organisation = reader.choice(at + "organisationId", options["organisations"])
    code = reader.choice(at + "municipalityCode", options["municipalities"])
    involvement = reader.choice(at + "involvement", options["involvements"])
    note = reader.text(at + "note")
    if role is None:
        return None
    return service.NewParty(
        role=role,
        organisation_id=UUID(organisation) if organisation else None,
        municipality_code=code,
        involvement=involvement,
        note=note,
    )


def read_moved_service(
    reader: FormReader, i: int, options: dict[str, Any]
) -> service.NewMovedService | None:
    at = f"services[{i}]."
    if reader.blank(at + "serviceId", at + "municipalityCode", at + "fromOrganisationId"):
        return None
    service_id = reader.choice(at + "serviceId", options["services"], required="Kies de dienst.")
    code = reader.choice(
        at + "municipalityCode", options["municipalities"], required="Kies de gemeente."
    )
    source = reader.choice(at + "fromOrganisationId", options["organisations"])
    if service_id is None or code is None:
        return None
    return service.NewMovedService(
        service_id=UUID(service_id),
        municipality_code=code,
        from_organisation_id=UUID(source) if source else None,
    )


def rows_of(items: list[tuple[int, Any]]) -> tuple[list[Any], list[int]]:
    """The filled rows, and the form row each came from (blank rows are skipped)."""
    return [item for _, item in items], [row for row, _ in items]


def on_form_row(field_name: str | None, list_name: str, rows: list[int]) -> str | None:
    """``parties[1].role`` of the service's list is ``parties[3].role`` on the form when
    rows 1 and 2 were left blank."""
    if field_name is None:
        return None
    found = re.match(rf"{list_name}\[(\d+)\]\.(.*)", field_name)
    if not found or int(found.group(1)) >= len(rows):
        return field_name
    return f"{list_name}[{rows[int(found.group(1))]}].{found.group(2)}"


def values_of(handover: dict[str, Any]) -> dict[str, str]:
    return {
        "title": handover["title"],
        "description": handover["description"],
        "kind": handover["kind"],
        "effectiveOn": handover["effective_on"].isoformat() if handover["effective_on"] else "",
        "announcedOn": handover["announced_on"].isoformat() if handover["announced_on"] else "",
        "source": handover["source"],
        "version": str(handover["version"]),
    }


def form_page(
    viewer: Principal,
    values: dict[str, str],
    errors: FormErrors,
    options: dict[str, Any],
    handover: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Template:
    return Template(
        template_name="handover_form.html",
        context={
            "viewer": viewer,
            "values": values,
            "errors": errors,
            "handover": handover,
            **options,
        },
        status_code=status_code,
    )


# --- the forms on the handover page --------------------------------------------------------


async def handover_page_with(
    viewer: Principal,
    handover_id: UUID,
    form: str,
    values: dict[str, Any],
    errors: FormErrors,
    status_code: int,
) -> Template:
    """The handover page again, the form that was sent showing its messages."""
    context = await views.handover_page(viewer, handover_id)
    context["forms"] = {form: {"values": values, "errors": errors}}
    return Template(
        template_name="handover.html",
        context={"viewer": viewer, **context},
        status_code=status_code,
    )


def back_to(handover_id: UUID, anchor: str = "") -> Redirect:
    return Redirect(f"/overdrachten/{handover_id}?opgeslagen=1{anchor}", status_code=303)


async def saved_or_refused(
    viewer: Principal,
    handover_id: UUID,
    form: str,
    values: dict[str, str],
    reader: FormReader,
    write: Awaitable[Any],
    anchor: str = "",
) -> Template | Redirect:
    """Run one of the handover page's writes: back to the page when it is saved, or the
    page again with the rule it broke beside ``form``."""
    try:
        await write
    except DomainError as error:
        reader.errors.add_domain_error(error, values)
        return await handover_page_with(
            viewer, handover_id, form, values, reader.errors, refused_status(error)
        )
    return back_to(handover_id, anchor)


class HandoverFormController(Controller):
    guards = [require_login]

    @get("/overdrachten/nieuw")
    async def new_form(self, viewer: Viewer) -> Template:
        require(viewer, "createHandover")
        return form_page(viewer, {"kind": "transfer"}, FormErrors(), await form_options())

    @post("/overdrachten/nieuw", status_code=303)
    async def create(self, request: Request, viewer: Viewer) -> Template | Redirect:
        require(viewer, "createHandover")
        values = await form_values(request)
        options = await form_options()
        reader = FormReader(values)
        own = read_own_fields(reader, options)
        parties, party_rows = rows_of(
            [(i, p) for i in range(PARTY_ROWS) if (p := read_party(reader, i, options))]
        )
        moved, service_rows = rows_of(
            [(i, s) for i in range(SERVICE_ROWS) if (s := read_moved_service(reader, i, options))]
        )
        if not reader.errors:
            try:
                handover_id = await service.create_handover(
                    service.NewHandover(**own, parties=parties, services=moved), viewer.actor
                )
            except DomainError as error:
                error.field = on_form_row(error.field, "parties", party_rows)
                error.field = on_form_row(error.field, "services", service_rows)
                reader.errors.add_domain_error(error, values)
                return form_page(viewer, values, reader.errors, options, None, 400)
            return back_to(handover_id)
        return form_page(viewer, values, reader.errors, options, None, 400)

    @get("/overdrachten/{handover_id:uuid}/bewerken")
    async def edit_form(self, viewer: Viewer, handover_id: HandoverId) -> Template:
        require(viewer, "updateHandover")
        handover = await visible_handover(viewer, handover_id)
        return form_page(viewer, values_of(handover), FormErrors(), await form_options(), handover)

    @post("/overdrachten/{handover_id:uuid}/bewerken", status_code=303)
    async def update(
        self, request: Request, viewer: Viewer, handover_id: HandoverId
    ) -> Template | Redirect:
        require(viewer, "updateHandover")
        handover = await visible_handover(viewer, handover_id)
        values = await form_values(request)
        options = await form_options()
        reader = FormReader(values)
        changes = read_own_fields(reader, options)
        if not reader.errors:
            try:
                await service.update_handover(handover_id, changes, viewer.actor, reader.version())
            except DomainError as error:
                reader.errors.add_domain_error(error, values)
                if isinstance(error, PreconditionFailed):
                    current = await records.get_row(Handover, handover_id)
                    return form_page(
                        viewer, values_of(current), reader.errors, options, current, 409
                    )
                return form_page(
                    viewer, values, reader.errors, options, handover, refused_status(error)
                )
            return back_to(handover_id)
        return form_page(viewer, values, reader.errors, options, handover, 400)

    @post("/overdrachten/{handover_id:uuid}/stap", status_code=303)
    async def step(
        self, request: Request, viewer: Viewer, handover_id: HandoverId
    ) -> Template | Redirect:
        require(viewer, "createHandoverTransition")
        handover = await visible_handover(viewer, handover_id)
        values = await form_values(request)
        reader = FormReader(values)
        # Whether the step is legal now is the service's to say, after the version check:
        # a form shown before someone else took a step is stale, not illegal.
        target = reader.choice("to", {s.value: s.value for s in HandoverStatus})
        on = reader.date("on", required="Vul de datum van deze stap in.")
        note = reader.text("note", max_length=10_000)
        if target is None or on is None:
            if target is None and not reader.errors.get("to"):
                reader.errors.add("to", "Kies een stap.")
            return await handover_page_with(viewer, handover_id, "step", values, reader.errors, 400)
        if target == HandoverStatus.CANCELLED and not reader.flag("confirmed"):
            return Template(
                template_name="confirm_cancel.html",
                context={"viewer": viewer, "handover": handover, "values": values},
            )
        step = service.take_step(
            handover_id, HandoverStatus(target), on, note, viewer.actor, reader.version()
        )
        return await saved_or_refused(viewer, handover_id, "step", values, reader, step)

    @post("/overdrachten/{handover_id:uuid}/mijlpalen", status_code=303)
    async def add_milestone(
        self, request: Request, viewer: Viewer, handover_id: HandoverId
    ) -> Template | Redirect:
        require(viewer, "createMilestone")
        await visible_handover(viewer, handover_id)
        values = await form_values(request)
        reader = FormReader(values)
        milestone = service.NewMilestone(
            title=reader.text("title", required="Vul in wat er moet gebeuren.", max_length=300),
            kind=reader.choice("kind", choices.MILESTONE_KINDS) or "other",
            due_on=reader.date("dueOn"),
        )
        return await self._add(
            viewer, handover_id, "milestone", values, reader, service.add_milestone, milestone
        )

    @post(
        "/overdrachten/{handover_id:uuid}/mijlpalen/{milestone_id:uuid}/afgerond",
        status_code=303,
    )
    async def milestone_done(
        self,
        request: Request,
        viewer: Viewer,
        handover_id: HandoverId,
        milestone_id: Annotated[UUID, PathParameter(description="The milestone's id.")],
    ) -> Template | Redirect:
        require(viewer, "updateMilestone")
        await visible_handover(viewer, handover_id)
        values = await form_values(request)
        reader = FormReader(values)
        done_on = reader.date("doneOn") or today()
        done = service.update_milestone(
            handover_id, milestone_id, {"done_on": done_on}, viewer.actor, reader.version()
        )
        return await saved_or_refused(
            viewer, handover_id, "milestone", values, reader, done, anchor="#mijlpalen"
        )

    @post("/overdrachten/{handover_id:uuid}/garanties", status_code=303)
    async def add_guarantee(
        self, request: Request, viewer: Viewer, handover_id: HandoverId
    ) -> Template | Redirect:
        require(viewer, "createGuarantee")
        await visible_handover(viewer, handover_id)
        values = await form_values(request)
        reader = FormReader(values)
        service_id = reader.choice(
            "serviceId", await choices.services(), required="Kies de dienst."
        )
        code = reader.choice(
            "municipalityCode", await choices.municipalities(), required="Kies de gemeente."
        )
        valid_from = reader.date("validFrom")
        until = reader.date("until")
        review_on = reader.date("reviewOn")
        if until is None and review_on is None and not reader.errors.get("until"):
            reader.errors.add(
                "until", "Vul een einddatum in, of laat de garantie open met een herzieningsdatum."
            )
        text = reader.text("text", max_length=10_000)
        if reader.errors or service_id is None or code is None:
            return await handover_page_with(
                viewer, handover_id, "guarantee", values, reader.errors, 400
            )
        guarantee = service.NewGuarantee(
            service_id=UUID(service_id),
            municipality_code=code,
            valid_from=valid_from,
            until=until,
            review_on=review_on,
            full_strength=reader.flag("fullStrength"),
            same_conditions=reader.flag("sameConditions"),
            text=text,
        )
        return await self._add(
            viewer, handover_id, "guarantee", values, reader, service.add_guarantee, guarantee
        )

    @post("/overdrachten/{handover_id:uuid}/partijen", status_code=303)
    async def add_party(
        self, request: Request, viewer: Viewer, handover_id: HandoverId
    ) -> Template | Redirect:
        require(viewer, "createHandoverParty")
        await visible_handover(viewer, handover_id)
        values = await form_values(request)
        reader = FormReader(values)
        options = await form_options()
        role = reader.choice("party.role", options["roles"], required="Kies de rol.")
        organisation = reader.choice("party.organisationId", options["organisations"])
        code = reader.choice("party.municipalityCode", options["municipalities"])
        involvement = reader.choice("party.involvement", options["involvements"])
        if reader.errors or role is None:
            return await handover_page_with(
                viewer, handover_id, "party", values, reader.errors, 400
            )
        party = service.NewParty(
            role=role,
            organisation_id=UUID(organisation) if organisation else None,
            municipality_code=code,
            involvement=involvement,
        )
        add = functools.partial(service.add_party, at="party.")
        return await self._add(viewer, handover_id, "party", values, reader, add, party)

    @post("/overdrachten/{handover_id:uuid}/diensten", status_code=303)
    async def add_moved_service(
        self, request: Request, viewer: Viewer, handover_id: HandoverId
    ) -> Template | Redirect:
        require(viewer, "createHandoverService")
        await visible_handover(viewer, handover_id)
        values = await form_values(request)
        reader = FormReader(values)
        options = await form_options()
        service_id = reader.choice(
            "moved.serviceId", options["services"], required="Kies de dienst."
        )
        code = reader.choice(
            "moved.municipalityCode", options["municipalities"], required="Kies de gemeente."
        )
        source = reader.choice("moved.fromOrganisationId", options["organisations"])
        if reader.errors or service_id is None or code is None:
            return await handover_page_with(
                viewer, handover_id, "moved", values, reader.errors, 400
            )
        moved = service.NewMovedService(
            service_id=UUID(service_id),
            municipality_code=code,
            from_organisation_id=UUID(source) if source else None,
        )
        add = functools.partial(service.add_service, at="moved.")
        return await self._add(viewer, handover_id, "moved", values, reader, add, moved)

    async def _add(
        self,
        viewer: Principal,
        handover_id: UUID,
        form: str,
        values: dict[str, str],
        reader: FormReader,
        add: service.Adder,
        part: service.Part,
    ) -> Template | Redirect:
        if reader.errors:
            return await handover_page_with(viewer, handover_id, form, values, reader.errors, 400)
        added = service.add_to_handover(handover_id, add, part, viewer.actor, reader.version())
        return await saved_or_refused(viewer, handover_id, form, values, reader, added)
