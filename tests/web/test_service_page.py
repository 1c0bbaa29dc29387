"""The page of one service: providers per municipality, guarantees, yearly figures."""

from __future__ import annotations

import re
from uuid import uuid4

from app.demo.seeds import BUURTBEMIDDELING, LINK050
from app.tables.tables import Service


async def service_path(name: str) -> str:
    row = await Service.select(Service.id).where(Service.name == name).first()
    return f"/diensten/{row['id']}"


def figure_table(html: str, metric: str) -> list[tuple[str, str, str]]:
    block = re.search(
        rf'<div class="figure" data-metric="{re.escape(metric)}">(.*?)</table>', html, re.S
    )
    assert block, f"no figure for {metric}"
    return re.findall(
        r"<tr><td>(\d{4})</td><td>([^<]+)</td><td class=\"num\">([^<]+)</td></tr>", block[1]
    )


async def test_link050_shows_its_providers_its_guarantee_and_its_figures(as_role, demo) -> None:
    html = (await as_role["registrar"].get(await service_path(LINK050))).text
    assert "<h1>Link050</h1>" in html
    rows = re.findall(r'<g class="row" data-municipality="([^"]+)"', html)
    assert "Groningen (GM0014)" in rows
    groningen = html[html.index('data-municipality="Groningen (GM0014)"') :]
    assert 'data-provider="Stichting MJD"' in groningen.split('<g class="row"')[0]
    assert 'data-provider="Stichting WerkPro" data-from="2022-01-01"' in groningen
    assert "voor de komende jaren" in html
    assert ("2022", "Stichting WerkPro", "300") in figure_table(
        html, "nieuwe vrijwilligers ingeschreven"
    )
    assert ("2022", "Stichting WerkPro", "387") in figure_table(html, "ingeschreven organisaties")
    assert '<g class="handover-line" data-on="2022-01-01">' in html


async def test_buurtbemiddeling_figures(as_role, demo) -> None:
    html = (await as_role["management"].get(await service_path(BUURTBEMIDDELING))).text
    assert ("2022", "Stichting WerkPro", "158") in figure_table(html, "aangemelde buurtruzies")
    assert ("2022", "Stichting WerkPro", "110") in figure_table(html, "met succes bemiddeld")
    assert 'data-value="158"' in html  # the bar in the chart carries the same number


async def test_a_municipality_sees_only_its_own_rows(as_role, demo) -> None:
    html = (await as_role["municipality_other"].get(await service_path(LINK050))).text
    assert "Groningen (GM0014)" not in html
    assert "Deze dienst wordt volgens het register nergens geleverd." in html


async def test_an_unknown_service_is_a_dutch_404(as_role) -> None:
    response = await as_role["registrar"].get(f"/diensten/{uuid4()}")
    assert response.status_code == 404
    assert "Niet gevonden" in response.text
