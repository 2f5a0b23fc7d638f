"""What is particular to the embedded store: the file, its pragmas, its schema versions, bad paths."""

from __future__ import annotations

import os
import sqlite3

import pytest

from graphapp.errors import StoreError
from graphapp.model import GraphBatch
from graphapp.store import open_store
from graphapp.store.sqlite import schema as sqlite_schema
from graphapp.store.sqlite.store import open_sqlite
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
    from graphapp.store.sqlite import store as sqlite_module

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


def test_neo4j_addresses_open_the_neo4j_store_and_never_show_credentials(tmp_path):
    from graphapp.errors import ConfigError

    # A Neo4j address is not a file: it goes to the Neo4j store, which refuses plain text to a remote host.
    with pytest.raises(ConfigError, match="unencrypted to db.example.com") as caught:
        open_store("neo4j://user:secret@db.example.com:7687")
    assert "secret" not in str(caught.value)
    assert not (tmp_path / "neo4j:").exists()


def test_a_path_where_nothing_can_be_created_is_refused_by_name():
    # /proc refuses new files even to root, so this runs in CI (where tests run as root) too.
    with pytest.raises(StoreError, match="/proc/graphapp-test.db"):
        open_sqlite("/proc/graphapp-test.db")
    assert not os.path.exists("/proc/graphapp-test.db")


def at_schema(path, version: int) -> sqlite3.Connection:
    """A new database file at an older schema, made by the published migrations up to ``version``."""
    conn = sqlite3.connect(path, isolation_level=None)
    for script in sqlite_schema.MIGRATIONS[:version]:
        for statement in sqlite_schema.split_statements(script):
            conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.execute(f"PRAGMA application_id = {sqlite_schema.APPLICATION_ID}")
    return conn


def as_schema_2(path_v3, path_v2) -> None:
    """Copy a store into a new file of schema 2 (made by the published migrations 0 -> 1 -> 2), as
    graphapp wrote it before evidence named its file by id: each row carrying file name and SHA-256."""
    v2 = at_schema(path_v2, 2)
    v2.execute("ATTACH ? AS v3", (str(path_v3),))
    v2.execute("BEGIN")
    for (table,) in v2.execute("SELECT name FROM main.sqlite_master WHERE type = 'table'").fetchall():
        if table != "evidence":
            columns = ", ".join(r[1] for r in v2.execute(f"PRAGMA main.table_info({table})"))
            v2.execute(f"DELETE FROM main.{table}")
            v2.execute(f"INSERT INTO main.{table} ({columns}) SELECT {columns} FROM v3.{table}")
    v2.execute("""INSERT INTO main.evidence (pk, import_id, subject, subject_pk, file, file_sha256, row, fact, owner, snapshot)
                  SELECT e.pk, f.import_id, e.subject, e.subject_pk, f.name, f.sha256, e.row, e.fact, e.owner, e.snapshot
                  FROM v3.evidence e JOIN v3.import_files f ON f.id = e.file_id""")
    v2.execute("COMMIT")
    v2.execute("DETACH v3")
    v2.close()


def everything(store) -> tuple:
    """What a store answers: its digest, imports, every fact's evidence, every person's sources."""
    ids = store.read_snapshot().person_ids
    evidence = {}
    for pid in ids:
        keys = [("person", (pid,))] + [("relationship", r.key) for r in store.relationships_of(pid)]
        keys += [("employment", e.key) for e in store.employments_of(pid)]
        for subject, key in keys:
            evidence[(subject, key)] = store.evidence_of(subject, key)
    return store.digest(), store.list_imports(), evidence, store.sources_of_people(ids), store.counts()


def test_a_schema_2_file_migrates_to_3_keeping_every_fact_and_its_evidence(tmp_path):
    from graphapp import service
    from tests.ingest.helpers import SAMPLES

    ruth, theo = "ruth.okonjo@tidewell.example.com", "theo.marchbanks@tidewell.example.com"
    connections = SAMPLES / "linkedin_second_rep/Connections.csv"
    store = open_sqlite(tmp_path / "v3.db")
    service.import_files(store, [connections], owner=ruth)
    crm = service.import_files(store, [SAMPLES / "hubspot_contacts.csv"], owner=theo)  # merges into known people
    again = service.import_files(store, [connections], owner=ruth)  # the same bytes again
    before = everything(store)
    store.close()
    as_schema_2(tmp_path / "v3.db", tmp_path / "v2.db")
    assert sqlite3.connect(tmp_path / "v2.db").execute("SELECT count(*) FROM evidence").fetchone()[0] > 1000

    migrated = open_sqlite(tmp_path / "v2.db")
    assert migrated.pragma("user_version") == sqlite_schema.SCHEMA_VERSION
    assert migrated.pragma("integrity_check") == "ok"
    indexes = {r[0] for r in sqlite3.connect(tmp_path / "v2.db").execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "evidence_once" in indexes and "evidence_content" not in indexes  # 5 -> 6: no index by import
    assert everything(migrated) == before
    # It goes on as the store it was copied from: a re-import and undos give the same graphs.
    original = open_sqlite(tmp_path / "v3.db")
    digest = migrated.digest()
    for store in (migrated, original):
        report = service.import_files(store, [connections], owner=ruth)
        assert (report.people_added, report.relationships_added) == (0, 0) and store.digest() == digest
        service.undo_import(store, report.import_id)
    for undone in (again, crm):
        service.undo_import(migrated, undone.import_id)
        service.undo_import(original, undone.import_id)
        assert everything(migrated)[2:] == everything(original)[2:]  # imports aside: each made its own re-import
        assert migrated.digest() == original.digest()


def test_evidence_is_unique_per_content_not_per_file_name(tmp_path):
    """Two names for the same bytes in one import are one source, as when rows carried the SHA-256."""
    from tests.conftest import BatchMaker

    store = open_sqlite(tmp_path / "g.db")
    a, b = BatchMaker("i1", file="a.csv", sha="same"), BatchMaker("i1", file="b.csv", sha="same")
    other = BatchMaker("i1", file="c.csv", sha="other")
    with store.importing(record("i1")) as w:
        w.write(small_batch("i1"))
        w.write(GraphBatch(people=(a.person("p-ada", "Ada", row=1), b.person("p-ada", "Ada", row=1),
                                   b.person("p-ada", "Ada", row=2), other.person("p-ada", "Ada", row=1))))
    assert [(e.file, e.row, e.file_sha256) for e in store.evidence_of("person", ("p-ada",))] == [
        ("a.csv", 1, "same"), ("b.csv", 2, "same"), ("c.csv", 1, "other")]


def test_lookup_keys_migrate_and_leave_with_their_person_by_trigger(tmp_path):
    """Schema 6 -> 7: the keys table loses its foreign key (an import's keys are written without a
    lookup of their person each); every key is kept, and a deleted person's keys still go with them."""
    path = tmp_path / "v6.db"
    conn = at_schema(path, 6)
    conn.executemany("INSERT INTO people (pk, id, name, lists) VALUES (?, ?, ?, '{}')",
                     [(1, "p-ada", "Ada Quill"), (2, "p-bo", "Bo Lin")])
    keys = [("email:ada@example.com", 1), ("linkedin:https://www.linkedin.com/in/ada-quill", 1), ("email:bo@example.com", 2)]
    conn.executemany("INSERT INTO person_keys (key, person_pk) VALUES (?, ?)", keys)
    conn.close()
    with open_sqlite(path) as store:
        assert store.pragma("user_version") == sqlite_schema.SCHEMA_VERSION  # 7, or later
        assert sorted(tuple(r) for r in store._conn.execute("SELECT key, person_pk FROM person_keys")) == sorted(keys)
        assert store._conn.execute("PRAGMA foreign_key_list(person_keys)").fetchall() == []
        assert dict(store.people_by_keys(["email:ada@example.com", "email:bo@example.com"])) == {
            "email:ada@example.com": ("p-ada",), "email:bo@example.com": ("p-bo",)}
    conn = sqlite3.connect(path)  # foreign keys off, SQLite's default: the trigger takes the keys all the same
    conn.execute("DELETE FROM people WHERE pk = 1")
    conn.commit()
    assert conn.execute("SELECT key, person_pk FROM person_keys").fetchall() == [("email:bo@example.com", 2)]
    conn.close()


def test_no_lookup_key_outlives_its_person_through_merges_and_undo(tmp_path):
    from graphapp import service
    from tests.ingest.helpers import SAMPLES

    store = open_sqlite(tmp_path / "g.db")
    owner = "ruth.okonjo@tidewell.example.com"
    first = service.import_files(store, [SAMPLES / "linkedin_second_rep/Connections.csv"], owner=owner)
    conn = store._conn
    orphans = """SELECT count(*) FROM person_keys k LEFT JOIN people p ON p.pk = k.person_pk WHERE p.pk IS NULL"""
    keep, gone = [r[0] for r in conn.execute("SELECT id FROM people WHERE pk IN (SELECT person_pk FROM person_keys) "
                                             "AND pk NOT IN (SELECT person_pk FROM reps) ORDER BY pk LIMIT 2")]
    gone_pk = conn.execute("SELECT pk FROM people WHERE id = ?", (gone,)).fetchone()[0]
    service.merge_people(store, keep, gone)
    assert conn.execute("SELECT count(*) FROM people WHERE pk = ?", (gone_pk,)).fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM person_keys WHERE person_pk = ?", (gone_pk,)).fetchone()[0] == 0
    assert conn.execute(orphans).fetchone()[0] == 0
    service.undo_import(store, first.import_id)
    assert conn.execute("SELECT count(*) FROM people").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM person_keys").fetchone()[0] == 0
    store.close()


@pytest.mark.parametrize("crowd", [0, 40], ids=["import-is-most-of-the-store", "import-is-a-small-part"])
def test_the_check_before_commit_finds_a_shared_e_mail_whichever_way_it_looks(tmp_path, crowd):
    """Before an import commits, its people's e-mail and URL keys are looked for in ``person_keys``: by
    reading every such key in order when the import touches a quarter of the people or more, by looking
    each one up when it touches fewer. Both find a known e-mail given to a new person; neither blocks an
    import for a conflict it has no part in (one the store held already, found by ``graphapp doctor``)."""
    from graphapp.errors import IdentityConflict
    from graphapp.model import Person, Rep
    from tests.conftest import BatchMaker

    store = open_sqlite(tmp_path / "g.db")
    m = BatchMaker("i0")
    people = tuple(m.person(f"p-{n}", f"Person {n}", f"person{n}@example.com") for n in range(crowd))
    with store.importing(record("i0")) as w:
        w.write(small_batch("i0"))
        w.write(GraphBatch(people=people))
    # A conflict the store already holds: a rep added with a customer's e-mail.
    store.add_rep(Rep("mei.rep@example.com", "p-mei-rep", "Mei Lin"), Person("p-mei-rep", "Mei Lin",
                                                                            emails=("mei@globex.example.com",)))
    assert [v.rule for v in store.identity_violations()] == ["shared-email"]
    m = BatchMaker("i1", sha="sha-2")
    with store.importing(record("i1", minute=1)) as w:  # an unrelated person: imported
        w.write(GraphBatch(people=(m.person("p-noor", "Noor Haddad", "noor@example.com"),)))
    twin = BatchMaker("i2", sha="sha-3").person("p-raj-2", "R. Patel", "raj@initech.example.com")
    before = store.digest()
    with pytest.raises(IdentityConflict, match=r"shared-email: e-mail raj@initech.example.com is on 2 people: "
                                               r"p-raj \(Raj Patel\), p-raj-2 \(R. Patel\)") as refused:
        with store.importing(record("i2", minute=2)) as w:
            w.write(GraphBatch(people=(twin,)))
    assert "mei@globex" not in str(refused.value) and store.digest() == before
