"""The admins' page on subscriptions and their deliveries: who is told what, and whether
it arrives (``/beheer/abonnementen``)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.response import Template

from app.access.roles import Principal, Role
from app.dates import AMSTERDAM
from app.errors import Forbidden
from app.tables.tables import Delivery, Subscription
from app.web.session import require_login

Viewer = NamedDependency[Principal]
STATUS_LABELS = {"active": "actief", "suspended": "opgeschort", "ended": "beëindigd"}
OUTCOME_LABELS = {
    "delivered": "afgeleverd",
    "failed": "mislukt, volgt opnieuw",
    "gone": "ontvanger weg (410)",
    "suspended": "mislukt, opgeschort",
}
RECENT_DELIVERIES = 10


def local(moment: datetime | None) -> str:
    if moment is None:
        return "—"
    return moment.astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M:%S")


async def subscriptions_overview() -> list[dict[str, Any]]:
    rows = await Subscription.select().order_by(Subscription.created_at)
    overview = []
    for row in rows:
        recent = await (
            Delivery.select()
            .where(Delivery.subscription == row["id"])
            .order_by(Delivery.attempted_at, ascending=False)
            .limit(RECENT_DELIVERIES)
        )
        waiting = row["status"] == "active" and row["failures"]
        overview.append(
            {
                "id": row["id"],
                "callback_url": row["callback_url"],
                "status": STATUS_LABELS.get(row["status"], row["status"]),
                "status_reason": row["status_reason"],
                "delivered_through": row["delivered_through"],
                "failures": row["failures"],
                "next_attempt": local(datetime.fromtimestamp(row["next_attempt_at"], UTC))
                if waiting
                else "—",
                "deliveries": [
                    {
                        "sequence": d["sequence"],
                        "at": local(d["attempted_at"]),
                        "status_code": d["status_code"] or "geen antwoord",
                        "outcome": OUTCOME_LABELS.get(d["outcome"], d["outcome"]),
                        "next": local(d["next_attempt_at"]),
                    }
                    for d in recent
                ],
            }
        )
    return overview


class SubscriptionPageController(Controller):
    guards = [require_login]

    @get("/beheer/abonnementen")
    async def subscriptions(self, viewer: Viewer) -> Template:
        if viewer.role is not Role.ADMIN:
            raise Forbidden("alleen beheerders zien de abonnementen")
        return Template(
            template_name="subscriptions.html",
            context={"viewer": viewer, "subscriptions": await subscriptions_overview()},
        )
