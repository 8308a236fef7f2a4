"""Database selection: DATABASE_URL when set, otherwise an embedded PostgreSQL from pgserver; and
the read replicas named in DATABASE_REPLICA_URLS (common.routers sends analysts' reads to them).

The embedded server lives under a data folder (GOFTAR_PGDATA, default ``var/pgdata`` in the
checkout) and is left running when a process exits, so runserver, shell, tests and commands all
share one server and only the first of them pays the half-second start.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import env, env_bool, env_int, env_list

EMBEDDED_DATABASE_NAME = "goftar"
# Replicas are the aliases replica_1, replica_2, ... in the order DATABASE_REPLICA_URLS names them.
REPLICA_ALIAS_PREFIX = "replica_"
POOLERS = ("", "pgbouncer")


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
        return url_database_config(url, name="DATABASE_URL")
    return embedded_database_config(base_dir=base_dir)


def url_database_config(url: str, *, name: str) -> dict:
    """One server's settings from its URL (named ``name`` in messages), with the pooler's switches.

    Behind PgBouncer in transaction pooling (DATABASE_POOLER=pgbouncer) consecutive transactions may
    run on different server connections, so a cursor declared in one is gone in the next: Django's
    server-side cursors (``.iterator()``) are turned off, as DISABLE_SERVER_SIDE_CURSORS=1 also does.
    """
    try:
        config = dj_database_url.parse(url, conn_max_age=env_int("CONN_MAX_AGE", 60))
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} could not be parsed: {exc}") from exc
    if config.get("ENGINE") != "django.db.backends.postgresql":
        raise ImproperlyConfigured(f"{name} must point to PostgreSQL (postgres:// or postgresql://).")
    config["CONN_HEALTH_CHECKS"] = True
    if database_pooler() == "pgbouncer" or env_bool("DISABLE_SERVER_SIDE_CURSORS", False):
        config["DISABLE_SERVER_SIDE_CURSORS"] = True
    return config


def database_pooler() -> str:
    pooler = (env("DATABASE_POOLER", "") or "").strip().lower()
    if pooler not in POOLERS:
        raise ImproperlyConfigured(f"DATABASE_POOLER={pooler!r} is not known (leave it unset, or use pgbouncer).")
    return pooler


def replica_database_configs() -> dict[str, dict]:
    """The read replicas of DATABASE_REPLICA_URLS (comma-separated, each parsed like DATABASE_URL) by
    alias; none when it is unset, and every read stays on the primary.

    A replica connection opens its transactions read-only (``default_transaction_read_only``), so a
    write sent there by mistake fails instead of landing on a server that is not the primary (a hot
    standby refuses it anyway). PgBouncer does not pass that startup option on: behind it, give the
    replicas' role ``default_transaction_read_only`` (ALTER ROLE ... SET) instead. Tests read the
    replicas as the test database itself (MIRROR).
    """
    configs = {}
    for index, url in enumerate(env_list("DATABASE_REPLICA_URLS", []), start=1):
        config = url_database_config(url, name="DATABASE_REPLICA_URLS")
        options = config.setdefault("OPTIONS", {})
        if database_pooler() != "pgbouncer":
            options["options"] = f"{options.get('options', '')} -c default_transaction_read_only=on".strip()
        # A replica that does not answer is skipped (common.routers) rather than waited for.
        options.setdefault("connect_timeout", env_int("GOFTAR_REPLICA_CONNECT_TIMEOUT", 3))
        config["TEST"] = {"MIRROR": "default"}
        configs[f"{REPLICA_ALIAS_PREFIX}{index}"] = config
    return configs


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
