"""What each page shows, built for one viewer with the same scope rules as the API.

Plain functions returning plain data for the templates; the controllers only call them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import msgspec

from app.access.roles import Principal, Role
from app.access.scope import check_municipality_allowed
from app.continuity import queries
from app.continuity.documents import issue_list
from app.continuity.engine import find_gaps
from app.continuity.sources import LIVE
from app.dates import today
from app.errors import NotFound
from app.handovers.access import visible_handover, visible_handover_ids
from app.handovers.lifecycle import ALLOWED_TRANSITIONS, PLANNED_STATUSES
from app.handovers.queries import handover_detail, receiving_organisations
from app.handovers.vocabulary import HandoverStatus, MilestoneKind
from app.identifiers import check_cbs_code
from app.staff.access import check_personal_data_access, may_see_staff
from app.staff.queries import STAFF_COLUMNS, StaffRow, access_report
from app.store import records
from app.store.typed_rows import as_rows, columns_for
from app.tables.tables import Handover, HandoverService, Milestone, Provision, StaffTransfer
from app.web import choices, gantt
from app.web.forms import may
from app.web.labels import label, long_date

STATUS_ORDER = [s.value for s in HandoverStatus]
#: How far back and ahead the dashboard looks for continuity issues.
ISSUES_BEFORE = timedelta(days=366)
ISSUES_AHEAD = timedelta(days=2 * 366)


# --- who may see what, beyond the handover and municipality scope --------------------------


async def sees_staff_names(viewer: Principal, handover_id: UUID) -> bool:
    """Admins, registrars and HR of a party: the staff API's rule."""
    return await may_see_staff(viewer, handover_id)


def sees_staff_figures(viewer: Principal) -> bool:
    """Municipalities see nothing of the staff, not even counts."""
    return viewer.role is not Role.MUNICIPALITY


# --- dashboard -----------------------------------------------------------------------------


async def visible_handovers(viewer: Principal) -> list[dict[str, Any]]:
    ids = await visible_handover_ids(viewer)
    if ids is not None and not ids:
        return []
    query = Handover.select(
        Handover.id, Handover.title, Handover.kind, Handover.status, Handover.effective_on
    )
    if ids is not None:
        query = query.where(Handover.id.is_in(list(ids)))
    rows = await query
    receiving = await receiving_organisations(r["id"] for r in rows)
    for row in rows:
        row["receiving"] = receiving.get(row["id"])
    rows.sort(key=lambda r: (r["effective_on"] or date.max, r["title"]))
    return rows


async def municipality_codes_for(viewer: Principal) -> list[str] | None:
    """The municipalities the dashboard reports on; ``None`` means all of them."""
    if viewer.unscoped:
        return None
    if viewer.role is Role.MUNICIPALITY:
        return sorted(viewer.municipality_codes)
    ids = await visible_handover_ids(viewer) or set()
    if not ids:
        return []
    codes = (
        await HandoverService.select(HandoverService.municipality.code)
        .where(HandoverService.handover.is_in(list(ids)))
        .output(as_list=True)
    )
    return sorted(set(codes))


async def continuity_issues_for(viewer: Principal, on: date) -> list[Any]:
    codes = await municipality_codes_for(viewer)
    start, end = on - ISSUES_BEFORE, on + ISSUES_AHEAD
    found = []
    for code in [None] if codes is None else codes:
        issues = await queries.continuity_issues(code, start, end, include_planned=True)
        found.extend(issue_list(issues))
    found.sort(key=lambda i: (i.start, i.kind, i.service.name))
    return found


class OpenMilestoneRow(msgspec.Struct, frozen=True):
    id: UUID
    title: str
    kind: MilestoneKind
    due_on: date | None
    handover: UUID
    handover_title: str = msgspec.field(name="handover.title")


async def open_milestones(handover_ids: list[UUID]) -> list[OpenMilestoneRow]:
    if not handover_ids:
        return []
    rows = as_rows(
        OpenMilestoneRow,
        await Milestone.select(*columns_for(OpenMilestoneRow, Milestone)).where(
            Milestone.handover.is_in(handover_ids) & Milestone.done_on.is_null()
        ),
    )
    rows.sort(key=lambda m: (m.due_on is None, m.due_on or date.min, m.title))
    return rows


async def municipality_links(viewer: Principal) -> list[dict[str, str]]:
    """The municipalities whose timeline the viewer can open from the dashboard."""
    municipalities = await queries.load_municipalities()
    if viewer.role is Role.MUNICIPALITY:
        infos = [municipalities.get(c) for c in sorted(viewer.municipality_codes)]
    else:
        # Of the country's municipalities, those with a timeline to show: where a service
        # is (or was, before a merger) provided.
        provided = await Provision.select(Provision.municipality).distinct()
        infos = sorted(
            {municipalities.current(municipalities.by_id[r["municipality"]]) for r in provided},
            key=lambda m: m.name,
        )
    return [{"code": m.code, "name": m.name} for m in infos]


async def dashboard(viewer: Principal) -> dict[str, Any]:
    on = today()
    handovers = await visible_handovers(viewer)
    by_status = [
        {"status": status, "count": sum(1 for h in handovers if h["status"] == status)}
        for status in STATUS_ORDER
    ]
    upcoming = [h for h in handovers if h["status"] in queries.PLANNED]
    return {
        "on": on,
        "handovers": handovers,
        "by_status": by_status,
        "upcoming": upcoming,
        "milestones": await open_milestones([h["id"] for h in handovers]),
        "issues": await continuity_issues_for(viewer, on),
        "municipalities": await municipality_links(viewer),
        "can_create": may(viewer, "createHandover"),
    }


# --- one handover --------------------------------------------------------------------------


async def handover_page(viewer: Principal, handover_id: UUID) -> dict[str, Any]:
    await visible_handover(viewer, handover_id)
    detail = await handover_detail(handover_id)
    names = await sees_staff_names(viewer, handover_id)
    staff_rows: list[StaffRow] = []
    if names:
        query = StaffTransfer.select(*STAFF_COLUMNS).where(StaffTransfer.handover == handover_id)
        staff_rows = sorted(as_rows(StaffRow, await query), key=lambda r: r.staff_ref)
    editor = may(viewer, "updateHandover")
    return {
        "handover": detail,
        "today": today().isoformat(),
        "can_edit": editor,
        "steps": sorted(ALLOWED_TRANSITIONS[HandoverStatus(detail.status)], key=STATUS_ORDER.index)
        if may(viewer, "createHandoverTransition")
        else [],
        "can_milestones": may(viewer, "createMilestone"),
        "can_add_parts": may(viewer, "createHandoverParty")
        and HandoverStatus(detail.status) in PLANNED_STATUSES,
        "roles": choices.PARTY_ROLES,
        "involvements": choices.INVOLVEMENTS,
        "organisation_options": await choices.organisations() if editor else {},
        "milestone_kinds": choices.MILESTONE_KINDS,
        "can_guarantee": may(viewer, "createGuarantee"),
        "service_options": await choices.services() if editor else {},
        "municipality_options": await choices.municipalities() if editor else {},
        "can_set_staff": names and may(viewer, "updateStaffTransfer"),
        "staff_statuses": choices.STAFF_STATUSES,
        "show_staff": sees_staff_figures(viewer),
        "show_names": names,
        "staff_rows": staff_rows,
        "can_upload": names,
        "show_access": names and viewer.role is not Role.REGISTRAR,
    }


async def personal_data_page(
    viewer: Principal, handover_id: UUID, staff_id: UUID
) -> dict[str, Any]:
    """A person's right of access (AVG art. 15), for HR of a party and admins."""
    await check_personal_data_access(viewer, handover_id)
    staff = await records.get_row(StaffTransfer, staff_id)
    if staff["handover"] != handover_id:
        raise NotFound(f"no staff transfer with id {staff_id} in this handover")
    return {"report": await access_report(staff_id)}


# --- a municipality's timeline ------------------------------------------------------------


@dataclass(slots=True)
class TimelineData:
    requested: queries.MunicipalityInfo
    answering: queries.MunicipalityInfo
    predecessors: list[queries.MunicipalityInfo]
    chart: gantt.Chart


async def municipality_timeline(viewer: Principal, code: str, on: date) -> TimelineData:
    municipalities = await queries.load_municipalities()
    requested = municipalities.get(code)
    await check_municipality_allowed(viewer, requested.code)
    answering = municipalities.current(requested)
    territory = municipalities.with_predecessors(answering)
    territory_ids = [m.id for m in territory]
    code_of = {m.id: m for m in territory}

    rows = await LIVE.provision_rows(territory_ids)
    provisions = [
        gantt.ProvisionIn(
            service=r.service,
            service_name=r.service_name,
            provider=r.organisation,
            provider_name=r.organisation_name,
            start=r.valid_from,
            end=r.valid_to,
            note="" if r.municipality == answering.id else f"in {code_of[r.municipality].name}",
        )
        for r in rows
    ]
    periods = [queries.as_period(r, track_municipality=answering.id) for r in rows]
    gaps = [
        gantt.SpanIn(
            g.service,
            g.start,
            g.end,
            f"Gat: {g.days} dagen zonder aanbieder, {long_date(g.start)} – {long_date(g.end)}",
        )
        for g in find_gaps(periods)
    ]
    statuses = queries.IN_FORCE_STATUSES + queries.PLANNED
    guarantees = [
        gantt.SpanIn(
            g.service,
            g.valid_from,
            g.until,
            f"Garantie{' (gepland)' if g.handover_status in queries.PLANNED else ''}: "
            f"{g.text or 'continuïteit'}, {long_date(g.valid_from)} – "
            f"{long_date(g.until, 'open einde')}",
        )
        for g in await LIVE.guarantee_rows(territory_ids, None, statuses)
    ]
    moved = await LIVE.handover_service_rows(territory_ids, None, queries.NOT_CANCELLED)
    titles = {}
    if moved:
        titles = {
            h["id"]: h["title"]
            for h in await Handover.select(Handover.id, Handover.title).where(
                Handover.id.is_in(list({m.handover for m in moved}))
            )
        }
    visible = await visible_handover_ids(viewer)
    markers = [
        gantt.MarkerIn(
            m.service,
            m.handover_effective_on,
            f"Overdracht {long_date(m.handover_effective_on)}: {titles[m.handover]} "
            f"({label(m.handover_status)})",
            f"/overdrachten/{m.handover}" if visible is None or m.handover in visible else None,
        )
        for m in moved
    ]
    chart = gantt.layout(provisions, gaps, guarantees, markers, on, today())
    return TimelineData(requested, answering, territory[1:], chart)


async def municipality_page(viewer: Principal, code: str, on: date) -> dict[str, Any]:
    check_cbs_code(code, field="code")
    timeline = await municipality_timeline(viewer, code, on)
    answer = await queries.continuity_on(code, on)
    return {"timeline": timeline, "continuity": answer, "on": on}
