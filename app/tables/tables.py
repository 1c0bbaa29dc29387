"""The registry's tables: one per concept of DESIGN.md.

Periods are half-open ``[valid_from, valid_to)``; an empty ``valid_to`` is open-ended.
Every editable table carries ``version``, bumped on each write, which the API serves
as the ETag. Constraints that span columns (unique pairs, the exclusion constraint on
provisions) live in a hand-written migration, since SQLite cannot add them by ALTER.
"""

from __future__ import annotations

from piccolo.apps.user.tables import BaseUser
from piccolo.columns import (
    JSON,
    UUID,
    BigInt,
    Boolean,
    Date,
    DoublePrecision,
    ForeignKey,
    Integer,
    LazyTableReference,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from app.handovers.vocabulary import (
    HandoverKind,
    HandoverStatus,
    Involvement,
    MilestoneKind,
    PartyRole,
)
from app.organisations.vocabulary import IdentifierKind, RelationKind
from app.staff.vocabulary import StaffBasis, StaffStatus


class Organisation(Table):
    id = UUID(primary_key=True)
    name = Varchar(length=200, index=True)
    kvk_number = Varchar(length=8, null=True, default=None, unique=True)
    kind = Varchar(length=40, default="stichting")
    website = Varchar(length=300, null=True, default=None)
    description = Text(default="")
    is_demo = Boolean(default=False)
    version = Integer(default=1)
    created_at = Timestamptz(default=TimestamptzNow())


class OrganisationIdentifier(Table):
    """A number an organisation is known by in a register, over the period it held it:
    ``kvk_number``, ``establishment_number`` (vestigingsnummer), ``rsin``, ``agb_code``."""

    id = UUID(primary_key=True)
    organisation = ForeignKey(Organisation, on_delete=OnDelete.cascade, index=True, null=False)
    kind = Varchar(length=30, choices=IdentifierKind)
    value = Varchar(length=12, index=True)
    valid_from = Date(null=True, default=None)
    valid_to = Date(null=True, default=None)


class OrganisationName(Table, tablename="organisation_name_history"):
    """A name an organisation went by; renames keep the organisation's identity."""

    id = UUID(primary_key=True)
    organisation = ForeignKey(Organisation, on_delete=OnDelete.cascade, index=True, null=False)
    name = Varchar(length=200)
    valid_from = Date(null=True, default=None)
    valid_to = Date(null=True, default=None)


class OrganisationRelation(Table):
    """An organisation being part of (or a member of) another over a period."""

    id = UUID(primary_key=True)
    organisation = ForeignKey(Organisation, on_delete=OnDelete.cascade, index=True, null=False)
    related_to = ForeignKey(Organisation, on_delete=OnDelete.cascade, index=True, null=False)
    kind = Varchar(length=20, default=RelationKind.PART_OF, choices=RelationKind)
    valid_from = Date(null=True, default=None)
    valid_to = Date(null=True, default=None)
    note = Text(default="")


class Officer(Table):
    """A director or manager of an organisation over a period (public role, not staff data)."""

    id = UUID(primary_key=True)
    organisation = ForeignKey(Organisation, on_delete=OnDelete.cascade, index=True, null=False)
    name = Varchar(length=200)
    title = Varchar(length=200)
    valid_from = Date(null=True, default=None)
    valid_to = Date(null=True, default=None)


class Municipality(Table):
    id = UUID(primary_key=True)
    code = Varchar(length=6, unique=True)
    name = Varchar(length=200)
    province = Varchar(length=100, default="")
    valid_from = Date(null=True, default=None)
    valid_to = Date(null=True, default=None)
    successor: ForeignKey[Municipality] = ForeignKey(
        LazyTableReference("Municipality", module_path=__name__), null=True
    )


class MunicipalitySuccessor(Table, tablename="municipality_succession"):
    """Where a municipality went on its herindeling: one row per successor, several when
    it was split (``part`` says which part, when known). ``Municipality.successor`` is
    set only when there is exactly one."""

    id = UUID(primary_key=True)
    municipality = ForeignKey(Municipality, on_delete=OnDelete.cascade, index=True, null=False)
    successor = ForeignKey(Municipality, on_delete=OnDelete.restrict, index=True, null=False)
    valid_from = Date()
    part = Text(default="")


class Service(Table):
    id = UUID(primary_key=True)
    name = Varchar(length=200, index=True)
    category = Varchar(length=100, default="")
    description = Text(default="")
    version = Integer(default=1)
    created_at = Timestamptz(default=TimestamptzNow())


class Handover(Table):
    id = UUID(primary_key=True)
    title = Varchar(length=300)
    description = Text(default="")
    kind = Varchar(length=20, default=HandoverKind.TRANSFER, choices=HandoverKind)
    status = Varchar(length=20, default=HandoverStatus.PROPOSED, choices=HandoverStatus, index=True)
    effective_on = Date(null=True, default=None, index=True)
    announced_on = Date(null=True, default=None)
    source = Text(default="")
    version = Integer(default=1)
    created_at = Timestamptz(default=TimestamptzNow())


class HandoverParty(Table):
    id = UUID(primary_key=True)
    handover = ForeignKey(Handover, on_delete=OnDelete.cascade, index=True, null=False)
    role = Varchar(length=20, choices=PartyRole)
    organisation = ForeignKey(Organisation, null=True, on_delete=OnDelete.restrict, index=True)
    municipality = ForeignKey(Municipality, null=True, on_delete=OnDelete.restrict, index=True)
    involvement = Varchar(length=20, null=True, default=None, choices=Involvement)
    note = Text(default="")


class HandoverService(Table):
    """A service a handover moves in one municipality, away from one source organisation."""

    id = UUID(primary_key=True)
    handover = ForeignKey(Handover, on_delete=OnDelete.cascade, index=True, null=False)
    service = ForeignKey(Service, on_delete=OnDelete.restrict, index=True, null=False)
    municipality = ForeignKey(Municipality, on_delete=OnDelete.restrict, index=True, null=False)
    from_organisation = ForeignKey(Organisation, null=True, on_delete=OnDelete.restrict)
    note = Text(default="")


class HandoverTransition(Table):
    """One step of a handover's lifecycle: append-only."""

    id = UUID(primary_key=True)
    handover = ForeignKey(Handover, on_delete=OnDelete.cascade, index=True, null=False)
    from_status = Varchar(length=20, null=True, default=None, choices=HandoverStatus)
    to_status = Varchar(length=20, choices=HandoverStatus)
    on = Date()
    actor = Varchar(length=200)
    note = Text(default="")
    recorded_at = Timestamptz(default=TimestamptzNow())


class Provision(Table):
    """An organisation delivering a service in a municipality over [valid_from, valid_to)."""

    id = UUID(primary_key=True)
    service = ForeignKey(Service, on_delete=OnDelete.restrict, index=True, null=False)
    municipality = ForeignKey(Municipality, on_delete=OnDelete.restrict, index=True, null=False)
    organisation = ForeignKey(Organisation, on_delete=OnDelete.restrict, index=True, null=False)
    valid_from = Date()
    valid_to = Date(null=True, default=None)
    staffed_fte = DoublePrecision(null=True, default=None)
    opened_by = ForeignKey(Handover, null=True, on_delete=OnDelete.set_null)
    closed_by = ForeignKey(Handover, null=True, on_delete=OnDelete.set_null)
    note = Text(default="")
    version = Integer(default=1)


class StaffTransfer(Table):
    """One employee moving (or not) with a handover, by pseudonymous ``staff_ref`` only:
    who the person is lives in ``StaffPersonalData``, so no version or audit event of this
    row holds a name."""

    id = UUID(primary_key=True)
    # No index of its own: the unique (handover, staff_ref) index leads with it.
    handover = ForeignKey(Handover, on_delete=OnDelete.cascade, null=False)
    staff_ref = Varchar(length=60)
    function = Varchar(length=200, default="")
    fte = DoublePrecision(default=0.0)
    service = ForeignKey(Service, null=True, on_delete=OnDelete.restrict)
    basis = Varchar(length=30, default=StaffBasis.TRANSFER_OF_UNDERTAKING, choices=StaffBasis)
    terms_retained = Boolean(default=True)
    status = Varchar(length=20, default=StaffStatus.PROPOSED, choices=StaffStatus)
    is_demo = Boolean(default=False)
    version = Integer(default=1)


class StaffPersonalData(Table):
    """Who is behind one staff transfer's reference: the registry's only copy of personal
    data (AVG). Its changes are audited by reference only and it is not versioned, so
    deleting its row (erasure on request, or at the end of the retention period) leaves
    nothing of the person behind."""

    id = UUID(primary_key=True)
    staff_transfer = ForeignKey(StaffTransfer, on_delete=OnDelete.cascade, unique=True, null=False)
    name = Varchar(length=200, null=True, default=None)
    recorded_at = Timestamptz(default=TimestamptzNow())


class ContinuityGuarantee(Table):
    id = UUID(primary_key=True)
    handover = ForeignKey(Handover, on_delete=OnDelete.cascade, index=True, null=False)
    service = ForeignKey(Service, on_delete=OnDelete.restrict, index=True, null=False)
    municipality = ForeignKey(Municipality, on_delete=OnDelete.restrict, index=True, null=False)
    valid_from = Date()
    until = Date(null=True, default=None)
    review_on = Date(null=True, default=None)
    full_strength = Boolean(default=False)
    same_conditions = Boolean(default=False)
    baseline_fte = DoublePrecision(null=True, default=None)
    text = Text(default="")


class Milestone(Table):
    id = UUID(primary_key=True)
    handover = ForeignKey(Handover, on_delete=OnDelete.cascade, index=True, null=False)
    kind = Varchar(length=40, default=MilestoneKind.OTHER, choices=MilestoneKind)
    title = Varchar(length=300)
    due_on = Date(null=True, default=None)
    done_on = Date(null=True, default=None)
    note = Text(default="")


class ServiceFigure(Table):
    """A yearly figure of a service at a provider (e.g. new volunteers in 2022)."""

    id = UUID(primary_key=True)
    service = ForeignKey(Service, on_delete=OnDelete.cascade, index=True, null=False)
    organisation = ForeignKey(Organisation, on_delete=OnDelete.cascade, index=True, null=False)
    year = Integer()
    metric = Varchar(length=100)
    value = DoublePrecision()
    note = Text(default="")


class AuditEvent(Table):
    """Every change, append-only, written in the transaction of the change."""

    id = UUID(primary_key=True)
    occurred_at = Timestamptz(default=TimestamptzNow(), index=True)
    actor = Varchar(length=200)
    action = Varchar(length=20)  # create | update | delete | transition
    record_type = Varchar(length=60)
    record_id = Varchar(length=60, index=True)
    before = JSON(null=True, default=None)
    after = JSON(null=True, default=None)


class ApiKey(Table):
    id = UUID(primary_key=True)
    name = Varchar(length=200, default="")
    role = Varchar(length=20)
    key_hash = Varchar(length=128, unique=True)
    prefix = Varchar(length=16)
    organisation_ids = JSON(default="[]")
    municipality_codes = JSON(default="[]")
    created_at = Timestamptz(default=TimestamptzNow())
    revoked_at = Timestamptz(null=True, default=None)
    expires_at = Timestamptz(null=True, default=None)
    last_used_at = Timestamptz(null=True, default=None)


class UserAccess(Table):
    """What a person who logs in to the web pages may see: one role and its scope.

    The login itself is Piccolo's ``BaseUser`` (so Piccolo Admin knows the same people);
    this row adds the registry's role, as an API key has it.
    """

    user = ForeignKey(references=BaseUser, on_delete=OnDelete.cascade, unique=True)
    role = Varchar(length=20)
    organisation_ids = JSON(default="[]")
    municipality_codes = JSON(default="[]")


class IdempotentRequest(Table):
    """The first answer to a create sent with an ``Idempotency-Key``, replayed on retries."""

    lookup = Varchar(length=300, unique=True)  # "<api key id>:<Idempotency-Key>"
    method = Varchar(length=10)
    path = Varchar(length=500)
    body_hash = Varchar(length=64)
    status_code = Integer()
    response_body = Text(default="")
    response_headers = JSON(default="{}")
    created_at = Timestamptz(default=TimestamptzNow(), index=True)


class Event(Table):
    """The outbox: one row per event, written in the transaction of the change it tells.

    ``sequence`` is gapless and commits in order (see ``app.events.outbox``); the feed and
    every subscription read events in that order. Rows are never changed or deleted, so
    the time an event was recorded is its own ``recorded_at``. No personal data.
    """

    id = UUID(primary_key=True)
    sequence = BigInt(unique=True)
    type = Varchar(length=80)
    recorded_at = Timestamptz(default=TimestamptzNow())
    #: The resource the event is about, as an API path (the CloudEvent's ``dataref``).
    resource = Varchar(length=200)
    #: The id of the record the event is about (a handover, a guarantee, a provision).
    subject = Varchar(length=60, index=True)
    data = JSON(default="{}")
    #: Set for events that must be emitted once only (a date reached, a gap foreseen).
    once_key = Varchar(length=200, null=True, default=None, unique=True)


class EventScope(Table):
    """Who may hear of an event: one row per municipality code (``GM0014``) and per
    organisation (``organisation:<uuid>``) it touches, indexed with the sequence."""

    id = UUID(primary_key=True)
    sequence = BigInt()
    scope = Varchar(length=60)


class EventCounter(Table):
    """The one row whose lock orders event-writing transactions (see app.events.outbox)."""

    id = Integer(primary_key=True)
    last = BigInt(default=0)


class Subscription(Table):
    """An abonnement: events by HTTP POST at a callback URL, filtered within a key's scope."""

    id = UUID(primary_key=True)
    api_key = Varchar(length=60, index=True)
    #: Scope values (as in ``EventScope``) the owner may hear of; ``null``: everything.
    scope = JSON(null=True, default=None)
    municipality_codes = JSON(default="[]")
    types = JSON(default="[]")
    callback_url = Varchar(length=1000)
    auth = Text(null=True, default=None)
    secret = Varchar(length=100)
    status = Varchar(length=20, default="active")  # active | suspended | ended
    status_reason = Text(default="")
    #: The last sequence this subscription has delivered or passed over.
    delivered_through = BigInt(default=0)
    failures = Integer(default=0)
    #: Epoch seconds: not before then (backoff, Retry-After), not while another worker holds it.
    next_attempt_at = DoublePrecision(default=0.0)
    leased_until = DoublePrecision(default=0.0)
    created_at = Timestamptz(default=TimestamptzNow())


class Delivery(Table):
    """One attempt to deliver one event to one subscription."""

    id = UUID(primary_key=True)
    subscription = ForeignKey(Subscription, on_delete=OnDelete.cascade, index=True, null=False)
    event_id = UUID()
    sequence = BigInt()
    attempted_at = Timestamptz(default=TimestamptzNow())
    status_code = Integer(null=True, default=None)
    outcome = Varchar(length=20)  # delivered | failed | gone | suspended
    error = Text(default="")
    next_attempt_at = Timestamptz(null=True, default=None)
