"""One JSON line per request: id, route, role, status, duration; never a key or a name."""

from __future__ import annotations

import json
import time
from uuid import uuid4

import httpx

from app.store.personal_data import NAME
from app.tables.tables import StaffTransfer
from tests.helpers import bearer


def request_lines(log, request_ids: set[str]) -> list[dict]:
    """The request lines for these ids, waiting briefly for the server to write them."""
    deadline = time.monotonic() + 10
    while True:
        lines = []
        for line in log.read_text().splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if entry.get("event") == "request" and entry.get("request_id") in request_ids:
                lines.append(entry)
        if len(lines) >= len(request_ids) or time.monotonic() > deadline:
            return lines
        time.sleep(0.1)


async def test_one_line_per_request_without_keys_or_personal_data(served, keys, demo_ids) -> None:
    base, log = served
    staff_url = f"/api/v1/handovers/{demo_ids['handover_id']}/staff"
    calls = {
        uuid4().hex: ("GET", staff_url, keys["hr"], 200),
        uuid4().hex: ("GET", f"{staff_url}?limit=500", keys["hr_other"], 403),
        uuid4().hex: ("GET", "/api/v1/organisations?name=WerkPro", keys["municipality"], 200),
        uuid4().hex: ("GET", "/api/v1/organisations", "hov_not_a_key", 401),
        uuid4().hex: ("GET", "/api/v1/no-such-path", keys["hr"], 404),
    }
    names = [
        row["name"]
        for row in await StaffTransfer.select(NAME).where(
            StaffTransfer.handover == demo_ids["handover_id"]
        )
        if row["name"]
    ]
    assert names
    answered = ""
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        for request_id, (method, url, key, status) in calls.items():
            response = await http.request(
                method, url, headers={**bearer(key), "X-Request-ID": request_id}
            )
            assert response.status_code == status, response.text
            assert response.headers["x-request-id"] == request_id
            assert response.headers["x-content-type-options"] == "nosniff"
            answered += response.text
    assert any(name in answered for name in names)  # the names passed through the server

    lines = request_lines(log, set(calls))
    assert sorted(line["request_id"] for line in lines) == sorted(calls)
    by_id = {line["request_id"]: line for line in lines}
    for request_id, (method, _, _, status) in calls.items():
        line = by_id[request_id]
        assert line["method"] == method
        assert line["status"] == status
        assert line["duration_ms"] >= 0
        assert line["route"].startswith("/api/v1/")
    assert by_id[next(iter(calls))]["role"] == "hr"
    assert by_id[next(iter(calls))]["route"] == "/api/v1/handovers/{handover_id}/staff"

    written = log.read_text()
    for secret in [*keys.values(), "hov_not_a_key", *names, "WerkPro"]:
        assert secret not in written, "a key, a name or a query value reached the log"
