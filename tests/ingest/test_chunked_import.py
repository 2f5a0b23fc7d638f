"""Imports are written in batches of ``resolve_facts.CHUNK_ROWS`` records inside their one transaction:
a file larger than a batch must give exactly what one batch would (people, jobs, relationships,
evidence, the report), and re-importing it must add nothing."""

from __future__ import annotations

import dataclasses

import pytest

from graphapp import service
from graphapp.store.sqlite.store import open_sqlite
from ingest import spool
from ingest.resolve import facts as resolve_facts
from ingest.resolve import people as resolve_people
from tests.ingest.helpers import SAMPLES

THEO, RUTH, SAM = (f"{n}@tidewell.example.com" for n in ("theo.marchbanks", "ruth.okonjo", "sam.petrakis"))
# Every kind of file, in several imports: team sheets (ties that name any row), a LinkedIn archive of
# eight files in one import, CRM and address books merging into known people, a calendar.
PLAN = [
    (["relationships.csv", "targets.csv"], None),
    (["Basic_LinkedInDataExport_09-16-2025.zip"], THEO),
    (["linkedin_second_rep/Connections.csv"], RUTH),
    (["hubspot_contacts.csv", "salesforce_contacts.csv", "salesforce_accounts.csv"], THEO),
    (["google_contacts.csv", "contacts.vcf"], THEO),
    (["outlook_contacts.csv"], SAM),
    (["calendar.ics"], THEO),
]


def import_plan(path, chunk_rows: int, monkeypatch, spool_rows: int = 1_000_000) -> tuple:
    """Run the plan into a new store with batches of ``chunk_rows`` records, the files' records
    spooled to disk every ``spool_rows``; the reports (without their random import ids), the store's
    digest and every person's evidence (imports by order)."""
    monkeypatch.setattr(resolve_facts, "CHUNK_ROWS", chunk_rows)
    monkeypatch.setattr(spool, "BLOCK_ROWS", spool_rows)
    monkeypatch.setattr(resolve_people, "ASK_KEYS", min(spool_rows, 1_000))  # the store asked as often
    store = open_sqlite(path)
    reports, order = [], {}
    for names, owner in PLAN:
        report = service.import_files(store, [SAMPLES / n for n in names], owner=owner)
        assert report.committed
        order[report.import_id] = len(order)
        reports.append(dataclasses.replace(report, import_id=None))
    evidence = {}
    for pid in store.read_snapshot().person_ids:
        keys = [("person", (pid,))] + [("relationship", r.key) for r in store.relationships_of(pid)]
        keys += [("employment", e.key) for e in store.employments_of(pid)]
        for subject, key in keys:
            evidence[(subject, key)] = [(order[e.import_id], e.file, e.fact, e.owner, e.row, e.file_sha256)
                                        for e in store.evidence_of(subject, key)]
    digest = store.digest()
    store.close()
    return reports, digest, evidence


def test_files_larger_than_a_batch_import_exactly_as_in_one_batch(tmp_path, monkeypatch):
    whole = import_plan(tmp_path / "whole.db", 1_000_000, monkeypatch)
    for rows in (1, 7, 64):
        assert import_plan(tmp_path / f"chunks-{rows}.db", rows, monkeypatch) == whole, rows


def test_records_spooled_to_disk_import_exactly_as_records_kept_in_memory(tmp_path, monkeypatch):
    whole = import_plan(tmp_path / "whole.db", 1_000_000, monkeypatch)
    for rows in (1, 5, 64):
        assert import_plan(tmp_path / f"spooled-{rows}.db", 7, monkeypatch, spool_rows=rows) == whole, rows


@pytest.mark.parametrize("name,owner", [("linkedin_second_rep/Connections.csv", RUTH),
                                        ("Basic_LinkedInDataExport_09-16-2025.zip", THEO)])
def test_reimporting_a_file_of_many_batches_adds_nothing_and_undoes_exactly(tmp_path, monkeypatch, name, owner):
    monkeypatch.setattr(resolve_facts, "CHUNK_ROWS", 9)
    store = open_sqlite(tmp_path / "g.db")
    first = service.import_files(store, [SAMPLES / name], owner=owner)
    assert first.people_added > 9 * 3  # several batches
    digest, counts = store.digest(), store.counts()
    again = service.import_files(store, [SAMPLES / name], owner=owner)
    assert (again.people_added, again.organizations_added, again.relationships_added) == (0, 0, 0)
    assert store.digest() == digest and store.counts().people == counts.people
    service.undo_import(store, again.import_id)
    assert store.digest() == digest
    service.undo_import(store, first.import_id)
    assert store.counts().relationships == 0 and store.counts().organizations == 0


def test_records_are_released_as_their_batches_are_written(tmp_path, monkeypatch):
    """Memory follows the batch: once a file's facts are written its records are let go."""
    from graphapp.domain.identity import stable_id
    from graphapp.model import Rep
    from ingest import parse_source
    from ingest.files import read_source
    from ingest.resolve.resolver import resolve

    monkeypatch.setattr(resolve_facts, "CHUNK_ROWS", 50)
    store = open_sqlite(tmp_path / "g.db")
    [parsed] = parse_source(read_source(SAMPLES / "linkedin_second_rep/Connections.csv")).files
    rows = len(parsed.contacts)
    owner = Rep(RUTH, stable_id("p", f"email:{RUTH}"), "Ruth Okonjo")
    resolution = resolve([parsed], store, "i1", owner=owner)
    batches = iter(resolution.batches)
    next(batches)  # organisations, reps, merges
    sizes = [(len(b.people), len(b.relationships)) for b in batches]
    assert len(sizes) >= rows // 50 and max(max(s) for s in sizes) <= 50
    assert sum(people for people, _ in sizes) == rows
    assert parsed.contacts == [] and parsed.ties == []


def test_progress_says_how_far_the_import_has_got(tmp_path, monkeypatch):
    """Every step carries the share of the whole import done; writing goes batch by batch through the
    records, and the share never goes back."""
    monkeypatch.setattr(resolve_facts, "CHUNK_ROWS", 64)
    steps: list[service.Step] = []
    with open_sqlite(tmp_path / "g.db") as store:
        report = service.import_files(store, [SAMPLES / "linkedin_second_rep/Connections.csv"], owner=RUTH,
                                      progress=steps.append)
    assert report.committed
    shares = [s.share for s in steps]
    assert shares == sorted(shares) and shares[0] == 0.0 and 0.9 < shares[-1] < 1.0
    assert [str(s) for s in steps][:3] == ["Reading Connections.csv",
                                           "Read Connections.csv: 250 rows (linkedin-connections)",
                                           "Matching 248 records against the graph"]
    assert steps[-1] == "Saving the import"
    writing = [s for s in steps if s.startswith("Writing records")]
    assert len(writing) == 4 and writing[0] == "Writing records 1-128 of 496"  # 248 contacts (2 rows rejected), 248 ties
    assert writing[-1] == "Writing records 385-496 of 496"


def test_reading_every_key_of_the_store_or_asking_about_each_gives_the_same_import(tmp_path, monkeypatch):
    """A large import reads every person key (and every person's files) of the store in one pass
    instead of asking about each: whichever way, the same people, merges and evidence."""
    from graphapp.store.sqlite import rows as sqlite_rows

    monkeypatch.setattr(sqlite_rows, "SCAN_SHARE", 0)  # every look-up of the plan a pass over the store
    scanned = import_plan(tmp_path / "scanned.db", 1_000_000, monkeypatch)
    monkeypatch.setattr(sqlite_rows, "SCAN_SHARE", 1e9)  # every look-up of the plan a search per key
    asked = import_plan(tmp_path / "asked.db", 1_000_000, monkeypatch)
    assert scanned == asked
    # ... and asked about a few keys and people at a time (resolve_people.ASK_KEYS).
    assert import_plan(tmp_path / "blocks.db", 1_000_000, monkeypatch, spool_rows=3) == asked
