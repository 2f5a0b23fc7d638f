"""Correcting identity in the SQLite store: merge two people into one, split one back into several.

Both run inside the caller's write transaction and keep provenance: evidence moves with the facts it
asserts, so later undos and re-folds stay exact.
"""

from __future__ import annotations

import json
import sqlite3

from graphapp.domain.identity import stable_id
from graphapp.errors import InputError, NotFound
from graphapp.store.folds import strong_key_groups
from graphapp.store.sqlite.refold import refold_employments, refold_entities, refold_relationships
from graphapp.store.sqlite.rows import refresh_person_keys, select_in


def merge_people(conn: sqlite3.Connection, keep_id: str, gone_id: str) -> None:
    """Fold person ``gone_id`` into ``keep_id``: evidence, relationships, jobs and rep role move over.

    Raises:
        NotFound: either person is unknown.
        InputError: both are reps, or their LinkedIn URLs differ.
    """
    rows = {r[1]: r for r in conn.execute("SELECT pk, id, linkedin_url FROM people WHERE id IN (?, ?)", (keep_id, gone_id))}
    for pid in (keep_id, gone_id):
        if pid not in rows:
            raise NotFound(f"No person with id {pid}.")
    keep, gone = rows[keep_id][0], rows[gone_id][0]
    if keep == gone:
        return
    urls = {rows[keep_id][2], rows[gone_id][2]} - {None}
    if len(urls) > 1:
        raise InputError(f"{keep_id} and {gone_id} have different LinkedIn profiles; they are two people.")
    reps = [r[0] for r in conn.execute("SELECT person_pk FROM reps WHERE person_pk IN (?, ?)", (keep, gone))]
    if len(reps) == 2:
        raise InputError(f"{keep_id} and {gone_id} are both reps; remove one from the team first.")
    conn.execute("UPDATE reps SET person_pk = ? WHERE person_pk = ?", (keep, gone))
    conn.execute("UPDATE evidence SET subject_pk = ? WHERE subject = 'person' AND subject_pk = ?", (keep, gone))
    touched = _repoint(conn, "relationships", "relationship", ("source_pk", "target_pk"), keep, gone,
                       "(source_pk, target_pk, kind, owner)")
    refold_relationships(conn, touched)
    jobs = _repoint(conn, "employments", "employment", ("person_pk",), keep, gone, "(person_pk, org_pk, start)")
    refold_employments(conn, jobs)
    conn.execute("DELETE FROM people WHERE pk = ?", (gone,))
    refold_entities(conn, "person", [keep])
    refresh_person_keys(conn, [keep])


def _repoint(conn: sqlite3.Connection, table: str, subject: str, columns: tuple[str, ...], keep: int, gone: int,
             key: str) -> list[int]:
    """Move rows of ``table`` from person ``gone`` to ``keep``; a row that then duplicates another hands
    its evidence over and goes; a relationship that would join the person to themself goes."""
    touched: list[int] = []
    where = " OR ".join(f"{c} = ?" for c in columns)
    for (pk,) in conn.execute(f"SELECT pk FROM {table} WHERE {where}", [gone] * len(columns)).fetchall():
        for column in columns:
            conn.execute(f"UPDATE OR IGNORE {table} SET {column} = ? WHERE pk = ? AND {column} = ?", (keep, pk, gone))
        still = conn.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE pk = ?", (pk,)).fetchone()
        if gone not in tuple(still) and not (table == "relationships" and still[0] == still[1]):
            touched.append(pk)
            continue
        twin = conn.execute(
            f"SELECT t.pk FROM {table} t, {table} o WHERE o.pk = ? AND t.pk <> o.pk AND "
            + " AND ".join(f"t.{c} = (CASE WHEN o.{c} = ? THEN ? ELSE o.{c} END)" for c in key.strip("()").split(", ")),
            [pk, *[v for _ in key.split(", ") for v in (gone, keep)]],
        ).fetchone()
        if twin:
            conn.execute(f"UPDATE OR IGNORE evidence SET subject_pk = ? WHERE subject = '{subject}' AND subject_pk = ?", (twin[0], pk))
            touched.append(twin[0])
        conn.execute(f"DELETE FROM evidence WHERE subject = '{subject}' AND subject_pk = ?", (pk,))
        conn.execute(f"DELETE FROM {table} WHERE pk = ?", (pk,))
    return touched


def split_person(conn: sqlite3.Connection, person_id: str) -> list[str]:
    """Undo merges: regroup a person's evidence by strong keys (LinkedIn URL, e-mails) into separate people.

    The group with the oldest evidence keeps the id; relationships and jobs follow the group whose
    source rows asserted them. Returns the ids of all resulting people (the kept one first).

    Raises:
        NotFound: unknown person.  InputError: nothing to split (one group only).
    """
    row = conn.execute("SELECT pk FROM people WHERE id = ?", (person_id,)).fetchone()
    if row is None:
        raise NotFound(f"No person with id {person_id}.")
    pk = row[0]
    evidence = conn.execute(
        """SELECT e.pk, f.sha256, e.row, e.snapshot FROM evidence e CROSS JOIN import_files f ON f.id = e.content_id
           CROSS JOIN imports i ON i.id = f.import_id
           WHERE e.subject = 'person' AND e.subject_pk = ? ORDER BY i.seq, e.pk""", (pk,)).fetchall()
    groups = strong_key_groups([(ev_pk, sha, r, json.loads(snap)) for ev_pk, sha, r, snap in evidence])
    if len(groups) < 2:
        raise InputError(f"{person_id} has only one identity in its evidence (no differing e-mails or profiles); nothing to split.")
    ids = [person_id]
    for n, group in enumerate(groups[1:], start=1):
        new_id = stable_id("p", f"split:{person_id}:{n}")
        name = group["snapshots"][0].get("name") or new_id
        new_pk = conn.execute("INSERT INTO people (id, name, lists) VALUES (?, ?, '{}') RETURNING pk", (new_id, name)).fetchone()[0]
        marks = ",".join("?" * len(group["evidence"]))
        conn.execute(f"UPDATE evidence SET subject_pk = ? WHERE pk IN ({marks})", (new_pk, *group["evidence"]))
        _move_by_source(conn, pk, new_pk, group["sources"])
        ids.append(new_id)
    pks = [r[0] for r in select_in(conn, "SELECT pk FROM people WHERE id IN ({marks})", ids)]
    refold_entities(conn, "person", pks)
    refresh_person_keys(conn, pks)
    return ids


def _move_by_source(conn: sqlite3.Connection, old: int, new: int, sources: set[tuple]) -> None:
    """Relationships and jobs of ``old`` asserted only by the given source rows move to ``new``."""
    for table, subject, columns in (("relationships", "relationship", ("source_pk", "target_pk")),
                                    ("employments", "employment", ("person_pk",))):
        where = " OR ".join(f"{c} = ?" for c in columns)
        for (pk,) in conn.execute(f"SELECT pk FROM {table} WHERE {where}", [old] * len(columns)).fetchall():
            rows = {(sha, r) for sha, r in conn.execute(
                f"""SELECT f.sha256, e.row FROM evidence e CROSS JOIN import_files f ON f.id = e.content_id
                    WHERE e.subject = '{subject}' AND e.subject_pk = ?""", (pk,))}
            if rows and rows <= sources:
                for column in columns:
                    conn.execute(f"UPDATE {table} SET {column} = ? WHERE pk = ? AND {column} = ?", (new, pk, old))
