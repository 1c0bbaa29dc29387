"""The columns of a staff file, in Dutch or English, and the values HR writes in them.

Each ``parse_*`` turns one cell into the registry's value or raises ``ValueError`` with
the reason a person can act on.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from app.staff.vocabulary import StaffStatus

#: field → the headers it goes by (compared after ``normalise``).
HEADERS: dict[str, tuple[str, ...]] = {
    "staff_ref": (
        "personeelsnummer",
        "personeelsnr",
        "medewerkernummer",
        "registratienummer",
        "staff ref",
        "staffref",
        "staff reference",
        "employee number",
        "employee id",
    ),
    "name": ("naam", "name", "volledige naam", "full name", "medewerker"),
    "function": ("functie", "function", "functienaam", "job title"),
    "fte": ("fte", "omvang fte", "aantal fte", "omvang"),
    "service": ("dienst", "service", "dienstverlening", "activiteit"),
    "basis": ("grondslag", "basis", "grondslag overgang"),
    "terms_retained": (
        "behoud arbeidsvoorwaarden",
        "arbeidsvoorwaarden behouden",
        "behoud",
        "terms retained",
    ),
    "status": ("status",),
}
REQUIRED = ("staff_ref", "fte")

BASIS_WORDS: dict[str, str] = {
    "transfer of undertaking": "transfer_of_undertaking",
    "overgang van onderneming": "transfer_of_undertaking",
    "overgang onderneming": "transfer_of_undertaking",
    "ovo": "transfer_of_undertaking",
    "7:662": "transfer_of_undertaking",
    "7:662 bw": "transfer_of_undertaking",
    "art. 7:662 bw": "transfer_of_undertaking",
    "new contract": "new_contract",
    "nieuw contract": "new_contract",
    "nieuwe arbeidsovereenkomst": "new_contract",
    "nieuw dienstverband": "new_contract",
    "secondment": "secondment",
    "detachering": "secondment",
    "gedetacheerd": "secondment",
    "not transferring": "not_transferring",
    "gaat niet over": "not_transferring",
    "niet over": "not_transferring",
    "geen overgang": "not_transferring",
    "blijft": "not_transferring",
}
STATUS_WORDS: dict[str, str] = {
    **{s.replace("_", " "): s for s in StaffStatus},
    "voorgesteld": "proposed",
    "voorstel": "proposed",
    "geïnformeerd": "informed",
    "geinformeerd": "informed",
    "ingelicht": "informed",
    "akkoord": "agreed",
    "overeengekomen": "agreed",
    "overgegaan": "transferred",
    "in dienst": "transferred",
    "afgewezen": "declined",
    "geweigerd": "declined",
    "niet akkoord": "declined",
}
YES = frozenset({"ja", "j", "yes", "y", "true", "waar", "1", "x"})
NO = frozenset({"nee", "n", "no", "false", "onwaar", "0"})

_SEPARATORS = re.compile(r"[\s_\-]+")
_FTE = re.compile(r"^\d+([.,]\d+)?$")
MAX_FTE = Decimal("1.5")


def normalise(text: str) -> str:
    return _SEPARATORS.sub(" ", text.strip().strip('"').lower()).strip()


FIELD_OF_HEADER: dict[str, str] = {
    normalise(header): field for field, headers in HEADERS.items() for header in headers
}
FIELD_OF_HEADER.update({normalise(field): field for field in HEADERS})


def parse_staff_ref(text: str) -> str:
    text = text.strip()
    if not text:
        raise ValueError("a staff reference (personeelsnummer) is required")
    if len(text) > 60:
        raise ValueError("at most 60 characters")
    return text


def parse_name(text: str) -> str | None:
    text = text.strip()
    if len(text) > 200:
        raise ValueError("at most 200 characters")
    return text or None


def parse_function(text: str) -> str:
    text = text.strip()
    if len(text) > 200:
        raise ValueError("at most 200 characters")
    return text


def parse_fte(text: str) -> float:
    """``0,8`` (Dutch decimal comma) or ``0.8``; more than 0 and at most 1.5."""
    text = text.strip().replace(" ", "")
    if not _FTE.fullmatch(text):
        raise ValueError(f"{text!r} is not a number such as 0,8" if text else "FTE is required")
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern already held
        raise ValueError(f"{text!r} is not a number") from None
    if not 0 < value <= MAX_FTE:
        raise ValueError(f"{text} is outside 0 < FTE ≤ 1,5")
    return float(value)


def parse_basis(text: str) -> str:
    key = normalise(text)
    if not key:
        return "transfer_of_undertaking"
    basis = BASIS_WORDS.get(key)
    if basis is None:
        raise ValueError(
            f"{text.strip()!r} is no basis: overgang van onderneming, nieuw contract, "
            "detachering or gaat niet over"
        )
    return basis


def parse_terms_retained(text: str) -> bool:
    key = normalise(text)
    if not key:
        return True
    if key in YES:
        return True
    if key in NO:
        return False
    raise ValueError(f"{text.strip()!r} is not ja or nee")


def parse_status(text: str) -> str:
    key = normalise(text)
    if not key:
        return "proposed"
    status = STATUS_WORDS.get(key)
    if status is None:
        raise ValueError(
            f"{text.strip()!r} is no staff status: voorgesteld, geïnformeerd, akkoord, "
            "overgegaan or afgewezen"
        )
    return status
