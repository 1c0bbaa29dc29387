"""The ``handover`` command line, run as a real process against the test database."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from app.settings import get_settings
from app.tables.tables import AuditEvent, Handover, Organisation, Provision
from tests.helpers import bearer


def handover(*args: str, database_url: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HANDOVER_DATABASE_URL": database_url or get_settings().database_url}
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


async def test_apikey_create_prints_only_the_key(client, keys) -> None:
    result = handover("apikey", "create", "--role", "municipality", "--municipality", "GM0014")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    key = lines[0]
    assert key.startswith("hov_")
    response = await client.get("/api/v1/municipalities/GM0014/continuity", headers=bearer(key))
    assert response.status_code == 200
    other = await client.get("/api/v1/municipalities/GM0114/continuity", headers=bearer(key))
    assert other.status_code == 403


async def test_apikey_scoped_to_an_organisation_by_name(client, keys) -> None:
    result = handover(
        "apikey", "create", "--role", "hr", "--organisation", "Stichting WerkPro", "--name", "HR"
    )
    assert result.returncode == 0, result.stderr
    response = await client.get("/api/v1/handovers", headers=bearer(result.stdout.strip()))
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "nope"], "unknown role"),
        (["--role", "hr"], "--organisation"),
        (["--role", "municipality"], "--municipality"),
        (["--role", "municipality", "--municipality", "GM9999"], "GM9999"),
        (["--role", "municipality", "--municipality", "Groningen"], "CBS"),
        (["--role", "hr", "--organisation", "Stichting Bestaat Niet"], "Bestaat Niet"),
    ],
)
async def test_bad_input_gives_one_line_and_nonzero_exit(demo, args, message) -> None:
    result = handover("apikey", "create", *args)
    assert result.returncode != 0
    assert result.stdout == ""
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1, result.stderr
    assert message in errors[0]
    assert "Traceback" not in result.stderr


async def test_load_demo_twice_adds_nothing(demo) -> None:
    tables = (Organisation, Provision, Handover, AuditEvent)
    before = [await table.count() for table in tables]
    result = handover("load-demo")
    assert result.returncode == 0, result.stderr
    assert "already" in result.stderr
    assert [await table.count() for table in tables] == before


def test_migrate_and_load_demo_on_a_fresh_sqlite_file(tmp_path) -> None:
    url = f"sqlite:///{tmp_path}/fresh.sqlite"
    assert handover("migrate", database_url=url).returncode == 0
    first = handover("load-demo", database_url=url)
    assert first.returncode == 0, first.stderr
    assert "loaded" in first.stderr
    second = handover("load-demo", database_url=url)
    assert "already" in second.stderr


def test_unusable_database_url_is_one_line() -> None:
    result = handover("migrate", database_url="mysql://somewhere/db")
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0
    assert "unsupported database URL" in result.stderr


async def test_apikey_list_and_revoke(client, keys) -> None:
    from datetime import timedelta

    from app.access.keys import forget_cached_keys
    from app.dates import today

    tomorrow = (today() + timedelta(days=2)).isoformat()
    created = handover(
        "apikey", "create", "--role", "admin", "--name", "te intrekken", "--expires", tomorrow
    )
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip()
    assert (await client.get("/api/v1/organisations", headers=bearer(key))).status_code == 200
    listed = handover("apikey", "list")
    assert listed.returncode == 0, listed.stderr
    [line] = [row for row in listed.stdout.splitlines() if "te intrekken" in row]
    assert key not in listed.stdout
    # The last day given is the last day it works: it stops at midnight after it.
    assert f"{today() + timedelta(days=3)} 00:00" in line
    key_id = line.split("\t")[0]
    revoked = handover("apikey", "revoke", key_id)
    assert revoked.returncode == 0, revoked.stderr
    forget_cached_keys()  # another process revoked it: this one's cache runs out first
    assert (await client.get("/api/v1/organisations", headers=bearer(key))).status_code == 401
    unknown = handover("apikey", "revoke", "hov_nothing")
    assert unknown.returncode != 0
    assert "matches 0 keys" in unknown.stderr


async def test_expired_keys_are_refused(client, demo) -> None:
    from datetime import UTC, datetime, timedelta

    from app.access.keys import create_api_key, forget_cached_keys, hash_key
    from app.tables.tables import ApiKey

    key = await create_api_key("admin", name="verloopt")
    assert (await client.get("/api/v1/organisations", headers=bearer(key))).status_code == 200
    await ApiKey.update({ApiKey.expires_at: datetime.now(UTC) - timedelta(seconds=1)}).where(
        ApiKey.key_hash == hash_key(key)
    )
    forget_cached_keys()  # the expiry was changed behind the process's back
    assert (await client.get("/api/v1/organisations", headers=bearer(key))).status_code == 401
    past = handover("apikey", "create", "--role", "admin", "--expires", "2020-01-01")
    assert past.returncode != 0
    assert "past" in past.stderr
