"""The change feed's targets: ``python -m bench.events``.

1. One national handover touching 342 municipalities, one subscription each (one
   receiver on 342 paths, ``bench/receiver.py`` in a process of its own, every signature
   verified), delivered by one worker: the time
   from the handover's commit until every subscription has received all its events.
   Target: ≤ 10 s.
2. The feed read by one client through the API (a real uvicorn process), 500 events a
   page: events per second, for an admin key (every event) and a municipality's key
   (its events among everyone's). Target: ≥ 1,000 events/s.

On a database of its own: a new SQLite file unless ``HANDOVER_DATABASE_URL`` names one
(an empty PostgreSQL database, say). Writes its table to ``bench/results/events.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

if not os.environ.get("HANDOVER_DATABASE_URL"):
    os.environ["HANDOVER_DATABASE_URL"] = (
        f"sqlite:///{tempfile.mkdtemp(prefix='bench-events-')}/bench.sqlite"
    )
os.environ.setdefault("HANDOVER_SECRET_KEY", "bench-secret")
os.environ.setdefault("HANDOVER_RATE_LIMIT", "0")
os.environ.setdefault("HANDOVER_WORKER_POLL_SECONDS", "0.05")

import httpx

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
MUNICIPALITIES = 342


def start_server(app: str, port: int, **env: str) -> subprocess.Popen:
    """uvicorn serving ``app`` on 127.0.0.1:``port``, answering /health or /report."""
    command = [sys.executable, "-m", "uvicorn", app, "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--log-level", "warning", "--no-access-log"],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
    )
    probe = "/report" if app.startswith("bench.") else "/health"
    for _ in range(150):
        try:
            if httpx.get(f"http://127.0.0.1:{port}{probe}", timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError(f"{app} did not start")


async def national_handover(receiver: str) -> dict[str, Any]:
    from app.access.roles import Principal, Role
    from app.database import write_transaction
    from app.events import subscriptions
    from app.events.delivery import latest_sequence
    from app.events.worker import run_worker
    from app.handovers.transitions import transition
    from app.handovers.vocabulary import HandoverStatus
    from app.store import records
    from app.tables.tables import (
        Handover,
        HandoverParty,
        HandoverService,
        Municipality,
        Organisation,
        Provision,
        Service,
        Subscription,
    )

    codes = [f"GM{9000 + i:04d}" for i in range(MUNICIPALITIES)]
    secrets: dict[str, str] = {}
    async with write_transaction():
        await Municipality.insert(*[Municipality(code=c, name=f"Benchgemeente {c}") for c in codes])
    ids = {
        r["code"]: r["id"]
        for r in await Municipality.select(Municipality.id, Municipality.code).where(
            Municipality.code.is_in(codes)
        )
    }
    actor = "bench"
    source = await records.create(Organisation, {"name": "Landelijke Bron"}, actor=actor)
    receiving = await records.create(Organisation, {"name": "Landelijke Ontvanger"}, actor=actor)
    service = await records.create(Service, {"name": "Landelijke dienst"}, actor=actor)
    on = date(2030, 1, 1)
    async with write_transaction():
        for code in codes:
            await records.create(
                Provision,
                {
                    "service": service["id"],
                    "municipality": ids[code],
                    "organisation": source["id"],
                    "valid_from": date(2020, 1, 1),
                },
                actor=actor,
            )
        handover = await records.create(
            Handover, {"title": "Landelijke overdracht", "effective_on": on}, actor=actor
        )
        for role, organisation in (("source", source), ("receiving", receiving)):
            await records.create(
                HandoverParty,
                {"handover": handover["id"], "role": role, "organisation": organisation["id"]},
                actor=actor,
            )
        for code in codes:
            await records.create(
                HandoverService,
                {
                    "handover": handover["id"],
                    "service": service["id"],
                    "municipality": ids[code],
                    "from_organisation": source["id"],
                },
                actor=actor,
            )
    await transition(handover["id"], HandoverStatus.AGREED, date(2029, 6, 1), "", actor)
    for code in codes:
        principal = Principal(
            key_id=f"bench-{code}",
            name=code,
            role=Role.MUNICIPALITY,
            municipality_codes=frozenset({code}),
        )
        path = f"/gemeente/{code}"
        _, secret = await subscriptions.create(
            principal,
            subscriptions.NewSubscription(
                callback_url=f"{receiver}{path}",
                auth=None,
                municipality_codes=[],
                types=[],
            ),
        )
        secrets[path] = secret
    async with httpx.AsyncClient() as http:
        await http.post(f"{receiver}/secrets", json=secrets)
    started = time.perf_counter()
    await transition(handover["id"], HandoverStatus.EFFECTIVE, on, "", actor)
    committed = time.perf_counter()
    latest = await latest_sequence()
    stop = asyncio.Event()
    worker = asyncio.create_task(run_worker(stop))
    # Polling the database: no event in this process says "all delivered".
    while await Subscription.count().where(Subscription.delivered_through < latest):  # noqa: ASYNC110
        await asyncio.sleep(0.05)
    done = time.perf_counter()
    stop.set()
    await worker
    async with httpx.AsyncClient() as http:
        report = (await http.get(f"{receiver}/report")).json()
    return {
        "subscriptions": len(secrets),
        "events delivered": report["events"],
        "commit of the handover (s)": round(committed - started, 2),
        "all delivered, after the commit (s)": round(done - committed, 2),
        "every subscription reached": report["paths"] == MUNICIPALITIES,
        "in order, every signature verified": report["in_order"] and not report["refused"],
    }


async def fill_feed(total: int) -> None:
    from app.database import write_transaction
    from app.events import outbox

    codes = [f"GM{9000 + i:04d}" for i in range(10)]
    for start in range(0, total, 1000):
        batch = [
            outbox.NewEvent(
                type="nl.overdrachtsregister.provider-changed",
                resource=f"/api/v1/provisions/{i}",
                subject=str(i),
                data={"municipalityCodes": [codes[i % len(codes)]], "on": "2030-01-01"},
                scopes={codes[i % len(codes)]},
            )
            for i in range(start, min(start + 1000, total))
        ]
        async with write_transaction():
            await outbox.append(batch)


def read_feed(base: str, key: str) -> tuple[int, float]:
    count, after = 0, 0
    started = time.perf_counter()
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}) as http:
        while True:
            page = http.get("/api/v1/events", params={"after": after, "limit": 500}).json()
            count += len(page["items"])
            if not page["items"]:
                break
            after = page["items"][-1]["sequence"]
    return count, time.perf_counter() - started


def measure_feed(admin: str, municipality: str) -> dict[str, Any]:
    """Serve the app with uvicorn and read the whole feed with each key, one client."""
    port = free_port()
    server = start_server("app.asgi:app", port, HANDOVER_ANSWER_CACHE="0")
    base = f"http://127.0.0.1:{port}"
    try:
        read_feed(base, admin)  # warm
        every, every_s = read_feed(base, admin)
        own, own_s = read_feed(base, municipality)
    finally:
        server.terminate()
        server.wait(timeout=10)
    return {
        "events in the feed": every,
        "admin: events/s": round(every / every_s),
        "a municipality's key: its events": own,
        "a municipality's key: events/s": round(own / own_s),
    }


async def feed_rate(total: int) -> dict[str, Any]:
    from app.access.keys import create_api_key

    await fill_feed(total)
    admin = await create_api_key("admin", name="bench admin")
    municipality = await create_api_key("municipality", municipalities=["GM9000"], name="bench")
    return await asyncio.to_thread(measure_feed, admin, municipality)


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


async def main(feed_events: int) -> None:
    from app.migrate import migrate
    from app.settings import get_settings

    await migrate()
    port = free_port()
    receiver = await asyncio.to_thread(start_server, "bench.receiver:app", port)
    try:
        delivery = await national_handover(f"http://127.0.0.1:{port}")
    finally:
        receiver.terminate()
        receiver.wait(timeout=10)
    feed = await feed_rate(feed_events)
    database = "PostgreSQL" if get_settings().is_postgres else "SQLite"
    met_delivery = delivery["all delivered, after the commit (s)"] <= 10
    met_feed = min(feed["admin: events/s"], feed["a municipality's key: events/s"]) >= 1000
    lines = [
        f"# Change feed benchmark ({database}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC)",
        "",
        "| figure | value |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in {**delivery, **feed}.items()),
        "",
        f"- 342 subscriptions delivered by one worker in ≤ 10 s: {verdict(met_delivery)}",
        f"- feed read by one client at ≥ 1,000 events/s: {verdict(met_feed)}",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = f"events-{database.lower()}.md"
    (RESULTS / name).write_text(text)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feed-events", type=int, default=20_000)
    asyncio.run(main(parser.parse_args().feed_events))
