"""The SQLite store's multi-row inserts (``sqlite_rows.insert_values``) write what one row per step
(``executemany``) writes: the same rows, in the same order, skipping the same conflicts, and failing
on the same constraint."""

from __future__ import annotations

import sqlite3

import pytest

from graphapp.store.sqlite import rows as sqlite_rows

ROWS = [("a", 1), ("b", 2), ("a", 3), ("c", 4), ("d", 5), ("b", 6), ("e", 7), ("f", 8)]  # "a" again in one statement, "b" in a later one


def _table(conn: sqlite3.Connection, name: str) -> None:
    conn.execute(f"CREATE TABLE {name} (pk INTEGER PRIMARY KEY, k TEXT NOT NULL UNIQUE, v INTEGER)")


def test_multi_row_statements_write_the_rows_one_per_step_writes(tmp_path, monkeypatch):
    monkeypatch.setattr(sqlite_rows, "_MAX_PARAMS", 7)  # three rows of two values per statement, the last one short
    conn = sqlite3.connect(tmp_path / "t.db", isolation_level=None)
    _table(conn, "bulk")
    _table(conn, "single")
    sqlite_rows.insert_values(conn, "INSERT OR IGNORE INTO bulk (k, v)", ROWS)
    conn.executemany("INSERT OR IGNORE INTO single (k, v) VALUES (?, ?)", ROWS)
    bulk = conn.execute("SELECT pk, k, v FROM bulk ORDER BY pk").fetchall()
    assert bulk == conn.execute("SELECT pk, k, v FROM single ORDER BY pk").fetchall()
    assert bulk == [(1, "a", 1), (2, "b", 2), (3, "c", 4), (4, "d", 5), (5, "e", 7), (6, "f", 8)]
    sqlite_rows.insert_values(conn, "INSERT INTO bulk (k, v)", [])  # nothing to write: no statement
    assert conn.execute("SELECT count(*) FROM bulk").fetchone()[0] == 6


def test_a_conflicting_row_fails_the_insert_as_one_row_per_step_does(tmp_path, monkeypatch):
    monkeypatch.setattr(sqlite_rows, "_MAX_PARAMS", 7)
    conn = sqlite3.connect(tmp_path / "t.db", isolation_level=None)
    _table(conn, "bulk")
    conn.execute("BEGIN")
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE constraint failed: bulk.k"):
        sqlite_rows.insert_values(conn, "INSERT INTO bulk (k, v)", ROWS)
    conn.execute("ROLLBACK")  # the store's write transaction does this: the import writes nothing
    assert conn.execute("SELECT count(*) FROM bulk").fetchone()[0] == 0
