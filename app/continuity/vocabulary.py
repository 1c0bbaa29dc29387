"""The kinds of continuity issue, with their Dutch words."""

from __future__ import annotations

from app.vocabulary import Vocabulary


class IssueKind(Vocabulary):
    """What is wrong with a service in a municipality over a stretch of days."""

    GAP = "gap", "gat"
    OVERLAP = "overlap", "overlap"
    GUARANTEE_BREACH = "guarantee_breach", "garantie geschonden"


class BreachReason(Vocabulary):
    """Why a continuity guarantee is not kept: nobody delivers, or too few people do."""

    NO_PROVISION = "no_provision", "geen aanbieder"
    BELOW_STRENGTH = "below_strength", "onder sterkte"
