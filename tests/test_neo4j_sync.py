"""``graphapp sync`` and the content digest shared by the stores: a copy carries everything and is
verified; the Neo4j store's digest of the same rows equals SQLite's."""

from __future__ import annotations

import json
import shutil
import sqlite3

import pytest

from graphapp import service
from graphapp.service import sync
from graphapp.store.neo4j import cypher as cy
from graphapp.store.sqlite.store import open_sqlite
from tests.cli import run as graphapp
from tests.test_neo4j_store import RecordingDriver, make_store

TIE_ROWS = """SELECT r.source_pk, r.target_pk, r.kind, r.owner, r.pk, r.visibility, r.profession, r.first_seen,
    r.last_interaction, r.count_out, r.count_in, r.strength_override, s.id AS source_id, t.id AS target_id
    FROM relationships r JOIN people s ON s.pk = r.source_pk JOIN people t ON t.pk = r.target_pk ORDER BY r.pk DESC"""


def snapshot_answers(path):
    """What a Neo4j server holding the same facts returns for the whole-graph statements (in another order,
    jobs' ``current`` as booleans)."""
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    sql = {
        cy.SNAPSHOT_PEOPLE: "SELECT pk, id, name, title, linkedin_url, location, lists FROM people ORDER BY pk DESC",
        cy.SNAPSHOT_ORGS: "SELECT pk, id, name, flags, lists, target_owner, priority FROM organizations ORDER BY name",
        cy.SNAPSHOT_REPS: "SELECT r.email, p.id AS person_id, p.name, r.role, r.person_pk FROM reps r "
                          "JOIN people p ON p.pk = r.person_pk ORDER BY r.email",
        cy.SNAPSHOT_JOBS: """SELECT e.person_pk, e.org_pk, e.start, e.pk, e.end_date, e.title, e.current = 1 AS current,
            e.as_of, p.id AS person_id, o.id AS org_id FROM employments e JOIN people p ON p.pk = e.person_pk
            JOIN organizations o ON o.pk = e.org_pk ORDER BY e.pk DESC""",
        cy.SNAPSHOT_TIES: TIE_ROWS,
    }

    def respond(query, params):
        rows = [dict(r) for r in conn.execute(sql[query])]
        if query == cy.SNAPSHOT_JOBS:
            for r in rows:
                r["current"] = bool(r["current"])
        return rows

    return respond


def test_the_neo4j_digest_of_the_same_rows_is_the_sqlite_digest(demo_file, tmp_path):
    path = tmp_path / "demo.db"
    shutil.copy(demo_file, path)
    with open_sqlite(path) as store:
        store.set_strength(*_some_tie(store), 0.8)
        expected = store.digest()
    assert make_store(RecordingDriver(snapshot_answers(path))).digest() == expected


def _some_tie(store):
    snap = store.read_snapshot()
    s, t, o = snap.rel_source[0], snap.rel_target[0], snap.rel_owner[0]
    return snap.person_ids[s], snap.person_ids[t], snap.owners[o]


def test_the_neo4j_snapshot_of_the_same_rows_is_the_sqlite_snapshot(demo_file, tmp_path):
    path = tmp_path / "demo.db"
    shutil.copy(demo_file, path)
    answers = snapshot_answers(path)
    driver = RecordingDriver(answers)
    driver.answer(cy.META, [{"version": 1}])
    with open_sqlite(path) as store:
        expected = store.read_snapshot()
    got = make_store(driver).read_snapshot()
    for name, value in vars(expected).items():
        if name != "version":
            assert list(getattr(got, name)) == list(value), name


def test_sync_copies_everything_and_the_copy_undoes_and_ranks_alike(demo_file, tmp_path):
    source = tmp_path / "source.db"
    shutil.copy(demo_file, source)
    with open_sqlite(source) as store:
        store.save_settings({"paths_top": "4"})
        account = next(o.id for o in store.list_organizations() if o.is_target)
    result = sync(str(source), str(tmp_path / "copy.db"))
    assert result.counts["people"] == 3079
    with open_sqlite(source) as a, open_sqlite(tmp_path / "copy.db") as b:
        assert b.digest() == a.digest() == result.digest
        assert b.saved_settings() == {"paths_top": "4"}
        assert [r.id for r in b.list_imports()] == [r.id for r in a.list_imports()]
        assert b.read_snapshot().person_ids == a.read_snapshot().person_ids
        assert service.account_paths(b, account).as_dict() == service.account_paths(a, account).as_dict()
        import_id = a.list_imports()[0].id
        b.undo_import(import_id)
        a.undo_import(import_id)
        assert b.digest() == a.digest() and b.counts() == a.counts()


def test_sync_refuses_a_target_that_holds_data_and_says_so_in_one_line(demo_file, tmp_path):
    shutil.copy(demo_file, tmp_path / "a.db")
    shutil.copy(demo_file, tmp_path / "b.db")
    run = graphapp("sync", "--from", "a.db", "--to", "b.db", "--json", cwd=tmp_path)
    assert run.returncode == 1
    assert run.stderr.strip() == ("graphapp: b.db already holds data (3,079 people, 1 imports); sync copies into an "
                                  "empty store only.")


def test_sync_on_the_command_line_prints_counts_and_digest(demo_file, tmp_path):
    shutil.copy(demo_file, tmp_path / "a.db")
    run = graphapp("sync", "--from", "a.db", "--to", "c.db", "--json", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert (data["from"], data["to"], data["people"], data["relationships"]) == ("a.db", "c.db", 3079, 7796)  # 7796: the consultant known three steps from a rep (issue 23)
    assert len(data["digest"]) == 64


@pytest.mark.parametrize("location", ["neo4j://db.example.com:7687", "bolt://10.0.0.8:7687"])
def test_sync_refuses_an_unencrypted_remote_server_before_reading_anything(demo_file, tmp_path, location):
    shutil.copy(demo_file, tmp_path / "a.db")
    run = graphapp("sync", "--from", "a.db", "--to", location, cwd=tmp_path,
                   env={"NEO4J_PASSWORD": "pw", "NEO4J_USER": None, "NEO4J_URI": None, "GRAPHAPP_CONFIG": None})
    assert run.returncode == 1 and "Refusing to send the Neo4j password unencrypted" in run.stderr
    assert "pw" not in run.stderr.replace("password", "")


def test_a_copy_keeps_the_suppression_list_so_a_forgotten_person_stays_blocked(tmp_path):
    from tests.test_privacy import build

    source = build(tmp_path / "source.db")
    eve = ["email:zqx-exist@canary.example.com", "linkedin:https://www.linkedin.com/in/zqx-exist"]
    with open_sqlite(source) as store:
        assert service.forget_person(store, "p-eve", suppress=True).counts["suppressed"] == 2
        wanted = store.list_suppressed()
    sync(source, str(tmp_path / "copy.db"))
    with open_sqlite(tmp_path / "copy.db") as copy:
        assert copy.list_suppressed() == wanted
        assert copy.suppressed_keys([*eve, "email:carl@shared.example.com"]) == set(eve)
