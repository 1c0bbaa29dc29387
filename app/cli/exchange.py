"""``handover import-staff``, ``handover export`` and ``handover import``."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from uuid import UUID

import click


def _run(work):
    """``app.cli.main.run`` after migrating (imported late: main imports this module)."""
    from app.cli.running import migrate_database, run

    async def migrated():
        await migrate_database()
        return await work()

    return run(migrated())


@contextmanager
def progress_bar(description: str) -> Iterator[Callable[[int, int], None]]:
    """A rich progress bar on standard error; ``update(done, total)`` moves it."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    console = Console(stderr=True)
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=not console.is_terminal,
        disable=not console.is_terminal,
    ) as progress:
        task = progress.add_task(description, total=None)

        def update(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        yield update


@click.command("import-staff")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--handover", "handover_id", required=True, type=click.UUID, help="Handover id.")
@click.option("--skip-invalid", is_flag=True, help="Write the good rows even when others are bad.")
def import_staff_command(file: Path, handover_id: UUID, skip_invalid: bool) -> None:
    """Import staff transfers from an HR file (CSV or XLSX) into a handover."""
    from app.exchange.staff_import import import_staff

    try:
        data = file.read_bytes()
    except OSError as error:
        raise click.ClickException(f"cannot read {file}: {error.strerror}") from None
    with progress_bar(f"import {file.name}") as update:

        async def go():
            return await import_staff(
                handover_id,
                data,
                file.name,
                skip_invalid=skip_invalid,
                actor=f"cli:import-staff {file.name}",
                progress=update,
            )

        report = _run(go)
    for problem in report.problems:
        click.echo(f"{file.name}:{problem.line}: {problem.field}: {problem.reason}", err=True)
    click.echo(
        f"{report.written} of {report.rows} rows written"
        + (f", {len(report.problems)} problem(s)" if report.problems else ""),
        err=True,
    )
    if report.problems and not skip_invalid:
        click.echo("nothing written: correct the rows above, or use --skip-invalid", err=True)
        sys.exit(1)


@click.command("export")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def export_command(file: Path) -> None:
    """Write the whole registry to FILE (JSON Lines; gzip when FILE ends in .gz)."""
    from app.exchange.registry_dump import export_registry

    with progress_bar("export") as update:

        async def go() -> dict[str, int]:
            return await export_registry(file, progress=update)

        counts = _run(go)
    click.echo(f"{sum(counts.values())} rows of {len(counts)} tables written to {file}", err=True)


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(file: Path) -> None:
    """Load a registry export into this database, which must be empty."""
    from app.exchange.registry_dump import import_registry

    with progress_bar("import") as update:

        async def go() -> dict[str, int]:
            return await import_registry(file, progress=update)

        counts = _run(go)
    click.echo(f"{sum(counts.values())} rows of {len(counts)} tables imported", err=True)
