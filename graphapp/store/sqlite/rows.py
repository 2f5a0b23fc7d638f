"""Bulk row work for the SQLite store: chunked lookups, explicit-pk inserts, lookup keys, upserts.

Every function here runs inside the caller's open write transaction (see ``SQLiteStore``). An import
writes tens of thousands of rows, so nothing here runs a statement per row: existing rows are looked
up in bulk (chunked ``IN`` lists and ``VALUES`` joins), new rows are written as multi-row ``VALUES``
(:func:`insert_values`) and changed ones with ``executemany``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterable, Iterator, Sequence
from itertools import chain
from typing import Any

from graphapp.domain.identity import org_lookup_keys, person_name_keys
from graphapp.errors import NotFound
from graphapp.model import Organization, Person
from graphapp.store import codec
from graphapp.store.base import chunked
from graphapp.store.sqlite.json_text import dumps, person_lists

_CHUNK = 500
_MAX_PARAMS = 999  # per statement: the lowest limit any SQLite build has
_MAX_PK = 2**63 - 1
_FOUND_BY_ID = frozenset({"people", "organizations"})  # written one row per step: see insert_values
SCAN_SHARE = 0.8
"""Bulk key lookups read the whole keys table instead of searching the index once per key when the
keys asked for are at least this share of the owners (measured: a search costs about 4.5 us per key,
a pass about 1.5 us per stored key, and people have two or three keys each)."""


def tuples(conn: sqlite3.Connection) -> sqlite3.Cursor:
    """A cursor returning plain tuples (the store's connection returns ``sqlite3.Row`` s, slower to make)."""
    cursor = conn.cursor()
    cursor.row_factory = None
    return cursor


def select_in(conn: sqlite3.Connection, sql: str, values: Sequence, first: Sequence = ()) -> list[tuple]:
    """Run ``sql`` (with one ``{marks}`` placeholder list, after the parameters ``first``) over ``values``
    in chunks, in the order given."""
    return list(_chunks_in(conn, sql, list(values), first))


def iter_in(conn: sqlite3.Connection, sql: str, values: Sequence) -> Iterator[tuple]:
    """``select_in`` a chunk at a time, for lookups of hundreds of thousands of values whose rows are
    folded into something smaller as they come. The values are looked up in sorted order: each chunk
    then reads neighbouring index pages (a third less time than in the order given, when the index
    is larger than the page cache); rows come chunk by chunk in that order."""
    return _chunks_in(conn, sql, sorted(values))


def _chunks_in(conn: sqlite3.Connection, sql: str, values: list, first: Sequence = ()) -> Iterator[tuple]:
    cursor = tuples(conn)
    for part in chunked(values, _CHUNK):
        yield from cursor.execute(sql.format(marks=",".join("?" * len(part))), [*first, *part]).fetchall()


def select_keys(conn: sqlite3.Connection, sql: str, keys: Sequence[tuple]) -> list[tuple]:
    """Run ``sql`` over composite ``keys`` in chunks; its ``{values}`` placeholder becomes a ``VALUES``
    list of them, meant for ``WITH k(...) AS (VALUES {values}) SELECT ... FROM k CROSS JOIN t ON ...``
    (one index search per key; a row-value ``IN`` would scan the table)."""
    if not keys:
        return []
    width = len(keys[0])
    row = "(" + ",".join("?" * width) + ")"
    cursor = tuples(conn)
    rows: list[tuple] = []
    for part in chunked(list(keys), max(1, _MAX_PARAMS // width)):
        params = [v for key in part for v in key]
        rows.extend(cursor.execute(sql.format(values=",".join([row] * len(part))), params).fetchall())
    return rows


def insert_values(conn: sqlite3.Connection, head: str, rows: Sequence[tuple]) -> None:
    """Run ``head`` (``INSERT [OR IGNORE] INTO table (columns)``) over ``rows``, in order, as statements
    of a hundred-odd rows each (``VALUES (...), (...), ...``, up to ``_MAX_PARAMS`` parameters).

    ``executemany`` resets, binds and steps its statement once per row; SQLite runs a multi-row
    ``VALUES`` in one step. Measured on an import of 100,000 contacts, the same rows take: evidence
    0.58 s instead of 0.73 s, lookup keys 0.37 s instead of 0.51 s, relationships 0.40 s instead of
    0.46 s, jobs the same. Not everywhere: people (wide rows, found by a unique id) took 0.31 s
    instead of 0.26 s, and lookup keys took longer too while a foreign key checked each one's person
    (see the schema's migration 6 -> 7), so :func:`insert_rows` writes people and organisations one
    row per step. Rows are inserted in the order given, as ``executemany`` does, and ``OR IGNORE``
    skips a row that conflicts with an earlier one of the same statement as it does with a stored one."""
    if not rows:
        return
    width = len(rows[0])
    per = max(1, _MAX_PARAMS // width)
    one = "(" + ",".join("?" * width) + ")"
    full = f"{head} VALUES {','.join([one] * per)}"
    cursor = tuples(conn)
    for start in range(0, len(rows), per):
        part = rows[start:start + per]
        sql = full if len(part) == per else f"{head} VALUES {','.join([one] * len(part))}"
        cursor.execute(sql, list(chain.from_iterable(part)))


def values_by_key(conn: sqlite3.Connection, keys_table: str, column: str, owners: str,
                  keys: Collection[str]) -> dict[str, tuple[str, ...]]:
    """The ids of the owners (table ``owners``, named by pk in ``keys_table.column``) of each of ``keys``;
    key -> ids, oldest owner first (a tuple: most keys have one owner, and a
    tuple of one is half the memory of a list of one).

    An import looks up hundreds of thousands of keys: the answer holds the caller's key strings and
    one string per id (most people come back under several keys), not a copy per row. When the keys
    are about as many as the owners (a re-import asks for nearly every key the store holds), one pass
    over the keys table replaces an index search per key: less than half the time. ``keys`` may be a
    dict of each key to itself, which is then used as it is (an import's keys take a large dict).
    """
    wanted = keys if isinstance(keys, dict) else {k: k for k in keys}
    if not wanted:
        return {}
    # In owner order: each key's ids come oldest first, and an owner's keys come together.
    sql = f"SELECT k.key, o.id FROM {keys_table} k JOIN {owners} o ON o.pk = k.{column}"
    if _most_of(conn, owners, len(wanted)):
        rows: Iterable[tuple] = tuples(conn).execute(sql + f" ORDER BY k.{column}")
    else:
        rows = iter_in(conn, sql + f" WHERE k.key IN ({{marks}}) ORDER BY k.{column}", list(wanted))
    found: dict[str, tuple[str, ...]] = {}
    last = None
    for key, value in rows:
        if key in wanted:
            if value != last:
                last = value
            if key in found:  # a key that several people share (rare)
                found[key] += (last,)
            else:
                found[wanted[key]] = (last,)
    return found


def every_key(conn: sqlite3.Connection, lock, keys_table: str, column: str, owners: str,
              asked: int) -> Iterator[tuple[str, str]] | None:
    """Every (key, owner id) of ``keys_table``, oldest owner first, when ``asked`` values are most of
    ``owners`` (see ``GraphStore.every_person_key``); read a block of rows at a time, under ``lock``."""
    with lock:
        if not _most_of(conn, owners, asked):
            return None
        cursor = tuples(conn).execute(f"SELECT k.key, o.id FROM {keys_table} k JOIN {owners} o ON o.pk = k.{column} "
                                      f"ORDER BY k.{column}")

    def rows() -> Iterator[tuple[str, str]]:
        while True:
            with lock:
                block = cursor.fetchmany(50_000)
            if not block:
                return
            yield from block

    return rows()


def _most_of(conn: sqlite3.Connection, table: str, asked: int) -> bool:
    """Whether ``asked`` values are enough of ``table``'s rows to read it in one pass (see ``SCAN_SHARE``)."""
    return asked >= conn.execute(f"SELECT ifnull(max(pk), 0) FROM {table}").fetchone()[0] * SCAN_SHARE


_SOURCES_SQL = """SELECT p.id, group_concat(DISTINCT e.content_id) FROM evidence e JOIN people p ON p.pk = e.subject_pk
                  WHERE e.subject = 'person' GROUP BY e.subject_pk"""


def sources_of_people(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, frozenset[str]]:
    """The SHA-256 of every file that asserted each of these people (see ``GraphStore.sources_of_people``)."""
    wanted = {i: i for i in ids}  # the answer is keyed by the caller's id strings
    if not wanted:
        return {}
    if _most_of(conn, "people", len(wanted)):  # one pass over the people's evidence
        return {wanted[pid]: known for pid, known in _sources(conn, tuples(conn).execute(_SOURCES_SQL).fetchmany)
                if pid in wanted}
    # Else driven from the people: one index search per person (from the evidence side, SQLite would
    # read every person's evidence for each chunk of ids).
    shas, sets = _file_shas(conn), {}
    found: dict[str, frozenset[str]] = {}
    sql = """SELECT DISTINCT p.id, e.content_id FROM people p CROSS JOIN evidence e
             ON e.subject = 'person' AND e.subject_pk = p.pk WHERE p.id IN ({marks})"""
    for person_id, content in iter_in(conn, sql, list(wanted)):
        person_id = wanted.get(person_id, person_id)
        known = found.get(person_id, frozenset()) | {shas[content]}
        found[person_id] = sets.setdefault(known, known)
    return found


def every_source(conn: sqlite3.Connection, lock, asked: int) -> Iterator[tuple[str, frozenset[str]]] | None:
    """Every person's id with the SHA-256 of each file that asserted them, when ``asked`` people are
    most of the store (see ``GraphStore.every_person_sources``); read a block of rows at a time, under ``lock``."""
    with lock:
        if not _most_of(conn, "people", asked):
            return None
        cursor = tuples(conn).execute(_SOURCES_SQL)

    def fetch(size: int) -> list[tuple]:
        with lock:
            return cursor.fetchmany(size)

    return _sources(conn, fetch, lock)


def _file_shas(conn: sqlite3.Connection) -> dict[int, str]:
    return dict(conn.execute("SELECT id, sha256 FROM import_files").fetchall())


def _sources(conn: sqlite3.Connection, fetch, lock=None) -> Iterator[tuple[str, frozenset[str]]]:
    """(person id, files' SHA-256) from rows of (person id, their files' ids joined by commas).

    Files are few and so are their combinations (the same files asserted most people): each set is
    made once and shared.
    """
    if lock is None:
        shas = _file_shas(conn)
    else:
        with lock:
            shas = _file_shas(conn)
    by_text: dict[str, frozenset[str]] = {}
    while block := fetch(50_000):
        for person_id, contents in block:
            known = by_text.get(contents)
            if known is None:
                known = by_text[contents] = frozenset(shas[int(c)] for c in contents.split(","))
            yield person_id, known


def insert_rows(conn: sqlite3.Connection, table: str, columns: Sequence[str], rows: Sequence[tuple]) -> list[int]:
    """Insert new rows into ``table`` and return their pks, in order.

    The pks are the ones SQLite itself would choose (one past the largest; the write transaction is
    ours), given explicitly so that the rows are written in bulk instead of with a ``RETURNING`` per
    row: as multi-row statements (see :func:`insert_values`), but people and organisations one per step.
    """
    if not rows:
        return []
    top = conn.execute(f"SELECT max(pk) FROM {table}").fetchone()[0] or 0
    names = ", ".join(columns)
    if top + len(rows) >= _MAX_PK:  # SQLite would now pick unused pks at random: let it
        sql = f"INSERT INTO {table} ({names}) VALUES ({','.join('?' * len(columns))}) RETURNING pk"
        return [conn.execute(sql, row).fetchone()[0] for row in rows]
    rows = [(top + n, *row) for n, row in enumerate(rows, start=1)]
    if table in _FOUND_BY_ID:
        conn.executemany(f"INSERT INTO {table} (pk, {names}) VALUES ({','.join('?' * (len(columns) + 1))})", rows)
    else:
        insert_values(conn, f"INSERT INTO {table} (pk, {names})", rows)
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
    # By owner, then key (the order of the owner index), without a sort key function: there are many.
    insert_values(conn, f"INSERT OR IGNORE INTO {table} ({column}, key)", sorted((pk, key) for key, pk in want - have))


def refresh_person_keys(conn: sqlite3.Connection, pks: Iterable[int], values: dict[int, Person] | None = None,
                        new: Collection[int] = (), new_jobs: dict[int, list[str]] | None = None) -> None:
    """Rewrite the lookup keys of these people from their current values and jobs.

    ``values``: the current values of some of them (pk -> person), used instead of reading them back;
    ``new``: those inserted since keys were last written, which have none to compare with yet;
    ``new_jobs``: the organisation ids of every job of those (pk -> ids; all written since), used
    instead of reading them back.
    """
    pks = sorted(set(pks))
    values = values or {}
    orgs: dict[int, list[str]] = {}
    known_jobs = new_jobs if new_jobs is not None else {}
    sql = """SELECT e.person_pk, o.id FROM employments e JOIN organizations o ON o.pk = e.org_pk
             WHERE e.person_pk IN ({marks})"""
    for person_pk, org_id in select_in(conn, sql, [pk for pk in pks if not (pk in new and new_jobs is not None)]):
        orgs.setdefault(person_pk, []).append(org_id)
    for pk, org_ids in known_jobs.items():
        orgs[pk] = org_ids
    want: set[tuple] = set()  # (key, pk) of the people who may hold keys already
    fresh: list[tuple] = []  # (pk, key) of the new ones, in pk order: written as they are, nothing to compare

    def add(pk: int, keys: list[str]) -> None:
        if pk in new:
            fresh.extend([(pk, k) for k in keys])
        else:
            want.update([(k, pk) for k in keys])

    sql = "SELECT pk, name, linkedin_url, lists FROM people WHERE pk IN ({marks})"
    for pk, name, url, lists in select_in(conn, sql, [pk for pk in pks if pk not in values]):
        lists = json.loads(lists)
        add(pk, _person_keys(name, lists.get("name_variants", ()), lists.get("emails", ()), url, orgs.get(pk, ())))
    for pk in pks:
        p = values.get(pk)
        if p is not None:
            add(pk, _person_keys(p.name, p.name_variants, p.emails, p.linkedin_url, orgs.get(pk, ())))
    _replace_keys(conn, "person_keys", "person_pk", [pk for pk in pks if pk not in new], want)
    insert_values(conn, "INSERT OR IGNORE INTO person_keys (person_pk, key)", fresh)


def refresh_org_keys(conn: sqlite3.Connection, orgs: dict[int, Organization]) -> None:
    want = {(k, pk) for pk, o in orgs.items() for k in org_lookup_keys([o.name, *o.aliases], list(o.domains))}
    _replace_keys(conn, "org_keys", "org_pk", sorted(orgs), want)


def load_people(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, tuple[int, Person]]:
    """id -> (pk, person) of those of ``ids`` in the store."""
    return {person_id: (pk, person_of_row(person_id, row)) for person_id, (pk, row) in people_rows(conn, ids).items()}


def people_rows(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, tuple[int, tuple]]:
    """id -> (pk, row) of those of ``ids`` in the store; a row as :func:`person_row` makes it."""
    sql = "SELECT id, pk, name, linkedin_url, title, location, lists FROM people WHERE id IN ({marks})"
    return {r[0]: (r[1], r[2:]) for r in select_in(conn, sql, list(dict.fromkeys(ids)))}


def person_of_row(person_id: str, row: tuple) -> Person:
    name, url, title, location, lists = row
    return codec.person_from_dict({"id": person_id, "name": name, "linkedin_url": url, "title": title,
                                   "location": location, **json.loads(lists)})


def load_orgs(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, tuple[int, Organization]]:
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


def person_row(p: Person) -> tuple:
    """A person's columns in ``people`` (but its id), as written."""
    return (p.name, p.linkedin_url, p.title, p.location, person_lists(p))


def _org_row(o: Organization) -> tuple:
    lists = dumps({"aliases": list(o.aliases), "domains": list(o.domains)})
    return (o.name, codec.org_flags(o), lists, o.target_owner, o.priority)


def upsert(conn: sqlite3.Connection, table: str, values: dict[str, Any], current: dict[str, tuple[int, Any]],
           changed: set[int] | None = None) -> dict[str, int]:
    """Write folded people or organisations (``values``, by id; ``current``: what the store holds of
    them, id -> (pk, value)); id -> pk. A row whose value did not change is left alone; new rows get
    pks in the order of ``values``. The pks of the rows written (inserted or updated) are added to
    ``changed``."""
    columns, row = (_PERSON_COLUMNS, person_row) if table == "people" else (_ORG_COLUMNS, _org_row)
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
    inserted = insert_rows(conn, table, ("id", *columns), [(i, *row(values[i])) for i in new])
    pks.update(zip(new, inserted, strict=True))
    if changed is not None:
        changed.update(u[-1] for u in updates)
        changed.update(inserted)
    return pks


def upsert_people(conn: sqlite3.Connection, people: Sequence[Person], *, keys: bool = True) -> dict[str, int]:
    """Write folded people (insert or replace their values) and their lookup keys; id -> pk."""
    values = {}
    for p in people:  # the last value of an id wins; its first place orders the inserts
        values[p.id] = p
    pks = upsert(conn, "people", values, load_people(conn, values))
    if keys:  # an import refreshes its people's keys once, when it finishes
        refresh_person_keys(conn, pks.values())
    return pks


def upsert_orgs(conn: sqlite3.Connection, orgs: Sequence[Organization]) -> dict[str, int]:
    """Write folded organisations (insert or replace their values) and their lookup keys; id -> pk."""
    values = {}
    for o in orgs:
        values[o.id] = o
    pks = upsert(conn, "organizations", values, load_orgs(conn, values))
    refresh_org_keys(conn, {pks[i]: o for i, o in values.items()})
    return pks


def person_pk(conn: sqlite3.Connection, person_id: str) -> int:
    """The row id of a person. Raises ``NotFound`` for an unknown id."""
    row = conn.execute("SELECT pk FROM people WHERE id = ?", (person_id,)).fetchone()
    if row is None:
        raise NotFound(f"No person with id {person_id!r}.")
    return row[0]
