"""Failed logins are throttled per username and per address (issue 17, point 8)."""

from __future__ import annotations

import dataclasses
import json

import pytest

from app import cross_process
from app.settings import get_settings
from tests.web.conftest import PASSWORD, log_in

TOO_MANY = "Te veel mislukte inlogpogingen."


@pytest.fixture
def fresh_counts():
    cross_process.LOCAL.clear()
    yield
    cross_process.LOCAL.clear()


async def test_sixty_wrong_passwords_then_the_right_one_does_not_log_in(
    anonymous, people, fresh_counts, monkeypatch
) -> None:
    from app.web import throttle

    logged: list[tuple[str, dict]] = []

    class Recorder:
        def warning(self, event: str, **fields) -> None:
            logged.append((event, fields))

    monkeypatch.setattr(throttle, "log", Recorder())
    limit = get_settings().login_attempts_per_user
    statuses = [
        (await log_in(anonymous, people["management"], f"guess {i}")).status_code for i in range(60)
    ]
    assert statuses == [401] * limit + [429] * (60 - limit)

    right = await log_in(anonymous, people["management"], PASSWORD)
    assert right.status_code == 429
    assert "id=" not in right.headers.get("set-cookie", "")
    assert TOO_MANY in right.text
    assert "minuten opnieuw" in right.text
    assert '<html lang="nl">' in right.text
    assert 1 <= int(right.headers["retry-after"]) <= 15 * 60

    # Logged, with the address and without the username.
    throttled = [fields for event, fields in logged if event == "login throttled"]
    assert len(throttled) == 60 - limit + 1
    assert throttled[-1]["address"] == "testclient"
    assert throttled[-1]["user_failures"] == 60
    assert people["management"] not in json.dumps(throttled)

    # Another person from the same address still logs in (below the address limit).
    assert (await log_in(anonymous, people["registrar"], PASSWORD)).status_code == 303


async def test_the_address_limit_holds_across_usernames(
    anonymous, people, fresh_counts, monkeypatch
) -> None:
    from app.web import throttle

    strict = dataclasses.replace(get_settings(), login_attempts_per_address=5)
    monkeypatch.setattr(throttle, "get_settings", lambda: strict)
    statuses = [(await log_in(anonymous, f"sprayed-{i}", "Welkom01")).status_code for i in range(7)]
    assert statuses == [401] * 5 + [429] * 2
    assert (await log_in(anonymous, people["registrar"], PASSWORD)).status_code == 429


async def test_right_logins_do_not_use_up_the_allowance(anonymous, people, fresh_counts) -> None:
    for _ in range(get_settings().login_attempts_per_user + 5):
        assert (await log_in(anonymous, people["hr"], PASSWORD)).status_code == 303
