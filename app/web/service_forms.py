"""The registrar's forms on services: a new service, editing one, its yearly figures and
its provisions. The same policy as the API; the writes through the domain services."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import PathParameter
from litestar.response import Redirect, Template

from app.access.roles import Principal
from app.dates import today
from app.errors import DomainError, PreconditionFailed
from app.provisions.queries import ProvisionDetailRow
from app.provisions.service import create_provision, update_provision
from app.services.service import add_figure, create_service, update_service
from app.store import records
from app.store.typed_rows import columns_for
from app.tables.tables import Provision, Service
from app.web import choices, service_view
from app.web.forms import FormErrors, FormReader, require
from app.web.handover_forms import form_values, refused_status
from app.web.session import require_login
from app.web.simple_form import Back, date_field, simple_form, text, textarea

Viewer = NamedDependency[Principal]
ServiceId = Annotated[UUID, PathParameter(description="The service's id.")]
ProvisionId = Annotated[UUID, PathParameter(description="The provision's id.")]
NAME_NEEDED = "Vul de naam in."
SERVICE_FIELDS = [
    text(
        "name", "Naam", required=True, hint="Zoals inwoners de dienst kennen, bijvoorbeeld Link050."
    ),
    text("category", "Categorie", hint="Bijvoorbeeld: welzijn, vrijwilligerswerk."),
    textarea("description", "Omschrijving"),
]
PROVISION_FIELDS = [
    date_field("validFrom", "Levert vanaf", required=True),
    date_field("validTo", "Levert tot", hint="De eerste dag zonder levering; leeg: geen einde."),
    text("staffedFte", "Ingezette fte", hint="Bijvoorbeeld 3,5."),
    textarea("note", "Toelichting"),
]


def read_service(reader: FormReader) -> dict[str, str]:
    return {
        "name": reader.text("name", required=NAME_NEEDED, max_length=200),
        "category": reader.text("category", max_length=100),
        "description": reader.text("description", max_length=10_000),
    }


def service_values(row: dict[str, Any]) -> dict[str, str]:
    return {
        "name": row["name"],
        "category": row["category"],
        "description": row["description"],
        "version": str(row["version"]),
    }


def provision_values(row: ProvisionDetailRow) -> dict[str, str]:
    fte = row.staffed_fte
    return {
        "validFrom": row.valid_from.isoformat(),
        "validTo": row.valid_to.isoformat() if row.valid_to else "",
        "staffedFte": "" if fte is None else f"{fte:g}".replace(".", ","),
        "note": row.note,
        "version": str(row.version),
    }


async def service_page_with(
    viewer: Principal,
    service_id: UUID,
    form: str,
    values: dict[str, str],
    errors: FormErrors,
    status_code: int,
) -> Template:
    context = await service_view.service_page(viewer, service_id, today())
    context["forms"] = {form: {"values": values, "errors": errors}}
    return Template(
        template_name="service.html", context={"viewer": viewer, **context}, status_code=status_code
    )


def saved(service_id: UUID, anchor: str = "") -> Redirect:
    return Redirect(f"/diensten/{service_id}?opgeslagen=1{anchor}", status_code=303)


class ServiceFormController(Controller):
    guards = [require_login]

    def _service_form(
        self,
        viewer: Principal,
        values: dict[str, str],
        errors: FormErrors,
        row: dict[str, Any] | None = None,
        status_code: int = 200,
    ) -> Template:
        return simple_form(
            viewer,
            heading="Dienst bewerken" if row else "Nieuwe dienst",
            action=f"/diensten/{row['id']}/bewerken" if row else "/diensten/nieuw",
            fields=SERVICE_FIELDS,
            values=values,
            errors=errors,
            submit="Opslaan" if row else "Dienst vastleggen",
            back=Back(f"/diensten/{row['id']}", row["name"]) if row else None,
            status_code=status_code,
        )

    @get("/diensten/nieuw")
    async def new_form(self, viewer: Viewer) -> Template:
        require(viewer, "createService")
        return self._service_form(viewer, {}, FormErrors())

    @post("/diensten/nieuw", status_code=303)
    async def create(self, request: Request, viewer: Viewer) -> Template | Redirect:
        require(viewer, "createService")
        values = await form_values(request)
        reader = FormReader(values)
        fields = read_service(reader)
        if reader.errors:
            return self._service_form(viewer, values, reader.errors, status_code=400)
        service_id = await create_service(**fields, actor=viewer.actor)
        return saved(service_id)

    @get("/diensten/{service_id:uuid}/bewerken")
    async def edit_form(self, viewer: Viewer, service_id: ServiceId) -> Template:
        require(viewer, "updateService")
        row = await records.get_row(Service, service_id)
        return self._service_form(viewer, service_values(row), FormErrors(), row)

    @post("/diensten/{service_id:uuid}/bewerken", status_code=303)
    async def update(
        self, request: Request, viewer: Viewer, service_id: ServiceId
    ) -> Template | Redirect:
        require(viewer, "updateService")
        row = await records.get_row(Service, service_id)
        values = await form_values(request)
        reader = FormReader(values)
        changes = read_service(reader)
        if reader.errors:
            return self._service_form(viewer, values, reader.errors, row, 400)
        try:
            await update_service(service_id, changes, viewer.actor, reader.version())
        except DomainError as error:
            reader.errors.add_domain_error(error, values)
            if isinstance(error, PreconditionFailed):
                current = await records.get_row(Service, service_id)
                return self._service_form(
                    viewer, service_values(current), reader.errors, current, 409
                )
            return self._service_form(viewer, values, reader.errors, row, refused_status(error))
        return saved(service_id)

    @post("/diensten/{service_id:uuid}/cijfers", status_code=303)
    async def add_figure(
        self, request: Request, viewer: Viewer, service_id: ServiceId
    ) -> Template | Redirect:
        require(viewer, "createServiceFigure")
        await records.get_row(Service, service_id)
        values = await form_values(request)
        reader = FormReader(values)
        organisation = reader.choice(
            "organisationId", await choices.organisations(), required="Kies de aanbieder."
        )
        year = reader.number("year", low=1900, high=2200, required="Vul het jaar in.")
        metric = reader.text("metric", required="Vul in wat er geteld is.", max_length=100)
        value = reader.number("value", low=-1e12, high=1e12, required="Vul het getal in.")
        note = reader.text("figureNote", max_length=10_000)  # "note" is the provision form's
        if year is not None and year != int(year):
            reader.errors.add("year", "Vul een jaartal in, bijvoorbeeld 2022.")
        if reader.errors or organisation is None or year is None or value is None:
            return await service_page_with(viewer, service_id, "figure", values, reader.errors, 400)
        await add_figure(
            service_id, UUID(organisation), int(year), metric, value, note, viewer.actor
        )
        return saved(service_id, "#cijfers")

    @post("/diensten/{service_id:uuid}/leveringen", status_code=303)
    async def add_provision(
        self, request: Request, viewer: Viewer, service_id: ServiceId
    ) -> Template | Redirect:
        require(viewer, "createProvision")
        await records.get_row(Service, service_id)
        values = await form_values(request)
        reader = FormReader(values)
        provider = reader.choice(
            "providerId", await choices.organisations(), required="Kies de aanbieder."
        )
        code = reader.choice(
            "municipalityCode", await choices.municipalities(), required="Kies de gemeente."
        )
        valid_from = reader.date("validFrom", required="Vul in vanaf wanneer.")
        valid_to = reader.date("validTo")
        fte = reader.number("staffedFte", low=0, high=100_000)
        note = reader.text("note", max_length=10_000)
        if reader.errors or provider is None or code is None or valid_from is None:
            return await service_page_with(
                viewer, service_id, "provision", values, reader.errors, 400
            )
        try:
            await create_provision(
                service_id, code, UUID(provider), valid_from, valid_to, fte, note, viewer.actor
            )
        except DomainError as error:
            reader.errors.add_domain_error(error, values)
            return await service_page_with(
                viewer, service_id, "provision", values, reader.errors, refused_status(error)
            )
        return saved(service_id, "#leveringen")

    def _provision_form(
        self,
        viewer: Principal,
        row: ProvisionDetailRow,
        values: dict[str, str],
        errors: FormErrors,
        status_code: int = 200,
    ) -> Template:
        return simple_form(
            viewer,
            heading="Levering bewerken",
            intro=f"{row.organisation_name} levert {row.service_name} in {row.municipality_name}.",
            action=f"/leveringen/{row.id}/bewerken",
            fields=PROVISION_FIELDS,
            values=values,
            errors=errors,
            submit="Opslaan",
            back=Back(f"/diensten/{row.service}#leveringen", row.service_name),
            status_code=status_code,
        )

    async def _provision(self, provision_id: UUID) -> ProvisionDetailRow:
        await records.get_row(Provision, provision_id)  # NotFound when there is none
        row = (
            await Provision.select(*columns_for(ProvisionDetailRow, Provision))
            .where(Provision.id == provision_id)
            .first()
        )
        return msgspec.convert(row, ProvisionDetailRow)

    @get("/leveringen/{provision_id:uuid}/bewerken")
    async def edit_provision_form(self, viewer: Viewer, provision_id: ProvisionId) -> Template:
        require(viewer, "updateProvision")
        row = await self._provision(provision_id)
        return self._provision_form(viewer, row, provision_values(row), FormErrors())

    @post("/leveringen/{provision_id:uuid}/bewerken", status_code=303)
    async def update_provision(
        self, request: Request, viewer: Viewer, provision_id: ProvisionId
    ) -> Template | Redirect:
        require(viewer, "updateProvision")
        row = await self._provision(provision_id)
        values = await form_values(request)
        reader = FormReader(values)
        changes = {
            "valid_from": reader.date("validFrom", required="Vul in vanaf wanneer."),
            "valid_to": reader.date("validTo"),
            "staffed_fte": reader.number("staffedFte", low=0, high=100_000),
            "note": reader.text("note", max_length=10_000),
        }
        if reader.errors:
            return self._provision_form(viewer, row, values, reader.errors, 400)
        try:
            await update_provision(provision_id, changes, viewer.actor, reader.version())
        except DomainError as error:
            reader.errors.add_domain_error(error, values)
            if isinstance(error, PreconditionFailed):
                current = await self._provision(provision_id)
                return self._provision_form(
                    viewer, current, provision_values(current), reader.errors, 409
                )
            return self._provision_form(viewer, row, values, reader.errors, refused_status(error))
        return saved(row.service, "#leveringen")
