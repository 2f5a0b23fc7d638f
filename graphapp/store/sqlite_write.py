"""Writing to the SQLite store: batched upserts with evidence, and exact undo by re-folding evidence.

Every function here runs inside the caller's open write transaction (see ``SQLiteStore``).

An import writes tens of thousands of rows, so its writer runs no statement per row: existing rows are
looked up in bulk (chunked ``IN`` lists and ``VALUES`` joins), the fold of what a batch asserts is worked
out in Python, and only rows whose values change are written, with ``executemany``.
"""

from __future__ import annotations

import gc
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from json import encoder as _json_encoder
from typing import Any

from graphapp.errors import InputError, NotFound, StoreError
from graphapp.identity import org_lookup_keys, person_name_keys
from graphapp.model import (
    Asserted,
    Employment,
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
_MAX_PARAMS = 999  # per statement: the lowest limit any SQLite build has
_MAX_PK = 2**63 - 1


def _snapshot_encoder() -> Callable[[Any], str]:
    """``codec.dumps`` (same text) without building a ``JSONEncoder`` per call: imports encode one
    evidence snapshot per fact, and the per-call set-up costs more than the encoding."""
    def default(value: Any) -> Any:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")

    try:  # json's C encoder, made once with codec.dumps's settings
        encode = _json_encoder.c_make_encoder(None, default, _json_encoder.encode_basestring, None, ":", ",", True,
                                              False, True)

        def dumps(data: Any) -> str:
            return "".join(encode(data, 0))

        sample = {"b": [None, True, 1, 0.5, "é\"\n"], "a": {"z": "", "y": []}}
        if dumps(sample) == codec.dumps(sample):
            return dumps
    except (AttributeError, TypeError):  # a Python without it, or where it takes other arguments
        pass
    return codec.dumps


_dumps = _snapshot_encoder()


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a batch is written: the writes allocate hundreds of
    thousands of small tuples, and every burst would make it walk the whole heap (the importer's too),
    for nothing (no cycles are made here)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _tuples(conn: sqlite3.Connection) -> sqlite3.Cursor:
    """A cursor returning plain tuples (the store's connection returns ``sqlite3.Row`` s, slower to make)."""
    cursor = conn.cursor()
    cursor.row_factory = None
    return cursor


def select_in(conn: sqlite3.Connection, sql: str, values: Sequence, first: Sequence = ()) -> list[tuple]:
    """Run ``sql`` (with one ``{marks}`` placeholder list, after the parameters ``first``) over ``values``
    in chunks."""
    cursor = _tuples(conn)
    rows: list[tuple] = []
    for part in chunked(list(values), _CHUNK):
        rows.extend(cursor.execute(sql.format(marks=",".join("?" * len(part))), [*first, *part]).fetchall())
    return rows


def select_keys(conn: sqlite3.Connection, sql: str, keys: Sequence[tuple]) -> list[tuple]:
    """Run ``sql`` over composite ``keys`` in chunks; its ``{values}`` placeholder becomes a ``VALUES``
    list of them, meant for ``WITH k(...) AS (VALUES {values}) SELECT ... FROM k CROSS JOIN t ON ...``
    (one index search per key; a row-value ``IN`` would scan the table)."""
    if not keys:
        return []
    width = len(keys[0])
    row = "(" + ",".join("?" * width) + ")"
    cursor = _tuples(conn)
    rows: list[tuple] = []
    for part in chunked(list(keys), max(1, _MAX_PARAMS // width)):
        params = [v for key in part for v in key]
        rows.extend(cursor.execute(sql.format(values=",".join([row] * len(part))), params).fetchall())
    return rows


def insert_rows(conn: sqlite3.Connection, table: str, columns: Sequence[str], rows: Sequence[tuple]) -> list[int]:
    """Insert new rows into ``table`` and return their pks, in order.

    The pks are the ones SQLite itself would choose (one past the largest; the write transaction is
    ours), given explicitly so that one ``executemany`` suffices instead of a ``RETURNING`` per row.
    """
    if not rows:
        return []
    top = conn.execute(f"SELECT max(pk) FROM {table}").fetchone()[0] or 0
    names = ", ".join(columns)
    if top + len(rows) >= _MAX_PK:  # SQLite would now pick unused pks at random: let it
        sql = f"INSERT INTO {table} ({names}) VALUES ({','.join('?' * len(columns))}) RETURNING pk"
        return [conn.execute(sql, row).fetchone()[0] for row in rows]
    conn.executemany(
        f"INSERT INTO {table} (pk, {names}) VALUES ({','.join('?' * (len(columns) + 1))})",
        [(top + n, *row) for n, row in enumerate(rows, start=1)],
    )
    return list(range(top + 1, top + 1 + len(rows)))


def person_keys(person: Person, org_ids: list[str] = ()) -> list[str]:
    """The lookup keys a person is found by: each e-mail, the LinkedIn URL, and each spelling of
    their name at each organisation they worked at."""
    return _person_keys(person.name, person.name_variants, person.emails, person.linkedin_url, org_ids)


def _person_keys(name: str, variants: Iterable[str], emails: Iterable[str], linkedin_url: str | None,
                 org_ids: Iterable[str]) -> list[str]:
    keys = [f"email:{e}" for e in emails]
    if linkedin_url:
        keys.append(f"linkedin:{linkedin_url}")
    return keys + person_name_keys([name, *variants], list(org_ids))


def _replace_keys(conn: sqlite3.Connection, table: str, column: str, pks: Sequence[int], want: set[tuple]) -> None:
    """Make the lookup keys of these owners (``pks``) exactly ``want`` ((key, pk) pairs), writing only
    the difference to what the table holds."""
    have = set(select_in(conn, f"SELECT key, {column} FROM {table} WHERE {column} IN ({{marks}})", pks))
    gone = have - want
    if gone:
        conn.executemany(f"DELETE FROM {table} WHERE key = ? AND {column} = ?", sorted(gone))
    conn.executemany(f"INSERT OR IGNORE INTO {table} (key, {column}) VALUES (?, ?)", sorted(want - have, key=lambda r: (r[1], r[0])))


def refresh_person_keys(conn: sqlite3.Connection, pks: Iterable[int]) -> None:
    """Rewrite the lookup keys of these people from their current values and jobs."""
    pks = sorted(set(pks))
    orgs: dict[int, list[str]] = {}
    sql = """SELECT e.person_pk, o.id FROM employments e JOIN organizations o ON o.pk = e.org_pk
             WHERE e.person_pk IN ({marks})"""
    for person_pk, org_id in select_in(conn, sql, pks):
        orgs.setdefault(person_pk, []).append(org_id)
    want: set[tuple] = set()
    sql = "SELECT pk, name, linkedin_url, lists FROM people WHERE pk IN ({marks})"
    for pk, name, url, lists in select_in(conn, sql, pks):
        lists = json.loads(lists)
        keys = _person_keys(name, lists.get("name_variants", ()), lists.get("emails", ()), url, orgs.get(pk, ()))
        want.update([(k, pk) for k in keys])
    _replace_keys(conn, "person_keys", "person_pk", pks, want)


def _refresh_org_keys(conn: sqlite3.Connection, orgs: dict[int, Organization]) -> None:
    want = {(k, pk) for pk, o in orgs.items() for k in org_lookup_keys([o.name, *o.aliases], list(o.domains))}
    _replace_keys(conn, "org_keys", "org_pk", sorted(orgs), want)


def _load_people(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, tuple[int, Person]]:
    """id -> (pk, person) of those of ``ids`` in the store."""
    sql = "SELECT pk, id, name, linkedin_url, title, location, lists FROM people WHERE id IN ({marks})"
    found = {}
    for pk, person_id, name, url, title, location, lists in select_in(conn, sql, list(dict.fromkeys(ids))):
        found[person_id] = (pk, codec.person_from_dict(
            {"id": person_id, "name": name, "linkedin_url": url, "title": title, "location": location,
             **json.loads(lists)}
        ))
    return found


def _load_orgs(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, tuple[int, Organization]]:
    """id -> (pk, organisation) of those of ``ids`` in the store."""
    sql = "SELECT pk, id, name, flags, lists, target_owner, priority FROM organizations WHERE id IN ({marks})"
    found = {}
    for pk, org_id, name, flags, lists, target_owner, priority in select_in(conn, sql, list(dict.fromkeys(ids))):
        found[org_id] = (pk, codec.org_from_dict(
            {"id": org_id, "name": name, **json.loads(lists), "is_customer": flags & 1, "is_target": flags & 2,
             "is_partner": flags & 4, "target_owner": target_owner, "priority": priority}
        ))
    return found


_PERSON_COLUMNS = ("name", "linkedin_url", "title", "location", "lists")
_ORG_COLUMNS = ("name", "flags", "lists", "target_owner", "priority")


def _person_row(p: Person) -> tuple:
    lists = _dumps({"name_variants": list(p.name_variants), "emails": list(p.emails), "phones": list(p.phones)})
    return (p.name, p.linkedin_url, p.title, p.location, lists)


def _org_row(o: Organization) -> tuple:
    lists = _dumps({"aliases": list(o.aliases), "domains": list(o.domains)})
    return (o.name, codec.org_flags(o), lists, o.target_owner, o.priority)


def _upsert(conn: sqlite3.Connection, table: str, values: dict[str, Any], current: dict[str, tuple[int, Any]]) -> dict[str, int]:
    """Write folded people or organisations (``values``, by id; ``current``: what the store holds of
    them, id -> (pk, value)); id -> pk. A row whose value did not change is left alone; new rows get
    pks in the order of ``values``."""
    columns, row = (_PERSON_COLUMNS, _person_row) if table == "people" else (_ORG_COLUMNS, _org_row)
    pks: dict[str, int] = {}
    updates, new = [], []
    for value_id, value in values.items():
        old = current.get(value_id)
        if old is None:
            new.append(value_id)
            continue
        pks[value_id] = old[0]
        if old[1] != value:
            updates.append((*row(value), old[0]))
    conn.executemany(f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in columns)} WHERE pk = ?", updates)
    pks.update(zip(new, insert_rows(conn, table, ("id", *columns), [(i, *row(values[i])) for i in new]), strict=True))
    return pks


def upsert_people(conn: sqlite3.Connection, people: Sequence[Person], *, keys: bool = True) -> dict[str, int]:
    """Write folded people (insert or replace their values) and their lookup keys; id -> pk."""
    values = {}
    for p in people:  # the last value of an id wins; its first place orders the inserts
        values[p.id] = p
    pks = _upsert(conn, "people", values, _load_people(conn, values))
    if keys:  # an import refreshes its people's keys once, when it finishes
        refresh_person_keys(conn, pks.values())
    return pks


def upsert_orgs(conn: sqlite3.Connection, orgs: Sequence[Organization]) -> dict[str, int]:
    """Write folded organisations (insert or replace their values) and their lookup keys; id -> pk."""
    values = {}
    for o in orgs:
        values[o.id] = o
    pks = _upsert(conn, "organizations", values, _load_orgs(conn, values))
    _refresh_org_keys(conn, {pks[i]: o for i, o in values.items()})
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
        self._rekey: set[int] = set()  # people whose lookup keys must be rewritten
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
        with _gc_paused():
            self._write(batch)

    def _write(self, batch: GraphBatch) -> None:
        from graphapp.store.sqlite_merge import merge_people

        for gone, keep in batch.merges:
            merge_people(self._conn, keep, gone)
            self._person_pk.pop(gone, None)
        self._write_folded("organization", batch.organizations)
        self._write_folded("person", batch.people)
        self._write_reps(batch.reps)
        self._write_employments(batch.employments)
        self._write_relationships(batch.relationships)

    def _insert_evidence(self, subject: str, items: Sequence[Asserted], pks: Iterable[int],
                         to_dict: Callable[[Any], dict[str, Any]]) -> None:
        """Record that each item's source asserted it (``pks``: the items' subjects, in order)."""
        import_id, dumps = self._record.id, _dumps
        rows = [(ev.import_id, subject, pk, ev.file, ev.file_sha256, ev.row, ev.fact, ev.owner, dumps(to_dict(a.value)))
                for a, pk in zip(items, pks, strict=True) for ev in (a.evidence,)]
        wrong = next((r[0] for r in rows if r[0] != import_id), None)
        if wrong is not None:
            raise InputError(f"Evidence of import {wrong} written inside import {import_id}.")
        self._conn.executemany(
            """INSERT OR IGNORE INTO evidence (import_id, subject, subject_pk, file, file_sha256, row, fact, owner, snapshot)
               VALUES (?,?,?,?,?,?,?,?,?)""",
            rows,
        )

    def _seen_sources(self, subject: str, pks: Iterable[int]) -> set[tuple]:
        """(subject pk, file sha, row, fact) of earlier imports' evidence for these subjects."""
        sql = "SELECT subject_pk, file_sha256, row, fact FROM evidence WHERE subject = ? AND import_id <> ? AND subject_pk IN ({marks})"
        return set(select_in(self._conn, sql, sorted(set(pks)), first=(subject, self._record.id)))

    def _write_folded(self, subject: str, items: Sequence[Asserted]) -> None:
        """People or organisations: each is the fold of its assertions in order, except those whose
        source an earlier import already wrote (the same bytes said it before: not newer information)."""
        if not items:
            return
        person = subject == "person"
        table, pk_cache = ("people", self._person_pk) if person else ("organizations", self._org_pk)
        ids = list(dict.fromkeys(a.value.id for a in items))
        stored = dict(select_in(self._conn, f"SELECT id, pk FROM {table} WHERE id IN ({{marks}})", ids))
        self._added[table] += len(ids) - len(stored)
        seen = self._seen_sources(subject, stored.values())
        fresh = [a for a in items
                 if a.value.id not in stored or (stored[a.value.id], *a.evidence.source_key) not in seen]
        # People nothing new is said about keep their row; organisations are loaded all, their keys refreshed.
        current = (_load_people(self._conn, {a.value.id for a in fresh if a.value.id in stored}) if person
                   else _load_orgs(self._conn, stored))
        folded: dict[str, Any] = {}
        for a in fresh:
            value_id = a.value.id
            old = folded.get(value_id) or current.get(value_id, (None, None))[1]
            folded[value_id] = old.merged_with(a.value) if old else a.value
        written = _upsert(self._conn, table, {i: folded[i] for i in ids if i in folded}, current)
        pk_cache.update(stored)
        pk_cache.update(written)
        if person:
            self._rekey.update(pk_cache[i] for i in ids)
        else:
            _refresh_org_keys(self._conn, {pk_cache[i]: folded[i] if i in folded else current[i][1] for i in ids})
        to_dict = codec.person_to_dict if person else codec.org_to_dict
        self._insert_evidence(subject, items, [pk_cache[a.value.id] for a in items], to_dict)

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
        keys = [(people[a.value.person_id], orgs[a.value.org_id], codec.iso(a.value.start) or "") for a in items]
        sql = """WITH k(p, o, s) AS (VALUES {values})
                 SELECT e.person_pk, e.org_pk, e.start, e.pk, e.end_date, e.title, e.current, e.as_of
                 FROM k CROSS JOIN employments e ON e.person_pk = k.p AND e.org_pk = k.o AND e.start = k.s"""
        # key -> [pk, end, title, current, as_of]: the stored jobs, then what the batch makes of them
        state = {tuple(r[:3]): list(r[3:]) for r in select_keys(self._conn, sql, list(dict.fromkeys(keys)))}
        stored = {key: tuple(job) for key, job in state.items()}
        seen = self._seen_sources("employment", (job[0] for job in stored.values()))
        new = []
        for key, a in zip(keys, items, strict=True):
            e, job = a.value, state.get(key)
            end, as_of = codec.iso(e.end), codec.iso(e.as_of)
            if job is None:
                state[key] = [None, end, e.title, e.current, as_of]
                new.append(key)
            elif (job[0], *a.evidence.source_key) not in seen:
                job[1] = job[1] if end is None else end
                job[2] = job[2] if e.title is None else e.title
                job[3] = e.current
                job[4] = job[4] if as_of is None else as_of if job[4] is None else max(job[4], as_of)
        self._conn.executemany(
            "UPDATE employments SET end_date = ?, title = ?, current = ?, as_of = ? WHERE pk = ?",
            [(*job[1:], job[0]) for key, job in state.items() if key in stored and tuple(job) != stored[key]],
        )
        columns = ("person_pk", "org_pk", "start", "end_date", "title", "current", "as_of")
        for key, pk in zip(new, insert_rows(self._conn, "employments", columns, [(*k, *state[k][1:]) for k in new]),
                           strict=True):
            state[key][0] = pk
        self._insert_evidence("employment", items, [state[key][0] for key in keys], codec.employment_to_dict)
        self._rekey.update(key[0] for key in keys)

    def _write_relationships(self, items: Sequence[Asserted[Relationship]]) -> None:
        """A relationship new to the store takes its first assertion's values; one asserted again (in an
        earlier import or this one) has its counts and dates re-derived from all its evidence at the end."""
        if not items:
            return
        self._pks(self._person_pk, "people", [i for a in items for i in (a.value.source_id, a.value.target_id)])
        people = self._person_pk
        keys = [(people[r.source_id], people[r.target_id], r.kind.value, r.owner) for r in (a.value for a in items)]
        sql = """WITH k(s, t, kind, owner) AS (VALUES {values})
                 SELECT r.source_pk, r.target_pk, r.kind, r.owner, r.pk FROM k CROSS JOIN relationships r
                 ON r.source_pk = k.s AND r.target_pk = k.t AND r.kind = k.kind AND r.owner = k.owner"""
        pks: dict[tuple, int | None] = {tuple(r[:4]): r[4] for r in select_keys(self._conn, sql, list(dict.fromkeys(keys)))}
        self._refold.update(pks.values())  # seen before: re-derive from all evidence
        new: dict[tuple, Relationship] = {}
        again: set[tuple] = set()
        for key, a in zip(keys, items, strict=True):
            if key not in pks:
                pks[key] = None
                new[key] = a.value
            elif key in new:  # asserted twice by this import
                again.add(key)
        columns = ("source_pk", "target_pk", "kind", "owner", "visibility", "profession", "first_seen",
                   "last_interaction", "count_out", "count_in", "strength_override")
        rows = [(*key, r.visibility.value, r.profession, codec.iso(r.first_seen), codec.iso(r.last_interaction),
                 r.count_out, r.count_in, r.strength_override) for key, r in new.items()]
        pks.update(zip(new, insert_rows(self._conn, "relationships", columns, rows), strict=True))
        self._refold.update(pks[key] for key in again)
        self._insert_evidence("relationship", items, [pks[key] for key in keys], codec.relationship_to_dict)

    def finish(self) -> None:
        """Derive counts and dates of touched relationships, count what is new, close the record."""
        with _gc_paused():
            self._finish()

    def _finish(self) -> None:
        refold_relationships(self._conn, self._refold)
        refresh_person_keys(self._conn, self._rekey)
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


_FOLDED = ("count_out", "count_in", "first_seen", "last_interaction", "profession")  # what fold_interactions reads


def _interaction_snapshots(conn: sqlite3.Connection, pks: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    """The evidence snapshots of these relationships (only what ``codec.fold_interactions`` reads), one
    per source row (the first written), in the order written: ``_distinct_snapshots``, done by SQLite."""
    first_per_source = """SELECT min(pk) FROM evidence WHERE subject = 'relationship' AND subject_pk IN ({marks})
                          GROUP BY subject_pk, file_sha256, row, fact"""
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

