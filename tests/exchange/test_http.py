"""The import and export endpoints: scope, personal data, formats and the 422 report."""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook
from pyld import jsonld

from app.store.personal_data import NAME
from app.tables.tables import Municipality, StaffTransfer
from tests.exchange.conftest import staff_csv
from tests.helpers import bearer

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ORG = "http://www.w3.org/ns/org#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def imports(handover) -> str:
    return f"/api/v1/handovers/{handover['id']}/staff/imports"


async def test_hr_of_a_party_imports_a_csv_body(client, keys, exchange_world, handover) -> None:
    data = staff_csv("H-1;Anna;consulent;0,8;Proefdienst A;akkoord", "H-2;Bram;coach;0,6;;")
    headers = {**bearer(exchange_world["hr_key"]), "Content-Type": "text/csv"}
    response = await client.post(imports(handover), content=data, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json() == {"rows": 2, "written": 2, "problems": []}
    for outsider in ("hr", "hr_other", "management", "municipality"):
        refused = await client.post(imports(handover), content=data, headers=bearer(keys[outsider]))
        assert refused.status_code == 403, outsider


async def test_bad_rows_are_a_422_problem_listing_each_row(client, keys, handover) -> None:
    data = staff_csv("H-1;Anna;consulent;0,8;Proefdienst A;akkoord", "H-2;Bram;coach;twee;;")
    headers = {**bearer(keys["registrar"]), "Content-Type": "text/csv"}
    response = await client.post(imports(handover), content=data, headers=headers)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert [(p["line"], p["field"]) for p in body["problems"]] == [(3, "fte")]
    assert body["invalidParams"][0]["name"] == "line 3: fte"
    assert not await StaffTransfer.exists().where(StaffTransfer.handover == handover["id"])
    skipped = await client.post(
        imports(handover), content=data, headers=headers, params={"skipInvalid": "true"}
    )
    assert skipped.status_code == 200
    assert (skipped.json()["written"], len(skipped.json()["problems"])) == (1, 1)


async def test_an_xlsx_upload_as_multipart_form(client, exchange_world, handover) -> None:
    workbook = Workbook()
    workbook.active.append(["Staff ref", "Name", "FTE", "Service"])
    workbook.active.append(["X-1", "Anna", 0.8, "Proefdienst A"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = await client.post(
        imports(handover),
        files={"file": ("personeel.xlsx", buffer.getvalue(), XLSX)},
        headers=bearer(exchange_world["hr_key"]),
    )
    assert response.status_code == 200, response.text
    assert response.json()["written"] == 1


async def test_an_unreadable_file_is_a_400(client, keys, handover) -> None:
    response = await client.post(
        imports(handover), content=b"\x00\x01\x02", headers=bearer(keys["registrar"])
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_staff_export_is_for_staff_readers_and_imports_back_unchanged(
    client, keys, demo_ids
) -> None:
    url = f"/api/v1/exports/handovers/{demo_ids['handover_id']}/staff"
    response = await client.get(url, headers=bearer(keys["hr"]))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbfpersoneelsnummer;naam;functie;fte;")
    text = response.content.decode("utf-8-sig")
    assert "MJD-001;Anna Voorbeeld (demo);" in text
    assert ";0,8;" in text  # decimal comma, for Dutch Excel
    for reader in ("management", "municipality", "hr_other"):
        refused = await client.get(url, headers=bearer(keys[reader]))
        assert refused.status_code == 403, reader
    again = await client.post(
        f"/api/v1/handovers/{demo_ids['handover_id']}/staff/imports",
        content=response.content,
        headers={**bearer(keys["hr"]), "Content-Type": "text/csv"},
    )
    assert again.json() == {"rows": 14, "written": 0, "problems": []}


async def test_handover_export_shows_only_visible_handovers_and_no_staff(
    client, keys, demo_ids
) -> None:
    names = [r["name"] for r in await StaffTransfer.select(NAME) if r["name"]]
    response = await client.get("/api/v1/exports/handovers", headers=bearer(keys["municipality"]))
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert demo_ids["handover_id"] in text
    assert demo_ids["emmen_handover_id"] not in text
    assert not any(name in text for name in names)
    workbook = await client.get(
        "/api/v1/exports/handovers", params={"format": "xlsx"}, headers=bearer(keys["registrar"])
    )
    assert workbook.headers["content-type"] == XLSX
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("id", "titel", "soort", "status")
    assert demo_ids["emmen_handover_id"] in {row[0] for row in rows}


async def test_continuity_export_shows_the_link050_switch(client, keys) -> None:
    response = await client.get(
        "/api/v1/exports/municipalities/GM0014/continuity", headers=bearer(keys["municipality"])
    )
    assert response.status_code == 200
    lines = response.content.decode("utf-8-sig").splitlines()
    link050 = [line.split(";") for line in lines if line.startswith("Link050;")]
    assert ["Stichting MJD", "2022-01-01"] in [[r[2], r[4]] for r in link050]
    assert ["Stichting WerkPro", "2022-01-01"] in [[r[2], r[3]] for r in link050]
    elsewhere = await client.get(
        "/api/v1/exports/municipalities/GM0114/continuity", headers=bearer(keys["municipality"])
    )
    assert elsewhere.status_code == 403


async def test_open_data_is_json_ld_in_the_organization_ontology(client, keys, demo_ids) -> None:
    response = await client.get("/api/v1/open-data", headers=bearer(keys["registrar"]))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/ld+json")
    names = [r["name"] for r in await StaffTransfer.select(NAME) if r["name"]]
    # A test's first name can be part of a place's (Anna, of Anna Paulowna): that is no leak.
    places = [r["name"] for r in await Municipality.select(Municipality.name)]
    names = [n for n in names if not any(n in place for place in places)]
    assert not any(name in response.text for name in names)
    quads = jsonld.to_rdf(response.json(), {"format": "application/n-quads"})
    triples = {tuple(line.rsplit(" .", 1)[0].split(" ", 2)) for line in quads.splitlines()}
    handover = f"<http://testserver.local/api/v1/handovers/{demo_ids['handover_id']}>"
    werkpro = f"<http://testserver.local/api/v1/organisations/{demo_ids['organisation_id']}>"
    assert (handover, f"<{RDF_TYPE}>", f"<{ORG}ChangeEvent>") in triples
    assert (handover, f"<{ORG}resultingOrganization>", werkpro) in triples
    originals = {o for s, p, o in triples if s == handover and p == f"<{ORG}originalOrganization>"}
    assert len(originals) == 1
    mjd = originals.pop()
    assert (mjd, "<http://www.w3.org/2004/02/skos/core#prefLabel>", '"Stichting MJD"') in triples
    assert any(p == f"<{ORG}hasSubOrganization>" and o == mjd for _, p, o in triples)
    haren = "<http://testserver.local/api/v1/municipalities/GM0017#herindeling>"
    assert (haren, f"<{RDF_TYPE}>", f"<{ORG}ChangeEvent>") in triples
    expanded = jsonld.expand(response.json())
    assert len(expanded) == len(response.json()["@graph"])
