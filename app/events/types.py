"""The event types: what a municipality or a provider's management should hear of."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

PREFIX = "nl.overdrachtsregister."


class EventType(StrEnum):
    HANDOVER_CREATED = PREFIX + "handover-created"
    HANDOVER_STATUS_CHANGED = PREFIX + "handover-status-changed"
    HANDOVER_EFFECTIVE_DATE_CHANGED = PREFIX + "handover-effective-date-changed"
    PROVIDER_CHANGED = PREFIX + "provider-changed"
    GUARANTEE_CHANGED = PREFIX + "guarantee-changed"
    GUARANTEE_BREACHED = PREFIX + "guarantee-breached"
    GUARANTEE_RESTORED = PREFIX + "guarantee-restored"
    GAP_FORESEEN = PREFIX + "gap-foreseen"
    EFFECTIVE_DATE_REACHED = PREFIX + "effective-date-reached"
    GUARANTEE_ENDED = PREFIX + "guarantee-ended"


#: The names as a literal type: request bodies state them inline as an enum.
EventTypeName = Literal[*(t.value for t in EventType)]  # type: ignore[valid-type]

#: Sent once when a subscription is created: it must be answered with a 2xx.
TEST_EVENT_TYPE = PREFIX + "subscription-test"


def organisation_scope(organisation_id: object) -> str:
    """The scope value under which an organisation's keys hear of an event."""
    return f"organisation:{organisation_id}"


@dataclass(slots=True)
class NewEvent:
    type: str
    resource: str
    subject: str
    data: dict[str, Any]
    scopes: set[str] = field(default_factory=set)
    #: Events that must be emitted once only carry a key the table keeps unique.
    once_key: str | None = None
