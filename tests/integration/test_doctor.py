"""`handover doctor`: one line per check, what to do on failure, exit 1 when one fails."""

from __future__ import annotations

import os
import subprocess
import sys

from app.settings import get_settings
from tests.integration.test_concurrency import free_port

SECRET = "doctor-test-secret-of-more-than-32-characters"


def doctor(tmp_path, **env: str) -> subprocess.CompletedProcess:
    environment = {
        **os.environ,
        "HANDOVER_DATABASE_URL": get_settings().database_url,
        "HANDOVER_SECRET_KEY": SECRET,
        "HANDOVER_SECRET_FILE": str(tmp_path / "no-secret-file"),
        **env,
    }
    environment = {name: value for name, value in environment.items() if value}
    return subprocess.run(
        [sys.executable, "-m", "app.cli", "doctor"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def lines_by_check(stdout: str) -> dict[str, str]:
    return {line.split()[1]: line for line in stdout.splitlines()}


def test_a_ready_installation_passes(database, tmp_path) -> None:
    result = doctor(tmp_path, HANDOVER_REDIS_URL="redis://127.0.0.1:6379/5")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = lines_by_check(result.stdout)
    assert set(lines) == {"settings", "secret", "database", "migrations", "redis"}
    assert lines["secret"].startswith("ok")
    assert lines["migrations"].startswith("ok")
    assert "applied" in lines["migrations"]
    assert lines["redis"].startswith("ok")
    assert not any(line.startswith("FAIL") for line in lines.values())


def test_each_failure_says_what_to_do_and_exits_1(database, tmp_path) -> None:
    result = doctor(
        tmp_path,
        HANDOVER_SECRET_KEY="short",
        HANDOVER_REDIS_URL=f"redis://127.0.0.1:{free_port()}/5",
    )
    assert result.returncode == 1
    lines = lines_by_check(result.stdout)
    assert lines["secret"].startswith("FAIL")
    assert "at least 32" in lines["secret"]
    assert lines["redis"].startswith("FAIL")
    assert "start Redis" in lines["redis"]

    away = doctor(
        tmp_path,
        HANDOVER_DATABASE_URL=f"postgresql://postgres@127.0.0.1:{free_port()}/nothing",
        HANDOVER_SECRET_KEY="",
    )
    assert away.returncode == 1
    lines = lines_by_check(away.stdout)
    assert lines["database"].startswith("FAIL")
    assert "HANDOVER_DATABASE_URL" in lines["database"]
    assert lines["secret"].startswith("FAIL")
    assert "HANDOVER_SECRET_KEY" in lines["secret"]

    broken = doctor(tmp_path, HANDOVER_RATE_LIMIT="lots")
    assert broken.returncode == 1
    assert broken.stdout.startswith("FAIL  settings")
    assert "COUNT/UNIT" in broken.stdout


def test_an_unmigrated_database_fails_the_migrations_check(tmp_path) -> None:
    result = doctor(tmp_path, HANDOVER_DATABASE_URL=f"sqlite:///{tmp_path}/empty.sqlite")
    assert result.returncode == 1
    lines = lines_by_check(result.stdout)
    assert lines["database"].startswith("ok") or lines["database"].startswith("warn")
    assert lines["migrations"].startswith("FAIL")
    assert "handover migrate" in lines["migrations"]
