"""What a newer CBS list changes in the registry's municipalities: plain Python, no database.

The list says which municipalities exist on a date; the herindelingen say where those
that are no longer listed went. Together they give a set of dated changes, or one clear
reason why the files do not fit the registry.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from app.municipalities.reference import BadFile, MunicipalityFact, Succession


@dataclass(frozen=True, slots=True)
class Change:
    kind: str  # new | rename | province | ended
    code: str
    on: date
    description: str
    values: dict = field(default_factory=dict, compare=False)
    successions: tuple[Succession, ...] = ()


def plan_update(
    registry: dict[str, MunicipalityFact],
    listed: list[MunicipalityFact],
    successions: list[Succession],
    on: date,
) -> list[Change]:
    """The changes that make ``registry`` say what ``listed`` says for ``on``."""
    listed_by_code = {m.code: m for m in listed}
    going: dict[str, list[Succession]] = defaultdict(list)
    for succession in successions:
        going[succession.code].append(succession)
    changes: list[Change] = []
    for code, fact in sorted(listed_by_code.items()):
        known = registry.get(code)
        if known is None:
            start = min((s.on for s in successions if s.successor == code), default=on)
            changes.append(
                Change(
                    "new",
                    code,
                    start,
                    f"{code} {fact.name} ({fact.province}) from {start}",
                    {
                        "code": code,
                        "name": fact.name,
                        "province": fact.province,
                        "valid_from": start,
                    },
                )
            )
            continue
        if known.valid_to is not None:
            raise BadFile(
                f"{code} {known.name} ended on {known.valid_to}; it cannot be listed again"
            )
        if code in going:
            raise BadFile(f"{code} is in the new list, so the herindelingen cannot end it")
        if known.name != fact.name:
            changes.append(
                Change(
                    "rename",
                    code,
                    on,
                    f"{code} renamed from {known.name} to {fact.name} on {on}",
                    {"name": fact.name},
                )
            )
        if known.province != fact.province:
            changes.append(
                Change(
                    "province",
                    code,
                    on,
                    f"{code} {fact.name} moves from {known.province} to {fact.province} on {on}",
                    {"province": fact.province},
                )
            )
    for code, known in sorted(registry.items()):
        if known.valid_to is not None or code in listed_by_code:
            continue
        links = going.get(code)
        if not links:
            raise BadFile(
                f"{code} {known.name} is not in the new list, and the herindelingen file "
                "does not say where it went"
            )
        dates = {s.on for s in links}
        if len(dates) > 1:
            listed_dates = ", ".join(str(d) for d in sorted(dates))
            raise BadFile(f"{code} cannot end on more than one date ({listed_dates})")
        for link in links:
            if link.successor not in listed_by_code:
                raise BadFile(f"{code} goes to {link.successor}, which is not in the new list")
        end = dates.pop()
        names = ", ".join(
            f"{s.successor} {listed_by_code[s.successor].name}" + (f" ({s.part})" if s.part else "")
            for s in links
        )
        changes.append(
            Change(
                "ended",
                code,
                end,
                f"{code} {known.name} ends on {end}, into {names}",
                {"valid_to": end},
                tuple(links),
            )
        )
    for code in going:
        if code not in registry and code not in listed_by_code:
            raise BadFile(f"the herindelingen name {code}, which the registry does not know")
        ended = registry.get(code)
        # The same herindeling applied before is no change; another one is a mistake.
        if (
            ended is not None
            and ended.valid_to is not None
            and {s.on for s in going[code]} != {ended.valid_to}
        ):
            raise BadFile(f"{code} {ended.name} ended already on {ended.valid_to}")
    return changes
