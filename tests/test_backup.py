"""Backups and restores with SQLite's online backup API (DUR-4, DEL-2, case 44), on real files."""

from __future__ import annotations

import sqlite3

import pytest

from graphapp import service
from graphapp.domain.privacy import Viewer
from graphapp.errors import NotAllowed, StoreError
from graphapp.model import GraphBatch
from graphapp.store.sqlite.backup import backup_folder, prune
from graphapp.store.sqlite.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, split_statements
from graphapp.store.sqlite.store import open_sqlite
from tests.conftest import BatchMaker, record, small_batch


def integrity(path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def test_backup_mutate_restore_gives_the_backups_digest(small_store, tmp_path):
    saved = tmp_path / "saved.db"
    path, digest = service.backup(small_store, saved)
    assert path == saved and digest == small_store.digest() and integrity(saved) == "ok"
    with open_sqlite(saved, create=False) as copy:
        assert copy.digest() == digest
    version = small_store.data_version()
    m = BatchMaker("i2", sha="sha-2")
    with small_store.importing(record("i2", minute=1)) as writer:
        writer.write(GraphBatch(people=(m.person("p-new", "New Person", "n@x.example.com"),)))
    assert small_store.digest() != digest
    result = service.restore(small_store, saved)
    assert result["digest"] == digest == small_store.digest()
    assert small_store.get_people(["p-new"]) == {}
    assert small_store.data_version() > version + 1  # no cached graph view of either state is reused
    assert small_store.pragma("journal_mode") == "wal" and small_store.pragma("integrity_check") == "ok"
    previous = result["previous"]  # the replaced state was kept first
    with open_sqlite(previous, create=False) as kept:
        assert kept.get_people(["p-new"])
    assert [e.action for e in small_store.audit_log(limit=3)] == ["restore", "backup", "import"]  # newer rows carried over


def test_a_folder_gets_a_dated_file_and_an_existing_file_is_never_overwritten(small_store, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    path, _ = service.backup(small_store, folder)
    assert path.parent == folder and path.name.startswith("graph-") and path.suffix == ".db"
    with pytest.raises(StoreError, match="already exists"):
        service.backup(small_store, path)
    with pytest.raises(StoreError, match="does not exist"):
        service.backup(small_store, tmp_path / "missing" / "x.db")
    assert sorted(p.name for p in folder.iterdir()) == [path.name]  # no .part left behind


@pytest.mark.parametrize("content", [b"", b"hello, not a database", b"PK\x03\x04zip"])
def test_restore_refuses_a_file_that_is_not_a_graphapp_database(small_store, tmp_path, content):
    bad = tmp_path / "bad.db"
    bad.write_bytes(content)
    digest = small_store.digest()
    with pytest.raises(StoreError, match="not a graphapp database|nothing was restored"):
        service.restore(small_store, bad)
    assert small_store.digest() == digest and not backup_folder(small_store.location).exists()


def test_restore_refuses_another_sqlite_database_and_the_database_itself(small_store, tmp_path):
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(StoreError, match="not a graphapp one"):
        service.restore(small_store, other)
    with pytest.raises(StoreError, match="the database itself"):
        service.restore(small_store, small_store.location)


def test_only_admins_back_up_and_restore_in_the_app(small_store, tmp_path):
    rep = Viewer("dana@example.com", "rep")
    with pytest.raises(NotAllowed):
        service.backup(small_store, tmp_path / "x.db", viewer=rep)
    with pytest.raises(NotAllowed):
        service.restore(small_store, tmp_path / "x.db", viewer=rep)


def test_undo_import_backs_up_first_and_keeps_the_newest_n(small_store, tmp_path, monkeypatch):
    monkeypatch.setenv("GRAPHAPP_BACKUP_KEEP", "2")
    with service.open_graph(small_store.location, create=False) as store:  # the service gives it the setting
        for n in range(3):
            iid = f"u{n}"
            with store.importing(record(iid, minute=n + 1)) as writer:
                writer.write(small_batch(iid, sha=f"sha-{iid}"))
            service.undo_import(store, iid)
    files = sorted(backup_folder(small_store.location).iterdir())
    assert len(files) == 2 and all(f.name.startswith("graph-") and f.name.endswith("-undo-import.db") for f in files)
    with open_sqlite(files[-1], create=False) as last:  # the state just before the last undo
        assert "u2" in {r.id for r in last.list_imports()}


def test_prune_keeps_the_newest_by_name(tmp_path):
    for stamp in ("20260101T000000000000Z", "20260301T000000000000Z", "20260201T000000000000Z"):
        (tmp_path / f"g-{stamp}-undo-import.db").write_bytes(b"x")
    (tmp_path / "unrelated.db").write_bytes(b"x")
    gone = prune(tmp_path, "g", 1)
    assert sorted(p.name[:11] for p in gone) == ["g-20260101T", "g-20260201T"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g-20260301T000000000000Z-undo-import.db", "unrelated.db"]


def test_a_schema_migration_backs_up_the_old_file_first(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    for script in MIGRATIONS[:4]:
        for statement in split_statements(script):
            conn.execute(statement)
    conn.execute("PRAGMA user_version = 4")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.close()
    with open_sqlite(path) as store:
        assert store.pragma("user_version") == SCHEMA_VERSION
    [kept] = list(backup_folder(path).iterdir())
    assert kept.name.startswith("old-") and kept.name.endswith("-schema-4.db")
    check = sqlite3.connect(kept)
    assert check.execute("PRAGMA user_version").fetchone()[0] == 4
    check.close()
    with open_sqlite(path) as store:  # already current: no second backup
        pass
    assert len(list(backup_folder(path).iterdir())) == 1


def test_a_restore_forgets_again_the_people_forgotten_since_the_backup(small_store, tmp_path):
    saved = tmp_path / "saved.db"
    service.backup(small_store, saved)
    service.forget_person(small_store, "p-raj", suppress=True)
    service.forget_person(small_store, "p-mei")
    result = service.restore(small_store, saved)
    assert result["forgotten_again"] == 2 and result["suppressed_kept"] == 2
    assert small_store.get_people(["p-raj", "p-mei"]) == {}
    assert small_store.suppressed_keys(["email:raj@initech.example.com"]) == {"email:raj@initech.example.com"}
