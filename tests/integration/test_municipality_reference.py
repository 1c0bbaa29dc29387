"""The real municipalities since 2010, loaded by ``handover migrate``: counts, herindelingen,
splits, TOOI identifiers, and a sample of codes and names checked against CBS."""

from __future__ import annotations

from datetime import date

from app.municipalities.reference import shipped, tooi_identifier
from app.municipalities.service import load_reference
from app.tables.tables import Municipality, MunicipalitySuccessor

#: CBS's own labels for current municipalities (StatLine, dimension RegioS, 2023-2025),
#: a source independent of the TOOI register the shipped file is derived from.
CBS_SAMPLE = {
    "GM0014": "Groningen",
    "GM0106": "Assen",
    "GM0114": "Emmen",
    "GM0363": "Amsterdam",
    "GM0373": "Bergen (NH.)",
    "GM0518": "'s-Gravenhage",
    "GM0796": "'s-Hertogenbosch",
    "GM0820": "Nuenen, Gerwen en Nederwetten",
    "GM0893": "Bergen (L.)",
    "GM0995": "Lelystad",
    "GM1680": "Aa en Hunze",
    "GM1900": "Súdwest-Fryslân",
    "GM1940": "De Fryske Marren",
    "GM1966": "Het Hogeland",
    "GM1969": "Westerkwartier",
    "GM1970": "Noardeast-Fryslân",
    "GM1979": "Eemsdelta",
    "GM1982": "Land van Cuijk",
    "GM1991": "Maashorst",
    "GM1992": "Voorne aan Zee",
}


def existing_on(day: date):
    """Reference municipalities existing on ``day`` (other tests add made-up ones)."""
    codes = [f.code for f in shipped()[0]]
    return (
        Municipality.code.is_in(codes)
        & (Municipality.valid_from.is_null() | (Municipality.valid_from <= day))
        & (Municipality.valid_to.is_null() | (Municipality.valid_to > day))
    )


async def test_342_municipalities_on_1_january_2025(database: None) -> None:
    assert await Municipality.count().where(existing_on(date(2025, 1, 1))) == 342


async def test_counts_per_year_follow_the_herindelingen(database: None) -> None:
    # CBS's yearly counts as the news reported them (ANP, Trouw, ND): 418 in 2011,
    # 380 in 2018, 355 in 2019, 352 in 2021, 345 in 2022; 342 since 2023.
    for day, count in [
        (date(2011, 1, 1), 418),
        (date(2018, 1, 1), 380),
        (date(2019, 1, 1), 355),
        (date(2021, 1, 1), 352),
        (date(2022, 1, 1), 345),
        (date(2023, 1, 1), 342),
    ]:
        assert await Municipality.count().where(existing_on(day)) == count, day


async def test_codes_and_names_agree_with_cbs(database: None) -> None:
    rows = await Municipality.select(Municipality.code, Municipality.name).where(
        Municipality.code.is_in(list(CBS_SAMPLE))
    )
    assert {r["code"]: r["name"] for r in rows} == CBS_SAMPLE


async def test_haren_and_ten_boer_went_into_groningen_on_1_january_2019(database: None) -> None:
    for code in ("GM0017", "GM0009"):
        row = (
            await Municipality.select(Municipality.valid_to, Municipality.successor.code)
            .where(Municipality.code == code)
            .first()
        )
        assert row == {"valid_to": date(2019, 1, 1), "successor.code": "GM0014"}


async def test_winsum_and_haaren_were_split(database: None) -> None:
    async def successors(code: str) -> list[str]:
        rows = await MunicipalitySuccessor.select(MunicipalitySuccessor.successor.code).where(
            MunicipalitySuccessor.municipality.code == code
        )
        return sorted(r["successor.code"] for r in rows)

    assert await successors("GM0053") == ["GM1966", "GM1969"]
    assert await successors("GM0788") == ["GM0757", "GM0824", "GM0855", "GM0865"]
    winsum = (
        await Municipality.select(Municipality.successor)
        .where(Municipality.code == "GM0053")
        .first()
    )
    assert winsum["successor"] is None  # no single successor to point at


async def test_a_second_load_adds_nothing_and_keeps_ids(database: None) -> None:
    before = {
        r["code"]: r["id"] for r in await Municipality.select(Municipality.code, Municipality.id)
    }
    assert await load_reference() == 0
    after = {
        r["code"]: r["id"] for r in await Municipality.select(Municipality.code, Municipality.id)
    }
    assert after == before
    facts, _ = shipped()
    assert {f.code for f in facts} <= set(after)


async def test_municipality_api_carries_tooi_and_successors(client, keys) -> None:
    headers = {"Authorization": f"Bearer {keys['registrar']}"}
    groningen = (await client.get("/api/v1/municipalities/GM0014", headers=headers)).json()
    assert groningen["tooi"] == "https://identifier.overheid.nl/tooi/id/gemeente/gm0014"
    assert {"GM0009", "GM0017"} <= {p["code"] for p in groningen["predecessors"]}
    winsum = (await client.get("/api/v1/municipalities/GM0053", headers=headers)).json()
    assert winsum["successor"] is None
    assert [(s["municipality"]["code"], s["on"]) for s in winsum["successors"]] == [
        ("GM1966", "2019-01-01"),
        ("GM1969", "2019-01-01"),
    ]
    listed = await client.get("/api/v1/municipalities?current=true&limit=500", headers=headers)
    listed_codes = {m["code"] for m in listed.json()["items"]}
    current = {f.code for f in shipped()[0] if f.valid_to is None}
    assert len(current) == 342
    assert current <= listed_codes
    assert "GM0017" not in listed_codes
    assert tooi_identifier("GM1966") == "https://identifier.overheid.nl/tooi/id/gemeente/gm1966"


async def test_continuity_of_a_split_municipality_answers_for_each_successor(client, keys) -> None:
    headers = {"Authorization": f"Bearer {keys['registrar']}"}
    body = (
        await client.get("/api/v1/municipalities/GM0053/continuity?on=2020-06-01", headers=headers)
    ).json()
    assert body["requestedCode"] == "GM0053"
    assert body["municipality"]["code"] == "GM0053"
    assert body["services"] == []
    assert [(s["municipality"]["code"], s["part"]) for s in body["successors"]] == [
        ("GM1966", None),
        ("GM1969", None),
    ]
    assert "cannot tell which part" in body["note"]
    # Before the herindeling Winsum answers for itself.
    before = (
        await client.get("/api/v1/municipalities/GM0053/continuity?on=2018-06-01", headers=headers)
    ).json()
    assert "successors" not in before
    assert before["municipality"]["code"] == "GM0053"


async def test_a_successor_sees_only_its_own_part(client, keys) -> None:
    from app.access.keys import create_api_key

    key = await create_api_key("municipality", municipalities=["GM1969"], name="westerkwartier")
    headers = {"Authorization": f"Bearer {key}"}
    body = (
        await client.get("/api/v1/municipalities/GM0053/continuity?on=2020-06-01", headers=headers)
    ).json()
    assert [s["municipality"]["code"] for s in body["successors"]] == ["GM1969"]
    other = await client.get("/api/v1/municipalities/GM0106/continuity", headers=headers)
    assert other.status_code == 403


async def test_open_data_names_the_tooi_identifier(client, keys) -> None:
    headers = {"Authorization": f"Bearer {keys['registrar']}"}
    graph = (await client.get("/api/v1/open-data", headers=headers)).json()["@graph"]
    by_id = {node["id"]: node for node in graph if isinstance(node.get("id"), str)}
    groningen = next(n for n in by_id.values() if n.get("identifier") == "GM0014")
    assert groningen["same_as"] == "https://identifier.overheid.nl/tooi/id/gemeente/gm0014"
    winsum_event = next(n for i, n in by_id.items() if i.endswith("GM0053#herindeling"))
    assert len(winsum_event["resulting_organization"]) == 2


async def test_an_existing_registry_gains_what_it_lacks_and_keeps_its_ids(tmp_path) -> None:
    """A registry that had only the demo's four municipalities, then ``handover migrate``."""
    from app.demo.seeds import load_demo
    from tests.scale.stores import empty_store, handover_cli, serving_from

    url = await empty_store("reference_later")
    assert handover_cli(url, "apikey", "list").returncode == 0  # migrates, loads nothing
    async with serving_from(url):
        assert await load_demo()
        demo = {
            r["code"]: r["id"]
            for r in await Municipality.select(Municipality.code, Municipality.id)
        }
    assert set(demo) == {"GM0014", "GM0017", "GM0114", "GM0995"}
    result = handover_cli(url, "migrate")
    assert result.returncode == 0, result.stderr
    async with serving_from(url):
        after = {
            r["code"]: r["id"]
            for r in await Municipality.select(Municipality.code, Municipality.id)
        }
        ten_boer = (
            await Municipality.select(Municipality.successor)
            .where(Municipality.code == "GM0009")
            .first()
        )
    assert len(after) == len(shipped()[0])
    assert all(after[code] == demo[code] for code in demo)
    assert ten_boer["successor"] == demo["GM0014"]
