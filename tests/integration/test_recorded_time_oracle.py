""" "As known on" against an oracle: what the registry answered live at each moment is what
it answers about that moment afterwards.

Each example is a random sequence of writes through the registry's own write paths
(provisions created, edited, ended and deleted; a handover's date moved and its
lifecycle advanced to effective, which moves provisions; guarantees; staff imports),
at increasing moments, in a municipality of its own. After every step the oracle keeps
the live answers (continuity on three dates, the service's timeline, the issues with
planned handovers applied, the handover's detail); at the end every ``knownOn`` answer
at every step's moment must equal them.
"""

from __future__ import annotations

import asyncio
import itertools
import os
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.continuity import queries
from app.continuity.sources import source_for
from app.database import DB, is_postgres
from app.errors import DomainError
from app.exchange.staff_import import import_staff
from app.handovers.queries import handover_detail
from app.handovers.transitions import transition
from app.handovers.vocabulary import HandoverStatus
from app.store import records
from app.tables.tables import (
    ContinuityGuarantee,
    Handover,
    HandoverParty,
    HandoverService,
    Municipality,
    Organisation,
    Provision,
    Service,
)

ORIGIN = date(2030, 1, 1)
ACTOR = "test:oracle"
NEXT_STATUS = {
    "proposed": HandoverStatus.AGREED,
    "agreed": HandoverStatus.EFFECTIVE,
    "effective": HandoverStatus.COMPLETED,
}
CODES = itertools.count(9200)


def day(n: int) -> date:
    return ORIGIN + timedelta(days=n)


days = st.integers(0, 80)
operations = st.one_of(
    st.tuples(
        st.just("provision"),
        days,
        st.one_of(st.none(), st.integers(1, 60)),
        st.integers(0, 1),
        st.sampled_from([None, 1.0, 2.5]),
    ),
    st.tuples(st.just("fte"), st.integers(0, 5), st.sampled_from([0.5, 3.0])),
    st.tuples(st.just("end"), st.integers(0, 5), days),
    st.tuples(st.just("delete"), st.integers(0, 5)),
    st.tuples(st.just("move_date"), days),
    st.tuples(st.just("advance")),
    st.tuples(st.just("guarantee"), days, st.one_of(st.none(), st.integers(1, 60))),
    st.tuples(st.just("staff"), st.integers(1, 4)),
)


@pytest.fixture(scope="module")
def runner(database: None) -> Iterator[asyncio.Runner]:
    """This module's own event loop; on PostgreSQL with a pool of its own on that loop (the
    suite otherwise connects per query, which would make each example cost seconds)."""
    with asyncio.Runner() as loop_runner:
        if is_postgres():
            loop_runner.run(DB.start_connection_pool(min_size=1, max_size=2))
        try:
            yield loop_runner
        finally:
            if is_postgres():
                loop_runner.run(DB.close_connection_pool())


@pytest.fixture(scope="module")
def providers(runner: asyncio.Runner, database: None) -> list[UUID]:
    async def build() -> list[UUID]:
        return [
            (await records.create(Organisation, {"name": f"Orakel {i}"}, actor=ACTOR))["id"]
            for i in range(2)
        ]

    return runner.run(build())


def encoded(answer: Any) -> bytes:
    return msgspec.json.encode(msgspec.to_builtins(answer, str_keys=True), order="deterministic")


async def answers(code: str, service: UUID, handover: UUID, at: datetime | None) -> list[bytes]:
    source = source_for(at)
    found = [await queries.continuity_on(code, day(d), source) for d in (10, 30, 50)]
    found.append(await queries.service_timeline(service, code, source))
    found.append(
        await queries.continuity_issues(code, day(0), day(120), include_planned=True, source=source)
    )
    found.append(await handover_detail(handover, at))
    return [encoded(a) for a in found]


async def world(providers: list[UUID]) -> tuple[str, UUID, UUID, UUID, str]:
    code = f"GM{next(CODES):04d}"
    municipality = await records.create(
        Municipality, {"code": code, "name": f"Orakelgemeente {code}"}, actor=ACTOR
    )
    name = f"Orakeldienst {code}"
    service = await records.create(Service, {"name": name}, actor=ACTOR)
    handover = await records.create(
        Handover, {"title": f"Orakel {code}", "effective_on": day(40)}, actor=ACTOR
    )
    for role, organisation in (("source", providers[0]), ("receiving", providers[1])):
        await records.create(
            HandoverParty,
            {"handover": handover["id"], "role": role, "organisation": organisation},
            actor=ACTOR,
        )
    await records.create(
        HandoverService,
        {
            "handover": handover["id"],
            "service": service["id"],
            "municipality": municipality["id"],
            "from_organisation": providers[0],
        },
        actor=ACTOR,
    )
    return code, municipality["id"], service["id"], handover["id"], name


async def apply(step: tuple, ids: dict[str, Any], providers: list[UUID]) -> None:
    kind = step[0]
    provisions = [
        r["id"]
        for r in await Provision.select(Provision.id)
        .where(Provision.service == ids["service"])
        .order_by(Provision.valid_from)
    ]
    if kind == "provision":
        _, start, length, provider, fte = step
        await records.create(
            Provision,
            {
                "service": ids["service"],
                "municipality": ids["municipality"],
                "organisation": providers[provider],
                "valid_from": day(start),
                "valid_to": None if length is None else day(start + length),
                "staffed_fte": fte,
            },
            actor=ACTOR,
        )
    elif kind in {"fte", "end", "delete"} and provisions:
        target = provisions[step[1] % len(provisions)]
        if kind == "fte":
            await records.update(Provision, target, {"staffed_fte": step[2]}, actor=ACTOR)
        elif kind == "end":
            row = await records.get_row(Provision, target)
            if day(step[2]) > row["valid_from"]:
                await records.update(Provision, target, {"valid_to": day(step[2])}, actor=ACTOR)
        else:
            await records.delete(Provision, target, actor=ACTOR)
    elif kind == "move_date":
        handover = await records.get_row(Handover, ids["handover"])
        if handover["status"] in {"proposed", "agreed"}:
            await records.update(
                Handover, ids["handover"], {"effective_on": day(step[1])}, actor=ACTOR
            )
    elif kind == "advance":
        handover = await records.get_row(Handover, ids["handover"])
        target = NEXT_STATUS.get(handover["status"])
        if target is not None:
            await transition(ids["handover"], target, handover["effective_on"], "", ACTOR)
    elif kind == "guarantee":
        _, start, length = step
        await records.create(
            ContinuityGuarantee,
            {
                "handover": ids["handover"],
                "service": ids["service"],
                "municipality": ids["municipality"],
                "valid_from": day(start),
                "until": None if length is None else day(start + length),
                "full_strength": True,
                "baseline_fte": 2.0,
            },
            actor=ACTOR,
        )
    elif kind == "staff":
        refs = [f"O-{next(CODES)}" for _ in range(step[1])]
        lines = [f"{ref};;consulent;0,5;{ids['service_name']};voorgesteld" for ref in refs]
        header = "personeelsnummer;naam;functie;fte;dienst;status"
        data = ("\r\n".join([header, *lines]) + "\r\n").encode()
        await import_staff(ids["handover"], data, "staff.csv", actor=ACTOR)


@settings(
    max_examples=int(os.environ.get("HANDOVER_ORACLE_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(operations, min_size=1, max_size=8))
def test_known_on_answers_what_the_registry_answered_then(runner, providers, steps) -> None:
    async def run() -> list[tuple[datetime, list[bytes]]]:
        code, municipality, service, handover, name = await world(providers)
        ids = {
            "municipality": municipality,
            "service": service,
            "handover": handover,
            "service_name": name,
        }
        seen = [(datetime.now(UTC), await answers(code, service, handover, None))]
        for step in steps:
            try:
                await apply(step, ids, providers)
            except (DomainError, ValueError):
                pass  # refused as a whole: the oracle checks that too
            except Exception as error:  # the exclusion constraint on PostgreSQL
                if "provision_no_overlap" not in str(error) and "exclusion" not in str(error):
                    raise
            await asyncio.sleep(0.002)
            seen.append((datetime.now(UTC), await answers(code, service, handover, None)))
        mismatched = []
        for moment, live in seen:
            then = await answers(code, service, handover, moment)
            mismatched.extend(
                (moment, i, a, b) for i, (a, b) in enumerate(zip(then, live, strict=True)) if a != b
            )
        assert mismatched == [], (steps, mismatched)
        return seen

    seen = runner.run(run())
    assert len(seen) == len(steps) + 1
