"""The API docs page works without internet: every request not to 127.0.0.1 is aborted."""

from __future__ import annotations

from urllib.parse import urlsplit


async def test_docs_page_lists_operations_and_try_it_out_calls_the_api(server, browser) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    elsewhere: list[str] = []
    local: list[str] = []

    async def only_local(route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            local.append(route.request.url)
            await route.continue_()
        else:
            elsewhere.append(route.request.url)
            await route.abort()

    await context.route("**/*", only_local)
    page = await context.new_page()
    await page.goto(f"{server}/api/v1/docs")

    operation = page.locator("#operations-municipalities-listMunicipalities")
    await operation.wait_for()
    assert await page.locator(".opblock").count() >= 30
    continuity = page.locator(
        '.opblock-summary-path[data-path="/municipalities/{cbsCode}/continuity"]'
    )
    assert await continuity.count() == 1

    await page.get_by_role("button", name="Authorize").first.click()
    await page.locator(".modal-ux input").first.fill("hov_demo_admin")
    await page.locator(".modal-ux button.modal-btn.authorize").click()
    await page.locator(".modal-ux button.btn-done").click()

    await operation.locator(".opblock-summary").click()
    await operation.get_by_role("button", name="Try it out").click()
    await operation.get_by_role("button", name="Execute").click()
    status = operation.locator(".live-responses-table .response .response-col_status").first
    await status.wait_for()
    assert (await status.inner_text()).strip() == "200"
    body = await operation.locator(
        ".live-responses-table .response-col_description pre"
    ).first.inner_text()
    assert "GM0014" in body

    assert elsewhere == []
    assert any("/swagger-ui/swagger-ui-bundle.js" in url for url in local)
    icon = await page.locator("link[rel=icon]").get_attribute("href")
    assert icon == "/swagger-ui/favicon-32x32.png"
    assert any(
        url.endswith("/api/v1/municipalities") or "/api/v1/municipalities?" in url for url in local
    )
    await context.close()
