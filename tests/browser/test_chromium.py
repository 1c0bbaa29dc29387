"""The pages in a real headless Chromium (Debian's), against a real uvicorn serving the demo.

Screenshots of every page go to tests/artifacts/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import os

import pytest

from tests.browser.conftest import CHROMIUM, log_in, shot

pytestmark = pytest.mark.skipif(
    not os.path.exists(CHROMIUM), reason=f"Debian's chromium is not installed at {CHROMIUM}"
)


async def test_hr_logs_in_opens_every_page_and_uploads_a_staff_file(server, browser) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = await context.new_page()

    await page.goto(f"{server}/inloggen")
    await page.keyboard.press("Tab")
    focused = await page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Naar de inhoud"  # the skip link comes first
    await page.get_by_label("Gebruikersnaam").fill("demo-hr")
    await page.get_by_label("Wachtwoord").fill("not the password")
    await page.get_by_role("button", name="Inloggen").click()
    await page.get_by_role("alert").wait_for()
    assert "Gebruikersnaam of wachtwoord onjuist." in await page.get_by_role("alert").inner_text()
    await shot(page, "login")

    await log_in(page, server, "demo-hr")
    assert await page.get_by_role("heading", name="Overzicht", exact=True).is_visible()
    await shot(page, "dashboard")

    await page.get_by_role(
        "link", name="Welzijnsactiviteiten MJD naar WerkPro (Groningen)"
    ).first.click()
    await page.wait_for_url(f"{server}/overdrachten/*")
    assert await page.get_by_role("heading", name="Medewerkers").is_visible()
    assert await page.get_by_text("Anna Voorbeeld (demo)").is_visible()
    await shot(page, "handover")

    csv = (
        "\ufeffpersoneelsnummer;naam;functie;fte;status\n"
        "WP-900;Browser Test;Coördinator;0,8;voorgesteld\n"
    )
    await page.get_by_label("Bestand").set_input_files(
        files=[{"name": "personeel.csv", "mimeType": "text/csv", "buffer": csv.encode()}]
    )
    await page.get_by_role("button", name="Laden").click()
    report = page.locator("#importrapport")
    await report.wait_for()
    assert "Alle rijen zijn in orde en opgeslagen." in await report.inner_text()
    assert await page.get_by_role("cell", name="Browser Test").is_visible()
    await shot(page, "handover-upload")

    await page.goto(f"{server}/gemeenten/GM0014?op=2022-01-01")
    bars = page.locator('svg.gantt g.row[data-service="Link050"] g.bar')
    assert await bars.count() == 2
    found = [
        (
            await bars.nth(i).get_attribute("data-provider"),
            await bars.nth(i).get_attribute("data-from"),
            await bars.nth(i).get_attribute("data-to"),
            await bars.nth(i).locator("title").text_content(),
        )
        for i in range(2)
    ]
    (mjd,) = [b for b in found if b[0] == "Stichting MJD"]
    (werkpro,) = [b for b in found if b[0] == "Stichting WerkPro"]
    assert mjd[2] == "2022-01-01"
    assert "tot" not in mjd[3]
    assert "1 januari 2022" in mjd[3]
    assert werkpro[1] == "2022-01-01"
    assert werkpro[2] == ""
    assert "1 januari 2022 – open einde" in werkpro[3]
    # The switch is drawn where it happens: MJD's bar ends where WerkPro's begins.
    mjd_box = await bars.filter(has=page.locator("title", has_text="Stichting MJD")).bounding_box()
    werkpro_box = await bars.filter(
        has=page.locator("title", has_text="Stichting WerkPro")
    ).bounding_box()
    assert abs(mjd_box["x"] + mjd_box["width"] - werkpro_box["x"]) < 1.5
    marker = page.locator('svg.gantt g.row[data-service="Link050"] g.marker')
    assert await marker.get_attribute("data-on") == "2022-01-01"
    row = page.locator('tr[data-service="Link050"]')
    assert await row.get_attribute("data-provider") == "Stichting WerkPro"
    await shot(page, "gemeente")

    await page.get_by_label("Peildatum", exact=True).fill("2021-12-31")
    await page.get_by_role("button", name="Toon").click()
    await page.wait_for_url(f"{server}/gemeenten/GM0014?op=2021-12-31")
    assert await row.get_attribute("data-provider") == "Stichting MJD"
    await shot(page, "gemeente-2021-12-31")

    phone = await browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True
    )
    await phone.add_cookies(await context.cookies())
    mobile = await phone.new_page()
    await mobile.goto(f"{server}/gemeenten/GM0014?op=2022-01-01")
    width = await mobile.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # the page does not scroll sideways; only the chart's own box does
    await shot(mobile, "gemeente-mobiel")
    await mobile.goto(f"{server}/")
    await shot(mobile, "dashboard-mobiel")
    await phone.close()

    await page.get_by_role("button", name="Uitloggen").click()
    await page.wait_for_url(f"{server}/inloggen")
    await context.close()


async def test_a_registrar_reaches_piccolo_admin_with_the_same_login(server, browser) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    await log_in(page, server, "demo-registrar")
    assert await page.get_by_role("link", name="Beheer").is_visible()
    await shot(page, "dashboard-registrar")
    await page.goto(f"{server}/admin/")
    await page.get_by_text("handover", exact=False).first.wait_for()
    tables = await page.evaluate("fetch('/admin/api/tables/').then(r => r.json())")
    assert "handover" in tables
    await shot(page, "admin")
    await context.close()
