"""The service's upload flow: preview without importing (format, archive members, first rows, mapping
check), import from bytes with a mapping per file, and the matches an import made."""

from __future__ import annotations

import io
import zipfile

import pytest

from graphapp import service
from graphapp.store.sqlite.store import open_sqlite
from tests.ingest.helpers import SAMPLES

THEO = "theo.marchbanks@tidewell.example.com"
LEADS = b"Full Name,Work Email,Org\nAda Quill,ada.quill@example.com,Quill Freight\nBram Oduya,,Oduya Tiles\n"


def archive(**members: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


@pytest.fixture
def store(tmp_path):
    with open_sqlite(tmp_path / "upload.db") as s:
        yield s


@pytest.mark.parametrize("name", ["hubspot_contacts.csv", "salesforce_contacts.csv", "google_contacts.csv",
                                  "outlook_contacts.csv", "contacts.vcf", "calendar.ics", "relationships.csv",
                                  "edge/bom_crlf_connections.csv", "edge/latin1.csv", "linkedin/messages.csv"])
def test_the_preview_names_the_format_the_import_uses(store, name):
    data = (SAMPLES / name).read_bytes()
    preview = service.preview_upload(name, data, rows=3)
    assert preview.importable and not preview.needs_mapping, preview.problem
    report = service.import_uploads(store, [(name, data)], owner=THEO)
    assert [f.format for f in report.files] == [preview.format]
    assert preview.label and preview.columns and 0 < len(preview.rows) <= 3


def test_the_preview_shows_the_first_rows_after_the_preamble():
    preview = service.preview_upload("Connections.csv", (SAMPLES / "linkedin" / "Connections.csv").read_bytes())
    assert preview.format == "linkedin-connections"
    assert preview.columns[:3] == ("First Name", "Last Name", "URL")
    assert len(preview.rows) == 5 and all(len(r) == len(preview.columns) for r in preview.rows)


@pytest.mark.parametrize("name, head", [("contacts.vcf", 1000), ("calendar.ics", 1500), ("contacts.vcf", 50),
                                        ("calendar.ics", 800)])
def test_an_address_book_or_calendar_is_previewed_from_its_start_when_that_holds_the_rows(name, head, monkeypatch):
    """A large vCard or iCalendar file is not parsed whole to show its first rows: its start is, when
    that holds more contacts than are shown (the first 1,000 or 1,500 characters of these samples
    hold three); else (50, 800: none) the whole file. Either way the rows are those of the whole file."""
    from graphapp.service import preview as service_preview

    data = (SAMPLES / name).read_bytes()
    whole = service.preview_upload(name, data, rows=2)
    monkeypatch.setattr(service_preview, "PREVIEW_CHARS", head)
    start = service.preview_upload(name, data, rows=2)
    assert start.rows == whole.rows and len(start.rows) == 2 and start.format == whole.format


def test_an_archive_lists_the_members_read_and_those_ignored_with_the_reason():
    connections = (SAMPLES / "linkedin" / "Connections.csv").read_bytes()
    preview = service.preview_upload("export.zip", archive(**{
        "Connections.csv": connections, "readme.txt": b"hello", "inner.zip": b"PK", "odd.csv": LEADS}))
    assert preview.importable and preview.format == "zip"
    assert [(m.name, m.format) for m in preview.members] == [("export.zip/Connections.csv", "linkedin-connections")]
    assert sorted(preview.ignored) == ["inner.zip: a nested archive, not read", "odd.csv: unknown CSV layout",
                                       "readme.txt: not a CSV file"]


@pytest.mark.parametrize("name,data,problem", [
    ("empty.csv", b"", "empty.csv: the file is empty."),
    ("bad.zip", b"PK\x03\x04 broken", "bad.zip: the archive is damaged"),
    ("nothing.zip", archive(**{"readme.txt": b"hello"}), "nothing.zip: no export files found"),
    ("photo.csv", (SAMPLES / "edge" / "not_a_csv.csv").read_bytes(), "not a text/CSV file"),
    ("book.csv", b"PK\x03\x04[Content_Types].xml xl/workbook.xml", "Excel workbook"),
])
def test_a_file_level_problem_is_the_previews_problem_not_an_exception(name, data, problem):
    preview = service.preview_upload(name, data)
    assert not preview.importable and not preview.needs_mapping
    assert problem in preview.problem


def test_an_unknown_csv_needs_a_mapping_and_the_mapping_is_checked():
    preview = service.preview_upload("leads.csv", LEADS)
    assert preview.needs_mapping and not preview.importable
    assert preview.columns == ("Full Name", "Work Email", "Org") and len(preview.rows) == 2
    mapped = service.preview_upload("leads.csv", LEADS, mapping={"Full Name": "name", "Org": "company"})
    assert mapped.importable and mapped.format == "mapped-csv"
    wrong = service.preview_upload("leads.csv", LEADS, mapping={"Org": "company"})
    assert wrong.needs_mapping and "map at least one column" in wrong.problem
    missing = service.preview_upload("leads.csv", LEADS, mapping={"Name": "name"})
    assert "'Name' not in the file" in missing.problem


def test_a_mapping_applies_only_to_its_own_file_in_a_batch(store):
    hubspot = (SAMPLES / "hubspot_contacts.csv").read_bytes()
    report = service.import_uploads(
        store, [("hubspot.csv", hubspot), ("leads.csv", LEADS)], owner=THEO,
        mappings={"leads.csv": {"Full Name": "name", "Work Email": "email", "Org": "company"}})
    assert report.committed
    assert [(f.path, f.format, f.rows_accepted) for f in report.files] == [
        ("hubspot.csv", "hubspot-contacts", 12), ("leads.csv", "mapped-csv", 2)]
    assert "ada.quill@example.com" in store.find_people(emails=["ada.quill@example.com"])


def test_the_matches_name_who_was_matched_to_whom(store):
    service.import_uploads(store, [("a.csv", (SAMPLES / "linkedin" / "Connections.csv").read_bytes())], owner=THEO)
    ruth = (SAMPLES / "linkedin_second_rep" / "Connections.csv").read_bytes()
    report = service.import_uploads(store, [("ruth.csv", ruth)], owner="ruth.okonjo@tidewell.example.com")
    matches = service.describe_merges(store, report)
    assert len(matches) == len(report.merges) >= 75  # samples/README.md: 75 people in both files
    beatriz = {m.name_in_file: m for m in matches}["Beatriz Dusek"]  # Theo's file: Beatriz Dušek, with a URL
    url = "https://www.linkedin.com/in/beatriz-dusek-7d47e060"
    assert beatriz.person_id == store.find_people(linkedin_urls=[url])[url]
    assert beatriz.reason == "same name at the same organisation"
    assert beatriz.name_in_graph == store.get_people([beatriz.person_id])[beatriz.person_id].name
