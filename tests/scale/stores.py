"""Registries generated apart from the session's database, and the app pointed at one.

The generator refuses a registry that holds records, and the session database holds the
demo cases, so each generated registry lives in its own SQLite file or PostgreSQL
database (named after the session's: ``<db>_gen_<name>``), made empty first.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
from piccolo.conf.apps import Finder

import app.database
import piccolo_conf
from app.database import engine_from_url
from app.settings import get_settings

ROOT = Path(__file__).resolve().parents[2]


async def empty_store(name: str) -> str:
    """The URL of an empty database of the session's kind, for one generated registry."""
    url = get_settings().database_url
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = Path(url.removeprefix("sqlite:///")).with_name(f"gen_{name}.sqlite")
        path.unlink(missing_ok=True)
        return f"sqlite:///{path}"
    database = f"{parts.path.lstrip('/')}_gen_{name}"
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        await connection.execute(f'CREATE DATABASE "{database}"')
    finally:
        await connection.close()
    return urlunsplit(parts._replace(path=f"/{database}"))


def handover_cli(url: str, *args: str) -> subprocess.CompletedProcess:
    """The real ``handover`` command, in its own process, on the store at ``url``."""
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        cwd=ROOT,
        env={**os.environ, "HANDOVER_DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=300,
    )


def generate(url: str, *args: str) -> None:
    result = handover_cli(url, "generate", "--scale", "test", *args)
    assert result.returncode == 0, result.stderr


@asynccontextmanager
async def serving_from(url: str) -> AsyncIterator[Callable[[], int]]:
    """Point every table (and the write transactions) at ``url`` for a while.

    Yields a function giving the number of queries run since it was last called:
    Piccolo sends every query through ``Engine.run_querystring``, which is counted.
    The database still answers every one of them.
    """
    engine = engine_from_url(url)
    count = 0

    class Counting(type(engine)):  # engines have __slots__: count in a subclass
        __slots__ = ()

        async def run_querystring(self, querystring, in_pool: bool = True):
            nonlocal count
            count += 1
            return await super().run_querystring(querystring, in_pool=in_pool)

    engine.__class__ = Counting
    tables = Finder().get_table_classes()
    before = {table: table._meta._db for table in tables}
    saved = app.database.DB, piccolo_conf.DB
    for table in tables:
        table._meta.db = engine
    app.database.DB = piccolo_conf.DB = engine

    def taken() -> int:
        nonlocal count
        value, count = count, 0
        return value

    try:
        yield taken
    finally:
        app.database.DB, piccolo_conf.DB = saved
        for table, db in before.items():
            table._meta._db = db
