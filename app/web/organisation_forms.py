"""The registrar's forms on organisations: a new one (with its parent), editing one (a
rename keeps its date in the name history) and a parent over a period."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import PathParameter, QueryParameter
from litestar.response import Redirect, Template

from app.access.roles import Principal
from app.errors import DomainError, PreconditionFailed
from app.organisations.service import add_relation, create_organisation, update_organisation
from app.store import records
from app.tables.tables import Organisation
from app.web import choices
from app.web.forms import FormErrors, FormReader, require
from app.web.handover_forms import form_values, refused_status
from app.web.session import require_login
from app.web.simple_form import Back, date_field, select, simple_form, text, textarea

Viewer = NamedDependency[Principal]
OrganisationId = Annotated[UUID, PathParameter(description="The organisation's id.")]
KVK_HINT = "8 cijfers, zoals in het Handelsregister; leeg als het niet bekend is."


def organisation_values(row: dict[str, Any]) -> dict[str, str]:
    return {
        "name": row["name"],
        "kvkNumber": row["kvk_number"] or "",
        "description": row["description"],
        "version": str(row["version"]),
    }


def read_kvk(reader: FormReader) -> str | None:
    value = reader.text("kvkNumber", max_length=8)
    if value and not (value.isdigit() and len(value) == 8):
        reader.errors.add("kvkNumber", "Een KvK-nummer bestaat uit 8 cijfers.")
    return value or None


def saved(organisation_id: UUID) -> Redirect:
    return Redirect(f"/organisaties/{organisation_id}/bewerken?opgeslagen=1", status_code=303)


class OrganisationFormController(Controller):
    guards = [require_login]

    async def _new_form(
        self, viewer: Principal, values: dict[str, str], errors: FormErrors, status: int = 200
    ) -> Template:
        return simple_form(
            viewer,
            heading="Nieuwe organisatie",
            action="/organisaties/nieuw",
            fields=[
                text("name", "Naam", required=True),
                text("kvkNumber", "KvK-nummer", hint=KVK_HINT),
                textarea("description", "Omschrijving"),
                select("parentId", "Onderdeel van", await choices.organisations()),
                date_field("partOfSince", "Onderdeel sinds"),
            ],
            values=values,
            errors=errors,
            submit="Organisatie vastleggen",
            status_code=status,
        )

    async def _edit_form(
        self,
        viewer: Principal,
        row: dict[str, Any],
        values: dict[str, str],
        errors: FormErrors,
        status: int = 200,
        saved: bool = False,
    ) -> Template:
        return simple_form(
            viewer,
            heading=f"{row['name']} bewerken",
            saved=saved,
            links=[Back(f"/organisaties/{row['id']}/relaties/nieuw", "Onderdeel van … vastleggen")],
            action=f"/organisaties/{row['id']}/bewerken",
            fields=[
                text("name", "Naam", required=True),
                date_field(
                    "renamedOn",
                    "Naam gewijzigd per",
                    hint="Alleen bij een nieuwe naam; leeg: vandaag. De oude naam blijft bewaard.",
                ),
                text("kvkNumber", "KvK-nummer", hint=KVK_HINT),
                textarea("description", "Omschrijving"),
            ],
            values=values,
            errors=errors,
            submit="Opslaan",
            status_code=status,
        )

    @get("/organisaties/nieuw")
    async def new_form(self, viewer: Viewer) -> Template:
        require(viewer, "createOrganisation")
        return await self._new_form(viewer, {}, FormErrors())

    @post("/organisaties/nieuw", status_code=303)
    async def create(self, request: Request, viewer: Viewer) -> Template | Redirect:
        require(viewer, "createOrganisation")
        values = await form_values(request)
        reader = FormReader(values)
        name = reader.text("name", required="Vul de naam in.", max_length=200)
        kvk = read_kvk(reader)
        description = reader.text("description", max_length=10_000)
        parent = reader.choice("parentId", await choices.organisations())
        since = reader.date("partOfSince")
        if reader.errors:
            return await self._new_form(viewer, values, reader.errors, 400)
        try:
            organisation_id = await create_organisation(
                {"name": name, "kvk_number": kvk, "description": description},
                UUID(parent) if parent else None,
                since,
                viewer.actor,
            )
        except DomainError as error:
            reader.errors.add_domain_error(error, values)
            return await self._new_form(viewer, values, reader.errors, refused_status(error))
        return saved(organisation_id)

    @get("/organisaties/{organisation_id:uuid}/bewerken")
    async def edit_form(
        self,
        viewer: Viewer,
        organisation_id: OrganisationId,
        saved_flag: Annotated[str | None, QueryParameter(name="opgeslagen", required=False)] = None,
    ) -> Template:
        require(viewer, "updateOrganisation")
        row = await records.get_row(Organisation, organisation_id)
        return await self._edit_form(
            viewer, row, organisation_values(row), FormErrors(), saved=bool(saved_flag)
        )

    @post("/organisaties/{organisation_id:uuid}/bewerken", status_code=303)
    async def update(
        self, request: Request, viewer: Viewer, organisation_id: OrganisationId
    ) -> Template | Redirect:
        require(viewer, "updateOrganisation")
        row = await records.get_row(Organisation, organisation_id)
        values = await form_values(request)
        reader = FormReader(values)
        changes = {
            "name": reader.text("name", required="Vul de naam in.", max_length=200),
            "kvk_number": read_kvk(reader),
            "description": reader.text("description", max_length=10_000),
        }
        renamed_on = reader.date("renamedOn")
        if reader.errors:
            return await self._edit_form(viewer, row, values, reader.errors, 400)
        try:
            await update_organisation(
                organisation_id, changes, renamed_on, viewer.actor, reader.version()
            )
        except DomainError as error:
            reader.errors.add_domain_error(error, values)
            if isinstance(error, PreconditionFailed):
                current = await records.get_row(Organisation, organisation_id)
                return await self._edit_form(
                    viewer, current, organisation_values(current), reader.errors, 409
                )
            return await self._edit_form(viewer, row, values, reader.errors, refused_status(error))
        return saved(organisation_id)

    async def _relation_form(
        self,
        viewer: Principal,
        row: dict[str, Any],
        values: dict[str, str],
        errors: FormErrors,
        status: int = 200,
    ) -> Template:
        return simple_form(
            viewer,
            heading=f"{row['name']}: onderdeel van …",
            intro="Bijvoorbeeld: Stichting MJD is sinds 2018 onderdeel van Stichting Vlechter.",
            action=f"/organisaties/{row['id']}/relaties/nieuw",
            fields=[
                select("relatedTo", "Organisatie", await choices.organisations(), required=True),
                select("kind", "Verband", choices.RELATION_KINDS, blank=None, required=True),
                date_field("validFrom", "Vanaf"),
                date_field("validTo", "Tot", hint="De eerste dag dat het verband niet meer geldt."),
                textarea("note", "Toelichting"),
            ],
            values=values,
            errors=errors,
            submit="Verband vastleggen",
            back=Back(f"/organisaties/{row['id']}/bewerken", row["name"]),
            status_code=status,
        )

    @get("/organisaties/{organisation_id:uuid}/relaties/nieuw")
    async def relation_form(self, viewer: Viewer, organisation_id: OrganisationId) -> Template:
        require(viewer, "createOrganisationRelation")
        row = await records.get_row(Organisation, organisation_id)
        return await self._relation_form(viewer, row, {"kind": "part_of"}, FormErrors())

    @post("/organisaties/{organisation_id:uuid}/relaties/nieuw", status_code=303)
    async def add_relation(
        self, request: Request, viewer: Viewer, organisation_id: OrganisationId
    ) -> Template | Redirect:
        require(viewer, "createOrganisationRelation")
        row = await records.get_row(Organisation, organisation_id)
        values = await form_values(request)
        reader = FormReader(values)
        related = reader.choice(
            "relatedTo", await choices.organisations(), required="Kies de organisatie."
        )
        kind = reader.choice("kind", choices.RELATION_KINDS, required="Kies het verband.")
        valid_from = reader.date("validFrom")
        valid_to = reader.date("validTo")
        note = reader.text("note", max_length=10_000)
        if reader.errors or related is None or kind is None:
            return await self._relation_form(viewer, row, values, reader.errors, 400)
        try:
            await add_relation(
                organisation_id, UUID(related), kind, valid_from, valid_to, note, viewer.actor
            )
        except DomainError as error:
            reader.errors.add_domain_error(error, values)
            return await self._relation_form(
                viewer, row, values, reader.errors, refused_status(error)
            )
        return saved(organisation_id)
