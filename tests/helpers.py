"""Small helpers shared by the tests."""

from __future__ import annotations


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}
