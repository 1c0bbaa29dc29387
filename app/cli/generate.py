"""``handover generate``: a synthetic registry of national size, for benchmarks and tests."""

from __future__ import annotations

import time

import click

from app.generate.scales import SCALES


@click.command()
@click.option(
    "--scale",
    type=click.Choice(sorted(SCALES)),
    default="national",
    show_default=True,
    help="national: 342 municipalities ... 1,000,000 audit events; national10: ten times "
    "that; test: a hundredth.",
)
@click.option("--factor", type=click.FloatRange(0.001, 20), default=1.0, show_default=True,
              help="Multiply the scale's sizes by this.")  # fmt: skip
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same registry.")
def generate(scale: str, factor: float, seed: int) -> None:
    """Fill an empty registry with synthetic data (refuses a registry with records)."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from app.cli.running import migrate_database, run
    from app.generate.load import check_empty, load
    from app.generate.scales import Sizes
    from app.generate.synthetic import generate as build

    sizes = Sizes.of(scale, factor)
    if sizes.municipalities > 9_000:
        raise click.ClickException("at most 9,000 municipalities fit the GM0000 code space")
    console = Console(stderr=True)

    async def go() -> None:
        await migrate_database()
        await check_empty()
        started = time.monotonic()
        with console.status(f"generating the {scale} registry (seed {seed})"):
            dataset = build(sizes, seed)
        console.print(f"generated in {time.monotonic() - started:.1f} s")
        columns = (
            TextColumn("{task.description:<22}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]:>12}"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
        )
        with Progress(*columns, console=console) as progress:
            tasks = {
                table: progress.add_task(table, total=dataset.count(table), rate="")
                for table in dataset.columns
            }
            begun: dict[str, float] = {}
            mark = [time.monotonic()]

            def advance(table: str, n: int) -> None:
                begun.setdefault(table, mark[0])  # a table starts when the one before ends
                mark[0] = time.monotonic()
                progress.advance(tasks[table], n)
                done = progress.tasks[tasks[table]].completed
                elapsed = max(time.monotonic() - begun[table], 1e-6)
                progress.update(tasks[table], rate=f"{done / elapsed:,.0f} rows/s")

            await load(dataset, advance)
        total = sum(dataset.count(t) for t in dataset.columns)
        console.print(
            f"loaded {total:,} rows in {time.monotonic() - started:.1f} s "
            f"({len(dataset.planted_gaps)} planted gaps)"
        )

    run(go())
