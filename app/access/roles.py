"""Who is calling: the roles of DESIGN.md and the scope a key carries."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.vocabulary import Vocabulary


class Role(Vocabulary):
    """What a key or a person may do; the scoped roles see only their organisations or
    municipalities."""

    ADMIN = "admin", "beheerder"
    REGISTRAR = "registrar", "registrateur"
    HR = "hr", "HR"
    MANAGEMENT = "management", "management"
    MUNICIPALITY = "municipality", "gemeente"


#: Roles that see and change everything; the others are scoped.
UNSCOPED = frozenset({Role.ADMIN, Role.REGISTRAR})
#: Roles whose scope is a set of organisations.
ORGANISATION_SCOPED = frozenset({Role.HR, Role.MANAGEMENT})


@dataclass(frozen=True, slots=True)
class Principal:
    key_id: str
    name: str
    role: Role
    organisation_ids: frozenset[str] = field(default_factory=frozenset)
    municipality_codes: frozenset[str] = field(default_factory=frozenset)

    @property
    def actor(self) -> str:
        return f"{self.role}:{self.name or self.key_id}"

    @property
    def unscoped(self) -> bool:
        return self.role in UNSCOPED

    @property
    def sees_personal_data(self) -> bool:
        return self.role in UNSCOPED or self.role is Role.HR
