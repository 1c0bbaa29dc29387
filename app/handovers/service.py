"""Every write on a handover and its parts: audited, transactional, callable without HTTP.

The API's controllers and the web forms both call these. Errors are domain errors whose
``field`` names the input as the API does (``parties[0].organisationId``) and whose
``nl`` says it in Dutch, for the message a form shows beside the field.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from app.database import write_transaction
from app.errors import Conflict, NotFound
from app.handovers import rules
from app.handovers.transitions import transition
from app.handovers.vocabulary import HandoverStatus
from app.identifiers import check_cbs_code
from app.store import records
from app.tables.tables import (
    ContinuityGuarantee,
    Handover,
    HandoverParty,
    HandoverService,
    Milestone,
    Municipality,
    Organisation,
    Service,
)


@dataclass(slots=True)
class NewParty:
    role: str
    organisation_id: UUID | None = None
    municipality_code: str | None = None
    involvement: str | None = None
    note: str = ""


@dataclass(slots=True)
class NewMovedService:
    service_id: UUID
    municipality_code: str
    from_organisation_id: UUID | None = None
    note: str = ""


@dataclass(slots=True)
class NewGuarantee:
    service_id: UUID
    municipality_code: str
    valid_from: date | None = None
    until: date | None = None
    review_on: date | None = None
    full_strength: bool = False
    same_conditions: bool = False
    baseline_fte: float | None = None
    text: str = ""


@dataclass(slots=True)
class NewMilestone:
    title: str
    kind: str = "other"
    due_on: date | None = None
    done_on: date | None = None
    note: str = ""


@dataclass(slots=True)
class NewHandover:
    title: str
    description: str = ""
    kind: str = "transfer"
    effective_on: date | None = None
    announced_on: date | None = None
    source: str = ""
    parties: list[NewParty] = field(default_factory=list)
    services: list[NewMovedService] = field(default_factory=list)
    guarantees: list[NewGuarantee] = field(default_factory=list)
    milestones: list[NewMilestone] = field(default_factory=list)


# --- the rules on the parts of a handover -------------------------------------------------


async def _municipality_id(code: str, field: str) -> UUID:
    check_cbs_code(code, field=field)
    row = await Municipality.select(Municipality.id).where(Municipality.code == code).first()
    if row is None:
        raise NotFound(
            f"no municipality with CBS code {code}",
            field=field,
            nl=f"Er is geen gemeente met CBS-code {code}.",
        )
    return row["id"]


async def _check_exists(table: type[Organisation | Service], record_id: UUID, field: str) -> None:
    if not await table.exists().where(table.id == record_id):
        name = records.record_type(table).replace("_", " ")
        nl = "Deze organisatie" if table is Organisation else "Deze dienst"
        raise NotFound(
            f"no {name} with id {record_id}", field=field, nl=f"{nl} staat niet in het register."
        )


async def add_party(
    handover: dict[str, Any], data: NewParty, actor: str, at: str = ""
) -> dict[str, Any]:
    rules.check_open(handover["status"], "the parties", "De partijen")
    rules.check_party_shape(
        data.role, data.organisation_id, data.municipality_code, data.involvement, at
    )
    municipality_id = None
    if data.municipality_code is not None:
        municipality_id = await _municipality_id(data.municipality_code, f"{at}municipalityCode")
    if data.organisation_id is not None:
        await _check_exists(Organisation, data.organisation_id, f"{at}organisationId")
    existing = await HandoverParty.select(
        HandoverParty.role, HandoverParty.organisation, HandoverParty.municipality
    ).where(HandoverParty.handover == handover["id"])
    rules.check_new_party(
        (rules.PartyKey(p["role"], p["organisation"], p["municipality"]) for p in existing),
        rules.PartyKey(data.role, data.organisation_id, municipality_id),
        at,
    )
    return await records.create(
        HandoverParty,
        {
            "handover": handover["id"],
            "role": data.role,
            "organisation": data.organisation_id,
            "municipality": municipality_id,
            "involvement": data.involvement,
            "note": data.note,
        },
        actor=actor,
    )


async def add_service(
    handover: dict[str, Any], data: NewMovedService, actor: str, at: str = ""
) -> dict[str, Any]:
    rules.check_open(handover["status"], "the services", "De diensten")
    municipality_id = await _municipality_id(data.municipality_code, f"{at}municipalityCode")
    await _check_exists(Service, data.service_id, f"{at}serviceId")
    if data.from_organisation_id is not None:
        await _check_exists(Organisation, data.from_organisation_id, f"{at}fromOrganisationId")
    if await HandoverService.exists().where(
        (HandoverService.handover == handover["id"])
        & (HandoverService.service == data.service_id)
        & (HandoverService.municipality == municipality_id)
    ):
        raise Conflict(
            f"the handover already moves this service in {data.municipality_code}",
            field=f"{at}serviceId",
            nl="Deze dienst gaat in deze gemeente al over met deze overdracht.",
        )
    return await records.create(
        HandoverService,
        {
            "handover": handover["id"],
            "service": data.service_id,
            "municipality": municipality_id,
            "from_organisation": data.from_organisation_id,
            "note": data.note,
        },
        actor=actor,
    )


async def add_guarantee(
    handover: dict[str, Any], data: NewGuarantee, actor: str, at: str = ""
) -> dict[str, Any]:
    valid_from = rules.guarantee_start(data.valid_from, handover["effective_on"], data.until, at)
    municipality_id = await _municipality_id(data.municipality_code, f"{at}municipalityCode")
    await _check_exists(Service, data.service_id, f"{at}serviceId")
    return await records.create(
        ContinuityGuarantee,
        {
            "handover": handover["id"],
            "service": data.service_id,
            "municipality": municipality_id,
            "valid_from": valid_from,
            "until": data.until,
            "review_on": data.review_on,
            "full_strength": data.full_strength,
            "same_conditions": data.same_conditions,
            "baseline_fte": data.baseline_fte,
            "text": data.text,
        },
        actor=actor,
    )


async def add_milestone(
    handover: dict[str, Any], data: NewMilestone, actor: str, at: str = ""
) -> dict[str, Any]:
    return await records.create(
        Milestone, {"handover": handover["id"], **asdict(data)}, actor=actor
    )


Part = NewParty | NewMovedService | NewGuarantee | NewMilestone
Adder = Callable[[dict[str, Any], Any, str], Awaitable[Any]]


# --- whole writes ---------------------------------------------------------------------------


async def create_handover(data: NewHandover, actor: str) -> UUID:
    """A proposed handover with its parties, services and promises, all or nothing."""
    async with write_transaction():
        handover = await records.create(
            Handover,
            {
                "title": data.title,
                "description": data.description,
                "kind": data.kind,
                "status": HandoverStatus.PROPOSED.value,
                "effective_on": data.effective_on,
                "announced_on": data.announced_on,
                "source": data.source,
            },
            actor=actor,
        )
        for i, party in enumerate(data.parties):
            await add_party(handover, party, actor, at=f"parties[{i}].")
        for i, service in enumerate(data.services):
            await add_service(handover, service, actor, at=f"services[{i}].")
        for i, guarantee in enumerate(data.guarantees):
            await add_guarantee(handover, guarantee, actor, at=f"guarantees[{i}].")
        for milestone in data.milestones:
            await add_milestone(handover, milestone, actor)
    return handover["id"]


async def update_handover(
    handover_id: UUID, changes: dict[str, Any], actor: str, if_match: str | None
) -> None:
    """Change a handover's own fields, on the version the editor read."""
    async with write_transaction():
        handover = await records.get_current(Handover, handover_id, if_match)
        if "effective_on" in changes:
            rules.check_effective_on_change(
                handover["status"], handover["effective_on"], changes["effective_on"]
            )
        await records.update(Handover, handover_id, changes, actor=actor)


async def add_to_handover(
    handover_id: UUID, add: Adder, part: Part, actor: str, if_match: str | None = None
) -> None:
    """Add a party, service, guarantee or milestone, the handover locked meanwhile.

    The API adds without a version (an addition overwrites nothing); a form passes the
    version it showed, so that it never adds to a handover that changed under it.
    """
    async with write_transaction():
        handover = await records.get_row(Handover, handover_id, for_update=True)
        if if_match is not None:
            records.check_version(handover, if_match)
        await add(handover, part, actor)
        await records.touch(Handover, handover_id)


async def update_milestone(
    handover_id: UUID,
    milestone_id: UUID,
    changes: dict[str, Any],
    actor: str,
    if_match: str | None,
) -> None:
    """Change a milestone (mark it done, say), on the handover's version the editor read."""
    async with write_transaction():
        handover = await records.get_row(Handover, handover_id, for_update=True)
        milestone = await records.get_row(Milestone, milestone_id)
        if milestone["handover"] != handover_id:
            raise NotFound(f"no milestone with id {milestone_id} in this handover")
        records.check_version(handover, if_match)
        await records.update(Milestone, milestone_id, changes, actor=actor)
        if changes:
            await records.touch(Handover, handover_id)


async def take_step(
    handover_id: UUID,
    to: HandoverStatus,
    on: date,
    note: str,
    actor: str,
    if_match: str | None,
) -> None:
    """A lifecycle step on the version the editor read; becoming effective moves provisions."""
    async with write_transaction():
        await records.get_current(Handover, handover_id, if_match)
        await transition(handover_id, to, on, note, actor)
