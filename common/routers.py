"""Which server a query goes to: writes to the primary, analysts' reads to a read replica.

Replicas are the databases config.database names from DATABASE_REPLICA_URLS (aliases
``replica_1``, ...); with none, every query goes to ``default`` as it always did. A read goes to
the primary instead when

- it happens inside a transaction on the primary (a service reading what it is about to change,
  or a test's transaction);
- the request writes (any method but GET/HEAD/OPTIONS/TRACE), is in the admin, or already wrote
  the analysts' data;
- the signed-in user wrote within the last GOFTAR_READ_PRIMARY_SECONDS, so they see their own edit
  (common.middleware.ReadPrimaryMiddleware marks them with a signed cookie);
- the model is not the analysts' data (sessions, users and their roles, sign-in throttling):
  a sign-in, a lockout or a changed permission takes effect at once;
- no replica is usable: each process asks each replica, at most once every
  GOFTAR_REPLICA_CHECK_SECONDS, how far its replay is behind, and skips one that does not answer
  or is more than GOFTAR_REPLICA_MAX_LAG_SECONDS behind (and asks again at once after a query
  there failed).

A request keeps the replica it first read from, so its count and its page agree.
"""

import random
import threading
import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core.signals import request_finished
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from config.database import REPLICA_ALIAS_PREFIX

# The analysts' data: what pages, counts, the API and exports read.
REPLICA_APP_LABELS = frozenset({"claims", "sources"})

# How far the replay is behind: none when everything received is replayed (an idle primary sends
# nothing, and the last replayed commit then grows old without the replica falling behind).
REPLICA_LAG_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
    ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp())
END
"""


@dataclass
class ReadState:
    """What one request (or one ``read_from_primary`` block) has decided about its reads."""

    primary: bool = False
    wrote: bool = False
    replica: str | None = None


_read_state: ContextVar[ReadState | None] = ContextVar("goftar_read_state", default=None)


def begin_request(*, primary: bool) -> ReadState:
    """Start a request's reads afresh (common.middleware.ReadPrimaryMiddleware)."""
    state = ReadState(primary=primary)
    _read_state.set(state)
    return state


def _end_request(**kwargs) -> None:
    # Fired when the response is closed, after a streamed export's last chunk.
    _read_state.set(None)


request_finished.connect(_end_request, dispatch_uid="goftar_read_state_end")


@contextmanager
def read_from_primary():
    """Every read inside the block goes to the primary."""
    token = _read_state.set(ReadState(primary=True))
    try:
        yield
    finally:
        _read_state.reset(token)


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith(REPLICA_ALIAS_PREFIX)]


class ReplicaHealth:
    """Per process: when each replica was last asked, and whether it was usable then."""

    def __init__(self):
        self._lock = threading.Lock()
        self._checked: dict[str, tuple[float, bool]] = {}

    def usable(self, alias: str) -> bool:
        now = time.monotonic()
        # A replica this thread's connection has just failed on is asked again at once, so one
        # that dies between two checks fails one request per thread, not every request until then.
        failed = connections[alias].errors_occurred
        with self._lock:
            checked = self._checked.get(alias)
            fresh = checked is not None and now - checked[0] < settings.GOFTAR_REPLICA_CHECK_SECONDS
            if fresh and not (checked[1] and failed):
                return checked[1]
            # Other threads keep the last answer while this one asks.
            self._checked[alias] = (now, checked[1] if checked else False)
        usable = self._ask(alias)
        with self._lock:
            self._checked[alias] = (time.monotonic(), usable)
        return usable

    def forget(self) -> None:
        with self._lock:
            self._checked.clear()

    @staticmethod
    def _ask(alias: str) -> bool:
        connection = connections[alias]
        try:
            with connection.cursor() as cursor:
                cursor.execute(REPLICA_LAG_SQL)
                (lag,) = cursor.fetchone()
        except DatabaseError:
            connection.close_if_unusable_or_obsolete()
            return False
        return lag is not None and float(lag) <= settings.GOFTAR_REPLICA_MAX_LAG_SECONDS


replica_health = ReplicaHealth()


def reads_primary() -> bool:
    """True when a read now must go to the primary whatever the model."""
    state = _read_state.get()
    if state is not None and state.primary:
        return True
    return connections[DEFAULT_DB_ALIAS].in_atomic_block


def usable_replica(aliases: list[str]) -> str | None:
    state = _read_state.get()
    if state is not None and state.replica in aliases and replica_health.usable(state.replica):
        return state.replica
    candidates = list(aliases)
    random.shuffle(candidates)
    for alias in candidates:
        if replica_health.usable(alias):
            if state is not None:
                state.replica = alias
            return alias
    return None


class ReplicaRouter:
    """Analysts' reads to a usable replica, everything else to the primary (see the module)."""

    def db_for_read(self, model, **hints):
        aliases = replica_aliases()
        if not aliases:
            return None
        if model._meta.app_label not in REPLICA_APP_LABELS or reads_primary():
            return DEFAULT_DB_ALIAS
        return usable_replica(aliases) or DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        state = _read_state.get()
        if state is not None and model._meta.app_label in REPLICA_APP_LABELS:
            # What this request reads next may be what it has just written (a session saved on
            # the way out is not: sessions are always read from the primary).
            state.primary = state.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # A replica holds the primary's rows: an object read there may refer to one read here.
        servers = {DEFAULT_DB_ALIAS, *replica_aliases()}
        return obj1._state.db in servers and obj2._state.db in servers

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
