"""The handover lifecycle and what becoming effective does to provisions: plain Python.

``proposed → intent_signed → agreed → effective → completed``; a declaration of intent
is optional (many handovers go straight from proposal to agreement); ``cancelled`` is
possible from any state before ``effective``.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from app.errors import Conflict, IllegalTransition
from app.handovers.vocabulary import HandoverStatus
from app.provisions.periods import Period, conflicting

S = HandoverStatus

ALLOWED_TRANSITIONS: dict[HandoverStatus, frozenset[HandoverStatus]] = {
    S.PROPOSED: frozenset({S.INTENT_SIGNED, S.AGREED, S.CANCELLED}),
    S.INTENT_SIGNED: frozenset({S.AGREED, S.CANCELLED}),
    S.AGREED: frozenset({S.EFFECTIVE, S.CANCELLED}),
    S.EFFECTIVE: frozenset({S.COMPLETED}),
    S.COMPLETED: frozenset(),
    S.CANCELLED: frozenset(),
}

#: Handovers in these states are still to come: they show as "planned" in continuity.
PLANNED_STATUSES = frozenset({S.PROPOSED, S.INTENT_SIGNED, S.AGREED})
#: A handover's promises (its guarantees) bind from the moment it takes effect.
IN_FORCE_STATUSES = (S.EFFECTIVE, S.COMPLETED)


def check_transition(
    current: HandoverStatus, target: HandoverStatus, on: date, last_on: date | None
) -> None:
    if target not in ALLOWED_TRANSITIONS[current]:
        allowed = ", ".join(sorted(ALLOWED_TRANSITIONS[current])) or "geen"
        raise IllegalTransition(
            f"a handover that is {current} cannot become {target} (allowed: {allowed})",
            field="to",
            nl="Deze stap is vanuit de huidige status niet (meer) mogelijk.",
        )
    if last_on is not None and on < last_on:
        raise IllegalTransition(
            f"the transition date {on} lies before the previous step on {last_on}",
            field="on",
            nl=f"De datum ligt vóór de vorige stap ({last_on.isoformat()}).",
        )


@dataclass(frozen=True, slots=True)
class Move:
    """One service in one municipality that a handover moves to ``to_provider``."""

    service: Hashable
    municipality: Hashable
    from_provider: Hashable | None
    to_provider: Hashable
    staffed_fte: float | None = None


@dataclass(frozen=True, slots=True)
class Closing:
    period: Period
    valid_to: date


@dataclass(frozen=True, slots=True)
class Opening:
    service: Hashable
    municipality: Hashable
    provider: Hashable
    valid_from: date
    valid_to: date | None
    staffed_fte: float | None


@dataclass(frozen=True, slots=True)
class EffectPlan:
    closings: list[Closing]
    openings: list[Opening]


def plan_effective(
    moves: Sequence[Move], existing: Iterable[Period], effective_on: date, *, strict: bool = True
) -> EffectPlan:
    """What becoming effective on ``effective_on`` does to the provisions.

    Each moved service's source provision is closed the day before the effective date
    (half-open: ``valid_to = effective_on``) and the receiving organisation's provision
    opens on it, keeping any end the source provision had. Raises ``Conflict`` when the
    result would not be a clean hand-over, unless ``strict`` is off: then the plan is
    made anyway, so that a preview can show the gap or overlap it would cause.
    """
    existing = list(existing)
    closings: list[Closing] = []
    openings: list[Opening] = []
    for move in moves:
        track = [p for p in existing if p.track == (move.service, move.municipality)]
        sources = [
            p
            for p in track
            if (move.from_provider is None or p.provider == move.from_provider)
            and p.valid_from < effective_on
            and (p.valid_to is None or p.valid_to >= effective_on)
        ]
        if strict and move.from_provider is not None and not sources:
            raise Conflict(
                f"no provision of the source organisation runs up to {effective_on} "
                f"for service {move.service} in municipality {move.municipality}"
            )
        keep_until: date | None = None
        for source in sources:
            if source.valid_to is None or source.valid_to > effective_on:
                closings.append(Closing(source, effective_on))
                keep_until = source.valid_to
        fte = move.staffed_fte
        if fte is None and sources:
            fte = sources[-1].staffed_fte
        opening = Opening(
            move.service, move.municipality, move.to_provider, effective_on, keep_until, fte
        )
        after_closing = [
            Period(p.id, p.service, p.municipality, p.provider, p.valid_from, effective_on)
            if p in sources
            else p
            for p in track
        ]
        candidate = Period(
            None, move.service, move.municipality, move.to_provider, effective_on, keep_until
        )
        if strict and (clash := conflicting(after_closing, candidate)):
            raise Conflict(
                f"opening a provision from {effective_on} would overlap "
                f"{len(clash)} existing provision(s) of service {move.service}"
            )
        openings.append(opening)
    return EffectPlan(closings, openings)
