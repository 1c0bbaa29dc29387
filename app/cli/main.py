"""The ``handover`` command line."""

from __future__ import annotations

import asyncio
import sys
import warnings
from datetime import datetime, time, timedelta
from typing import Any

import click

from app.cli.doctor import doctor as doctor_command
from app.cli.exchange import export_command, import_command, import_staff_command
from app.cli.generate import generate as generate_command
from app.cli.municipalities import municipalities
from app.cli.running import migrate_database, run
from app.cli.staff import retention_command, staff
from app.cli.users import user as user_group
from app.dates import AMSTERDAM
from app.settings import get_settings


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Overdrachtsregister: who delivers which welfare service, and what changes in a handover.

    The database comes from HANDOVER_DATABASE_URL (default sqlite:///./handover.sqlite).
    """
    # Piccolo warns on stderr before we get to say the same thing in one line.
    warnings.filterwarnings("ignore", message=".*Unable to (connect|fetch server version)")


cli.add_command(user_group)
cli.add_command(generate_command)
cli.add_command(import_staff_command)
cli.add_command(export_command)
cli.add_command(import_command)
cli.add_command(staff)
cli.add_command(retention_command)
cli.add_command(doctor_command)
cli.add_command(municipalities)


@cli.command()
def migrate() -> None:
    """Run the database migrations forwards and load the municipalities it lacks."""
    written = run(migrate_database(reference=True))
    click.echo(f"database migrated; {written} municipality reference rows added", err=True)


@cli.command("load-demo")
def load_demo_command() -> None:
    """Load the seed cases (a second run adds nothing)."""

    async def go() -> bool:
        from app.demo.seeds import load_demo

        await migrate_database(reference=True)
        return await load_demo()

    loaded = run(go())
    click.echo("demo data loaded" if loaded else "demo data already present", err=True)


@cli.group()
def apikey() -> None:
    """API keys for systems that call the API."""


@apikey.command("create")
@click.option("--role", required=True, help="admin, registrar, hr, management or municipality")
@click.option("--organisation", "organisations", multiple=True, help="Name or id (hr, management).")
@click.option("--municipality", "municipalities", multiple=True, help="CBS code (municipality).")
@click.option("--name", default="", help="Who the key is for.")
@click.option(
    "--expires",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Last day the key works (YYYY-MM-DD, Europe/Amsterdam).",
)
def apikey_create(
    role: str,
    organisations: tuple[str, ...],
    municipalities: tuple[str, ...],
    name: str,
    expires: datetime | None,
) -> None:
    """Create a key and print it, once, on standard output."""
    # The key works through the whole of its last day.
    expires_at = (
        datetime.combine(expires.date() + timedelta(days=1), time.min, AMSTERDAM)
        if expires
        else None
    )

    async def go() -> str:
        from app.access.keys import create_api_key

        await migrate_database()
        return await create_api_key(
            role,
            organisations=organisations,
            municipalities=municipalities,
            name=name,
            expires_at=expires_at,
        )

    click.echo(run(go()))


@apikey.command("list")
def apikey_list() -> None:
    """Show every key (never the key itself): prefix, holder, scope, use."""
    from rich.console import Console
    from rich.table import Table

    async def go() -> list[dict]:
        from app.access.keys import list_api_keys

        await migrate_database()
        return await list_api_keys()

    rows = run(go())

    def when(moment: datetime | None) -> str:
        return moment.astimezone(AMSTERDAM).strftime("%Y-%m-%d %H:%M") if moment else "-"

    header = ("id", "prefix", "name", "role", "scope", "created", "expires", "last used", "revoked")
    lines = [
        (
            str(row["id"]),
            row["prefix"],
            row["name"] or "-",
            row["role"],
            ", ".join([*row["municipality_codes"], *row["organisation_ids"]]) or "-",
            when(row["created_at"]),
            when(row["expires_at"]),
            when(row["last_used_at"]),
            when(row["revoked_at"]),
        )
        for row in rows
    ]
    if not sys.stdout.isatty():  # for scripts: tab-separated, nothing cut off
        for line in (header, *lines):
            click.echo("\t".join(line))
        return
    table = Table(*header)
    for line in lines:
        table.add_row(*line)
    Console().print(table)


@apikey.command("revoke")
@click.argument("key_id")
def apikey_revoke(key_id: str) -> None:
    """Revoke a key by its id (or its prefix, when that is unique)."""

    async def go() -> dict:
        from app.access.keys import revoke_api_key

        await migrate_database()
        return await revoke_api_key(key_id)

    row = run(go())
    click.echo(f"revoked {row['prefix']} ({row['name'] or 'unnamed'})", err=True)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64))
def serve(host: str, port: int, workers: int) -> None:
    """Serve the API and pages with uvicorn (no demo data)."""
    import uvicorn

    from app.metrics import prepare_multiprocess

    run(migrate_database(reference=True))
    prepare_multiprocess(workers)  # before the workers start: they count into one folder
    # No uvicorn access log: the app writes one JSON line per request, without query strings.
    uvicorn.run(
        "app.asgi:app",
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        access_log=False,
        # Open requests get this long on SIGTERM; then uvicorn cancels them and shuts down.
        timeout_graceful_shutdown=max(1, round(get_settings().shutdown_seconds)),
    )


@cli.command()
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
def demo(port: int) -> None:
    """Migrate, load the seed cases, print demo keys and serve on 127.0.0.1."""
    import uvicorn

    from app.demo.keys import DEMO_KEYS, ensure_demo_keys
    from app.demo.logins import DEMO_LOGINS, ensure_demo_logins

    async def go() -> bool:
        from app.demo.seeds import load_demo

        await migrate_database(reference=True)
        loaded = await load_demo()
        await ensure_demo_keys()
        await ensure_demo_logins()
        return loaded

    loaded = run(go())
    click.echo("Demo data loaded." if loaded else "Demo data already present.")
    click.echo("\nDemo API keys (send as 'Authorization: Bearer <key>'):")
    for role, (key, scope) in DEMO_KEYS.items():
        click.echo(f"  {role:<14} {key}   {scope}")
    click.echo("\nDemo logins for the web pages (username / password):")
    for username, (password, role, *_, scope) in DEMO_LOGINS.items():
        click.echo(f"  {role:<14} {username} / {password}   {scope}")
    base = f"http://127.0.0.1:{port}"
    click.echo(f"\nAPI:  {base}/api/v1   docs: {base}/api/v1/docs")
    click.echo(f"Web:  {base}/   admin: {base}/admin/\n")
    sys.stdout.flush()
    server = uvicorn.Server(
        uvicorn.Config(
            "app.asgi:app",
            host="127.0.0.1",
            port=port,
            log_level="info",
            access_log=False,
            timeout_graceful_shutdown=max(1, round(get_settings().shutdown_seconds)),
        )
    )
    asyncio.run(serve_with_worker(server))


async def serve_with_worker(server: Any) -> None:
    """The demo's one process: the API and pages, and a worker delivering events."""
    from app.events.worker import run_worker

    stop = asyncio.Event()
    worker = asyncio.create_task(run_worker(stop, own_pool=False))
    try:
        await server.serve()
    finally:
        stop.set()
        await worker


@cli.command()
def worker() -> None:
    """Deliver events to subscriptions and emit time-driven events, until stopped."""
    import signal

    async def go() -> None:
        from app.events.worker import run_worker

        await migrate_database()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        click.echo("worker delivering events (Ctrl+C stops)", err=True)
        await run_worker(stop)

    run(go())
