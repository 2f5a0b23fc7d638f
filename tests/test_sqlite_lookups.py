"""The SQLite store's bulk lookups (people and organisations by key, the sources of people) answer the
same whether they search the index once per value or read the whole table in one pass, which they do
when asked about most of the store (a re-import): see ``sqlite_rows.SCAN_SHARE``."""

from __future__ import annotations

import shutil
import sqlite3

from graphapp import service
from graphapp.store.sqlite import rows as sqlite_rows
from graphapp.store.sqlite.store import open_sqlite
from tests.ingest.helpers import SAMPLES

ALWAYS_SCAN, ALWAYS_SEARCH = 0, 10**9


def test_a_search_per_key_and_one_pass_give_the_same_answers(demo_file, tmp_path, monkeypatch):
    shutil.copy(demo_file, tmp_path / "g.db")
    store = open_sqlite(tmp_path / "g.db")
    ruth, theo = "ruth.okonjo@tidewell.example.com", "theo.marchbanks@tidewell.example.com"
    service.import_files(store, [SAMPLES / "linkedin_second_rep/Connections.csv"], owner=ruth)
    service.import_files(store, [SAMPLES / "hubspot_contacts.csv"], owner=theo)  # people of two files
    db = sqlite3.connect(tmp_path / "g.db")
    person_keys = [k for (k,) in db.execute("SELECT DISTINCT key FROM person_keys")] + ["email:nobody@example.com"]
    org_keys = [k for (k,) in db.execute("SELECT DISTINCT key FROM org_keys")] + ["domain:nowhere.example.com"]
    ids = [i for (i,) in db.execute("SELECT id FROM people")] + ["p_nobody"]
    answers = {}
    for share in (ALWAYS_SCAN, ALWAYS_SEARCH):
        monkeypatch.setattr(sqlite_rows, "SCAN_SHARE", share)
        answers[share] = (store.people_by_keys(person_keys), store.organizations_by_keys(org_keys),
                          store.sources_of_people(ids), store.people_by_keys(person_keys[:5]))
    assert answers[ALWAYS_SCAN] == answers[ALWAYS_SEARCH]

    people, orgs, sources, few = answers[ALWAYS_SCAN]
    assert len(people) == len(person_keys) - 1 and len(orgs) == len(org_keys) - 1 and len(few) == 5
    shared = {k: v for k, v in people.items() if len(v) > 1}  # a name at a company that two people have
    assert shared
    pk_of = dict(db.execute("SELECT id, pk FROM people"))
    assert all([pk_of[i] for i in v] == sorted(pk_of[i] for i in v) for v in shared.values())  # oldest first
    assert len(sources) == len(ids) - 1
    assert {len(files) for files in sources.values()} == {1, 2}  # one file, or the two that merged them
    store.close()


def test_every_persons_sources_in_one_pass_are_those_asked_about_each(demo_file, tmp_path, monkeypatch):
    """``every_person_sources`` streams what ``sources_of_people`` answers, for every person, when the
    import asks about most of the store; and is None (ask in blocks) when it asks about a few."""
    shutil.copy(demo_file, tmp_path / "g.db")
    store = open_sqlite(tmp_path / "g.db")
    service.import_files(store, [SAMPLES / "linkedin_second_rep/Connections.csv"], owner="ruth.okonjo@tidewell.example.com")
    service.import_files(store, [SAMPLES / "hubspot_contacts.csv"], owner="theo.marchbanks@tidewell.example.com")
    ids = list(store.read_snapshot().person_ids)
    monkeypatch.setattr(sqlite_rows, "SCAN_SHARE", ALWAYS_SEARCH)
    assert store.every_person_sources(len(ids)) is None
    asked = store.sources_of_people(ids)
    monkeypatch.setattr(sqlite_rows, "SCAN_SHARE", 0.5)
    assert store.every_person_sources(len(ids) // 3) is None
    streamed = list(store.every_person_sources(len(ids)))
    assert len(streamed) == len({pid for pid, _ in streamed}) == len(asked) > 100
    assert dict(streamed) == asked
    assert {len(files) for _, files in streamed} == {1, 2}  # one file, or the two that merged them
    store.close()
