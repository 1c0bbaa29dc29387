"""Open data: organisations, services, provisions and handovers as JSON-LD.

Vocabularies: the W3C Organization Ontology (``org:``) for organisations, their parts and
the events that change them — a handover is an ``org:ChangeEvent`` from its source
organisations (``org:originalOrganization``) to the receiving one
(``org:resultingOrganization``), and so is a municipal merger (herindeling). Keys follow
Open Referral HSDS where the two overlap (``id``, ``name``, ``alternate_name``,
``description``, ``website``, ``url``, ``status``, ``organization``). Provisions borrow
schema.org's offer terms (``itemOffered``, ``provider``, ``areaServed``, ``validFrom``,
``validThrough``). Nothing about staff is in it: no names, references or FTE per person.

Identifiers are the API's own URLs (``{base}/organisations/{id}``), so each node can be
looked up there.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any
from uuid import UUID

import msgspec

from app.dates import today
from app.handovers.vocabulary import PartyRole
from app.municipalities.reference import tooi_identifier
from app.store.typed_rows import as_rows, columns_for
from app.tables.tables import (
    Handover,
    HandoverParty,
    HandoverService,
    Municipality,
    MunicipalitySuccessor,
    Organisation,
    OrganisationName,
    OrganisationRelation,
    Provision,
    Service,
)

LD_MEDIA_TYPE = "application/ld+json"
REGISTRY_VOCABULARY = "urn:overdrachtsregister:def#"

CONTEXT: dict[str, Any] = {
    "org": "http://www.w3.org/ns/org#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "schema": "https://schema.org/",
    "adms": "http://www.w3.org/ns/adms#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "reg": REGISTRY_VOCABULARY,
    "id": "@id",
    "type": "@type",
    "Organization": "org:Organization",
    "ChangeEvent": "org:ChangeEvent",
    "Service": "schema:Service",
    "Provision": "reg:Provision",
    "name": "skos:prefLabel",
    "alternate_name": "skos:altLabel",
    "description": "dct:description",
    "website": {"@id": "foaf:homepage", "@type": "@id"},
    "url": {"@id": "schema:url", "@type": "@id"},
    "identifier": "org:identifier",
    "same_as": {"@id": "owl:sameAs", "@type": "@id"},
    "kind": "dct:type",
    "category": "dct:subject",
    "status": "adms:status",
    "has_sub_organization": {"@id": "org:hasSubOrganization", "@type": "@id"},
    "sub_organization_of": {"@id": "org:subOrganizationOf", "@type": "@id"},
    "original_organization": {"@id": "org:originalOrganization", "@type": "@id"},
    "resulting_organization": {"@id": "org:resultingOrganization", "@type": "@id"},
    "date": {"@id": "dct:date", "@type": "xsd:date"},
    "announced": {"@id": "reg:announced", "@type": "xsd:date"},
    "service": {"@id": "schema:itemOffered", "@type": "@id"},
    "organization": {"@id": "schema:provider", "@type": "@id"},
    "area_served": {"@id": "schema:areaServed", "@type": "@id"},
    "valid_from": {"@id": "schema:validFrom", "@type": "xsd:date"},
    "valid_to": {"@id": "schema:validThrough", "@type": "xsd:date"},
    "services": {"@id": "reg:movesService", "@type": "@id"},
}


class SuccessionLinkRow(msgspec.Struct, frozen=True):
    municipality_code: str = msgspec.field(name="municipality.code")
    successor_code: str = msgspec.field(name="successor.code")


class MunicipalityDataRow(msgspec.Struct, frozen=True):
    code: str
    name: str
    valid_to: date | None
    successor_code: str | None = msgspec.field(name="successor.code")


class ProvisionDataRow(msgspec.Struct, frozen=True):
    id: UUID
    service: UUID
    organisation: UUID
    municipality_code: str = msgspec.field(name="municipality.code")
    valid_from: date
    valid_to: date | None


def _drop_empty(node: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in node.items() if v not in (None, "", [])}


async def open_data(base: str, handover_ids: set[UUID] | None = None) -> dict[str, Any]:
    """The JSON-LD document; ``handover_ids`` limits the handovers (``None``: all)."""

    def iri(kind: str, key: Any) -> str:
        return f"{base}/{kind}/{key}"

    graph: list[dict[str, Any]] = []
    former_names: dict[UUID, list[str]] = defaultdict(list)
    organisations = await Organisation.select().order_by(Organisation.name)
    current = {o["id"]: o["name"] for o in organisations}
    for n in await OrganisationName.select().order_by(OrganisationName.valid_from):
        if n["name"] != current.get(n["organisation"]):
            former_names[n["organisation"]].append(n["name"])
    parents: dict[UUID, list[str]] = defaultdict(list)
    children: dict[UUID, list[str]] = defaultdict(list)
    now = today()
    for r in await OrganisationRelation.select().where(OrganisationRelation.kind == "part_of"):
        if (r["valid_from"] is None or r["valid_from"] <= now) and (
            r["valid_to"] is None or now < r["valid_to"]
        ):
            parents[r["organisation"]].append(iri("organisations", r["related_to"]))
            children[r["related_to"]].append(iri("organisations", r["organisation"]))
    for o in organisations:
        graph.append(
            _drop_empty(
                {
                    "id": iri("organisations", o["id"]),
                    "type": "Organization",
                    "name": o["name"],
                    "alternate_name": sorted(set(former_names[o["id"]])),
                    "description": o["description"],
                    "website": o["website"],
                    "identifier": o["kvk_number"],
                    "kind": o["kind"],
                    "sub_organization_of": parents[o["id"]],
                    "has_sub_organization": children[o["id"]],
                }
            )
        )
    successors: dict[str, list[str]] = defaultdict(list)
    links = await MunicipalitySuccessor.select(
        *columns_for(SuccessionLinkRow, MunicipalitySuccessor)
    ).order_by(MunicipalitySuccessor.successor.code)
    for link in as_rows(SuccessionLinkRow, links):
        successors[link.municipality_code].append(link.successor_code)
    municipalities = await Municipality.select(
        *columns_for(MunicipalityDataRow, Municipality)
    ).order_by(Municipality.code)
    for m in as_rows(MunicipalityDataRow, municipalities):
        graph.append(
            _drop_empty(
                {
                    "id": iri("municipalities", m.code),
                    "type": "Organization",
                    "name": f"Gemeente {m.name}",
                    "identifier": m.code,
                    "same_as": tooi_identifier(m.code),
                    "kind": "gemeente",
                }
            )
        )
        went_to = successors.get(m.code) or ([m.successor_code] if m.successor_code else [])
        if went_to and m.valid_to:
            resulting = [iri("municipalities", code) for code in went_to]
            graph.append(
                {
                    "id": f"{iri('municipalities', m.code)}#herindeling",
                    "type": "ChangeEvent",
                    "kind": "herindeling",
                    "date": m.valid_to.isoformat(),
                    "original_organization": [iri("municipalities", m.code), *resulting],
                    "resulting_organization": resulting,
                }
            )
    for s in await Service.select().order_by(Service.name):
        graph.append(
            _drop_empty(
                {
                    "id": iri("services", s["id"]),
                    "type": "Service",
                    "name": s["name"],
                    "description": s["description"],
                    "category": s["category"],
                    "url": iri("services", s["id"]),
                }
            )
        )
    provisions = await Provision.select(*columns_for(ProvisionDataRow, Provision)).order_by(
        Provision.valid_from
    )
    for p in as_rows(ProvisionDataRow, provisions):
        graph.append(
            _drop_empty(
                {
                    "id": iri("provisions", p.id),
                    "type": "Provision",
                    "service": iri("services", p.service),
                    "organization": iri("organisations", p.organisation),
                    "area_served": iri("municipalities", p.municipality_code),
                    "valid_from": p.valid_from.isoformat(),
                    "valid_to": p.valid_to.isoformat() if p.valid_to else None,
                }
            )
        )
    graph.extend(await _handovers(iri, handover_ids))
    return {"@context": CONTEXT, "@graph": graph}


async def _handovers(iri: Any, handover_ids: set[UUID] | None) -> list[dict[str, Any]]:
    query = Handover.select().order_by(Handover.created_at)
    if handover_ids is not None:
        if not handover_ids:
            return []
        query = query.where(Handover.id.is_in(list(handover_ids)))
    handovers = await query
    if not handovers:
        return []
    ids = [h["id"] for h in handovers]
    roles: dict[tuple[UUID, str], list[str]] = defaultdict(list)
    for party in await HandoverParty.select().where(HandoverParty.handover.is_in(ids)):
        if party["organisation"] is not None:
            roles[(party["handover"], party["role"])].append(
                iri("organisations", party["organisation"])
            )
    moved: dict[UUID, set[str]] = defaultdict(set)
    for m in await HandoverService.select().where(HandoverService.handover.is_in(ids)):
        moved[m["handover"]].add(iri("services", m["service"]))
    return [
        _drop_empty(
            {
                "id": iri("handovers", h["id"]),
                "type": "ChangeEvent",
                "name": h["title"],
                "description": h["description"],
                "kind": h["kind"],
                "status": h["status"],
                "date": h["effective_on"].isoformat() if h["effective_on"] else None,
                "announced": h["announced_on"].isoformat() if h["announced_on"] else None,
                "original_organization": sorted(roles[(h["id"], PartyRole.SOURCE)]),
                "resulting_organization": sorted(roles[(h["id"], PartyRole.RECEIVING)]),
                "services": sorted(moved[h["id"]]),
            }
        )
        for h in handovers
    ]
