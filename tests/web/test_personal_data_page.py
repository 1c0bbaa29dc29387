"""A person's right of access as a Dutch page: for HR of a party and admins only."""

from __future__ import annotations

from app.tables.tables import StaffTransfer

DEMO_NAME = "Anna Voorbeeld (demo)"


async def test_the_access_page_is_dutch_and_only_for_hr_of_a_party_and_admins(
    as_role, demo_ids
) -> None:
    staff = (
        await StaffTransfer.select(StaffTransfer.id)
        .where(StaffTransfer.staff_ref == "MJD-001")
        .first()
    )
    handover = demo_ids["handover_id"]
    path = f"/overdrachten/{handover}/medewerkers/{staff['id']}/inzage"
    listing = (await as_role["hr"].get(f"/overdrachten/{handover}")).text
    assert f'href="{path}"' in listing
    for role in ("hr", "admin"):
        page = await as_role[role].get(path)
        assert page.status_code == 200, role
        html = page.text
        assert "Wat het Overdrachtsregister over u bewaart" in html
        assert DEMO_NAME in html
        assert "MJD-001" in html
        assert "365 dagen nadat de overdracht is afgerond of afgebroken" in html
        assert "Hoe lang" in html
        assert "vastgelegd" in html  # the history, in Dutch
    for role in ("registrar", "management", "municipality", "hr_other"):
        refused = await as_role[role].get(path)
        assert refused.status_code == 403, role
        assert "Geen toegang" in refused.text
        assert DEMO_NAME not in refused.text
    management = (await as_role["management"].get(f"/overdrachten/{handover}")).text
    assert "/inzage" not in management
