"""``handover doctor``: is this installation ready to serve? One line per check.

Each line says ``ok``, ``warn`` or ``FAIL``, what was found, and for a failure what to
do. The exit status is 1 when any check fails (warnings do not fail). It runs no
migration and creates no secret file.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import click

MIN_SECRET_LENGTH = 32
TIMEOUT_SECONDS = 5.0


@dataclass
class Check:
    name: str
    status: str  # "ok", "warn" or "FAIL"
    found: str
    fix: str = ""

    def line(self) -> str:
        text = f"{self.status:<4}  {self.name:<12} {self.found}"
        return f"{text} — {self.fix}" if self.fix else text


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


def check_configuration() -> list[Check]:
    from app.api.rate_limit import parse_rate_limit
    from app.settings import get_settings

    try:
        settings = get_settings()
        parse_rate_limit(settings.rate_limit)
    except ValueError as error:
        return [
            Check("settings", "FAIL", str(error), "correct the HANDOVER_* variable named above")
        ]
    checks = [
        Check(
            "settings",
            "ok",
            f"rate limit {settings.rate_limit}, key cache {settings.key_cache_seconds:g} s",
        )
    ]
    if not settings.is_postgres:
        checks.append(
            Check(
                "database",
                "warn",
                f"SQLite ({settings.database_url}): one process only",
                "for production and more than one worker set HANDOVER_DATABASE_URL="
                "postgresql://user@host:5432/db",
            )
        )
    return checks


def check_secret() -> Check:
    value = os.environ.get("HANDOVER_SECRET_KEY")
    if value:
        if len(value) < MIN_SECRET_LENGTH:
            return Check(
                "secret",
                "FAIL",
                f"HANDOVER_SECRET_KEY has {len(value)} characters",
                f"use at least {MIN_SECRET_LENGTH} random ones, e.g. "
                "`python -c 'import secrets; print(secrets.token_urlsafe(48))'` "
                "(a new secret invalidates every API key)",
            )
        return Check("secret", "ok", "HANDOVER_SECRET_KEY is set")
    path = Path(os.environ.get("HANDOVER_SECRET_FILE", "handover.secret"))
    if path.exists():
        return Check(
            "secret",
            "warn",
            f"from the file {path} (HANDOVER_SECRET_KEY not set)",
            "in production set HANDOVER_SECRET_KEY, the same for every process",
        )
    return Check(
        "secret",
        "FAIL",
        "HANDOVER_SECRET_KEY is not set and there is no secret file",
        "set HANDOVER_SECRET_KEY to a random value of at least 32 characters, "
        "the same for every process, and keep it",
    )


async def check_database() -> list[Check]:
    from piccolo.apps.migrations.commands.check import CheckMigrationManager

    from app.database import DB
    from app.settings import get_settings

    shown = _without_password(get_settings().database_url)
    try:
        await asyncio.wait_for(DB.run_ddl("SELECT 1"), TIMEOUT_SECONDS)
    except Exception as error:
        return [
            Check(
                "database",
                "FAIL",
                f"{shown} does not answer ({type(error).__name__}: {error})",
                "start the database, or correct HANDOVER_DATABASE_URL",
            )
        ]
    checks = [Check("database", "ok", f"{shown} answers")]
    os.environ.setdefault("PICCOLO_CONF", "piccolo_conf")
    try:
        statuses = await CheckMigrationManager(app_name="all").get_migration_statuses()
    except Exception as error:
        checks.append(
            Check(
                "migrations",
                "FAIL",
                f"cannot read the migration table ({type(error).__name__})",
                "run `handover migrate`",
            )
        )
        return checks
    pending = [s.migration_id for s in statuses if not s.has_ran]
    if pending:
        checks.append(
            Check(
                "migrations",
                "FAIL",
                f"{len(pending)} of {len(statuses)} not applied (first: {pending[0]})",
                "run `handover migrate` before this version serves",
            )
        )
    else:
        checks.append(Check("migrations", "ok", f"all {len(statuses)} applied"))
    return checks


async def check_redis() -> Check:
    from app.settings import get_settings

    url = get_settings().redis_url
    if url is None:
        return Check(
            "redis",
            "warn",
            "HANDOVER_REDIS_URL not set: rate limits, login throttle and key revocations "
            "are per process",
            "with more than one process set HANDOVER_REDIS_URL=redis://host:6379/0",
        )
    import redis.asyncio

    client = redis.asyncio.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        await asyncio.wait_for(client.ping(), TIMEOUT_SECONDS)
    except Exception as error:
        return Check(
            "redis",
            "FAIL",
            f"{_without_password(url)} does not answer ({type(error).__name__})",
            "start Redis, or correct (or unset) HANDOVER_REDIS_URL",
        )
    finally:
        await client.aclose()
    return Check("redis", "ok", f"{_without_password(url)} answers")


async def run_checks() -> list[Check]:
    checks = check_configuration()
    if checks[0].status == "FAIL":
        return checks
    checks.append(check_secret())
    checks.extend(await check_database())
    checks.append(await check_redis())
    return checks


@click.command()
def doctor() -> None:
    """Check settings, secret, database, migrations and Redis; exit 1 if one fails."""
    checks = asyncio.run(run_checks())
    for check in checks:
        click.echo(check.line())
    if any(check.status == "FAIL" for check in checks):
        raise SystemExit(1)
