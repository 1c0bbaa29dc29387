"""The organisation's value lists, with their Dutch words."""

from __future__ import annotations

from app.vocabulary import Vocabulary


class RelationKind(Vocabulary):
    """How one organisation belongs to another over a period."""

    PART_OF = "part_of", "onderdeel van"
    MEMBER_OF = "member_of", "lid van"


class IdentifierKind(Vocabulary):
    """The register a number is from: kvk_number (8 digits), establishment_number
    (vestigingsnummer, 12), rsin (9, 11-proef), agb_code (8; routes Wmo messages)."""

    KVK_NUMBER = "kvk_number", "KvK-nummer"
    ESTABLISHMENT_NUMBER = "establishment_number", "vestigingsnummer"
    RSIN = "rsin", "RSIN"
    AGB_CODE = "agb_code", "AGB-code"
