"""Auditing who is who from the command line: `graphapp doctor` on problems written around graphapp (raw
SQL on a real SQLite file), an import the identity check refuses, every warning and merge in the import
report, and `graphapp people` / `graphapp orgs` with their limits and privacy (docs/identity.md)."""

from __future__ import annotations

import json
import shutil
import sqlite3

import pytest

from graphapp import service
from graphapp.cli.main import main
from graphapp.model import GraphBatch, RelationshipKind, Rep, Visibility
from graphapp.store.sqlite.store import open_sqlite
from tests.conftest import BatchMaker, record, small_batch


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path) -> str:
    """A SQLite file holding :func:`small_batch` (Dana the rep; Raj at Initech; Mei at Globex, once Initech)."""
    path = tmp_path / "g.db"
    with open_sqlite(path) as store, store.importing(record("i1")) as writer:
        writer.write(small_batch("i1"))
    return str(path)


def raw(db: str, *statements: str) -> None:
    """Change the file behind graphapp's back, with its foreign keys and CHECKs off."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("PRAGMA ignore_check_constraints = ON")
    for statement in statements:
        conn.execute(statement)
    conn.close()


# -- graphapp doctor -------------------------------------------------------------------------------------
def test_doctor_says_no_problems_found_on_a_clean_store_and_on_the_demo(db, demo_file, tmp_path, capsys):
    assert cli(capsys, "--db", db, "doctor") == (0, "No problems found\n", "")
    demo = tmp_path / "demo.db"
    shutil.copy(demo_file, demo)
    code, out, _ = cli(capsys, "--db", str(demo), "doctor", "--json")
    assert code == 0 and json.loads(out) == {"ok": True, "violations": []}


def test_doctor_prints_one_line_per_problem_and_exits_1(db, capsys):
    raw(db,
        # a person with Mei's e-mail in other capitals, and no evidence
        """INSERT INTO people (id, name, lists) VALUES ('p-ghost', 'Ghost', '{"emails":["Mei@Globex.example.com"]}')""",
        # Raj's LinkedIn profile written another way on a second person (without evidence too)
        """INSERT INTO people (id, name, linkedin_url, lists)
           VALUES ('p-raj-2', 'Raj P', 'http://linkedin.com/in/RajPatel/', '{}')""",
        "INSERT INTO organizations (id, name, lists) VALUES ('o-bare', 'Bare Ltd', '{}')",
        # a relationship from Mei to herself, and one from Raj to Dana without evidence
        """INSERT INTO relationships (source_pk, target_pk, kind, owner, visibility)
           SELECT pk, pk, 'colleague', 'team', 'team' FROM people WHERE id = 'p-mei'""",
        """INSERT INTO relationships (source_pk, target_pk, kind, owner, visibility)
           SELECT r.pk, d.pk, 'linkedin', 'dana@example.com', 'team' FROM people r, people d
           WHERE r.id = 'p-raj' AND d.id = 'p-dana'""",
        "INSERT INTO reps (person_pk, email) VALUES (9999, 'gone@example.com')")
    code, out, _ = cli(capsys, "--db", db, "doctor")
    lines = out.splitlines()
    assert code == 1 and len(lines) == 9
    assert [line.split(":")[0] for line in lines] == ["no-evidence"] * 5 + [
        "rep-without-person", "self-relationship", "shared-email", "shared-linkedin"]
    assert ("shared-email: e-mail mei@globex.example.com is on 2 people: p-ghost (Ghost), p-mei (Mei Lin); merge them "
            "with `graphapp merge KEEP_ID OTHER_ID`, or split the wrong one with `graphapp split`") in lines
    assert any(line.startswith("shared-linkedin: LinkedIn URL https://www.linkedin.com/in/rajpatel is on 2 people: "
                               "p-raj (Raj Patel), p-raj-2 (Raj P)") for line in lines)
    assert any(line.startswith("no-evidence: person p-ghost (Ghost) has no evidence row") for line in lines)
    assert any(line.startswith("no-evidence: organization o-bare (Bare Ltd)") for line in lines)
    assert any(line.startswith("no-evidence: relationship p-raj -> p-dana (linkedin, dana@example.com)") for line in lines)
    assert any(line.startswith("no-evidence: relationship p-mei -> p-mei (colleague, team)") for line in lines)
    assert any(line.startswith("self-relationship: relationship (colleague, team) joins p-mei (Mei Lin) to themself")
               for line in lines)
    assert any(line.startswith("rep-without-person: rep gone@example.com points at no person") for line in lines)
    # Dana, a rep added with her person, is not "without evidence": her rep record backs her.
    code, out, _ = cli(capsys, "--db", db, "doctor", "--json")
    data = json.loads(out)
    assert code == 1 and data["ok"] is False and len(data["violations"]) == 9
    shared = next(v for v in data["violations"] if v["rule"] == "shared-email")
    assert shared["subject"] == "person" and shared["ids"] == ["p-ghost", "p-mei"] and "graphapp merge" in shared["fix"]


def test_a_rep_added_from_the_command_line_is_backed_by_the_rep_record(tmp_path, capsys):
    db = str(tmp_path / "r.db")
    assert cli(capsys, "--db", db, "reps", "add", "--name", "Ola Nordmann", "--email", "ola@example.com")[0] == 0
    assert cli(capsys, "--db", db, "doctor") == (0, "No problems found\n", "")


def test_doctor_as_a_rep_who_is_not_an_admin_is_refused(db, capsys):
    code, _, err = cli(capsys, "--db", db, "--as", "dana@example.com", "doctor")
    assert code == 1 and "Only an admin can check the whole store" in err


# -- imports the identity check refuses -----------------------------------------------------------------
ADA = (b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
       b"Ada,Quill,https://www.linkedin.com/in/ada-quill,ada@example.com,Acme,CFO,08 Jan 2024\n"
       b"Ada,Quill,https://www.linkedin.com/in/ada-quill-2,ada@example.com,Acme,CFO,08 Jan 2024\n")


def test_two_profiles_with_one_e_mail_are_two_people_and_the_address_stays_with_the_first(tmp_path, capsys):
    """Two LinkedIn profiles with one e-mail are two people (importing.md): the address is kept on the
    first only, the row says so, and the doctor finds nothing (an import that would commit a shared address
    is refused by the store itself: tests/test_store_contract.py)."""
    db = str(tmp_path / "a.db")
    (tmp_path / "Connections.csv").write_bytes(ADA)
    code, out, err = cli(capsys, "--db", db, "import", str(tmp_path / "Connections.csv"), "--owner", "dana@example.com")
    assert code == 0, err
    assert "ada@example.com is also on row" in out
    with open_sqlite(db, create=False) as store:
        assert store.counts().people == 3  # the two Adas and the rep
        assert len(store.people_by_keys(["email:ada@example.com"])["email:ada@example.com"]) == 1
    code, out, _ = cli(capsys, "--db", db, "doctor")
    assert (code, out.strip()) == (0, "No problems found")


# -- the import report says everything ------------------------------------------------------------------
HUBSPOT = ('"Record ID","First Name","Last Name","Email","Phone Number","Contact owner","Primary Associated Company ID",'
           '"Last Activity Date","Lead Status","Marketing contact status","Create Date","Associated Company"\n')


def _hubspot(tmp_path, rows: int):
    path = tmp_path / "hubspot-crm-exports-all-contacts-2024-01-01.csv"
    path.write_text(HUBSPOT + "".join(
        f'"{i}","Pat{i}","Doe","not-an-email-{i}","","","","2024-03-12 09:14","Connected","","2024-01-01 10:00","Acme"\n'
        for i in range(rows)), encoding="utf-8")
    return str(path)


def test_the_text_shows_twenty_warnings_a_file_and_says_where_the_rest_are(tmp_path, capsys):
    db, path = str(tmp_path / "w.db"), _hubspot(tmp_path, 25)
    code, out, _ = cli(capsys, "--db", db, "import", path, "--owner", "dana@example.com")
    warnings = [line for line in out.splitlines() if line.startswith("  ! row ")]
    assert code == 0 and len(warnings) == 20
    assert warnings[0] == "  ! row 2, email: 'not-an-email-0' is not an e-mail address; left out"
    assert "  ! ... and 5 more warnings (--all-warnings prints them all, --json lists them)" in out.splitlines()


def test_all_warnings_and_json_carry_every_warning_with_file_row_column_and_text(tmp_path, capsys):
    path = _hubspot(tmp_path, 25)
    code, out, _ = cli(capsys, "--db", str(tmp_path / "a.db"), "import", path, "--owner", "dana@example.com",
                       "--all-warnings")
    assert code == 0 and len([line for line in out.splitlines() if line.startswith("  ! row ")]) == 25
    assert "more warnings" not in out
    code, out, _ = cli(capsys, "--db", str(tmp_path / "j.db"), "import", path, "--owner", "dana@example.com", "--json")
    [f] = json.loads(out)["files"]
    assert code == 0 and f["path"].endswith("hubspot-crm-exports-all-contacts-2024-01-01.csv") and len(f["warnings"]) == 25
    assert f["warnings"][24] == {"row": 26, "column": "email", "text": "'not-an-email-24' is not an e-mail address; left out"}


def test_json_names_every_merge_with_person_id_name_and_reason(tmp_path, capsys):
    db = str(tmp_path / "m.db")
    (tmp_path / "Connections.csv").write_bytes(b"".join(ADA.splitlines(keepends=True)[:2]))
    (tmp_path / "crm.csv").write_text("Name,Email\nAda Quill,ada@example.com\n", encoding="utf-8")
    code, out, _ = cli(capsys, "--db", db, "import", str(tmp_path / "Connections.csv"), str(tmp_path / "crm.csv"),
                       "--owner", "dana@example.com", "--json")
    data = json.loads(out)
    with open_sqlite(db, create=False) as store:
        ada = store.find_people(emails=["ada@example.com"])["ada@example.com"]
    assert code == 0 and (data["people_merged"], data["merges_made"]) == (1, 1)
    [merge] = data["merges"]
    assert (merge["person_id"], merge["name"]) == (ada, "Ada Quill") and merge["reason"]
    # The people listing shows the one Ada with both files behind her.
    _, out, _ = cli(capsys, "--db", db, "people", "--search", "ada quill")
    assert out.splitlines() == [f"{ada}  Ada Quill  [Acme]", "    keys: ada@example.com, https://www.linkedin.com/in/ada-quill",
                                "    files: Connections.csv, crm.csv"]


# -- graphapp people and graphapp orgs ------------------------------------------------------------------
def test_people_lists_keys_current_organisation_and_files(db, capsys):
    code, out, _ = cli(capsys, "--db", db, "people", "--json")
    data = json.loads(out)
    assert code == 0 and (data["total"], data["shown"], data["limit"], data["total_exact"]) == (3, 3, 50, True)
    raj = next(e for e in data["entries"] if e["id"] == "p-raj")
    assert raj == {"id": "p-raj", "name": "Raj Patel", "emails": ["raj@initech.example.com"],
                   "linkedin_url": "https://www.linkedin.com/in/rajpatel", "organization": "Initech",
                   "organization_id": "o-initech", "files": ["contacts.csv"], "files_hidden": 0}
    assert [e["name"] for e in data["entries"]] == ["Dana Whitfield", "Mei Lin", "Raj Patel"]  # by name
    code, out, _ = cli(capsys, "--db", db, "people", "--search", "mei")
    assert code == 0 and out.splitlines() == [
        "p-mei  Mei Lin  [Globex]", "    keys: mei@globex.example.com", "    files: contacts.csv"]


def test_people_stops_at_the_limit_and_says_so(db, capsys):
    code, out, _ = cli(capsys, "--db", db, "people", "--limit", "2")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 2 * 3 + 1
    assert lines[-1] == "... 2 of 3 people shown; raise --limit to see more."
    code, _, err = cli(capsys, "--db", db, "people", "--limit", "0")
    assert code == 1 and "--limit is at least 1" in err


def test_orgs_lists_domains_people_and_files(db, capsys):
    code, out, _ = cli(capsys, "--db", db, "orgs", "--json")
    data = json.loads(out)
    assert code == 0 and data["total"] == 2
    assert [(e["name"], e["domains"], e["people"], e["people_now"], e["files"]) for e in data["entries"]] == [
        ("Globex", ["globex.example.com"], 1, 1, ["contacts.csv"]),
        ("Initech", ["initech.example.com"], 2, 1, ["contacts.csv"])]  # Raj now, Mei before
    code, out, _ = cli(capsys, "--db", db, "orgs", "--limit", "1")
    assert out.splitlines() == ["o-globex  Globex  [globex.example.com]  1 people, 1 there now",
                                "    files: contacts.csv", "... 1 of 2 organisations shown; raise --limit to see more."]


@pytest.fixture
def shared_db(db) -> str:
    """:func:`db` and a second rep, Li, with a private contact (Sam) and Raj from Li's own file."""
    m = BatchMaker("i2", file="li.csv", sha="sha-2", owner="li@example.com")
    batch = GraphBatch(
        people=(m.person("p-li", "Li Wei", "li@example.com"), m.person("p-sam", "Sam Secret", "sam@example.com"),
                m.person("p-raj", "Raj Patel", "raj@initech.example.com")),
        reps=(Rep("li@example.com", "p-li", "Li Wei"),),
        employments=(m.job("p-sam", "o-globex"),),
        relationships=(m.tie("p-li", "p-sam", visibility=Visibility.PRIVATE),
                       m.tie("p-li", "p-raj", RelationshipKind.CUSTOMER, visibility=Visibility.TEAM)))
    with open_sqlite(db) as store, store.importing(record("i2", minute=1)) as writer:
        writer.write(batch)
    return db


def test_a_rep_does_not_see_another_reps_private_contacts_nor_their_files(shared_db, capsys):
    _, out, _ = cli(capsys, "--db", shared_db, "--as", "dana@example.com", "people", "--json")
    entries = {e["id"]: e for e in json.loads(out)["entries"]}
    assert "p-sam" not in entries and set(entries) == {"p-dana", "p-li", "p-mei", "p-raj"}
    assert (entries["p-raj"]["files"], entries["p-raj"]["files_hidden"]) == (["contacts.csv"], 1)
    _, out, _ = cli(capsys, "--db", shared_db, "--as", "dana@example.com", "people", "--search", "secret")
    assert out == "Nobody matches 'secret'.\n"
    _, out, _ = cli(capsys, "--db", shared_db, "--as", "dana@example.com", "orgs", "--json")
    globex = next(e for e in json.loads(out)["entries"] if e["id"] == "o-globex")
    assert (globex["people"], globex["people_now"]) == (1, 1)  # Mei; Sam is Li's private contact
    # Li sees Sam, and of the files behind Raj her own; the command line without --as sees both.
    _, out, _ = cli(capsys, "--db", shared_db, "--as", "li@example.com", "people", "--json")
    entries = {e["id"]: e for e in json.loads(out)["entries"]}
    assert "p-sam" in entries and (entries["p-raj"]["files"], entries["p-raj"]["files_hidden"]) == (["li.csv"], 1)
    _, out, _ = cli(capsys, "--db", shared_db, "people")
    assert "p-sam  Sam Secret  [Globex]" in out and "    files: contacts.csv, li.csv" in out.splitlines()
    _, out, _ = cli(capsys, "--db", shared_db, "--as", "dana@example.com", "people", "--search", "raj")
    assert "    files: contacts.csv (+1 of other reps)" in out.splitlines()


def test_an_admin_rep_sees_everyone_and_every_file(shared_db, capsys):
    with service.open_graph(shared_db) as store:
        service.add_rep(store, name="Ann Admin", email="ann@example.com", role="admin")
    _, out, _ = cli(capsys, "--db", shared_db, "--as", "ann@example.com", "people", "--json")
    entries = {e["id"]: e for e in json.loads(out)["entries"]}
    assert "p-sam" in entries and entries["p-raj"]["files"] == ["contacts.csv", "li.csv"]
    assert entries["p-raj"]["files_hidden"] == 0
