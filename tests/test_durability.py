"""The embedded store under faults, on real SQLite files (DUR-2, DUR-3, DUR-6, IMP-1, IMP-11; cases 7, 8,
11, 42, 43): a process killed right after "committed" or in the middle of the commit, two reps importing
overlapping files at once, a full disk, and the write-ahead log after many imports."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from graphapp import service
from graphapp.errors import StoreBusy, StoreError
from graphapp.store.sqlite.store import open_sqlite
from tests.conftest import BatchMaker, record
from tests.faults import PAUSED

ROOT = Path(__file__).resolve().parents[1]
DANA, GRACE = "dana@example.com", "grace@example.com"


def contacts(path: Path, numbers: range, company: str = "Initech") -> Path:
    lines = ["Name,Email,Company"] + [f"Person {n:04d},person{n:04d}@shared.example.com,{company}" for n in numbers]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def emails_once(store) -> dict[str, int]:
    rows = store._conn.execute("SELECT key, count(*) FROM person_keys WHERE key LIKE 'email:person%' GROUP BY key")
    return {k: n for k, n in rows}


def child(script: str, *args: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(script), *args], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, **(env or {})})


def wait_for(stream, text: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    for line in stream:
        if text in line:
            return
        assert time.monotonic() < deadline, f"no {text!r} in {timeout}s"
    pytest.fail(f"the child ended without saying {text!r}")


def test_a_process_killed_right_after_committed_keeps_every_row(tmp_path):  # DUR-2, case 8
    db, csv = tmp_path / "g.db", contacts(tmp_path / "c.csv", range(500))
    proc = child("""
        import sys, time
        from graphapp import service
        store = service.open_graph(sys.argv[1])
        report = service.import_files(store, [sys.argv[2]], owner="dana@example.com")
        print("committed", report.import_id, report.people_added, flush=True)
        time.sleep(60)  # never closes the store: killed with the data only in the write-ahead log, maybe
    """, str(db), str(csv))
    line = proc.stdout.readline()
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert line.startswith("committed") and proc.returncode == -signal.SIGKILL, proc.stderr.read()
    _, import_id, added = line.split()
    with open_sqlite(db, create=False) as store:
        assert store.pragma("integrity_check") == "ok"
        assert [r.id for r in store.list_imports()] == [import_id]
        assert store.counts().people == int(added) == 501  # 500 contacts and the rep
        assert len(emails_once(store)) == 500


def test_a_process_killed_during_the_commit_of_an_import_leaves_the_store_as_it_was(tmp_path):  # DUR-3, case 7
    db = tmp_path / "g.db"
    with open_sqlite(db) as store:
        service.import_files(store, [contacts(tmp_path / "a.csv", range(50))], owner=DANA)
        before, counts = store.digest(), store.counts()
    proc = subprocess.Popen([sys.executable, "-m", "tests.faults", "pause-before-commit", "--db", str(db), "import",
                             str(contacts(tmp_path / "b.csv", range(40, 400))), "--owner", GRACE],
                            cwd=ROOT, text=True, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
    wait_for(proc.stderr, PAUSED)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    with open_sqlite(db) as store:
        assert store.pragma("integrity_check") == "ok"
        assert store.digest() == before and store.counts() == counts
        assert store.audit_log(action="import-failed") == []  # killed: nothing could even say it failed
        again = service.import_files(store, [tmp_path / "b.csv"], owner=GRACE)  # and the store goes on
        assert again.people_added == 350 + 1


def test_two_reps_importing_overlapping_files_at_once_make_each_person_once(tmp_path):  # IMP-11, case 11
    db = tmp_path / "g.db"
    open_sqlite(db).close()
    files = {DANA: contacts(tmp_path / "dana.csv", range(0, 3000)),
             GRACE: contacts(tmp_path / "grace.csv", range(1500, 4500))}
    start, outcome = threading.Barrier(2), {}

    def import_as(owner: str) -> None:
        with open_sqlite(db) as store:  # a connection of its own, as two app sessions or CLI runs have
            start.wait()
            try:
                outcome[owner] = service.import_files(store, [files[owner]], owner=owner)
            except StoreBusy as exc:
                outcome[owner] = exc

    threads = [threading.Thread(target=import_as, args=(owner,)) for owner in files]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    busy = [o for o, r in outcome.items() if isinstance(r, StoreBusy)]
    assert len(outcome) == 2 and len(busy) <= 1, outcome
    with open_sqlite(db) as store:
        for owner in busy:  # "busy, retry": the retry succeeds
            assert "busy with another writer; nothing was changed, try again" in str(outcome[owner])
            outcome[owner] = service.import_files(store, [files[owner]], owner=owner)
        assert store.pragma("integrity_check") == "ok"
        keys = emails_once(store)
        assert len(keys) == 4500 and set(keys.values()) == {1}  # the 1,500 shared people exist once
        assert store.counts().people == 4500 + 2  # and the two reps
        assert store.counts().imports == 2
        mine = store._conn.execute("SELECT owner, count(*) FROM relationships GROUP BY owner").fetchall()
        assert dict(mine) == {DANA: 3000, GRACE: 3000}  # no lost update: every contact tie of both files


def test_a_full_disk_during_the_commit_rolls_back_and_says_so(tmp_path):  # case 42
    db = tmp_path / "g.db"
    store = open_sqlite(db)
    service.import_files(store, [contacts(tmp_path / "a.csv", range(20))], owner=DANA)
    before, counts = store.digest(), store.counts()
    pages = store.pragma("page_count")
    # The database may not grow past its size now: SQLite's own "database or disk is full" (SQLITE_FULL),
    # as when the disk runs out of space, with no stand-in for our code.
    store._conn.execute(f"PRAGMA max_page_count = {pages + 2}")
    big = contacts(tmp_path / "big.csv", range(100, 3100), company="Globex")
    with pytest.raises(StoreError, match=f"The disk holding {db} is full; nothing was changed"):
        service.import_files(store, [big], owner=GRACE)
    assert store.digest() == before and store.counts() == counts
    assert store.pragma("integrity_check") == "ok"
    store._conn.execute("PRAGMA max_page_count = 1073741823")  # space again: the same import goes through
    report = service.import_files(store, [big], owner=GRACE)
    assert report.people_added == 3000 + 1
    [failed] = store.audit_log(action="import-failed")  # audited after the rollback
    assert failed.objects[1] == "error:StoreError"
    store.close()


def test_a_writer_holding_the_database_past_the_timeout_gets_busy_and_changes_nothing(tmp_path, monkeypatch):  # 43
    from graphapp.store.sqlite import store as sqlite_module

    db = tmp_path / "g.db"
    with open_sqlite(db) as store:
        service.import_files(store, [contacts(tmp_path / "a.csv", range(20))], owner=DANA)
        before = store.digest()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process's long write
    monkeypatch.setattr(sqlite_module, "BUSY_TIMEOUT_MS", 300)
    store = open_sqlite(db)
    started = time.monotonic()
    with pytest.raises(StoreBusy, match="busy with another writer; nothing was changed, try again"):
        service.import_files(store, [contacts(tmp_path / "b.csv", range(30, 60))], owner=GRACE)
    assert time.monotonic() - started >= 0.25  # it waited for the writer first
    assert store.digest() == before  # readers go on meanwhile
    holder.execute("ROLLBACK")
    holder.close()
    assert store.pragma("integrity_check") == "ok"
    store.close()


def test_the_write_ahead_log_stays_small_after_100_imports(tmp_path):  # DUR-6
    db = tmp_path / "g.db"
    wal = Path(f"{db}-wal")
    sizes = []
    with open_sqlite(db) as store:
        for n in range(100):
            m = BatchMaker(f"i{n}", file=f"f{n}.csv", sha=f"sha-{n}")
            people = tuple(m.person(f"p-{n}-{k}", f"Person {n} {k}", f"p{n}.{k}@example.com", title="x" * 200)
                           for k in range(40))
            from graphapp.model import GraphBatch

            with store.importing(record(f"i{n}", minute=n % 60)) as writer:
                writer.write(GraphBatch(people=people))
            sizes.append(wal.stat().st_size if wal.exists() else 0)
        assert store.counts().people == 4000
        reader = sqlite3.connect(db)  # a reader elsewhere holding a snapshot: the checkpoint does not wait
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM people").fetchone()
        started = time.monotonic()
        with store.importing(record("i-last")) as writer:
            writer.write(GraphBatch(people=(BatchMaker("i-last").person("p-last", "Last One"),)))
        assert time.monotonic() - started < 2
        reader.close()
    assert max(sizes) < 256 * 1024, sizes  # 4 MB and more without the checkpoint after each import
