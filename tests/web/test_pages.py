"""The pages, per role: what each person sees, and what they must not."""

from __future__ import annotations

import re
from uuid import uuid4

import pytest

from app.demo.seeds import EMMEN_HANDOVER_TITLE, GRONINGEN_HANDOVER_TITLE
from app.store.personal_data import NAME
from app.tables.tables import StaffTransfer
from tests.helpers import bearer
from tests.web.conftest import csrf_from

DEMO_NAME = "Anna Voorbeeld (demo)"


def svg_bars(html: str) -> list[tuple[str, str, str, str]]:
    """(service, provider, from, to) of every provider bar in the timeline."""
    bars = []
    for row in re.finditer(
        r'<g class="row" data-service="([^"]+)".*?(?=<g class="row"|</svg>)', html, re.S
    ):
        for bar in re.finditer(
            r'<g class="bar" data-provider="([^"]+)" data-from="([^"]*)" data-to="([^"]*)"',
            row.group(0),
        ):
            bars.append((row.group(1), *bar.groups()))
    return bars


async def test_dashboard_shows_each_role_its_own_handovers(as_role) -> None:
    expectations = {
        "registrar": ({GRONINGEN_HANDOVER_TITLE, EMMEN_HANDOVER_TITLE}, set()),
        "hr": ({GRONINGEN_HANDOVER_TITLE}, {EMMEN_HANDOVER_TITLE}),
        "hr_other": ({EMMEN_HANDOVER_TITLE}, {GRONINGEN_HANDOVER_TITLE}),
        "municipality": ({GRONINGEN_HANDOVER_TITLE}, {EMMEN_HANDOVER_TITLE}),
        "municipality_other": ({EMMEN_HANDOVER_TITLE}, {GRONINGEN_HANDOVER_TITLE}),
    }
    for role, (shown, hidden) in expectations.items():
        response = await as_role[role].get("/")
        assert response.status_code == 200, role
        assert '<html lang="nl">' in response.text
        for title in shown:
            assert title in response.text, (role, title)
        for title in hidden:
            assert title not in response.text, (role, title)


async def test_dashboard_lists_statuses_upcoming_dates_milestones_and_issues(as_role) -> None:
    html = (await as_role["registrar"].get("/")).text
    for heading in (
        "Overdrachten per status",
        "Komende ingangsdata",
        "Open mijlpalen",
        "Continuïteitsproblemen",
        "Tijdlijn per gemeente",
    ):
        assert heading in html
    assert "intentie getekend" in html  # the Emmen integration, still planned
    assert 'href="/gemeenten/GM0014"' in html
    municipality = (await as_role["municipality"].get("/")).text
    assert 'href="/gemeenten/GM0014"' in municipality
    assert 'href="/gemeenten/GM0114"' not in municipality


async def test_handover_page_shows_staff_names_to_hr_counts_to_management_nothing_to_municipality(
    as_role, demo_ids
) -> None:
    path = f"/overdrachten/{demo_ids['handover_id']}"
    hr = (await as_role["hr"].get(path)).text
    assert DEMO_NAME in hr
    assert "MJD-001" in hr
    assert "14 medewerkers" in hr
    management = await as_role["management"].get(path)
    assert management.status_code == 200
    assert "14 medewerkers" in management.text
    assert "9,4 fte in totaal" in management.text
    assert DEMO_NAME not in management.text
    assert "MJD-001" not in management.text
    municipality = await as_role["municipality"].get(path)
    assert municipality.status_code == 200
    assert 'id="personeel"' not in municipality.text
    assert "14 medewerkers" not in municipality.text
    assert DEMO_NAME not in municipality.text
    for html in (hr, management.text, municipality.text):
        assert "Link050" in html  # the services moved
        assert "voor de komende jaren" in html or "volle sterkte" in html  # guarantees
        assert "Geschiedenis" in html


async def test_no_staff_name_reaches_a_municipality_or_management_page(as_role, demo_ids) -> None:
    staff = await StaffTransfer.select(NAME, StaffTransfer.staff_ref)
    secrets = [s["name"] for s in staff if s["name"]] + [s["staff_ref"] for s in staff]
    paths = [
        "/",
        f"/overdrachten/{demo_ids['handover_id']}",
        "/gemeenten/GM0014",
        "/gemeenten/GM0014?op=2021-06-01",
    ]
    for role in ("municipality", "management"):
        for path in paths:
            response = await as_role[role].get(path)
            assert response.status_code == 200, (role, path)
            leaked = [s for s in secrets if s in response.text]
            assert leaked == [], (role, path)


@pytest.mark.parametrize(
    ("role", "status"),
    [("hr_other", 403), ("municipality_other", 403), ("registrar", 200), ("admin", 200)],
)
async def test_handover_page_is_scoped_like_the_api(as_role, demo_ids, role, status) -> None:
    response = await as_role[role].get(f"/overdrachten/{demo_ids['handover_id']}")
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    if status == 403:
        assert "Geen toegang" in response.text


async def test_unknown_handover_is_a_dutch_404_page(as_role) -> None:
    response = await as_role["registrar"].get(f"/overdrachten/{uuid4()}")
    assert response.status_code == 404
    assert "Niet gevonden" in response.text


async def test_timeline_shows_link050_moving_from_mjd_to_werkpro(as_role) -> None:
    response = await as_role["municipality"].get("/gemeenten/GM0014?op=2022-01-01")
    assert response.status_code == 200
    html = response.text
    link050 = [bar for bar in svg_bars(html) if bar[0] == "Link050"]
    assert ("Link050", "Stichting MJD", "2018-01-01", "2022-01-01") in link050
    assert ("Link050", "Stichting WerkPro", "2022-01-01", "") in link050
    row = re.search(r'<g class="row" data-service="Link050".*?(?=<g class="row")', html, re.S)
    assert row is not None
    assert '<g class="marker" data-on="2022-01-01">' in row.group(0)
    assert '<g class="guarantee"' in row.group(0)
    assert 'fill="url(#hatch)"' in row.group(0)
    assert '<g class="on-line" data-on="2022-01-01">' in html
    # A group, not an image: its handover markers are links a keyboard must reach.
    assert 'role="group" aria-labelledby="gantt-title" aria-describedby="gantt-desc"' in html
    assert '<label for="op">Peildatum</label>' in html
    table = re.search(r'<tr data-service="Link050" data-provider="([^"]+)"', html)
    assert table is not None
    assert table.group(1) == "Stichting WerkPro"


async def test_the_date_picker_answers_for_the_day_asked(as_role) -> None:
    html = (await as_role["municipality"].get("/gemeenten/GM0014?op=2021-12-31")).text
    table = re.search(r'<tr data-service="Link050" data-provider="([^"]+)"', html)
    assert table is not None
    assert table.group(1) == "Stichting MJD"
    assert 'value="2021-12-31"' in html


async def test_timeline_of_a_merged_municipality_is_its_successors(as_role) -> None:
    response = await as_role["municipality"].get("/gemeenten/GM0017?op=2022-01-01")
    assert response.status_code == 200
    assert "opgegaan in Groningen" in response.text
    matchmakers = [bar for bar in svg_bars(response.text) if "Matchmakers" in bar[1]]
    assert {bar[2] for bar in matchmakers} == {"2015-01-01", "2019-01-01"}


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/gemeenten/GM0114", 403),
        ("/gemeenten/GM9999", 404),
        ("/gemeenten/Groningen", 400),
        ("/gemeenten/GM0014?op=2022-13-01", 400),
    ],
)
async def test_timeline_refuses_out_of_scope_unknown_and_malformed(as_role, path, status) -> None:
    response = await as_role["municipality"].get(path)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")


async def test_static_stylesheet_is_served(anonymous) -> None:
    response = await anonymous.get("/static/style.css")
    assert response.status_code == 200
    assert ":focus-visible" in response.text


# --- staff upload ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
async def upload_handover(client, keys, demo_ids) -> str:
    """A handover of its own with Stichting WerkPro as a party, so uploads touch nothing else."""
    response = await client.post(
        "/api/v1/handovers",
        headers=bearer(keys["registrar"]),
        json={
            "title": "Webtest: personeel laden",
            "parties": [{"role": "receiving", "organisationId": demo_ids["organisation_id"]}],
        },
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def upload(client, handover_id: str, content: bytes, *, skip: bool = False, token=True):
    page = await client.get(f"/overdrachten/{handover_id}")
    data = {"_csrf_token": csrf_from(page.text)} if token else {}
    if skip:
        data["skip_invalid"] = "1"
    return await client.post(
        f"/overdrachten/{handover_id}/medewerkers",
        data=data,
        files={"file": ("personeel.csv", content, "text/csv")},
    )


async def test_upload_form_is_offered_to_hr_and_registrar_only(as_role, upload_handover) -> None:
    path = f"/overdrachten/{upload_handover}"
    for role in ("hr", "registrar", "admin"):
        assert 'enctype="multipart/form-data"' in (await as_role[role].get(path)).text, role
    management = (await as_role["management"].get(path)).text
    assert 'enctype="multipart/form-data"' not in management
    refused = await upload(as_role["management"], upload_handover, b"personeelsnummer;fte\n")
    assert refused.status_code == 403


async def test_upload_without_csrf_token_is_refused(as_role, upload_handover) -> None:
    content = b"personeelsnummer;naam;fte\nWEB-900;Niet Opgeslagen;0,5\n"
    response = await upload(as_role["hr"], upload_handover, content, token=False)
    assert response.status_code == 403
    assert not await StaffTransfer.exists().where(StaffTransfer.staff_ref == "WEB-900")


async def test_upload_with_a_bad_row_writes_nothing_and_reports_it(as_role, upload_handover):
    content = "personeelsnummer;naam;fte\nWEB-001;Goed Voorbeeld;0,8\nWEB-002;Fout Voorbeeld;veel\n"
    response = await upload(as_role["hr"], upload_handover, content.encode())
    assert response.status_code == 400
    assert "Resultaat van de import" in response.text
    assert "Er is niets opgeslagen" in response.text
    assert re.search(r"<td>3</td><td>[^<]*</td>", response.text)  # line 3 is the bad one
    assert not await StaffTransfer.exists().where(StaffTransfer.staff_ref == "WEB-001")


async def test_upload_of_a_good_file_saves_the_rows_and_shows_them(as_role, upload_handover):
    content = "\ufeffpersoneelsnummer;naam;functie;fte\nWEB-101;Web Tester;Coördinator;0,75\n"
    response = await upload(as_role["hr"], upload_handover, content.encode())
    assert response.status_code == 200
    assert "Alle rijen zijn in orde en opgeslagen." in response.text
    assert "Web Tester" in response.text  # hr of the party sees the name in the list
    row = await StaffTransfer.select().where(StaffTransfer.staff_ref == "WEB-101").first()
    assert row["fte"] == 0.75
    management = (await as_role["management"].get(f"/overdrachten/{upload_handover}")).text
    assert "Web Tester" not in management
    assert "1 medewerkers" in management


async def test_upload_of_an_unreadable_file_is_a_dutch_error(as_role, upload_handover) -> None:
    response = await upload(as_role["registrar"], upload_handover, b"\x00\x01\x02 not a sheet")
    assert response.status_code == 400
    assert "Het bestand kon niet worden gelezen." in response.text
