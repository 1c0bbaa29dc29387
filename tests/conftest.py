"""Test set-up: one real database per session, SQLite by default, PostgreSQL when
HANDOVER_DATABASE_URL points at one. The schema is built by the real migrations."""

from __future__ import annotations

import os
import tempfile
from collections.abc import AsyncIterator

import pytest

if not os.environ.get("HANDOVER_DATABASE_URL"):
    os.environ["HANDOVER_DATABASE_URL"] = (
        f"sqlite:///{tempfile.mkdtemp(prefix='handover-test-')}/test.sqlite"
    )

# The in-process test client runs the app's lifespan on another event loop than the
# tests' own queries, so a pool opened there cannot be shared: connect per query.
os.environ.setdefault("HANDOVER_POSTGRES_POOL_SIZE", "0")
# Tests write straight to the database and read at once: no answers kept across that
# (the answer cache has its own test against a real server).
os.environ.setdefault("HANDOVER_ANSWER_CACHE", "0")
os.environ.setdefault("HANDOVER_SECRET_KEY", "test-secret-not-for-production")
# The suite calls every route with every key; tests/security sets a low limit of its own.
os.environ.setdefault("HANDOVER_RATE_LIMIT", "0")

from litestar.testing import AsyncTestClient

from app.database import is_postgres
from app.events import outbox as _change_feed  # noqa: F401  (writes need the outbox installed)
from app.settings import get_settings


async def _reset_postgres(url: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await connection.close()


def _remove_file(path: str) -> None:
    if os.path.exists(path):
        os.remove(path)


@pytest.fixture(scope="session", autouse=True)
async def database() -> None:
    """A database migrated forwards, with the municipalities ``handover migrate`` loads,
    for the whole session."""
    from app.migrate import migrate
    from app.municipalities.service import load_reference

    url = get_settings().database_url
    if is_postgres():
        await _reset_postgres(url)
    else:
        _remove_file(url.removeprefix("sqlite:///"))
    await migrate()
    await load_reference()
    return


@pytest.fixture(scope="session")
async def demo(database: None) -> None:
    """The seed cases, loaded once."""
    from app.demo.seeds import load_demo

    await load_demo()


@pytest.fixture(scope="session")
async def client(database: None) -> AsyncIterator[AsyncTestClient]:
    from app.application import create_app

    async with AsyncTestClient(app=create_app()) as test_client:
        yield test_client


@pytest.fixture(scope="session")
async def keys(demo: None) -> dict[str, str]:
    """API keys per role, scoped to the demo organisations and municipalities."""
    from app.access.keys import create_api_key

    return {
        "admin": await create_api_key("admin", name="test admin"),
        "registrar": await create_api_key("registrar", name="test registrar"),
        "hr": await create_api_key("hr", organisations=["Stichting WerkPro"], name="hr werkpro"),
        "hr_other": await create_api_key("hr", organisations=["Emco"], name="hr emco"),
        "management": await create_api_key(
            "management", organisations=["Stichting WerkPro"], name="mgmt werkpro"
        ),
        "municipality": await create_api_key(
            "municipality", municipalities=["GM0014"], name="gemeente groningen"
        ),
        "municipality_other": await create_api_key(
            "municipality", municipalities=["GM0114"], name="gemeente emmen"
        ),
    }


@pytest.fixture(scope="session")
async def demo_ids(demo: None) -> dict[str, str]:
    """Ids of demo records, to fill the path variables of every operation."""
    from app.demo.seeds import EMMEN_HANDOVER_TITLE, GRONINGEN_HANDOVER_TITLE
    from app.tables.tables import (
        Handover,
        Milestone,
        Organisation,
        Provision,
        Service,
        StaffTransfer,
    )

    groningen = (
        await Handover.select(Handover.id).where(Handover.title == GRONINGEN_HANDOVER_TITLE).first()
    )
    emmen = await Handover.select(Handover.id).where(Handover.title == EMMEN_HANDOVER_TITLE).first()
    werkpro = (
        await Organisation.select(Organisation.id)
        .where(Organisation.name == "Stichting WerkPro")
        .first()
    )
    link050 = await Service.select(Service.id).where(Service.name == "Link050").first()
    provision = (
        await Provision.select(Provision.id).where(Provision.service == link050["id"]).first()
    )
    milestone = (
        await Milestone.select(Milestone.id).where(Milestone.handover == groningen["id"]).first()
    )
    staff = (
        await StaffTransfer.select(StaffTransfer.id)
        .where(StaffTransfer.handover == groningen["id"])
        .first()
    )
    return {
        "handover_id": str(groningen["id"]),
        "emmen_handover_id": str(emmen["id"]),
        "organisation_id": str(werkpro["id"]),
        "service_id": str(link050["id"]),
        "provision_id": str(provision["id"]),
        "milestone_id": str(milestone["id"]),
        "staff_id": str(staff["id"]),
        "cbs_code": "GM0014",
        # No subscription exists for the keys of every role: calls answer 404, not 401/403.
        "subscription_id": "00000000-0000-4000-8000-000000000014",
    }
