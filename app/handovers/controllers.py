"""Handovers: parties, services, guarantees, milestones, lifecycle and staff transfers."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Response, get, patch, post
from litestar.params import JSONBody, QueryParameter

from app.access.roles import Principal
from app.access.scope import check_handover_visible, visible_handover_ids
from app.answer_cache import cached_answer
from app.api.auth import CurrentPrincipal
from app.api.encoded_answers import EncodedAnswer, encode_answer, send_encoded
from app.api.etags import IfMatch, created, with_etag
from app.api.fields import CBS_CODE_QUERY, CbsCode, FreeText, ServiceFte, Title
from app.api.pagination import Cursor, Limit, keyset_page
from app.api.params import IdPath, KnownOn, as_aware
from app.api.schemas import (
    MunicipalityRef,
    Page,
    Ref,
    Schema,
    municipality_from,
    optional_ref_from,
    ref_from,
    set_fields,
)
from app.continuity.queries import receiving_organisations
from app.dates import today
from app.errors import NotFound
from app.handovers import service
from app.handovers.vocabulary import (
    PARTY_ORDER,
    HandoverKind,
    HandoverStatus,
    Involvement,
    MilestoneKind,
    PartyRole,
)
from app.identifiers import check_cbs_code
from app.staff.vocabulary import StaffStatus
from app.store import records
from app.store.recorded import read
from app.tables.tables import (
    ContinuityGuarantee,
    Handover,
    HandoverParty,
    HandoverService,
    HandoverTransition,
    Milestone,
    StaffTransfer,
)

# --- response bodies ----------------------------------------------------------------------


# Named as the OpenAPI document has published it since the first version (the staff
# access report has a party of its own, StaffPartyOut).
class HandoversPartyOut(Schema):
    id: UUID
    role: PartyRole
    organisation: Ref | None
    municipality: MunicipalityRef | None
    involvement: Involvement | None
    note: str


class MovedServiceOut(Schema):
    id: UUID
    service: Ref
    municipality: MunicipalityRef
    from_organisation: Ref | None
    note: str


class GuaranteeOut(Schema):
    id: UUID
    service: Ref
    municipality: MunicipalityRef
    valid_from: date
    until: date | None
    review_on: date | None
    full_strength: bool
    same_conditions: bool
    baseline_fte: float | None
    text: str


class MilestoneOut(Schema):
    id: UUID
    kind: MilestoneKind
    title: str
    due_on: date | None
    done_on: date | None
    note: str


class TransitionOut(Schema):
    from_status: HandoverStatus | None
    to_status: HandoverStatus
    on: date
    actor: str
    note: str
    recorded_at: datetime


class Progress(Schema):
    """Milestones done out of all milestones."""

    done: int
    total: int
    percent: int


class StaffStatusCount(Schema):
    status: StaffStatus
    count: int
    fte: float


class StaffSummary(Schema):
    """Aggregates only: what management and municipalities may see of the staff."""

    count: int
    fte: float
    moving_fte: float
    by_status: list[StaffStatusCount]


class HandoverSummary(Schema):
    id: UUID
    title: str
    kind: HandoverKind
    status: HandoverStatus
    effective_on: date | None
    announced_on: date | None
    receiving_organisation: Ref | None
    version: int


class HandoverOut(Schema):
    id: UUID
    title: str
    description: str
    kind: HandoverKind
    status: HandoverStatus
    effective_on: date | None
    announced_on: date | None
    source: str
    version: int
    parties: list[HandoversPartyOut]
    services: list[MovedServiceOut]
    guarantees: list[GuaranteeOut]
    milestones: list[MilestoneOut]
    transitions: list[TransitionOut]
    progress: Progress
    staff: StaffSummary


# --- request bodies -----------------------------------------------------------------------


class PartyCreate(Schema):
    role: PartyRole
    organisation_id: UUID | None = None
    municipality_code: CbsCode | None = None
    involvement: Involvement | None = None
    note: FreeText = ""


class MovedServiceCreate(Schema):
    service_id: UUID
    municipality_code: CbsCode
    from_organisation_id: UUID | None = None
    note: FreeText = ""


class GuaranteeCreate(Schema):
    service_id: UUID
    municipality_code: CbsCode
    valid_from: date | None = None
    until: date | None = None
    review_on: date | None = None
    full_strength: bool = False
    same_conditions: bool = False
    baseline_fte: ServiceFte | None = None
    text: FreeText = ""


class MilestoneCreate(Schema):
    title: Title
    kind: MilestoneKind = MilestoneKind.OTHER
    due_on: date | None = None
    done_on: date | None = None
    note: FreeText = ""


class MilestoneUpdate(Schema):
    kind: MilestoneKind | msgspec.UnsetType = msgspec.UNSET
    title: Title | msgspec.UnsetType = msgspec.UNSET
    due_on: date | msgspec.UnsetType | None = msgspec.UNSET
    done_on: date | msgspec.UnsetType | None = msgspec.UNSET
    note: FreeText | msgspec.UnsetType = msgspec.UNSET


class HandoverCreate(Schema):
    title: Title
    description: FreeText = ""
    kind: HandoverKind = HandoverKind.TRANSFER
    effective_on: date | None = None
    announced_on: date | None = None
    source: FreeText = ""
    parties: list[PartyCreate] = []
    services: list[MovedServiceCreate] = []
    guarantees: list[GuaranteeCreate] = []
    milestones: list[MilestoneCreate] = []


# Unknown fields are refused here so that a PATCH of ``status`` fails loudly instead of
# being ignored: the status changes through transitions only.
class HandoverUpdate(Schema, forbid_unknown_fields=True):
    title: Title | msgspec.UnsetType = msgspec.UNSET
    description: FreeText | msgspec.UnsetType = msgspec.UNSET
    kind: HandoverKind | msgspec.UnsetType = msgspec.UNSET
    effective_on: date | msgspec.UnsetType | None = msgspec.UNSET
    announced_on: date | msgspec.UnsetType | None = msgspec.UNSET
    source: FreeText | msgspec.UnsetType = msgspec.UNSET


class TransitionCreate(Schema):
    to: HandoverStatus
    on: date | None = None
    note: FreeText = ""


# --- reading ------------------------------------------------------------------------------


def staff_summary(rows: Iterable[dict[str, Any]]) -> StaffSummary:
    rows = list(rows)
    by_status = []
    for status in StaffStatus:
        in_status = [r for r in rows if r["status"] == status]
        by_status.append(
            StaffStatusCount(
                status=status,
                count=len(in_status),
                fte=round(float(sum(r["fte"] for r in in_status)), 2),
            )
        )
    moving = [r for r in rows if r["status"] != "declined" and r["basis"] != "not_transferring"]
    return StaffSummary(
        count=len(rows),
        fte=round(float(sum(r["fte"] for r in rows)), 2),
        moving_fte=round(float(sum(r["fte"] for r in moving)), 2),
        by_status=by_status,
    )


async def _detail_rows(handover_id: UUID, at: datetime | None) -> dict[str, Any]:
    """The handover and everything hanging off it, now or as recorded at ``at``."""
    handover = await read(Handover.select().where(Handover.id == handover_id).first(), at)
    if handover is None:
        known = "" if at is None else f" was known at {at.isoformat()}"
        raise NotFound(f"no handover with id {handover_id}{known}")
    return {
        "handover": handover,
        "parties": await read(
            HandoverParty.select(
                HandoverParty.id,
                HandoverParty.role,
                HandoverParty.organisation,
                HandoverParty.organisation.name,
                HandoverParty.municipality,
                HandoverParty.municipality.code,
                HandoverParty.municipality.name,
                HandoverParty.involvement,
                HandoverParty.note,
            ).where(HandoverParty.handover == handover_id),
            at,
        ),
        "services": await read(
            HandoverService.select(
                HandoverService.id,
                HandoverService.service,
                HandoverService.service.name,
                HandoverService.municipality.code,
                HandoverService.municipality.name,
                HandoverService.from_organisation,
                HandoverService.from_organisation.name,
                HandoverService.note,
            ).where(HandoverService.handover == handover_id),
            at,
        ),
        "guarantees": await read(
            ContinuityGuarantee.select(
                *ContinuityGuarantee.all_columns(),
                ContinuityGuarantee.service.name,
                ContinuityGuarantee.municipality.code,
                ContinuityGuarantee.municipality.name,
            ).where(ContinuityGuarantee.handover == handover_id),
            at,
        ),
        "milestones": await read(Milestone.select().where(Milestone.handover == handover_id), at),
        "transitions": await read(
            HandoverTransition.select().where(HandoverTransition.handover == handover_id), at
        ),
        "staff": await read(
            StaffTransfer.select(
                StaffTransfer.status, StaffTransfer.basis, StaffTransfer.fte
            ).where(StaffTransfer.handover == handover_id),
            at,
        ),
    }


async def handover_detail(handover_id: UUID, known_on: datetime | None = None) -> HandoverOut:
    found = await _detail_rows(handover_id, known_on)
    row = found["handover"]
    parties, services, guarantees = found["parties"], found["services"], found["guarantees"]
    milestones, staff = found["milestones"], found["staff"]
    transitions = sorted(found["transitions"], key=lambda t: t["recorded_at"])

    parties.sort(
        key=lambda p: (
            PARTY_ORDER.get(p["role"], 9),
            (p["organisation.name"] or p["municipality.name"] or "").casefold(),
        )
    )
    services.sort(key=lambda s: (s["service.name"].casefold(), s["municipality.code"]))
    guarantees.sort(key=lambda g: (g["service.name"].casefold(), g["valid_from"]))
    milestones.sort(key=lambda m: (m["due_on"] is None, m["due_on"] or date.min, m["title"]))
    done = sum(1 for m in milestones if m["done_on"] is not None)
    return HandoverOut(
        id=row["id"],
        title=row["title"],
        description=row["description"],
        kind=row["kind"],
        status=row["status"],
        effective_on=row["effective_on"],
        announced_on=row["announced_on"],
        source=row["source"],
        version=row["version"],
        parties=[
            HandoversPartyOut(
                id=p["id"],
                role=p["role"],
                organisation=optional_ref_from(p, "organisation"),
                municipality=municipality_from(p) if p["municipality"] else None,
                involvement=p["involvement"],
                note=p["note"],
            )
            for p in parties
        ],
        services=[
            MovedServiceOut(
                id=s["id"],
                service=ref_from(s, "service"),
                municipality=municipality_from(s),
                from_organisation=optional_ref_from(s, "from_organisation"),
                note=s["note"],
            )
            for s in services
        ],
        guarantees=[
            GuaranteeOut(
                id=g["id"],
                service=ref_from(g, "service"),
                municipality=municipality_from(g),
                valid_from=g["valid_from"],
                until=g["until"],
                review_on=g["review_on"],
                full_strength=g["full_strength"],
                same_conditions=g["same_conditions"],
                baseline_fte=g["baseline_fte"],
                text=g["text"],
            )
            for g in guarantees
        ],
        milestones=[
            MilestoneOut(
                id=m["id"],
                kind=m["kind"],
                title=m["title"],
                due_on=m["due_on"],
                done_on=m["done_on"],
                note=m["note"],
            )
            for m in milestones
        ],
        transitions=[transition_out(t) for t in transitions],
        progress=Progress(
            done=done,
            total=len(milestones),
            percent=round(100 * done / len(milestones)) if milestones else 0,
        ),
        staff=staff_summary(staff),
    )


def transition_out(row: dict[str, Any]) -> TransitionOut:
    return TransitionOut(
        from_status=row["from_status"],
        to_status=row["to_status"],
        on=row["on"],
        actor=row["actor"],
        note=row["note"],
        recorded_at=row["recorded_at"],
    )


@cached_answer(unless=lambda arguments: arguments["at"] is not None)
async def handover_page(
    principal: Principal,
    limit: int,
    cursor: str | None,
    status: HandoverStatus | None,
    municipality: str | None,
    organisation: UUID | None,
    at: datetime | None = None,
) -> EncodedAnswer[Page[HandoverSummary]]:
    """One page of the handovers a key may see, live (encoded until the registry changes) or
    as recorded ``at``. Who may see a handover is decided as of now, also for the past."""
    ids = await visible_handover_ids(principal)
    if municipality is not None:
        touching = await handovers_touching(municipality, at)
        ids = touching if ids is None else ids & touching
    if organisation is not None:
        with_party = await handovers_with_party(organisation, at)
        ids = with_party if ids is None else ids & with_party
    if ids is not None and not ids:
        return encode_answer(Page(items=[], next=None))
    query = Handover.select(
        Handover.id,
        Handover.title,
        Handover.kind,
        Handover.status,
        Handover.effective_on,
        Handover.announced_on,
        Handover.version,
        Handover.created_at,
    )
    if ids is not None:
        query = query.where(Handover.id.is_in(list(ids)))
    if status is not None:
        query = query.where(Handover.status == status.value)
    rows, next_cursor = await keyset_page(
        query,
        sort=Handover.created_at,
        id_column=Handover.id,
        limit=limit,
        cursor=cursor,
        convert=datetime.fromisoformat,
        at=at,
    )
    receiving = await receiving_organisations((r["id"] for r in rows), at)
    items = [
        HandoverSummary(
            id=r["id"],
            title=r["title"],
            kind=r["kind"],
            status=r["status"],
            effective_on=r["effective_on"],
            announced_on=r["announced_on"],
            receiving_organisation=Ref(**receiving[r["id"]]) if r["id"] in receiving else None,
            version=r["version"],
        )
        for r in rows
    ]
    return encode_answer(Page(items=items, next=next_cursor))


async def handovers_touching(code: str, at: datetime | None = None) -> set[UUID]:
    """Handovers with a municipality party in ``code`` or moving a service there."""
    parties = await read(
        HandoverParty.select(HandoverParty.handover).where(HandoverParty.municipality.code == code),
        at,
    )
    moved = await read(
        HandoverService.select(HandoverService.handover).where(
            HandoverService.municipality.code == code
        ),
        at,
    )
    return {r["handover"] for r in parties} | {r["handover"] for r in moved}


async def handovers_with_party(organisation_id: UUID, at: datetime | None = None) -> set[UUID]:
    rows = await read(
        HandoverParty.select(HandoverParty.handover).where(
            HandoverParty.organisation == organisation_id
        ),
        at,
    )
    return {r["handover"] for r in rows}


# --- writing: the request bodies as the handover service's inputs -------------------------


def new_party(data: PartyCreate) -> service.NewParty:
    return service.NewParty(**msgspec.structs.asdict(data))


def new_moved_service(data: MovedServiceCreate) -> service.NewMovedService:
    return service.NewMovedService(**msgspec.structs.asdict(data))


def new_guarantee(data: GuaranteeCreate) -> service.NewGuarantee:
    return service.NewGuarantee(**msgspec.structs.asdict(data))


def new_milestone(data: MilestoneCreate) -> service.NewMilestone:
    return service.NewMilestone(**msgspec.structs.asdict(data))


def new_handover(data: HandoverCreate) -> service.NewHandover:
    return service.NewHandover(
        title=data.title,
        description=data.description,
        kind=data.kind,
        effective_on=data.effective_on,
        announced_on=data.announced_on,
        source=data.source,
        parties=[new_party(p) for p in data.parties],
        services=[new_moved_service(s) for s in data.services],
        guarantees=[new_guarantee(g) for g in data.guarantees],
        milestones=[new_milestone(m) for m in data.milestones],
    )


async def add_to_handover(
    handover_id: UUID, add: service.Adder, part: service.Part, actor: str
) -> HandoverOut:
    await service.add_to_handover(handover_id, add, part, actor)
    return await handover_detail(handover_id)


class HandoverController(Controller):
    path = "/handovers"
    tags = ["handovers"]

    @get(operation_id="listHandovers")
    async def list_handovers(
        self,
        principal: CurrentPrincipal,
        limit: Limit = 50,
        cursor: Cursor = None,
        status: Annotated[
            HandoverStatus | None, QueryParameter(description="Only this status.", required=False)
        ] = None,
        municipality: Annotated[
            str | None,
            QueryParameter(
                description="CBS code: a municipality party, or a service moved there.",
                required=False,
                **CBS_CODE_QUERY,
            ),
        ] = None,
        organisation: Annotated[
            UUID | None, QueryParameter(description="Organisation id of a party.", required=False)
        ] = None,
        known_on: KnownOn = None,
    ) -> Response[Page[HandoverSummary]]:
        """Handovers, oldest record first, filtered by status, municipality and party."""
        if municipality is not None:
            check_cbs_code(municipality, field="municipality")
        page = await handover_page(
            principal, limit, cursor, status, municipality, organisation, as_aware(known_on)
        )
        return send_encoded(page)

    @get("/{handover_id:uuid}", operation_id="getHandover")
    async def get_handover(
        self, handover_id: IdPath, principal: CurrentPrincipal, known_on: KnownOn = None
    ) -> Response[HandoverOut]:
        """One handover with its parties, services, guarantees, milestones and progress."""
        await records.get_row(Handover, handover_id)
        await check_handover_visible(principal, handover_id)
        return with_etag(await handover_detail(handover_id, as_aware(known_on)))

    @post(operation_id="createHandover")
    async def create_handover(
        self, data: JSONBody[HandoverCreate], principal: CurrentPrincipal
    ) -> Response[HandoverOut]:
        """Record a proposed handover, optionally with its parties, services and promises."""
        handover_id = await service.create_handover(new_handover(data), principal.actor)
        return created(await handover_detail(handover_id))

    @patch("/{handover_id:uuid}", operation_id="updateHandover")
    async def update_handover(
        self,
        handover_id: IdPath,
        data: JSONBody[HandoverUpdate],
        principal: CurrentPrincipal,
        if_match: IfMatch = None,
    ) -> Response[HandoverOut]:
        """Change a handover's description or planned dates; its status moves by transitions."""
        await service.update_handover(handover_id, set_fields(data), principal.actor, if_match)
        return with_etag(await handover_detail(handover_id))

    @post("/{handover_id:uuid}/parties", operation_id="createHandoverParty")
    async def create_party(
        self, handover_id: IdPath, data: JSONBody[PartyCreate], principal: CurrentPrincipal
    ) -> Response[HandoverOut]:
        """Add a party: a source, the receiving organisation, a municipality or another."""
        return created(
            await add_to_handover(handover_id, service.add_party, new_party(data), principal.actor)
        )

    @post("/{handover_id:uuid}/services", operation_id="createHandoverService")
    async def create_service(
        self, handover_id: IdPath, data: JSONBody[MovedServiceCreate], principal: CurrentPrincipal
    ) -> Response[HandoverOut]:
        """Add a service the handover moves in a municipality."""
        return created(
            await add_to_handover(
                handover_id, service.add_service, new_moved_service(data), principal.actor
            )
        )

    @post("/{handover_id:uuid}/guarantees", operation_id="createGuarantee")
    async def create_guarantee(
        self, handover_id: IdPath, data: JSONBody[GuaranteeCreate], principal: CurrentPrincipal
    ) -> Response[HandoverOut]:
        """Record a continuity guarantee promised in the handover."""
        return created(
            await add_to_handover(
                handover_id, service.add_guarantee, new_guarantee(data), principal.actor
            )
        )

    @post("/{handover_id:uuid}/milestones", operation_id="createMilestone")
    async def create_milestone(
        self, handover_id: IdPath, data: JSONBody[MilestoneCreate], principal: CurrentPrincipal
    ) -> Response[HandoverOut]:
        """Add a dated task to the handover."""
        return created(
            await add_to_handover(
                handover_id, service.add_milestone, new_milestone(data), principal.actor
            )
        )

    @patch("/{handover_id:uuid}/milestones/{milestone_id:uuid}", operation_id="updateMilestone")
    async def update_milestone(
        self,
        handover_id: IdPath,
        milestone_id: IdPath,
        data: JSONBody[MilestoneUpdate],
        principal: CurrentPrincipal,
        if_match: IfMatch = None,
    ) -> Response[HandoverOut]:
        """Change a milestone, e.g. mark it done; send the handover's ETag as If-Match."""
        await service.update_milestone(
            handover_id, milestone_id, set_fields(data), principal.actor, if_match
        )
        return with_etag(await handover_detail(handover_id))

    @get("/{handover_id:uuid}/transitions", operation_id="listHandoverTransitions")
    async def list_transitions(
        self,
        handover_id: IdPath,
        principal: CurrentPrincipal,
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> Page[TransitionOut]:
        """The lifecycle steps of a handover, in the order they were recorded."""
        await records.get_row(Handover, handover_id)
        await check_handover_visible(principal, handover_id)
        rows, next_cursor = await keyset_page(
            HandoverTransition.select().where(HandoverTransition.handover == handover_id),
            sort=HandoverTransition.recorded_at,
            id_column=HandoverTransition.id,
            limit=limit,
            cursor=cursor,
            convert=datetime.fromisoformat,
        )
        return Page(items=[transition_out(r) for r in rows], next=next_cursor)

    @post("/{handover_id:uuid}/transitions", operation_id="createHandoverTransition")
    async def create_transition(
        self,
        handover_id: IdPath,
        data: JSONBody[TransitionCreate],
        principal: CurrentPrincipal,
        if_match: IfMatch = None,
    ) -> Response[HandoverOut]:
        """Take a lifecycle step; becoming effective moves the provisions."""
        on = data.on or today()
        await service.take_step(handover_id, data.to, on, data.note, principal.actor, if_match)
        return created(await handover_detail(handover_id))
