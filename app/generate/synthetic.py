"""A synthetic registry, the same for the same seed: rows per table, ready to bulk load.

Provisions are built as *tracks* (one service in one municipality over time) and kept
consistent with the handovers: a handover that took effect closes the source's provision
the day it takes effect and opens the receiver's on that day; a merged municipality's
tracks continue in its successor on the merger date. Provisions never overlap within a
service and municipality, so the PostgreSQL exclusion constraint holds. The gaps the
generator plants are returned, so tests can check the continuity engine finds them.

Rows go straight to the bulk loader, not through the services, but every row is held to
the rules the services apply (``handovers.rules``, the lifecycle, ``staff.rules``): a
generated registry is one the API could have made.
"""

from __future__ import annotations

import itertools
import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast
from uuid import UUID

import msgspec

from app.generate.scales import Sizes
from app.handovers import rules
from app.handovers.lifecycle import Move, check_transition, plan_effective
from app.handovers.vocabulary import HandoverStatus, PartyRole
from app.municipalities.reference import shipped
from app.provisions.periods import Period
from app.staff.rules import check_staff_status, moving_fte_per_service
from app.staff.vocabulary import StaffStatus
from app.store.audit import json_value

#: Every date is judged against this day, not the clock, so a seed always gives the same data.
REFERENCE_DAY = date(2026, 11, 1)
ACTOR = "generator"

PREFIXES = (
    "Noord", "Zuid", "Oost", "West", "Hoog", "Laag", "Groot", "Klein", "Oud", "Nieuw",
    "Ter", "Den", "Wester", "Ooster", "Alde", "Midden", "Haven", "Berg", "Dal", "Veen",
    "Heide", "Water", "Zand", "Linde", "Eiken", "Beuken", "Wil", "Hol", "Mol", "Zwart",
)  # fmt: skip
ROOTS = (
    "veen", "dam", "dijk", "wold", "horst", "broek", "hoven", "sum", "kerk", "loo",
    "zijl", "drecht", "meer", "wijk", "burg", "gouw", "land", "rade", "schoten", "voort",
)  # fmt: skip
ORGANISATION_WORDS = (
    "Welzijn", "Zorg", "Buurtwerk", "Werkbedrijf", "Samen", "Kracht", "Thuis", "Jeugd",
    "Wijkteam", "Participatie", "Mantelzorg", "Vrijwilligers", "Sport", "Cultuur", "Leer",
)  # fmt: skip
ORGANISATION_KINDS = ("stichting", "stichting", "stichting", "werkbedrijf", "gemeente_team", "bv")
SERVICE_WORDS = (
    "Buurtbemiddeling", "Schuldhulp", "Maatjesproject", "Steunpunt", "Inloop", "Taalcafé",
    "Jongerenwerk", "Ouderenwerk", "Mantelzorgsteun", "Woonbegeleiding", "Dagbesteding",
    "Re-integratie", "Vrijwilligerscentrale", "Huiswerkbegeleiding", "Sociaal raadslid",
)  # fmt: skip
CATEGORIES = ("welzijn", "werk", "jeugd", "zorg", "wonen", "participatie")
FIRST_NAMES = (
    "Anne", "Bram", "Carla", "Daan", "Eva", "Fleur", "Gijs", "Hanna", "Ivo", "Jasmijn",
    "Koen", "Lotte", "Milan", "Noor", "Olaf", "Pien", "Quinten", "Roos", "Sem", "Tess",
)  # fmt: skip
LAST_NAMES = (
    "de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder",
    "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Dijk", "Dekker", "Brouwer",
)  # fmt: skip
FUNCTIONS = ("sociaal werker", "jongerenwerker", "coördinator", "consulent", "administratie")
MILESTONE_KINDS = (
    ("works_council_advice", "Advies ondernemingsraad"),
    ("staff_informed", "Medewerkers geïnformeerd"),
    ("contracts_signed", "Contracten getekend"),
    ("municipality_informed", "Gemeente geïnformeerd"),
    ("data_handed_over", "Gegevens overgedragen"),
)
TABLES = (
    "municipality",
    "municipality_succession",
    "organisation",
    "service",
    "handover",
    "handover_party",
    "handover_service",
    "handover_transition",
    "provision",
    "continuity_guarantee",
    "milestone",
    "staff_transfer",
    "staff_personal_data",
    "audit_event",
)
#: Personal data, audited by reference only: no audit event replays its rows.
UNAUDITED = frozenset({"staff_personal_data"})


@dataclass(frozen=True, slots=True)
class PlantedGap:
    service: UUID
    municipality_code: str
    start: date
    end: date


@dataclass(slots=True)
class Dataset:
    """Rows per table (in loading order); audit events are produced while loading."""

    columns: dict[str, tuple[str, ...]]
    rows: dict[str, list[tuple]]
    audit_count: int
    audit_rows: Any  # a callable returning an iterator of audit event tuples
    planted_gaps: list[PlantedGap] = field(default_factory=list)

    def count(self, table: str) -> int:
        return self.audit_count if table == "audit_event" else len(self.rows[table])


COLUMNS = {
    "municipality": ("id", "code", "name", "province", "valid_from", "valid_to", "successor"),
    "municipality_succession": ("id", "municipality", "successor", "valid_from", "part"),
    "organisation": (
        "id", "name", "kvk_number", "kind", "website", "description", "is_demo", "version",
        "created_at",
    ),
    "service": ("id", "name", "category", "description", "version", "created_at"),
    "handover": (
        "id", "title", "description", "kind", "status", "effective_on", "announced_on",
        "source", "version", "created_at",
    ),
    "handover_party": (
        "id", "handover", "role", "organisation", "municipality", "involvement", "note",
    ),
    "handover_service": (
        "id", "handover", "service", "municipality", "from_organisation", "note",
    ),
    "handover_transition": (
        "id", "handover", "from_status", "to_status", "on", "actor", "note", "recorded_at",
    ),
    "provision": (
        "id", "service", "municipality", "organisation", "valid_from", "valid_to",
        "staffed_fte", "opened_by", "closed_by", "note", "version",
    ),
    "continuity_guarantee": (
        "id", "handover", "service", "municipality", "valid_from", "until", "review_on",
        "full_strength", "same_conditions", "baseline_fte", "text",
    ),
    "milestone": ("id", "handover", "kind", "title", "due_on", "done_on", "note"),
    "staff_transfer": (
        "id", "handover", "staff_ref", "function", "fte", "service", "basis",
        "terms_retained", "status", "is_demo", "version",
    ),
    "staff_personal_data": ("id", "staff_transfer", "name", "recorded_at"),
    "audit_event": (
        "id", "occurred_at", "actor", "action", "record_type", "record_id", "before", "after",
    ),
}  # fmt: skip


def moment(day: date, second: int = 0) -> datetime:
    return datetime.combine(day, time(8), UTC) + timedelta(seconds=second)


class Track:
    """One service over time, in a municipality (and its successor after a merger)."""

    __slots__ = ("ended", "municipality", "provisions", "service", "successor", "switch_on")

    def __init__(self, service: int, municipality: int) -> None:
        self.service = service
        self.municipality = municipality
        self.successor: int | None = None
        self.switch_on: date | None = None
        self.provisions: list[dict[str, Any]] = []
        self.ended = False

    @property
    def current(self) -> dict[str, Any]:
        return self.provisions[-1]

    def open_on(self, day: date) -> bool:
        """Whether the last provision runs on ``day`` and may be cut there."""
        last = self.provisions[-1]
        return not self.ended and last["valid_from"] < day and last["valid_to"] is None


class Generator:
    def __init__(self, sizes: Sizes, seed: int) -> None:
        self.sizes = sizes
        self.rng = random.Random(seed)
        self.rows: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES if t != "audit_event"}
        self.planted: list[tuple[dict[str, Any], date, date]] = []
        self.parties_of: dict[UUID, list[rules.PartyKey]] = defaultdict(list)

    # --- helpers -------------------------------------------------------------------

    def uuid(self) -> UUID:
        return UUID(int=self.rng.getrandbits(128), version=4)

    def day_between(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randrange(max(1, (end - start).days)))

    def unique_name(self, base: str, seen: set[str]) -> str:
        name, n = base, 2
        while name in seen:
            name, n = f"{base} {n}", n + 1
        seen.add(name)
        return name

    # --- reference data ------------------------------------------------------------

    def municipalities(self) -> None:
        """The real municipalities since 2010 and their herindelingen (the reference data
        ``handover migrate`` loads); tracks use ``sizes.municipalities`` current ones,
        always with Groningen, into which Haren and Ten Boer merged."""
        rng, n = self.rng, self.sizes.municipalities
        facts, successions = shipped()
        rows = [
            {
                "id": self.uuid(),
                "code": f.code,
                "name": f.name,
                "province": f.province,
                "valid_from": f.valid_from,
                "valid_to": f.valid_to,
                "successor": None,
            }
            for f in facts
        ]
        by_code = {row["code"]: row for row in rows}
        went_to: dict[str, list[str]] = {}
        for succession in successions:
            went_to.setdefault(succession.code, []).append(succession.successor)
            self.rows["municipality_succession"].append(
                {
                    "id": self.uuid(),
                    "municipality": by_code[succession.code]["id"],
                    "successor": by_code[succession.successor]["id"],
                    "valid_from": succession.on,
                    "part": succession.part,
                }
            )
        for code, successors in went_to.items():
            if len(successors) == 1:
                by_code[code]["successor"] = by_code[successors[0]]["id"]
        rows = _successors_first(rows)
        current = [i for i, row in enumerate(rows) if row["valid_to"] is None]
        anchor = next(i for i in current if rows[i]["code"] == "GM0014")
        others = rng.sample([i for i in current if i != anchor], min(n, len(current)) - 1)
        self.current_municipalities = [anchor, *others]
        self.merged_with_tracks = max(1, round(n * 0.08))
        self.rows["municipality"] = rows

    def organisations(self) -> None:
        rng = self.rng
        seen: set[str] = set()
        kvk = rng.sample(range(10_000_000, 99_999_999), self.sizes.organisations)
        for i in range(self.sizes.organisations):
            words = rng.sample(ORGANISATION_WORDS, 2)
            name = self.unique_name(f"Stichting {words[0]} {words[1]} {rng.choice(ROOTS)}", seen)
            self.rows["organisation"].append(
                {
                    "id": self.uuid(),
                    "name": name,
                    "kvk_number": f"{kvk[i]:08d}" if rng.random() < 0.8 else None,
                    "kind": rng.choice(ORGANISATION_KINDS),
                    "website": None,
                    "description": "",
                    "is_demo": False,
                    "version": 1,
                    "created_at": moment(date(2005, 1, 1), i),
                }
            )

    def services(self) -> None:
        rng = self.rng
        seen: set[str] = set()
        for i in range(self.sizes.services):
            name = self.unique_name(f"{rng.choice(SERVICE_WORDS)} {rng.choice(PREFIXES)}", seen)
            self.rows["service"].append(
                {
                    "id": self.uuid(),
                    "name": name,
                    "category": rng.choice(CATEGORIES),
                    "description": "",
                    "version": 1,
                    "created_at": moment(date(2005, 1, 1), i),
                }
            )

    # --- tracks and handovers ------------------------------------------------------

    def new_provision(
        self,
        track: Track,
        organisation: int,
        start: date,
        opened_by: dict | None = None,
        *,
        valid_to: date | None = None,
        staffed_fte: float | None = None,
    ) -> dict[str, Any]:
        municipality = (
            track.successor
            if track.switch_on is not None and start >= track.switch_on
            else track.municipality
        )
        row = {
            "id": self.uuid(),
            "service": track.service,
            "municipality": municipality,
            "organisation": organisation,
            "valid_from": start,
            "valid_to": valid_to,
            "staffed_fte": (
                round(self.rng.uniform(0.5, 20.0), 1) if staffed_fte is None else staffed_fte
            ),
            "opened_by": opened_by,
            "closed_by": None,
            "note": "",
            "version": 1,
        }
        track.provisions.append(row)
        return row

    def take_effect(self, handover: dict[str, Any], track: Track, day: date) -> None:
        """What becoming effective on ``day`` does to one track, as the lifecycle plans it:
        the source's provision closes and the receiver's opens with its staff."""
        source, receiving = handover["_from"], handover["_to"]
        closing = track.current
        periods = [
            Period(
                p["id"], p["service"], p["municipality"], p["organisation"],
                p["valid_from"], p["valid_to"], p["staffed_fte"],
            )
            for p in track.provisions
        ]  # fmt: skip
        move = Move(track.service, closing["municipality"], source, receiving)
        plan = plan_effective([move], periods, day)
        by_id = {p["id"]: p for p in track.provisions}
        for close in plan.closings:
            by_id[close.period.id].update(valid_to=close.valid_to, closed_by=handover)
        for opening in plan.openings:
            opened = self.new_provision(
                track,
                cast(int, opening.provider),  # the generator's organisations are indices
                opening.valid_from,
                opened_by=handover,
                valid_to=opening.valid_to,
                staffed_fte=opening.staffed_fte,
            )
            handover["_opened"].append(opened)
        handover["_tracks"].append((track.service, closing["municipality"], closing))

    def tracks(self) -> list[Track]:
        rng, sizes = self.rng, self.sizes
        municipalities = self.rows["municipality"]
        index_of = {m["id"]: i for i, m in enumerate(municipalities)}
        count = max(sizes.municipalities, round(sizes.provisions / 3.4))
        count = min(count, int(len(municipalities) * sizes.services * 0.9))
        used: set[tuple[int, int]] = set()
        tracks = []
        chosen = {municipalities[i]["id"] for i in self.current_municipalities}
        merged = [m for m in municipalities if m["successor"] in chosen]
        successors = rng.sample(merged, min(len(merged), self.merged_with_tracks))
        # A merged municipality's tracks continue in the successor: give them services
        # the successor does not already have there, so the two never overlap.
        for m in successors:
            i, successor = index_of[m["id"]], index_of[m["successor"]]
            for service in rng.sample(range(sizes.services), min(3, sizes.services)):
                if (service, successor) in used:
                    continue
                used.update({(service, i), (service, successor)})
                track = Track(service, i)
                track.successor, track.switch_on = successor, m["valid_to"]
                tracks.append(track)
        attempts = 0
        while len(tracks) < count and attempts < count * 20:
            attempts += 1
            pair = (rng.randrange(sizes.services), rng.choice(self.current_municipalities))
            if pair not in used:
                used.add(pair)
                tracks.append(Track(*pair))
        for track in tracks:
            start = self.day_between(date(2005, 1, 1), date(2011, 1, 1))
            if rng.random() < 0.15:
                start = self.day_between(date(2011, 1, 1), date(2020, 1, 1))
            if track.switch_on is not None and start >= track.switch_on:
                start = track.switch_on - timedelta(days=365)
            self.new_provision(track, rng.randrange(sizes.organisations), start)
        return tracks

    def handover_row(self, status: str, effective_on: date | None, n: int) -> dict[str, Any]:
        announced = (
            effective_on - timedelta(days=self.rng.randrange(60, 240)) if effective_on else None
        )
        created = announced or self.day_between(date(2024, 1, 1), REFERENCE_DAY)
        row = {
            "id": self.uuid(),
            "title": f"Overdracht {n:05d}",
            "description": "",
            "kind": self.rng.choice(("transfer", "transfer", "transfer", "merger", "integration")),
            "status": status,
            "effective_on": effective_on,
            "announced_on": announced,
            "source": "synthetisch",
            "version": 1,
            "created_at": moment(created, n),
            "_tracks": [],
            "_opened": [],
            "_from": None,
            "_to": None,
        }
        self.rows["handover"].append(row)
        return row

    def statuses(self) -> list[str]:
        weights = {
            "completed": 45, "effective": 15, "agreed": 10, "intent_signed": 8,
            "proposed": 10, "cancelled": 12,
        }  # fmt: skip
        n = self.sizes.handovers
        result = []
        for status, weight in weights.items():
            result += [status] * round(n * weight / 100)
        result = (result + ["proposed"] * n)[:n]
        self.rng.shuffle(result)
        return result

    def pick_tracks(
        self, tracks: list[Track], by_provider: dict[int, set[int]], day: date
    ) -> tuple[int, list[int]] | None:
        rng = self.rng
        for _ in range(40):
            first = rng.randrange(len(tracks))
            if tracks[first].open_on(day) and not (
                tracks[first].switch_on and tracks[first].switch_on == day
            ):
                break
        else:
            return None
        source = tracks[first].current["organisation"]
        want = rng.choice((1, 1, 2, 2, 3, 4))
        chosen = [first]
        for other in rng.sample(sorted(by_provider[source]), min(8, len(by_provider[source]))):
            if len(chosen) >= want:
                break
            if other not in chosen and tracks[other].open_on(day):
                chosen.append(other)
        return source, chosen

    def realise(self, tracks: list[Track]) -> None:
        """Run time forwards: mergers and handovers that took effect move the tracks."""
        rng, sizes = self.rng, self.sizes
        by_provider: dict[int, set[int]] = defaultdict(set)
        for i, track in enumerate(tracks):
            by_provider[track.current["organisation"]].add(i)
        events: list[tuple[date, int, Any]] = []
        for i, track in enumerate(tracks):
            if track.switch_on is not None:
                events.append((track.switch_on, 0, i))
        statuses = self.statuses()
        realised = [s for s in statuses if s in ("completed", "effective")]
        for n, status in enumerate(realised):
            events.append((self.day_between(date(2011, 1, 1), REFERENCE_DAY), 1, (n, status)))
        events.sort(key=lambda e: (e[0], e[1], str(e[2])))
        counter = 0
        for day, kind, payload in events:
            if kind == 0:
                track = tracks[payload]
                if track.open_on(day):
                    organisation = track.current["organisation"]
                    track.current["valid_to"] = day
                    self.new_provision(track, organisation, day)
                continue
            _, status = payload
            if status == "effective" and day < REFERENCE_DAY - timedelta(days=400):
                status = "completed" if rng.random() < 0.7 else "effective"
            picked = self.pick_tracks(tracks, by_provider, day)
            if picked is None:
                continue
            source, chosen = picked
            receiving = rng.randrange(sizes.organisations)
            while receiving == source:
                receiving = rng.randrange(sizes.organisations)
            counter += 1
            handover = self.handover_row(status, day, counter)
            handover["_from"], handover["_to"] = source, receiving
            rules.check_can_take_effect(receiving_organisations=1, moved_services=len(chosen))
            for i in chosen:
                self.take_effect(handover, tracks[i], day)
                by_provider[source].discard(i)
                by_provider[receiving].add(i)
        self.realised_count = counter
        self.tracks_ = tracks
        self.by_provider = by_provider
        for status in statuses:
            if status not in ("completed", "effective"):
                self.unrealised(status, tracks, by_provider)
        # Top the realised ones up to the planned number, as planned handovers.
        while len(self.rows["handover"]) < sizes.handovers:
            self.unrealised(rng.choice(("proposed", "agreed")), tracks, by_provider)

    def unrealised(self, status: str, tracks: list[Track], by_provider) -> None:
        """A handover still to come (or cancelled): it names tracks but moves nothing yet."""
        rng = self.rng
        if status == "cancelled":
            day = self.day_between(date(2015, 1, 1), REFERENCE_DAY + timedelta(days=300))
        else:
            day = self.day_between(REFERENCE_DAY + timedelta(days=30), date(2028, 12, 31))
        picked = self.pick_tracks(tracks, by_provider, min(day, REFERENCE_DAY))
        n = len(self.rows["handover"]) + 1
        effective_on = day if status in ("agreed", "cancelled") or rng.random() < 0.7 else None
        handover = self.handover_row(status, effective_on, n)
        if picked is None:
            return
        source, chosen = picked
        receiving = rng.randrange(self.sizes.organisations)
        handover["_from"] = source
        handover["_to"] = receiving if receiving != source else None
        for i in chosen:
            track = tracks[i]
            handover["_tracks"].append(
                (track.service, track.current["municipality"], track.current)
            )

    def split(self, tracks: list[Track]) -> None:
        """Contract renewals and provider changes without a handover, up to the size asked.

        A split keeps the first half's ``opened_by`` and moves ``closed_by`` to the
        second half, so the handovers stay consistent; some splits leave a gap.
        """
        rng = self.rng
        total = sum(len(t.provisions) for t in tracks)
        gaps_wanted = max(3, (self.sizes.provisions - total) // 40)
        attempts = 0
        while total < self.sizes.provisions and attempts < self.sizes.provisions * 20:
            attempts += 1
            track = rng.choice(tracks)
            k = rng.randrange(len(track.provisions))
            row = track.provisions[k]
            end = row["valid_to"] or REFERENCE_DAY
            if (end - row["valid_from"]).days < 120:
                continue
            if track.switch_on is not None and row["valid_from"] < track.switch_on < end:
                continue
            cut = self.day_between(row["valid_from"] + timedelta(days=30), end - timedelta(days=60))
            resume = cut
            if gaps_wanted > 0 and rng.random() < 0.1:
                resume = cut + timedelta(days=rng.randrange(7, 45))
                gaps_wanted -= 1
            organisation = row["organisation"]
            if row["closed_by"] is None and rng.random() < 0.5:
                organisation = rng.randrange(self.sizes.organisations)
            second = {
                **row,
                "id": self.uuid(),
                "organisation": organisation,
                "valid_from": resume,
                "staffed_fte": round(rng.uniform(0.5, 20.0), 1),
                "opened_by": None,
            }
            row["valid_to"], row["closed_by"] = cut, None
            track.provisions.insert(k + 1, second)
            if resume > cut:
                self.planted.append((row, cut, resume))
            total += 1
        # A few services stop for good.
        for track in rng.sample(tracks, len(tracks) // 50):
            last = track.current
            if last["valid_to"] is None and (REFERENCE_DAY - last["valid_from"]).days > 90:
                last["valid_to"] = REFERENCE_DAY - timedelta(days=rng.randrange(1, 60))
                track.ended = True

    # --- what hangs off a handover -------------------------------------------------

    def handover_details(self) -> None:
        rng = self.rng
        orgs, muns, svcs = (
            self.rows["organisation"],
            self.rows["municipality"],
            self.rows["service"],
        )
        staff_left = self.sizes.staff_transfers
        handovers = self.rows["handover"]
        staff_per = [1] * len(handovers)
        for _ in range(max(0, staff_left - len(handovers))):
            staff_per[rng.randrange(len(handovers))] += 1
        staff_n = 0
        for h_index, h in enumerate(handovers):
            hid, status, day = h["id"], h["status"], h["effective_on"]
            party = self.rows["handover_party"]
            if h["_from"] is not None:
                party.append(self.party(hid, PartyRole.SOURCE, orgs[h["_from"]]["id"], None))
            if h["_to"] is not None:
                party.append(self.party(hid, PartyRole.RECEIVING, orgs[h["_to"]]["id"], None))
            for m in sorted({m for _, m, _ in h["_tracks"]}):
                involvement = rng.choice(("informed", "consenting", "directing"))
                party.append(self.party(hid, "municipality", None, muns[m], involvement))
            if rng.random() < 0.1:
                other = orgs[rng.randrange(len(orgs))]["id"]
                party.append(self.party(hid, "other", other, None))
            for service, m, closing in h["_tracks"]:
                self.rows["handover_service"].append(
                    {
                        "id": self.uuid(),
                        "handover": hid,
                        "service": svcs[service]["id"],
                        "municipality": muns[m]["id"],
                        "from_organisation": orgs[h["_from"]]["id"],
                        "note": "",
                    }
                )
                if status != "cancelled" and rng.random() < 0.4 and day is not None:
                    self.guarantee(hid, svcs[service]["id"], muns[m]["id"], day, closing)
            self.transitions(h)
            anchor = day or REFERENCE_DAY + timedelta(days=180)
            for kind, title in rng.sample(MILESTONE_KINDS, rng.randrange(3, 6)):
                due = anchor - timedelta(days=rng.randrange(0, 120))
                self.rows["milestone"].append(
                    {
                        "id": self.uuid(),
                        "handover": hid,
                        "kind": kind,
                        "title": title,
                        "due_on": due,
                        "done_on": due if due <= REFERENCE_DAY and status != "cancelled" else None,
                        "note": "",
                    }
                )
            service_ids = [svcs[s]["id"] for s, _, _ in h["_tracks"]] or [None]
            staff_of_handover = []
            for _ in range(staff_per[h_index]):
                staff_n += 1
                staff = self.staff(hid, status, staff_n, service_ids)
                self.rows["staff_personal_data"].append(
                    {
                        "id": self.uuid(),
                        "staff_transfer": staff["id"],
                        "name": staff.pop("name"),
                        "recorded_at": moment(REFERENCE_DAY),
                    }
                )
                self.rows["staff_transfer"].append(staff)
                staff_of_handover.append(staff)
            self.staff_opened_provisions(h, staff_of_handover)

    def staff_opened_provisions(self, handover: dict[str, Any], staff: list[dict]) -> None:
        """A provision opened by becoming effective is staffed by the staff who moved with
        the handover (the source's figure where none did), as ``become_effective`` does."""
        moving = moving_fte_per_service(staff)
        services = self.rows["service"]
        for opened in handover["_opened"]:
            fte = moving.get(services[opened["service"]]["id"])
            if fte is not None:
                opened["staffed_fte"] = fte

    def party(self, handover, role, organisation, municipality, involvement=None) -> dict:
        """``municipality`` is the municipality's row, for a municipality party."""
        code = municipality["code"] if municipality else None
        rules.check_party_shape(role, organisation, code, involvement)
        municipality = municipality["id"] if municipality else None
        key = rules.PartyKey(role, organisation, municipality)
        rules.check_new_party(self.parties_of[handover], key)
        self.parties_of[handover].append(key)
        return {
            "id": self.uuid(),
            "handover": handover,
            "role": role,
            "organisation": organisation,
            "municipality": municipality,
            "involvement": involvement,
            "note": "",
        }

    def guarantee(self, handover, service, municipality, day, closing) -> None:
        rng = self.rng
        open_ended = rng.random() < 0.3
        full = rng.random() < 0.5
        until = None if open_ended else day + timedelta(days=365 * rng.randrange(1, 5))
        self.rows["continuity_guarantee"].append(
            {
                "id": self.uuid(),
                "handover": handover,
                "service": service,
                "municipality": municipality,
                "valid_from": rules.guarantee_start(None, day, until),
                "until": until,
                "review_on": day + timedelta(days=730) if open_ended else None,
                "full_strength": full,
                "same_conditions": rng.random() < 0.5,
                "baseline_fte": closing["staffed_fte"] if full else None,
                "text": "Dienstverlening blijft op volle sterkte" if full else "",
            }
        )

    def transitions(self, h: dict[str, Any]) -> None:
        rng, status = self.rng, h["status"]
        path = ["proposed"]
        if rng.random() < 0.5:
            path.append("intent_signed")
        if status in ("agreed", "effective", "completed") or (
            status == "cancelled" and rng.random() < 0.3
        ):
            path.append("agreed")
        if status == "intent_signed" and "intent_signed" not in path:
            path.append("intent_signed")
        if status in ("effective", "completed"):
            path.append("effective")
        if status in ("completed", "cancelled"):
            path.append(status)
        if status == "proposed":
            path = ["proposed"]
        start = h["announced_on"] or (h["created_at"].date())
        end = h["effective_on"] or start + timedelta(days=90)
        steps = len(path) - 1
        last_on: date | None = None
        for k, (before, after) in enumerate(itertools.pairwise(path), start=1):
            if after == "effective":
                on = h["effective_on"]
            elif after == "completed":
                on = min(REFERENCE_DAY, h["effective_on"] + timedelta(days=rng.randrange(30, 300)))
            else:
                on = start + (max(end, start) - start) * k / (steps + 1)
                on = min(on, REFERENCE_DAY)
            check_transition(HandoverStatus(before), HandoverStatus(after), on, last_on)
            last_on = on
            self.rows["handover_transition"].append(
                {
                    "id": self.uuid(),
                    "handover": h["id"],
                    "from_status": before,
                    "to_status": after,
                    "on": on,
                    "actor": ACTOR,
                    "note": "",
                    "recorded_at": moment(on, k),
                }
            )

    def staff(self, handover, status, n, service_ids) -> dict[str, Any]:
        rng = self.rng
        basis = rng.choice(
            ("transfer_of_undertaking",) * 6 + ("new_contract", "secondment", "not_transferring")
        )
        staff_status = {
            "completed": "transferred",
            "effective": "transferred",
            "agreed": "agreed",
            "intent_signed": "informed",
            "proposed": "proposed",
            "cancelled": "declined",
        }[status]
        if basis == "not_transferring":
            staff_status = "declined"
        check_staff_status(StaffStatus.PROPOSED, staff_status)
        return {
            "id": self.uuid(),
            "handover": handover,
            "staff_ref": f"P{n:07d}",
            "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            "function": rng.choice(FUNCTIONS),
            "fte": round(rng.choice((0.4, 0.5, 0.6, 0.8, 0.9, 1.0)), 1),
            "service": rng.choice(service_ids),
            "basis": basis,
            "terms_retained": basis == "transfer_of_undertaking" or rng.random() < 0.5,
            "status": staff_status,
            "is_demo": False,
            "version": 1,
        }

    # --- assembling ----------------------------------------------------------------

    def build(self) -> Dataset:
        self.municipalities()
        self.organisations()
        self.services()
        tracks = self.tracks()
        self.realise(tracks)
        self.split(tracks)
        self.handover_details()
        orgs, muns, svcs = (
            self.rows["organisation"],
            self.rows["municipality"],
            self.rows["service"],
        )
        for track in tracks:
            for row in track.provisions:
                self.rows["provision"].append(
                    {
                        **row,
                        "service": svcs[row["service"]]["id"],
                        "municipality": muns[row["municipality"]]["id"],
                        "organisation": orgs[row["organisation"]]["id"],
                        "opened_by": row["opened_by"]["id"] if row["opened_by"] else None,
                        "closed_by": row["closed_by"]["id"] if row["closed_by"] else None,
                    }
                )
        for h in self.rows["handover"]:
            for key in ("_tracks", "_opened", "_from", "_to"):
                h.pop(key)
        planted = [
            PlantedGap(svcs[row["service"]]["id"], muns[row["municipality"]]["code"], cut, resume)
            for row, cut, resume in self.planted
        ]
        return self.dataset(planted)

    def dataset(self, planted: list[PlantedGap]) -> Dataset:
        """Decide the audit trail's size and each record's version; audit rows come lazily."""
        rng = self.rng
        records = [
            (table, row)
            for table, rows in self.rows.items()
            if table not in UNAUDITED
            for row in rows
        ]
        transitions = len(self.rows["handover_transition"])
        spare = max(0, self.sizes.audit_events - len(records) - transitions)
        versioned = [
            row
            for table in ("staff_transfer", "provision", "handover", "organisation", "service")
            for row in self.rows[table]
        ]
        for _ in range(spare):
            rng.choice(versioned)["version"] += 1
        seed = rng.getrandbits(64)
        columns = {t: COLUMNS[t] for t in TABLES}
        as_tuples = {
            table: [tuple(row[c] for c in COLUMNS[table]) for row in rows]
            for table, rows in self.rows.items()
        }
        total = len(records) + transitions + spare
        all_rows = self.rows

        def audit_rows() -> Iterator[tuple]:
            return audit_trail(all_rows, seed)

        return Dataset(columns, as_tuples, total, audit_rows, planted)


def _successors_first(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Municipalities in an order the foreign key to the successor can be loaded in."""
    placed: set[UUID] = set()
    ordered: list[dict[str, Any]] = []
    while len(ordered) < len(rows):
        for row in rows:
            if row["id"] not in placed and (row["successor"] is None or row["successor"] in placed):
                placed.add(row["id"])
                ordered.append(row)
    return ordered


def _when(table: str, row: dict[str, Any]) -> date:
    for key in ("valid_from", "announced_on", "on", "due_on"):
        if row.get(key):
            return min(row[key], REFERENCE_DAY)
    if "created_at" in row:
        return row["created_at"].date()
    return date(2010, 1, 1)


def audit_trail(rows: dict[str, list[dict[str, Any]]], seed: int) -> Iterator[tuple]:
    """One create event per record, a transition event per step, and updates that bring
    each record from version 1 to the version it has, ending on the row as stored."""
    rng = random.Random(seed)
    encode = msgspec.json.Encoder().encode
    n = 0

    def event(day: date, action: str, table: str, record_id: Any, before, after) -> tuple:
        nonlocal n
        n += 1
        return (
            UUID(int=rng.getrandbits(128), version=4),
            moment(day, n % 36_000),
            ACTOR,
            action,
            table,
            str(record_id),
            None if before is None else encode(before).decode(),
            None if after is None else encode(after).decode(),
        )

    for table, table_rows in rows.items():
        if table in UNAUDITED:
            continue
        for row in table_rows:
            snapshot = {k: json_value(v) for k, v in row.items()}
            day = _when(table, row)
            versions = row.get("version", 1)
            first = {**snapshot, "version": 1} if "version" in row else snapshot
            yield event(day, "create", table, row["id"], None, first)
            previous = first
            for v in range(2, versions + 1):
                current = {**snapshot, "version": v}
                day = min(day + timedelta(days=1), REFERENCE_DAY)
                yield event(day, "update", table, row["id"], previous, current)
                previous = current
            if table == "handover_transition":
                yield event(
                    row["on"],
                    "transition",
                    "handover",
                    row["handover"],
                    {"status": row["from_status"]},
                    {"status": row["to_status"], "on": row["on"].isoformat(), "note": ""},
                )


def generate(sizes: Sizes, seed: int = 1) -> Dataset:
    return Generator(sizes, seed).build()
