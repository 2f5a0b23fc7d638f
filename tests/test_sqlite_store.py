"""What is particular to the embedded store: the file, its pragmas, its schema versions, bad paths."""

from __future__ import annotations

import os
import sqlite3

import pytest

from graphapp.errors import StoreError
from graphapp.store import open_store, sqlite_schema
from graphapp.store.sqlite import open_sqlite
from tests.conftest import record, small_batch


def test_pragmas_make_commits_durable_and_waits_for_other_writers(tmp_path):
    store = open_sqlite(tmp_path / "g.db")
    assert store.pragma("journal_mode") == "wal"
    assert store.pragma("foreign_keys") == 1
    assert store.pragma("synchronous") == 2  # FULL
    assert store.pragma("busy_timeout") >= 5000
    assert store.pragma("user_version") == sqlite_schema.SCHEMA_VERSION
    assert store.pragma("application_id") == sqlite_schema.APPLICATION_ID
    assert store.pragma("integrity_check") == "ok"


def test_a_directory_is_refused_by_name(tmp_path):
    with pytest.raises(StoreError, match=f"{tmp_path} is a directory"):
        open_sqlite(tmp_path)


def test_a_missing_file_is_not_created_when_only_reading(tmp_path):
    path = tmp_path / "nothing.db"
    with pytest.raises(StoreError, match="No graphapp database at .*nothing.db.*graphapp --db"):
        open_sqlite(path, create=False)
    assert not path.exists()


def test_a_missing_folder_is_refused_and_not_created(tmp_path):
    path = tmp_path / "no" / "such" / "g.db"
    with pytest.raises(StoreError, match="folder .* does not exist"):
        open_sqlite(path)
    assert not (tmp_path / "no").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_an_unwritable_folder_is_refused(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir(mode=0o500)
    with pytest.raises(StoreError, match="not writable"):
        open_sqlite(folder / "g.db")


def test_an_unwritable_file_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "g.db"
    open_sqlite(path).close()
    path.chmod(0o400)
    try:
        if os.geteuid() == 0:
            pytest.skip("root can write anywhere")
        with pytest.raises(StoreError, match="permission denied"):
            open_sqlite(path)
    finally:
        path.chmod(0o600)


def test_a_file_that_is_not_sqlite_is_refused_unchanged(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"Name,Email\nAda,ada@example.com\n")
    with pytest.raises(StoreError, match="not a graphapp database .*not an SQLite file"):
        open_sqlite(path)
    assert path.read_bytes() == b"Name,Email\nAda,ada@example.com\n"
    assert not (tmp_path / "notes.db-wal").exists()


def test_another_programs_sqlite_file_is_refused_unchanged(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="SQLite database but not a graphapp one"):
        open_sqlite(path)
    assert path.read_bytes() == before
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_a_newer_schema_is_refused_never_migrated_down(tmp_path):
    path = tmp_path / "g.db"
    open_sqlite(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {sqlite_schema.SCHEMA_VERSION + 1}")
    conn.close()
    newer, known = sqlite_schema.SCHEMA_VERSION + 1, sqlite_schema.SCHEMA_VERSION
    with pytest.raises(StoreError, match=rf"newer graphapp \(schema {newer}; this version knows up to {known}\).*not changed"):
        open_sqlite(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == sqlite_schema.SCHEMA_VERSION + 1


def test_an_empty_file_becomes_a_new_database(tmp_path):
    path = tmp_path / "g.db"
    path.touch()
    store = open_sqlite(path)
    assert store.counts().people == 0


def test_a_failing_migration_leaves_the_old_schema(tmp_path, monkeypatch):
    path = tmp_path / "g.db"
    store = open_sqlite(path)
    with store.importing(record("i1")) as w:
        w.write(small_batch("i1"))
    digest = store.digest()
    store.close()
    broken = "ALTER TABLE people ADD COLUMN nickname TEXT; CREATE TABLE people (x);"  # second statement fails
    monkeypatch.setattr(sqlite_schema, "MIGRATIONS", (*sqlite_schema.MIGRATIONS, broken))
    monkeypatch.setattr(sqlite_schema, "SCHEMA_VERSION", len(sqlite_schema.MIGRATIONS))  # includes the broken one
    with pytest.raises(StoreError, match="already exists; nothing was changed"):
        open_sqlite(path)
    monkeypatch.undo()
    store = open_sqlite(path)
    assert store.pragma("user_version") == sqlite_schema.SCHEMA_VERSION and store.digest() == digest
    columns = [r[1] for r in sqlite3.connect(path).execute("PRAGMA table_info(people)")]
    assert "nickname" not in columns


def test_a_second_writer_gets_busy_after_the_timeout(tmp_path, monkeypatch):
    from graphapp.errors import StoreBusy
    from graphapp.store import sqlite as sqlite_module

    path = tmp_path / "g.db"
    open_sqlite(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    monkeypatch.setattr(sqlite_module, "BUSY_TIMEOUT_MS", 200)
    store = open_sqlite(path)
    with pytest.raises(StoreBusy, match="busy with another writer; nothing was changed, try again"):
        with store.importing(record("i1")) as w:
            w.write(small_batch("i1"))
    holder.execute("ROLLBACK")
    assert store.counts().people == 0


def test_neo4j_addresses_are_refused_clearly_for_now(tmp_path):
    from graphapp.errors import ConfigError

    with pytest.raises(ConfigError, match="db.example.com:7687 is a Neo4j server address"):
        open_store("neo4j+s://user:secret@db.example.com:7687")


def test_a_path_where_nothing_can_be_created_is_refused_by_name():
    # /proc refuses new files even to root, so this runs in CI (where tests run as root) too.
    with pytest.raises(StoreError, match="/proc/graphapp-test.db"):
        open_sqlite("/proc/graphapp-test.db")
    assert not os.path.exists("/proc/graphapp-test.db")
