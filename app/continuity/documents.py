"""The engine's answers as the documents of ``app.continuity.schemas``."""

from __future__ import annotations

from typing import cast
from uuid import UUID

from app.continuity import queries
from app.continuity.schemas import (
    ContinuityIssue,
    GuaranteeInForce,
    PlannedHandover,
    ServiceContinuity,
)
from app.continuity.vocabulary import IssueKind
from app.provisions.queries import ProvisionRow
from app.schemas import MunicipalityRef, Ref


def _provider(row: ProvisionRow) -> Ref:
    return Ref(id=row.organisation, name=row.organisation_name)


def issue_list(found: queries.Issues) -> list[ContinuityIssue]:
    def planned(*rows: ProvisionRow) -> bool:
        return any(row.id in found.planned for row in rows)

    issues: list[ContinuityIssue] = []
    for gap in found.gaps:
        # The engine's ids are Hashable; the periods and guarantees found carry UUIDs.
        before, after = found.rows[cast(UUID, gap.before.id)], found.rows[cast(UUID, gap.after.id)]
        issues.append(
            ContinuityIssue(
                kind=IssueKind.GAP,
                service=Ref(id=after.service, name=after.service_name),
                municipality=MunicipalityRef(
                    code=after.municipality_code, name=after.municipality_name
                ),
                start=gap.start,
                end=gap.end,
                days=gap.days,
                organisations=[_provider(before), _provider(after)],
                provision_ids=[before.id, after.id],
                handover_id=after.opened_by or before.closed_by,
                planned=planned(before, after),
            )
        )
    for overlap in found.overlaps:
        first = found.rows[cast(UUID, overlap.first.id)]
        second = found.rows[cast(UUID, overlap.second.id)]
        issues.append(
            ContinuityIssue(
                kind=IssueKind.OVERLAP,
                service=Ref(id=second.service, name=second.service_name),
                municipality=MunicipalityRef(
                    code=second.municipality_code, name=second.municipality_name
                ),
                start=overlap.start,
                end=overlap.end,
                days=(overlap.end - overlap.start).days if overlap.end else None,
                organisations=[_provider(first), _provider(second)],
                provision_ids=[first.id, second.id],
                handover_id=second.opened_by or first.opened_by,
                planned=planned(first, second),
            )
        )
    for breach in found.breaches:
        guarantee = found.guarantees[cast(UUID, breach.guarantee.id)]
        period = found.rows[cast(UUID, breach.period.id)] if breach.period else None
        issues.append(
            ContinuityIssue(
                kind=IssueKind.GUARANTEE_BREACH,
                service=Ref(id=guarantee.service, name=guarantee.service_name),
                municipality=MunicipalityRef(
                    code=guarantee.municipality_code, name=guarantee.municipality_name
                ),
                start=breach.start,
                end=breach.end,
                days=(breach.end - breach.start).days,
                organisations=[_provider(period)] if period else [],
                provision_ids=[period.id] if period else [],
                handover_id=guarantee.handover,
                guarantee_id=guarantee.id,
                reason=breach.reason,
                planned=planned(period) if period else False,
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
