"""The seed cases of ``/work/shared/seeds`` as demo data, recorded as faithfully as the
texts allow.

Everything the texts give (organisations, municipalities, services, dates, parties,
promises, figures) is recorded as such. Where the registry needs a value the texts do
not give (a start date, a day within a month), the value is a *demo assumption* and the
row's note or description says so. Staff are invented (``is_demo``, names end in
"(demo)"): the texts name no employees.

The whole load is one transaction and writes every row through ``records.create`` (so
each has its audit event); handovers move through their lifecycle by ``transition()``,
which on ``effective`` really closes the source provisions and opens the receiving ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from piccolo.table import Table

from app.database import is_postgres, write_transaction
from app.handovers import service as handovers
from app.handovers.transitions import transition
from app.handovers.vocabulary import HandoverStatus, Involvement, PartyRole
from app.staff import service as staff_service
from app.staff.rules import moving_fte_per_service
from app.staff.vocabulary import StaffBasis, StaffStatus
from app.store import records
from app.tables.tables import (
    Handover,
    Municipality,
    MunicipalitySuccessor,
    Officer,
    Organisation,
    OrganisationName,
    OrganisationRelation,
    Provision,
    Service,
    ServiceFigure,
)

ACTOR = "demo-loader"

GRONINGEN_HANDOVER_TITLE = "Welzijnsactiviteiten MJD naar WerkPro (Groningen)"
LELYSTAD_HANDOVER_TITLE = "Vorming Werkbedrijf Lelystad"
EMMEN_HANDOVER_TITLE = "Integratie Buurtsupport in het Emmens Werkbedrijf"

SEED_000 = "seed 000 (persbericht december 2021)"
SEED_001 = "seed 001 (jaarverslag WerkPro 2022)"
SEED_002 = "seed 002 (persbericht MOgroep, Utrecht, 13 september 2013)"
SEED_003 = "seed 003 (nieuwsbericht intentieverklaring, 17 juni 2019)"
SEED_004 = "seed 004 (nieuwsbericht april 2022, bijeenkomst Mensenwerk)"

#: Keeps two loaders (two processes running ``handover demo``) from both loading.
_ADVISORY_LOCK_KEY = 7_262_022_001

# --- municipalities -------------------------------------------------------------------

#: code, name, province, valid_to, successor code
MUNICIPALITIES: list[tuple[str, str, str, date | None, str | None]] = [
    ("GM0014", "Groningen", "Groningen", None, None),
    ("GM0017", "Haren", "Groningen", date(2019, 1, 1), "GM0014"),
    ("GM0114", "Emmen", "Drenthe", None, None),
    ("GM0995", "Lelystad", "Flevoland", None, None),
]

# --- organisations --------------------------------------------------------------------

#: "other": the texts do not say what legal form the organisation has.
ORGANISATIONS: list[tuple[str, str, str]] = [
    # seed 000 and 001
    (
        "Stichting Vlechter",
        "stichting",
        "Stichting waarvan Stichting MJD sinds 2018 onderdeel is. Voerde, met medeweten "
        "van de gemeente Groningen, de gesprekken met Stichting WerkPro over de overname "
        "van de welzijnsactiviteiten van MJD in Groningen (seed 000).",
    ),
    (
        "Stichting MJD",
        "stichting",
        "Sinds 2018 onderdeel van Stichting Vlechter. Droeg per 1 januari 2022 haar "
        "welzijnsactiviteiten in de gemeente Groningen over aan Stichting WerkPro; de "
        "betrokken medewerkers kwamen in dienst van WerkPro (seed 000).",
    ),
    (
        "Stichting WerkPro",
        "stichting",
        "Zet zich in voor welzijn van mensen door hen op weg te helpen in de maatschappij: "
        "werkplekken en scholingsaanbod, bemiddeling, zorg en ondersteuning; sociale "
        "bedrijven en wijkwerkcentra. Nam per 1 januari 2022 de welzijnsactiviteiten van "
        "MJD in de gemeente Groningen over (seed 000, seed 001).",
    ),
    (
        "Stichting Leergeld",
        "stichting",
        "MJD voerde activiteiten uit voor stichting Leergeld; die krijgen per 2022 een "
        "vervolg bij WerkPro (seed 000).",
    ),
    (
        "Overbrug",
        "network",
        "Netwerk voor jongeren op weg naar zelfstandigheid; WerkPro en MJD zijn "
        "netwerkpartners (seed 000).",
    ),
    (
        "DiMON Noord",
        "network",
        "Netwerk voor maatschappelijke ondernemingen; WerkPro en MJD zijn netwerkpartners "
        "(seed 000).",
    ),
    # seed 003
    (
        "Buurtsupport",
        "other",
        "Begeleidt mensen op grotere afstand tot de arbeidsmarkt (deelnemers betaald of met "
        "behoud van uitkering). Tekende op 17 juni 2019 een intentieverklaring om vanaf "
        "januari 2020 te integreren in het Emmens Werkbedrijf (seed 003). Rechtsvorm niet "
        "in de bron.",
    ),
    (
        "Emco",
        "other",
        "Werkt sinds 1 januari 2018 met Menso samen in het Emmens Werkbedrijf (seed 003). "
        "Rechtsvorm niet in de bron.",
    ),
    (
        "Menso",
        "other",
        "Werkt sinds 1 januari 2018 met Emco samen in het Emmens Werkbedrijf (seed 003). "
        "Rechtsvorm niet in de bron.",
    ),
    (
        "Emmens Werkbedrijf",
        "werkbedrijf",
        "Samenwerking van Emco en Menso sinds 1 januari 2018, vanuit het "
        "bedrijfsverzamelgebouw 'AT7 SAMEN WERKT' in Emmen (seed 003; de bron schrijft "
        "ook 'Emmer Werkbedrijf').",
    ),
    # seed 002
    (
        "Team Werk gemeente Lelystad",
        "municipal_team",
        "Het team Werk van de gemeente Lelystad; ging in 2013 met de re-integratieafdeling "
        "van Concern voor Werk op in het Werkbedrijf Lelystad (seed 002).",
    ),
    (
        "Concern voor Werk",
        "other",
        "Concern voor Werk Lelystad (directeur Onno Vermooten). Zijn re-integratieafdeling "
        "fuseerde in 2013 met het team Werk van de gemeente tot het Werkbedrijf Lelystad; "
        "voert met Stichting Welzijn Lelystad het project Buurtvoorlichters uit (seed 002). "
        "Rechtsvorm niet in de bron.",
    ),
    (
        "Werkbedrijf Lelystad",
        "werkbedrijf",
        "Ontstaan in 2013 uit een fusie tussen het team Werk van de gemeente Lelystad en de "
        "re-integratieafdeling van Concern voor Werk, onder meer om de aanstaande "
        "participatiewet vorm te geven; maakt gebruik van de infrastructuur van de "
        "SW-organisatie en biedt WWB-gerechtigden een stap naar regulier werk (seed 002).",
    ),
    (
        "Maatschappelijke Dienstverlening Flevoland",
        "other",
        "MDF: integrale schuldhulpverlening in Lelystad (seed 002). Rechtsvorm niet in de bron.",
    ),
    (
        "Stichting Welzijn Lelystad",
        "stichting",
        "Welzijn Lelystad (directeur Jan Dekker); partner van Concern voor Werk in het "
        "project Buurtvoorlichters (seed 002).",
    ),
    # seed 004
    (
        "Netwerk Haren Verbind!",
        "network",
        "Samenwerking tussen organisaties in Haren om mensen die het nodig hebben werk- en "
        "leerplekken te bieden en participatie-initiatieven op weg te helpen; organiseerde "
        "op 14 april 2022 de bijeenkomst Mensenwerk in Erasmusheem, geopend door wethouder "
        "Inge Jongman (gemeente Groningen). Trekker: Ellen van der Hoek, lid van het "
        "Gebiedsteam (seed 004).",
    ),
    (
        "Cosis",
        "other",
        "Traint meewerkers om stap voor stap werkervaring op te doen (o.a. in Erasmusheem "
        "en de Mellenshorst); lid van Netwerk Haren Verbind! (seed 004). Rechtsvorm niet "
        "in de bron.",
    ),
    (
        "De Mikkelhorst",
        "other",
        "Traint meewerkers om stap voor stap werkervaring op te doen (o.a. bij ICT-bedrijf "
        "New Nexus); lid van Netwerk Haren Verbind! (seed 004). Rechtsvorm niet in de bron.",
    ),
    (
        "Humanitas",
        "other",
        "Lid van Netwerk Haren Verbind! (seed 004). Rechtsvorm niet in de bron.",
    ),
    (
        "Matchmakers",
        "other",
        "Lid van Netwerk Haren Verbind!; voorheen 'Haren Tynaarlose Uitdaging' (seed 004). "
        "De datum van de naamswijziging staat niet in de bron: de oude naam is vastgelegd "
        "tot uiterlijk 14 april 2022 (de bijeenkomst waarover de bron bericht, toen de "
        "nieuwe naam al gold); de huidige naam heeft geen bekende begindatum. Rechtsvorm "
        "niet in de bron.",
    ),
    (
        "WIJ Haren",
        "other",
        "Lid van Netwerk Haren Verbind! (seed 004). Rechtsvorm niet in de bron.",
    ),
    (
        "Wmo ondersteuningsnetwerk GON",
        "network",
        "Lid van Netwerk Haren Verbind! (seed 004).",
    ),
    (
        "Gebiedsteam Haren",
        "municipal_team",
        "Gebiedsteam Haren van de gemeente Groningen (gebied Haren, Glimmen, Onnen en "
        "Noordlaren); doet mee in Netwerk Haren Verbind! vanuit het sociaal domein en werk "
        "en participatie (seed 004).",
    ),
]

#: organisation, former name, valid_to of the former name (see Matchmakers' description)
FORMER_NAMES: list[tuple[str, str, date]] = [
    ("Matchmakers", "Haren Tynaarlose Uitdaging", date(2022, 4, 14)),
]

_NETWORK_NOTE_000 = (
    "'WerkPro en MJD werken al jaren samen' als netwerkpartners; genoemd in december 2021 "
    "(seed 000). Begindatum niet in de bron."
)
_NETWORK_NOTE_004 = (
    "Genoemd als deelnemer van het netwerk bij de bijeenkomst Mensenwerk op 14 april 2022 "
    "(seed 004). Begindatum niet in de bron."
)

#: organisation, related_to, kind, valid_from, note
RELATIONS: list[tuple[str, str, str, date | None, str]] = [
    (
        "Stichting MJD",
        "Stichting Vlechter",
        "part_of",
        date(2018, 1, 1),
        "MJD is 'sinds 2018' onderdeel van Vlechter (seed 000); de bron noemt alleen het "
        "jaar, 1 januari 2018 is een demo-aanname.",
    ),
    ("Stichting MJD", "Overbrug", "member_of", None, _NETWORK_NOTE_000),
    ("Stichting WerkPro", "Overbrug", "member_of", None, _NETWORK_NOTE_000),
    ("Stichting MJD", "DiMON Noord", "member_of", None, _NETWORK_NOTE_000),
    ("Stichting WerkPro", "DiMON Noord", "member_of", None, _NETWORK_NOTE_000),
    (
        "Emco",
        "Emmens Werkbedrijf",
        "member_of",
        date(2018, 1, 1),
        "Emco en Menso werken vanaf 1 januari 2018 samen in het Emmens Werkbedrijf (seed 003).",
    ),
    (
        "Menso",
        "Emmens Werkbedrijf",
        "member_of",
        date(2018, 1, 1),
        "Emco en Menso werken vanaf 1 januari 2018 samen in het Emmens Werkbedrijf (seed 003).",
    ),
    *(
        (member, "Netwerk Haren Verbind!", "member_of", None, _NETWORK_NOTE_004)
        for member in (
            "Cosis",
            "De Mikkelhorst",
            "Humanitas",
            "Matchmakers",
            "WIJ Haren",
            "Wmo ondersteuningsnetwerk GON",
            "Gebiedsteam Haren",
        )
    ),
]

#: organisation, name, title, valid_from, valid_to (dates only where the texts give them)
OFFICERS: list[tuple[str, str, str, date | None, date | None]] = [
    # seed 001: Rutgers "per 1 juli met pensioen", Gieskes "treedt per 1 april in dienst"
    ("Stichting WerkPro", "Peter Rutgers", "directeur-bestuurder", None, date(2022, 7, 1)),
    ("Stichting WerkPro", "Cees-Jan Gieskes", "directeur-bestuurder", date(2022, 4, 1), None),
    ("Stichting WerkPro", "Marga à Nijeholt", "manager Wijkwerken", None, None),
    ("Stichting MJD", "Rein de Vries", "manager Welzijn", None, None),
    ("Buurtsupport", "Fred de Leeuw", "directeur", None, None),
    ("Emco", "Jan Edzes", "directeur", None, None),
    ("Menso", "Heidy Postma", "directeur", None, None),
    ("Concern voor Werk", "Onno Vermooten", "directeur", None, None),
    ("Maatschappelijke Dienstverlening Flevoland", "Rik Bovenberg", "directeur", None, None),
    ("Stichting Welzijn Lelystad", "Jan Dekker", "directeur", None, None),
    ("Netwerk Haren Verbind!", "Ellen van der Hoek", "trekker van het netwerk", None, None),
]

# --- services -------------------------------------------------------------------------

LINK050 = "Link050"
JIMMYS = "Jimmy's"
BUURTBEMIDDELING = "Buurtbemiddeling"
WOONKANS = "Woonkans"
LEERGELD = "Activiteiten voor Stichting Leergeld"
MIGRANTENPROSTITUTIE = "Migrantenprostitutie"
EMANCIPATIE = "Emancipatie en diversiteit"
ONTWIKKELLINK = "Ontwikkellink"
REINTEGRATIE = "Re-integratie naar werk"
SCHULDHULP = "Integrale schuldhulpverlening"
BUURTVOORLICHTERS = "Buurtvoorlichters"
BUURTSUPPORT_SERVICE = "Begeleiding naar werk en dagbesteding (Buurtsupport)"
EMMENS_WERKBEDRIJF_SERVICE = "Arbeidsbemiddeling en dagbesteding (Emmens Werkbedrijf)"
HAREN_NETWORK_SERVICE = "Werk- en leerplekken (Netwerk Haren Verbind!)"
MATCHMAKERS_SERVICE = "Maatschappelijke matching (Matchmakers)"

#: name, category, description
SERVICES: list[tuple[str, str, str]] = [
    (
        LINK050,
        "steunpunt vrijwilligers",
        "Vrijwilligersplatform Link050 (ook 'Link 050'): steunpunt vrijwilligers in de stad "
        "Groningen (seed 000, seed 001).",
    ),
    (JIMMYS, "steunpunt jongeren", "Jimmy's: steunpunt jongeren (seed 000)."),
    (
        BUURTBEMIDDELING,
        "conflicten tussen wijkbewoners",
        "Het oplossen van conflicten tussen wijkbewoners (seed 000, seed 001).",
    ),
    (
        WOONKANS,
        "voorkomen huisuitzetting",
        "Ondersteuning bij het voorkomen van huisuitzetting (seed 000).",
    ),
    (LEERGELD, "welzijn", "De activiteiten van MJD voor stichting Leergeld (seed 000)."),
    (
        MIGRANTENPROSTITUTIE,
        "welzijn",
        "Activiteiten op het gebied van migrantenprostitutie (seed 000).",
    ),
    (
        EMANCIPATIE,
        "welzijn",
        "Activiteiten op het gebied van emancipatie en diversiteit (seed 000).",
    ),
    (ONTWIKKELLINK, "cursussen en workshops", "Cursussen en workshops van WerkPro (seed 001)."),
    (
        REINTEGRATIE,
        "re-integratie",
        "Re-integratie naar werk in Lelystad, eerst door het team Werk van de gemeente, "
        "vanaf 2013 door het Werkbedrijf Lelystad (seed 002).",
    ),
    (
        SCHULDHULP,
        "schuldhulpverlening",
        "Integrale schuldhulpverlening: met de cliënt diens gehele situatie in kaart brengen "
        "en samen oplossingen bedenken, zodat ruimte ontstaat voor de stap naar werk "
        "(seed 002).",
    ),
    (
        BUURTVOORLICHTERS,
        "buurtvoorlichting",
        "Wijkbewoners die als buurtvoorlichter gesprekken voeren in de wijken: signaleren, "
        "wijkgevoel versterken, werkervaring opdoen en een opstap naar een andere baan "
        "(seed 002).",
    ),
    (
        BUURTSUPPORT_SERVICE,
        "begeleiding naar werk en dagbesteding",
        "Begeleiding van mensen op grotere afstand tot de arbeidsmarkt naar werk of "
        "dagbesteding door Buurtsupport (seed 003).",
    ),
    (
        EMMENS_WERKBEDRIJF_SERVICE,
        "begeleiding naar werk en dagbesteding",
        "Begeleiding van mensen op afstand van de arbeidsmarkt naar passend werk of "
        "dagbesteding door Emco en Menso samen in het Emmens Werkbedrijf (seed 003).",
    ),
    (
        HAREN_NETWORK_SERVICE,
        "werk- en leerplekken",
        "Werk- en leerplekken en participatie-initiatieven voor mensen uit de dagbesteding, "
        "vrijwilligers, werk- en participatiebanen in het gebied Haren, Glimmen, Onnen en "
        "Noordlaren (seed 004).",
    ),
    (
        MATCHMAKERS_SERVICE,
        "maatschappelijke matching",
        "Matchmakers (voorheen Haren Tynaarlose Uitdaging) in Haren. De bron (seed 004) "
        "noemt alleen de organisatie als lid van Netwerk Haren Verbind!; de omschrijving "
        "van de dienst is een demo-aanname.",
    ),
]

# --- seed 000: staff (invented) -------------------------------------------------------

#: service, function, fte. Demo data: the press release names no employees.
GRONINGEN_STAFF: list[tuple[str, str, float]] = [
    (LINK050, "coördinator vrijwilligerswerk", 0.8),
    (LINK050, "consulent vrijwilligerswerk", 0.6),
    (LINK050, "medewerker vacaturebank", 0.5),
    (JIMMYS, "coördinator Jimmy's", 0.8),
    (JIMMYS, "jongerenwerker", 0.9),
    (JIMMYS, "jongerenwerker", 0.7),
    (BUURTBEMIDDELING, "coördinator buurtbemiddeling", 0.8),
    (BUURTBEMIDDELING, "buurtbemiddelaar", 0.5),
    (WOONKANS, "consulent Woonkans", 0.9),
    (WOONKANS, "consulent Woonkans", 0.8),
    (WOONKANS, "maatschappelijk werker", 0.6),
    (LEERGELD, "coördinator activiteiten Leergeld", 0.4),
    (MIGRANTENPROSTITUTIE, "maatschappelijk werker migrantenprostitutie", 0.6),
    (EMANCIPATIE, "projectleider emancipatie en diversiteit", 0.5),
]

#: Surnames that no one reads as a real person.
DEMO_NAMES = [
    "Anna Voorbeeld",
    "Bram Proefpersoon",
    "Carla Testgeval",
    "Daan Fictief",
    "Eva Denkbeeld",
    "Frits Placeholder",
    "Gerda Steekproef",
    "Hans Fantasie",
    "Ilse Proefdraai",
    "Joost Schijnbaar",
    "Karin Verzinsel",
    "Lucas Oefening",
    "Mirjam Probeersel",
    "Niels Droombeeld",
    "Olga Dummy",
    "Pieter Testcase",
    "Quinta Verbeelding",
]

GUARANTEED_TEXT = (
    "gewaarborgd voor de komende jaren; op volle sterkte en onder dezelfde voorwaarden voortgezet"
)
CONTINUED_TEXT = (
    "krijgen een vervolg bij WerkPro; op volle sterkte en onder dezelfde voorwaarden voortgezet"
)

#: service → guarantee text (seed 000)
GRONINGEN_SERVICES: dict[str, str] = {
    LINK050: GUARANTEED_TEXT,
    JIMMYS: GUARANTEED_TEXT,
    BUURTBEMIDDELING: GUARANTEED_TEXT,
    WOONKANS: GUARANTEED_TEXT,
    LEERGELD: CONTINUED_TEXT,
    MIGRANTENPROSTITUTIE: CONTINUED_TEXT,
    EMANCIPATIE: CONTINUED_TEXT,
}

GRONINGEN_DESCRIPTION = (
    "“Per 1 januari 2022 gaan de activiteiten op het gebied van welzijn in de gemeente "
    "Groningen over van Stichting MJD naar WerkPro. Daarmee behouden de inwoners de "
    "waardevolle dienstverlening en de medewerkers hun baan. Het gaat onder meer om "
    "Link 050, Jimmy’s, Buurtbemiddeling en Woonkans.” Stichting Vlechter, waarvan MJD "
    "sinds 2018 onderdeel is, heeft met medeweten van de gemeente Groningen gesprekken "
    "gevoerd met Stichting WerkPro; die hebben geresulteerd in overeenstemming over de "
    "overname van activiteiten. “De betrokken medewerkers komen in dienst van WerkPro.” "
    "Ook de activiteiten voor stichting Leergeld en op het gebied van migrantenprostitutie, "
    "emancipatie en diversiteit krijgen een vervolg bij WerkPro. “Behalve dat WerkPro de "
    "werkgever wordt van de medewerkers, verandert er voorlopig niets. De dienstverlening "
    "en ondersteuning worden op volle sterkte en onder dezelfde voorwaarden voortgezet. "
    "Gaandeweg zullen de MJD-activiteiten meer geïntegreerd worden in WerkPro.” "
    "Aangekondigd in december 2021; de dag staat niet in de bron, 1 december 2021 is een "
    "demo-aanname. De medewerkers in dit register zijn verzonnen (demo)."
)

LELYSTAD_DESCRIPTION = (
    "“Als de agenda van de staatssecretaris het toelaat willen de gemeente Lelystad en "
    "Concern voor werk een korte toelichting geven op de start van het werkbedrijf "
    "Lelystad. Dit betreft een fusie tussen het team Werk van de gemeente en de "
    "re-integratieafdeling van Concern voor Werk Lelystad.” Doel: onder andere de "
    "aanstaande participatiewet vorm geven; het werkbedrijf gebruikt de infrastructuur van "
    "de SW-organisatie die vrijkomt door de afbouw van die regeling en biedt "
    "WWB-gerechtigden een stap naar regulier werk. De bron geeft geen exacte "
    "ingangsdatum: 16 september 2013, de dag van het werkbezoek waarop de start werd "
    "toegelicht, is een benadering. Aangekondigd: datum van het persbericht."
)

EMMEN_DESCRIPTION = (
    "“De inzet is dat Buurtsupport integreert in het Emmens Werkbedrijf, waarin Emco en "
    "Menso al enige tijd succesvol samenwerken.” De directies van Buurtsupport, Emco en "
    "Menso willen vanaf januari 2020 nauwer samenwerken in het begeleiden van mensen die "
    "op grotere afstand tot de arbeidsmarkt staan; de directeuren Fred de Leeuw "
    "(Buurtsupport), Jan Edzes (Emco), Heidy Postma (Menso) en wethouder Raymond Wanders "
    "(werk, inkomen, volksgezondheid) tekenden op maandag 17 juni 2019 een "
    "intentieverklaring. Aanleiding: door de aantrekkende economie wordt de doelgroep van "
    "Buurtsupport kleiner, wat het voortzetten van alle begeleide trajecten onder druk "
    "zet. De komende tijd wordt een plan van aanpak opgesteld; de gemeente is gevraagd in "
    "dit proces de regie te voeren. Ingangsdatum 1 januari 2020 is gepland ('vanaf "
    "januari 2020'); de afloop staat niet in de bron."
)


@dataclass
class _Ids:
    """Ids of what has been loaded, by the name the seeds use."""

    organisations: dict[str, UUID] = field(default_factory=dict)
    municipalities: dict[str, UUID] = field(default_factory=dict)
    services: dict[str, UUID] = field(default_factory=dict)


async def _create(table: type[Table], **values: Any) -> dict[str, Any]:
    return await records.create(table, values, actor=ACTOR)


async def load_demo() -> bool:
    """Load the seed cases; ``False`` (and nothing written) when they are already there."""
    async with write_transaction():
        if is_postgres():
            await Handover.raw("SELECT pg_advisory_xact_lock({})", _ADVISORY_LOCK_KEY)
        if await Handover.exists().where(Handover.title == GRONINGEN_HANDOVER_TITLE):
            return False
        ids = _Ids()
        await _load_municipalities(ids)
        await _load_organisations(ids)
        await _load_services(ids)
        await _load_groningen_handover(ids)
        await _load_werkpro_2022(ids)
        await _load_lelystad(ids)
        await _load_emmen(ids)
        await _load_haren(ids)
    return True


# --- shared data ----------------------------------------------------------------------


async def _load_municipalities(ids: _Ids) -> None:
    # The registry may know them already (the reference data ``handover migrate`` loads):
    # then the seeds use those rows. Successors first, so a merged municipality can point
    # at its successor's row.
    known = {
        r["code"]: r["id"]
        for r in await Municipality.select(Municipality.id, Municipality.code).where(
            Municipality.code.is_in([m[0] for m in MUNICIPALITIES])
        )
    }
    for code, name, province, valid_to, successor in sorted(
        MUNICIPALITIES, key=lambda m: m[4] is not None
    ):
        if code in known:
            ids.municipalities[code] = known[code]
            continue
        row = await _create(
            Municipality,
            code=code,
            name=name,
            province=province,
            valid_from=None,
            valid_to=valid_to,
            successor=ids.municipalities[successor] if successor else None,
        )
        ids.municipalities[code] = row["id"]
        if successor and valid_to:
            await _create(
                MunicipalitySuccessor,
                municipality=row["id"],
                successor=ids.municipalities[successor],
                valid_from=valid_to,
            )


async def _load_organisations(ids: _Ids) -> None:
    former = {organisation: (name, until) for organisation, name, until in FORMER_NAMES}
    for name, kind, description in ORGANISATIONS:
        row = await _create(
            Organisation,
            name=name,
            kvk_number=None,  # not in the texts
            kind=kind,
            description=description,
            is_demo=False,
        )
        ids.organisations[name] = row["id"]
        if name in former:
            old_name, until = former[name]
            await _create(
                OrganisationName,
                organisation=row["id"],
                name=old_name,
                valid_from=None,
                valid_to=until,
            )
        await _create(OrganisationName, organisation=row["id"], name=name, valid_from=None)
    for organisation, related_to, kind, valid_from, note in RELATIONS:
        await _create(
            OrganisationRelation,
            organisation=ids.organisations[organisation],
            related_to=ids.organisations[related_to],
            kind=kind,
            valid_from=valid_from,
            note=note,
        )
    for organisation, name, title, valid_from, valid_to in OFFICERS:
        await _create(
            Officer,
            organisation=ids.organisations[organisation],
            name=name,
            title=title,
            valid_from=valid_from,
            valid_to=valid_to,
        )


async def _load_services(ids: _Ids) -> None:
    for name, category, description in SERVICES:
        row = await _create(Service, name=name, category=category, description=description)
        ids.services[name] = row["id"]


async def _provision(
    ids: _Ids,
    service: str,
    code: str,
    organisation: str,
    valid_from: date,
    note: str,
    *,
    valid_to: date | None = None,
    staffed_fte: float | None = None,
) -> dict[str, Any]:
    return await _create(
        Provision,
        service=ids.services[service],
        municipality=ids.municipalities[code],
        organisation=ids.organisations[organisation],
        valid_from=valid_from,
        valid_to=valid_to,
        staffed_fte=staffed_fte,
        note=note,
    )


# The handovers go in through the handover and staff services, so the demo keeps the same
# rules as the API and the forms (one receiving party, parts only while planned, ...).


async def _new_handover(**fields: Any) -> dict[str, Any]:
    handover_id = await handovers.create_handover(handovers.NewHandover(**fields), ACTOR)
    return await records.get_row(Handover, handover_id)


async def _party(
    handover_id: UUID,
    role: PartyRole,
    *,
    organisation: UUID | None = None,
    municipality_code: str | None = None,
    involvement: Involvement | None = None,
    note: str = "",
) -> None:
    party = handovers.NewParty(role, organisation, municipality_code, involvement, note)
    await handovers.add_party(await records.get_row(Handover, handover_id), party, ACTOR)


async def _moved_service(
    *,
    handover: UUID,
    service: UUID,
    municipality_code: str,
    from_organisation: UUID | None = None,
    note: str = "",
) -> None:
    moved = handovers.NewMovedService(service, municipality_code, from_organisation, note)
    await handovers.add_service(await records.get_row(Handover, handover), moved, ACTOR)


async def _guarantee(
    *, handover: UUID, service: UUID, municipality_code: str, **terms: Any
) -> None:
    guarantee = handovers.NewGuarantee(service, municipality_code, **terms)
    await handovers.add_guarantee(await records.get_row(Handover, handover), guarantee, ACTOR)


async def _milestone(*, handover: UUID, **fields: Any) -> None:
    milestone = handovers.NewMilestone(**fields)
    await handovers.add_milestone(await records.get_row(Handover, handover), milestone, ACTOR)


async def _staff(*, handover: UUID, **values: Any) -> None:
    await staff_service.create_staff_transfer(handover, values, ACTOR)


def _fte_per_service(staff: list[tuple[str, str, float]]) -> dict[str, float]:
    """The FTE the demo staff give each service: what becoming effective will carry over."""
    moving = moving_fte_per_service(
        {"service": service, "fte": fte, "basis": StaffBasis.TRANSFER_OF_UNDERTAKING,
         "status": StaffStatus.TRANSFERRED}
        for service, _, fte in staff
    )  # fmt: skip
    return {str(service): fte for service, fte in moving.items()}


# --- seed 000: Groningen, MJD → WerkPro -------------------------------------------------


async def _load_groningen_handover(ids: _Ids) -> None:
    mjd = ids.organisations["Stichting MJD"]
    fte = _fte_per_service(GRONINGEN_STAFF)
    for service in GRONINGEN_SERVICES:
        await _provision(
            ids,
            service,
            "GM0014",
            "Stichting MJD",
            date(2018, 1, 1),
            "Begindatum niet in de bron: 1 januari 2018 (MJD onderdeel van Vlechter) is een "
            "demo-aanname. Bezetting (FTE) = som van de verzonnen demo-medewerkers.",
            staffed_fte=fte[service],
        )

    handover = await _new_handover(
        title=GRONINGEN_HANDOVER_TITLE,
        description=GRONINGEN_DESCRIPTION,
        kind="transfer",
        announced_on=date(2021, 12, 1),
        effective_on=date(2022, 1, 1),
        source=SEED_000,
    )
    handover_id = handover["id"]
    await _party(
        handover_id,
        PartyRole.SOURCE,
        organisation=mjd,
        note="Rein de Vries, manager Welzijn bij MJD, licht de overgang toe.",
    )
    await _party(
        handover_id,
        PartyRole.RECEIVING,
        organisation=ids.organisations["Stichting WerkPro"],
        note="De betrokken medewerkers komen in dienst van WerkPro (directeur Peter Rutgers).",
    )
    await _party(
        handover_id,
        PartyRole.OTHER,
        organisation=ids.organisations["Stichting Vlechter"],
        note="MJD is sinds 2018 onderdeel van Vlechter; Vlechter voerde de gesprekken met WerkPro.",
    )
    await _party(
        handover_id,
        PartyRole.MUNICIPALITY,
        municipality_code="GM0014",
        involvement=Involvement.INFORMED,
        note="De gesprekken zijn gevoerd 'met medeweten van de gemeente Groningen'.",
    )
    for service in GRONINGEN_SERVICES:
        await _moved_service(
            handover=handover_id,
            service=ids.services[service],
            municipality_code="GM0014",
            from_organisation=mjd,
        )
    for number, (service, function, fte_value) in enumerate(GRONINGEN_STAFF, start=1):
        await _staff(
            handover=handover_id,
            staff_ref=f"MJD-{number:03d}",
            function=function,
            fte=fte_value,
            service=ids.services[service],
            basis="transfer_of_undertaking",
            terms_retained=True,
            status="transferred",
            is_demo=True,
            name=f"{DEMO_NAMES[number - 1]} (demo)",
        )
    for service, text in GRONINGEN_SERVICES.items():
        # baseline_fte stays empty: becoming effective fills it from MJD's provision.
        await _guarantee(
            handover=handover_id,
            service=ids.services[service],
            municipality_code="GM0014",
            valid_from=date(2022, 1, 1),
            until=None,
            full_strength=True,
            same_conditions=True,
            text=text,
        )
    milestones = [
        (
            "other",
            "Overeenstemming MJD en WerkPro",
            date(2021, 12, 1),
            "De gesprekken 'hebben geresulteerd in overeenstemming over de overname van "
            "activiteiten' (persbericht december 2021). De dag is afgeleid: 1 december 2021.",
        ),
        (
            "municipality_informed",
            "Gemeente Groningen geïnformeerd",
            date(2021, 12, 1),
            "De gesprekken zijn gevoerd met medeweten van de gemeente Groningen. Datum "
            "afgeleid: uiterlijk bij de overeenstemming, hier 1 december 2021.",
        ),
        (
            "staff_informed",
            "Medewerkers geïnformeerd",
            date(2021, 12, 1),
            "Het persbericht (december 2021) meldt dat de medewerkers in dienst komen van "
            "WerkPro. Datum afgeleid: 1 december 2021.",
        ),
        (
            "contracts_signed",
            "Arbeidsovereenkomsten overgegaan",
            date(2022, 1, 1),
            "De medewerkers komen per 1 januari 2022 in dienst van WerkPro (overgang van "
            "onderneming). Dat dit op die dag is afgerond, is afgeleid.",
        ),
    ]
    for kind, title, done_on, note in milestones:
        await _milestone(handover=handover_id, kind=kind, title=title, done_on=done_on, note=note)
    await transition(
        handover_id,
        HandoverStatus.AGREED,
        date(2021, 12, 1),
        "Overeenstemming tussen Vlechter/MJD en WerkPro over de overname van activiteiten, "
        "met medeweten van de gemeente Groningen (persbericht december 2021; de dag is "
        "een demo-aanname).",
        ACTOR,
    )
    await transition(
        handover_id,
        HandoverStatus.EFFECTIVE,
        date(2022, 1, 1),
        "Per 1 januari 2022 gaan de welzijnsactiviteiten in de gemeente Groningen over van "
        "Stichting MJD naar WerkPro; de medewerkers komen in dienst van WerkPro.",
        ACTOR,
    )


# --- seed 001: WerkPro's 2022 -----------------------------------------------------------


async def _load_werkpro_2022(ids: _Ids) -> None:
    await _provision(
        ids,
        ONTWIKKELLINK,
        "GM0014",
        "Stichting WerkPro",
        date(2022, 1, 1),
        "Begindatum niet in de bron: 2022 is het eerste jaar waarin de bron (jaarverslag "
        "WerkPro 2022) Ontwikkellink noemt; 1 januari 2022 is een demo-aanname.",
    )
    werkpro = ids.organisations["Stichting WerkPro"]
    #: service, metric, value, note
    figures: list[tuple[str, str, float, str]] = [
        (
            LINK050,
            "nieuwe vrijwilligers ingeschreven",
            300,
            "'werden 300 nieuwe mensen ingeschreven bij vrijwilligersplatform Link050'",
        ),
        (LINK050, "ingeschreven organisaties", 387, "'een van de 387! ingeschreven organisaties'"),
        (
            LINK050,
            "aandeel aan de slag als vrijwilliger (%)",
            40,
            "zeker 40% (een ondergrens) van de nieuw ingeschrevenen ging aan de slag als "
            "vrijwilliger",
        ),
        (BUURTBEMIDDELING, "aangemelde buurtruzies", 158, "'158 aangemelde buur(t)ruzies'"),
        (BUURTBEMIDDELING, "met succes bemiddeld", 110, "'in 110 van de 158 ... met succes'"),
        (ONTWIKKELLINK, "cursussen en workshops", 127, "'de 127 cursussen en workshops'"),
        (ONTWIKKELLINK, "deelnemers", 1000, "ruim 1.000 mensen namen deel (een ondergrens)"),
    ]
    for service, metric, value, note in figures:
        await _create(
            ServiceFigure,
            service=ids.services[service],
            organisation=werkpro,
            year=2022,
            metric=metric,
            value=float(value),
            note=f"{note}; {SEED_001}",
        )


# --- seed 002: Lelystad, 2013 ---------------------------------------------------------


async def _load_lelystad(ids: _Ids) -> None:
    team_werk = ids.organisations["Team Werk gemeente Lelystad"]
    await _provision(
        ids,
        REINTEGRATIE,
        "GM0995",
        "Team Werk gemeente Lelystad",
        date(2013, 1, 1),
        "Begindatum niet in de bron: 1 januari 2013 is een demo-aanname. Ook de "
        "re-integratieafdeling van Concern voor Werk deed re-integratie; om geen overlap "
        "te registreren staat hier alleen de provision van het team Werk.",
    )
    await _provision(
        ids,
        SCHULDHULP,
        "GM0995",
        "Maatschappelijke Dienstverlening Flevoland",
        date(2013, 9, 16),
        "De bron attesteert de dienst op 16 september 2013 (werkbezoek staatssecretaris "
        "Klijnsma, ontvangen door directeur Rik Bovenberg); eerdere begindatum onbekend.",
    )
    await _provision(
        ids,
        BUURTVOORLICHTERS,
        "GM0995",
        "Concern voor Werk",
        date(2008, 9, 16),
        "Project van Concern voor Werk met Stichting Welzijn Lelystad. De bron (september "
        "2013) spreekt over 'de resultaten van de afgelopen vijf jaar'; begin vijf jaar voor "
        "het werkbezoek van 16 september 2013 is een afgeleide benadering.",
    )

    handover = await _new_handover(
        title=LELYSTAD_HANDOVER_TITLE,
        description=LELYSTAD_DESCRIPTION,
        kind="merger",
        announced_on=date(2013, 9, 13),
        effective_on=date(2013, 9, 16),
        source=SEED_002,
    )
    handover_id = handover["id"]
    await _party(
        handover_id,
        PartyRole.SOURCE,
        organisation=team_werk,
        note="Het team Werk van de gemeente Lelystad.",
    )
    await _party(
        handover_id,
        PartyRole.SOURCE,
        organisation=ids.organisations["Concern voor Werk"],
        note="Met zijn re-integratieafdeling (niet het hele Concern voor Werk).",
    )
    await _party(
        handover_id,
        PartyRole.RECEIVING,
        organisation=ids.organisations["Werkbedrijf Lelystad"],
        note="Het nieuwe werkbedrijf, gevormd door de fusie.",
    )
    await _party(
        handover_id,
        PartyRole.MUNICIPALITY,
        municipality_code="GM0995",
        involvement=Involvement.CONSENTING,
        note="De gemeente Lelystad (wethouder Willem de Jager) en Concern voor Werk lichten "
        "samen de start van het werkbedrijf toe, en het team Werk is van de gemeente zelf. "
        "De bron noemt de rol van de gemeente niet met zoveel woorden; 'consenting' is een "
        "demo-keuze.",
    )
    await _moved_service(
        handover=handover_id,
        service=ids.services[REINTEGRATIE],
        municipality_code="GM0995",
        from_organisation=team_werk,
        note="Ook de re-integratieafdeling van Concern voor Werk gaat op in het werkbedrijf; "
        "alleen de provision van het team Werk is geregistreerd.",
    )
    await _milestone(
        handover=handover_id,
        kind="other",
        title="Toelichting start werkbedrijf aan staatssecretaris Klijnsma",
        due_on=date(2013, 9, 16),
        done_on=None,
        note="'Als de agenda van de staatssecretaris het toelaat'; of de toelichting is "
        "gegeven, staat niet in de bron.",
    )
    await transition(
        handover_id,
        HandoverStatus.AGREED,
        date(2013, 9, 13),
        "Het persbericht van 13 september 2013 meldt de fusie tot Werkbedrijf Lelystad; de "
        "datum van het persbericht staat voor de overeenstemming (niet in de bron).",
        ACTOR,
    )
    await transition(
        handover_id,
        HandoverStatus.EFFECTIVE,
        date(2013, 9, 16),
        "Gemeente en Concern voor Werk lichten op 16 september 2013 de start van het "
        "werkbedrijf toe; de ingangsdatum is daarmee benaderd, de bron geeft geen exacte "
        "datum.",
        ACTOR,
    )


# --- seed 003: Emmen, 2019 ------------------------------------------------------------

#: function, fte, status. Invented; the news item names no employees.
EMMEN_STAFF: list[tuple[str, float, str]] = [
    ("werkbegeleider", 0.9, "informed"),
    ("jobcoach", 0.8, "informed"),
    ("begeleider dagbesteding", 0.6, "proposed"),
]


async def _load_emmen(ids: _Ids) -> None:
    buurtsupport = ids.organisations["Buurtsupport"]
    await _provision(
        ids,
        EMMENS_WERKBEDRIJF_SERVICE,
        "GM0114",
        "Emmens Werkbedrijf",
        date(2018, 1, 1),
        "Emco en Menso werken vanaf 1 januari 2018 samen in het Emmens Werkbedrijf (bron).",
    )
    await _provision(
        ids,
        BUURTSUPPORT_SERVICE,
        "GM0114",
        "Buurtsupport",
        date(2019, 6, 17),
        "De bron attesteert de dienst op 17 juni 2019; eerdere begindatum onbekend. "
        "Bezetting (FTE) = som van de verzonnen demo-medewerkers.",
        staffed_fte=round(sum(fte for _, fte, _ in EMMEN_STAFF), 2),
    )

    handover = await _new_handover(
        title=EMMEN_HANDOVER_TITLE,
        description=EMMEN_DESCRIPTION,
        kind="integration",
        announced_on=date(2019, 6, 17),
        effective_on=date(2020, 1, 1),
        source=SEED_003,
    )
    handover_id = handover["id"]
    await _party(
        handover_id,
        PartyRole.SOURCE,
        organisation=buurtsupport,
        note="Tekende de intentieverklaring (directeur Fred de Leeuw).",
    )
    await _party(
        handover_id,
        PartyRole.RECEIVING,
        organisation=ids.organisations["Emmens Werkbedrijf"],
        note="Buurtsupport integreert in het Emmens Werkbedrijf ('Emmer Werkbedrijf').",
    )
    for name, director in (("Emco", "Jan Edzes"), ("Menso", "Heidy Postma")):
        await _party(
            handover_id,
            PartyRole.OTHER,
            organisation=ids.organisations[name],
            note=f"Ondertekenaar van de intentieverklaring (directeur {director}); werkt "
            "sinds 1 januari 2018 samen in het Emmens Werkbedrijf.",
        )
    await _party(
        handover_id,
        PartyRole.MUNICIPALITY,
        municipality_code="GM0114",
        involvement=Involvement.DIRECTING,
        note="Wethouder Raymond Wanders (werk, inkomen, volksgezondheid) tekende de "
        "intentieverklaring; 'De gemeente is gevraagd in dit proces de regie te voeren.'",
    )
    await _moved_service(
        handover=handover_id,
        service=ids.services[BUURTSUPPORT_SERVICE],
        municipality_code="GM0114",
        from_organisation=buurtsupport,
    )
    for number, (function, fte, status) in enumerate(EMMEN_STAFF, start=1):
        await _staff(
            handover=handover_id,
            staff_ref=f"BS-{number:03d}",
            function=function,
            fte=fte,
            service=ids.services[BUURTSUPPORT_SERVICE],
            basis="transfer_of_undertaking",
            terms_retained=True,
            status=status,
            is_demo=True,
            name=f"{DEMO_NAMES[len(GRONINGEN_STAFF) + number - 1]} (demo)",
        )
    await _guarantee(
        handover=handover_id,
        service=ids.services[BUURTSUPPORT_SERVICE],
        municipality_code="GM0114",
        valid_from=date(2020, 1, 1),
        until=None,
        full_strength=False,
        same_conditions=False,
        text="behoud activiteiten en dienstverlening; volledige trajecten naadloos inrichten",
    )
    await _milestone(
        handover=handover_id,
        kind="other",
        title="Intentieverklaring getekend",
        done_on=date(2019, 6, 17),
        note="Getekend op maandag 17 juni 2019 door Fred de Leeuw, Jan Edzes, Heidy Postma "
        "en wethouder Raymond Wanders.",
    )
    await _milestone(
        handover=handover_id,
        kind="other",
        title="Plan van aanpak opstellen",
        note="'De komende tijd wordt een plan van aanpak opgesteld waarin de plannen worden "
        "uitgewerkt.' De gemeente voert de regie. Geen termijn in de bron.",
    )
    await transition(
        handover_id,
        HandoverStatus.INTENT_SIGNED,
        date(2019, 6, 17),
        "Intentieverklaring getekend door Fred de Leeuw (Buurtsupport), Jan Edzes (Emco), "
        "Heidy Postma (Menso) en wethouder Raymond Wanders (gemeente Emmen).",
        ACTOR,
    )


# --- seed 004: Haren, 2022 ------------------------------------------------------------


async def _load_haren(ids: _Ids) -> None:
    await _provision(
        ids,
        HAREN_NETWORK_SERVICE,
        "GM0014",
        "Netwerk Haren Verbind!",
        date(2022, 4, 14),
        "De bron attesteert het netwerk op 14 april 2022 (bijeenkomst Mensenwerk in "
        "Erasmusheem); eerdere begindatum onbekend. Haren hoort sinds 2019 bij de gemeente "
        "Groningen.",
    )
    matchmakers_note = (
        "Demo-aanname: de bron attesteert Matchmakers (voorheen Haren Tynaarlose Uitdaging) "
        "alleen in april 2022. De periodes tonen de herindeling van Haren in Groningen per "
        "1 januari 2019; de begindatum 1 januari 2015 is verzonnen."
    )
    await _provision(
        ids,
        MATCHMAKERS_SERVICE,
        "GM0017",
        "Matchmakers",
        date(2015, 1, 1),
        matchmakers_note,
        valid_to=date(2019, 1, 1),
    )
    await _provision(
        ids,
        MATCHMAKERS_SERVICE,
        "GM0014",
        "Matchmakers",
        date(2019, 1, 1),
        matchmakers_note,
    )
