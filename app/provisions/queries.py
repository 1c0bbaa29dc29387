"""How a provision is read: its columns with the names of what it joins."""

from __future__ import annotations

from app.tables.tables import Provision

PROVISION_COLUMNS = (
    Provision.id,
    Provision.service,
    Provision.service.name,
    Provision.municipality,
    Provision.municipality.code,
    Provision.municipality.name,
    Provision.organisation,
    Provision.organisation.name,
    Provision.valid_from,
    Provision.valid_to,
    Provision.staffed_fte,
    Provision.opened_by,
    Provision.closed_by,
)
