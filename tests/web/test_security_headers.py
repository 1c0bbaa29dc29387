"""Pages run no inline script or style, so a strict Content-Security-Policy fits them;
HSTS is sent when a setting says TLS ends in front of the app (issue 17, point 8)."""

from __future__ import annotations

import re

import httpx

from app.api.response_stamps import CONTENT_SECURITY_POLICY
from app.settings import get_settings
from tests.security.conftest import start_uvicorn

INLINE = re.compile(r"<script(?![^>]*\bsrc=)|<style|\sstyle=|\son[a-z]+=|javascript:", re.I)


async def test_pages_send_a_strict_policy_and_hold_nothing_inline(
    as_role, anonymous, demo_ids
) -> None:
    policy = {part.split()[0]: part.split()[1:] for part in CONTENT_SECURITY_POLICY.split("; ")}
    assert policy["default-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "script-src" not in policy  # none at all, by default-src
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY
    pages = [
        (anonymous, "/inloggen"),
        (as_role["registrar"], "/"),
        (as_role["registrar"], f"/overdrachten/{demo_ids['handover_id']}"),
        (as_role["registrar"], "/gemeenten/GM0014"),
        (as_role["hr"], f"/overdrachten/{demo_ids['handover_id']}"),
    ]
    for client, path in pages:
        response = await client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY, path
        assert response.headers["content-type"].startswith("text/html")
        assert not INLINE.search(response.text), (path, INLINE.search(response.text))
    assert "strict-transport-security" not in response.headers  # not behind TLS here
    # Piccolo Admin runs scripts of its own, and is left outside the policy.
    admin = await as_role["registrar"].get("/admin/")
    assert admin.status_code == 200
    assert "content-security-policy" not in admin.headers


def test_hsts_is_sent_when_served_behind_tls(tmp_path) -> None:
    """A real uvicorn, as `handover serve` runs it, with HANDOVER_BEHIND_TLS=1."""
    base, server = start_uvicorn(
        get_settings().database_url, tmp_path / "uvicorn.log", HANDOVER_BEHIND_TLS="1"
    )
    try:
        for path in ["/health", "/inloggen", "/api/v1/openapi.json"]:
            response = httpx.get(base + path, timeout=10)
            assert response.status_code == 200, path
            hsts = response.headers["strict-transport-security"]
            assert re.fullmatch(r"max-age=\d{8,}; includeSubDomains", hsts), hsts
    finally:
        server.terminate()
        assert server.wait(timeout=15) == 0 or server.returncode in {0, -15}


async def test_the_timeline_page_draws_the_edges_of_the_date_range(
    as_role, client, keys, demo_ids
) -> None:
    """A provision starting on the last accepted day; the page asked about that day."""
    headers = {"Authorization": f"Bearer {keys['registrar']}"}
    service = await client.post("/api/v1/services", json={"name": "Laatste dag"}, headers=headers)
    assert service.status_code == 201, service.text
    provision = await client.post(
        "/api/v1/provisions",
        json={
            "serviceId": service.json()["id"],
            "municipalityCode": "GM0014",
            "providerId": demo_ids["organisation_id"],
            "validFrom": "2200-12-31",
        },
        headers=headers,
    )
    assert provision.status_code == 201, provision.text
    for day in ["2200-12-31", "1900-01-01"]:
        page = await as_role["registrar"].get(f"/gemeenten/GM0014?op={day}")
        assert page.status_code == 200, (day, page.text[-500:])
        assert "<svg" in page.text
    outside = await as_role["registrar"].get("/gemeenten/GM0014?op=9999-12-31")
    assert outside.status_code == 400
    assert "2200-12-31" in outside.text
