"""Fixed logins for the demo web pages, one per role, like the fixed demo keys.

Only ``handover demo`` creates them; a production database never gets them.
"""

from __future__ import annotations

from piccolo.apps.user.tables import BaseUser

from app.access.people import create_person

#: username → (password, role, organisations, municipality codes, scope shown)
DEMO_LOGINS: dict[str, tuple[str, str, list[str], list[str], str]] = {
    "demo-admin": ("demo-admin", "admin", [], [], "everything, and /admin/"),
    "demo-registrar": ("demo-registrar", "registrar", [], [], "records handovers, and /admin/"),
    "demo-hr": ("demo-hr", "hr", ["Stichting WerkPro"], [], "HR of Stichting WerkPro"),
    "demo-management": (
        "demo-management",
        "management",
        ["Stichting WerkPro"],
        [],
        "management of Stichting WerkPro",
    ),
    "demo-gemeente": ("demo-gemeente", "municipality", [], ["GM0014"], "gemeente Groningen"),
}


async def ensure_demo_logins() -> None:
    for username, (password, role, organisations, codes, _) in DEMO_LOGINS.items():
        if await BaseUser.exists().where(BaseUser.username == username):
            continue
        await create_person(
            username,
            password,
            role,
            organisations=organisations,
            municipalities=codes,
            actor="demo",
        )
