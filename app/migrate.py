"""Running Piccolo's migrations forwards from our own commands and tests."""

from __future__ import annotations

import contextlib
import io
import os

from piccolo.apps.migrations.commands.forwards import run_forwards


class MigrationFailed(RuntimeError):
    pass


async def migrate(*, quiet: bool = True) -> None:
    # Piccolo finds its configuration through this module path, wherever we run from.
    os.environ.setdefault("PICCOLO_CONF", "piccolo_conf")
    output = io.StringIO()
    with contextlib.redirect_stdout(output) if quiet else contextlib.nullcontext():
        result = await run_forwards(app_name="all")
    if not result.success:
        raise MigrationFailed(result.message or output.getvalue().strip().splitlines()[-1])
