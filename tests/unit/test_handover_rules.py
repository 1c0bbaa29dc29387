"""The rules a handover's parts keep, without a database or HTTP."""

from __future__ import annotations

from datetime import date

import pytest

from app.errors import Conflict, InvalidInput
from app.handovers import rules
from app.handovers.rules import PartyKey


def test_a_municipality_party_names_its_municipality_and_involvement() -> None:
    rules.check_party_shape("municipality", None, "GM0014", "informed")
    with pytest.raises(InvalidInput) as no_code:
        rules.check_party_shape("municipality", None, None, "informed", at="parties[2].")
    assert no_code.value.field == "parties[2].municipalityCode"
    with pytest.raises(InvalidInput) as no_involvement:
        rules.check_party_shape("municipality", None, "GM0014", None)
    assert no_involvement.value.field == "involvement"


def test_an_organisation_party_names_an_organisation_and_nothing_else() -> None:
    rules.check_party_shape("receiving", "org-1", None, None)
    for shape, field in (
        ((None, None, None), "organisationId"),
        (("org-1", "GM0014", None), "municipalityCode"),
        (("org-1", None, "informed"), "involvement"),
    ):
        with pytest.raises(InvalidInput) as refused:
            rules.check_party_shape("source", *shape)
        assert refused.value.field == field


def test_at_most_one_receiving_party_and_no_party_twice() -> None:
    existing = [PartyKey("source", "a", None), PartyKey("receiving", "b", None)]
    rules.check_new_party(existing, PartyKey("other", "c", None))
    rules.check_new_party(existing, PartyKey("source", "c", None))
    with pytest.raises(Conflict, match="at most one receiving"):
        rules.check_new_party(existing, PartyKey("receiving", "c", None), at="parties[1].")
    with pytest.raises(Conflict, match="already recorded"):
        rules.check_new_party(existing, PartyKey("source", "a", None))


def test_a_guarantee_starts_on_the_effective_date_unless_it_says_otherwise() -> None:
    effective = date(2026, 1, 1)
    assert rules.guarantee_start(None, effective, None) == effective
    assert rules.guarantee_start(date(2026, 3, 1), effective, None) == date(2026, 3, 1)
    with pytest.raises(InvalidInput) as undated:
        rules.guarantee_start(None, None, None, at="guarantees[0].")
    assert undated.value.field == "guarantees[0].validFrom"
    with pytest.raises(InvalidInput) as backwards:
        rules.guarantee_start(None, effective, effective)
    assert backwards.value.field == "until"


def test_parties_and_the_effective_date_freeze_once_effective() -> None:
    rules.check_open("agreed", "the parties", "De partijen")
    with pytest.raises(Conflict):
        rules.check_open("effective", "the parties", "De partijen")
    rules.check_effective_on_change("agreed", date(2026, 1, 1), date(2026, 2, 1))
    rules.check_effective_on_change("completed", date(2026, 1, 1), date(2026, 1, 1))
    with pytest.raises(Conflict) as moved:
        rules.check_effective_on_change("effective", date(2026, 1, 1), date(2026, 2, 1))
    assert moved.value.field == "effectiveOn"


def test_taking_effect_needs_one_receiver_and_a_service() -> None:
    rules.check_can_take_effect(1, 3)
    for receivers, services in ((0, 1), (2, 1), (1, 0)):
        with pytest.raises(Conflict):
            rules.check_can_take_effect(receivers, services)
