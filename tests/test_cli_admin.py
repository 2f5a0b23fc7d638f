"""`graphapp audit`, `forget`, `backup` and `restore` (run in the test process: tests/cli.py) on copies of the demo database."""

from __future__ import annotations

import json
import shutil

import pytest

from graphapp.store.sqlite.store import open_sqlite
from tests.cli import run


@pytest.fixture
def db(demo_file, tmp_path):
    path = tmp_path / "demo.db"
    shutil.copy(demo_file, path)
    return path


def contact_with_email(db) -> tuple[str, str, str]:
    """(person id, e-mail, name) of a demo contact who is not a rep, and a rep's e-mail."""
    with open_sqlite(db, create=False) as store:
        reps = {r.person_id for r in store.list_reps()}
        row = store._conn.execute("SELECT k.key, p.id, p.name FROM person_keys k JOIN people p ON p.pk = k.person_pk "
                                  "WHERE k.key LIKE 'email:%' ORDER BY p.pk").fetchall()
        key, pid, name = next(r for r in row if r[1] not in reps)
        return pid, key.removeprefix("email:"), name


def test_audit_lists_the_newest_rows_as_json_and_text(db):
    rows = json.loads(run("--db", str(db), "audit", "--json", check=True).stdout)
    assert [r["action"] for r in rows] == ["import"]
    assert set(rows[0]) == {"seq", "time", "actor", "action", "objects", "counts"} and rows[0]["counts"]["people"] > 2900
    text = run("--db", str(db), "audit", "--limit", "1", check=True).stdout
    assert " import " in text and len(text.strip().splitlines()) == 1
    bad = run("--db", str(db), "audit", "--limit", "0")
    assert bad.returncode == 1 and "at least 1" in bad.stderr and "Traceback" not in bad.stderr


def test_forget_with_suppress_blocks_the_re_import_and_audits_hashes_only(db, tmp_path):  # case 35
    pid, email, name = contact_with_email(db)
    with open_sqlite(db, create=False) as store:
        rep = store.list_reps()[0].email
    out = json.loads(run("--db", str(db), "forget", pid, "--suppress", "--json", check=True).stdout)
    assert out["person_id"] == pid and out["suppressed"] >= 1 and out["relationships"] >= 1
    csv = tmp_path / "contacts.csv"
    csv.write_text(f"Name,Email\n{name},{email}\nNew Person,new.person@example.com\n", encoding="utf-8")
    result = run("--db", str(db), "import", str(csv), "--owner", rep, check=True)
    assert "row 2: suppressed (forgotten person)" in result.stdout
    with open_sqlite(db, create=False) as store:
        assert store.find_people(emails=[email]) == {} and store.get_people([pid]) == {}
    log = run("--db", str(db), "audit", "--json", "--action", "forget", check=True).stdout
    assert pid in log and email not in log and name not in log
    again = run("--db", str(db), "forget", pid)
    assert again.returncode == 1 and "No person" in again.stderr


def test_backup_then_restore_gives_the_same_digest(db, tmp_path):  # case 44
    with open_sqlite(db, create=False) as store:
        before = store.digest()
    backup = tmp_path / "saved.db"
    out = json.loads(run("--db", str(db), "backup", str(backup), "--json", check=True).stdout)
    assert out == {"path": str(backup), "digest": before}
    pid, _, _ = contact_with_email(db)
    run("--db", str(db), "forget", pid, check=True)
    restored = json.loads(run("--db", str(db), "restore", str(backup), "--json", check=True).stdout)
    assert restored["digest"] == before and restored["forgotten_again"] == 1  # forgotten people stay forgotten
    with open_sqlite(db, create=False) as store:
        assert store.pragma("integrity_check") == "ok" and store.get_people([pid]) == {}
    refused = run("--db", str(db), "restore", str(tmp_path / "nothing.db"))
    assert refused.returncode == 1 and refused.stderr.startswith("graphapp: No backup file")
    exists = run("--db", str(db), "backup", str(backup))
    assert exists.returncode == 1 and "already exists" in exists.stderr
