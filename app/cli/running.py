"""Running a command's work: one line for any expected failure, the database migrated."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

import click

from app.errors import DomainError
from app.settings import DatabaseURLError

T = TypeVar("T")


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine; turn any expected failure into a one-line message and exit 1."""
    try:
        # Writes feed the event outbox; importing it installs that (and opens the
        # database settings, whose errors are one line here like the rest).
        import app.events.outbox  # noqa: F401

        return asyncio.run(coroutine)
    except DomainError as error:
        raise click.ClickException(error.detail) from None
    except DatabaseURLError as error:
        raise click.ClickException(str(error)) from None
    except OSError as error:
        raise click.ClickException(f"cannot reach the database: {error}") from None
    except Exception as error:  # a command line shows one line, never a traceback
        raise click.ClickException(f"{type(error).__name__}: {error}") from None
    finally:
        coroutine.close()  # unstarted when the settings failed; a no-op once it has run


async def migrate_database(*, reference: bool = False) -> int:
    """Migrate; with ``reference``, also load the municipalities the registry ships
    (what it lacks of them), returning how many rows that wrote."""
    from app.migrate import migrate

    await migrate()
    if not reference:
        return 0
    from app.municipalities.service import load_reference

    return await load_reference()
