"""Backup and restore with PostgreSQL's own tools (pg_dump / pg_restore), for the database
Django is configured with: the embedded server (socket under var/) or DATABASE_URL.

The dump is the whole database: data, the pghistory event tables and contexts, the triggers
and the SQL functions the generated columns use, so a restore gives back identical data and
history. See docs/operations.md.
"""

import os
import shutil
import subprocess
from pathlib import Path

from django.core.management.base import CommandError

MESSAGE_TOOL_MISSING = "{tool} not found: install the PostgreSQL client tools or pgserver."


def pg_tool(name: str) -> str:
    """The path of a PostgreSQL client tool, preferring pgserver's (PostgreSQL 16), which can
    dump both the embedded server and older servers."""
    try:
        import pgserver

        bundled = Path(pgserver.__file__).parent / "pginstall" / "bin" / name
        if bundled.exists():
            return str(bundled)
    except ImportError:  # pragma: no cover - requirements.txt installs it
        pass
    found = shutil.which(name)
    if not found:
        raise CommandError(MESSAGE_TOOL_MISSING.format(tool=name))
    return found


def libpq_environment(settings_dict: dict, *, database: str | None = None) -> dict:
    """Environment variables that point libpq tools at the configured server (no password on
    the command line, where other users could read it)."""
    env = dict(os.environ)
    pairs = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": database or settings_dict.get("NAME"),
    }
    for key, value in pairs.items():
        if value:
            env[key] = str(value)
    return env


def run(command: list[str], env: dict) -> subprocess.CompletedProcess:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise CommandError(f"{Path(command[0]).name} failed ({result.returncode}): {result.stderr.strip()}")
    return result


def database_dump(*, settings_dict: dict, output: Path) -> Path:
    """Write a custom-format dump of the configured database to ``output``."""
    run(
        [pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={output}"],
        libpq_environment(settings_dict),
    )
    return output


def database_restore(*, settings_dict: dict, dump: Path, target: str) -> None:
    """Restore a dump into the (empty) database ``target``, all or nothing."""
    run(
        [
            pg_tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={target}",
            str(dump),
        ],
        libpq_environment(settings_dict, database=target),
    )
