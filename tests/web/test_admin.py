"""Piccolo Admin at /admin/: registrars and admins with their page login, nobody else."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("role", ["registrar", "admin"])
async def test_registrar_and_admin_reach_the_admin_api_with_their_page_login(as_role, role):
    response = await as_role[role].get("/admin/api/tables/")
    assert response.status_code == 200
    tables = response.json()
    assert {"handover", "provision", "organisation", "staff_transfer"} <= set(tables)
    assert "api_key" not in tables
    assert "sessions" not in tables
    assert (await as_role[role].get("/admin/")).status_code == 200


@pytest.mark.parametrize("role", ["municipality", "hr", "management"])
async def test_other_roles_are_kept_out_of_the_admin(as_role, role) -> None:
    response = await as_role[role].get("/admin/api/tables/")
    assert response.status_code in (401, 403)


async def test_without_login_the_admin_api_is_closed(anonymous) -> None:
    response = await anonymous.get("/admin/api/tables/")
    assert response.status_code in (401, 403)


async def test_a_registrar_may_not_change_roles_in_the_admin(as_role) -> None:
    page = await as_role["registrar"].get("/admin/api/tables/user_access/")
    assert page.status_code == 200
    token = as_role["registrar"].cookies.get("csrftoken")
    response = await as_role["registrar"].post(
        "/admin/api/tables/user_access/",
        json={"user": 1, "role": "admin", "organisation_ids": "[]", "municipality_codes": "[]"},
        headers={"X-CSRFToken": token or ""},
    )
    assert response.status_code == 405


@pytest.mark.parametrize("role", ["registrar", "admin"])
async def test_registry_tables_are_read_only_in_the_admin(as_role, role, demo_ids) -> None:
    """Saves in Piccolo Admin would bypass the audit trail and the lifecycle rules."""
    client = as_role[role]
    rows = await client.get("/admin/api/tables/organisation/", params={"__page_size": 1})
    assert rows.status_code == 200
    assert rows.json()["rows"]
    row_id = rows.json()["rows"][0]["id"]
    token = client.cookies.get("csrftoken") or ""
    patched = await client.patch(
        f"/admin/api/tables/organisation/{row_id}/",
        json={"name": "Overschreven"},
        headers={"X-CSRFToken": token},
    )
    deleted = await client.delete(
        f"/admin/api/tables/organisation/{row_id}/", headers={"X-CSRFToken": token}
    )
    assert (patched.status_code, deleted.status_code) == (405, 405)
    again = await client.get(f"/admin/api/tables/organisation/{row_id}/")
    assert again.json()["name"] != "Overschreven"
