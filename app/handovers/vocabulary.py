"""The handover's value lists, with their Dutch words."""

from __future__ import annotations

from app.vocabulary import Vocabulary


class HandoverKind(Vocabulary):
    """What sort of move: services to another provider, two providers becoming one, or a
    provider taken into another organisation."""

    TRANSFER = "transfer", "overdracht"
    MERGER = "merger", "fusie"
    INTEGRATION = "integration", "integratie"


class HandoverStatus(Vocabulary):
    """Where a handover is in its lifecycle: proposed, then (optionally) intent signed,
    agreed, effective, completed; cancelled is possible before it takes effect."""

    PROPOSED = "proposed", "voorgesteld"
    INTENT_SIGNED = "intent_signed", "intentie getekend"
    AGREED = "agreed", "overeengekomen"
    EFFECTIVE = "effective", "van kracht"
    COMPLETED = "completed", "afgerond"
    CANCELLED = "cancelled", "geannuleerd"


class PartyRole(Vocabulary):
    """What a party does in a handover; at most one party receives."""

    SOURCE = "source", "overdragend"
    RECEIVING = "receiving", "ontvangend"
    MUNICIPALITY = "municipality", "gemeente"
    OTHER = "other", "overig"


class Involvement(Vocabulary):
    """How a municipality (or other party) takes part: told, asked to agree, or leading."""

    INFORMED = "informed", "geïnformeerd"
    CONSENTING = "consenting", "instemmend"
    DIRECTING = "directing", "regie"


class MilestoneKind(Vocabulary):
    """A step on the way that is not a status: the works council's advice, say."""

    WORKS_COUNCIL_ADVICE = "works_council_advice", "advies ondernemingsraad"
    STAFF_INFORMED = "staff_informed", "medewerkers geïnformeerd"
    CONTRACTS_SIGNED = "contracts_signed", "contracten getekend"
    MUNICIPALITY_INFORMED = "municipality_informed", "gemeente geïnformeerd"
    DATA_HANDED_OVER = "data_handed_over", "gegevens overgedragen"
    OTHER = "other", "overig"


#: The order parties are listed in: who gives, who receives, then the rest.
PARTY_ORDER = {role: place for place, role in enumerate(PartyRole)}
