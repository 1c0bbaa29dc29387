"""Register numbers over periods, judged without a database."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from app.errors import Conflict, InvalidInput
from app.organisations.rules import check_period, identifiers_replaced

AGB = "agb_code"


def row(organisation, value, valid_from, valid_to=None):
    return {
        "id": uuid4(),
        "organisation": organisation,
        "value": value,
        "valid_from": valid_from,
        "valid_to": valid_to,
    }


def test_a_new_number_closes_the_open_one_that_started_earlier() -> None:
    ours = uuid4()
    open_one = row(ours, "12345678", date(2015, 1, 1))
    closed = row(ours, "11111111", date(2010, 1, 1), date(2015, 1, 1))
    replaced = identifiers_replaced(
        ours, AGB, "87654321", date(2020, 1, 1), None, [open_one, closed]
    )
    assert replaced == [open_one["id"]]


def test_the_same_number_held_by_another_organisation_then_is_refused() -> None:
    theirs = row(uuid4(), "12345678", None)
    with pytest.raises(Conflict, match="another organisation holds"):
        identifiers_replaced(uuid4(), AGB, "12345678", date(2020, 1, 1), None, [theirs])


def test_an_overlap_that_is_no_replacement_is_refused() -> None:
    ours = uuid4()
    ended = row(ours, "12345678", date(2015, 1, 1), date(2022, 1, 1))
    with pytest.raises(Conflict, match="already has"):
        identifiers_replaced(ours, AGB, "87654321", date(2020, 1, 1), None, [ended])
    later = row(ours, "12345678", date(2021, 1, 1))
    with pytest.raises(Conflict, match="already has"):
        identifiers_replaced(ours, AGB, "87654321", date(2020, 1, 1), None, [later])


def test_a_period_must_end_after_it_starts() -> None:
    with pytest.raises(InvalidInput, match="validTo"):
        check_period(date(2020, 1, 1), date(2020, 1, 1))
    check_period(None, date(2020, 1, 1))
