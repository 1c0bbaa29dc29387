"""The rules a handover's parts keep: plain Python, no database.

The service applies them to every write (API, forms, seeds); the generator applies them
to every row it builds in bulk. ``at`` prefixes the field a refusal names, as the API
spells the input (``parties[0].``), so one rule serves a single part and a whole handover.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from datetime import date
from typing import NamedTuple

from app.errors import Conflict, InvalidInput
from app.handovers.lifecycle import PLANNED_STATUSES
from app.handovers.vocabulary import HandoverStatus, PartyRole


class PartyKey(NamedTuple):
    """What makes a party the same party: its role and who plays it."""

    role: str
    organisation: Hashable | None
    municipality: Hashable | None


def check_open(status: str, what: str, nl_what: str) -> None:
    """Parties and services decide what becoming effective does, so they freeze then."""
    if HandoverStatus(status) not in PLANNED_STATUSES:
        raise Conflict(
            f"{what} of a handover that is {status} can no longer change",
            field="status",
            nl=f"{nl_what} liggen vast zodra de overdracht van kracht is.",
        )


def check_effective_on_change(status: str, current: date | None, new: date | None) -> None:
    """Once effective, the effective date is the one the provisions moved on."""
    if new != current and HandoverStatus(status) not in PLANNED_STATUSES:
        raise Conflict(
            f"the handover is {status}: its effective date is the one its provisions moved on",
            field="effectiveOn",
            nl="De ingangsdatum ligt vast: de leveringen zijn op die datum overgegaan.",
        )


def check_party_shape(
    role: str,
    organisation: Hashable | None,
    municipality_code: str | None,
    involvement: str | None,
    at: str = "",
) -> None:
    """A municipality party names a municipality and how it is involved; any other party
    names an organisation and nothing else."""
    if role == PartyRole.MUNICIPALITY:
        if municipality_code is None:
            raise InvalidInput(
                "a municipality party needs a municipalityCode",
                field=f"{at}municipalityCode",
                nl="Kies de gemeente.",
            )
        if involvement is None:
            raise InvalidInput(
                "a municipality party needs an involvement (informed, consenting or directing)",
                field=f"{at}involvement",
                nl="Kies de betrokkenheid van de gemeente.",
            )
        return
    if organisation is None:
        raise InvalidInput(
            f"a {role} party needs an organisationId",
            field=f"{at}organisationId",
            nl="Kies de organisatie.",
        )
    if municipality_code is not None:
        raise InvalidInput(
            "only a municipality party has a municipalityCode",
            field=f"{at}municipalityCode",
            nl="Alleen een gemeente als partij heeft een gemeente.",
        )
    if involvement is not None:
        raise InvalidInput(
            "only a municipality party has an involvement",
            field=f"{at}involvement",
            nl="Alleen een gemeente heeft een betrokkenheid.",
        )


def check_new_party(existing: Iterable[PartyKey], new: PartyKey, at: str = "") -> None:
    """At most one receiving party, and no party twice."""
    existing = list(existing)
    if new.role == PartyRole.RECEIVING and any(p.role == PartyRole.RECEIVING for p in existing):
        raise Conflict(
            "a handover has at most one receiving party",
            field=f"{at}role",
            nl="Een overdracht heeft ten hoogste één ontvangende partij.",
        )
    if new in existing:
        raise Conflict(
            f"this {new.role} party is already recorded",
            field=f"{at}role",
            nl="Deze partij staat er al in.",
        )


def guarantee_start(
    valid_from: date | None, effective_on: date | None, until: date | None, at: str = ""
) -> date:
    """A guarantee runs from the handover's effective date unless it says otherwise, and
    its end lies after its start (half-open)."""
    start = valid_from or effective_on
    if start is None:
        raise InvalidInput(
            "a guarantee needs a validFrom when the handover has no effectiveOn",
            field=f"{at}validFrom",
            nl="Vul in vanaf wanneer de garantie geldt: de overdracht heeft nog geen datum.",
        )
    if until is not None and until <= start:
        raise InvalidInput(
            f"until must lie after validFrom {start} (periods are half-open)",
            field=f"{at}until",
            nl=f"De einddatum moet na de begindatum ({start.isoformat()}) liggen.",
        )
    return start


def check_can_take_effect(receiving_organisations: int, moved_services: int) -> None:
    """Becoming effective hands services to one receiver: it needs both."""
    if receiving_organisations != 1:
        raise Conflict(
            "a handover needs exactly one receiving organisation to become effective", field="to"
        )
    if moved_services == 0:
        raise Conflict("a handover needs at least one service to become effective", field="to")
