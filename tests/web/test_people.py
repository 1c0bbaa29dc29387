"""People: ``handover user create`` and what a login may see."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from piccolo.apps.user.tables import BaseUser

from app.access.people import create_person, principal_for_user
from app.access.roles import Role
from app.errors import Conflict, InvalidInput
from app.settings import get_settings
from app.tables.tables import UserAccess
from tests.web.conftest import log_in


def handover_user(*args: str, password: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HANDOVER_DATABASE_URL": get_settings().database_url}
    return subprocess.run(
        [sys.executable, "-m", "app.cli", "user", "create", *args],
        input=password + "\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


async def test_user_create_reads_the_password_from_stdin_and_the_person_can_log_in(
    anonymous, demo
) -> None:
    result = handover_user(
        "--username",
        "cli-hr",
        "--role",
        "hr",
        "--organisation",
        "Stichting WerkPro",
        password="via stdin 123",
    )
    assert result.returncode == 0, result.stderr
    assert "cli-hr" in result.stderr
    assert result.stdout == ""
    response = await log_in(anonymous, "cli-hr", "via stdin 123")
    assert response.status_code == 303


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "nope"], "unknown role"),
        (["--role", "hr"], "--organisation"),
        (["--role", "municipality", "--municipality", "GM9999"], "GM9999"),
    ],
)
def test_user_create_refuses_bad_input_in_one_line(demo, args, message) -> None:
    result = handover_user("--username", "cli-bad", *args, password="long enough")
    assert result.returncode != 0
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


async def test_admins_and_registrars_may_use_piccolo_admin_others_not(demo) -> None:
    for username, role, flags in [
        ("p-admin", "admin", (True, True)),
        ("p-registrar", "registrar", (True, False)),
        ("p-gemeente", "municipality", (False, False)),
    ]:
        user_id = await create_person(
            username, "secret123", role, municipalities=["GM0014"] if role == "municipality" else []
        )
        user = (
            await BaseUser.select(BaseUser.admin, BaseUser.superuser, BaseUser.active)
            .where(BaseUser.id == user_id)
            .first()
        )
        assert (user["admin"], user["superuser"]) == flags
        assert user["active"]
    gemeente = (
        await UserAccess.select(UserAccess.user)
        .where(UserAccess.user.username == "p-gemeente")
        .first()
    )
    principal = await principal_for_user(gemeente["user"])
    assert principal is not None
    assert principal.role is Role.MUNICIPALITY
    assert principal.municipality_codes == frozenset({"GM0014"})
    assert not principal.sees_personal_data


async def test_a_person_is_created_whole_or_not_at_all(demo) -> None:
    await create_person("p-twice", "secret123", "registrar")
    with pytest.raises(Conflict):
        await create_person("p-twice", "secret123", "admin")
    with pytest.raises(InvalidInput):
        await create_person("p-short", "abc", "admin")
    with pytest.raises(InvalidInput):
        await create_person("p-nowhere", "secret123", "hr", organisations=["Bestaat Niet"])
    assert not await BaseUser.exists().where(BaseUser.username.is_in(["p-short", "p-nowhere"]))
