"""The registrar's organisation forms: a new one with its parent, a rename with its date,
a parent over a period, a stale edit, and who is refused."""

from __future__ import annotations

import re
from datetime import date
from uuid import UUID, uuid4

from app.store import records
from app.tables.tables import Organisation, OrganisationName, OrganisationRelation
from tests.web.conftest import csrf_from
from tests.web.test_handover_forms import message_beside


def unused_kvk() -> str:
    return f"9{uuid4().int % 10_000_000:07d}"


async def test_a_new_organisation_renamed_with_its_date(as_role, demo) -> None:
    client = as_role["registrar"]
    suffix = uuid4().hex[:8]
    parent = await records.create(Organisation, {"name": f"Moeder {suffix}"}, actor="test")
    form = await client.get("/organisaties/nieuw")
    token = csrf_from(form.text)
    wrong = await client.post(
        "/organisaties/nieuw", data={"name": "", "kvkNumber": "1234", "_csrf_token": token}
    )
    assert wrong.status_code == 400
    assert message_beside(wrong.text, "name") == "Vul de naam in."
    assert message_beside(wrong.text, "kvkNumber") == "Een KvK-nummer bestaat uit 8 cijfers."
    kvk = unused_kvk()
    created = await client.post(
        "/organisaties/nieuw",
        data={
            "name": f"Haren Tynaarlose Uitdaging {suffix}",
            "kvkNumber": kvk,
            "parentId": str(parent["id"]),
            "partOfSince": "2018-01-01",
            "_csrf_token": token,
        },
        follow_redirects=False,
    )
    assert created.status_code == 303, created.text
    organisation_id = UUID(
        re.search(r"/organisaties/([0-9a-f-]{36})", created.headers["location"])[1]
    )
    relation = (
        await OrganisationRelation.select()
        .where(OrganisationRelation.organisation == organisation_id)
        .first()
    )
    assert (relation["related_to"], relation["valid_from"]) == (parent["id"], date(2018, 1, 1))

    twin = await client.post(
        "/organisaties/nieuw",
        data={"name": f"Tweeling {suffix}", "kvkNumber": kvk, "_csrf_token": token},
    )
    assert twin.status_code == 409
    assert (
        message_beside(twin.text, "kvkNumber") == "Een andere organisatie heeft dit KvK-nummer al."
    )

    path = f"/organisaties/{organisation_id}/bewerken"
    edit = await client.get(path)
    version = re.search(r'name="version" value="(\d+)"', edit.text)[1]
    data = {
        "name": f"Matchmakers {suffix}",
        "renamedOn": "2022-03-01",
        "kvkNumber": kvk,
        "version": version,
        "_csrf_token": token,
    }
    renamed = await client.post(path, data=data, follow_redirects=False)
    assert renamed.status_code == 303, renamed.text
    names = await OrganisationName.select().where(OrganisationName.organisation == organisation_id)
    assert sorted((n["name"], n["valid_from"], n["valid_to"]) for n in names) == [
        (f"Haren Tynaarlose Uitdaging {suffix}", None, date(2022, 3, 1)),
        (f"Matchmakers {suffix}", date(2022, 3, 1), None),
    ]
    stale = await client.post(path, data={**data, "name": f"Anders {suffix}"})
    assert stale.status_code == 409
    assert "Iemand anders heeft dit intussen gewijzigd" in stale.text
    assert f'value="Matchmakers {suffix}"' in stale.text


async def test_a_parent_over_a_period(as_role, demo) -> None:
    client = as_role["registrar"]
    suffix = uuid4().hex[:8]
    child = await records.create(Organisation, {"name": f"Kind {suffix}"}, actor="test")
    parent = await records.create(Organisation, {"name": f"Ouder {suffix}"}, actor="test")
    path = f"/organisaties/{child['id']}/relaties/nieuw"
    form = await client.get(path)
    token = csrf_from(form.text)
    itself = await client.post(
        path, data={"relatedTo": str(child["id"]), "kind": "part_of", "_csrf_token": token}
    )
    assert itself.status_code == 400
    assert (
        message_beside(itself.text, "relatedTo")
        == "Een organisatie kan geen deel van zichzelf zijn."
    )
    added = await client.post(
        path,
        data={
            "relatedTo": str(parent["id"]),
            "kind": "part_of",
            "validFrom": "2018-01-01",
            "validTo": "2022-01-01",
            "_csrf_token": token,
        },
        follow_redirects=False,
    )
    assert added.status_code == 303
    relation = (
        await OrganisationRelation.select()
        .where(OrganisationRelation.organisation == child["id"])
        .first()
    )
    assert (relation["valid_from"], relation["valid_to"]) == (date(2018, 1, 1), date(2022, 1, 1))


async def test_others_may_not_edit_organisations(as_role, demo) -> None:
    row = await Organisation.select(Organisation.id).first()
    for role in ("hr", "management", "municipality"):
        client = as_role[role]
        assert (await client.get("/organisaties/nieuw")).status_code == 403
        assert (await client.get(f"/organisaties/{row['id']}/bewerken")).status_code == 403
