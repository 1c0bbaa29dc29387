"""The rules a provision's period obeys, in plain Python: it ends after it starts, and it
shares no day with another provision of the same service in the same municipality."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from app.errors import InvalidInput, OverlappingProvision
from app.provisions.periods import Period, conflicting


def check_period(valid_from: date, valid_to: date | None) -> None:
    if valid_to is not None and valid_to <= valid_from:
        raise InvalidInput(
            "validTo must lie after validFrom (periods are half-open)",
            field="validTo",
            nl="De einddatum moet na de begindatum liggen.",
        )


def check_no_overlap(same_track: Iterable[Period], candidate: Period) -> None:
    """Refuse ``candidate`` if it shares a day with another period of its track."""
    if clash := conflicting(same_track, candidate):
        first = clash[0]
        until = first.valid_to.isoformat() if first.valid_to else "open einde"
        raise OverlappingProvision(
            f"the period overlaps provision {first.id} "
            f"[{first.valid_from}, {first.valid_to or '…'}) of the same service and municipality",
            field="validFrom",
            nl=f"Deze periode overlapt een andere levering van deze dienst in deze gemeente "
            f"({first.valid_from.isoformat()} – {until}).",
        )
