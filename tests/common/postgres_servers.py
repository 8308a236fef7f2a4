"""Throwaway PostgreSQL servers and PgBouncers for the scale-out tests, and pointing the app at them.

The servers are started from the machine's PostgreSQL binaries (PG_BIN, Debian's
postgresql-15 by default) in temporary folders on free ports. initdb, postgres and pgbouncer
refuse to run as root: as root they run as the ``postgres`` system user (SERVER_USER).
"""

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

PG_BIN = Path(os.environ.get("GOFTAR_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"))
PG_PROGRAMS = ("initdb", "pg_ctl", "postgres", "pg_basebackup")
PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
SERVER_USER = os.environ.get("GOFTAR_TEST_PG_USER", "postgres")


def missing_postgres_binaries() -> list[str]:
    return [str(PG_BIN / name) for name in PG_PROGRAMS if not (PG_BIN / name).is_file()]


def missing_runner() -> str | None:
    """Why the servers cannot be started as a non-root user, or None when they can."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(SERVER_USER)
    except KeyError:
        return f"running as root and there is no {SERVER_USER!r} system user to run PostgreSQL as"
    if not shutil.which("runuser"):
        return "running as root and runuser is missing"
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_as_server_user(args: list[str], *, user: str = SERVER_USER, **kwargs) -> subprocess.CompletedProcess:
    command = ["runuser", "-u", user, "--", *args] if os.geteuid() == 0 else args
    return subprocess.run(command, check=True, capture_output=True, text=True, timeout=120, **kwargs)


def server_folder(prefix: str, *, user: str = SERVER_USER) -> Path:
    """A temporary folder the server user owns (pytest's tmp_path is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    if os.geteuid() == 0:
        entry = pwd.getpwnam(user)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    folder.chmod(0o700)
    return folder


def socket_owner(host: str) -> str:
    """The system user that may reach a server's socket folder: its owner (the embedded server
    keeps its socket in its private data folder), else the usual server user."""
    if os.geteuid() == 0 and host.startswith("/") and Path(host).is_dir():
        return pwd.getpwuid(Path(host).stat().st_uid).pw_name
    return SERVER_USER


class Cluster:
    """One PostgreSQL server in a temporary folder: ``data/``, its socket in the folder, ``log``."""

    def __init__(self, folder: Path, port: int):
        self.folder, self.port = folder, port
        self.data = folder / "data"
        self.log = folder / "log"

    @classmethod
    def primary(cls) -> "Cluster":
        cluster = cls(server_folder("goftar-primary-"), free_port())
        run_as_server_user(
            [str(PG_BIN / "initdb"), "-D", str(cluster.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
             "--locale=C.UTF-8", "--no-sync"]
        )  # fmt: skip
        cluster.configure(
            wal_level="replica", max_wal_senders="5", hot_standby="on", fsync="off", full_page_writes="off"
        )
        return cluster

    def standby(self) -> "Cluster":
        """A streaming replica of this (running) server: pg_basebackup -R, on a port of its own."""
        replica = Cluster(server_folder("goftar-replica-"), free_port())
        run_as_server_user(
            [str(PG_BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
             "-D", str(replica.data), "-R", "-X", "stream", "-c", "fast", "--no-sync"]
        )  # fmt: skip
        # Every statement that would change data is logged where it is attempted, so the test can
        # see that none was ever sent here.
        replica.configure(log_statement="mod")
        return replica

    def configure(self, **values: str) -> None:
        values = {
            "port": str(self.port),
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": f"'{self.folder}'",
            "max_connections": "40",
            "shared_buffers": "32MB",
            **values,
        }
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write("".join(f"{name} = {value}\n" for name, value in values.items()))

    def start(self) -> None:
        run_as_server_user([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60",
                            "start"])  # fmt: skip

    def stop(self) -> None:
        run_as_server_user([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"])

    def is_running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def remove(self) -> None:
        if self.is_running():
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str = "goftar") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def execute(self, sql: str, database: str = "goftar"):
        """One statement in autocommit, outside the app; its first row (or None)."""
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as conn:
            cursor = conn.execute(sql)
            return cursor.fetchone() if cursor.description else None


def wait_for_replay(primary: Cluster, replica: Cluster, timeout: float = 30) -> None:
    """Until the replica has replayed everything the primary has written so far."""
    (target,) = primary.execute("SELECT pg_current_wal_lsn()::text")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        (caught_up,) = replica.execute(f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn")
        if caught_up:
            return
        time.sleep(0.05)
    raise AssertionError(f"the replica did not replay up to {target} within {timeout} s")


class PgBouncer:
    """Debian's pgbouncer in transaction pooling in front of one server, trusting every client."""

    def __init__(self, *, host: str, port: int | str, database: str, user: str, password: str = ""):
        # PgBouncer refuses to run as root: it runs as a user that can reach the server's socket.
        self.system_user = socket_owner(host or "")
        self.folder = server_folder("goftar-pgbouncer-", user=self.system_user)
        self.port = free_port()
        self.database = database
        host = host or "/var/run/postgresql"  # libpq's default socket folder on Debian
        server_password = f" password={password}" if password else ""
        (self.folder / "users.txt").write_text(f'"{user}" ""\n')
        (self.folder / "pgbouncer.ini").write_text(
            "[databases]\n"
            f"{database} = host={host} port={port or 5432} dbname={database} user={user}{server_password}\n"
            "[pgbouncer]\n"
            "listen_addr = 127.0.0.1\n"
            f"listen_port = {self.port}\n"
            f"unix_socket_dir = {self.folder}\n"
            "auth_type = trust\n"
            f"auth_file = {self.folder / 'users.txt'}\n"
            "pool_mode = transaction\n"
            "default_pool_size = 2\n"
            "max_client_conn = 50\n"
            f"admin_users = {user}\n"
            "stats_period = 1\n"
            f"logfile = {self.folder / 'pgbouncer.log'}\n"
            f"pidfile = {self.folder / 'pgbouncer.pid'}\n"
        )
        if os.geteuid() == 0:
            entry = pwd.getpwnam(self.system_user)
            for path in self.folder.iterdir():
                os.chown(path, entry.pw_uid, entry.pw_gid)
        self.user = user

    def start(self) -> None:
        run_as_server_user([PGBOUNCER, "-d", str(self.folder / "pgbouncer.ini")], user=self.system_user)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.05)
        raise AssertionError(f"pgbouncer did not listen on {self.port}: {self.log()}")

    def log(self) -> str:
        path = self.folder / "pgbouncer.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        pidfile = self.folder / "pgbouncer.pid"
        if pidfile.exists():
            pid = int(pidfile.read_text().strip())
            try:
                os.kill(pid, 15)
            except ProcessLookupError:
                pass
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and pidfile.exists():
                time.sleep(0.05)
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(self) -> str:
        return f"postgres://{self.user}@127.0.0.1:{self.port}/{self.database}"

    def admin(self, command: str) -> list[dict[str, str]]:
        """A command on PgBouncer's admin console (psql: the console speaks the simple protocol only)."""
        import csv

        result = subprocess.run(
            ["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", self.user, "-d", "pgbouncer", "--csv",
             "-c", command],
            check=True, capture_output=True, text=True, timeout=30,
        )  # fmt: skip
        return list(csv.DictReader(result.stdout.splitlines()))


@contextmanager
def app_databases(configs: dict[str, dict]):
    """The app's database aliases pointed at other servers for the block (``default`` included),
    each alias given a fresh connection; everything put back afterwards.

    Caches that hold ids read from one server (content types, the cache backend, the replicas'
    health) are emptied on the way in and out.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import cache
    from django.db import DEFAULT_DB_ALIAS, connections

    from common.routers import replica_health

    saved = {}
    for alias, config in configs.items():
        saved[alias] = (connections.settings.get(alias), getattr(connections._connections, alias, None))
        # configure_settings fills in Django's defaults; it insists on a "default" alias.
        connections.settings[alias] = connections.configure_settings({DEFAULT_DB_ALIAS: dict(config)})[DEFAULT_DB_ALIAS]
        if saved[alias][1] is not None:
            del connections[alias]

    def forget():
        ContentType.objects.clear_cache()
        cache.clear()
        replica_health.forget()

    forget()
    try:
        yield
    finally:
        for alias, (settings_dict, connection) in saved.items():
            if hasattr(connections._connections, alias):
                connections[alias].close()
                del connections[alias]
            if settings_dict is None:
                del connections.settings[alias]
            else:
                connections.settings[alias] = settings_dict
            if connection is not None:
                connections[alias] = connection
        forget()
