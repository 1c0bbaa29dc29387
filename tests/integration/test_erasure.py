"""Erasure (AVG art. 17), retention and the right of access (art. 15) of staff personal
data, through the real API, command line and database."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from app.database import is_postgres
from app.settings import get_settings, staff_retention_days
from app.store.personal_data import NAME
from app.store.recorded import read
from app.tables.tables import AuditEvent, StaffPersonalData, StaffTransfer
from tests.helpers import bearer, columns_containing, if_match

FIRST_SPELLING = "Quirijn Eerstespelling"
PERSON = "Quirijn Wisbaarman"
BY_CLI = "Xaverius Doorhaling"
RETAINED = "Ysbrand Bewaartermijn"


def handover_cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "HANDOVER_DATABASE_URL": get_settings().database_url, **env},
        timeout=120,
        check=False,
    )


def file_bytes(path: Path) -> bytes:
    return path.read_bytes()


async def new_handover(client, keys, demo_ids, title: str) -> str:
    response = await client.post(
        "/api/v1/handovers",
        json={
            "title": title,
            "parties": [{"role": "receiving", "organisationId": demo_ids["organisation_id"]}],
        },
        headers=bearer(keys["registrar"]),
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def new_staff(client, keys, handover: str, ref: str, name: str, **headers: str) -> dict:
    response = await client.post(
        f"/api/v1/handovers/{handover}/staff",
        json={"staffRef": ref, "fte": 0.8, "name": name, "function": "consulent"},
        headers={**bearer(keys["hr"]), **headers},
    )
    assert response.status_code == 201, response.text
    return response.json()


async def test_an_erased_person_is_nowhere_in_the_registry(
    client, keys, demo_ids, tmp_path: Path
) -> None:
    url = get_settings().database_url
    handover = await new_handover(client, keys, demo_ids, "Overdracht met een wisverzoek")
    staff = await new_staff(
        client, keys, handover, "ER-001", FIRST_SPELLING, **{"Idempotency-Key": "erase-1"}
    )
    item = f"/api/v1/handovers/{handover}/staff/{staff['id']}"
    renamed = await client.patch(
        item, json={"name": PERSON}, headers={**bearer(keys["hr"]), "If-Match": '"1"'}
    )
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["name"] == PERSON
    assert renamed.headers["etag"] == '"2"'  # the answer changed, so its ETag did
    # Only the personal-data table (and the replay of the create's answer) hold names.
    assert set(await columns_containing(url, FIRST_SPELLING)) == {
        "idempotent_request.response_body"
    }
    assert set(await columns_containing(url, PERSON)) == {"staff_personal_data.name"}
    events = await AuditEvent.select().where(AuditEvent.record_id == staff["id"])
    assert {(e["record_type"], e["action"]) for e in events} >= {
        ("staff_transfer", "create"),
        ("staff_personal_data", "create"),
        ("staff_personal_data", "update"),
    }
    known_before = datetime.now(UTC)

    # Right of access: all the registry holds, for hr of a party and admins.
    report = await client.get(f"{item}/personal-data", headers=bearer(keys["hr"]))
    assert report.status_code == 200, report.text
    body = report.json()
    assert body["personalData"]["name"] == PERSON
    assert body["staffTransfer"]["staffRef"] == "ER-001"
    assert body["erasedAt"] is None
    assert body["retention"]["days"] == staff_retention_days()
    assert ["name"] in [e["fields"] for e in body["history"]]
    for role in ("registrar", "management", "municipality", "hr_other"):
        refused = await client.get(f"{item}/personal-data", headers=bearer(keys[role]))
        assert refused.status_code == 403, role

    # Erasure: admins only, and only of the transfer whose ETag they name.
    erase = f"{item}/personal-data"
    assert (await client.delete(erase, headers=bearer(keys["hr"]))).status_code == 403
    unconditional = await client.delete(erase, headers=bearer(keys["admin"]))
    assert unconditional.status_code == 428
    assert unconditional.headers["content-type"].startswith("application/problem+json")
    stale = await client.delete(erase, headers={**bearer(keys["admin"]), "If-Match": '"1"'})
    assert stale.status_code == 412
    erased = await client.delete(erase, headers={**bearer(keys["admin"]), "If-Match": '"2"'})
    assert erased.status_code == 204, erased.text

    for name in (PERSON, FIRST_SPELLING):
        assert await columns_containing(url, name) == [], name
    assert not await StaffPersonalData.exists().where(
        StaffPersonalData.staff_transfer == staff["id"]
    )
    # The figures stay; the reference answers for the person.
    listed = await client.get(f"/api/v1/handovers/{handover}/staff", headers=bearer(keys["hr"]))
    assert [(s["staffRef"], s["name"], s["fte"]) for s in listed.json()["items"]] == [
        ("ER-001", None, 0.8)
    ]
    after = (await client.get(erase, headers=bearer(keys["admin"]))).json()
    assert after["personalData"] is None
    assert after["erasedAt"] is not None
    # The trail says that it happened, who did it and to which reference, never what.
    erasure = (
        await AuditEvent.select()
        .where((AuditEvent.record_id == staff["id"]) & (AuditEvent.action == "erase"))
        .output(load_json=True)
        .first()
    )
    assert erasure["actor"].startswith("admin:")
    assert erasure["after"]["staff_ref"] == "ER-001"
    assert erasure["after"]["reason"] == "request"
    # What the registry knew before the erasure holds the reference, not the name.
    known = {str(r["id"]): r for r in await read(StaffTransfer.select(), known_before)}
    assert known[staff["id"]]["staff_ref"] == "ER-001"
    assert "name" not in known[staff["id"]]
    detail = await client.get(
        f"/api/v1/handovers/{handover}",
        params={"knownOn": known_before.isoformat()},
        headers=bearer(keys["hr"]),
    )
    assert detail.status_code == 200
    assert PERSON not in detail.text

    # No export holds anything of the person: the staff sheet nor a backup.
    sheet = await client.get(
        f"/api/v1/exports/handovers/{handover}/staff", headers=bearer(keys["hr"])
    )
    assert sheet.status_code == 200, sheet.text
    assert "ER-001" in sheet.text
    assert PERSON not in sheet.text
    backup = tmp_path / "after-erasure.jsonl"
    exported = handover_cli("export", str(backup))
    assert exported.returncode == 0, exported.stderr
    dump = backup.read_text(encoding="utf-8")
    assert "ER-001" in dump
    for name in (PERSON, FIRST_SPELLING):
        assert name not in dump

    if not is_postgres():
        # Deleted rows linger in free pages until VACUUM rewrites the file.
        await StaffTransfer.raw("VACUUM")
        path = Path(url.removeprefix("sqlite:///"))
        for file in (path, Path(f"{path}-wal"), Path(f"{path}-journal")):
            if file.exists():
                content = file_bytes(file)
                assert PERSON.encode() not in content, file
                assert FIRST_SPELLING.encode() not in content, file
        assert b"ER-001" in file_bytes(path)


async def test_handover_staff_erase_on_the_command_line(client, keys, demo_ids) -> None:
    url = get_settings().database_url
    handover = await new_handover(client, keys, demo_ids, "Overdracht met wissen per opdracht")
    await new_staff(client, keys, handover, "ER-002", BY_CLI)
    assert await columns_containing(url, BY_CLI) == ["staff_personal_data.name"]
    done = handover_cli("staff", "erase", "--handover", handover, "--staff-ref", "ER-002")
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "personal data of ER-002 erased"
    assert await columns_containing(url, BY_CLI) == []
    again = handover_cli("staff", "erase", "--handover", handover, "--staff-ref", "ER-002")
    assert again.returncode == 0
    assert again.stderr.strip() == "no personal data of ER-002 held"
    unknown = handover_cli("staff", "erase", "--handover", handover, "--staff-ref", "NOPE")
    assert unknown.returncode == 1
    assert len(unknown.stderr.strip().splitlines()) == 1
    assert "no staff transfer with staff reference 'NOPE'" in unknown.stderr
    events = await AuditEvent.select(AuditEvent.actor, AuditEvent.after).where(
        (AuditEvent.action == "erase") & (AuditEvent.record_type == "staff_personal_data")
    )
    assert sum(1 for e in events if '"ER-002"' in e["after"]) == 2
    assert all(e["actor"].startswith("cli") for e in events if '"ER-002"' in e["after"])


async def test_retention_erases_names_of_long_ended_handovers_and_keeps_the_figures(
    client, keys, demo_ids
) -> None:
    url = get_settings().database_url
    handover = await new_handover(client, keys, demo_ids, "Overdracht lang geleden afgebroken")
    await new_staff(client, keys, handover, "RT-001", RETAINED)
    detail_url = f"/api/v1/handovers/{handover}"
    cancelled = await client.post(
        f"{detail_url}/transitions",
        json={"to": "cancelled", "on": "2001-01-01", "note": "niet doorgegaan"},
        headers=await if_match(client, detail_url, bearer(keys["registrar"])),
    )
    assert cancelled.status_code == 201, cancelled.text
    summary = (await client.get(detail_url, headers=bearer(keys["management"]))).json()["staff"]
    report = await client.get(f"/api/v1/handovers/{handover}/staff", headers=bearer(keys["hr"]))
    staff_id = report.json()["items"][0]["id"]
    access = (
        await client.get(
            f"/api/v1/handovers/{handover}/staff/{staff_id}/personal-data",
            headers=bearer(keys["hr"]),
        )
    ).json()["retention"]
    assert access["handoverEndedOn"] == "2001-01-01"

    # Not yet: a period longer than the time since.
    waiting = handover_cli("retention", HANDOVER_STAFF_RETENTION_DAYS="100000")
    assert waiting.returncode == 0, waiting.stderr
    assert await columns_containing(url, RETAINED) == ["staff_personal_data.name"]
    bad = handover_cli("retention", HANDOVER_STAFF_RETENTION_DAYS="a year")
    assert bad.returncode == 1
    assert len(bad.stderr.strip().splitlines()) == 1

    due = handover_cli("retention", "--days", "3650")
    assert due.returncode == 0, due.stderr
    assert "erased" in due.stderr
    assert await columns_containing(url, RETAINED) == []
    after = (await client.get(detail_url, headers=bearer(keys["management"]))).json()["staff"]
    assert (after["count"], after["fte"]) == (summary["count"], summary["fte"]) == (1, 0.8)
    reasons = await AuditEvent.select(AuditEvent.after).where(
        (AuditEvent.record_id == staff_id) & (AuditEvent.action == "erase")
    )
    assert len(reasons) == 1
    assert '"retention"' in reasons[0]["after"]
    # Handovers still running keep their names: the demo's staff are all still there.
    demo_names = await StaffTransfer.select(NAME).where(
        StaffTransfer.handover == demo_ids["handover_id"]
    )
    assert all(r["name"].endswith("(demo)") for r in demo_names)


async def test_a_staff_file_puts_names_in_the_personal_data_table_only(
    client, keys, demo_ids
) -> None:
    from app.exchange.staff_import import import_staff

    url = get_settings().database_url
    handover = await new_handover(client, keys, demo_ids, "Overdracht met een personeelsbestand")
    first = "personeelsnummer;naam;functie;fte\nIM-001;Wilhelmina Bestandsnaam;consulent;0,8\n"
    report = await import_staff(handover, first.encode(), "p.csv", actor="test:import")
    assert (report.written, report.problems) == (1, [])
    assert await columns_containing(url, "Wilhelmina Bestandsnaam") == ["staff_personal_data.name"]
    renamed = first.replace("Bestandsnaam", "Hernoemd")
    report = await import_staff(handover, renamed.encode(), "p.csv", actor="test:import")
    assert report.written == 1
    assert await columns_containing(url, "Wilhelmina Bestandsnaam") == []
    assert await columns_containing(url, "Wilhelmina Hernoemd") == ["staff_personal_data.name"]
    listed = await client.get(f"/api/v1/handovers/{handover}/staff", headers=bearer(keys["hr"]))
    assert [s["name"] for s in listed.json()["items"]] == ["Wilhelmina Hernoemd"]
    events = await AuditEvent.select(AuditEvent.after).where(
        (AuditEvent.record_type == "staff_personal_data")
        & (AuditEvent.action == "import")
        & (AuditEvent.record_id == handover)
    )
    assert len(events) == 2
    assert all('"staff_transfers": 1' in e["after"] for e in events)
