"""The audit log (AUD-1) on a real SQLite file: one row per action, in the change's own transaction,
append-only, ids and counts only (never a name or an e-mail)."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime

import pytest

from graphapp.audit import acting_as
from graphapp.errors import StoreError
from graphapp.model import IntroEvent, IntroRequest, IntroState, Person, Rep
from graphapp.store.sqlite.store import open_sqlite
from tests.conftest import record, small_batch

PII = ("Dana", "Whitfield", "Raj", "Patel", "Mei", "Lin", "@", "linkedin.com")


def actions(store) -> list[str]:
    return [e.action for e in reversed(store.audit_log(limit=1000))]


def raw_audit(store) -> str:
    return json.dumps([tuple(r) for r in store._conn.execute("SELECT * FROM audit")])


def test_an_import_writes_one_audit_row_with_ids_and_counts(small_store):
    [entry] = small_store.audit_log()
    assert entry.action == "import" and entry.actor == "test"
    assert entry.objects == ("i1",)  # plus "sha256:<file>" per file the record names
    assert entry.counts == {"people": 3, "organizations": 2, "employments": 3, "relationships": 2}
    assert entry.time.tzinfo is not None


def test_every_change_writes_exactly_one_row_of_its_action(small_store):
    with acting_as("rep:p-dana"):
        small_store.set_strength("p-dana", "p-raj", "dana@example.com", 0.8)
        small_store.set_target("o-initech", True, owner="dana@example.com", priority="high")
        small_store.save_settings({"paths_top": "5", "meet_next": None})
        now = datetime(2026, 11, 2, 9, tzinfo=UTC)
        event = IntroEvent(IntroState.REQUESTED, date(2026, 11, 2), "dana@example.com", now)
        small_store.add_intro(IntroRequest("ir-1", "dana@example.com", "o-globex", "p-raj", "p-mei", 0.5, {"hops": []},
                                  None, IntroState.REQUESTED, now, now, (event,)))
        small_store.add_intro_event("ir-1", IntroEvent(IntroState.ACCEPTED, date(2026, 11, 3), "dana@example.com", now))
        assert small_store.set_person_visibility("p-raj", "dana@example.com", "private") == 2  # Dana keeps 2 ties with Raj
        small_store.add_rep(Rep("ada@example.com", "p-ada", "Ada Quill", "viewer"),
                   Person(id="p-ada", name="Ada Quill", emails=("ada@example.com",)))
        small_store.undo_import("i1")
    assert actions(small_store) == ["import", "set-strength", "set-target", "settings", "intro-request", "intro-update",
                           "set-visibility", "add-rep", "backup", "undo-import"]
    log = {e.action: e for e in small_store.audit_log(limit=100)}
    assert all(e.actor == "rep:p-dana" for a, e in log.items() if a != "import")
    assert log["settings"].objects == ("meet_next", "paths_top") and log["settings"].counts == {"saved": 1, "reset": 1}
    assert log["intro-update"].objects == ("ir-1", "state:accepted")
    assert log["set-visibility"].objects == ("p-raj", "visibility:private")
    assert log["undo-import"].objects == ("i1",)
    assert log["backup"].counts == {"automatic": 1}  # the automatic backup before the undo
    text = raw_audit(small_store)
    assert not [word for word in PII if word in text], text


def test_merge_and_split_are_audited(tmp_path):
    from tests.test_app_people import twin_batch

    with open_sqlite(tmp_path / "g.db") as store:
        for n, (iid, batch) in enumerate((("i1", small_batch("i1")), ("i2", twin_batch("i2")))):
            with store.importing(record(iid, minute=n)) as writer:
                writer.write(batch)
        store.merge_people("p-raj", "p-raj2")
        ids = store.split_person("p-raj")
        log = store.audit_log()
        assert [e.action for e in log[:2]] == ["split", "merge"]
        assert log[1].objects == ("p-raj", "p-raj2")
        assert log[0].objects == tuple(ids) and log[0].counts == {"people": len(ids)}


def test_a_failed_import_leaves_no_data_and_a_failed_row(small_store):
    before, version = small_store.digest(), small_store.data_version()
    with pytest.raises(RuntimeError), small_store.importing(record("i2", minute=1)) as writer:
        writer.write(small_batch("i2", sha="sha-2"))
        raise RuntimeError("injected at row 500")
    assert small_store.digest() == before and small_store.data_version() == version
    assert actions(small_store) == ["import", "import-failed"]
    failed = small_store.audit_log()[0]
    assert failed.objects == ("i2", "error:RuntimeError") and failed.actor == "test"
    assert "i2" not in {r.id for r in small_store.list_imports()}


def test_the_audit_row_rolls_back_with_its_change(small_store, monkeypatch):
    from graphapp.store.sqlite import audit as sqlite_audit

    def broken(conn, *args, **kw):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(sqlite_audit, "write", broken)
    with pytest.raises(StoreError):
        small_store.set_target("o-initech", True)
    assert not small_store.get_organizations(["o-initech"])["o-initech"].is_target  # the change went with the audit row


def test_the_audit_log_is_append_only(small_store):
    conn = small_store._conn
    for sql in ("UPDATE audit SET action = 'x'", "DELETE FROM audit"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(sql)
    assert actions(small_store) == ["import"]


def test_standalone_rows_hash_what_they_are_given_and_do_not_bump_the_data_version(small_store):
    version = small_store.data_version()
    small_store.record_audit("sign-in-refused", ["verified:1"], hashed=["stranger@evil.example.com"])
    small_store.record_audit("sign-in-refused", ["verified:1"], hashed=["stranger@evil.example.com"])
    assert small_store.data_version() == version  # the graph view stays cached
    first, second = small_store.audit_log()[:2]
    assert first.objects == second.objects and first.objects[1].startswith("hash:")
    assert len(first.objects[1]) == len("hash:") + 64
    assert "stranger" not in raw_audit(small_store) and "evil" not in raw_audit(small_store)


def test_the_log_reads_newest_first_with_a_limit_and_an_action(small_store):
    for n in range(5):
        small_store.record_audit("sign-in", [f"rep:p-{n}"])
    assert [e.objects[0] for e in small_store.audit_log(limit=2)] == ["rep:p-4", "rep:p-3"]
    assert [e.action for e in small_store.audit_log(action="import")] == ["import"]
    seqs = [e.seq for e in small_store.audit_log(limit=10)]
    assert seqs == sorted(seqs, reverse=True)
