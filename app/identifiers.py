"""Identifiers of the Dutch registers the registry refers to."""

from __future__ import annotations

import re
from collections.abc import Callable

from app.errors import InvalidInput
from app.organisations.vocabulary import IdentifierKind

CBS_CODE = re.compile(r"^GM\d{4}$")
KVK_NUMBER = re.compile(r"^\d{8}$")


def check_cbs_code(code: str, field: str = "code") -> str:
    if not CBS_CODE.fullmatch(code):
        raise InvalidInput(
            f"{code!r} is not a CBS municipality code (GM followed by 4 digits)", field=field
        )
    return code


def check_kvk_number(number: str, field: str = "kvkNumber") -> str:
    if not KVK_NUMBER.fullmatch(number) or number == "00000000":
        raise InvalidInput(f"{number!r} is not a KvK number (8 digits)", field=field)
    return number


ESTABLISHMENT_NUMBER = re.compile(r"^\d{12}$")
RSIN = re.compile(r"^\d{9}$")
AGB_CODE = re.compile(r"^\d{8}$")


def passes_eleven_test(number: str) -> bool:
    """The 11-proef of RSIN (and BSN): weights 9..2 and -1, the sum divisible by 11."""
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    total = sum(int(d) * w for d, w in zip(number, weights, strict=True))
    return total % 11 == 0 and number != "000000000"


def check_establishment_number(number: str, field: str = "vestigingsnummer") -> str:
    if not ESTABLISHMENT_NUMBER.fullmatch(number) or not number.strip("0"):
        raise InvalidInput(f"{number!r} is not a vestigingsnummer (12 digits)", field=field)
    return number


def check_rsin(number: str, field: str = "rsin") -> str:
    if not RSIN.fullmatch(number) or not passes_eleven_test(number):
        raise InvalidInput(
            f"{number!r} is not an RSIN (9 digits that pass the 11-proef)", field=field
        )
    return number


def check_agb_code(code: str, field: str = "agbCode") -> str:
    if not AGB_CODE.fullmatch(code) or not code.strip("0"):
        raise InvalidInput(f"{code!r} is not an AGB code (8 digits)", field=field)
    return code


#: Each kind of organisation identifier, with the check its values must pass.
ORGANISATION_IDENTIFIERS: dict[str, Callable[[str, str], str]] = {
    IdentifierKind.KVK_NUMBER: check_kvk_number,
    IdentifierKind.ESTABLISHMENT_NUMBER: check_establishment_number,
    IdentifierKind.RSIN: check_rsin,
    IdentifierKind.AGB_CODE: check_agb_code,
}
#: The JSON field a value of each kind is named by in errors.
IDENTIFIER_FIELDS: dict[str, str] = {
    IdentifierKind.KVK_NUMBER: "kvkNumber",
    IdentifierKind.ESTABLISHMENT_NUMBER: "vestigingsnummer",
    IdentifierKind.RSIN: "rsin",
    IdentifierKind.AGB_CODE: "agbCode",
}


def check_organisation_identifier(kind: str, value: str, field: str | None = None) -> str:
    check = ORGANISATION_IDENTIFIERS.get(kind)
    if check is None:
        raise InvalidInput(
            f"{kind!r} is not a kind of identifier ({', '.join(ORGANISATION_IDENTIFIERS)})",
            field="kind",
        )
    return check(value, field or IDENTIFIER_FIELDS[kind])
