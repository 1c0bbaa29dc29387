"""The organisation's rules, through its service, its queries and a real database: no HTTP."""

from __future__ import annotations

from datetime import date

import pytest

from app.errors import Conflict, InvalidInput
from app.organisations import rules
from app.organisations import service as organisations
from app.organisations.queries import organisation_detail, organisations_query
from app.organisations.service import add_identifier
from app.organisations.vocabulary import IdentifierKind, RelationKind
from app.store import records
from app.tables.tables import (
    Organisation,
    OrganisationIdentifier,
    OrganisationName,
    OrganisationRelation,
)
from tests import factories

ACTOR = "test:organisations"
#: An RSIN that passes the 11-proef (and one that does not).
RSIN, NOT_AN_RSIN = "002565821", "002565822"


def _values(name: str, **overrides: object) -> dict[str, object]:
    return {"name": name, "kind": "stichting", "description": "", **overrides}


async def test_a_new_organisation_lands_with_its_name_parent_and_numbers_audited() -> None:
    parent = await factories.organisation()
    kvk = factories.kvk_number()
    made = await organisations.create_organisation(
        _values("Stichting Nieuw Begin", kvk_number=kvk),
        parent,
        date(2018, 1, 1),
        ACTOR,
        identifiers=[(IdentifierKind.RSIN, RSIN, date(2018, 1, 1), None)],
    )

    detail = await organisation_detail(made)
    assert (detail.name, detail.kvk_number) == ("Stichting Nieuw Begin", kvk)
    assert detail.parent is not None
    assert detail.parent.id == parent
    assert [(r.organisation.id, r.kind, r.valid_from) for r in detail.part_of] == [
        (parent, RelationKind.PART_OF, date(2018, 1, 1))
    ]
    assert [(n.name, n.valid_from, n.valid_to) for n in detail.name_history] == [
        ("Stichting Nieuw Begin", None, None)
    ]
    assert [(i.kind, i.value) for i in detail.identifiers] == [(IdentifierKind.RSIN, RSIN)]
    assert [m.organisation.id for m in (await organisation_detail(parent)).members] == [made]
    assert await factories.audit_trail(made) == [("organisation", "create", ACTOR)]


async def test_a_kvk_number_belongs_to_one_organisation() -> None:
    kvk = factories.kvk_number()
    await organisations.create_organisation(
        _values("Stichting Eerste", kvk_number=kvk), None, None, ACTOR
    )
    with pytest.raises(Conflict) as refused:
        await organisations.create_organisation(
            _values("Stichting Tweede", kvk_number=kvk), None, None, ACTOR
        )
    assert refused.value.field == "kvkNumber"
    assert not await Organisation.exists().where(Organisation.name == "Stichting Tweede")

    other = await factories.organisation()
    row = await records.get_row(Organisation, other)
    with pytest.raises(Conflict):
        await organisations.update_organisation(
            other, {"kvk_number": kvk}, None, ACTOR, records.etag(row["version"])
        )
    assert (await records.get_row(Organisation, other))["kvk_number"] is None


async def test_a_refused_register_number_leaves_no_organisation_behind() -> None:
    name = "Stichting Verkeerd Nummer"
    with pytest.raises(InvalidInput) as refused:
        await organisations.create_organisation(
            _values(name),
            None,
            None,
            ACTOR,
            identifiers=[(IdentifierKind.RSIN, NOT_AN_RSIN, None, None)],
        )
    assert refused.value.field == "identifiers[0].value"
    assert not await Organisation.exists().where(Organisation.name == name)
    assert not await OrganisationName.exists().where(OrganisationName.name == name)


async def test_a_rename_keeps_the_identity_and_closes_the_old_name() -> None:
    # Names of no demo organisation: the demo tests count theirs by name.
    made = await factories.organisation("Stichting Proefnaam Oud")
    await organisations.update_organisation(
        made, {"name": "Stichting Proefnaam Nieuw"}, date(2022, 3, 1), ACTOR, records.etag(1)
    )
    detail = await organisation_detail(made)
    assert (detail.id, detail.name, detail.version) == (made, "Stichting Proefnaam Nieuw", 2)
    assert [(n.name, n.valid_from, n.valid_to) for n in detail.name_history] == [
        ("Stichting Proefnaam Oud", None, date(2022, 3, 1)),
        ("Stichting Proefnaam Nieuw", date(2022, 3, 1), None),
    ]
    assert ("organisation", "update", ACTOR) in await factories.audit_trail(made)


async def test_a_rename_starts_after_the_current_name_and_is_refused_whole() -> None:
    made = await factories.organisation("Stichting Oud")
    await organisations.update_organisation(
        made, {"name": "Stichting Midden"}, date(2022, 3, 1), ACTOR, records.etag(1)
    )
    with pytest.raises(InvalidInput) as refused:
        await organisations.update_organisation(
            made, {"name": "Stichting Nieuw"}, date(2022, 3, 1), ACTOR, records.etag(2)
        )
    assert refused.value.field == "renamedOn"
    row = await records.get_row(Organisation, made)
    assert (row["name"], row["version"]) == ("Stichting Midden", 2)
    names = await OrganisationName.select(OrganisationName.name).where(
        OrganisationName.organisation == made
    )
    assert sorted(n["name"] for n in names) == ["Stichting Midden", "Stichting Oud"]


async def test_an_organisation_is_not_part_of_itself_nor_over_a_reversed_period() -> None:
    made, other = await factories.organisation(), await factories.organisation()
    with pytest.raises(InvalidInput) as itself:
        await organisations.add_relation(made, made, RelationKind.PART_OF, None, None, "", ACTOR)
    assert itself.value.field == "relatedTo"
    with pytest.raises(InvalidInput) as reversed_period:
        await organisations.add_relation(
            made, other, RelationKind.MEMBER_OF, date(2020, 1, 1), date(2019, 1, 1), "", ACTOR
        )
    assert reversed_period.value.field == "validTo"
    assert not await OrganisationRelation.exists().where(OrganisationRelation.organisation == made)


async def test_a_relation_shows_on_both_sides_and_a_past_one_is_no_parent() -> None:
    made, network = await factories.organisation(), await factories.organisation()
    await organisations.add_relation(
        made, network, RelationKind.PART_OF, date(2010, 1, 1), date(2015, 1, 1), "", ACTOR
    )
    detail = await organisation_detail(made)
    assert detail.parent is None
    assert [r.organisation.id for r in detail.part_of] == [network]
    assert [r.organisation.id for r in (await organisation_detail(network)).members] == [made]
    # Both documents changed: both versions moved on.
    assert detail.version == 2
    assert (await records.get_row(Organisation, network))["version"] == 2


async def test_a_newer_register_number_replaces_the_open_one_of_its_kind() -> None:
    made = await factories.organisation()
    first, second = factories.kvk_number(), factories.kvk_number()
    await add_identifier(made, IdentifierKind.AGB_CODE, first, date(2015, 1, 1), None, actor=ACTOR)
    await add_identifier(made, IdentifierKind.AGB_CODE, second, date(2020, 1, 1), None, actor=ACTOR)
    held = await OrganisationIdentifier.select(
        OrganisationIdentifier.value,
        OrganisationIdentifier.valid_from,
        OrganisationIdentifier.valid_to,
    ).where(OrganisationIdentifier.organisation == made)
    assert sorted(held, key=lambda i: i["valid_from"]) == [
        {"value": first, "valid_from": date(2015, 1, 1), "valid_to": date(2020, 1, 1)},
        {"value": second, "valid_from": date(2020, 1, 1), "valid_to": None},
    ]

    found = await (await organisations_query(None, None, first, date(2016, 6, 1)))
    assert [r["id"] for r in found] == [made]
    assert await (await organisations_query(None, None, first, date(2021, 6, 1))) == []


async def test_one_number_is_held_by_one_organisation_at_a_time() -> None:
    holder, other = await factories.organisation(), await factories.organisation()
    number = factories.kvk_number()
    await add_identifier(holder, IdentifierKind.AGB_CODE, number, None, None, actor=ACTOR)
    with pytest.raises(Conflict) as refused:
        await add_identifier(other, IdentifierKind.AGB_CODE, number, None, None, actor=ACTOR)
    assert refused.value.field == "agbCode"
    assert not await OrganisationIdentifier.exists().where(
        OrganisationIdentifier.organisation == other
    )


def test_a_search_by_register_number_takes_a_registers_length_and_a_date_only_with_it() -> None:
    rules.check_identifier_search("12345678", date(2020, 1, 1))
    rules.check_identifier_search(None, None)
    with pytest.raises(InvalidInput) as too_short:
        rules.check_identifier_search("1234567", None)
    assert too_short.value.field == "identifier"
    with pytest.raises(InvalidInput) as lone_date:
        rules.check_identifier_search(None, date(2020, 1, 1))
    assert lone_date.value.field == "on"


def test_a_period_covers_its_start_but_not_its_end() -> None:
    assert rules.covers(date(2020, 1, 1), date(2021, 1, 1), date(2020, 1, 1))
    assert not rules.covers(date(2020, 1, 1), date(2021, 1, 1), date(2021, 1, 1))
    assert rules.covers(None, None, date(1900, 1, 1))
