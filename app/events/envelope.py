"""The CloudEvents 1.0 envelope in the Logius NL GOV profile (structured JSON form)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from app.settings import get_settings


def cloud_time(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def envelope(row: dict[str, Any]) -> dict[str, Any]:
    """One event row as the CloudEvent the feed and every delivery carry."""
    settings = get_settings()
    return {
        "specversion": "1.0",
        "id": str(row["id"]),
        "source": settings.event_source,
        "type": row["type"],
        "time": cloud_time(row["recorded_at"]),
        "sequence": str(row["sequence"]),
        "sequencetype": "Integer",
        "datacontenttype": "application/json",
        "dataref": settings.public_url + row["resource"],
        "data": row["data"],
    }
