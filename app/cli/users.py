"""``handover user``: people who log in to the web pages and Piccolo Admin."""

from __future__ import annotations

import sys

import click


@click.group("user")
def user() -> None:
    """People who log in to the web pages (and, as registrar or admin, to /admin/)."""


def _read_password() -> str:
    if not sys.stdin.isatty():  # piped in by a script: the first line
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@user.command("create")
@click.option("--username", required=True)
@click.option("--role", required=True, help="admin, registrar, hr, management or municipality")
@click.option("--organisation", "organisations", multiple=True, help="Name or id (hr, management).")
@click.option("--municipality", "municipalities", multiple=True, help="CBS code (municipality).")
@click.option("--email", default=None, help="E-mail address (optional).")
def user_create(
    username: str,
    role: str,
    organisations: tuple[str, ...],
    municipalities: tuple[str, ...],
    email: str | None,
) -> None:
    """Create a person; the password is read from standard input, or asked for."""
    password = _read_password()

    # Imported here: app.cli.main imports this module to register the group.
    from app.cli.running import migrate_database, run

    async def go() -> int:
        from app.access.people import create_person

        await migrate_database()
        return await create_person(
            username,
            password,
            role,
            organisations=organisations,
            municipalities=municipalities,
            email=email,
        )

    user_id = run(go())
    click.echo(f"created {username} ({role}, user id {user_id})", err=True)
