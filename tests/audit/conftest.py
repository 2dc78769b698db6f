"""Helpers for the audit tests: a few chained records, raw SQL, and switching the append-only triggers off the way
an attacker with database access would (inside the test's transaction, so the next test has them back)."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection
from django.utils import translation

from ftzsafety import audit
from ftzsafety.audit.models import AuditRecord

TABLE = "audit_auditrecord"


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are asserted in English (the msgids); pages get their language from the request instead."""
    with translation.override("en"):
        yield


def raw(sql: str, params: list[Any] | None = None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.rowcount


@contextmanager
def triggers_off(table: str = TABLE) -> Iterator[None]:
    """Drop (SQLite) or disable (PostgreSQL) the table's append-only triggers until the block ends."""
    if connection.vendor == "postgresql":
        raw(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only")
        yield
        raw(f"ALTER TABLE {table} ENABLE TRIGGER {table}_append_only")
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table])
        saved = cursor.fetchall()
        for name, _sql in saved:
            cursor.execute(f'DROP TRIGGER "{name}"')
    yield
    with connection.cursor() as cursor:
        for _name, sql in saved:
            cursor.execute(sql)


def row(record_id: int) -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {TABLE} WHERE id = %s", [record_id])  # noqa: S608
        names = [column[0] for column in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


def write_row(record_id: int, values: dict[str, Any]) -> None:
    columns = [name for name in values if name != "id"]
    assignments = ", ".join(f"{name} = %s" for name in columns)
    raw(f"UPDATE {TABLE} SET {assignments} WHERE id = %s", [values[name] for name in columns] + [record_id])  # noqa: S608


@pytest.fixture
def make_records(db: None) -> Callable[..., list[AuditRecord]]:
    """`make_records(n)`: n chained records by the system, actions test.thing.op0 … op{n-1}."""

    def make(n: int, **kwargs: Any) -> list[AuditRecord]:
        return [
            audit.record(actor=None, username="system", action=f"test.thing.op{i}", detail={"i": i}, **kwargs)
            for i in range(n)
        ]

    return make
