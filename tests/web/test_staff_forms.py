"""HR's staff forms: one transfer at a time, several at once, and who is refused.

Each test makes its own handover with Stichting WerkPro (the web HR user's organisation)
as the receiving party, so the demo cases stay as they are.
"""

from __future__ import annotations

import re
from uuid import UUID, uuid4

import pytest

from app.handovers import service as handovers
from app.staff import service as staff
from app.store import records
from app.tables.tables import Organisation, StaffTransfer
from tests.web.conftest import csrf_from
from tests.web.test_handover_forms import message_beside


@pytest.fixture
async def staffed(demo: None) -> tuple[UUID, list[UUID]]:
    suffix = uuid4().hex[:8]
    werkpro = (
        await Organisation.select(Organisation.id)
        .where(Organisation.name == "Stichting WerkPro")
        .first()
    )
    source = await records.create(Organisation, {"name": f"Bron {suffix}"}, actor="test")
    handover_id = await handovers.create_handover(
        handovers.NewHandover(
            title=f"Personeel {suffix}",
            parties=[
                handovers.NewParty(role="source", organisation_id=source["id"]),
                handovers.NewParty(role="receiving", organisation_id=werkpro["id"]),
            ],
        ),
        "test",
    )
    ids = []
    for n in range(4):
        row = await staff.create_staff_transfer(
            handover_id,
            {
                "staff_ref": f"T-{n}",
                "fte": 0.8,
                "name": f"Test Persoon {n} (demo)",
                "is_demo": True,
            },
            "test",
        )
        ids.append(row["id"])
    return handover_id, ids


async def statuses(ids: list[UUID]) -> list[str]:
    rows = await StaffTransfer.select(StaffTransfer.id, StaffTransfer.status).where(
        StaffTransfer.id.is_in(ids)
    )
    by_id = {r["id"]: r["status"] for r in rows}
    return [by_id[i] for i in ids]


def bulk_form(page_html: str, chosen: list[UUID], status: str) -> dict[str, str | list[str]]:
    """The bulk form as a browser sends it: every row's version, the chosen rows ticked."""
    versions = dict(re.findall(r'name="version-([0-9a-f-]{36})" value="(\d+)"', page_html))
    fields: dict[str, str | list[str]] = {f"version-{k}": v for k, v in versions.items()}
    return {
        **fields,
        "status": status,
        "staff": [str(s) for s in chosen],
        "_csrf_token": csrf_from(page_html),
    }


async def test_hr_sets_three_transfers_to_transferred_in_one_go(as_role, staffed) -> None:
    handover_id, ids = staffed
    client = as_role["hr"]
    page = await client.get(f"/overdrachten/{handover_id}")
    assert "Status zetten" in page.text
    response = await client.post(
        f"/overdrachten/{handover_id}/medewerkers/status",
        data=bulk_form(page.text, ids[:3], "transferred"),
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    assert await statuses(ids) == ["transferred"] * 3 + ["proposed"]


async def test_one_refused_row_saves_none_and_says_which(as_role, staffed) -> None:
    handover_id, ids = staffed
    version = (await records.get_row(StaffTransfer, ids[1]))["version"]
    await staff.update_staff_transfer(
        handover_id, ids[1], {"status": "declined"}, "test", records.etag(version)
    )
    client = as_role["hr"]
    page = await client.get(f"/overdrachten/{handover_id}")
    response = await client.post(
        f"/overdrachten/{handover_id}/medewerkers/status",
        data=bulk_form(page.text, ids[:3], "agreed"),
    )
    assert response.status_code == 409
    assert "T-1: Een afgeronde of afgeziene overgang verandert niet meer van status." in (
        response.text
    )
    assert await statuses(ids) == ["proposed", "declined", "proposed", "proposed"]
    assert f'value="{ids[0]}" id="kies-{ids[0]}" checked' in response.text  # choice kept


async def test_nothing_chosen_is_a_dutch_message(as_role, staffed) -> None:
    handover_id, _ = staffed
    client = as_role["hr"]
    page = await client.get(f"/overdrachten/{handover_id}")
    response = await client.post(
        f"/overdrachten/{handover_id}/medewerkers/status",
        data=bulk_form(page.text, [], "informed"),
    )
    assert response.status_code == 400
    assert message_beside(response.text, "staff") == "Kies ten minste één medewerker."


async def test_one_transfer_edited_and_a_stale_edit_refused(as_role, staffed) -> None:
    handover_id, ids = staffed
    client = as_role["hr"]
    path = f"/overdrachten/{handover_id}/medewerkers/{ids[0]}/bewerken"
    form = await client.get(path)
    assert form.status_code == 200
    version = re.search(r'name="version" value="(\d+)"', form.text)[1]
    data = {
        "status": "informed",
        "basis": "new_contract",
        "fte": "0,6",
        "function": "Buurtbemiddelaar",
        "version": version,
        "_csrf_token": csrf_from(form.text),
    }
    wrong = await client.post(path, data={**data, "fte": "2"})
    assert wrong.status_code == 400
    assert message_beside(wrong.text, "fte") == "Vul een getal tussen 0,01 en 1,5 in."
    saved = await client.post(path, data=data, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    row = await records.get_row(StaffTransfer, ids[0])
    assert (row["status"], row["basis"], row["fte"], row["function"]) == (
        "informed",
        "new_contract",
        0.6,
        "Buurtbemiddelaar",
    )
    stale = await client.post(path, data={**data, "function": "Iets anders"})
    assert stale.status_code == 409
    assert "Iemand anders heeft dit intussen gewijzigd" in stale.text
    assert 'value="Buurtbemiddelaar"' in stale.text
    assert (await records.get_row(StaffTransfer, ids[0]))["function"] == "Buurtbemiddelaar"


@pytest.mark.parametrize("role", ["hr_other", "management", "municipality"])
async def test_others_get_no_staff_form_and_are_refused(as_role, staffed, role: str) -> None:
    handover_id, ids = staffed
    client = as_role[role]
    dashboard = await client.get("/")
    response = await client.post(
        f"/overdrachten/{handover_id}/medewerkers/status",
        data={
            "status": "agreed",
            "staff": [str(ids[0])],
            "_csrf_token": csrf_from(dashboard.text),
        },
    )
    assert response.status_code == 403
    edit = await client.get(f"/overdrachten/{handover_id}/medewerkers/{ids[0]}/bewerken")
    assert edit.status_code == 403
    assert await statuses(ids) == ["proposed"] * 4
