"""The registrar's forms on services: new, edit (and a stale edit), figures, provisions."""

from __future__ import annotations

import re
from datetime import date
from uuid import UUID, uuid4

from app.store import records
from app.tables.tables import Organisation, Provision, Service, ServiceFigure
from tests.web.conftest import csrf_from
from tests.web.test_handover_forms import message_beside


async def new_service(client, name: str) -> UUID:
    form = await client.get("/diensten/nieuw")
    response = await client.post(
        "/diensten/nieuw",
        data={"name": name, "category": "welzijn", "_csrf_token": csrf_from(form.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return UUID(re.search(r"/diensten/([0-9a-f-]{36})", response.headers["location"])[1])


async def test_a_new_service_and_a_stale_edit(as_role, demo) -> None:
    client = as_role["registrar"]
    suffix = uuid4().hex[:8]
    empty = await client.get("/diensten/nieuw")
    missing = await client.post(
        "/diensten/nieuw", data={"name": "", "_csrf_token": csrf_from(empty.text)}
    )
    assert missing.status_code == 400
    assert message_beside(missing.text, "name") == "Vul de naam in."

    service_id = await new_service(client, f"Dienst {suffix}")
    assert (await records.get_row(Service, service_id))["category"] == "welzijn"
    path = f"/diensten/{service_id}/bewerken"
    form = await client.get(path)
    version = re.search(r'name="version" value="(\d+)"', form.text)[1]
    data = {"name": f"Hernoemd {suffix}", "version": version, "_csrf_token": csrf_from(form.text)}
    assert (await client.post(path, data=data, follow_redirects=False)).status_code == 303
    stale = await client.post(path, data={**data, "name": f"Nog eens {suffix}"})
    assert stale.status_code == 409
    assert "Iemand anders heeft dit intussen gewijzigd" in stale.text
    assert (await records.get_row(Service, service_id))["name"] == f"Hernoemd {suffix}"


async def test_figures_and_provisions_on_the_service_page(as_role, demo) -> None:
    client = as_role["registrar"]
    suffix = uuid4().hex[:8]
    service_id = await new_service(client, f"Cijfers {suffix}")
    provider = await records.create(Organisation, {"name": f"Aanbieder {suffix}"}, actor="test")
    page = f"/diensten/{service_id}"
    shown = await client.get(page)
    token = csrf_from(shown.text)
    wrong = await client.post(
        f"{page}/cijfers",
        data={"organisationId": str(provider["id"]), "year": "twintig", "_csrf_token": token},
    )
    assert wrong.status_code == 400
    assert message_beside(wrong.text, "year") == "Vul een getal tussen 1900 en 2200 in."
    assert message_beside(wrong.text, "metric") == "Vul in wat er geteld is."
    saved = await client.post(
        f"{page}/cijfers",
        data={
            "organisationId": str(provider["id"]),
            "year": "2022",
            "metric": "deelnemers",
            "value": "1000",
            "_csrf_token": token,
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    figure = await ServiceFigure.select().where(ServiceFigure.service == service_id).first()
    assert (figure["year"], figure["metric"], figure["value"]) == (2022, "deelnemers", 1000.0)

    provision = {
        "providerId": str(provider["id"]),
        "municipalityCode": "GM0995",
        "validFrom": "2020-01-01",
        "validTo": "2023-01-01",
        "_csrf_token": token,
    }
    added = await client.post(f"{page}/leveringen", data=provision, follow_redirects=False)
    assert added.status_code == 303, added.text
    overlapping = await client.post(
        f"{page}/leveringen", data={**provision, "validFrom": "2022-06-01"}
    )
    assert overlapping.status_code == 409
    assert message_beside(overlapping.text, "validFrom").startswith(
        "Deze periode overlapt een andere levering"
    )
    rows = await Provision.select().where(Provision.service == service_id)
    assert [(r["valid_from"], r["valid_to"]) for r in rows] == [
        (date(2020, 1, 1), date(2023, 1, 1))
    ]

    edit = f"/leveringen/{rows[0]['id']}/bewerken"
    form = await client.get(edit)
    version = re.search(r'name="version" value="(\d+)"', form.text)[1]
    ended = await client.post(
        edit,
        data={
            "validFrom": "2020-01-01",
            "validTo": "2019-01-01",
            "version": version,
            "_csrf_token": token,
        },
    )
    assert ended.status_code == 400
    assert message_beside(ended.text, "validTo") == "De einddatum moet na de begindatum liggen."
    ended = await client.post(
        edit,
        data={
            "validFrom": "2020-01-01",
            "validTo": "2024-01-01",
            "version": version,
            "_csrf_token": token,
        },
        follow_redirects=False,
    )
    assert ended.status_code == 303
    assert (await records.get_row(Provision, rows[0]["id"]))["valid_to"] == date(2024, 1, 1)


async def test_no_service_forms_for_hr_management_or_municipalities(as_role, demo) -> None:
    row = await Service.select(Service.id).first()
    for role in ("hr", "management", "municipality"):
        client = as_role[role]
        page = await client.get(f"/diensten/{row['id']}")
        assert page.text.count("<form") == 2, role  # the date picker and logging out
        assert (await client.get("/diensten/nieuw")).status_code == 403
        refused = await client.post(
            f"/diensten/{row['id']}/cijfers",
            data={"year": "2022", "_csrf_token": csrf_from(page.text)},
        )
        assert refused.status_code == 403
