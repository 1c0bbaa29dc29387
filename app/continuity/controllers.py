"""Continuity: who delivers what in a municipality on a date, and what went or will go wrong."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated, cast
from uuid import UUID

import msgspec
from litestar import Controller, Response, get
from litestar.params import QueryParameter

from app.access.roles import Principal
from app.access.scope import allowed_municipality_codes, check_municipality_allowed
from app.answer_cache import cached_answer
from app.api.auth import CurrentPrincipal
from app.api.encoded_answers import EncodedAnswer, encode_answer, send_encoded
from app.api.fields import CBS_CODE_QUERY
from app.api.pagination import Cursor, Limit
from app.api.params import CbsCodePath, KnownOn, OnDate, as_aware
from app.api.schemas import MunicipalityRef, Page, Ref, Schema, municipality_from, ref_from
from app.continuity import queries
from app.continuity.sources import source_for
from app.continuity.vocabulary import BreachReason, IssueKind
from app.dates import today
from app.errors import InvalidInput
from app.identifiers import check_cbs_code


class PlannedHandover(Schema):
    handover_id: UUID
    status: str
    effective_on: date | None
    to_provider: Ref | None


class GuaranteeInForce(Schema):
    id: UUID
    handover_id: UUID
    until: date | None
    review_on: date | None
    full_strength: bool
    same_conditions: bool
    text: str
    breached: bool


class ServiceContinuity(Schema):
    service: Ref
    provider: Ref
    since: date
    until: date | None
    planned: list[PlannedHandover]
    guarantees: list[GuaranteeInForce]


class SuccessorContinuity(Schema):
    """After a split: what one successor answers, and which part of the old territory it
    covers (``null`` when the registry cannot tell)."""

    municipality: MunicipalityRef
    part: str | None
    services: list[ServiceContinuity]


class Continuity(Schema):
    municipality: MunicipalityRef
    requested_code: str
    on: date
    services: list[ServiceContinuity]
    #: Only when the municipality had been split over several by ``on``.
    successors: list[SuccessorContinuity] | msgspec.UnsetType = msgspec.UNSET
    note: str | msgspec.UnsetType = msgspec.UNSET


class ContinuityIssue(Schema):
    kind: IssueKind
    service: Ref
    municipality: MunicipalityRef
    start: date
    end: date | None
    days: int | None
    organisations: list[Ref]
    provision_ids: list[UUID]
    handover_id: UUID | None = None
    guarantee_id: UUID | None = None
    reason: BreachReason | None = None
    planned: bool = False


def _planned(*rows: dict) -> bool:
    return any(row.get("planned", False) for row in rows)


def issue_list(found: queries.Issues) -> list[ContinuityIssue]:
    issues: list[ContinuityIssue] = []
    for gap in found.gaps:
        # The engine's ids are Hashable; the periods and guarantees found carry UUIDs.
        before, after = found.rows[cast(UUID, gap.before.id)], found.rows[cast(UUID, gap.after.id)]
        issues.append(
            ContinuityIssue(
                kind=IssueKind.GAP,
                service=ref_from(after, "service"),
                municipality=municipality_from(after),
                start=gap.start,
                end=gap.end,
                days=gap.days,
                organisations=[ref_from(before, "organisation"), ref_from(after, "organisation")],
                provision_ids=[before["id"], after["id"]],
                handover_id=after["opened_by"] or before["closed_by"],
                planned=_planned(before, after),
            )
        )
    for overlap in found.overlaps:
        first = found.rows[cast(UUID, overlap.first.id)]
        second = found.rows[cast(UUID, overlap.second.id)]
        issues.append(
            ContinuityIssue(
                kind=IssueKind.OVERLAP,
                service=ref_from(second, "service"),
                municipality=municipality_from(second),
                start=overlap.start,
                end=overlap.end,
                days=(overlap.end - overlap.start).days if overlap.end else None,
                organisations=[ref_from(first, "organisation"), ref_from(second, "organisation")],
                provision_ids=[first["id"], second["id"]],
                handover_id=second["opened_by"] or first["opened_by"],
                planned=_planned(first, second),
            )
        )
    for breach in found.breaches:
        guarantee = found.guarantees[cast(UUID, breach.guarantee.id)]
        period = found.rows[cast(UUID, breach.period.id)] if breach.period else None
        issues.append(
            ContinuityIssue(
                kind=IssueKind.GUARANTEE_BREACH,
                service=ref_from(guarantee, "service"),
                municipality=municipality_from(guarantee),
                start=breach.start,
                end=breach.end,
                days=(breach.end - breach.start).days,
                organisations=[ref_from(period, "organisation")] if period else [],
                provision_ids=[period["id"]] if period else [],
                handover_id=guarantee["handover"],
                guarantee_id=guarantee["id"],
                reason=breach.reason,
                planned=_planned(*([period] if period else [])),
            )
        )
    issues.sort(key=lambda i: (i.start, i.kind, i.service.name))
    return issues


def service_list(answer: queries.ContinuityAnswer) -> list[ServiceContinuity]:
    return [
        ServiceContinuity(
            service=Ref(id=s.provision.service, name=s.provision.service_name),
            provider=Ref(id=s.provision.organisation, name=s.provision.organisation_name),
            since=s.provision.valid_from,
            until=s.provision.valid_to,
            planned=[
                PlannedHandover(
                    handover_id=p.handover,
                    status=p.status,
                    effective_on=p.effective_on,
                    to_provider=(
                        Ref(id=p.to_organisation, name=p.to_organisation_name or "")
                        if p.to_organisation
                        else None
                    ),
                )
                for p in s.planned
            ],
            guarantees=[
                GuaranteeInForce(
                    id=g.id,
                    handover_id=g.handover,
                    until=g.until,
                    review_on=g.review_on,
                    full_strength=g.full_strength,
                    same_conditions=g.same_conditions,
                    text=g.text,
                    breached=breached,
                )
                for g, breached in s.guarantees
            ],
        )
        for s in answer.services
    ]


@cached_answer(unless=lambda arguments: arguments["known_on"] is not None)
async def continuity_document(
    cbs_code: str, on: date, known_on: datetime | None
) -> EncodedAnswer[Continuity]:
    """The continuity answer, built once per registry state (callers must not change it)."""
    answer = await queries.continuity_on(cbs_code, on, source_for(known_on))
    document = Continuity(
        municipality=MunicipalityRef(code=answer.answering.code, name=answer.answering.name),
        requested_code=answer.requested.code,
        on=answer.on,
        services=service_list(answer),
    )
    if answer.split_over:
        document.successors = [
            SuccessorContinuity(
                municipality=MunicipalityRef(
                    code=part.answer.answering.code, name=part.answer.answering.name
                ),
                part=part.part or None,
                services=service_list(part.answer),
            )
            for part in answer.split_over
        ]
        named = ", ".join(s.municipality.code for s in document.successors)
        unknown = any(s.part is None for s in document.successors)
        document.note = (
            f"{answer.answering.code} {answer.answering.name} ended on "
            f"{answer.answering.valid_to} and was split over {named}; "
            + (
                "the registry cannot tell which part went where, so it answers for each of them"
                if unknown
                else "each answers for the part it covers"
            )
        )
    return encode_answer(document)


async def within_scope(
    encoded: EncodedAnswer[Continuity], principal: Principal
) -> EncodedAnswer[Continuity]:
    """A split municipality's answer with only the successors the key may see."""
    document = encoded.document
    if document.successors is msgspec.UNSET:
        return encoded
    allowed = await allowed_municipality_codes(principal)
    if allowed is None:
        return encoded
    return encode_answer(
        msgspec.structs.replace(
            document,
            successors=[s for s in document.successors if s.municipality.code in allowed],
        )
    )


class ContinuityController(Controller):
    tags = ["continuity"]

    @get("/municipalities/{cbs_code:str}/continuity", operation_id="getContinuity")
    async def get_continuity(
        self,
        cbs_code: CbsCodePath,
        principal: CurrentPrincipal,
        on: OnDate = None,
        known_on: KnownOn = None,
    ) -> Response[Continuity]:
        """Who delivers each service in a municipality on a date; what is planned and promised."""
        check_cbs_code(cbs_code, field="cbsCode")
        encoded = await continuity_document(cbs_code, on or today(), as_aware(known_on))
        await check_municipality_allowed(principal, encoded.document.requested_code)
        return send_encoded(await within_scope(encoded, principal))

    @get("/continuity/issues", operation_id="listContinuityIssues")
    async def list_issues(
        self,
        principal: CurrentPrincipal,
        municipality: Annotated[
            str | None,
            QueryParameter(
                description="CBS code; without it, nationwide.", required=False, **CBS_CODE_QUERY
            ),
        ] = None,
        start: Annotated[
            date | None,
            QueryParameter(
                name="from", description="First day (default: a year ago).", required=False
            ),
        ] = None,
        end: Annotated[
            date | None,
            QueryParameter(
                name="to", description="Day after the last (default: today).", required=False
            ),
        ] = None,
        known_on: KnownOn = None,
        include_planned: Annotated[
            bool,
            QueryParameter(
                name="includePlanned",
                description="Judge the timeline as the handovers not yet effective will make it.",
                required=False,
            ),
        ] = False,
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> Page[ContinuityIssue]:
        """Gaps, overlaps and guarantee breaches in a period."""
        end = end or today() + timedelta(days=1)
        start = start or end - timedelta(days=366)
        if end <= start:
            raise InvalidInput("'to' must lie after 'from'", field="to")
        allowed = await allowed_municipality_codes(principal)
        if municipality is not None:
            check_cbs_code(municipality, field="municipality")
            await check_municipality_allowed(principal, municipality)
        elif allowed is not None:
            raise InvalidInput(
                "a municipality key must name its municipality", field="municipality"
            )
        found = await queries.continuity_issues(
            municipality,
            start,
            end,
            include_planned=include_planned,
            source=source_for(as_aware(known_on)),
        )
        issues = issue_list(found)
        offset = _offset(cursor)
        page = issues[offset : offset + limit]
        more = offset + limit < len(issues)
        return Page(items=page, next=str(offset + limit) if more else None)


def _offset(cursor: str | None) -> int:
    if cursor is None:
        return 0
    if not cursor.isdigit():
        raise InvalidInput("the cursor is not one this API handed out", field="cursor")
    return int(cursor)
