"""Dutch words for the registry's codes and dates, as the pages show them."""

from __future__ import annotations

from datetime import date

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

LABELS: dict[str, str] = {
    # handover status
    "proposed": "voorgesteld",
    "intent_signed": "intentie getekend",
    "agreed": "overeengekomen",
    "effective": "van kracht",
    "completed": "afgerond",
    "cancelled": "geannuleerd",
    # staff status (proposed as above)
    "informed": "geïnformeerd",
    "transferred": "overgegaan",
    "declined": "afgezien",
    # handover kind
    "transfer": "overdracht",
    "merger": "fusie",
    "integration": "integratie",
    # party role and involvement
    "source": "overdragend",
    "receiving": "ontvangend",
    "municipality": "gemeente",
    "other": "overig",
    "consenting": "instemmend",
    "directing": "regie",
    # staff basis
    "transfer_of_undertaking": "overgang van onderneming",
    "new_contract": "nieuw contract",
    "secondment": "detachering",
    "not_transferring": "gaat niet over",
    # milestone kinds
    "works_council_advice": "advies ondernemingsraad",
    "staff_informed": "medewerkers geïnformeerd",
    "contracts_signed": "contracten getekend",
    "municipality_informed": "gemeente geïnformeerd",
    "data_handed_over": "gegevens overgedragen",
    # roles
    "admin": "beheerder",
    "registrar": "registrateur",
    "hr": "HR",
    "management": "management",
    # continuity issues
    "gap": "gat",
    "overlap": "overlap",
    "guarantee_breach": "garantie geschonden",
    "no_provision": "geen aanbieder",
    "below_strength": "onder sterkte",
}

#: Words whose meaning depends on what they describe.
AGREED_STAFF = "akkoord"


def label(code: str | None) -> str:
    if code is None:
        return ""
    return LABELS.get(code, code.replace("_", " "))


def staff_label(code: str) -> str:
    return AGREED_STAFF if code == "agreed" else label(code)


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
