"""Handovers: parties, services, guarantees, milestones, lifecycle and staff transfers."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Controller, Response, get, patch, post
from litestar.params import JSONBody, QueryParameter

from app.access.roles import Principal
from app.answer_cache import cached_answer
from app.api.auth import CurrentPrincipal
from app.api.encoded_answers import EncodedAnswer, encode_answer, send_encoded
from app.api.etags import IfMatch, created, with_etag
from app.api.pagination import Cursor, Limit, keyset_page
from app.api.params import IdPath, KnownOn, as_aware
from app.dates import today
from app.fields import CBS_CODE_QUERY
from app.handovers import service
from app.handovers.access import visible_handover, visible_handover_ids
from app.handovers.queries import (
    TransitionRow,
    handover_detail,
    handovers_touching,
    handovers_with_party,
    receiving_organisations,
    transition_out,
)
from app.handovers.schemas import (
    GuaranteeCreate,
    HandoverCreate,
    HandoverOut,
    HandoverSummary,
    HandoverUpdate,
    MilestoneCreate,
    MilestoneUpdate,
    MovedServiceCreate,
    PartyCreate,
    TransitionCreate,
    TransitionOut,
)
from app.handovers.vocabulary import (
    HandoverStatus,
)
from app.identifiers import check_cbs_code
from app.schemas import (
    Page,
    set_fields,
)
from app.store.typed_rows import as_rows
from app.tables.tables import (
    Handover,
    HandoverTransition,
)

# --- response bodies ----------------------------------------------------------------------


# --- request bodies -----------------------------------------------------------------------


# --- reading ------------------------------------------------------------------------------


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
            receiving_organisation=receiving.get(r["id"]),
            version=r["version"],
        )
        for r in rows
    ]
    return encode_answer(Page(items=items, next=next_cursor))


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
        await visible_handover(principal, handover_id)
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
        await visible_handover(principal, handover_id)
        rows, next_cursor = await keyset_page(
            HandoverTransition.select().where(HandoverTransition.handover == handover_id),
            sort=HandoverTransition.recorded_at,
            id_column=HandoverTransition.id,
            limit=limit,
            cursor=cursor,
            convert=datetime.fromisoformat,
        )
        return Page(
            items=[transition_out(r) for r in as_rows(TransitionRow, rows)], next=next_cursor
        )

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
