"""The change feed: events in sequence order, as CloudEvents (NL GOV profile)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, get
from litestar.params import QueryParameter

from app.api.auth import CurrentPrincipal
from app.api.pagination import Limit
from app.events.envelope import envelope
from app.events.feed import Filter, narrowed, principal_scopes, read
from app.events.types import EventType
from app.fields import CBS_CODE_QUERY
from app.schemas import Page, Schema

#: Sequences are 64-bit integers in both databases; a larger `after` is a 400, not a 500.
SEQUENCE_MAX = 2**63 - 1


class CloudEvent(Schema, rename=None):
    """A CloudEvent 1.0 in structured JSON form; ``data`` never holds personal data."""

    specversion: str
    id: str
    source: str
    type: str
    time: str
    sequence: str
    sequencetype: str
    datacontenttype: str
    dataref: str
    data: dict[str, Any]


EventTypes = Annotated[
    list[EventType] | None,
    QueryParameter(description="Only events of these types.", required=False),
]


class EventController(Controller):
    path = "/events"
    tags = ["events"]

    @get(operation_id="listEvents")
    async def list_events(
        self,
        principal: CurrentPrincipal,
        after: Annotated[
            int,
            QueryParameter(
                ge=0,
                le=SEQUENCE_MAX,
                description="Events after this sequence (0: from the start).",
                required=False,
            ),
        ] = 0,
        limit: Limit = 50,
        type: EventTypes = None,
        municipality: Annotated[
            str | None,
            QueryParameter(
                description="Only events touching this municipality (CBS code).",
                required=False,
                **CBS_CODE_QUERY,
            ),
        ] = None,
    ) -> Page[CloudEvent]:
        """Events after a sequence, oldest first, as the key may hear of them."""
        scopes = await narrowed(
            await principal_scopes(principal), [municipality] if municipality else []
        )
        rows = await read(
            after, limit + 1, Filter(scopes=scopes, types=frozenset(str(t) for t in type or ()))
        )
        items = [CloudEvent(**envelope(r)) for r in rows[:limit]]
        more = len(rows) > limit
        return Page(items=items, next=items[-1].sequence if more else None)
