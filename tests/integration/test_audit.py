"""The audit trail: written with every change, readable by admins, never rewritten."""

from __future__ import annotations

import pytest

from app.tables.tables import AuditEvent
from tests.helpers import bearer


async def test_audit_events_cannot_be_changed_or_deleted(demo) -> None:
    event = await AuditEvent.select(AuditEvent.id).first()
    assert event is not None
    with pytest.raises(Exception, match="append-only"):
        await AuditEvent.update({AuditEvent.actor: "someone else"}).where(
            AuditEvent.id == event["id"]
        )
    with pytest.raises(Exception, match="append-only"):
        await AuditEvent.delete().where(AuditEvent.id == event["id"])
    assert await AuditEvent.exists().where(AuditEvent.id == event["id"])


async def test_no_route_changes_audit_events(client, keys) -> None:
    document = (await client.get("/api/v1/openapi.json")).json()
    audit_methods = {
        method
        for path, item in document["paths"].items()
        if path.startswith("/audit")
        for method in item
    }
    assert audit_methods == {"get"}
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        response = await client.request(method, "/api/v1/audit", headers=bearer(keys["admin"]))
        assert response.status_code == 405


async def test_every_write_of_a_handover_step_is_audited(client, keys, demo) -> None:
    from app.demo.seeds import GRONINGEN_HANDOVER_TITLE
    from app.tables.tables import Handover

    handover = (
        await Handover.select(Handover.id).where(Handover.title == GRONINGEN_HANDOVER_TITLE).first()
    )
    events = (
        await client.get(
            "/api/v1/audit",
            params={"record": str(handover["id"]), "limit": 500},
            headers=bearer(keys["admin"]),
        )
    ).json()["items"]
    actions = [e["action"] for e in events]
    assert actions[0] == "create"
    assert actions.count("transition") == 2  # agreed, effective
    assert events[-1]["after"]["status"] == "effective"
