"""Small helpers shared by the tests."""

from __future__ import annotations

import re
from typing import Any


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


async def operations(client: Any) -> list[tuple[str, str, str]]:
    document = (await client.get("/api/v1/openapi.json")).json()
    return [
        (method.upper(), path, operation["operationId"])
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in {"get", "post", "patch", "put", "delete"}
    ]


def concrete(path: str, ids: dict[str, str], **override: str) -> str:
    values = ids | override

    def snake(name: str) -> str:  # the document spells path variables in camelCase
        return re.sub(r"([A-Z])", lambda m: "_" + m.group(1).lower(), name)

    return "/api/v1" + re.sub(r"\{(\w+)\}", lambda m: values[snake(m.group(1))], path)


async def if_match(client: Any, url: str, headers: dict[str, str]) -> dict[str, str]:
    """``headers`` plus If-Match with the ETag a GET of ``url`` answers now.

    For a milestone or a transition, ``url`` is its handover's: they are edited with the
    handover's ETag.
    """
    response = await client.get(url, headers=headers)
    assert response.status_code == 200, response.text
    return {**headers, "If-Match": response.headers["etag"]}


def version_tag(record: dict[str, Any]) -> dict[str, str]:
    """If-Match for a record as a list or an earlier answer showed it."""
    return {"If-Match": f'"{record["version"]}"'}


async def columns_containing(url: str, needle: str) -> list[str]:
    """``table.column`` of every column of every table (whatever the schema holds, so new
    tables are covered too) in which some row's value, as text, contains ``needle``."""
    found: list[str] = []
    pattern = f"%{needle}%"
    if url.startswith("sqlite"):
        import sqlite3

        connection = sqlite3.connect(url.removeprefix("sqlite:///"))
        try:
            tables = [
                r[0]
                for r in connection.execute(
                    "SELECT name FROM sqlite_master "
                    "WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                )
            ]
            for table in tables:
                for column in [c[1] for c in connection.execute(f'PRAGMA table_info("{table}")')]:
                    query = f'SELECT 1 FROM "{table}" WHERE CAST("{column}" AS TEXT) LIKE ? LIMIT 1'
                    if connection.execute(query, (pattern,)).fetchone():
                        found.append(f"{table}.{column}")
        finally:
            connection.close()
        return found
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        columns = await connection.fetch(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position"
        )
        for c in columns:
            table, column = c["table_name"], c["column_name"]
            query = f'SELECT 1 FROM "{table}" WHERE "{column}"::text LIKE $1 LIMIT 1'
            if await connection.fetchval(query, pattern):
                found.append(f"{table}.{column}")
    finally:
        await connection.close()
    return found
