"""``handover municipalities update``: apply a newer CBS list of municipalities."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from app.cli.exchange import _run
from app.cli.staff import _actor
from app.dates import today
from app.errors import DomainError


def _read(path: Path) -> str:
    """A CSV as CBS publishes it: UTF-8 (with or without BOM) or Windows-1252."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise click.ClickException(f"{path}: {error.strerror or error}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


@click.group()
def municipalities() -> None:
    """The municipalities (gemeenten) the registry knows."""


@municipalities.command("update")
@click.argument("listing", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--herindelingen",
    type=click.Path(dir_okay=False, path_type=Path),
    help="CSV with on,code,successor[,part]: where each municipality no longer listed went.",
)
@click.option(
    "--on",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The date the list is for (default: 1 January of this year).",
)
@click.option("--dry-run", is_flag=True, help="Print what would change; change nothing.")
def update_command(listing: Path, herindelingen: Path | None, on, dry_run: bool) -> None:
    """Apply a CBS list (code, name, province) as dated changes, all or nothing."""
    from app.municipalities.reference import read_municipalities, read_successions
    from app.municipalities.service import apply_update

    try:
        listed = read_municipalities(_read(listing), listing.name)
        successions = (
            read_successions(_read(herindelingen), herindelingen.name) if herindelingen else []
        )
    except DomainError as error:
        raise click.ClickException(error.detail) from None
    day = on.date() if on else date(today().year, 1, 1)

    async def work():
        return await apply_update(listed, successions, day, dry_run=dry_run, actor=_actor())

    changes = _run(work)
    for change in changes:
        click.echo(f"{'would ' if dry_run else ''}{change.kind}: {change.description}")
    verb = "would change" if dry_run else "changed"
    click.echo(
        f"{len(changes)} municipality changes {verb}" if changes else "nothing to change", err=True
    )
