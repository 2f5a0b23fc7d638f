"""The command line's writes act as ``--as REP_EMAIL`` with that rep's role, and as whoever holds the
database file without it (issue 20, item 1); look-alike reps are refused there too (item 5)."""

from __future__ import annotations

import json

import pytest

from graphapp import service
from graphapp.cli import main
from graphapp.store.sqlite.store import open_sqlite
from tests.conftest import record, small_batch

CONTACTS = "Name,Email,Company\nNia Okafor,nia@acme.example.com,Acme Corp\n"


@pytest.fixture
def db(tmp_path) -> str:
    path = tmp_path / "cli.db"
    with open_sqlite(path) as store:
        with store.importing(record("i1")) as writer:
            writer.write(small_batch("i1"))
        service.add_rep(store, name="Zed Other", email="zed@example.com")
        service.add_rep(store, name="Ada Admin", email="ada@example.com", role="admin")
        service.add_rep(store, name="Vic Viewer", email="vic@example.com", role="viewer")
    (tmp_path / "contacts.csv").write_text(CONTACTS, encoding="utf-8")
    return str(path)


def refused(db: str):
    with open_sqlite(db, create=False) as store:
        reps = {r.email: r.person_id for r in store.list_reps()}
        return store.audit_log(action="refused"), reps


def test_a_viewer_imports_nothing_even_for_someone_new(db, tmp_path, capsys):
    code = main(["--db", db, "import", str(tmp_path / "contacts.csv"), "--owner", "mallory@evil.example.com",
                 "--as", "vic@example.com"])
    assert code == 1
    assert capsys.readouterr().err.startswith("graphapp: A viewer cannot import files: viewers look but change nothing.")
    rows, reps = refused(db)
    assert [(r.actor, r.objects[:2]) for r in rows] == [(f"rep:{reps['vic@example.com']}", ("action:import", "role:viewer"))]
    assert "mallory@evil.example.com" not in reps


def test_a_rep_cannot_undo_someone_elses_import_or_add_a_rep(db, capsys):
    assert main(["--db", db, "undo-import", "i1", "--as", "zed@example.com"]) == 1
    assert "A rep can undo only the imports they ran" in capsys.readouterr().err
    assert main(["--db", db, "reps", "add", "--name", "Mallory", "--email", "m@evil.example.com", "--as", "zed@example.com"]) == 1
    assert "Only an admin can add a rep to the team; you are signed in as a rep." in capsys.readouterr().err
    assert [r.objects[0] for r in refused(db)[0]] == ["action:add-rep", "action:undo-import"]


def test_a_rep_imports_and_undoes_their_own_and_an_admin_undoes_anyones(db, tmp_path, capsys):
    assert main(["--db", db, "import", str(tmp_path / "contacts.csv"), "--owner", "zed@example.com", "--json",
                 "--as", "zed@example.com"]) == 0
    import_id = json.loads(capsys.readouterr().out)["import_id"]
    assert main(["--db", db, "imports", "--json"]) == 0
    mine = next(i for i in json.loads(capsys.readouterr().out) if i["import_id"] == import_id)
    assert mine["actor"] == f"rep:{refused(db)[1]['zed@example.com']}"  # recorded as the rep who ran it
    assert main(["--db", db, "undo-import", import_id, "--as", "zed@example.com"]) == 0
    assert main(["--db", db, "undo-import", "i1", "--as", "ada@example.com"]) == 0
    assert refused(db)[0] == []


def test_without_as_the_person_at_the_terminal_may_do_anything_as_today(db, tmp_path, capsys):
    assert main(["--db", db, "import", str(tmp_path / "contacts.csv"), "--owner", "new.rep@example.com"]) == 0
    assert main(["--db", db, "undo-import", "i1"]) == 0
    assert main(["--db", db, "reps", "add", "--name", "Kim", "--email", "kim@example.com"]) == 0
    assert refused(db)[0] == []


def test_look_alike_reps_are_refused_on_the_command_line(db, capsys):
    assert main(["--db", db, "reps", "add", "--name", "Dana W", "--email", "d\u0430na@example.com"]) == 1
    assert "looks like Dana Whitfield's (dana@example.com)" in capsys.readouterr().err
    assert main(["--db", db, "reps", "add", "--name", "Dana Whitfield", "--email", "\uff44ana@example.com", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"email": "dana@example.com", "name": "Dana Whitfield",
                                                   "person_id": "p-dana", "role": "rep", "added": False}
