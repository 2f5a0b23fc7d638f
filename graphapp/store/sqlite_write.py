"""Writing to the SQLite store: batched upserts with evidence, and exact undo by re-folding evidence.

Every function here runs inside the caller's open write transaction (see ``SQLiteStore``).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from graphapp.errors import InputError, NotFound, StoreError
from graphapp.identity import org_lookup_keys, person_name_keys
from graphapp.model import (
    Asserted,
    Employment,
    Evidence,
    GraphBatch,
    ImportRecord,
    ImportStatus,
    Organization,
    Person,
    Relationship,
    Rep,
)
from graphapp.store import codec
from graphapp.store.base import BatchWriter, chunked

_CHUNK = 500


def person_keys(person: Person, org_ids: list[str] = ()) -> list[str]:
    """The lookup keys a person is found by: each e-mail, the LinkedIn URL, and each spelling of
    their name at each organisation they worked at."""
    keys = [f"email:{e}" for e in person.emails]
    if person.linkedin_url:
        keys.append(f"linkedin:{person.linkedin_url}")
    return keys + person_name_keys([person.name, *person.name_variants], list(org_ids))


def refresh_person_keys(conn: sqlite3.Connection, pks: Iterable[int]) -> None:
    """Rewrite the lookup keys of these people from their current values and jobs."""
    pks = sorted(set(pks))
    orgs: dict[int, list[str]] = {}
    sql = """SELECT e.person_pk, o.id FROM employments e JOIN organizations o ON o.pk = e.org_pk
             WHERE e.person_pk IN ({marks})"""
    for person_pk, org_id in select_in(conn, sql, pks):
        orgs.setdefault(person_pk, []).append(org_id)
    sql = "SELECT pk, id, name, linkedin_url, title, location, lists FROM people WHERE pk IN ({marks})"
    rows = []
    for r in select_in(conn, sql, pks):
        person = codec.person_from_dict({"id": r[1], "name": r[2], "linkedin_url": r[3], **json.loads(r[6])})
        rows += [(k, r[0]) for k in person_keys(person, orgs.get(r[0], []))]
    for part in chunked(pks, _CHUNK):
        conn.execute(f"DELETE FROM person_keys WHERE person_pk IN ({','.join('?' * len(part))})", part)
    conn.executemany("INSERT OR IGNORE INTO person_keys (key, person_pk) VALUES (?, ?)", rows)


def select_in(conn: sqlite3.Connection, sql: str, values: Sequence) -> list[sqlite3.Row]:
    """Run ``sql`` (with one ``{marks}`` placeholder list) over ``values`` in chunks."""
    rows: list[sqlite3.Row] = []
    for part in chunked(list(values), _CHUNK):
        rows.extend(conn.execute(sql.format(marks=",".join("?" * len(part))), part).fetchall())
    return rows


def _load_people(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, Person]:
    sql = "SELECT id, name, linkedin_url, title, location, lists FROM people WHERE id IN ({marks})"
    found = {}
    for r in select_in(conn, sql, list(dict.fromkeys(ids))):
        lists = json.loads(r[5])
        found[r[0]] = codec.person_from_dict(
            {"id": r[0], "name": r[1], "linkedin_url": r[2], "title": r[3], "location": r[4], **lists}
        )
    return found


def upsert_people(conn: sqlite3.Connection, people: Sequence[Person]) -> dict[str, int]:
    """Write folded people (insert or replace their values) and their lookup keys; id -> pk."""
    pks: dict[str, int] = {}
    for p in people:
        lists = codec.dumps({"name_variants": list(p.name_variants), "emails": list(p.emails), "phones": list(p.phones)})
        pk = conn.execute(
            """INSERT INTO people (id, name, linkedin_url, title, location, lists) VALUES (?, ?, ?, ?, ?, ?)
               ON CONFLICT (id) DO UPDATE SET name = excluded.name, linkedin_url = excluded.linkedin_url,
                 title = excluded.title, location = excluded.location, lists = excluded.lists
               RETURNING pk""",
            (p.id, p.name, p.linkedin_url, p.title, p.location, lists),
        ).fetchone()[0]
        pks[p.id] = pk
    refresh_person_keys(conn, pks.values())
    return pks


def _load_orgs(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, Organization]:
    sql = "SELECT id, name, flags, lists, target_owner, priority FROM organizations WHERE id IN ({marks})"
    found = {}
    for r in select_in(conn, sql, list(dict.fromkeys(ids))):
        flags, lists = r[2], json.loads(r[3])
        found[r[0]] = codec.org_from_dict(
            {"id": r[0], "name": r[1], **lists, "is_customer": flags & 1, "is_target": flags & 2, "is_partner": flags & 4,
             "target_owner": r[4], "priority": r[5]}
        )
    return found


def upsert_orgs(conn: sqlite3.Connection, orgs: Sequence[Organization]) -> dict[str, int]:
    pks: dict[str, int] = {}
    for o in orgs:
        lists = codec.dumps({"aliases": list(o.aliases), "domains": list(o.domains)})
        pk = conn.execute(
            """INSERT INTO organizations (id, name, flags, lists, target_owner, priority) VALUES (?, ?, ?, ?, ?, ?)
               ON CONFLICT (id) DO UPDATE SET name = excluded.name, flags = excluded.flags, lists = excluded.lists,
                 target_owner = excluded.target_owner, priority = excluded.priority
               RETURNING pk""",
            (o.id, o.name, codec.org_flags(o), lists, o.target_owner, o.priority),
        ).fetchone()[0]
        pks[o.id] = pk
        conn.execute("DELETE FROM org_keys WHERE org_pk = ?", (pk,))
        keys = org_lookup_keys([o.name, *o.aliases], list(o.domains))
        conn.executemany("INSERT OR IGNORE INTO org_keys (key, org_pk) VALUES (?, ?)", [(k, pk) for k in keys])
    return pks


class SQLiteWriter(BatchWriter):
    """Writes the batches of one import inside the store's open write transaction."""

    def __init__(self, conn: sqlite3.Connection, record: ImportRecord) -> None:
        self._conn = conn
        self._record = record
        self._added = {"people": 0, "organizations": 0, "employments": 0, "relationships": 0}
        self._person_pk: dict[str, int] = {}
        self._org_pk: dict[str, int] = {}
        self._refold: set[int] = set()  # relationships whose counts must be re-derived from evidence
        if conn.execute("SELECT 1 FROM imports WHERE id = ?", (record.id,)).fetchone():
            raise InputError(f"An import with id {record.id} already exists.")
        row = codec.import_to_row(record)
        seq = conn.execute("SELECT ifnull(max(seq), 0) + 1 FROM imports").fetchone()[0]
        conn.execute(
            "INSERT INTO imports (id, seq, time, actor, kind, status, files, counts) VALUES (?,?,?,?,?,?,?,?)",
            (row["id"], seq, row["time"], row["actor"], row["kind"], ImportStatus.COMMITTED.value, row["files"], "{}"),
        )

    def added(self) -> dict[str, int]:
        return dict(self._added)

    def write(self, batch: GraphBatch) -> None:
        from graphapp.store.sqlite_merge import merge_people

        for gone, keep in batch.merges:
            merge_people(self._conn, keep, gone)
            self._person_pk.pop(gone, None)
        self._write_folded("organization", batch.organizations, _load_orgs, upsert_orgs, self._org_pk)
        self._write_folded("person", batch.people, _load_people, upsert_people, self._person_pk)
        self._write_reps(batch.reps)
        self._write_employments(batch.employments)
        self._write_relationships(batch.relationships)

    def _evidence(self, subject: str, pk: int, ev: Evidence, snapshot: dict[str, Any]) -> tuple:
        if ev.import_id != self._record.id:
            raise InputError(f"Evidence of import {ev.import_id} written inside import {self._record.id}.")
        return (ev.import_id, subject, pk, ev.file, ev.file_sha256, ev.row, ev.fact, ev.owner, codec.dumps(snapshot))

    def _insert_evidence(self, rows: list[tuple]) -> None:
        self._conn.executemany(
            """INSERT OR IGNORE INTO evidence (import_id, subject, subject_pk, file, file_sha256, row, fact, owner, snapshot)
               VALUES (?,?,?,?,?,?,?,?,?)""",
            rows,
        )

    def _write_folded(self, subject, items: Sequence[Asserted], load, upsert, pk_cache: dict[str, int]) -> None:
        if not items:
            return
        current = load(self._conn, [a.value.id for a in items])
        key = "people" if subject == "person" else "organizations"
        self._added[key] += len({a.value.id for a in items} - current.keys())
        seen = self._seen_sources(subject, "people" if subject == "person" else "organizations", items)
        for a in items:
            old = current.get(a.value.id)
            if old and (a.value.id, *a.evidence.source_key) in seen:
                continue  # the same bytes said this before: a re-import is not newer information
            current[a.value.id] = old.merged_with(a.value) if old else a.value
        to_dict = codec.person_to_dict if subject == "person" else codec.org_to_dict
        changed = list(dict.fromkeys(a.value.id for a in items))
        pk_cache.update(upsert(self._conn, [current[i] for i in changed]))
        self._insert_evidence([self._evidence(subject, pk_cache[a.value.id], a.evidence, to_dict(a.value)) for a in items])

    def _seen_sources(self, subject: str, table: str, items: Sequence[Asserted]) -> set[tuple]:
        """(id, file sha, row, fact) of earlier imports' evidence for these items' files."""
        shas = sorted({a.evidence.file_sha256 for a in items})
        sql = f"""SELECT t.id, e.file_sha256, e.row, e.fact FROM evidence e JOIN {table} t ON t.pk = e.subject_pk
                  WHERE e.subject = '{subject}' AND e.import_id <> ? AND e.file_sha256 IN ({{marks}})"""
        seen: set[tuple] = set()
        for part in chunked(shas, _CHUNK):
            seen.update(tuple(r) for r in self._conn.execute(sql.format(marks=",".join("?" * len(part))), [self._record.id, *part]))
        return seen

    def _pks(self, cache: dict[str, int], table: str, ids: Iterable[str]) -> None:
        missing = [i for i in dict.fromkeys(ids) if i not in cache]
        for r in select_in(self._conn, f"SELECT id, pk FROM {table} WHERE id IN ({{marks}})", missing):
            cache[r[0]] = r[1]
        unknown = [i for i in missing if i not in cache]
        if unknown:
            raise InputError(f"Facts refer to {table} not in the store or the batch: {', '.join(unknown[:5])}.")

    def _write_reps(self, reps: Sequence[Rep]) -> None:
        if not reps:
            return
        self._pks(self._person_pk, "people", (r.person_id for r in reps))
        self._conn.executemany(
            "INSERT OR IGNORE INTO reps (person_pk, email, role) VALUES (?, ?, ?)",
            [(self._person_pk[r.person_id], r.email, r.role) for r in reps],
        )

    def _write_employments(self, items: Sequence[Asserted[Employment]]) -> None:
        if not items:
            return
        self._pks(self._person_pk, "people", (a.value.person_id for a in items))
        self._pks(self._org_pk, "organizations", (a.value.org_id for a in items))
        evidence = []
        seen = {(pk, sha, row, fact) for pk, sha, row, fact in self._seen_employment_sources(items)}
        for a in items:
            e = a.value
            start = codec.iso(e.start) or ""
            params = (self._person_pk[e.person_id], self._org_pk[e.org_id], start, codec.iso(e.end), e.title,
                      e.current, codec.iso(e.as_of))
            row = self._conn.execute(
                """INSERT INTO employments (person_pk, org_pk, start, end_date, title, current, as_of)
                   VALUES (?,?,?,?,?,?,?) ON CONFLICT (person_pk, org_pk, start) DO NOTHING RETURNING pk""",
                params,
            ).fetchone()
            pk = row[0] if row else self._conn.execute(
                "SELECT pk FROM employments WHERE person_pk = ? AND org_pk = ? AND start = ?", params[:3]).fetchone()[0]
            if not row and (pk, *a.evidence.source_key) not in seen:
                self._conn.execute(
                    """UPDATE employments SET end_date = ifnull(?, end_date), title = ifnull(?, title), current = ?,
                         as_of = CASE WHEN ? IS NULL THEN as_of WHEN as_of IS NULL THEN ? ELSE max(as_of, ?) END
                       WHERE pk = ?""",
                    (params[3], params[4], params[5], params[6], params[6], params[6], pk),
                )
            evidence.append(self._evidence("employment", pk, a.evidence, codec.employment_to_dict(e)))
        self._insert_evidence(evidence)
        refresh_person_keys(self._conn, {self._person_pk[a.value.person_id] for a in items})

    def _seen_employment_sources(self, items: Sequence[Asserted[Employment]]) -> list[tuple]:
        shas = sorted({a.evidence.file_sha256 for a in items})
        sql = """SELECT subject_pk, file_sha256, row, fact FROM evidence WHERE subject = 'employment'
                 AND import_id <> ? AND file_sha256 IN ({marks})"""
        rows: list[tuple] = []
        for part in chunked(shas, _CHUNK):
            rows += self._conn.execute(sql.format(marks=",".join("?" * len(part))), [self._record.id, *part]).fetchall()
        return rows

    def _write_relationships(self, items: Sequence[Asserted[Relationship]]) -> None:
        if not items:
            return
        ids = [i for a in items for i in (a.value.source_id, a.value.target_id)]
        self._pks(self._person_pk, "people", ids)
        evidence = []
        for a in items:
            r = a.value
            source, target = self._person_pk[r.source_id], self._person_pk[r.target_id]
            inserted = self._conn.execute(
                """INSERT INTO relationships (source_pk, target_pk, kind, owner, visibility, profession, first_seen,
                     last_interaction, count_out, count_in, strength_override) VALUES (?,?,?,?,?,?,?,?,?,?,?)
                   ON CONFLICT (source_pk, target_pk, kind, owner) DO NOTHING
                   RETURNING pk""",
                (
                    source, target, r.kind.value, r.owner, r.visibility.value, r.profession,
                    codec.iso(r.first_seen), codec.iso(r.last_interaction), r.count_out, r.count_in,
                    r.strength_override,
                ),
            ).fetchone()
            if inserted:  # its values are this one row's: nothing to re-derive
                pk = inserted[0]
            else:  # seen before (in this import or an earlier one): re-derive from all evidence
                pk = self._conn.execute(
                    "SELECT pk FROM relationships WHERE source_pk = ? AND target_pk = ? AND kind = ? AND owner = ?",
                    (source, target, r.kind.value, r.owner),
                ).fetchone()[0]
                self._refold.add(pk)
            evidence.append(self._evidence("relationship", pk, a.evidence, codec.relationship_to_dict(r)))
        self._insert_evidence(evidence)

    def finish(self) -> None:
        """Derive counts and dates of touched relationships, count what is new, close the record."""
        refold_relationships(self._conn, self._refold)
        for subject, key in (("employment", "employments"), ("relationship", "relationships")):
            # New = its only evidence is this import's.
            self._added[key] = self._conn.execute(
                """SELECT count(DISTINCT e.subject_pk) FROM evidence e WHERE e.import_id = ? AND e.subject = ?
                   AND NOT EXISTS (SELECT 1 FROM evidence o WHERE o.subject = e.subject
                                   AND o.subject_pk = e.subject_pk AND o.import_id <> e.import_id)""",
                (self._record.id, subject),
            ).fetchone()[0]
        counts = {**dict(self._record.counts), **{f"{k}_added": v for k, v in self._added.items()}}
        self._conn.execute("UPDATE imports SET counts = ? WHERE id = ?", (codec.dumps(counts), self._record.id))


def _distinct_snapshots(rows: Iterable[sqlite3.Row]) -> dict[int, list[dict[str, Any]]]:
    """Evidence snapshots per subject, keeping one per source row (re-imports of the same bytes)."""
    seen: set[tuple] = set()
    out: dict[int, list[dict[str, Any]]] = {}
    for subject_pk, sha, row, fact, snapshot in rows:
        key = (subject_pk, sha, row, fact)
        if key in seen:
            continue
        seen.add(key)
        out.setdefault(subject_pk, []).append(json.loads(snapshot))
    return out


def refold_relationships(conn: sqlite3.Connection, pks: Iterable[int]) -> None:
    sql = """SELECT subject_pk, file_sha256, row, fact, snapshot FROM evidence
             WHERE subject = 'relationship' AND subject_pk IN ({marks}) ORDER BY pk"""
    updates = []
    for pk, snaps in _distinct_snapshots(select_in(conn, sql, sorted(pks))).items():
        agg = codec.fold_interactions(snaps)
        updates.append((agg["count_out"], agg["count_in"], agg["first_seen"], agg["last_interaction"], agg["profession"], pk))
    conn.executemany(
        """UPDATE relationships SET count_out = ?, count_in = ?, first_seen = ?, last_interaction = ?,
           profession = ? WHERE pk = ?""",
        updates,
    )


def refold_entities(conn: sqlite3.Connection, subject: str, pks: list[int]) -> None:
    """Rebuild people or organisations from the evidence that remains (in import order)."""
    sql = f"""SELECT e.subject_pk, e.file_sha256, e.row, e.fact, e.snapshot FROM evidence e
              JOIN imports i ON i.id = e.import_id
              WHERE e.subject = '{subject}' AND e.subject_pk IN ({{marks}}) ORDER BY i.seq, e.pk"""
    from_dict = codec.person_from_dict if subject == "person" else codec.org_from_dict
    table = "people" if subject == "person" else "organizations"
    ids = dict(select_in(conn, f"SELECT pk, id FROM {table} WHERE pk IN ({{marks}})", pks))
    folded = []
    for pk, snaps in _distinct_snapshots(select_in(conn, sql, pks)).items():
        # A snapshot keeps the id it was asserted under; after a merge the subject's id is another.
        value = from_dict({**snaps[0], "id": ids[pk]})
        for snap in snaps[1:]:
            value = value.merged_with(from_dict({**snap, "id": ids[pk]}))
        folded.append(value)
    (upsert_people if subject == "person" else upsert_orgs)(conn, folded)


def refold_employments(conn: sqlite3.Connection, pks: list[int]) -> None:
    """Re-derive a job's title, end, current flag and last-seen date from its remaining evidence."""
    sql = """SELECT e.subject_pk, e.file_sha256, e.row, e.fact, e.snapshot FROM evidence e
             JOIN imports i ON i.id = e.import_id
             WHERE e.subject = 'employment' AND e.subject_pk IN ({marks}) ORDER BY i.seq, e.pk"""
    updates = []
    for pk, snaps in _distinct_snapshots(select_in(conn, sql, pks)).items():
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
    for subject, pk in conn.execute("SELECT DISTINCT subject, subject_pk FROM evidence WHERE import_id = ?", (import_id,)):
        touched.setdefault(subject, []).append(pk)
    joined = [r[0] for r in conn.execute(
        "SELECT DISTINCT subject_pk FROM evidence WHERE import_id = ? AND subject = 'person' AND fact = 'rep'", (import_id,))]
    conn.execute("DELETE FROM evidence WHERE import_id = ?", (import_id,))
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

