"""``graphapp sync``: copy a whole store between SQLite and Neo4j (either way), verified.

A copy carries everything: people, organisations, reps, jobs and relationships with their row ids
(``pk``, so both stores order the graph the same way and rank identically), every import and every piece
of evidence (so undo and provenance keep working on the copy), the team's saved settings,
introduction requests, "different people" decisions and the suppression list (with the salt its hashes were
made with, so a forgotten person stays blocked on the copy). The target must be empty. The copy is checked by the store counts and the
content digest (:mod:`graphapp.store.digest`); a copy into Neo4j that fails midway is deleted again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphapp.domain.duplicates import KeptApart
from graphapp.domain.identity import fold_text
from graphapp.errors import InputError, StoreError
from graphapp.model import IntroRequest
from graphapp.store.base import GraphStore, SyncResult
from graphapp.store.neo4j import cypher as cy
from graphapp.store.neo4j import work as neo4j_work
from graphapp.store.neo4j.store import Neo4jStore
from graphapp.store.sqlite import audit as sqlite_audit
from graphapp.store.sqlite import decisions as sqlite_decisions
from graphapp.store.sqlite import rows as sqlite_rows
from graphapp.store.sqlite import team as sqlite_team

_SQLITE_DUMP = {
    "imports": "SELECT id, time, actor, kind, status, files, counts, seq FROM imports ORDER BY seq",
    "people": "SELECT pk, id, name, linkedin_url, title, location, lists FROM people ORDER BY pk",
    "orgs": "SELECT pk, id, name, flags, lists, target_owner, priority FROM organizations ORDER BY pk",
    "reps": "SELECT email, person_pk, role FROM reps ORDER BY email",
    "jobs": "SELECT pk, person_pk, org_pk, start, end_date, title, current, as_of FROM employments ORDER BY pk",
    "ties": """SELECT pk, source_pk, target_pk, kind, owner, visibility, profession, first_seen, last_interaction,
                      count_out, count_in, strength_override FROM relationships ORDER BY pk""",
    "evidence": """SELECT e.pk, f.import_id, e.subject, e.subject_pk, f.name AS file, f.sha256, e.row, e.fact, e.owner,
                          e.snapshot FROM evidence e JOIN import_files f ON f.id = e.file_id ORDER BY e.pk""",
}
_NEO4J_DUMP = {
    "imports": cy.LIST_IMPORTS,
    "people": cy.SNAPSHOT_PEOPLE,
    "orgs": cy.SNAPSHOT_ORGS,
    "reps": cy.SNAPSHOT_REPS,
    "jobs": cy.SNAPSHOT_JOBS,
    "ties": cy.SNAPSHOT_TIES,
    "evidence": cy.DUMP_EVIDENCE,
}


@dataclass
class StoreDump:
    """Every row of a store, in pk order (imports in their order), as plain dicts."""

    tables: dict[str, list[dict[str, Any]]]
    settings: dict[str, str] = field(default_factory=dict)
    intros: list[IntroRequest] = field(default_factory=list)
    kept_apart: list[KeptApart] = field(default_factory=list)
    salt: str | None = None  # the audit log's and the suppression list's
    suppressed: list[tuple[str, str, str]] = field(default_factory=list)  # (hash, time, actor)


def dump_store(store: GraphStore) -> StoreDump:
    """Read every row of a SQLite or Neo4j store."""
    if isinstance(store, Neo4jStore):
        tables = {name: store._rows(query) for name, query in _NEO4J_DUMP.items()}
        tables["imports"].reverse()  # listed newest first
        salt = next((r["salt"] for r in store._rows(cy.SALT)), None)
    else:
        conn = sqlite3.connect(f"file:{Path(store.location).resolve()}?mode=ro", uri=True)
        conn.row_factory = sqlite3.Row
        try:
            tables = {name: [dict(r) for r in conn.execute(sql)] for name, sql in _SQLITE_DUMP.items()}
            salt = sqlite_audit.salt(conn, create=False)
        finally:
            conn.close()
    for job in tables["jobs"]:
        job["current"] = bool(job["current"])
    return StoreDump(tables, store.saved_settings(), store.list_intros(), store.kept_apart(), salt,
                     store.list_suppressed())


def sync_stores(source: GraphStore, target: GraphStore, progress: Callable[[str], None] | None = None) -> SyncResult:
    """Copy ``source`` into the empty ``target`` and verify the copy.

    Raises:
        InputError: the target already holds data.
        StoreError: the copy does not match (counts or digest); a partial Neo4j copy is deleted.
    """
    say = progress or (lambda _m: None)
    counts = target.counts()
    if counts.people or counts.organizations or counts.imports or target.list_imports():
        raise InputError(f"{target.location} already holds data ({counts.people:,} people, {counts.imports:,} imports); "
                         "sync copies into an empty store only.")
    say(f"Reading {source.location}")
    dump = dump_store(source)
    say(f"Writing {sum(len(rows) for rows in dump.tables.values()):,} rows to {target.location}")
    try:
        if isinstance(target, Neo4jStore):
            load_neo4j(target, dump)
        else:
            load_sqlite(target, dump)
    except BaseException:
        if isinstance(target, Neo4jStore):
            target.delete_everything()
        raise
    say("Verifying the copy")
    want, got = source.counts().as_dict(), target.counts().as_dict()
    digest = source.digest()
    if want != got or target.digest() != digest:
        raise StoreError(f"The copy in {target.location} does not match {source.location} "
                         f"(counts {got} against {want}, or the content digest); nothing was verified.")
    return SyncResult(source.location, target.location, want, digest)


# -- into Neo4j ---------------------------------------------------------------------------------------------
def load_neo4j(store: Any, dump: StoreDump) -> None:
    """Write a dump into an empty Neo4j store, one managed transaction per batch of rows."""
    t = dump.tables
    b = store._batch

    def each(query: str, rows: list[dict[str, Any]], **params: Any) -> None:
        for part in cy.batches(rows, b):
            store._sessions.write(lambda tx, part=part: tx.run(query, {"rows": part, **params}).data())

    each(cy.UPSERT_PEOPLE, [{**r, "folded": fold_text(r["name"])} for r in t["people"]])
    each(cy.UPSERT_ORGS, [{**r, "folded": fold_text(r["name"])} for r in t["orgs"]])
    each(cy.ADD_REPS, t["reps"])
    each(cy.CREATE_JOBS, t["jobs"])
    each(cy.CREATE_TIES, t["ties"])
    each(cy.LOAD_IMPORTS, t["imports"])
    each(cy.LOAD_EVIDENCE, t["evidence"])
    top = max([0] + [r["pk"] for name in ("people", "orgs", "jobs", "ties", "evidence") for r in t[name]])
    seq = max([0] + [r["seq"] or 0 for r in t["imports"]])

    def finish(work: Any) -> None:
        work.next_pk, work.next_seq = max(work.next_pk, top + 1), max(work.next_seq, seq + 1)
        neo4j_work.refresh_person_keys(work, [r["pk"] for r in t["people"]])
        neo4j_work.refresh_org_keys(work, {r["pk"]: neo4j_work.org_from_row(r) for r in t["orgs"]})

    store._work(finish)
    if dump.settings:
        store.save_settings(dump.settings)
    store.add_intros(dump.intros)
    for decision in dump.kept_apart:
        store.keep_apart(decision)
    if dump.salt:
        store._sessions.write(lambda tx: tx.run(cy.SET_SALT, {"salt": dump.salt}).data())
        each(cy.SUPPRESS, [{"hash": h, "time": time, "actor": actor} for h, time, actor in dump.suppressed])


# -- into SQLite --------------------------------------------------------------------------------------------
def load_sqlite(store: Any, dump: StoreDump) -> None:
    """Write a dump into an empty SQLite store in one transaction."""
    t = dump.tables
    with store.write_transaction() as conn:
        conn.executemany("INSERT INTO people (pk, id, name, linkedin_url, title, location, lists) VALUES "
                         "(:pk, :id, :name, :linkedin_url, :title, :location, :lists)", t["people"])
        conn.executemany("INSERT INTO organizations (pk, id, name, flags, lists, target_owner, priority) VALUES "
                         "(:pk, :id, :name, :flags, :lists, :target_owner, :priority)", t["orgs"])
        conn.executemany("INSERT INTO reps (email, person_pk, role) VALUES (:email, :person_pk, :role)", t["reps"])
        conn.executemany("INSERT INTO employments (pk, person_pk, org_pk, start, end_date, title, current, as_of) "
                         "VALUES (:pk, :person_pk, :org_pk, :start, :end_date, :title, :current, :as_of)", t["jobs"])
        conn.executemany(
            """INSERT INTO relationships (pk, source_pk, target_pk, kind, owner, visibility, profession, first_seen,
               last_interaction, count_out, count_in, strength_override) VALUES (:pk, :source_pk, :target_pk, :kind,
               :owner, :visibility, :profession, :first_seen, :last_interaction, :count_out, :count_in,
               :strength_override)""", t["ties"])
        conn.executemany("INSERT INTO imports (id, seq, time, actor, kind, status, files, counts) VALUES "
                         "(:id, :seq, :time, :actor, :kind, :status, :files, :counts)", t["imports"])
        files: dict[tuple[str, str, str], int] = {}
        contents: dict[tuple[str, str], int] = {}
        rows = []
        for e in t["evidence"]:
            key = (e["import_id"], e["sha256"], e["file"])
            if key not in files:
                files[key] = conn.execute("INSERT INTO import_files (import_id, name, sha256) VALUES (?, ?, ?) "
                                          "RETURNING id", (e["import_id"], e["file"], e["sha256"])).fetchone()[0]
            content = contents.setdefault((e["import_id"], e["sha256"]), files[key])
            rows.append((e["pk"], e["subject"], e["subject_pk"], files[key], content, e["row"], e["fact"], e["owner"],
                         e["snapshot"]))
        conn.executemany("INSERT INTO evidence (pk, subject, subject_pk, file_id, content_id, row, fact, owner, "
                         "snapshot) VALUES (?,?,?,?,?,?,?,?,?)", rows)
        sqlite_rows.refresh_person_keys(conn, [r["pk"] for r in t["people"]])
        sqlite_rows.refresh_org_keys(conn, {pk: org for pk, org in sqlite_rows.load_orgs(conn, [r["id"] for r in t["orgs"]]).values()})
        sqlite_team.save_settings(conn, dump.settings)
        for intro in reversed(dump.intros):
            sqlite_team.add_intro(conn, intro)
        for decision in dump.kept_apart:
            sqlite_decisions.keep_apart(conn, decision)
        if dump.salt:
            sqlite_audit.set_salt(conn, dump.salt)
            conn.executemany("INSERT OR IGNORE INTO suppressed (hash, time, actor) VALUES (?, ?, ?)", dump.suppressed)


__all__ = ["StoreDump", "SyncResult", "dump_store", "sync_stores"]
