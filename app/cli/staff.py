"""``handover staff erase`` and ``handover retention``: staff personal data (AVG)."""

from __future__ import annotations

import getpass
from uuid import UUID

import click

from app.cli.exchange import _run


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


@click.group()
def staff() -> None:
    """Staff transfers' personal data."""


@staff.command("erase")
@click.option("--handover", "handover_id", required=True, type=click.UUID, help="Handover id.")
@click.option("--staff-ref", required=True, help="The person's staff reference in the handover.")
def erase_command(handover_id: UUID, staff_ref: str) -> None:
    """Erase one person's personal data everywhere (AVG art. 17); the staff figures stay."""
    from app.store.personal_data import erase_on_request

    async def work() -> bool:
        return await erase_on_request(handover_id, staff_ref, actor=_actor())

    held = _run(work)
    click.echo(
        f"personal data of {staff_ref} erased" if held else f"no personal data of {staff_ref} held",
        err=True,
    )


@click.command("retention")
@click.option(
    "--days",
    type=click.IntRange(min=0),
    default=None,
    help="Days after a handover ended (default HANDOVER_STAFF_RETENTION_DAYS, 365).",
)
def retention_command(days: int | None) -> None:
    """Erase the staff personal data of handovers completed or cancelled long enough ago."""
    from app.dates import today
    from app.settings import staff_retention_days
    from app.store.personal_data import apply_retention

    async def work() -> tuple[int, int]:
        period = staff_retention_days() if days is None else days
        return await apply_retention(days=period, on=today(), actor="retention")

    handovers, people = _run(work)
    click.echo(
        f"retention: personal data of {people} staff in {handovers} handovers erased", err=True
    )
