"""The ``graphapp`` command against temporary databases: in this process (tests/cli.py) where only its output,
exit code and database matter; as a real process where the process is the point (``python -m graphapp`` and
the console script, the real exit codes, a kill mid-transaction, ``serve``)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graphapp.store.sqlite.schema import SCHEMA_VERSION
from graphapp.store.sqlite.store import open_sqlite
from tests.cli import run
from tests.faults import PAUSED

ROOT = Path(__file__).resolve().parents[1]


def run_process(*args: str, command: tuple[str, ...] = (sys.executable, "-m", "graphapp")) -> subprocess.CompletedProcess:
    """``graphapp ARGS`` as a process of its own (``python -m graphapp`` unless ``command`` says otherwise)."""
    return subprocess.run([*command, *args], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    run("--db", str(path), "demo", check=True)
    return path


def test_stats_json_is_exactly_the_five_integer_counts(demo_db):
    result = run("--db", str(demo_db), "stats", "--json", check=True)
    data = json.loads(result.stdout)
    assert list(data) == ["people", "organizations", "relationships", "reps", "imports"]
    assert all(type(v) is int for v in data.values())
    with open_sqlite(demo_db, create=False) as store:
        assert data == store.counts().as_dict()
    assert data["reps"] == 8 and data["imports"] == 1 and 2900 <= data["people"] <= 3100


def test_db_option_is_also_accepted_after_the_command_and_from_the_environment(demo_db):
    after = json.loads(run("stats", "--json", "--db", str(demo_db), check=True).stdout)
    from_env = json.loads(run("stats", "--json", env={"GRAPHAPP_DB": str(demo_db)}, check=True).stdout)
    assert after == from_env and after["reps"] == 8


def test_demo_twice_is_a_no_op_and_other_data_needs_force(tmp_path, demo_db):
    again = json.loads(run("--db", str(demo_db), "demo", "--json", check=True).stdout)
    assert again["loaded"] is False and again["imports"] == 1
    other = tmp_path / "team.db"
    run("--db", str(other), "reps", "add", "--name", "Ada Quill", "--email", "ada@example.com", check=True)
    refused = run("--db", str(other), "demo")
    assert refused.returncode == 1
    assert "already holds data" in refused.stderr and "--force" in refused.stderr
    assert "Traceback" not in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
    forced = json.loads(run("--db", str(other), "demo", "--force", "--json", check=True).stdout)
    assert forced["loaded"] is True and forced["reps"] == 9


def test_reps_add_and_list(tmp_path):
    db = str(tmp_path / "r.db")
    added = json.loads(run("--db", db, "reps", "add", "--name", " Dana  Whitfield ", "--email", "Dana@Example.com", "--json", check=True).stdout)
    assert added == {"email": "dana@example.com", "name": "Dana Whitfield", "person_id": added["person_id"], "role": "rep", "added": True}
    again = json.loads(run("--db", db, "reps", "add", "--name", "Dana W", "--email", "dana@example.com", "--json", check=True).stdout)
    assert again["added"] is False and again["person_id"] == added["person_id"]
    listed = json.loads(run("--db", db, "reps", "list", "--json", check=True).stdout)
    assert [r["email"] for r in listed] == ["dana@example.com"]
    text = run("--db", db, "reps", "list", check=True).stdout
    assert "Dana Whitfield <dana@example.com> rep" in text


def test_user_errors_exit_1_with_one_line_and_usage_errors_exit_2(tmp_path):
    bad_email = run("--db", str(tmp_path / "x.db"), "reps", "add", "--name", "X", "--email", "not-an-email")
    assert bad_email.returncode == 1
    assert bad_email.stderr.strip() == "graphapp: 'not-an-email' is not an e-mail address (expected something like dana@example.com)."
    missing = run("--db", str(tmp_path / "missing.db"), "stats")
    assert missing.returncode == 1 and "No graphapp database at" in missing.stderr
    assert not (tmp_path / "missing.db").exists()
    directory = run("--db", str(tmp_path), "stats", "--json")
    assert directory.returncode == 1 and f"{tmp_path} is a directory" in directory.stderr and directory.stdout == ""
    usage = run("frobnicate")
    assert usage.returncode == 2 and "invalid choice" in usage.stderr
    assert run("reps", "add", "--name", "X").returncode == 2


def test_init_creates_an_empty_database_and_reports_it(tmp_path):
    db = tmp_path / "new.db"
    data = json.loads(run("--db", str(db), "init", "--json", check=True).stdout)
    assert data == {"db": str(db), "created": True, "schema_version": SCHEMA_VERSION}
    assert json.loads(run("--db", str(db), "init", "--json", check=True).stdout)["created"] is False
    assert json.loads(run("--db", str(db), "stats", "--json", check=True).stdout)["people"] == 0


def test_newer_schema_is_refused_by_the_command(tmp_path):
    db = tmp_path / "future.db"
    run("--db", str(db), "init", check=True)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    result = run("--db", str(db), "stats")
    assert result.returncode == 1 and "newer graphapp (schema 99" in result.stderr


def test_python_dash_m_and_console_script_agree_and_exit_as_documented(demo_db, tmp_path):
    """The real processes: both ways of starting the command print the same, and the process's own exit
    status is 0, 1 for a user error (one line, no traceback) and 2 for a usage error."""
    import shutil

    script = shutil.which("graphapp", path=os.path.dirname(sys.executable))
    assert script, "the graphapp console script is installed next to the interpreter"
    out = run_process("--db", str(demo_db), "stats", "--json", command=(script,))
    module = run_process("--db", str(demo_db), "stats", "--json")
    assert out.returncode == module.returncode == 0
    assert json.loads(out.stdout) == json.loads(module.stdout) == json.loads(run("--db", str(demo_db), "stats", "--json").stdout)
    missing = run_process("--db", str(tmp_path / "missing.db"), "stats")
    assert missing.returncode == 1 and missing.stderr.startswith("graphapp: No graphapp database at")
    assert len(missing.stderr.strip().splitlines()) == 1
    usage = run_process("frobnicate", command=(script,))
    assert usage.returncode == 2 and "invalid choice" in usage.stderr


def test_killing_demo_mid_transaction_leaves_the_store_as_it_was(tmp_path):
    db = tmp_path / "k.db"
    run("--db", str(db), "reps", "add", "--name", "Ada Quill", "--email", "ada@example.com", check=True)
    with open_sqlite(db) as store:
        before, counts = store.digest(), store.counts()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.faults", "pause-before-commit", "--db", str(db), "demo", "--force"],
        stderr=subprocess.PIPE, text=True, cwd=ROOT,
    )
    deadline = time.monotonic() + 60
    for line in proc.stderr:  # wait until every fact is written and the commit is next
        if PAUSED in line or time.monotonic() > deadline:
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    assert (tmp_path / "k.db-wal").exists()  # the uncommitted work had reached the write-ahead log
    with open_sqlite(db) as store:
        assert store.pragma("integrity_check") == "ok"
        assert store.digest() == before and store.counts() == counts


from tests.ingest.helpers import SAMPLES  # noqa: E402

THEO = "theo.marchbanks@tidewell.example.com"


def test_import_json_is_exactly_the_documented_shape(tmp_path):
    db = str(tmp_path / "i.db")
    result = run("--db", db, "import", str(SAMPLES / "edge" / "ragged.csv"), str(SAMPLES / "edge" / "empty.csv"),
                 "--owner", THEO, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert list(data) == ["import_id", "files", "people_added", "people_merged", "organizations_added",
                          "relationships_added", "merges", "merges_made"]
    ragged, empty = data["files"]
    assert list(ragged) == ["path", "format", "rows_read", "rows_accepted", "rows_rejected", "errors", "warnings"]
    assert (ragged["format"], ragged["rows_read"], ragged["rows_accepted"], ragged["rows_rejected"]) == ("contact-list", 5, 3, 2)
    assert ragged["errors"][0] == {"row": 3, "column": None, "reason": "expected 5 fields, saw 6 (line 3)"}
    assert empty["rows_read"] == 0 and empty["errors"][0]["row"] is None and "empty" in empty["errors"][0]["reason"]
    assert data["people_added"] == 4 and data["relationships_added"] == 3  # 3 contacts + the rep; 3 ties
    assert all(type(data[k]) is int for k in list(data)[2:6]) and type(data["merges_made"]) is int
    assert data["merges"] == [] and data["merges_made"] == 0 and ragged["warnings"] == [] == empty["warnings"]


def test_import_exit_codes_strict_and_nothing_committed(tmp_path):
    db = str(tmp_path / "i.db")
    nothing = run("--db", db, "import", str(SAMPLES / "edge" / "not_a_csv.csv"), "--owner", THEO)
    assert nothing.returncode == 1 and "not a text/CSV file" in nothing.stdout and "Nothing was imported." in nothing.stdout
    strict = run("--db", db, "import", str(SAMPLES / "edge" / "ragged.csv"), "--owner", THEO, "--strict")
    assert strict.returncode == 1 and "row 3" in strict.stderr and "--strict: nothing was imported" in strict.stderr
    assert json.loads(run("--db", db, "stats", "--json").stdout)["people"] == 0
    no_owner = run("--db", db, "import", str(SAMPLES / "edge" / "ragged.csv"))
    assert no_owner.returncode == 1 and "--owner REP_EMAIL" in no_owner.stdout


def test_import_then_reimport_then_imports_then_undo(tmp_path):
    db = str(tmp_path / "i.db")
    zip_path = str(SAMPLES / "Basic_LinkedInDataExport_09-16-2025.zip")
    first = json.loads(run("--db", db, "import", zip_path, "--owner", THEO, "--json", check=True).stdout)
    assert len(first["files"]) == 8 and first["people_added"] > 390
    counts = json.loads(run("--db", db, "stats", "--json").stdout)
    again = run("--db", db, "import", zip_path, "--owner", THEO, check=True)
    assert "new people 0, people already known 397" in again.stdout  # all but the rep: from the profile
    assert "new relationships 0, relationships already known 411" in again.stdout
    assert ("Nothing new: the 427 rows imported name 397 people and 411 relationships the graph already held"
            in again.stdout)
    assert "people already known, recognised 397 by LinkedIn profile" in again.stdout
    after = json.loads(run("--db", db, "stats", "--json").stdout)
    assert {k: after[k] for k in ("people", "organizations", "relationships")} == {
        k: counts[k] for k in ("people", "organizations", "relationships")}
    listed = json.loads(run("--db", db, "imports", "--json", check=True).stdout)
    assert [i["status"] for i in listed] == ["committed", "committed"] and len(listed[1]["files"]) == 8
    undone = json.loads(run("--db", db, "undo-import", first["import_id"], "--json", check=True).stdout)
    assert undone["status"] == "undone" and undone["removed"]["people"] == 0  # the second import still asserts them
    assert run("--db", db, "undo-import", "nope").returncode == 1


def test_mapping_an_unknown_csv(tmp_path):
    db = str(tmp_path / "i.db")
    path = tmp_path / "leads.csv"
    path.write_text("Full Name,Work Email,Org\nAda Quill,ada@initech.example.com,Initech\n")
    refused = run("--db", db, "import", str(path), "--owner", THEO)
    assert refused.returncode == 1 and "columns found: Full Name, Work Email, Org" in refused.stdout
    ok = json.loads(run("--db", db, "import", str(path), "--owner", THEO, "--map", "Full Name=name",
                        "--map", "Work Email=email", "--map", "Org=company", "--json", check=True).stdout)
    assert ok["files"][0]["format"] == "mapped-csv" and ok["files"][0]["rows_accepted"] == 1


def test_merge_and_split_from_the_command_line(tmp_path):
    db = str(tmp_path / "m.db")
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("Name,Email,Company\nAda Quill,ada@initech.example.com,Initech\n")
    b.write_text("Name,Email,Company\nAda Q.,ada.q@personal.example.net,\n")
    run("--db", db, "import", str(a), str(b), "--owner", THEO, check=True)
    with open_sqlite(db) as store:
        ids = store.find_people(emails=["ada@initech.example.com", "ada.q@personal.example.net"])
    merged = json.loads(run("--db", db, "merge", ids["ada@initech.example.com"], ids["ada.q@personal.example.net"], "--json", check=True).stdout)
    assert sorted(merged["emails"]) == ["ada.q@personal.example.net", "ada@initech.example.com"]
    split = json.loads(run("--db", db, "split", merged["id"], "--json", check=True).stdout)
    assert [p["emails"] for p in split] == [["ada@initech.example.com"], ["ada.q@personal.example.net"]]
    unknown = run("--db", db, "merge", merged["id"], "p-nobody")
    assert unknown.returncode == 1 and "No person with id p-nobody" in unknown.stderr


def test_import_limits_come_from_settings(tmp_path):
    db = str(tmp_path / "i.db")
    result = run("--db", db, "import", str(SAMPLES / "edge" / "ragged.csv"), "--owner", THEO,
                 env={"GRAPHAPP_MAX_ROWS": "2"})
    assert result.returncode == 1 and "more than 2 rows" in result.stdout


def test_a_command_runs_with_the_garbage_collector_set_up_for_imports(tmp_path):
    """The command sets the young generation once, as the app does (see service.configure_process): imports
    make hundreds of thousands of short-lived objects, and Python's default makes them set off full
    collections again and again. The collector still runs."""
    import gc

    from graphapp.cli import main
    from graphapp.service.common import YOUNG_OBJECTS

    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        assert main(["--db", str(tmp_path / "g.db"), "init"]) == 0
        assert gc.get_threshold() == (YOUNG_OBJECTS, 10, 10) and gc.isenabled()
    finally:
        gc.set_threshold(*before)


def test_serve_comes_up_on_a_first_run_with_nobody_at_the_terminal(tmp_path):
    """A fresh machine (no ~/.streamlit) and no terminal, as under scripts/start in CI: the app serves the
    demo. Streamlit left to itself would ask for an e-mail address on its first run and stop."""
    import socket
    import urllib.request

    db = tmp_path / "demo.db"
    run("--db", str(db), "demo", check=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    home = tmp_path / "home"
    home.mkdir()
    proc = subprocess.Popen([sys.executable, "-m", "graphapp", "--db", str(db), "serve", "--port", str(port),
                             "--address", "127.0.0.1"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env={**os.environ, "HOME": str(home)})
    try:
        deadline, healthy = time.monotonic() + 60, False
        while time.monotonic() < deadline and proc.poll() is None and not healthy:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as answer:
                    healthy = answer.read() == b"ok"
            except OSError:
                time.sleep(0.5)
        assert healthy, proc.stdout.read() if proc.poll() is not None else "no answer in 60 s"
    finally:
        proc.terminate()
        proc.wait(timeout=20)
