"""The seed cases as demo data: recorded faithfully, through the lifecycle, once."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import pytest
from litestar.testing import AsyncTestClient

from app.demo.seeds import (
    EMMEN_HANDOVER_TITLE,
    GRONINGEN_HANDOVER_TITLE,
    GRONINGEN_STAFF,
    LELYSTAD_HANDOVER_TITLE,
    load_demo,
)
from app.store.personal_data import NAME
from app.tables.tables import (
    AuditEvent,
    ContinuityGuarantee,
    Handover,
    HandoverParty,
    HandoverService,
    HandoverTransition,
    Milestone,
    Municipality,
    Officer,
    Organisation,
    OrganisationName,
    OrganisationRelation,
    Provision,
    Service,
    ServiceFigure,
    StaffTransfer,
)
from tests.helpers import bearer

pytestmark = pytest.mark.usefixtures("demo")

ORGANISATION_NAMES = [
    "Stichting Vlechter",
    "Stichting MJD",
    "Stichting WerkPro",
    "Stichting Leergeld",
    "Overbrug",
    "DiMON Noord",
    "Buurtsupport",
    "Emco",
    "Menso",
    "Emmens Werkbedrijf",
    "Team Werk gemeente Lelystad",
    "Concern voor Werk",
    "Werkbedrijf Lelystad",
    "Maatschappelijke Dienstverlening Flevoland",
    "Stichting Welzijn Lelystad",
    "Netwerk Haren Verbind!",
    "Cosis",
    "De Mikkelhorst",
    "Humanitas",
    "Matchmakers",
    "WIJ Haren",
    "Wmo ondersteuningsnetwerk GON",
    "Gebiedsteam Haren",
]

GRONINGEN_SERVICES = [
    "Link050",
    "Jimmy's",
    "Buurtbemiddeling",
    "Woonkans",
    "Activiteiten voor Stichting Leergeld",
    "Migrantenprostitutie",
    "Emancipatie en diversiteit",
]

COUNTED_TABLES = [
    Organisation,
    OrganisationName,
    OrganisationRelation,
    Officer,
    Municipality,
    Service,
    Provision,
    Handover,
    HandoverParty,
    HandoverService,
    HandoverTransition,
    StaffTransfer,
    ContinuityGuarantee,
    Milestone,
    ServiceFigure,
    AuditEvent,
]


async def organisation_id(name: str) -> UUID:
    row = await Organisation.select(Organisation.id).where(Organisation.name == name).first()
    assert row is not None, name
    return row["id"]


async def service_id(name: str) -> UUID:
    row = await Service.select(Service.id).where(Service.name == name).first()
    assert row is not None, name
    return row["id"]


async def municipality_id(code: str) -> UUID:
    row = await Municipality.select(Municipality.id).where(Municipality.code == code).first()
    assert row is not None, code
    return row["id"]


async def handover(title: str) -> dict[str, Any]:
    rows = await Handover.select().where(Handover.title == title)
    assert len(rows) == 1, title
    return rows[0]


async def provisions(service: str, code: str) -> list[dict[str, Any]]:
    return (
        await Provision.select(Provision.all_columns(), Provision.organisation.name)
        .where(
            (Provision.service == await service_id(service))
            & (Provision.municipality == await municipality_id(code))
        )
        .order_by(Provision.valid_from)
    )


async def counts() -> dict[str, int]:
    return {table._meta.tablename: await table.count() for table in COUNTED_TABLES}


# --- organisations and municipalities ---------------------------------------------------


async def test_every_organisation_is_recorded_once_with_its_current_name() -> None:
    rows = await Organisation.select().where(Organisation.name.is_in(ORGANISATION_NAMES))
    assert sorted(r["name"] for r in rows) == sorted(ORGANISATION_NAMES)
    for row in rows:
        assert row["is_demo"] is False
        assert row["kvk_number"] is None
        current = await OrganisationName.select().where(
            (OrganisationName.organisation == row["id"]) & OrganisationName.valid_to.is_null()
        )
        assert [n["name"] for n in current] == [row["name"]]


async def test_organisation_kinds() -> None:
    kinds = {
        r["name"]: r["kind"]
        for r in await Organisation.select(Organisation.name, Organisation.kind).where(
            Organisation.name.is_in(ORGANISATION_NAMES)
        )
    }
    for network in ("Overbrug", "DiMON Noord", "Netwerk Haren Verbind!"):
        assert kinds[network] == "network"
    assert kinds["Team Werk gemeente Lelystad"] == "municipal_team"
    assert kinds["Gebiedsteam Haren"] == "municipal_team"


async def test_mjd_is_part_of_vlechter_from_2018() -> None:
    rows = await OrganisationRelation.select().where(
        (OrganisationRelation.organisation == await organisation_id("Stichting MJD"))
        & (OrganisationRelation.related_to == await organisation_id("Stichting Vlechter"))
    )
    assert len(rows) == 1
    assert rows[0]["kind"] == "part_of"
    assert rows[0]["valid_from"] == date(2018, 1, 1)
    assert rows[0]["valid_to"] is None


async def test_network_memberships() -> None:
    async def members_of(network: str) -> set[str]:
        rows = await OrganisationRelation.select(OrganisationRelation.organisation.name).where(
            (OrganisationRelation.related_to == await organisation_id(network))
            & (OrganisationRelation.kind == "member_of")
        )
        return {r["organisation.name"] for r in rows}

    assert await members_of("Overbrug") == {"Stichting MJD", "Stichting WerkPro"}
    assert await members_of("DiMON Noord") == {"Stichting MJD", "Stichting WerkPro"}
    assert await members_of("Emmens Werkbedrijf") == {"Emco", "Menso"}
    assert await members_of("Netwerk Haren Verbind!") == {
        "Cosis",
        "De Mikkelhorst",
        "Humanitas",
        "Matchmakers",
        "WIJ Haren",
        "Wmo ondersteuningsnetwerk GON",
        "Gebiedsteam Haren",
    }
    emmen = await OrganisationRelation.select(OrganisationRelation.valid_from).where(
        OrganisationRelation.related_to == await organisation_id("Emmens Werkbedrijf")
    )
    assert {r["valid_from"] for r in emmen} == {date(2018, 1, 1)}


async def test_matchmakers_name_history() -> None:
    names = await OrganisationName.select().where(
        OrganisationName.organisation == await organisation_id("Matchmakers")
    )
    by_name = {n["name"]: n for n in names}
    assert set(by_name) == {"Haren Tynaarlose Uitdaging", "Matchmakers"}
    assert by_name["Haren Tynaarlose Uitdaging"]["valid_to"] is not None
    assert by_name["Haren Tynaarlose Uitdaging"]["valid_to"] <= date(2022, 4, 14)
    assert by_name["Matchmakers"]["valid_to"] is None


async def test_werkpro_directors() -> None:
    rows = await Officer.select().where(
        Officer.organisation == await organisation_id("Stichting WerkPro")
    )
    by_name = {r["name"]: r for r in rows}
    rutgers, gieskes = by_name["Peter Rutgers"], by_name["Cees-Jan Gieskes"]
    assert (rutgers["title"], rutgers["valid_from"], rutgers["valid_to"]) == (
        "directeur-bestuurder",
        None,
        date(2022, 7, 1),
    )
    assert (gieskes["title"], gieskes["valid_from"], gieskes["valid_to"]) == (
        "directeur-bestuurder",
        date(2022, 4, 1),
        None,
    )
    assert by_name["Marga à Nijeholt"]["title"] == "manager Wijkwerken"
    others = await Officer.select(Officer.name, Officer.organisation.name)
    pairs = {(r["organisation.name"], r["name"]) for r in others}
    assert {
        ("Stichting MJD", "Rein de Vries"),
        ("Buurtsupport", "Fred de Leeuw"),
        ("Emco", "Jan Edzes"),
        ("Menso", "Heidy Postma"),
        ("Concern voor Werk", "Onno Vermooten"),
        ("Maatschappelijke Dienstverlening Flevoland", "Rik Bovenberg"),
        ("Stichting Welzijn Lelystad", "Jan Dekker"),
    } <= pairs


async def test_municipalities_and_the_haren_merger() -> None:
    rows = {
        r["code"]: r
        for r in await Municipality.select().where(
            Municipality.code.is_in(["GM0014", "GM0017", "GM0114", "GM0995"])
        )
    }
    assert {c: (r["name"], r["province"]) for c, r in rows.items()} == {
        "GM0014": ("Groningen", "Groningen"),
        "GM0017": ("Haren", "Groningen"),
        "GM0114": ("Emmen", "Drenthe"),
        "GM0995": ("Lelystad", "Flevoland"),
    }
    assert rows["GM0017"]["valid_to"] == date(2019, 1, 1)
    assert rows["GM0017"]["successor"] == rows["GM0014"]["id"]
    assert all(rows[c]["successor"] is None for c in ("GM0014", "GM0114", "GM0995"))


# --- seed 000: Groningen --------------------------------------------------------------


async def test_groningen_handover_went_through_its_lifecycle() -> None:
    row = await handover(GRONINGEN_HANDOVER_TITLE)
    assert row["status"] == "effective"
    assert row["kind"] == "transfer"
    assert row["announced_on"] == date(2021, 12, 1)
    assert row["effective_on"] == date(2022, 1, 1)
    assert row["source"] == "seed 000 (persbericht december 2021)"
    steps = (
        await HandoverTransition.select()
        .where(HandoverTransition.handover == row["id"])
        .order_by(HandoverTransition.on)
    )
    assert [(s["from_status"], s["to_status"], s["on"]) for s in steps] == [
        ("proposed", "agreed", date(2021, 12, 1)),
        ("agreed", "effective", date(2022, 1, 1)),
    ]
    assert all(s["actor"] == "demo-loader" and s["note"] for s in steps)


async def test_groningen_parties() -> None:
    row = await handover(GRONINGEN_HANDOVER_TITLE)
    parties = await HandoverParty.select(
        HandoverParty.all_columns(),
        HandoverParty.organisation.name,
        HandoverParty.municipality.code,
    ).where(HandoverParty.handover == row["id"])
    by_role = {(p["role"], p["organisation.name"] or p["municipality.code"]) for p in parties}
    assert by_role == {
        ("source", "Stichting MJD"),
        ("receiving", "Stichting WerkPro"),
        ("other", "Stichting Vlechter"),
        ("municipality", "GM0014"),
    }
    municipality = next(p for p in parties if p["role"] == "municipality")
    assert municipality["involvement"] == "informed"
    vlechter = next(p for p in parties if p["role"] == "other")
    assert "Vlechter" in vlechter["note"]


async def test_mjd_provisions_closed_and_werkpro_opened_on_2022_01_01() -> None:
    row = await handover(GRONINGEN_HANDOVER_TITLE)
    moved = await HandoverService.select(
        HandoverService.service.name, HandoverService.municipality.code
    ).where(HandoverService.handover == row["id"])
    assert sorted(m["service.name"] for m in moved) == sorted(GRONINGEN_SERVICES)
    assert {m["municipality.code"] for m in moved} == {"GM0014"}
    for service in GRONINGEN_SERVICES:
        mjd, werkpro = await provisions(service, "GM0014")
        assert mjd["organisation.name"] == "Stichting MJD"
        assert (mjd["valid_from"], mjd["valid_to"]) == (date(2018, 1, 1), date(2022, 1, 1))
        assert mjd["closed_by"] == row["id"]
        assert "demo" in mjd["note"]
        assert werkpro["organisation.name"] == "Stichting WerkPro"
        assert (werkpro["valid_from"], werkpro["valid_to"]) == (date(2022, 1, 1), None)
        assert werkpro["opened_by"] == row["id"]
        assert mjd["staffed_fte"] is not None
        assert werkpro["staffed_fte"] == mjd["staffed_fte"]


async def test_groningen_staff_are_demo_and_staff_the_provisions() -> None:
    row = await handover(GRONINGEN_HANDOVER_TITLE)
    staff = await StaffTransfer.select(
        StaffTransfer.all_columns(), StaffTransfer.service.name, NAME
    ).where(StaffTransfer.handover == row["id"])
    assert len(staff) == len(GRONINGEN_STAFF) == 14
    assert {s["service.name"] for s in staff} == set(GRONINGEN_SERVICES)
    for person in staff:
        assert person["is_demo"] is True
        assert person["name"].endswith(" (demo)")
        assert person["staff_ref"].startswith("MJD-")
        assert person["basis"] == "transfer_of_undertaking"
        assert person["terms_retained"] is True
        assert person["status"] == "transferred"
    for service in GRONINGEN_SERVICES:
        total = round(sum(s["fte"] for s in staff if s["service.name"] == service), 2)
        mjd = (await provisions(service, "GM0014"))[0]
        assert mjd["staffed_fte"] == total


async def test_groningen_guarantees_with_baselines() -> None:
    row = await handover(GRONINGEN_HANDOVER_TITLE)
    guarantees = await ContinuityGuarantee.select(
        ContinuityGuarantee.all_columns(), ContinuityGuarantee.service.name
    ).where(ContinuityGuarantee.handover == row["id"])
    by_service = {g["service.name"]: g for g in guarantees}
    assert set(by_service) == set(GRONINGEN_SERVICES)
    for service, guarantee in by_service.items():
        assert guarantee["valid_from"] == date(2022, 1, 1)
        assert guarantee["until"] is None
        assert guarantee["full_strength"] is True
        assert guarantee["same_conditions"] is True
        assert "op volle sterkte en onder dezelfde voorwaarden" in guarantee["text"]
        mjd = (await provisions(service, "GM0014"))[0]
        assert guarantee["baseline_fte"] == mjd["staffed_fte"]
    for service in ("Link050", "Jimmy's", "Woonkans", "Buurtbemiddeling"):
        assert by_service[service]["text"].startswith("gewaarborgd voor de komende jaren")
    for service in GRONINGEN_SERVICES[4:]:
        assert by_service[service]["text"].startswith("krijgen een vervolg bij WerkPro")


async def test_groningen_milestones() -> None:
    row = await handover(GRONINGEN_HANDOVER_TITLE)
    milestones = await Milestone.select().where(Milestone.handover == row["id"])
    assert {(m["kind"], m["title"], m["done_on"]) for m in milestones} == {
        ("other", "Overeenstemming MJD en WerkPro", date(2021, 12, 1)),
        ("municipality_informed", "Gemeente Groningen geïnformeerd", date(2021, 12, 1)),
        ("staff_informed", "Medewerkers geïnformeerd", date(2021, 12, 1)),
        ("contracts_signed", "Arbeidsovereenkomsten overgegaan", date(2022, 1, 1)),
    }
    assert all("afgeleid" in m["note"] for m in milestones)


async def test_every_row_of_the_groningen_case_has_an_audit_event() -> None:
    row = await handover(GRONINGEN_HANDOVER_TITLE)
    ids = [str(row["id"])]
    for table in (HandoverParty, HandoverService, StaffTransfer, ContinuityGuarantee, Milestone):
        ids += [
            str(r["id"]) for r in await table.select(table.id).where(table.handover == row["id"])
        ]
    for service in GRONINGEN_SERVICES:
        ids += [str(p["id"]) for p in await provisions(service, "GM0014")]
    ids += [str(await organisation_id(name)) for name in ORGANISATION_NAMES]
    created = await AuditEvent.select(AuditEvent.record_id).where(
        (AuditEvent.action == "create")
        & (AuditEvent.actor == "demo-loader")
        & AuditEvent.record_id.is_in(ids)
    )
    assert {e["record_id"] for e in created} == set(ids)


# --- seed 001: WerkPro in 2022 ----------------------------------------------------------


async def test_werkpro_2022_figures() -> None:
    rows = await ServiceFigure.select(
        ServiceFigure.all_columns(), ServiceFigure.service.name
    ).where(ServiceFigure.organisation == await organisation_id("Stichting WerkPro"))
    figures = {(r["service.name"], r["metric"]): r for r in rows if r["year"] == 2022}
    assert {k: r["value"] for k, r in figures.items()} == {
        ("Link050", "nieuwe vrijwilligers ingeschreven"): 300,
        ("Link050", "ingeschreven organisaties"): 387,
        ("Link050", "aandeel aan de slag als vrijwilliger (%)"): 40,
        ("Buurtbemiddeling", "aangemelde buurtruzies"): 158,
        ("Buurtbemiddeling", "met succes bemiddeld"): 110,
        ("Ontwikkellink", "cursussen en workshops"): 127,
        ("Ontwikkellink", "deelnemers"): 1000,
    }
    assert "zeker 40%" in figures[("Link050", "aandeel aan de slag als vrijwilliger (%)")]["note"]
    assert "ruim 1.000" in figures[("Ontwikkellink", "deelnemers")]["note"]
    (ontwikkellink,) = await provisions("Ontwikkellink", "GM0014")
    assert ontwikkellink["organisation.name"] == "Stichting WerkPro"
    assert ontwikkellink["valid_from"] == date(2022, 1, 1)


# --- seed 002: Lelystad -----------------------------------------------------------------


async def test_lelystad_merger_is_effective() -> None:
    row = await handover(LELYSTAD_HANDOVER_TITLE)
    assert (row["kind"], row["status"], row["effective_on"]) == (
        "merger",
        "effective",
        date(2013, 9, 16),
    )
    steps = await HandoverTransition.select().where(HandoverTransition.handover == row["id"])
    assert sorted((s["to_status"], s["on"]) for s in steps) == [
        ("agreed", date(2013, 9, 13)),
        ("effective", date(2013, 9, 16)),
    ]
    parties = await HandoverParty.select(
        HandoverParty.role,
        HandoverParty.organisation.name,
        HandoverParty.municipality.code,
        HandoverParty.involvement,
    ).where(HandoverParty.handover == row["id"])
    assert sorted(
        (p["role"], p["organisation.name"] or p["municipality.code"]) for p in parties
    ) == [
        ("municipality", "GM0995"),
        ("receiving", "Werkbedrijf Lelystad"),
        ("source", "Concern voor Werk"),
        ("source", "Team Werk gemeente Lelystad"),
    ]
    assert next(p for p in parties if p["role"] == "municipality")["involvement"] == "consenting"
    team_werk, werkbedrijf = await provisions("Re-integratie naar werk", "GM0995")
    assert team_werk["organisation.name"] == "Team Werk gemeente Lelystad"
    assert team_werk["valid_to"] == date(2013, 9, 16)
    assert werkbedrijf["organisation.name"] == "Werkbedrijf Lelystad"
    assert (werkbedrijf["valid_from"], werkbedrijf["opened_by"]) == (date(2013, 9, 16), row["id"])


async def test_lelystad_other_services() -> None:
    (schuldhulp,) = await provisions("Integrale schuldhulpverlening", "GM0995")
    assert schuldhulp["organisation.name"] == "Maatschappelijke Dienstverlening Flevoland"
    (voorlichters,) = await provisions("Buurtvoorlichters", "GM0995")
    assert voorlichters["organisation.name"] == "Concern voor Werk"
    assert "Stichting Welzijn Lelystad" in voorlichters["note"]


# --- seed 003: Emmen --------------------------------------------------------------------


async def test_emmen_intent_signed_with_the_municipality_directing() -> None:
    row = await handover(EMMEN_HANDOVER_TITLE)
    assert (row["kind"], row["status"]) == ("integration", "intent_signed")
    assert (row["announced_on"], row["effective_on"]) == (date(2019, 6, 17), date(2020, 1, 1))
    steps = await HandoverTransition.select().where(HandoverTransition.handover == row["id"])
    assert [(s["to_status"], s["on"]) for s in steps] == [("intent_signed", date(2019, 6, 17))]
    assert "Raymond Wanders" in steps[0]["note"]
    parties = await HandoverParty.select(
        HandoverParty.role,
        HandoverParty.organisation.name,
        HandoverParty.municipality.code,
        HandoverParty.involvement,
    ).where(HandoverParty.handover == row["id"])
    assert sorted(
        (p["role"], p["organisation.name"] or p["municipality.code"]) for p in parties
    ) == [
        ("municipality", "GM0114"),
        ("other", "Emco"),
        ("other", "Menso"),
        ("receiving", "Emmens Werkbedrijf"),
        ("source", "Buurtsupport"),
    ]
    assert next(p for p in parties if p["role"] == "municipality")["involvement"] == "directing"
    (guarantee,) = await ContinuityGuarantee.select().where(
        ContinuityGuarantee.handover == row["id"]
    )
    assert guarantee["valid_from"] == date(2020, 1, 1)
    assert (guarantee["full_strength"], guarantee["same_conditions"]) == (False, False)
    milestones = await Milestone.select().where(Milestone.handover == row["id"])
    assert {(m["title"], m["done_on"]) for m in milestones} == {
        ("Intentieverklaring getekend", date(2019, 6, 17)),
        ("Plan van aanpak opstellen", None),
    }
    # Not effective: Buurtsupport still provides its service.
    (buurtsupport,) = await provisions(
        "Begeleiding naar werk en dagbesteding (Buurtsupport)", "GM0114"
    )
    assert (buurtsupport["organisation.name"], buurtsupport["valid_to"]) == ("Buurtsupport", None)


# --- idempotence --------------------------------------------------------------------------


async def test_a_second_load_adds_nothing() -> None:
    before = await counts()
    assert await load_demo() is False
    assert await counts() == before


# --- continuity over HTTP ---------------------------------------------------------------
# These come last and touch the database only through HTTP: the test client serves the app
# from its own event loop (and, on PostgreSQL, its own connection pool), so ``keys`` is
# asked for before ``client``.


async def continuity(client: AsyncTestClient, key: str, code: str, on: str) -> dict[str, Any]:
    response = await client.get(
        f"/api/v1/municipalities/{code}/continuity", params={"on": on}, headers=bearer(key)
    )
    assert response.status_code == 200, response.text
    return response.json()


def entry(body: dict[str, Any], service: str) -> dict[str, Any]:
    found = [s for s in body["services"] if s["service"]["name"] == service]
    assert len(found) == 1, (service, body["services"])
    return found[0]


async def test_link050_provided_by_mjd_until_the_handover(
    keys: dict[str, str], client: AsyncTestClient
) -> None:
    body = await continuity(client, keys["municipality"], "GM0014", "2021-12-31")
    link = entry(body, "Link050")
    assert link["provider"]["name"] == "Stichting MJD"
    assert (link["since"], link["until"]) == ("2018-01-01", "2022-01-01")
    assert link["guarantees"] == []
    assert [(p["status"], p["effectiveOn"], p["toProvider"]["name"]) for p in link["planned"]] == [
        ("effective", "2022-01-01", "Stichting WerkPro")
    ]
    for service in GRONINGEN_SERVICES:
        assert entry(body, service)["provider"]["name"] == "Stichting MJD"


async def test_link050_provided_by_werkpro_from_the_handover_with_its_guarantee(
    keys: dict[str, str], client: AsyncTestClient
) -> None:
    body = await continuity(client, keys["municipality"], "GM0014", "2022-01-01")
    assert (body["municipality"]["code"], body["requestedCode"]) == ("GM0014", "GM0014")
    link = entry(body, "Link050")
    assert link["provider"]["name"] == "Stichting WerkPro"
    assert (link["since"], link["until"]) == ("2022-01-01", None)
    assert link["planned"] == []
    assert len(link["guarantees"]) == 1
    guarantee = link["guarantees"][0]
    assert guarantee["fullStrength"] is True
    assert guarantee["sameConditions"] is True
    assert guarantee["breached"] is False
    assert guarantee["text"].startswith("gewaarborgd voor de komende jaren")
    for service in GRONINGEN_SERVICES:
        assert entry(body, service)["provider"]["name"] == "Stichting WerkPro"
        assert [g["breached"] for g in entry(body, service)["guarantees"]] == [False]


async def test_haren_is_answered_for_groningen_after_the_merger(
    keys: dict[str, str], client: AsyncTestClient
) -> None:
    body = await continuity(client, keys["municipality"], "GM0017", "2022-01-01")
    assert body["municipality"]["code"] == "GM0014"
    assert body["requestedCode"] == "GM0017"
    matchmakers = entry(body, "Maatschappelijke matching (Matchmakers)")
    assert matchmakers["provider"]["name"] == "Matchmakers"
    assert matchmakers["since"] == "2019-01-01"
    before = await continuity(client, keys["municipality"], "GM0017", "2018-06-01")
    assert (before["municipality"]["code"], before["requestedCode"]) == ("GM0017", "GM0017")
    assert [s["service"]["name"] for s in before["services"]] == [
        "Maatschappelijke matching (Matchmakers)"
    ]


async def test_matchmakers_timeline_follows_the_merger_without_a_gap(
    keys: dict[str, str], client: AsyncTestClient
) -> None:
    body = await continuity(client, keys["municipality"], "GM0014", "2022-01-01")
    service = entry(body, "Maatschappelijke matching (Matchmakers)")["service"]["id"]
    response = await client.get(
        f"/api/v1/services/{service}/timeline",
        params={"municipality": "GM0014"},
        headers=bearer(keys["admin"]),
    )
    assert response.status_code == 200, response.text
    timeline = response.json()
    assert [
        (p["municipality"]["code"], p["validFrom"], p["validTo"], p["viaPredecessor"])
        for p in timeline["periods"]
    ] == [
        ("GM0017", "2015-01-01", "2019-01-01", True),
        ("GM0014", "2019-01-01", None, False),
    ]
    assert (timeline["gaps"], timeline["overlaps"]) == (0, 0)


async def test_the_demo_has_no_continuity_issues_in_groningen(
    keys: dict[str, str], client: AsyncTestClient
) -> None:
    response = await client.get(
        "/api/v1/continuity/issues",
        params={"municipality": "GM0014", "from": "2015-01-01", "to": "2024-01-01"},
        headers=bearer(keys["municipality"]),
    )
    assert response.status_code == 200, response.text
    assert response.json()["items"] == []
