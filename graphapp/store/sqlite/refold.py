"""Re-deriving the SQLite store's rows from their evidence: relationship counts and dates, people,
organisations and jobs, and the exact undo of an import that rests on it.

Every function here runs inside the caller's open write transaction (see ``SQLiteStore``). A source
is a file's content and row: evidence rows of the same bytes (a re-import) count once, so each query
joins ``import_files`` for the file's SHA-256.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from graphapp.errors import InputError, NotFound, StoreError
from graphapp.model import ImportRecord, ImportStatus
from graphapp.store import codec
from graphapp.store.base import chunked
from graphapp.store.folds import first_per_source
from graphapp.store.sqlite.rows import (
    _CHUNK,
    refresh_person_keys,
    select_in,
    upsert_orgs,
    upsert_people,
)

# This import's evidence: its rows name one of the import's files as their content.
OF_IMPORT = "content_id IN (SELECT id FROM import_files WHERE import_id = ?)"


_FOLDED = ("count_out", "count_in", "first_seen", "last_interaction", "profession")  # what fold_interactions reads


def _interaction_snapshots(conn: sqlite3.Connection, pks: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    """The evidence snapshots of these relationships (only what ``codec.fold_interactions`` reads), one
    per source row (the first written), in the order written: ``folds.first_per_source``, done by SQLite."""
    first_per_source = """SELECT min(e.pk) FROM evidence e CROSS JOIN import_files f ON f.id = e.content_id
                          WHERE e.subject = 'relationship' AND e.subject_pk IN ({marks})
                          GROUP BY e.subject_pk, f.sha256, e.row, e.fact"""
    fields = ", ".join(f"json_extract(snapshot, '$.{name}')" for name in _FOLDED)
    snaps: dict[int, list[dict[str, Any]]] = {}
    try:
        rows = select_in(conn, f"SELECT subject_pk, {fields} FROM evidence WHERE pk IN ({first_per_source}) ORDER BY pk", pks)
    except sqlite3.OperationalError:  # an SQLite built without JSON functions
        rows = select_in(conn, f"SELECT subject_pk, snapshot FROM evidence WHERE pk IN ({first_per_source}) ORDER BY pk", pks)
        for pk, snapshot in rows:
            snaps.setdefault(pk, []).append(json.loads(snapshot))
        return snaps
    for pk, *values in rows:
        snaps.setdefault(pk, []).append(dict(zip(_FOLDED, values, strict=True)))
    return snaps


def refold_relationships(conn: sqlite3.Connection, pks: Iterable[int]) -> None:
    """Re-derive relationships' counts, dates and profession from their evidence, one snapshot per
    source row; rows that come out unchanged are left alone."""
    snaps = _interaction_snapshots(conn, sorted(set(pks)))
    sql = "SELECT pk, count_out, count_in, first_seen, last_interaction, profession FROM relationships WHERE pk IN ({marks})"
    stored = {r[0]: r[1:] for r in select_in(conn, sql, list(snaps))}
    updates = []
    for pk, found in snaps.items():
        agg = codec.fold_interactions(found)
        values = (agg["count_out"], agg["count_in"], agg["first_seen"], agg["last_interaction"], agg["profession"])
        if stored.get(pk) != values:
            updates.append((*values, pk))
    conn.executemany(
        """UPDATE relationships SET count_out = ?, count_in = ?, first_seen = ?, last_interaction = ?,
           profession = ? WHERE pk = ?""",
        updates,
    )


def refold_entities(conn: sqlite3.Connection, subject: str, pks: list[int]) -> None:
    """Rebuild people or organisations from the evidence that remains (in import order)."""
    sql = f"""SELECT e.subject_pk, f.sha256, e.row, e.fact, e.snapshot FROM evidence e
              CROSS JOIN import_files f ON f.id = e.content_id CROSS JOIN imports i ON i.id = f.import_id
              WHERE e.subject = '{subject}' AND e.subject_pk IN ({{marks}}) ORDER BY i.seq, e.pk"""
    from_dict = codec.person_from_dict if subject == "person" else codec.org_from_dict
    table = "people" if subject == "person" else "organizations"
    ids = dict(select_in(conn, f"SELECT pk, id FROM {table} WHERE pk IN ({{marks}})", pks))
    folded = []
    for pk, snaps in first_per_source(select_in(conn, sql, pks)).items():
        # A snapshot keeps the id it was asserted under; after a merge the subject's id is another.
        value = from_dict({**snaps[0], "id": ids[pk]})
        for snap in snaps[1:]:
            value = value.merged_with(from_dict({**snap, "id": ids[pk]}))
        folded.append(value)
    (upsert_people if subject == "person" else upsert_orgs)(conn, folded)


def refold_employments(conn: sqlite3.Connection, pks: list[int]) -> None:
    """Re-derive a job's title, end, current flag and last-seen date from its remaining evidence."""
    sql = """SELECT e.subject_pk, f.sha256, e.row, e.fact, e.snapshot FROM evidence e
             CROSS JOIN import_files f ON f.id = e.content_id CROSS JOIN imports i ON i.id = f.import_id
             WHERE e.subject = 'employment' AND e.subject_pk IN ({marks}) ORDER BY i.seq, e.pk"""
    updates = []
    for pk, snaps in first_per_source(select_in(conn, sql, pks)).items():
        jobs = [codec.employment_from_dict(s) for s in snaps]
        seen = [j.as_of for j in jobs if j.as_of]
        title = next((j.title for j in reversed(jobs) if j.title), None)
        end = next((j.end for j in reversed(jobs) if j.end), None)
        updates.append((title, codec.iso(end), jobs[-1].current, codec.iso(max(seen)) if seen else None, pk))
    conn.executemany("UPDATE employments SET title = ?, end_date = ?, current = ?, as_of = ? WHERE pk = ?", updates)


def undo_import(conn: sqlite3.Connection, import_id: str) -> ImportRecord:
    """Remove an import's evidence and whatever only it supported; re-fold the rest."""
    row = conn.execute("SELECT * FROM imports WHERE id = ?", (import_id,)).fetchone()
    if row is None:
        raise NotFound(f"No import with id {import_id}; `graphapp imports` lists them.")
    record = codec.import_from_row(dict(row))
    if record.status is not ImportStatus.COMMITTED:
        raise InputError(f"Import {import_id} was already {record.status.value}; nothing to undo.")
    touched: dict[str, list[int]] = {}
    for subject, pk in conn.execute(f"SELECT DISTINCT subject, subject_pk FROM evidence WHERE {OF_IMPORT}", (import_id,)):
        touched.setdefault(subject, []).append(pk)
    joined = [r[0] for r in conn.execute(
        f"SELECT DISTINCT subject_pk FROM evidence WHERE {OF_IMPORT} AND subject = 'person' AND fact = 'rep'", (import_id,))]
    conn.execute(f"DELETE FROM evidence WHERE {OF_IMPORT}", (import_id,))
    for pk in joined:  # a rep this import brought leaves with it, unless another import also brought them
        conn.execute("""DELETE FROM reps WHERE person_pk = ? AND NOT EXISTS (SELECT 1 FROM evidence
                        WHERE subject = 'person' AND subject_pk = ? AND fact = 'rep')""", (pk, pk))
    orphan = "NOT EXISTS (SELECT 1 FROM evidence e WHERE e.subject = '{0}' AND e.subject_pk = {1}.pk)"
    rel_pks, emp_pks = touched.get("relationship", []), touched.get("employment", [])
    for table, subject, pks in (("relationships", "relationship", rel_pks), ("employments", "employment", emp_pks)):
        for part in chunked(pks, _CHUNK):
            marks = ",".join("?" * len(part))
            conn.execute(f"DELETE FROM {table} WHERE pk IN ({marks}) AND {orphan.format(subject, table)}", part)
    refold_relationships(conn, rel_pks)
    people = touched.get("person", [])
    for part in chunked(people, _CHUNK):
        marks = ",".join("?" * len(part))
        conn.execute(
            f"""DELETE FROM people WHERE pk IN ({marks}) AND {orphan.format('person', 'people')}
                AND NOT EXISTS (SELECT 1 FROM reps WHERE person_pk = people.pk)
                AND NOT EXISTS (SELECT 1 FROM relationships WHERE source_pk = people.pk OR target_pk = people.pk)
                AND NOT EXISTS (SELECT 1 FROM employments WHERE person_pk = people.pk)""",
            part,
        )
    orgs = touched.get("organization", [])
    for part in chunked(orgs, _CHUNK):
        marks = ",".join("?" * len(part))
        conn.execute(
            f"""DELETE FROM organizations WHERE pk IN ({marks}) AND {orphan.format('organization', 'organizations')}
                AND NOT EXISTS (SELECT 1 FROM employments WHERE org_pk = organizations.pk)""",
            part,
        )
    refold_entities(conn, "person", people)
    refold_entities(conn, "organization", orgs)
    refold_employments(conn, emp_pks)
    affected = people + [r[0] for r in select_in(conn, "SELECT person_pk FROM employments WHERE pk IN ({marks})", emp_pks)]
    refresh_person_keys(conn, [pk for pk in affected if conn.execute("SELECT 1 FROM people WHERE pk = ?", (pk,)).fetchone()])
    conn.execute("UPDATE imports SET status = ? WHERE id = ?", (ImportStatus.UNDONE.value, import_id))
    if conn.execute("PRAGMA foreign_key_check").fetchone():
        raise StoreError(f"Undoing import {import_id} would break references; nothing was changed.")
    return ImportRecord(**{**record.__dict__, "status": ImportStatus.UNDONE})
