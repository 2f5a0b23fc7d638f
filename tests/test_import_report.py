"""The import report counts what happened (issue 23, point 5): rows read and rejected, new people and
people already known (and how each was recognised), new relationships and relationships already known;
a re-import says "Nothing new" with everyone counted as known. The CLI prints the same sentence."""

from __future__ import annotations

import pytest

from graphapp import service
from graphapp.cli.main import _import_summary

DANA = "dana.whitfield@example.com"
FIRST = (b"Name,Email,Company\n"
         b"Ann Lee,ann.lee@example.com,Lee Ltd\n"
         b"Bo Chan,bo.chan@example.com,Chan Co\n"
         b"Cy Park,,Park Inc\n")
LATER = (b"Name,Email,Company\n"  # another export: Ann by e-mail, Cy by name and company, Di new, a bad row
         b"Ann Lee,ann.lee@example.com,Lee Ltd\n"
         b"Cy Park,,Park Inc\n"
         b"Di Ng,di.ng@example.com,Ng Ltd\n"
         b",,Nobody Ltd\n")


@pytest.fixture
def store(tmp_path):
    with service.open_graph(str(tmp_path / "report.db")) as s:
        yield s


def test_a_first_import_counts_everyone_as_new(store):
    report = service.import_uploads(store, [("first.csv", FIRST)], owner=DANA)
    assert report.figures() == {"Rows read": 3, "Rows rejected": 0, "New people": 4, "People already known": 0,
                                "New relationships": 3, "Relationships already known": 0, "New organisations": 3}
    assert report.people_known_by == () and report.known_how() == ""
    assert report.headline() == ("Imported 3 of 3 rows: 4 new people and 0 already known, 3 new relationships "
                                 "and 0 already known, 3 new organisations.")  # the fourth person: Dana, the rep


def test_a_later_export_counts_the_people_already_known_and_how_they_were_recognised(store):
    service.import_uploads(store, [("first.csv", FIRST)], owner=DANA)
    report = service.import_uploads(store, [("later.csv", LATER)], owner=DANA)
    assert (report.rows_read, report.rows_accepted, report.rows_rejected) == (4, 3, 1)
    assert (report.people_added, report.people_known) == (1, 2)
    assert report.people_known_by == (("by e-mail address", 1), ("by name and company", 1))
    assert (report.relationships_added, report.relationships_known) == (1, 2)
    assert report.headline() == ("Imported 3 of 4 rows: 1 new person and 2 already known, 1 new relationship and "
                                 "2 already known, 1 new organisation. 1 row was rejected.")
    assert store.counts().people == 5


def test_the_same_file_again_says_nothing_new_and_counts_everyone_as_known(store):
    service.import_uploads(store, [("first.csv", FIRST)], owner=DANA)
    service.import_uploads(store, [("later.csv", LATER)], owner=DANA)
    before = store.counts()
    again = service.import_uploads(store, [("later.csv", LATER)], owner=DANA)
    after = store.counts()
    assert (after.people, after.relationships, after.organizations) == (before.people, before.relationships,
                                                                        before.organizations)
    assert again.added_nothing
    assert again.figures() == {"Rows read": 4, "Rows rejected": 1, "New people": 0, "People already known": 3,
                               "New relationships": 0, "Relationships already known": 3, "New organisations": 0}
    assert again.known_how() == "2 by e-mail address, 1 by name and company"
    assert again.merges == () and again.people_merged == 0  # nobody was matched anew: no "0 matched" to show
    assert again.headline() == ("Nothing new: the 3 rows imported name 3 people and 3 relationships the graph "
                                "already held; this import added its evidence to them. 1 row was rejected.")
    printed = _import_summary(again)  # the CLI says the same
    assert f"Import {again.import_id}: {again.headline()}" in printed
    assert ("  rows read 4, rows rejected 1, new people 0, people already known 3, new relationships 0, "
            "relationships already known 3, new organisations 0") in printed.splitlines()
    assert "  people already known, recognised 2 by e-mail address, 1 by name and company" in printed.splitlines()


def test_nothing_imported_says_so(store):
    report = service.import_uploads(store, [("empty.csv", b"")], owner=DANA)
    assert not report.committed and report.headline() == "Nothing was imported."
    assert _import_summary(report).endswith("Nothing was imported.")
