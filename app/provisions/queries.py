"""Reading provisions: the columns a provision is read with (the names of what it joins
included), as typed rows and as the ``ProvisionOut`` the API shows."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import msgspec
from piccolo.query import Select

from app.errors import NotFound
from app.provisions.schemas import ProvisionOut
from app.schemas import MunicipalityRef, Ref
from app.store.typed_rows import columns_for
from app.tables.tables import Provision


class PeriodRow(msgspec.Struct, frozen=True):
    """What the overlap rule and the lifecycle take of a provision: its period."""

    id: UUID
    service: UUID
    municipality: UUID
    organisation: UUID
    valid_from: date
    valid_to: date | None
    staffed_fte: float | None


PERIOD_COLUMNS = tuple(columns_for(PeriodRow, Provision))


class ProvisionRow(msgspec.Struct, frozen=True):
    """A provision on its timeline: who delivers what where, over which period."""

    id: UUID
    service: UUID
    service_name: str = msgspec.field(name="service.name")
    municipality: UUID
    municipality_code: str = msgspec.field(name="municipality.code")
    municipality_name: str = msgspec.field(name="municipality.name")
    organisation: UUID
    organisation_name: str = msgspec.field(name="organisation.name")
    valid_from: date
    valid_to: date | None
    staffed_fte: float | None
    opened_by: UUID | None
    closed_by: UUID | None


class ProvisionDetailRow(ProvisionRow, frozen=True):
    """A provision as a record of its own: with its note and version."""

    note: str
    version: int


# Built once: Piccolo copies a column for every step of a join path it is asked for.
PROVISION_COLUMNS = tuple(columns_for(ProvisionRow, Provision))
_DETAIL_COLUMNS = tuple(columns_for(ProvisionDetailRow, Provision))


def provision_out(row: ProvisionDetailRow) -> ProvisionOut:
    return ProvisionOut(
        id=row.id,
        service=Ref(id=row.service, name=row.service_name),
        municipality=MunicipalityRef(code=row.municipality_code, name=row.municipality_name),
        provider=Ref(id=row.organisation, name=row.organisation_name),
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        staffed_fte=row.staffed_fte,
        opened_by_handover=row.opened_by,
        closed_by_handover=row.closed_by,
        note=row.note,
        version=row.version,
    )


async def provision_detail(provision_id: UUID) -> ProvisionOut:
    row = await Provision.select(*_DETAIL_COLUMNS).where(Provision.id == provision_id).first()
    if row is None:
        raise NotFound(f"no provision with id {provision_id}")
    return provision_out(msgspec.convert(row, ProvisionDetailRow))


def provisions_query(
    service: UUID | None, municipality_code: str | None, provider: UUID | None, on: date | None
) -> Select:
    """Provisions (as ``ProvisionDetailRow``) of a service, in a municipality, by a
    provider and running on a date; each filter only when given."""
    query = Provision.select(*_DETAIL_COLUMNS)
    if service is not None:
        query = query.where(Provision.service == service)
    if municipality_code is not None:
        query = query.where(Provision.municipality.code == municipality_code)
    if provider is not None:
        query = query.where(Provision.organisation == provider)
    if on is not None:
        query = query.where(
            (Provision.valid_from <= on)
            & (Provision.valid_to.is_null() | (Provision.valid_to > on))
        )
    return query
