"""How many rows of each kind a scale generates."""

from __future__ import annotations

from dataclasses import dataclass

#: The national registry: all Dutch municipalities, thousands of providers.
NATIONAL = {
    "municipalities": 342,
    "organisations": 3_000,
    "services": 400,
    "provisions": 40_000,
    "handovers": 5_000,
    "staff_transfers": 100_000,
    "audit_events": 1_000_000,
}

#: Below these a data set cannot hold a merger, a multi-track handover and a gap.
MINIMUM = {
    "municipalities": 12,
    "organisations": 20,
    "services": 10,
    "provisions": 150,
    "handovers": 30,
    "staff_transfers": 60,
    "audit_events": 3_000,
}

SCALES = {"national": 1.0, "national10": 10.0, "test": 0.01}


@dataclass(frozen=True, slots=True)
class Sizes:
    municipalities: int
    organisations: int
    services: int
    provisions: int
    handovers: int
    staff_transfers: int
    audit_events: int

    @classmethod
    def of(cls, scale: str, factor: float = 1.0) -> Sizes:
        multiplier = SCALES[scale] * factor
        return cls(
            **{name: max(MINIMUM[name], round(n * multiplier)) for name, n in NATIONAL.items()}
        )
