"""Writing one import to the SQLite store: batched upserts of what each batch asserts, with evidence.

The writer runs inside the store's open write transaction (see ``SQLiteStore.importing``). An import
may write any number of batches: each is folded onto what the store holds, the import's earlier
batches included, so a large import is written batch by batch and its memory is that of one batch.
Lookups and writes are bulk (see :mod:`graphapp.store.sqlite.rows`), and only rows whose values
change are written.
"""

from __future__ import annotations

import sqlite3
from array import array
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from graphapp.domain.invariants import Violation
from graphapp.errors import InputError
from graphapp.model import (
    Asserted,
    Employment,
    GraphBatch,
    ImportRecord,
    ImportStatus,
    Relationship,
    Rep,
)
from graphapp.store import codec
from graphapp.store.base import BatchWriter
from graphapp.store.folds import fold_job, tie_holds
from graphapp.store.sqlite.doctor import identity_violations
from graphapp.store.sqlite.json_text import employment_snapshot, org_snapshot, person_snapshot, relationship_snapshot
from graphapp.store.sqlite.merge import merge_people
from graphapp.store.sqlite.refold import refold_relationships, undo_import
from graphapp.store.sqlite.rows import (
    insert_rows,
    insert_values,
    load_orgs,
    people_rows,
    person_of_row,
    person_row,
    refresh_org_keys,
    refresh_person_keys,
    select_in,
    select_keys,
    upsert,
    upsert_people,
)

__all__ = ["SQLiteWriter", "undo_import", "upsert_people"]

IMPORT_CACHE_KIB = 65536
"""The page cache an import may fill (KiB; SQLite's default is 2,000). An import touches tens of
megabytes of index pages at random (people's ids, lookup keys); with the default cache the dirty ones
are spilled to the WAL in mid-transaction and read back: nearly a tenth of the import's CPU time. It
is a cap, not an allocation, and it is lowered again when the import finishes."""
_DEFAULT_CACHE = -2000  # SQLite's default cache_size: what a connection has unless an import raised it


class SQLiteWriter(BatchWriter):
    """Writes the batches of one import inside the store's open write transaction."""

    def __init__(self, conn: sqlite3.Connection, record: ImportRecord) -> None:
        self._conn = conn
        self._record = record
        self._added = {"people": 0, "organizations": 0, "employments": 0, "relationships": 0}
        # id -> pk of the people of the batch being written (emptied per batch, so that memory stays
        # that of one batch), and of the organisations of the import (few: one per company).
        self._person_pk: dict[str, int] = {}
        self._org_pk: dict[str, int] = {}
        self._refold: set[int] = set()  # relationships whose counts must be re-derived from evidence
        self._rekey: set[int] = set()  # people whose lookup keys must be rewritten
        self._rekey_values: dict[int, Any] = {}  # pk -> value, of the people whose row this batch wrote
        self._inserted: set[int] = set()  # people inserted by this batch (no keys, jobs or relationships yet)
        self._new_jobs: dict[int, list[str]] = {}  # pk -> organisation ids of the jobs of those, as written
        # (file name, SHA-256) -> (file id, content id) in import_files: see _source_ids
        self._files: dict[tuple[str, str], tuple[int, int]] = {}
        self._contents: dict[str, int] = {}  # SHA-256 -> content id
        self._other_shas: dict[int, str] | None = None  # content id -> SHA-256, of earlier imports' files
        # The pks of the people, organisations and relationships the import asserted (a compact array
        # each, with repeats: 8 bytes an assertion), and the people merges kept: what the identity
        # check before commit looks at (see violations).
        self._touched = {"person": array("q"), "organization": array("q"), "relationship": array("q")}
        self._kept: list[str] = []
        if conn.execute("SELECT 1 FROM imports WHERE id = ?", (record.id,)).fetchone():
            raise InputError(f"An import with id {record.id} already exists.")
        # An import that failed never finished, and left the raised cap: restore the default then.
        cache = conn.execute("PRAGMA cache_size").fetchone()[0]
        self._cache_before = _DEFAULT_CACHE if cache == -IMPORT_CACHE_KIB else cache
        conn.execute(f"PRAGMA cache_size = {-IMPORT_CACHE_KIB}")
        row = codec.import_to_row(record)
        seq = conn.execute("SELECT ifnull(max(seq), 0) + 1 FROM imports").fetchone()[0]
        conn.execute(
            "INSERT INTO imports (id, seq, time, actor, kind, status, files, counts) VALUES (?,?,?,?,?,?,?,?)",
            (row["id"], seq, row["time"], row["actor"], row["kind"], ImportStatus.COMMITTED.value, row["files"], "{}"),
        )

    def added(self) -> dict[str, int]:
        return dict(self._added)

    def relationships_known(self) -> int:
        # Every relationship the import asserted, less those it inserted: the others were held already.
        return len(set(self._touched["relationship"])) - self._added["relationships"]

    def write(self, batch: GraphBatch) -> None:
        self._person_pk.clear()
        for gone, keep in batch.merges:
            merge_people(self._conn, keep, gone)
            self._kept.append(keep)
        self._write_folded("organization", batch.organizations)
        self._write_folded("person", batch.people)
        self._write_reps(batch.reps)
        self._write_employments(batch.employments)
        self._write_relationships(batch.relationships)
        # Derived values are brought up to date batch by batch, so nothing piles up over an import.
        refold_relationships(self._conn, self._refold)
        refresh_person_keys(self._conn, self._rekey, self._rekey_values, self._inserted, self._new_jobs)
        self._refold.clear()
        self._rekey.clear()
        self._rekey_values.clear()
        self._inserted.clear()
        self._new_jobs.clear()

    def _source_ids(self, file: str, sha: str) -> tuple[int, int]:
        """(file id, content id) of one of the import's files, registered in ``import_files`` when first
        seen. The content id is the import's first file with the same bytes: evidence is unique per
        content, not per file name, as it was when rows carried the SHA-256."""
        file_id = self._conn.execute(
            "INSERT INTO import_files (import_id, name, sha256) VALUES (?, ?, ?) RETURNING id", (self._record.id, file, sha)
        ).fetchone()[0]
        ids = self._files[(file, sha)] = (file_id, self._contents.setdefault(sha, file_id))
        return ids

    def _insert_evidence(self, subject: str, items: Sequence[Asserted], pks: Iterable[int],
                         snapshot: Callable[[Any], str]) -> None:
        """Record that each item's source asserted it (``pks``: the items' subjects, in order)."""
        import_id, files, source_ids = self._record.id, self._files, self._source_ids
        pks = list(pks)
        if subject in self._touched:
            self._touched[subject].extend(pks)
        rows = []
        file = sha = file_id = content_id = None  # the last evidence's file, and its ids: most items share them
        for a, pk in zip(items, pks, strict=True):
            ev = a.evidence
            if ev.import_id != import_id:
                raise InputError(f"Evidence of import {ev.import_id} written inside import {import_id}.")
            if ev.file is not file or ev.file_sha256 is not sha:
                file, sha = ev.file, ev.file_sha256
                file_id, content_id = files[(file, sha)] if (file, sha) in files else source_ids(file, sha)
            rows.append((subject, pk, file_id, content_id, ev.row, ev.fact, ev.owner, snapshot(a.value)))
        insert_values(self._conn, "INSERT OR IGNORE INTO evidence (subject, subject_pk, file_id, content_id, row, fact, "
                                  "owner, snapshot)", rows)

    def _seen_sources(self, subject: str, pks: Iterable[int], items: Sequence[Asserted]) -> set[tuple]:
        """(subject pk, file sha, row, fact) of earlier imports' evidence for these subjects, from files
        with the same bytes as the ``items``' files (only those can have said the same before)."""
        if self._new_files(items):  # a new export of the same network, say: nothing seen
            return set()
        shas = self._other_files()
        pks = sorted(set(pks))
        if not pks:
            return set()
        sql = "SELECT subject_pk, content_id, row, fact FROM evidence WHERE subject = ? AND subject_pk IN ({marks})"
        return {(pk, shas[content], row, fact) for pk, content, row, fact in select_in(self._conn, sql, pks, first=(subject,))
                if content in shas}

    def _other_files(self) -> dict[int, str]:
        """Content id -> SHA-256 of the files of other imports (few: read once)."""
        if self._other_shas is None:
            self._other_shas = dict(self._conn.execute(
                "SELECT id, sha256 FROM import_files WHERE import_id <> ?", (self._record.id,)).fetchall())
        return self._other_shas

    def _new_files(self, items: Sequence[Asserted]) -> bool:
        """Whether no earlier import had the bytes of any of these items' files (then none of them was
        asserted before, and every one of them is news)."""
        shas = self._other_files()
        return not shas or {a.evidence.file_sha256 for a in items}.isdisjoint(shas.values())

    def _write_folded(self, subject: str, items: Sequence[Asserted]) -> None:
        """People or organisations: each is the fold of its assertions in order, except those whose
        source an earlier import already wrote (the same bytes said it before: not newer information)."""
        if not items:
            return
        person = subject == "person"
        table, pk_cache = ("people", self._person_pk) if person else ("organizations", self._org_pk)
        ids = list(dict.fromkeys(a.value.id for a in items))
        rows = None  # id -> (pk, row) of the stored people, when every assertion is news
        if person and self._new_files(items):  # each stored person's row is read once, for pk and fold alike
            rows = people_rows(self._conn, ids)
            stored = {i: row[0] for i, row in rows.items()}
        else:
            stored = dict(select_in(self._conn, f"SELECT id, pk FROM {table} WHERE id IN ({{marks}})", ids))
        self._added[table] += len(ids) - len(stored)
        seen = self._seen_sources(subject, stored.values(), items)
        fresh = [a for a in items
                 if a.value.id not in stored or (stored[a.value.id], *a.evidence.source_key) not in seen]
        # People nothing new is said about keep their row; organisations are loaded all, their keys refreshed.
        if person:
            fresh, current = self._people_to_fold(fresh, stored, rows)
        else:
            current = load_orgs(self._conn, stored)
        folded: dict[str, Any] = {}
        for a in fresh:
            value_id = a.value.id
            old = folded.get(value_id) or current.get(value_id, (None, None))[1]
            folded[value_id] = old.merged_with(a.value) if old else a.value
        changed: set[int] = set()
        written = upsert(self._conn, table, {i: folded[i] for i in ids if i in folded}, current, changed)
        pk_cache.update(stored)
        pk_cache.update(written)
        if person:  # a person's keys change with their row (or their jobs: see _write_employments)
            self._rekey.update(changed)
            self._rekey_values.update((pk_cache[i], folded[i]) for i in folded if pk_cache[i] in changed)
            self._inserted.update(pk for i, pk in written.items() if i not in stored)
        else:
            refresh_org_keys(self._conn, {pk_cache[i]: folded[i] if i in folded else current[i][1] for i in ids})
        snapshot = person_snapshot if person else org_snapshot
        self._insert_evidence(subject, items, [pk_cache[a.value.id] for a in items], snapshot)

    def _people_to_fold(self, fresh: list[Asserted], stored: dict[str, int],
                        rows: dict[str, tuple[int, tuple]] | None) -> tuple[list[Asserted], dict]:
        """The assertions that can change a stored person, and those people as stored (id -> (pk, person)).

        An assertion that says exactly what the store holds (the same columns: a later export of the
        same network) folds into the same value, as long as no differing one came before it in the
        batch: it is left out, and the person is neither read back nor rewritten (it still gets its
        evidence). ``rows``: the stored rows of the people asserted, when already read."""
        if rows is None:
            rows = people_rows(self._conn, {a.value.id for a in fresh if a.value.id in stored})
        if not rows:
            return fresh, {}
        kept, moved = [], set()  # moved: stored people an assertion of this batch has changed already
        for a in fresh:
            value_id = a.value.id
            if value_id in rows and value_id not in moved:
                if person_row(a.value) == rows[value_id][1]:
                    continue
                moved.add(value_id)
            kept.append(a)
        return kept, {i: (rows[i][0], person_of_row(i, rows[i][1])) for i in moved}

    def _pks(self, cache: dict[str, int], table: str, ids: Iterable[str]) -> None:
        missing = [i for i in dict.fromkeys(ids) if i not in cache]
        for person_id, pk in select_in(self._conn, f"SELECT id, pk FROM {table} WHERE id IN ({{marks}})", missing):
            cache[person_id] = pk
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
        """Jobs upsert on (person, organisation, start): a new source's end and title replace the old
        ones unless null, its current flag replaces the old one, ``as_of`` is the latest."""
        if not items:
            return
        self._pks(self._person_pk, "people", (a.value.person_id for a in items))
        self._pks(self._org_pk, "organizations", (a.value.org_id for a in items))
        people, orgs = self._person_pk, self._org_pk
        keys = [(people[e.person_id], orgs[e.org_id], e.start.isoformat() if e.start else "")
                for e in (a.value for a in items)]
        sql = """WITH k(p, o, s) AS (VALUES {values})
                 SELECT e.person_pk, e.org_pk, e.start, e.pk, e.end_date, e.title, e.current, e.as_of
                 FROM k CROSS JOIN employments e ON e.person_pk = k.p AND e.org_pk = k.o AND e.start = k.s"""
        # key -> [pk, end, title, current, as_of]: the stored jobs, then what the batch makes of them. A
        # person this batch inserted has none stored.
        inserted = self._inserted
        lookup = [k for k in dict.fromkeys(keys) if k[0] not in inserted]
        state = {tuple(r[:3]): list(r[3:]) for r in select_keys(self._conn, sql, lookup)}
        stored = {key: tuple(job) for key, job in state.items()}
        seen = self._seen_sources("employment", (job[0] for job in stored.values()), items)
        new, new_jobs = [], self._new_jobs
        for key, a in zip(keys, items, strict=True):
            e, job = a.value, state.get(key)
            end = e.end.isoformat() if e.end else None  # codec.iso, inline: once per job
            as_of = e.as_of.isoformat() if e.as_of else None
            if job is None:
                state[key] = [None, end, e.title, e.current, as_of]
                new.append(key)
                if key[0] in inserted:  # the keys of a person inserted by this batch come from its jobs here
                    new_jobs.setdefault(key[0], []).append(e.org_id)
            elif (job[0], *a.evidence.source_key) not in seen:
                fold_job(job, end, e.title, e.current, as_of)
        self._conn.executemany(
            "UPDATE employments SET end_date = ?, title = ?, current = ?, as_of = ? WHERE pk = ?",
            [(*job[1:], job[0]) for key, job in state.items() if key in stored and tuple(job) != stored[key]],
        )
        columns = ("person_pk", "org_pk", "start", "end_date", "title", "current", "as_of")
        for key, pk in zip(new, insert_rows(self._conn, "employments", columns, [(*k, *state[k][1:]) for k in new]),
                           strict=True):
            state[key][0] = pk
        self._insert_evidence("employment", items, [state[key][0] for key in keys], employment_snapshot)
        self._added["employments"] += len(new)
        self._rekey.update(key[0] for key in new)  # a new job adds the person's name keys at its organisation

    def _write_relationships(self, items: Sequence[Asserted[Relationship]]) -> None:
        """A relationship new to the store takes its first assertion's values; one asserted again (in an
        earlier import or this one) has its counts and dates re-derived from all its evidence, unless
        every source asserting it again had asserted it before (re-imported bytes change no count), or
        what each new source says cannot change them (``folds.tie_holds``)."""
        if not items:
            return
        self._pks(self._person_pk, "people", [i for a in items for i in (a.value.source_id, a.value.target_id)])
        people = self._person_pk
        keys = [(people[r.source_id], people[r.target_id], r.kind.value, r.owner) for r in (a.value for a in items)]
        sql = """WITH k(s, t, kind, owner) AS (VALUES {values})
                 SELECT r.source_pk, r.target_pk, r.kind, r.owner, r.pk, r.count_out, r.count_in, r.first_seen,
                        r.last_interaction, r.profession
                 FROM k CROSS JOIN relationships r
                 ON r.source_pk = k.s AND r.target_pk = k.t AND r.kind = k.kind AND r.owner = k.owner"""
        inserted = self._inserted  # a person this batch inserted has no relationship stored
        lookup = [k for k in dict.fromkeys(keys) if k[0] not in inserted and k[1] not in inserted]
        found = select_keys(self._conn, sql, lookup)
        stored: dict[tuple, int] = {tuple(r[:4]): r[4] for r in found}
        folded = {r[4]: r[5:] for r in found}  # pk -> what its evidence folds into now
        seen = self._seen_sources("relationship", stored.values(), items) if stored else set()
        pks: dict[tuple, int | None] = dict(stored)
        new: dict[tuple, Relationship] = {}
        again: set[tuple] = set()
        for key, a in zip(keys, items, strict=True):
            if key in stored:
                pk = stored[key]
                if (pk, *a.evidence.source_key) not in seen and not _holds(folded[pk], a.value):
                    self._refold.add(pk)
            elif key not in new:
                pks[key] = None
                new[key] = a.value
            else:  # asserted twice by this batch
                again.add(key)
        columns = ("source_pk", "target_pk", "kind", "owner", "visibility", "profession", "first_seen",
                   "last_interaction", "count_out", "count_in", "strength_override")
        rows = [(*key, r.visibility.value, r.profession, codec.iso(r.first_seen), codec.iso(r.last_interaction),
                 r.count_out, r.count_in, r.strength_override) for key, r in new.items()]
        pks.update(zip(new, insert_rows(self._conn, "relationships", columns, rows), strict=True))
        self._added["relationships"] += len(new)
        self._refold.update(pks[key] for key in again)
        self._insert_evidence("relationship", items, [pks[key] for key in keys], relationship_snapshot)

    def finish(self) -> None:
        """Count what is new and close the record; the page cache gets its cap back (see
        :data:`IMPORT_CACHE_KIB`): pages over it are freed."""
        self._finish_counts()
        self._conn.execute(f"PRAGMA cache_size = {self._cache_before}")

    def violations(self) -> list[Violation]:
        """The identity rules this import would break (:mod:`graphapp.store.sqlite.doctor`): checked on
        what it asserted and the people its merges kept, with what the store already holds."""
        people = set(self._touched["person"])
        people.update(pk for _id, pk in select_in(self._conn, "SELECT id, pk FROM people WHERE id IN ({marks})",
                                                   sorted(set(self._kept))))
        return identity_violations(self._conn, people=people, orgs=set(self._touched["organization"]),
                                   relationships=set(self._touched["relationship"]))

    def _finish_counts(self) -> None:
        # Jobs and relationships new to the store were counted as they were inserted: a row inserted
        # by this import has no other import's evidence (nothing else inserts them).
        counts = {**dict(self._record.counts), **{f"{k}_added": v for k, v in self._added.items()}}
        self._conn.execute("UPDATE imports SET counts = ? WHERE id = ?", (codec.dumps(counts), self._record.id))


def _holds(stored: tuple, r: Relationship) -> bool:
    return tie_holds(stored, r.count_out, r.count_in, codec.iso(r.first_seen), codec.iso(r.last_interaction),
                     r.profession)
