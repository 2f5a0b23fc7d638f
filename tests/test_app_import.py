"""The Import page in Streamlit's AppTest: upload, look, map, import, report, undo (no browser; see tests/e2e)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from graphapp import service
from tests.ingest.helpers import SAMPLES

ROOT = Path(__file__).resolve().parents[1]
PAGE = "app_pages/import_data.py"
ZIP = "Basic_LinkedInDataExport_09-16-2025.zip"
THEO = "theo.marchbanks@tidewell.example.com"
DANA = "dana.whitfield@example.com"
LEADS = (b"Full Name,Work Email,Org,Notes\n"
         b"Ada Quill,ada.quill@example.com,Quill Freight,met at expo\n"
         b"Bram Oduya,bram.oduya@example.com,Oduya Tiles,\n"
         b",,Nobody Ltd,no name or e-mail\n")


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "app.db"
    monkeypatch.setenv("GRAPHAPP_DB", str(path))
    st.cache_data.clear()
    st.cache_resource.clear()
    return path


def open_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception
    return at


@pytest.fixture
def app(db) -> AppTest:
    """The page on an empty store."""
    return open_page()


@pytest.fixture
def rep_app(db) -> AppTest:
    """The page on a store whose team is one rep, Dana (chosen as the owner by default)."""
    with service.open_graph(str(db)) as store:
        service.add_rep(store, name="Dana Whitfield", email=DANA)
    at = open_page()
    assert at.selectbox(key="import_owner").value == DANA
    return at


def counts(db: Path):
    with service.open_graph(str(db), create=False) as store:
        return store.counts()


def upload(at: AppTest, *files: tuple[str, bytes]) -> AppTest:
    at.file_uploader(key="import_files").set_value([(name, data, "application/octet-stream") for name, data in files])
    at.run()
    assert not at.exception
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def frame(at: AppTest, column: str):
    """The first table shown with this column (AppTest does not expose a read-only dataframe's key)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def texts(elements) -> str:
    return "\n".join(e.value for e in elements)


def test_empty_states_say_what_to_do_next(app, db):
    assert "Choose one or more files above" in texts(app.info)
    assert "No imports yet" in texts(app.info)
    assert app.get("file_uploader")[0].proto.multiple_files
    assert app.selectbox(key="import_owner").value == "@new"  # no reps yet: enter the rep's e-mail
    assert app.selectbox(key="import_visibility").value == "existence"
    assert not app.button  # nothing to import yet
    assert counts(db).imports == 0


def test_the_linkedin_archive_shows_its_members_then_imports_with_the_readme_counts(app, db):
    app.text_input(key="import_new_owner").input(THEO).run()
    upload(app, (ZIP, (SAMPLES / ZIP).read_bytes()))
    assert f"**{ZIP}** · ZIP archive" in texts(app.markdown)
    members = app.table[0].value
    assert list(members["File in the archive"]) == [
        "Connections.csv", "messages.csv", "Invitations.csv", "Endorsement_Received_Info.csv",
        "Recommendations_Received.csv", "Positions.csv", "Profile.csv", "Company Follows.csv"]
    assert members["Read as"].iloc[0] == "LinkedIn Connections.csv"
    first_rows = app.table[1].value  # Connections.csv: the preamble skipped, the first 5 connections
    assert list(first_rows.columns)[:3] == ["First Name", "Last Name", "URL"] and len(first_rows) == 5
    assert counts(db).imports == 0  # looking imports nothing
    app.button(key="import_run").click().run()
    assert not app.exception

    got = counts(db)
    assert (got.imports, got.reps) == (1, 1)
    progress = texts(app.markdown)  # the service's progress steps, as they came
    assert f"Reading {ZIP}" in progress and "Matching" in progress and "Writing" in progress
    shown = metrics(app)
    # samples/README.md: Connections 395 + 5, messages 11 + 2, the other six files 21 + 0.
    assert (shown["Rows read"], shown["Rows rejected"]) == ("434", "7")
    assert shown["New people"] == f"{got.people:,}"
    assert shown["New relationships"] == f"{got.relationships:,}"
    assert shown["New organisations"] == f"{got.organizations:,}"
    assert (shown["People already known"], shown["Relationships already known"]) == ("0", "0")  # an empty graph
    assert texts(app.success).startswith(f"Imported 427 of 434 rows: {got.people:,} new people and 0 already known")
    assert "committed" not in texts(app.success)
    rejected = frame(app, "Reason")
    assert len(rejected) == 7
    assert rejected["Reason"].value_counts().to_dict() == {
        "only a date: hidden profile": 5, "draft never sent": 1,
        "sponsored message from 'LinkedIn Member': no person": 1}
    assert rejected["Row"].notna().all()
    matches = frame(app, "Recognised as")  # the archive's files name the same people
    assert f"Recognised as one person ({len(matches)})" in [h.value for h in app.subheader] and len(matches) > 0
    assert set(matches["How"]) == {"matched by the same LinkedIn profile URL",
                                   "matched by the same name at the same organisation"}  # recommendations: no URL
    assert "Person id" not in matches.columns
    files = frame(app, "Read as")
    assert list(files["Read as"])[:2] == ["LinkedIn Connections.csv", "LinkedIn messages.csv"]
    history = frame(app, "By")
    assert list(history["What"]) == [f"{ZIP} (8 files)"] and list(history["Status"]) == ["imported"]
    assert "Id" not in history.columns


def test_importing_the_same_archive_again_says_nothing_new_and_counts_everyone_as_known(app, db):
    """Issue 23: a re-import counts what happened: every person and relationship already known (and how
    they were recognised), none new; no "0 matched" beside "Nothing new"."""
    app.text_input(key="import_new_owner").input(THEO).run()
    upload(app, (ZIP, (SAMPLES / ZIP).read_bytes()))
    app.button(key="import_run").click().run()
    first = counts(db)
    app.run()  # Theo is on the team now: the owner choice offers him
    app.selectbox(key="import_owner").set_value(THEO).run()
    app.button(key="import_run").click().run()
    assert not app.exception

    again = counts(db)
    assert (again.people, again.relationships, again.imports) == (first.people, first.relationships, 2)
    shown = metrics(app)
    assert (shown["Rows read"], shown["Rows rejected"]) == ("434", "7")
    assert (shown["New people"], shown["New relationships"], shown["New organisations"]) == ("0", "0", "0")
    assert shown["People already known"] == f"{first.people - 1:,}"  # everyone the rows name (the rep: a profile)
    assert shown["Relationships already known"] == f"{first.relationships:,}"
    success = texts(app.success)
    assert success.startswith(f"Nothing new: the 427 rows imported name {first.people - 1:,} people and "
                              f"{first.relationships:,} relationships the graph already held")
    assert f"People already known were recognised {first.people - 1:,} by LinkedIn profile." in texts(app.caption)
    assert not [f for f in app.dataframe if "Recognised as" in f.value.columns]  # nobody merged anew
    assert list(frame(app, "By")["Status"]) == ["imported", "imported"]


def test_an_upload_we_cannot_read_says_why_in_words_next_to_its_name(rep_app, db):
    """Issue 23: the uploader takes any file; one that is not an import is refused with a line naming it."""
    upload(rep_app, ("notes.txt", b"call Ann on Tuesday\nbring the samples\n"),
           ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
           ("contacts.txt", b"Name,Email\nAda Quill,ada.quill@example.com\n"))
    errors = [e.value for e in rep_app.error]
    assert any(e.startswith("Cannot import this file.") and "notes.txt" in e and "no columns found" in e for e in errors)
    assert any("photo.png is a PNG image, not a text/CSV file" in e for e in errors)
    assert rep_app.button(key="import_run").label == "Import 1 file"  # a contact list, whatever its name ends in
    rep_app.button(key="import_run").click().run()
    assert "Not imported: notes.txt: no columns found" in texts(rep_app.warning)
    assert counts(db).imports == 1


def test_the_rejected_rows_download_is_spreadsheet_safe(db):
    data = b"Name,Email,Company\n,,Nobody Ltd\nAnn Lee,ann.lee@example.com,Lee Ltd\n"
    with service.open_graph(str(db)) as store:
        report = service.import_uploads(store, [("=cmd.csv", data)], owner=DANA)
    assert report.files[0].rows_accepted == 1
    rows = list(csv.reader(io.StringIO(service.rejected_rows_csv(report))))
    assert rows == [["file", "row", "column", "reason"],
                    ["'=cmd.csv", "2", "name", "no person: no name, e-mail or LinkedIn URL"]]


@pytest.mark.parametrize("name,data,message", [
    ("empty.csv", b"", "empty.csv: the file is empty."),
    ("export.zip", b"PK\x03\x04 not really an archive", "export.zip: the archive is damaged"),
    ("photo.csv", (SAMPLES / "edge" / "not_a_csv.csv").read_bytes(), "not a text/CSV file"),
])
def test_a_file_that_cannot_be_read_is_a_message_and_changes_nothing(rep_app, db, name, data, message):
    upload(rep_app, (name, data))
    assert message in texts(rep_app.error)
    assert "None of these files can be imported" in texts(rep_app.warning)
    assert rep_app.button(key="import_run").disabled
    assert counts(db).imports == 0


def test_a_good_file_beside_an_empty_one_is_imported_and_the_empty_one_reported(rep_app, db):
    upload(rep_app, ("contacts.vcf", (SAMPLES / "contacts.vcf").read_bytes()), ("empty.csv", b""))
    assert rep_app.button(key="import_run").label == "Import 1 file"
    rep_app.button(key="import_run").click().run()
    assert metrics(rep_app)["Rows read"] == "5"  # samples/README.md: contacts.vcf accepts 5
    assert texts(rep_app.success).startswith("Imported 5 of 5 rows")
    assert "Not imported: empty.csv: the file is empty." in texts(rep_app.warning)
    assert counts(db).imports == 1


def test_an_unknown_csv_gets_a_mapping_form_and_imports_with_the_mapping(rep_app, db):
    upload(rep_app, ("leads.csv", LEADS))
    assert "This CSV's layout is not one we know" in texts(rep_app.info)
    assert counts(db).imports == 0
    boxes = {b.label: b for b in rep_app.selectbox if b.key.startswith("import_map_")}
    assert list(boxes) == ["Full Name", "Work Email", "Org", "Notes"]
    assert [b.value for b in boxes.values()] == ["name", "email", "(not used)", "(not used)"]  # guessed
    assert set(boxes["Org"].options) == {"(not used)", *service.MAPPING_FIELDS}

    boxes["Full Name"].set_value("(not used)")
    boxes["Work Email"].set_value("(not used)")
    boxes["Org"].set_value("company").run()  # a company alone identifies nobody
    assert "map at least one column" in texts(rep_app.warning)
    assert rep_app.button(key="import_run").disabled
    assert counts(db).imports == 0
    boxes = {b.label: b for b in rep_app.selectbox if b.key.startswith("import_map_")}
    boxes["Full Name"].set_value("name")
    boxes["Work Email"].set_value("email").run()
    assert "Work Email → email" in rep_app.table[0].value.columns
    assert "Org → company" in rep_app.table[0].value.columns
    assert not rep_app.button(key="import_run").disabled

    rep_app.button(key="import_run").click().run()
    assert not rep_app.exception
    assert (metrics(rep_app)["Rows read"], metrics(rep_app)["Rows rejected"]) == ("3", "1")
    assert texts(rep_app.success).startswith("Imported 2 of 3 rows")
    assert len(frame(rep_app, "Reason")) == 1
    with service.open_graph(str(db), create=False) as store:
        found = store.find_people(emails=["ada.quill@example.com", "bram.oduya@example.com"])
        assert len(found) == 2
        people = store.get_people(list(found.values()))
    assert {p.name for p in people.values()} == {"Ada Quill", "Bram Oduya"}


def test_personal_data_for_the_whole_team_is_refused_with_a_reason(rep_app, db):
    rep_app.selectbox(key="import_owner").set_value("@team").run()
    upload(rep_app, ("contacts.vcf", (SAMPLES / "contacts.vcf").read_bytes()))
    rep_app.button(key="import_run").click().run()
    assert not rep_app.exception
    assert "Nothing was imported" in texts(rep_app.error)
    assert "whose data is this?" in texts(rep_app.error)
    assert counts(db).people == 1  # only the rep


def test_undo_from_the_history_asks_first_then_removes_what_the_import_brought(rep_app, db):
    upload(rep_app, ("contacts.vcf", (SAMPLES / "contacts.vcf").read_bytes()))
    rep_app.button(key="import_run").click().run()
    brought = counts(db)
    assert brought.people > 1 and brought.relationships > 0
    [import_id] = [r.id for r in service.list_imports(service.open_graph(str(db), create=False))]

    rep_app.selectbox(key="import_undo_choice").set_value(import_id).run()
    assert "removes what it brought" in texts(rep_app.warning) and import_id not in texts(rep_app.warning)
    assert rep_app.button(key="import_undo").disabled  # not before the confirmation
    rep_app.checkbox(key="import_undo_confirm").check().run()
    rep_app.button(key="import_undo").click().run()
    assert not rep_app.exception

    after = counts(db)
    assert (after.people, after.relationships, after.reps) == (1, 0, 1)  # the rep added by hand stays
    message = texts(rep_app.success)
    assert "Undid the import of contacts.vcf" in message and import_id not in message  # no ids on the page
    assert f"removed {brought.people - 1:,} people" in message
    assert f"{brought.relationships:,} relationships" in message
    assert list(frame(rep_app, "By")["Status"]) == ["undone"]
    assert "nothing left to undo" in texts(rep_app.caption)
    assert not rep_app.metric  # the undone import's report is gone


def test_all_or_nothing_refuses_an_archive_with_rejected_rows_and_says_why(app, db):
    app.text_input(key="import_new_owner").input(THEO)
    app.checkbox(key="import_strict").check().run()
    upload(app, (ZIP, (SAMPLES / ZIP).read_bytes()))
    app.button(key="import_run").click().run()
    assert not app.exception
    assert "only a date: hidden profile (--strict: nothing was imported)" in texts(app.error)
    assert (counts(db).imports, counts(db).people) == (0, 0)


def test_a_file_the_preview_refuses_is_audited_once(rep_app, db):
    """The page refuses an empty file before any import is tried: one "import-refused" row names its
    SHA-256 (never its name), however often the page reruns."""
    import hashlib

    at = upload(rep_app, ("empty.csv", b""), ("binary.csv", b"\x00\x01\x02PK\x03"))
    at.run()
    with service.open_graph(str(db), create=False) as store:
        rows = store.audit_log(action="import-refused")
    assert len(rows) == 1 and rows[0].counts == {"files": 2}
    assert f"sha256:{hashlib.sha256(b'').hexdigest()}" in rows[0].objects
    assert not any("empty.csv" in o for o in rows[0].objects)
