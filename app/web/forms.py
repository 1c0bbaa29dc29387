"""Reading a submitted form into typed values, with a Dutch message per wrong field.

The NL Design System form pattern: the form comes back with what was typed, a message
beside each wrong field and a summary at the top linking to them. Inputs are named as
the API names the same field (``effectiveOn``, ``parties[0].organisationId``), so a
domain error's ``field`` points at the input it is about.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from app.access.policy import POLICY
from app.access.roles import Principal
from app.errors import DomainError, Forbidden, PreconditionFailed, PreconditionRequired

STALE = (
    "Iemand anders heeft dit intussen gewijzigd. Uw wijziging is niet opgeslagen; "
    "hieronder staan de huidige gegevens. Bekijk ze en voer uw wijziging zo nodig opnieuw in."
)
DATE_HINT = "Vul een datum in als JJJJ-MM-DD, bijvoorbeeld 2020-01-01."


def may(viewer: Principal, operation: str) -> bool:
    """The API's policy for the operation a form stands in for."""
    return viewer.role in POLICY[operation]


def require(viewer: Principal, operation: str) -> None:
    if not may(viewer, operation):
        raise Forbidden(f"the role {viewer.role} may not {operation}")


def field_id(name: str) -> str:
    """An element id for an input name: ``parties[0].role`` → ``f-parties-0-role``."""
    return "f-" + re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-")


@dataclass
class FormErrors:
    by_field: dict[str, str] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)

    def add(self, name: str, message: str) -> None:
        self.by_field.setdefault(name, message)

    def __bool__(self) -> bool:
        return bool(self.by_field or self.general)

    def get(self, name: str) -> str | None:
        return self.by_field.get(name)

    def summary(self) -> list[tuple[str | None, str]]:
        return [(None, m) for m in self.general] + list(self.by_field.items())

    def add_domain_error(self, error: DomainError, inputs: Mapping[str, str]) -> None:
        """Beside its field when the form has it, else in the summary."""
        message = error.nl or f"Dit kan niet: {error.detail}."
        if isinstance(error, PreconditionFailed | PreconditionRequired):
            self.general.append(STALE)
        elif error.field and error.field in inputs:
            self.add(error.field, message)
        else:
            self.general.append(message)


class FormReader:
    """Typed values from the submitted fields; each wrong one adds a Dutch message."""

    def __init__(self, values: Mapping[str, str], errors: FormErrors | None = None) -> None:
        self.values = {k: v.strip() for k, v in values.items()}
        self.errors = errors or FormErrors()

    def blank(self, *names: str) -> bool:
        return not any(self.values.get(n) for n in names)

    def text(self, name: str, *, required: str | None = None, max_length: int = 2000) -> str:
        value = self.values.get(name, "")
        if not value and required:
            self.errors.add(name, required)
        elif len(value) > max_length:
            self.errors.add(name, f"Gebruik ten hoogste {max_length} tekens.")
        return value

    def choice(
        self, name: str, options: Mapping[str, str], *, required: str | None = None
    ) -> str | None:
        value = self.values.get(name, "")
        if not value:
            if required:
                self.errors.add(name, required)
            return None
        if value not in options:
            self.errors.add(name, "Kies een van de mogelijkheden in de lijst.")
            return None
        return value

    def date(self, name: str, *, required: str | None = None) -> date | None:
        value = self.values.get(name, "")
        if not value:
            if required:
                self.errors.add(name, required)
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.errors.add(name, DATE_HINT)
            return None

    def uuid(self, name: str, *, required: str | None = None) -> UUID | None:
        value = self.values.get(name, "")
        if not value:
            if required:
                self.errors.add(name, required)
            return None
        try:
            return UUID(value)
        except ValueError:
            self.errors.add(name, "Kies een van de mogelijkheden in de lijst.")
            return None

    def number(
        self, name: str, *, low: float, high: float, required: str | None = None
    ) -> float | None:
        value = self.values.get(name, "").replace(",", ".")
        if not value:
            if required:
                self.errors.add(name, required)
            return None
        try:
            number = float(value)
        except ValueError:
            number = float("nan")
        if not low <= number <= high:
            shown = f"{low:g} en {high:g}".replace(".", ",")
            self.errors.add(name, f"Vul een getal tussen {shown} in.")
            return None
        return number

    def flag(self, name: str) -> bool:
        return bool(self.values.get(name))

    def version(self) -> str | None:
        """The ETag of the version the form showed (its hidden ``version`` field)."""
        value = self.values.get("version", "")
        return f'"{value}"' if value.isdigit() else None
