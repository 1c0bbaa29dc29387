"""Who may call what: one table, applied on every API route by `app.api.auth`.

Keys are operation ids. A route without an entry makes the app refuse to start, so no
endpoint can be added without deciding who may call it. The roles here are the first
gate; object-level scope (which organisations or municipalities a key covers) is checked
by the handlers through ``app.access.scope``.
"""

from __future__ import annotations

from app.access.roles import Role

ANYONE_WITH_A_KEY = frozenset(Role)
EDITORS = frozenset({Role.ADMIN, Role.REGISTRAR})
STAFF_READERS = frozenset({Role.ADMIN, Role.REGISTRAR, Role.HR})
ADMINS = frozenset({Role.ADMIN})

POLICY: dict[str, frozenset[Role]] = {
    # organisations
    "listOrganisations": ANYONE_WITH_A_KEY,
    "getOrganisation": ANYONE_WITH_A_KEY,
    "createOrganisation": EDITORS,
    "updateOrganisation": EDITORS,
    "createOrganisationRelation": EDITORS,
    "createOrganisationIdentifier": EDITORS,
    # municipalities
    "listMunicipalities": ANYONE_WITH_A_KEY,
    "getMunicipality": ANYONE_WITH_A_KEY,
    # services
    "listServices": ANYONE_WITH_A_KEY,
    "getService": ANYONE_WITH_A_KEY,
    "getServiceTimeline": ANYONE_WITH_A_KEY,
    "createService": EDITORS,
    "updateService": EDITORS,
    "createServiceFigure": EDITORS,
    # provisions
    "listProvisions": ANYONE_WITH_A_KEY,
    "getProvision": ANYONE_WITH_A_KEY,
    "createProvision": EDITORS,
    "updateProvision": EDITORS,
    # handovers (hr, management and municipality see only handovers they are party to)
    "listHandovers": ANYONE_WITH_A_KEY,
    "getHandover": ANYONE_WITH_A_KEY,
    "createHandover": EDITORS,
    "updateHandover": EDITORS,
    "createHandoverParty": EDITORS,
    "createHandoverService": EDITORS,
    "createGuarantee": EDITORS,
    "createMilestone": EDITORS,
    "updateMilestone": EDITORS,
    "listHandoverTransitions": ANYONE_WITH_A_KEY,
    "createHandoverTransition": EDITORS,
    # staff transfers: personal data, hr only for handovers their organisations are party to
    "listStaffTransfers": STAFF_READERS,
    "createStaffTransfer": STAFF_READERS,
    "updateStaffTransfer": STAFF_READERS,
    # a person's right of access (hr of a party, admin) and erasure (admin), AVG art. 15, 17
    "getStaffPersonalData": frozenset({Role.ADMIN, Role.HR}),
    "eraseStaffPersonalData": ADMINS,
    # continuity
    "getContinuity": ANYONE_WITH_A_KEY,
    "listContinuityIssues": ANYONE_WITH_A_KEY,
    # imports and exports (app/exchange/controllers.py): scope as the resources they come from
    "importStaffTransfers": STAFF_READERS,
    "exportHandovers": ANYONE_WITH_A_KEY,
    "exportStaffTransfers": STAFF_READERS,
    "exportContinuity": ANYONE_WITH_A_KEY,
    "getOpenData": ANYONE_WITH_A_KEY,
    # versions of a record, as the registry held it (staff: as the role may see them)
    "listOrganisationVersions": ANYONE_WITH_A_KEY,
    "listServiceVersions": ANYONE_WITH_A_KEY,
    "listProvisionVersions": ANYONE_WITH_A_KEY,
    "listHandoverVersions": ANYONE_WITH_A_KEY,
    "listStaffTransferVersions": STAFF_READERS,
    # change feed and subscriptions: scoped by the key (app.events.feed)
    "listEvents": ANYONE_WITH_A_KEY,
    "createSubscription": ANYONE_WITH_A_KEY,
    "listSubscriptions": ANYONE_WITH_A_KEY,
    "getSubscription": ANYONE_WITH_A_KEY,
    "deleteSubscription": ANYONE_WITH_A_KEY,
    "listSubscriptionDeliveries": ANYONE_WITH_A_KEY,
    # audit
    "listAuditEvents": ADMINS,
    # operations: Prometheus metrics at /metrics (outside the API and its document)
    "getMetrics": ADMINS,
}

#: Operations outside ``/api/v1`` and its OpenAPI document.
OUTSIDE_THE_API_DOCUMENT = frozenset({"getMetrics"})
