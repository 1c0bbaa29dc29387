"""The organisation's rules in plain Python: which relations, renames and register
numbers may be recorded, what a search by register number takes, and when a period
covers a date."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any
from uuid import UUID

from app.errors import Conflict, InvalidInput
from app.identifiers import IDENTIFIER_FIELDS

#: What a search by register number takes: a KvK or AGB number (8 digits), an RSIN (9)
#: or a vestigingsnummer (12).
IDENTIFIER_VALUE = re.compile(r"^(\d{8}|\d{9}|\d{12})$")


def covers(valid_from: date | None, valid_to: date | None, on: date) -> bool:
    """Whether ``on`` lies in ``[valid_from, valid_to)``; no date is an open side."""
    return (valid_from is None or valid_from <= on) and (valid_to is None or on < valid_to)


def check_relation(
    organisation_id: UUID, related_to: UUID, valid_from: date | None, valid_to: date | None
) -> None:
    if related_to == organisation_id:
        raise InvalidInput(
            "an organisation cannot be part of itself",
            field="relatedTo",
            nl="Een organisatie kan geen deel van zichzelf zijn.",
        )
    check_period(valid_from, valid_to)


def check_period(valid_from: date | None, valid_to: date | None) -> None:
    """A relation's or a register number's period ends after it starts."""
    if valid_from and valid_to and valid_to <= valid_from:
        raise InvalidInput(
            "validTo must lie after validFrom",
            field="validTo",
            nl="De einddatum moet na de begindatum liggen.",
        )


def check_rename(current_name_from: date | None, renamed_on: date) -> None:
    """A rename starts after the current name did."""
    if current_name_from is not None and renamed_on <= current_name_from:
        raise InvalidInput(
            f"renamedOn must lie after the current name's start {current_name_from}",
            field="renamedOn",
            nl=f"De datum van de naamswijziging moet na {current_name_from.isoformat()} "
            "liggen, de datum van de huidige naam.",
        )


def check_identifier_search(identifier: str | None, on: date | None) -> None:
    """A search by register number names a number of a register's length; a date only
    goes with it."""
    if identifier is not None and not IDENTIFIER_VALUE.fullmatch(identifier):
        raise InvalidInput(
            f"{identifier!r} is not a register number (8, 9 or 12 digits)", field="identifier"
        )
    if identifier is None and on is not None:
        raise InvalidInput("on is only used with identifier", field="on")


def _overlap(a_from: date | None, a_to: date | None, b_from: date | None, b_to: date | None):
    return (a_to is None or b_from is None or b_from < a_to) and (
        b_to is None or a_from is None or a_from < b_to
    )


def identifiers_replaced(
    organisation_id: UUID,
    kind: str,
    value: str,
    valid_from: date | None,
    valid_to: date | None,
    meeting: Iterable[dict[str, Any]],
    field: str | None = None,
) -> list[UUID]:
    """The identifiers a new one closes on ``valid_from``, of the rows of its kind that
    the organisation holds or that carry ``value``.

    An open identifier of the same kind that started earlier is closed (the new number
    replaces it); any other overlap, or the same number held by another organisation at
    the same time, is refused.
    """
    replaced = []
    for row in meeting:
        if not _overlap(row["valid_from"], row["valid_to"], valid_from, valid_to):
            continue
        if row["organisation"] != organisation_id:
            raise Conflict(
                f"another organisation holds {IDENTIFIER_FIELDS[kind]} {value} in that period",
                field=field or IDENTIFIER_FIELDS[kind],
            )
        replaces = (
            row["valid_to"] is None
            and valid_from is not None
            and (row["valid_from"] is None or row["valid_from"] < valid_from)
            and row["value"] != value
        )
        if not replaces:
            raise Conflict(
                f"the organisation already has a {IDENTIFIER_FIELDS[kind]} in that period "
                f"({row['value']})",
                field=field or IDENTIFIER_FIELDS[kind],
            )
        replaced.append(row["id"])
    return replaced
