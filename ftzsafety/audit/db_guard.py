"""Append-only at the database: triggers that refuse UPDATE and DELETE on the audit tables, and the one
controlled way through them (the purge gate).

GB/T 22239-2019 §8.1.4.3 d (等保 2.0 level 3) asks that audit records be protected from unexpected deletion,
modification or overwriting. The model already refuses `save()` on an existing row and `delete()`; these triggers
refuse the same to anything that reaches the database directly (a shell, a migration, a bug in raw SQL):

- PostgreSQL: one PL/pgSQL trigger function, row-level BEFORE UPDATE OR DELETE and statement-level BEFORE
  TRUNCATE. A DELETE or TRUNCATE passes only while the transaction-local setting `ftzsafety.audit_purge` is
  `on` (`SELECT set_config('ftzsafety.audit_purge', 'on', true)`), which `purge_gate()` sets and clears.
- SQLite: BEFORE UPDATE triggers that always abort, and BEFORE DELETE triggers whose WHEN clause lets a delete
  through only while the table `audit_purge_gate` holds a row. `purge_gate()` inserts that row and removes it
  inside the purge's own transaction, so no other connection ever sees it.

UPDATE is never allowed. Somebody with the database owner's rights can still drop a trigger: that is what the hash
chain and the signed checkpoints are for (`ftzsafety audit_verify` names the first altered record).
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

MESSAGE = "audit records are append-only"
PG_SETTING = "ftzsafety.audit_purge"
SQLITE_GATE_TABLE = "audit_purge_gate"
GUARDED_TABLES = ("audit_auditrecord", "audit_auditcheckpoint", "audit_auditanchor")  # migration 0002 installs


@contextmanager
def purge_gate(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Let DELETE through the audit tables' triggers for the rest of this block, on this connection, in this
    transaction only. Used by `services.trail_purge` (and by the test suite's flush between transactional tests)."""
    if not connection.in_atomic_block:
        raise RuntimeError("the audit purge gate opens only inside a transaction")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config(%s, 'on', true)", [PG_SETTING])
        elif connection.vendor == "sqlite":
            cursor.execute(f"INSERT OR IGNORE INTO {SQLITE_GATE_TABLE} (id) VALUES (1)")  # noqa: S608
    # On an error the enclosing transaction (or savepoint) rolls back, and the gate with it: the setting is
    # transaction-local and the gate row was never committed. On success, close it before anything else runs.
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config(%s, 'off', true)", [PG_SETTING])
        elif connection.vendor == "sqlite":
            cursor.execute(f"DELETE FROM {SQLITE_GATE_TABLE}")  # noqa: S608


@contextmanager
def flush_allowed_in_tests() -> Iterator[None]:
    """For the test suite only: Django flushes every table after a transactional test (DELETE on SQLite,
    TRUNCATE on PostgreSQL), which the triggers refuse. Inside this block flushes pass the purge gate.
    Production `flush` stays refused: emptying the audit trail is exactly what the triggers are for."""
    from django.db.backends.base.operations import BaseDatabaseOperations

    original: Callable[..., None] = BaseDatabaseOperations.execute_sql_flush

    def execute_sql_flush(self: BaseDatabaseOperations, sql_list: list[str]) -> None:
        with transaction.atomic(using=self.connection.alias), purge_gate(self.connection):
            original(self, sql_list)

    BaseDatabaseOperations.execute_sql_flush = execute_sql_flush  # type: ignore[method-assign]
    try:
        yield
    finally:
        BaseDatabaseOperations.execute_sql_flush = original  # type: ignore[method-assign]
