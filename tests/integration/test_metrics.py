"""``GET /metrics``: Prometheus text, for admin keys only."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from tests.helpers import bearer


def samples(text: str) -> dict[tuple[str, tuple], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


async def test_metrics_only_for_admins(client, keys) -> None:
    anonymous = await client.get("/metrics")
    assert anonymous.status_code == 401
    assert anonymous.headers["content-type"].startswith("application/problem+json")
    for role in ("registrar", "hr", "management", "municipality"):
        refused = await client.get("/metrics", headers=bearer(keys[role]))
        assert refused.status_code == 403, role
        assert refused.json()["status"] == 403


async def test_requests_per_route_and_status_with_latency(client, keys) -> None:
    admin = bearer(keys["admin"])
    before = samples((await client.get("/metrics", headers=admin)).text)
    assert (await client.get("/api/v1/municipalities/GM0014", headers=admin)).status_code == 200
    assert (await client.get("/api/v1/municipalities/GM9999", headers=admin)).status_code == 404
    assert (await client.get("/no/such/path/123")).status_code == 404
    answer = await client.get("/metrics", headers=admin)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    after = samples(answer.text)

    def grew(name: str, **labels: str) -> float:
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0) - before.get(key, 0)

    route = "/api/v1/municipalities/{cbs_code}"
    assert grew("handover_http_requests_total", method="GET", route=route, status="200") == 1
    assert grew("handover_http_requests_total", method="GET", route=route, status="404") == 1
    unmatched = {"method": "GET", "route": "(unmatched)", "status": "404"}
    assert grew("handover_http_requests_total", **unmatched) == 1
    assert not any("/no/such/path" in str(key) for key in after)
    assert grew("handover_http_request_duration_seconds_count", method="GET", route=route) == 2
    for result in ("hit", "miss"):
        assert ("handover_answer_cache_lookups_total", (("result", result),)) in after
    names = {name for name, _ in after}
    assert "handover_database_pool_connections_in_use" in names
