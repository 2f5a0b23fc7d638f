"""Import page in a real browser: upload the LinkedIn archive, look at its members, import, read the report."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from graphapp import service
from graphapp.store.sqlite.store import open_sqlite
from tests.ingest.helpers import SAMPLES

pytestmark = pytest.mark.e2e  # a real browser: `pytest -m e2e`, or scripts/test

ZIP = SAMPLES / "Basic_LinkedInDataExport_09-16-2025.zip"
THEO = "theo.marchbanks@tidewell.example.com"


def test_upload_the_linkedin_archive_then_import_and_read_the_report(app_server, page, tmp_path):
    page.goto(f"{app_server.url}/import")
    expect(page.get_by_text("Choose one or more files above")).to_be_visible()
    expect(page.get_by_text("No imports yet.")).to_be_visible()

    owner = page.get_by_role("textbox", name="Their e-mail")  # an empty team: the rep is someone new
    owner.fill(THEO)
    owner.press("Enter")
    page.get_by_test_id("stFileUploader").locator("input[type=file]").set_input_files(str(ZIP))
    members = page.get_by_test_id("stTable").first  # the archive's files, each with what it is read as
    expect(members).to_contain_text("LinkedIn Connections.csv")
    expect(members).to_contain_text("LinkedIn Company Follows.csv")
    with open_sqlite(app_server.db, create=False) as store:
        assert store.counts().imports == 0  # looking imports nothing

    started = time.perf_counter()
    page.get_by_role("button", name="Import 1 file").click()
    # samples/README.md: Connections 395 accepted + 5 rejected, messages 11 + 2, the other six files 21 + 0.
    expect(page.get_by_text("Imported 427 of 434 rows:")).to_be_visible(timeout=60_000)
    took = time.perf_counter() - started

    with open_sqlite(app_server.db, create=False) as store:
        counts = store.counts()
        reps = [r.email for r in store.list_reps()]
    assert counts.imports == 1 and reps == [THEO]
    metrics = page.get_by_test_id("stMetric")
    expect(metrics.filter(has_text="Rows read")).to_contain_text("434")
    expect(metrics.filter(has_text="Rows rejected")).to_contain_text("7")
    expect(metrics.filter(has_text="New people")).to_contain_text(f"{counts.people:,}")
    expect(metrics.filter(has_text="New relationships")).to_contain_text(f"{counts.relationships:,}")
    expect(metrics.filter(has_text="People already known")).to_contain_text("0")
    expect(page.get_by_text("Rejected rows (7)")).to_be_visible()
    with service.open_graph(str(tmp_path / "same.db")) as other:  # the same import outside the app
        same = service.import_files(other, [ZIP], owner=THEO)
    assert same.merges_made == len(same.merges) > 0  # the archive's files name the same people
    expect(page.get_by_text(f"Recognised as one person ({same.merges_made:,})")).to_be_visible()
    expect(page.get_by_test_id("stDownloadButton")).to_contain_text("Download the rejected rows (CSV)")
    expect(page.get_by_text("Import history")).to_be_visible()
    print(f"\nE2E import: LinkedIn archive imported and reported in {took:.2f}s")
    assert page.get_by_text("Traceback").count() == 0


def test_a_file_we_cannot_import_is_refused_in_words_beside_its_name(app_server, page, tmp_path):
    """Issue 23: the uploader takes any file (no red chip with the reason on hover); the page says why."""
    notes = tmp_path / "notes.txt"
    notes.write_text("call Ann on Tuesday\nbring the samples\n", encoding="utf-8")
    page.goto(f"{app_server.url}/import")
    owner = page.get_by_role("textbox", name="Their e-mail")
    owner.fill(THEO)
    owner.press("Enter")
    page.get_by_test_id("stFileUploader").locator("input[type=file]").set_input_files(str(notes))
    refusal = page.get_by_test_id("stAlertContentError").filter(has_text="Cannot import this file.")
    expect(refusal).to_contain_text("notes.txt: no columns found")
    expect(page.get_by_text("None of these files can be imported as they are")).to_be_visible()
    expect(page.get_by_role("button", name="Import 0 files")).to_be_disabled()
