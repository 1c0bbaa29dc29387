"""``handover municipalities update``: a newer CBS list with a rename, a merger and a new
code applies exactly those changes, recorded and audited; a dry run and bad files change
nothing. Each test runs the real command on a registry of its own."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from app.municipalities.reference import shipped
from tests.scale.stores import empty_store, handover_cli, serving_from

ON = "2027-01-01"


def write_cbs_list(path: Path, *, drop: set[str], rename: dict[str, str], add: list) -> Path:
    """The shipped current municipalities, changed, in CBS's 'Gemeenten alfabetisch' CSV."""
    facts, _ = shipped()
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file, delimiter=";", lineterminator="\r\n")
        writer.writerow(
            [
                "Gemeentecode",
                "GemeentecodeGM",
                "Gemeentenaam",
                "Provinciecode",
                "ProvinciecodePV",
                "Provincienaam",
            ]
        )
        for fact in facts:
            if fact.valid_to is None and fact.code not in drop:
                name = rename.get(fact.code, fact.name)
                writer.writerow([int(fact.code[2:]), fact.code, name, "", "", fact.province])
        for code, name, province in add:
            writer.writerow([int(code[2:]), code, name, "", "", province])
    return path


@pytest.fixture
async def registry(tmp_path) -> str:
    url = await empty_store("municipality_update")
    result = handover_cli(url, "migrate")
    assert result.returncode == 0, result.stderr
    return url


async def snapshot(url: str) -> dict[str, tuple]:
    from app.tables.tables import Municipality

    async with serving_from(url):
        rows = await Municipality.select(
            Municipality.id,
            Municipality.code,
            Municipality.name,
            Municipality.valid_from,
            Municipality.valid_to,
            Municipality.successor.code,
        )
    return {
        r["code"]: (r["id"], r["name"], r["valid_from"], r["valid_to"], r["successor.code"])
        for r in rows
    }


async def test_a_rename_a_merger_and_a_new_code(registry, tmp_path) -> None:
    listing = write_cbs_list(
        tmp_path / "gemeenten-alfabetisch-2027.csv",
        drop={"GM0106"},  # pretend: Assen goes into Aa en Hunze
        rename={"GM0114": "Emmen aan de Hondsrug"},
        add=[("GM1999", "Proefgemeente Nieuw", "Drenthe")],
    )
    herindelingen = tmp_path / "herindelingen-2027.csv"
    herindelingen.write_text(f"on,code,successor,part\n{ON},GM0106,GM1680,\n")
    before = await snapshot(registry)

    dry = handover_cli(
        registry,
        "municipalities",
        "update",
        str(listing),
        "--herindelingen",
        str(herindelingen),
        "--on",
        ON,
        "--dry-run",
    )
    assert dry.returncode == 0, dry.stderr
    assert len(dry.stdout.splitlines()) == 3
    assert await snapshot(registry) == before

    applied = handover_cli(
        registry,
        "municipalities",
        "update",
        str(listing),
        "--herindelingen",
        str(herindelingen),
        "--on",
        ON,
    )
    assert applied.returncode == 0, applied.stderr
    after = await snapshot(registry)
    changed = {code for code in after if after[code] != before.get(code)}
    assert changed == {"GM0106", "GM0114", "GM1999"}
    assert after["GM0114"][1] == "Emmen aan de Hondsrug"
    assert after["GM0106"][3:] == (date(2027, 1, 1), "GM1680")
    assert after["GM1999"][1:4] == ("Proefgemeente Nieuw", date(2027, 1, 1), None)
    assert all(after[code][0] == before[code][0] for code in before)  # ids kept

    from app.tables.tables import AuditEvent

    async with serving_from(registry):
        events = await AuditEvent.count().where(
            AuditEvent.actor.like("cli%")
            & (AuditEvent.record_type.is_in(["municipality", "municipality_succession"]))
        )
    assert events == 4  # the rename, the new code, Assen's end and where it went

    again = handover_cli(
        registry,
        "municipalities",
        "update",
        str(listing),
        "--herindelingen",
        str(herindelingen),
        "--on",
        ON,
    )
    assert again.returncode == 0
    assert "nothing to change" in again.stderr
    assert await snapshot(registry) == after


@pytest.mark.parametrize(
    ("herindelingen", "message"),
    [
        (None, "GM0106 Assen is not in the new list"),
        ("on,code,successor\n2027-01-01,GM0106,GM0000\n", "GM0000, which is not in the new list"),
        (
            "on,code,successor\nmorgen,GM0106,GM1680\n",
            "herindelingen.csv:2: 'morgen' is not a date",
        ),
    ],
)
async def test_bad_files_give_one_line_and_change_nothing(
    registry, tmp_path, herindelingen, message
) -> None:
    listing = write_cbs_list(tmp_path / "lijst.csv", drop={"GM0106"}, rename={}, add=[])
    args = ["municipalities", "update", str(listing), "--on", ON]
    if herindelingen is not None:
        (tmp_path / "herindelingen.csv").write_text(herindelingen)
        args += ["--herindelingen", str(tmp_path / "herindelingen.csv")]
    before = await snapshot(registry)
    result = handover_cli(registry, *args)
    assert result.returncode != 0
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert await snapshot(registry) == before


async def test_a_broken_list_is_one_line(registry, tmp_path) -> None:
    broken = tmp_path / "kapot.csv"
    broken.write_text("Gemeentecode;GemeentecodeGM;Gemeentenaam\n14;GM0014;\n")
    result = handover_cli(registry, "municipalities", "update", str(broken))
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "Error: kapot.csv:2: every municipality needs a code, a name and a province"
    ]
