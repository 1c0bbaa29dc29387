""" "As known on" against live, on the query layer itself: ``python -m bench.known_on``.

Against a PostgreSQL database with a generated registry (``handover generate --scale
national`` first; the URL in ``HANDOVER_DATABASE_URL``), with kept answers off: for a
sample of municipalities, the continuity answer, the issues of a year and a handover's
detail, each asked live and ``knownOn`` a past moment, one at a time. Prints p50 and p90
per question and the knownOn/live ratio, so the cost of a past read is seen beside the
live one on the same data and minute (rounds interleave live and past).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from datetime import date, datetime

os.environ["HANDOVER_ANSWER_CACHE"] = "0"


async def main(samples: int, known_on: datetime) -> None:
    from app.continuity import queries
    from app.continuity.sources import LIVE, source_for
    from app.database import DB
    from app.handovers.queries import handover_detail
    from app.tables.tables import Handover, Municipality

    codes = [
        r["code"]
        for r in await Municipality.select(Municipality.code)
        .where(Municipality.valid_to.is_null())
        .order_by(Municipality.code)
        .limit(samples)
    ]
    handovers = [
        r["id"]
        for r in await Handover.select(Handover.id)
        .where(Handover.created_at < known_on)
        .order_by(Handover.id)
        .limit(samples)
    ]
    await DB.start_connection_pool(min_size=1, max_size=2)
    past = source_for(known_on)
    on = date(2024, 6, 1)
    questions = {
        "continuity": (
            lambda i: queries.continuity_on(codes[i % len(codes)], on, LIVE),
            lambda i: queries.continuity_on(codes[i % len(codes)], on, past),
        ),
        "issues (a year)": (
            lambda i: queries.continuity_issues(
                codes[i % len(codes)], date(2023, 1, 1), date(2024, 1, 1), source=LIVE
            ),
            lambda i: queries.continuity_issues(
                codes[i % len(codes)], date(2023, 1, 1), date(2024, 1, 1), source=past
            ),
        ),
        "handover detail": (
            lambda i: handover_detail(handovers[i % len(handovers)]),
            lambda i: handover_detail(handovers[i % len(handovers)], known_on),
        ),
    }
    print(f"knownOn={known_on.isoformat()}, {len(codes)} municipalities, one at a time (ms)")
    print(f"{'question':<18} {'live p50':>9} {'live p90':>9} {'past p50':>9} {'past p90':>9} ratio")
    for name, (live, then) in questions.items():
        timings: dict[str, list[float]] = {"live": [], "past": []}
        for i in range(samples * 3):
            for label, ask in (("live", live), ("past", then)):
                start = time.perf_counter()
                await ask(i)
                timings[label].append((time.perf_counter() - start) * 1000)
        row = []
        for label in ("live", "past"):
            values = sorted(timings[label])
            row += [statistics.median(values), values[int(len(values) * 0.9)]]
        print(
            f"{name:<18} {row[0]:9.1f} {row[1]:9.1f} {row[2]:9.1f} {row[3]:9.1f} "
            f"{row[2] / row[0]:5.2f}×"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--known-on", default="2025-01-01T00:00:00+00:00")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.samples, datetime.fromisoformat(arguments.known_on)))
