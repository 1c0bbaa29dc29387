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
from app.schemas import Ref, municipality_from, ref_from


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
