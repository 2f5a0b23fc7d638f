"""Forgetting a person (DEL-1, case 35) and the suppression list, on a real SQLite file."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from graphapp import service
from graphapp.domain.privacy import Viewer
from graphapp.errors import InputError, NotAllowed, NotFound
from graphapp.model import IntroEvent, IntroRequest, IntroState
from graphapp.store.sqlite.store import open_sqlite
from tests.conftest import record, small_batch

CONTACTS = b"Name,Email,Company\nRaj Patel,raj@initech.example.com,Initech\nZoe Quinn,zoe@example.com,Globex\n"


def intro(intro_id: str, connector: str, target: str, hops: list[str]) -> IntroRequest:
    now = datetime(2026, 11, 2, 9, tzinfo=UTC)
    path = {"hops": [{"from": {"id": a}, "to": {"id": b}} for a, b in zip(hops, hops[1:], strict=False)]}
    return IntroRequest(intro_id, "dana@example.com", "o-globex", connector, target, 0.5, path, None,
                        IntroState.REQUESTED, now, now, (IntroEvent(IntroState.REQUESTED, date(2026, 11, 2), "d", now),))


@pytest.fixture
def db(tmp_path):
    store = open_sqlite(tmp_path / "graph.db")
    with store.importing(record("i1")) as writer:
        writer.write(small_batch("i1"))
    store.add_intros([intro("ir-via-raj", "p-raj", "p-mei", ["p-dana", "p-raj", "p-mei"]),
                      intro("ir-mei-only", "p-mei", "p-mei", ["p-dana", "p-mei"])])
    yield store
    store.close()


def leftovers(store, person_id: str) -> dict[str, int]:
    conn = store._conn
    pk_rows = conn.execute("SELECT pk FROM people WHERE id = ?", (person_id,)).fetchall()
    return {
        "people": len(pk_rows),
        "intros": conn.execute("SELECT count(*) FROM intros WHERE instr(path, ?) OR connector_id = ? OR target_id = ?",
                               (json.dumps(person_id), person_id, person_id)).fetchone()[0],
        "keys": conn.execute("SELECT count(*) FROM person_keys WHERE key LIKE '%raj%'").fetchone()[0],
        "snapshots": conn.execute("SELECT count(*) FROM evidence WHERE snapshot LIKE '%Raj%'").fetchone()[0],
    }


def test_forget_removes_the_person_and_everything_about_them(db):
    result = service.forget_person(db, "p-raj")
    assert result.counts == {"relationships": 2, "employments": 1, "evidence": 4, "keys": 3, "intros": 1,
                             "suppressed": 0}
    assert leftovers(db, "p-raj") == {"people": 0, "intros": 0, "keys": 0, "snapshots": 0}
    assert db.get_people(["p-raj"]) == {}
    assert db.search_people("Raj") == [] and db.search_people("raj@initech") == []
    assert [i.id for i in db.list_intros()] == ["ir-mei-only"]
    assert db.relationships_of("p-dana") == [] and db.get_people(["p-mei", "p-dana"]).keys() == {"p-mei", "p-dana"}
    view = service.graph_view(db)  # the ranking's view is rebuilt without them
    assert "p-raj" not in view.person_ids
    [entry] = db.audit_log(action="forget")
    assert entry.objects == ("p-raj",) and entry.counts["relationships"] == 2


def test_forget_with_suppression_blocks_the_re_import_with_a_report_line(db, tmp_path):
    first = tmp_path / "contacts.csv"
    first.write_bytes(CONTACTS)
    service.import_files(db, [first], owner="dana@example.com")
    result = service.forget_person(db, "p-raj", suppress=True)
    assert result.counts["suppressed"] == 2  # e-mail and LinkedIn keys, as salted hashes
    entry = db.audit_log(action="forget")[0]
    assert [o for o in entry.objects if o.startswith("hash:")] == [f"hash:{h}" for h, _, _ in sorted(db.list_suppressed())]
    assert "raj@" not in json.dumps(entry.objects).lower() and "linkedin" not in json.dumps(entry.objects)

    again = tmp_path / "again.csv"
    again.write_bytes(CONTACTS.replace(b"Zoe", b"Zed"))
    report = service.import_files(db, [again], owner="dana@example.com")
    assert report.committed
    [file_report] = report.files
    assert [(row, reason) for row, _, reason in file_report.errors] == [(2, "suppressed (forgotten person)")]
    assert file_report.rows_rejected == 1 and file_report.rows_accepted == 1
    assert db.find_people(emails=["raj@initech.example.com"]) == {}
    assert db.search_people("Zed") and not db.search_people("Raj")


def test_a_suppression_lifted_by_an_admin_lets_them_back(db, tmp_path):
    service.forget_person(db, "p-raj", suppress=True)
    for h, _, _ in db.list_suppressed():
        with pytest.raises(NotAllowed):
            service.unsuppress(db, h, viewer=Viewer("dana@example.com", "rep"))
        assert service.unsuppress(db, h, viewer=Viewer("boss@example.com", "admin"))
    path = tmp_path / "contacts.csv"
    path.write_bytes(CONTACTS)
    report = service.import_files(db, [path], owner="dana@example.com")
    assert report.files[0].errors == () and db.find_people(emails=["raj@initech.example.com"])
    assert [e.action for e in db.audit_log(limit=5)][1:] == ["unsuppress", "refused", "unsuppress", "refused"]


def test_without_suppression_a_re_import_brings_them_back(db, tmp_path):
    service.forget_person(db, "p-raj")
    path = tmp_path / "contacts.csv"
    path.write_bytes(CONTACTS)
    report = service.import_files(db, [path], owner="dana@example.com")
    assert report.files[0].errors == ()
    assert db.find_people(emails=["raj@initech.example.com"])


def test_who_may_forget(db):
    dana, other = Viewer("dana@example.com", "rep"), Viewer("ola@example.com", "rep")
    assert service.may_forget(db, "p-raj", dana)  # Dana keeps every relationship with Raj
    assert not service.may_forget(db, "p-raj", other)
    assert not service.may_forget(db, "p-raj", Viewer("dana@example.com", "viewer"))
    assert service.may_forget(db, "p-raj", Viewer("ola@example.com", "admin"))
    with pytest.raises(NotAllowed):
        service.forget_person(db, "p-raj", viewer=other)
    assert db.get_people(["p-raj"])  # nothing happened
    service.forget_person(db, "p-raj", viewer=dana)
    assert not db.get_people(["p-raj"])


def test_reps_and_unknown_people_are_refused(db):
    with pytest.raises(InputError, match="is a rep"):
        service.forget_person(db, "p-dana")
    with pytest.raises(NotFound):
        service.forget_person(db, "p-nobody")
    assert [e.action for e in db.audit_log()] == ["intro-request", "import"]
