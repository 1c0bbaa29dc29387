"""The handover lifecycle and the provision changes of becoming effective."""

from __future__ import annotations

from datetime import date

import pytest

from app.continuity.engine import find_gaps, find_overlaps
from app.errors import Conflict, IllegalTransition
from app.handovers.lifecycle import ALLOWED_TRANSITIONS, Move, check_transition, plan_effective
from app.handovers.vocabulary import HandoverStatus
from app.provisions.periods import Period
from app.staff.rules import check_staff_status
from app.staff.vocabulary import StaffStatus

S = HandoverStatus
NEW_YEAR = date(2022, 1, 1)


#: The lifecycle of DESIGN.md, written out independently of the code under test.
LEGAL = [
    (S.PROPOSED, S.INTENT_SIGNED),
    (S.PROPOSED, S.AGREED),
    (S.INTENT_SIGNED, S.AGREED),
    (S.AGREED, S.EFFECTIVE),
    (S.EFFECTIVE, S.COMPLETED),
    (S.PROPOSED, S.CANCELLED),
    (S.INTENT_SIGNED, S.CANCELLED),
    (S.AGREED, S.CANCELLED),
]


@pytest.mark.parametrize(("current", "target"), LEGAL)
def test_allowed_transitions(current: HandoverStatus, target: HandoverStatus) -> None:
    check_transition(current, target, NEW_YEAR, None)


def test_every_other_transition_is_illegal() -> None:
    for current in S:
        for target in S:
            if (current, target) in LEGAL:
                continue
            with pytest.raises(IllegalTransition):
                check_transition(current, target, NEW_YEAR, None)
    assert {(c, t) for c, ts in ALLOWED_TRANSITIONS.items() for t in ts} == set(LEGAL)


def test_no_cancelling_once_effective() -> None:
    with pytest.raises(IllegalTransition, match="cannot become cancelled"):
        check_transition(S.EFFECTIVE, S.CANCELLED, NEW_YEAR, None)


def test_transition_date_cannot_go_back() -> None:
    with pytest.raises(IllegalTransition, match="before the previous step"):
        check_transition(S.AGREED, S.EFFECTIVE, date(2021, 11, 30), date(2021, 12, 1))


def mjd_link050(valid_to: date | None = None) -> Period:
    return Period("p1", "link050", "GM0014", "mjd", date(2018, 1, 1), valid_to, staffed_fte=2.5)


def test_effective_closes_source_the_day_before_and_opens_receiving() -> None:
    plan = plan_effective(
        [Move("link050", "GM0014", "mjd", "werkpro", staffed_fte=2.5)], [mjd_link050()], NEW_YEAR
    )
    assert [(c.period.id, c.valid_to) for c in plan.closings] == [("p1", NEW_YEAR)]
    [opening] = plan.openings
    assert (opening.provider, opening.valid_from, opening.valid_to) == ("werkpro", NEW_YEAR, None)
    closed = Period("p1", "link050", "GM0014", "mjd", date(2018, 1, 1), NEW_YEAR)
    opened = Period("p2", "link050", "GM0014", "werkpro", NEW_YEAR)
    assert find_gaps([closed, opened]) == []
    assert find_overlaps([closed, opened]) == []


def test_opening_keeps_the_end_the_source_had() -> None:
    plan = plan_effective(
        [Move("link050", "GM0014", "mjd", "werkpro")], [mjd_link050(date(2024, 1, 1))], NEW_YEAR
    )
    assert plan.openings[0].valid_to == date(2024, 1, 1)
    assert plan.openings[0].staffed_fte == 2.5  # taken from the source when no staff moved


def test_source_without_provision_is_a_conflict() -> None:
    with pytest.raises(Conflict, match="no provision of the source"):
        plan_effective([Move("link050", "GM0014", "mjd", "werkpro")], [], NEW_YEAR)


def test_receiving_provision_already_there_is_a_conflict() -> None:
    later = Period("p9", "link050", "GM0014", "emco", date(2023, 1, 1))
    with pytest.raises(Conflict, match="overlap"):
        plan_effective(
            [Move("link050", "GM0014", "mjd", "werkpro")], [mjd_link050(), later], NEW_YEAR
        )


def test_new_service_without_source_just_opens() -> None:
    plan = plan_effective([Move("new", "GM0014", None, "werkpro")], [], NEW_YEAR)
    assert plan.closings == []
    assert len(plan.openings) == 1


def test_source_ending_on_the_effective_date_is_not_closed_again() -> None:
    plan = plan_effective(
        [Move("link050", "GM0014", "mjd", "werkpro")], [mjd_link050(NEW_YEAR)], NEW_YEAR
    )
    assert plan.closings == []
    [opening] = plan.openings
    assert (opening.valid_from, opening.valid_to) == (NEW_YEAR, None)


STAFF_LEGAL = {
    ("proposed", "informed"),
    ("proposed", "agreed"),
    ("proposed", "transferred"),
    ("informed", "agreed"),
    ("informed", "transferred"),
    ("agreed", "transferred"),
    ("proposed", "declined"),
    ("informed", "declined"),
    ("agreed", "declined"),
}


def test_staff_status_moves_forward_or_declines() -> None:
    for current in StaffStatus:
        for target in StaffStatus:
            if current == target or (current, target) in STAFF_LEGAL:
                check_staff_status(current, target)
            else:
                with pytest.raises(IllegalTransition):
                    check_staff_status(current, target)
