"""Database selection: DATABASE_URL when set, otherwise an embedded PostgreSQL from pgserver.

The embedded server lives under a data folder (GOFTAR_PGDATA, default ``var/pgdata`` in the
checkout) and is left running when a process exits, so runserver, shell, tests and commands all
share one server and only the first of them pays the half-second start.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

EMBEDDED_DATABASE_NAME = "goftar"


class EmbeddedPostgresError(ImproperlyConfigured):
    pass


MESSAGE_DATABASE_URL_REQUIRED = (
    "DATABASE_URL is not set. Production settings never start the embedded PostgreSQL: set "
    "DATABASE_URL=postgres://user:password@host:5432/name (the embedded server is for the local "
    "and test settings only)."
)


def database_config(*, base_dir: Path, embedded: bool) -> dict:
    """DATABASE_URL's server; without it, the embedded one when ``embedded`` allows (local and
    test settings), else a clear error (production)."""
    url = os.environ.get("DATABASE_URL")
    if not url and not embedded:
        raise ImproperlyConfigured(MESSAGE_DATABASE_URL_REQUIRED)
    if url:
        try:
            config = dj_database_url.parse(url, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")))
        except ValueError as exc:
            raise ImproperlyConfigured(f"DATABASE_URL could not be parsed: {exc}") from exc
        if config.get("ENGINE") != "django.db.backends.postgresql":
            raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL (postgres:// or postgresql://).")
        config["CONN_HEALTH_CHECKS"] = True
        return config
    return embedded_database_config(base_dir=base_dir)


def embedded_data_dir(*, base_dir: Path) -> Path:
    return Path(os.environ.get("GOFTAR_PGDATA", base_dir / "var" / "pgdata")).resolve()


def embedded_database_config(*, base_dir: Path) -> dict:
    pgdata = embedded_data_dir(base_dir=base_dir)
    server = start_embedded_server(pgdata)
    info = server.get_postmaster_info()
    _ensure_database(server, EMBEDDED_DATABASE_NAME)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": EMBEDDED_DATABASE_NAME,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": str(info.socket_dir),
        "PORT": "",
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": True,
    }


def start_embedded_server(pgdata: Path):
    # pgserver keeps its lock and, for long paths, its socket under the runtime directory, and
    # reads that location when it is imported: point it inside our data folder first.
    runtime_dir = pgdata.parent / "run"
    try:
        pgdata.mkdir(parents=True, exist_ok=True)
        runtime_dir.mkdir(parents=True, exist_ok=True)
        runtime_dir.chmod(0o700)
    except OSError as exc:
        raise EmbeddedPostgresError(
            f"Cannot create the embedded PostgreSQL data folder {pgdata}: {exc}. "
            "Set GOFTAR_PGDATA to a writable folder, or DATABASE_URL to use a server."
        ) from exc
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime_dir))
    try:
        import pgserver
    except ImportError as exc:  # pragma: no cover - requirements.txt installs it
        raise EmbeddedPostgresError("pgserver is not installed: run the setup script, or set DATABASE_URL.") from exc
    try:
        # cleanup_mode=None: leave the server running for the next process.
        return pgserver.get_server(pgdata, cleanup_mode=None)
    except Exception as exc:
        log = pgdata / "log"
        tail = ""
        if log.exists():
            tail = "\n".join(log.read_text(errors="replace").splitlines()[-15:])
        raise EmbeddedPostgresError(
            f"The embedded PostgreSQL under {pgdata} did not start ({type(exc).__name__}: {exc}).\n"
            f"Last lines of its log:\n{tail or '(no log)'}\n"
            "Fix the cause above, remove the folder to start afresh, or set DATABASE_URL."
        ) from exc


def _ensure_database(server, name: str) -> None:
    import psycopg

    with psycopg.connect(server.get_uri(database="postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            try:
                conn.execute(f'CREATE DATABASE "{name}"')
            except psycopg.errors.DuplicateDatabase:
                pass  # another process created it first
