"""The registrar's handover forms, through the real app and database: a new handover,
its lifecycle steps, a stale edit, milestones and guarantees, and who sees no form.

Each test makes its own organisations, service and provision (names with a uuid suffix),
so the demo cases stay as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from html import unescape
from uuid import UUID, uuid4

import pytest

from app.handovers import service
from app.store import records
from app.tables.tables import (
    Handover,
    HandoverParty,
    HandoverService,
    Milestone,
    Municipality,
    Organisation,
    Provision,
    Service,
)
from tests.web.conftest import csrf_from


@dataclass
class Case:
    source: UUID
    receiving: UUID
    service: UUID
    suffix: str


@pytest.fixture
async def case(demo: None) -> Case:
    suffix = uuid4().hex[:8]
    source = await records.create(Organisation, {"name": f"Bron {suffix}"}, actor="test")
    receiving = await records.create(Organisation, {"name": f"Ontvanger {suffix}"}, actor="test")
    moved = await records.create(Service, {"name": f"Dienst {suffix}"}, actor="test")
    municipality = (
        await Municipality.select(Municipality.id).where(Municipality.code == "GM0114").first()
    )
    await records.create(
        Provision,
        {
            "service": moved["id"],
            "municipality": municipality["id"],
            "organisation": source["id"],
            "valid_from": date(2015, 1, 1),
        },
        actor="test",
    )
    return Case(source["id"], receiving["id"], moved["id"], suffix)


def filled_form(case: Case, title: str) -> dict[str, str]:
    return {
        "title": title,
        "kind": "integration",
        "effectiveOn": "2020-01-01",
        "parties[0].role": "source",
        "parties[0].organisationId": str(case.source),
        "parties[1].role": "receiving",
        "parties[1].organisationId": str(case.receiving),
        "parties[3].role": "municipality",
        "parties[3].municipalityCode": "GM0114",
        "parties[3].involvement": "directing",
        "services[0].serviceId": str(case.service),
        "services[0].municipalityCode": "GM0114",
        "services[0].fromOrganisationId": str(case.source),
    }


async def post_form(client, path: str, data: dict[str, str], page: str | None = None):
    form = await client.get(page or path)
    assert form.status_code == 200, form.text
    return await client.post(
        path, data={**data, "_csrf_token": csrf_from(form.text)}, follow_redirects=False
    )


def message_beside(html: str, name: str) -> str:
    """The Dutch message shown beside input ``name`` (by its element id)."""
    element = "f-" + re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-")
    found = re.search(rf'<p class="field-error" id="{element}-fout">(.*?)</p>', html, re.S)
    assert found, f"no message beside {name}"
    return unescape(re.sub(r"<[^>]+>", "", found.group(1))).replace("Fout: ", "").strip()


async def create_through_form(client, case: Case, title: str) -> UUID:
    response = await post_form(client, "/overdrachten/nieuw", filled_form(case, title))
    assert response.status_code == 303, response.text
    return UUID(re.search(r"/overdrachten/([0-9a-f-]{36})", response.headers["location"])[1])


async def test_a_new_handover_from_the_empty_form(as_role, case: Case) -> None:
    client = as_role["registrar"]
    empty = await client.get("/overdrachten/nieuw")
    assert empty.status_code == 200
    assert "Nieuwe overdracht vastleggen" in empty.text
    assert 'name="parties[4].involvement"' in empty.text

    handover_id = await create_through_form(client, case, f"Integratie {case.suffix}")
    handover = await records.get_row(Handover, handover_id)
    assert (handover["status"], handover["kind"]) == ("proposed", "integration")
    assert handover["effective_on"] == date(2020, 1, 1)
    parties = await HandoverParty.select().where(HandoverParty.handover == handover_id)
    assert sorted((p["role"], p["involvement"]) for p in parties) == [
        ("municipality", "directing"),
        ("receiving", None),
        ("source", None),
    ]
    moved = await HandoverService.select().where(HandoverService.handover == handover_id)
    assert [(m["service"], m["from_organisation"]) for m in moved] == [(case.service, case.source)]
    page = await client.get(f"/overdrachten/{handover_id}?opgeslagen=1")
    assert "Opgeslagen." in page.text
    assert "Naar ‘intentie getekend’" in page.text


async def test_wrong_fields_come_back_with_dutch_messages_and_the_values_kept(
    as_role, case: Case
) -> None:
    client = as_role["registrar"]
    data = filled_form(case, "")
    data["effectiveOn"] = "1-1-2020"
    response = await post_form(client, "/overdrachten/nieuw", data)
    assert response.status_code == 400
    assert "Er ging iets mis" in response.text
    assert message_beside(response.text, "title") == "Vul een titel in."
    assert message_beside(response.text, "effectiveOn").startswith("Vul een datum in als JJJJ")
    assert 'value="1-1-2020"' in response.text
    assert f'<option value="{case.receiving}" selected>' in response.text


async def test_a_refused_rule_is_shown_beside_its_row_and_nothing_is_saved(
    as_role, case: Case
) -> None:
    client = as_role["registrar"]
    title = f"Twee ontvangers {case.suffix}"
    data = filled_form(case, title)
    data["parties[0].role"] = "receiving"  # rows 0 and 1 both receiving: the second refused
    response = await post_form(client, "/overdrachten/nieuw", data)
    assert response.status_code == 400
    assert message_beside(response.text, "parties[1].role") == (
        "Een overdracht heeft ten hoogste één ontvangende partij."
    )
    assert not await Handover.exists().where(Handover.title == title)


async def test_lifecycle_buttons_take_it_to_effective_and_move_the_provision(
    as_role, case: Case
) -> None:
    client = as_role["registrar"]
    handover_id = await create_through_form(client, case, f"Levensloop {case.suffix}")
    path = f"/overdrachten/{handover_id}"
    for target, on in (
        ("intent_signed", "2019-06-17"),
        ("agreed", "2019-11-01"),
        ("effective", "2020-01-01"),
    ):
        page = await client.get(path)
        version = await records.get_row(Handover, handover_id)
        assert f'name="to" value="{target}"' in page.text
        response = await client.post(
            f"{path}/stap",
            data={
                "to": target,
                "on": on,
                "note": f"stap {target}",
                "version": str(version["version"]),
                "_csrf_token": csrf_from(page.text),
            },
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
    assert (await records.get_row(Handover, handover_id))["status"] == "effective"
    provisions = await Provision.select().where(Provision.service == case.service)
    periods = sorted((p["organisation"], p["valid_from"], p["valid_to"]) for p in provisions)
    assert (case.source, date(2015, 1, 1), date(2020, 1, 1)) in periods
    assert (case.receiving, date(2020, 1, 1), None) in periods
    page = await client.get(path)
    assert 'value="completed"' in page.text
    assert 'value="cancelled"' not in page.text  # too late to cancel once effective


async def test_a_step_not_legal_now_is_refused_in_dutch(as_role, case: Case) -> None:
    client = as_role["registrar"]
    handover_id = await create_through_form(client, case, f"Overslaan {case.suffix}")
    version = (await records.get_row(Handover, handover_id))["version"]
    response = await post_form(
        client,
        f"/overdrachten/{handover_id}/stap",
        {"to": "effective", "on": "2020-01-01", "version": str(version)},
        page=f"/overdrachten/{handover_id}",
    )
    assert response.status_code == 409
    assert message_beside(response.text, "to") == (
        "Deze stap is vanuit de huidige status niet (meer) mogelijk."
    )
    assert (await records.get_row(Handover, handover_id))["status"] == "proposed"


async def test_cancelling_asks_to_confirm_first(as_role, case: Case) -> None:
    client = as_role["registrar"]
    handover_id = await create_through_form(client, case, f"Annuleren {case.suffix}")
    version = str((await records.get_row(Handover, handover_id))["version"])
    data = {"to": "cancelled", "on": "2019-07-01", "note": "gaat niet door", "version": version}
    page = f"/overdrachten/{handover_id}"
    asked = await post_form(client, f"{page}/stap", data, page=page)
    assert asked.status_code == 200
    assert "Weet u zeker dat u" in asked.text
    assert (await records.get_row(Handover, handover_id))["status"] == "proposed"
    confirmed = await client.post(
        f"{page}/stap",
        data={**data, "confirmed": "1", "_csrf_token": csrf_from(asked.text)},
        follow_redirects=False,
    )
    assert confirmed.status_code == 303
    assert (await records.get_row(Handover, handover_id))["status"] == "cancelled"


async def test_a_stale_edit_is_refused_and_shows_the_current_values(as_role, case: Case) -> None:
    client = as_role["registrar"]
    handover_id = await create_through_form(client, case, f"Oud {case.suffix}")
    path = f"/overdrachten/{handover_id}/bewerken"
    form = await client.get(path)
    shown = re.search(r'name="version" value="(\d+)"', form.text)[1]
    # Meanwhile someone else renames it.
    await service.update_handover(
        handover_id, {"title": f"Intussen {case.suffix}"}, "registrar:ander", f'"{shown}"'
    )
    response = await client.post(
        path,
        data={
            "title": f"Mijn titel {case.suffix}",
            "kind": "integration",
            "version": shown,
            "_csrf_token": csrf_from(form.text),
        },
        follow_redirects=False,
    )
    assert response.status_code == 409
    assert "Iemand anders heeft dit intussen gewijzigd" in response.text
    assert f'value="Intussen {case.suffix}"' in response.text
    assert f"Mijn titel {case.suffix}" not in response.text
    assert (await records.get_row(Handover, handover_id))["title"] == f"Intussen {case.suffix}"


async def test_an_edit_on_the_current_version_is_saved(as_role, case: Case) -> None:
    client = as_role["registrar"]
    handover_id = await create_through_form(client, case, f"Bewerk {case.suffix}")
    path = f"/overdrachten/{handover_id}/bewerken"
    form = await client.get(path)
    shown = re.search(r'name="version" value="(\d+)"', form.text)[1]
    response = await client.post(
        path,
        data={
            "title": f"Nieuw {case.suffix}",
            "kind": "merger",
            "effectiveOn": "2020-02-01",
            "version": shown,
            "_csrf_token": csrf_from(form.text),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    row = await records.get_row(Handover, handover_id)
    assert (row["title"], row["kind"], row["effective_on"]) == (
        f"Nieuw {case.suffix}",
        "merger",
        date(2020, 2, 1),
    )


async def test_milestones_are_added_and_marked_done(as_role, case: Case) -> None:
    client = as_role["registrar"]
    handover_id = await create_through_form(client, case, f"Mijlpalen {case.suffix}")
    page = f"/overdrachten/{handover_id}"
    version = str((await records.get_row(Handover, handover_id))["version"])
    missing = await post_form(
        client, f"{page}/mijlpalen", {"title": "", "version": version}, page=page
    )
    assert missing.status_code == 400
    assert message_beside(missing.text, "title") == "Vul in wat er moet gebeuren."
    added = await post_form(
        client,
        f"{page}/mijlpalen",
        {"title": "Plan van aanpak", "kind": "other", "dueOn": "2019-10-01", "version": version},
        page=page,
    )
    assert added.status_code == 303
    milestone = await Milestone.select().where(Milestone.handover == handover_id).first()
    assert milestone["title"] == "Plan van aanpak"
    version = str((await records.get_row(Handover, handover_id))["version"])
    done = await post_form(
        client,
        f"{page}/mijlpalen/{milestone['id']}/afgerond",
        {"doneOn": "2019-09-20", "version": version},
        page=page,
    )
    assert done.status_code == 303
    assert (await records.get_row(Milestone, milestone["id"]))["done_on"] == date(2019, 9, 20)


async def test_a_guarantee_needs_an_end_or_a_review_date(as_role, case: Case) -> None:
    client = as_role["registrar"]
    handover_id = await create_through_form(client, case, f"Garantie {case.suffix}")
    page = f"/overdrachten/{handover_id}"
    version = str((await records.get_row(Handover, handover_id))["version"])
    data = {"serviceId": str(case.service), "municipalityCode": "GM0114", "version": version}
    refused = await post_form(client, f"{page}/garanties", data, page=page)
    assert refused.status_code == 400
    assert message_beside(refused.text, "until").startswith("Vul een einddatum in")
    saved = await post_form(
        client,
        f"{page}/garanties",
        {**data, "reviewOn": "2022-01-01", "fullStrength": "1", "text": "op volle sterkte"},
        page=page,
    )
    assert saved.status_code == 303
    detail = await client.get(page)
    assert "op volle sterkte" in detail.text


@pytest.mark.parametrize("role", ["municipality", "management"])
async def test_people_who_may_not_edit_see_no_form_and_are_refused(
    as_role, demo_ids, role: str
) -> None:
    client = as_role[role]
    dashboard = await client.get("/")
    assert "/overdrachten/nieuw" not in dashboard.text
    path = f"/overdrachten/{demo_ids['handover_id']}"
    page = await client.get(path)
    assert page.status_code == 200
    assert page.text.count("<form") == 1  # logging out only
    assert (await client.get("/overdrachten/nieuw")).status_code == 403
    refused = await client.post(
        f"{path}/stap",
        data={"to": "completed", "on": "2022-06-01", "_csrf_token": csrf_from(page.text)},
    )
    assert refused.status_code == 403
    assert "Geen toegang" in refused.text


async def test_a_form_without_its_csrf_token_is_refused(as_role) -> None:
    response = await as_role["registrar"].post("/overdrachten/nieuw", data={"title": "x"})
    assert response.status_code == 403


async def test_parties_and_services_are_added_while_planned(as_role, case: Case) -> None:
    client = as_role["registrar"]
    handover_id = await create_through_form(client, case, f"Aanvullen {case.suffix}")
    page = f"/overdrachten/{handover_id}"
    version = str((await records.get_row(Handover, handover_id))["version"])
    second = await post_form(
        client,
        f"{page}/partijen",
        {"party.role": "receiving", "party.organisationId": str(case.source), "version": version},
        page=page,
    )
    assert second.status_code == 409
    assert message_beside(second.text, "party.role") == (
        "Een overdracht heeft ten hoogste één ontvangende partij."
    )
    other = await records.create(Organisation, {"name": f"Netwerk {case.suffix}"}, actor="test")
    added = await post_form(
        client,
        f"{page}/partijen",
        {"party.role": "other", "party.organisationId": str(other["id"]), "version": version},
        page=page,
    )
    assert added.status_code == 303, added.text
    version = str((await records.get_row(Handover, handover_id))["version"])
    again = await post_form(
        client,
        f"{page}/diensten",
        {
            "moved.serviceId": str(case.service),
            "moved.municipalityCode": "GM0114",
            "version": version,
        },
        page=page,
    )
    assert again.status_code == 409
    assert message_beside(again.text, "moved.serviceId") == (
        "Deze dienst gaat in deze gemeente al over met deze overdracht."
    )
    stale = await post_form(
        client,
        f"{page}/partijen",
        {
            "party.role": "municipality",
            "party.municipalityCode": "GM0014",
            "party.involvement": "informed",
            "version": "1",
        },
        page=page,
    )
    assert stale.status_code == 409
    assert "Iemand anders heeft dit intussen gewijzigd" in stale.text
    parties = await HandoverParty.select().where(HandoverParty.handover == handover_id)
    assert sorted(p["role"] for p in parties) == ["municipality", "other", "receiving", "source"]
