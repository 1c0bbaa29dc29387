"""The forms in a real headless Chromium against a real uvicorn serving the demo: a
registrar records the Emmen integration of seed 003 from an empty form and takes it to
effective, HR sets three staff transfers at once, a stale edit is refused, and a
municipality sees no form. Every page passes axe-core's WCAG 2.1 AA rules and fits a
390 px phone; screenshots of each form, empty and with errors, go to tests/artifacts/forms/.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from app.demo.seeds import (
    BUURTSUPPORT_SERVICE,
    EMMEN_HANDOVER_TITLE,
    GRONINGEN_HANDOVER_TITLE,
)
from tests.browser.conftest import ARTIFACTS, CHROMIUM, log_in

pytestmark = pytest.mark.skipif(
    not os.path.exists(CHROMIUM), reason=f"Debian's chromium is not installed at {CHROMIUM}"
)

FORMS = ARTIFACTS / "forms"
WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
TITLE = "Integratie Buurtsupport in het Emmens Werkbedrijf (via het formulier)"
#: The elements that stick out on the right, to say what makes a page too wide.
WIDER_THAN_THE_SCREEN = """() => [...document.querySelectorAll('body *')]
  .filter(e => !(e.parentElement && e.parentElement.closest('.chart-scroll, .table-scroll')))
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .slice(0, 8)
  .map(e => `${e.tagName}.${e.getAttribute("class")}`)"""
#: Where forms post to that have no page of their own.
POSTED_TO = ("/stap", "/mijlpalen", "/garanties", "/cijfers", "/leveringen", "/status")
#: Every page a form lives on, visited again on a phone.
visited: set[str] = set()


async def accessible(page) -> None:
    """axe-core's WCAG 2.1 A and AA rules: no violation at all."""
    from axe_playwright_python.async_playwright import Axe

    results = await Axe().run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
    visited.add(page.url.split("#")[0])


async def form_shot(page, name: str, selector: str = "main") -> None:
    """The form only (not the whole page), so the pictures stay small."""
    FORMS.mkdir(parents=True, exist_ok=True)
    await page.locator(selector).first.screenshot(path=str(FORMS / f"{name}.png"))


async def reachable_by_keyboard(page, selector: str) -> None:
    """Tab from the top reaches every control of the form, in the order they stand."""
    controls = await page.locator(
        f"{selector} :is(input:not([type=hidden]), select, textarea, button)"
    ).count()
    assert controls
    await page.locator("body").focus()
    seen = 0
    for _ in range(400):
        await page.keyboard.press("Tab")
        inside = await page.evaluate(
            "s => { const f = document.querySelector(s);"
            " return !!f && f.contains(document.activeElement) }",
            selector,
        )
        seen += inside
        if seen == controls:
            return
    pytest.fail(f"only {seen} of {controls} controls of {selector} are reachable by Tab")


async def take_step(page, label: str, on: str, note: str) -> None:
    await page.get_by_label("Datum van de stap").fill(on)
    await page.get_by_label("Toelichting").first.fill(note)
    await page.get_by_role("button", name=label).click()
    await page.get_by_role("status").filter(has_text="Opgeslagen.").wait_for()


async def test_a_registrar_records_the_emmen_integration_from_an_empty_form(
    server, browser
) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = await context.new_page()
    await page.goto(f"{server}/inloggen")
    await accessible(page)
    await log_in(page, server, "demo-registrar")
    await accessible(page)
    await page.get_by_role("link", name="Nieuwe overdracht vastleggen").click()
    await page.wait_for_url(f"{server}/overdrachten/nieuw")
    await accessible(page)
    await reachable_by_keyboard(page, "main form")
    await form_shot(page, "nieuwe-overdracht-leeg")

    # Sent empty: the summary on top, a message beside the title, nothing saved.
    await page.get_by_role("button", name="Overdracht vastleggen").click()
    await page.get_by_role("alert").wait_for()
    assert "Vul een titel in." in await page.get_by_role("alert").inner_text()
    await accessible(page)
    await form_shot(page, "nieuwe-overdracht-fouten")
    await page.get_by_role("link", name="Vul een titel in.").click()
    assert await page.evaluate("document.activeElement.name") == "title"

    await page.get_by_label("Titel").fill(TITLE)
    await page.get_by_label("Soort").select_option("integration")
    await page.get_by_label("Geplande ingangsdatum").fill("2020-01-01")
    parties = [
        ("source", "Buurtsupport", None, None),
        ("receiving", "Emmens Werkbedrijf", None, None),
        ("other", "Emco", None, None),
        ("other", "Menso", None, None),
        ("municipality", None, "GM0114", "directing"),
    ]
    for i, (role, organisation, code, involvement) in enumerate(parties):
        await page.locator(f'select[name="parties[{i}].role"]').select_option(role)
        if organisation:
            await page.locator(f'select[name="parties[{i}].organisationId"]').select_option(
                label=organisation
            )
        if code:
            await page.locator(f'select[name="parties[{i}].municipalityCode"]').select_option(code)
            await page.locator(f'select[name="parties[{i}].involvement"]').select_option(
                involvement
            )
    await page.locator('select[name="services[0].serviceId"]').select_option(
        label=BUURTSUPPORT_SERVICE
    )
    await page.locator('select[name="services[0].municipalityCode"]').select_option("GM0114")
    await page.locator('select[name="services[0].fromOrganisationId"]').select_option(
        label="Buurtsupport"
    )
    await page.get_by_role("button", name="Overdracht vastleggen").click()
    await page.get_by_role("heading", name=TITLE).wait_for()
    handover_url = page.url.split("?")[0]
    main = await page.locator("main").inner_text()
    for name in ("Buurtsupport", "Emmens Werkbedrijf", "Emco", "Menso", "Gemeente Emmen"):
        assert name in main
    assert "regie" in main
    await accessible(page)
    await form_shot(page, "levensloop-leeg", "#stap")

    # A step without a date comes back with the message beside the date.
    await page.get_by_label("Datum van de stap").fill("")
    await page.get_by_role("button", name="Naar ‘intentie getekend’").click()
    await page.get_by_role("alert").wait_for()
    assert "Vul de datum van deze stap in." in await page.locator("#stap").inner_text()
    await accessible(page)
    await form_shot(page, "levensloop-fouten", "#stap")

    await take_step(page, "Naar ‘intentie getekend’", "2019-06-17", "Intentieverklaring getekend")
    # Cancelling asks first; saying no leaves the handover as it is.
    await page.get_by_role("button", name="Annuleren…").click()
    await page.get_by_role("heading", name="Weet u zeker").wait_for()
    await accessible(page)
    await form_shot(page, "annuleren-bevestigen")
    await page.get_by_role("link", name="Nee, terug naar de overdracht").click()
    await page.wait_for_url(handover_url)
    await take_step(page, "Naar ‘overeengekomen’", "2019-11-01", "Plan van aanpak vastgesteld")
    # The last step by keyboard only: type the date, Tab to the button, Enter.
    await page.get_by_label("Datum van de stap").fill("2020-01-01")
    await page.get_by_label("Datum van de stap").focus()
    for _ in range(10):
        await page.keyboard.press("Tab")
        if (await page.evaluate("document.activeElement.value")) == "effective":
            break
    await page.keyboard.press("Enter")
    await page.get_by_role("status").filter(has_text="Opgeslagen.").wait_for()
    assert "van kracht" in await page.locator(".meta").inner_text()

    # Milestones and guarantees: the empty forms and their errors.
    await form_shot(page, "mijlpaal-leeg", "#mijlpaal-nieuw")
    await page.get_by_role("button", name="Mijlpaal toevoegen").click()
    await page.locator("#mijlpaal-nieuw .error-summary").wait_for()
    await accessible(page)
    await form_shot(page, "mijlpaal-fouten", "#mijlpaal-nieuw")
    await (
        page.locator("#mijlpaal-nieuw").get_by_label("Wat moet er gebeuren").fill("Plan van aanpak")
    )
    await page.get_by_role("button", name="Mijlpaal toevoegen").click()
    await page.get_by_role("button", name="Markeer ‘Plan van aanpak’ als afgerond").click()
    await page.get_by_text("afgerond", exact=False).first.wait_for()
    await form_shot(page, "garantie-leeg", "#garantie-nieuw")
    await page.get_by_role("button", name="Garantie toevoegen").click()
    await page.locator("#garantie-nieuw .error-summary").wait_for()
    await accessible(page)
    await form_shot(page, "garantie-fouten", "#garantie-nieuw")

    # The municipality page: Buurtsupport's service with the Emmens Werkbedrijf from then.
    await page.goto(f"{server}/gemeenten/GM0114?op=2020-01-01")
    row = page.locator(f'g.row[data-service="{BUURTSUPPORT_SERVICE}"]')
    assert await row.locator('g.bar[data-provider="Buurtsupport"]').get_attribute("data-to") == (
        "2020-01-01"
    )
    moved = row.locator('g.bar[data-provider="Emmens Werkbedrijf"]')
    assert await moved.get_attribute("data-from") == "2020-01-01"
    table_row = page.locator(f'tr[data-service="{BUURTSUPPORT_SERVICE}"]')
    assert await table_row.get_attribute("data-provider") == "Emmens Werkbedrijf"
    await accessible(page)

    # A stale edit: two tabs open the edit form; the second to save is refused.
    first, second = page, await context.new_page()
    for tab in (first, second):
        await tab.goto(f"{handover_url}/bewerken")
    await accessible(first)
    await form_shot(first, "overdracht-bewerken")
    await first.get_by_label("Titel").fill(TITLE + " (1)")
    await first.get_by_role("button", name="Wijzigingen opslaan").click()
    await first.get_by_role("status").filter(has_text="Opgeslagen.").wait_for()
    await second.get_by_label("Titel").fill(TITLE + " (2)")
    await second.get_by_role("button", name="Wijzigingen opslaan").click()
    await second.get_by_role("alert").wait_for()
    assert "Iemand anders heeft dit intussen gewijzigd" in (
        await second.get_by_role("alert").inner_text()
    )
    assert await second.get_by_label("Titel").input_value() == TITLE + " (1)"
    await accessible(second)
    await form_shot(second, "overdracht-bewerken-verouderd")
    await second.close()

    # The service page with its forms.
    await page.goto(handover_url)
    await page.get_by_role("link", name=BUURTSUPPORT_SERVICE).first.click()
    await page.get_by_role("heading", name=BUURTSUPPORT_SERVICE).wait_for()
    await accessible(page)
    await form_shot(page, "cijfer-leeg", "#cijfer-nieuw")
    await page.get_by_role("button", name="Cijfer toevoegen").click()
    await page.locator("#cijfer-nieuw .error-summary").wait_for()
    await accessible(page)
    await form_shot(page, "cijfer-fouten", "#cijfer-nieuw")
    await form_shot(page, "levering-leeg", "#levering-nieuw")
    await page.goto(f"{server}/diensten/nieuw")
    await accessible(page)
    await form_shot(page, "dienst-leeg")
    await page.get_by_role("button", name="Dienst vastleggen").click()
    await page.get_by_role("alert").wait_for()
    await accessible(page)
    await form_shot(page, "dienst-fouten")
    await page.goto(f"{server}/organisaties/nieuw")
    await accessible(page)
    await reachable_by_keyboard(page, "main form")
    await form_shot(page, "organisatie-leeg")
    await page.get_by_label("KvK-nummer").fill("1234")
    await page.get_by_role("button", name="Organisatie vastleggen").click()
    await page.get_by_role("alert").wait_for()
    await accessible(page)
    await form_shot(page, "organisatie-fouten")
    await page.get_by_label("Naam", exact=True).fill("Haren Tynaarlose Uitdaging (formulier)")
    await page.get_by_label("KvK-nummer").fill("")
    await page.get_by_role("button", name="Organisatie vastleggen").click()
    await page.get_by_role("status").filter(has_text="Opgeslagen.").wait_for()
    await accessible(page)
    await form_shot(page, "organisatie-bewerken")
    await page.get_by_role("link", name="Onderdeel van … vastleggen").click()
    await page.get_by_role("button", name="Verband vastleggen").click()
    await page.get_by_role("alert").wait_for()
    await accessible(page)
    await form_shot(page, "organisatie-verband-fouten")
    await phone_check(browser, context, server)
    await context.close()


async def phone_check(browser, desktop, server: str) -> None:
    """Every page visited above, on a 390 px phone: no sideways scrolling, no violation."""
    phone = await browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=1, is_mobile=True
    )
    await phone.add_cookies(await desktop.cookies())
    page = await phone.new_page()
    for url in sorted(visited):
        if url.endswith(POSTED_TO):
            continue  # a form's answer, not a page to open
        await page.goto(url)
        width = await page.evaluate("document.documentElement.scrollWidth")
        wide = await page.evaluate(WIDER_THAN_THE_SCREEN) if width > 390 else []
        assert width <= 390, f"{url} is {width} px wide on a 390 px phone: {wide}"
        await accessible(page)
    await page.goto(f"{server}/overdrachten/nieuw")
    FORMS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(FORMS / "nieuwe-overdracht-mobiel.png"))
    await phone.close()


def create_person(env: dict[str, str], username: str, role: str, organisation: str) -> None:
    """With the CLI, as an administrator would: ``handover user create``."""
    subprocess.run(
        [
            *(sys.executable, "-m", "app.cli", "user", "create", "--username", username),
            *("--role", role, "--organisation", organisation),
        ],
        input=f"{username}\n{username}\n",
        env=env,
        cwd=env["HANDOVER_DATABASE_URL"].removeprefix("sqlite:///").rsplit("/", 1)[0],
        check=True,
        capture_output=True,
        text=True,
    )


async def test_hr_sets_three_staff_transfers_to_transferred_in_one_go(
    server, demo_server, browser
) -> None:
    # HR of Buurtsupport, whose three employees (seed 003) are still to move.
    create_person(demo_server[1], "hr-buurtsupport", "hr", "Buurtsupport")
    context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = await context.new_page()
    await log_in(page, server, "hr-buurtsupport")
    await accessible(page)
    await page.get_by_role("link", name=EMMEN_HANDOVER_TITLE, exact=True).first.click()
    await page.get_by_role("heading", name=EMMEN_HANDOVER_TITLE, exact=True).wait_for()
    await accessible(page)
    form = "form[action$='/medewerkers/status#medewerkers']"
    await form_shot(page, "medewerkers-status-leeg", form)
    await page.get_by_role("button", name="Status zetten").click()
    await page.get_by_role("alert").first.wait_for()
    await accessible(page)
    await form_shot(page, "medewerkers-status-fouten", form)

    rows = page.locator(f"{form} tbody tr")
    chosen = []
    for i in range(await rows.count()):
        status = (await rows.nth(i).locator("td").nth(7).inner_text()).strip()
        if status not in {"overgegaan", "afgezien"}:
            chosen.append((await rows.nth(i).locator("td").nth(1).inner_text()).strip())
        if len(chosen) == 3:
            break
    assert len(chosen) == 3
    for ref in chosen:
        await page.get_by_label(f"Selecteer {ref}", exact=True).check()
    await page.get_by_label("Nieuwe status voor de geselecteerde medewerkers").select_option(
        "transferred"
    )
    await page.get_by_role("button", name="Status zetten").click()
    await page.get_by_role("status").filter(has_text="Opgeslagen.").wait_for()
    for ref in chosen:
        row = page.locator(f"{form} tbody tr").filter(has_text=ref)
        assert (await row.locator("td").nth(7).inner_text()).strip() == "overgegaan"

    await page.get_by_role("link", name=chosen[0], exact=True).click()  # the right of access
    await page.get_by_role("heading", level=1).wait_for()
    await accessible(page)
    await page.go_back()
    await page.get_by_role("link", name=f"Bewerken {chosen[0]}").click()
    await page.get_by_role("heading", name=f"Overgang van medewerker {chosen[0]}").wait_for()
    await accessible(page)
    await reachable_by_keyboard(page, "main form")
    await form_shot(page, "medewerker-leeg")
    await page.get_by_label("Fte").fill("2")
    await page.get_by_role("button", name="Opslaan").click()
    await page.get_by_role("alert").wait_for()
    await accessible(page)
    await form_shot(page, "medewerker-fouten")
    await context.close()


async def test_a_municipality_sees_no_form(server, browser) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = await context.new_page()
    await log_in(page, server, "demo-gemeente")
    await accessible(page)
    assert await page.get_by_role("link", name="Nieuwe overdracht vastleggen").count() == 0
    await page.get_by_role("link", name=GRONINGEN_HANDOVER_TITLE).first.click()
    await page.get_by_role("heading", name=GRONINGEN_HANDOVER_TITLE).wait_for()
    assert await page.locator("main form").count() == 0
    assert await page.get_by_role("button", name="Status zetten").count() == 0
    await page.get_by_role("link", name="Link050").first.click()
    await page.get_by_role("heading", name="Link050").wait_for()
    assert await page.locator("main form:not(.datepicker)").count() == 0
    await accessible(page)
    await page.goto(f"{server}/overdrachten/nieuw")
    assert "Geen toegang" in await page.locator("main").inner_text()
    await accessible(page)
    await context.close()


async def test_the_admins_subscriptions_page_is_accessible_on_a_phone_too(server, browser) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = await context.new_page()
    await log_in(page, server, "demo-admin", next_path="/beheer/abonnementen")
    await page.get_by_role("heading", name="Abonnementen", level=1).wait_for()
    await accessible(page)
    phone = await browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=1, is_mobile=True
    )
    await phone.add_cookies(await context.cookies())
    small = await phone.new_page()
    await small.goto(f"{server}/beheer/abonnementen")
    width = await small.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, await small.evaluate(WIDER_THAN_THE_SCREEN)
    await accessible(small)
    await phone.close()
    await context.close()
