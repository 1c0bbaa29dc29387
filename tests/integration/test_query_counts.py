"""The read endpoints municipalities poll run a fixed number of queries, whatever the size.

Two generated registries, the second twice the first; the same requests against each,
counting the queries Piccolo sends to the (real) database. No N+1: the counts are small
and equal at both sizes.
"""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from tests.helpers import bearer
from tests.scale.stores import empty_store, generate, serving_from

#: Authentication (one), the municipality's merger family (a few), the data (a few).
MOST_QUERIES = 12


@pytest.fixture(scope="module")
async def sizes() -> dict[str, str]:
    urls = {"single": await empty_store("counts_1x"), "double": await empty_store("counts_2x")}
    generate(urls["single"], "--seed", "3")
    generate(urls["double"], "--seed", "3", "--factor", "2")
    return urls


async def requests_of(url: str) -> dict[str, str]:
    """What a municipality asks, and a key to ask it with.

    A municipality with an agreed handover still to come, so that every question takes
    its longest path (planned handovers, their receivers) in both registries alike.
    """
    from app.access.keys import create_api_key
    from app.tables.tables import HandoverService, Municipality

    merged_into = {
        r["successor"]
        for r in await Municipality.select(Municipality.successor).where(
            Municipality.successor.is_not_null()
        )
    }
    candidates = await (
        HandoverService.select(
            HandoverService.municipality,
            HandoverService.municipality.code,
            HandoverService.service,
        )
        .where(
            (HandoverService.handover.status == "agreed")
            & HandoverService.municipality.successor.is_null()
        )
        .order_by(HandoverService.municipality.code)
    )
    chosen = next(c for c in candidates if c["municipality"] not in merged_into)
    code = chosen["municipality.code"]
    key = await create_api_key("municipality", municipalities=[code], name="counts")
    return {
        "key": key,
        "continuity": f"/api/v1/municipalities/{code}/continuity?on=2026-06-01",
        "timeline": f"/api/v1/services/{chosen['service']}/timeline?municipality={code}",
        "handovers": f"/api/v1/handovers?municipality={code}&limit=20",
        "issues": f"/api/v1/continuity/issues?municipality={code}&from=2015-01-01&to=2026-01-01",
        "issues planned": f"/api/v1/continuity/issues?municipality={code}&includePlanned=true",
    }


async def count_queries(client: AsyncTestClient, url: str) -> dict[str, Any]:
    counts: dict[str, Any] = {}
    async with serving_from(url) as taken:
        asked = await requests_of(url)
        key = asked.pop("key")
        for name, path in asked.items():
            await client.get(path, headers=bearer(key))  # a first request may fill caches
            taken()
            response = await client.get(path, headers=bearer(key))
            counts[name] = taken()
            assert response.status_code == 200, (name, response.text)
            counts[f"{name} answer"] = response.json()
    return counts


async def test_queries_per_request_do_not_grow_with_the_data(
    client: AsyncTestClient, sizes: dict[str, str]
) -> None:
    single = await count_queries(client, sizes["single"])
    double = await count_queries(client, sizes["double"])
    for name in ("continuity", "timeline", "handovers", "issues", "issues planned"):
        assert 1 <= single[name] <= MOST_QUERIES, (name, single[name])
        assert double[name] == single[name], (name, single[name], double[name])
    # The answers are about real data, not empty lists.
    assert single["continuity answer"]["services"]
    assert single["timeline answer"]["periods"]
    assert double["continuity answer"]["services"]
