"""Logged-in web clients, one per role, on the session's demo database."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

PASSWORD = "correct horse battery"

#: label → (username, role, organisations, municipality codes)
PEOPLE: dict[str, tuple[str, str, list[str], list[str]]] = {
    "admin": ("web-admin", "admin", [], []),
    "registrar": ("web-registrar", "registrar", [], []),
    "hr": ("web-hr", "hr", ["Stichting WerkPro"], []),
    "hr_other": ("web-hr-emco", "hr", ["Emco"], []),
    "management": ("web-management", "management", ["Stichting WerkPro"], []),
    "municipality": ("web-gemeente", "municipality", [], ["GM0014"]),
    "municipality_other": ("web-emmen", "municipality", [], ["GM0114"]),
}

CSRF_FIELD = re.compile(r'name="_csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    found = CSRF_FIELD.search(html)
    assert found, "the page has no CSRF field"
    return found.group(1)


async def log_in(client: AsyncTestClient, username: str, password: str = PASSWORD):
    form = await client.get("/inloggen")
    return await client.post(
        "/inloggen",
        data={"username": username, "password": password, "_csrf_token": csrf_from(form.text)},
        follow_redirects=False,
    )


@pytest.fixture(scope="session")
async def people(demo: None) -> dict[str, str]:
    from app.access.people import create_person

    for username, role, organisations, codes in PEOPLE.values():
        await create_person(
            username, PASSWORD, role, organisations=organisations, municipalities=codes
        )
    return {label: spec[0] for label, spec in PEOPLE.items()}


@pytest.fixture(scope="session")
def web_app(database: None) -> Litestar:
    from app.application import create_app

    return create_app()


@pytest.fixture(scope="session")
async def as_role(web_app: Litestar, people: dict[str, str]) -> AsyncIterator[dict]:
    """A client per role, each logged in once for the whole session."""
    async with AsyncExitStack() as stack:
        clients = {}
        for label, username in people.items():
            client = await stack.enter_async_context(AsyncTestClient(app=web_app))
            response = await log_in(client, username)
            assert response.status_code == 303, response.text
            clients[label] = client
        yield clients


@pytest.fixture
async def anonymous(web_app: Litestar) -> AsyncIterator[AsyncTestClient]:
    async with AsyncTestClient(app=web_app) as client:
        yield client
