"""Register numbers of organisations, each over a period: validated, found again by
``?identifier=`` (and ``?on=``), replaced on a takeover."""

from __future__ import annotations

import pytest

from app.identifiers import passes_eleven_test


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


async def new_organisation(client, key: str, name: str, **body) -> dict:
    response = await client.post(
        "/api/v1/organisations", json={"name": name, **body}, headers=bearer(key)
    )
    assert response.status_code == 201, response.text
    return response.json()


def test_the_eleven_test() -> None:
    assert passes_eleven_test("111222333")
    assert not passes_eleven_test("111222334")
    assert not passes_eleven_test("000000000")


async def test_identifiers_are_kept_with_their_periods(client, keys) -> None:
    created = await new_organisation(
        client,
        keys["registrar"],
        "Stichting Nummers",
        identifiers=[
            {"kind": "kvk_number", "value": "41234567", "validFrom": "2010-01-01"},
            {"kind": "establishment_number", "value": "000012345678"},
            {"kind": "rsin", "value": "111222333"},
            {"kind": "agb_code", "value": "98000001", "validFrom": "2015-01-01"},
        ],
    )
    assert [(i["kind"], i["value"]) for i in created["identifiers"]] == [
        ("agb_code", "98000001"),
        ("establishment_number", "000012345678"),
        ("kvk_number", "41234567"),
        ("rsin", "111222333"),
    ]


@pytest.mark.parametrize(
    ("kind", "value", "field", "says"),
    [
        ("kvk_number", "1234567", "identifiers[0].value", "KvK number"),
        ("establishment_number", "12345678901", "identifiers[0].value", "vestigingsnummer"),
        ("rsin", "111222334", "identifiers[0].value", "11-proef"),
        ("agb_code", "00000000", "identifiers[0].value", "AGB code"),
    ],
)
async def test_a_bad_number_is_a_400_naming_the_field(client, keys, kind, value, field, says):
    response = await client.post(
        "/api/v1/organisations",
        json={"name": f"Stichting Fout {kind}", "identifiers": [{"kind": kind, "value": value}]},
        headers=bearer(keys["registrar"]),
    )
    assert response.status_code == 400
    problem = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    assert says in problem["detail"]
    assert field in response.text
    listed = await client.get(
        f"/api/v1/organisations?name=Stichting Fout {kind}", headers=bearer(keys["registrar"])
    )
    assert listed.json()["items"] == []  # nothing half-written


async def test_a_takeover_changes_the_agb_code_and_both_are_found_as_they_were(
    client, keys
) -> None:
    registrar = bearer(keys["registrar"])
    old = await new_organisation(
        client,
        keys["registrar"],
        "Zorgaanbieder Overgenomen",
        identifiers=[{"kind": "agb_code", "value": "98000101", "validFrom": "2016-01-01"}],
    )
    taken = await client.post(
        f"/api/v1/organisations/{old['id']}/identifiers",
        json={"kind": "agb_code", "value": "98000202", "validFrom": "2022-01-01"},
        headers=registrar,
    )
    assert taken.status_code == 201, taken.text
    periods = {i["value"]: (i["validFrom"], i["validTo"]) for i in taken.json()["identifiers"]}
    assert periods == {
        "98000101": ("2016-01-01", "2022-01-01"),
        "98000202": ("2022-01-01", None),
    }

    async def found(query: str) -> list[str]:
        response = await client.get(f"/api/v1/organisations?{query}", headers=registrar)
        assert response.status_code == 200, response.text
        return [item["name"] for item in response.json()["items"]]

    assert await found("identifier=98000101&on=2021-12-31") == ["Zorgaanbieder Overgenomen"]
    assert await found("identifier=98000101&on=2022-01-01") == []
    assert await found("identifier=98000202&on=2022-01-01") == ["Zorgaanbieder Overgenomen"]
    assert await found("identifier=98000101") == ["Zorgaanbieder Overgenomen"]


async def test_one_number_belongs_to_one_organisation_at_a_time(client, keys) -> None:
    await new_organisation(
        client,
        keys["registrar"],
        "Eerste Houder",
        identifiers=[{"kind": "kvk_number", "value": "41230001"}],
    )
    response = await client.post(
        "/api/v1/organisations",
        json={
            "name": "Tweede Houder",
            "identifiers": [{"kind": "kvk_number", "value": "41230001"}],
        },
        headers=bearer(keys["registrar"]),
    )
    assert response.status_code == 409


async def test_a_malformed_identifier_query_is_a_400(client, keys) -> None:
    response = await client.get(
        "/api/v1/organisations?identifier=12ab", headers=bearer(keys["registrar"])
    )
    assert response.status_code == 400
    assert "identifier" in response.text
