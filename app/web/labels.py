"""Dutch words for the registry's codes and dates, as the pages show them."""

from __future__ import annotations

from datetime import date

from app.access.roles import Role
from app.continuity.vocabulary import BreachReason, IssueKind
from app.handovers.vocabulary import (
    HandoverKind,
    HandoverStatus,
    Involvement,
    MilestoneKind,
    PartyRole,
)
from app.organisations.vocabulary import RelationKind
from app.staff.vocabulary import StaffBasis, StaffStatus
from app.vocabulary import Vocabulary

MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)

#: The Dutch word of every code the pages show. Where two lists share a code with different
#: words ("agreed" of a handover and of a staff transfer), the earlier list's word is the
#: default; ``staff_label`` says the staff one.
VOCABULARIES: tuple[type[Vocabulary], ...] = (
    HandoverStatus,
    StaffStatus,
    HandoverKind,
    PartyRole,
    Involvement,
    StaffBasis,
    MilestoneKind,
    Role,
    RelationKind,
    IssueKind,
    BreachReason,
)
LABELS: dict[str, str] = {}
for vocabulary in reversed(VOCABULARIES):
    LABELS |= vocabulary.options()


def label(code: str | None) -> str:
    if code is None:
        return ""
    return LABELS.get(code, code.replace("_", " "))


def staff_label(code: str) -> str:
    return StaffStatus.word_for(code)


def long_date(value: date | None, empty: str = "—") -> str:
    """1 januari 2022."""
    if value is None:
        return empty
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def short_date(value: date | None, empty: str = "—") -> str:
    """01-01-2022, the Dutch numeric form."""
    if value is None:
        return empty
    return value.strftime("%d-%m-%Y")


def fte(value: float | None) -> str:
    """Decimal comma, as Dutch readers expect: 12,5."""
    if value is None:
        return "—"
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",") or "0"


FILTERS = {
    "label": label,
    "staff_label": staff_label,
    "long_date": long_date,
    "short_date": short_date,
    "fte": fte,
}
