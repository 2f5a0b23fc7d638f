"""The identity invariants on the SQLite store (:mod:`graphapp.domain.invariants`): the whole store for
``graphapp doctor``, or only what one import touched, inside its transaction, before it commits.

For ``graphapp doctor``, a person's e-mails and LinkedIn URL are read from the person's own row (the
lookup keys are derived from it, so a person written around the keys is still seen) and compared as
written and normalised. Before an import commits, the people it touched are first looked for in the
``person_keys`` index, which the import has just written from their rows, in the one form ingest
writes (lower-case e-mails, ``https://www.linkedin.com/in/<slug>``): an e-mail or URL that two people
hold there sends those people to the full check, which explains the conflict. That first look costs a
tenth of the full check on a 100,000-person import.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection

from graphapp.domain.invariants import (
    Violation,
    no_evidence,
    normal_key,
    rep_violations,
    self_relationship,
    shared_key_violations,
)
from graphapp.store.sqlite.rows import select_in

_STRONG_KEYS = ("(k.key >= 'email:' AND k.key < 'email;') OR (k.key >= 'linkedin:' AND k.key < 'linkedin;')")
_TIE_LABEL = "s.id || ' -> ' || t.id || ' (' || r.kind || ', ' || r.owner || ')'"


def identity_violations(conn: sqlite3.Connection, people: Collection[int] | None = None,
                        orgs: Collection[int] | None = None,
                        relationships: Collection[int] | None = None) -> list[Violation]:
    """Every violation of the identity rules; with pks given, only those that involve these people,
    organisations and relationships (the reps are always checked: they are few).

    Returns:
        The violations, sorted by rule, then ids.
    """
    whole = people is None and orgs is None and relationships is None
    if whole:
        found = _shared_keys(conn, None)
    else:
        found = _shared_keys(conn, held) if (held := _holding_shared_keys(conn, people or ())) else []
    found += _reps(conn)
    found += _people_without_evidence(conn, None if whole else people or ())
    found += _orgs_without_evidence(conn, None if whole else orgs or ())
    found += _relationships(conn, None if whole else relationships or ())
    return sorted(found)


_SCAN_SHARE = 0.25
"""The share of a table an import must touch for its check to read the table whole and pick the rows
touched, rather than look each one up (for the e-mail and URL keys: about 1 us a key read in order,
against 4 us a person looked up)."""


def _holding_shared_keys(conn: sqlite3.Connection, pks: Collection[int]) -> set[int]:
    """Those of ``pks`` who hold an e-mail or LinkedIn key of ``person_keys`` that someone else holds too;
    empty when there are none (nearly always)."""
    pks = set(pks)
    if not pks:
        return set()
    people = conn.execute("SELECT ifnull(max(pk), 0) FROM people").fetchone()[0]
    if len(pks) >= people * _SCAN_SHARE:  # keys that two hold are neighbours in the key index
        shared = [key for (key,) in conn.execute(
            f"SELECT k.key FROM person_keys k WHERE {_STRONG_KEYS} GROUP BY k.key HAVING count(*) > 1")]
    else:
        shared = [key for (key,) in conn.execute(
            f"""SELECT DISTINCT k.key FROM person_keys k WHERE k.person_pk IN (SELECT value FROM json_each(?))
                AND ({_STRONG_KEYS})
                AND EXISTS (SELECT 1 FROM person_keys o WHERE o.key = k.key AND o.person_pk <> k.person_pk)""",
            (json.dumps(sorted(pks)),))]
    holders = {pk for (pk,) in select_in(conn, "SELECT person_pk FROM person_keys WHERE key IN ({marks})", shared)}
    return holders & pks


def _shared_keys(conn: sqlite3.Connection, pks: Collection[int] | None) -> list[Violation]:
    """``shared-email`` / ``shared-linkedin`` among these people (None: everyone), and, for some people,
    between them and anyone else whose lookup keys hold one of their e-mails or URLs, as written on
    their rows or normalised (:func:`~graphapp.domain.invariants.normal_key`).

    The search is one statement: SQLite compares and groups the keys (a person's own lookup keys, nearly
    all of those it finds, never come back to Python), and only the keys two people hold are returned.
    """
    conn.create_function("normal_key", 1, normal_key, deterministic=True)
    # Of some people: SQLite scans the table when they are most of it, and looks them up when few.
    chosen = "true" if pks is None else "p.pk IN (SELECT value FROM json_each(:pks))"
    others = "" if pks is None else """
        UNION ALL
        SELECT k.key, p.id FROM own o JOIN person_keys k ON k.key IN (o.key, o.n) AND k.person_pk <> o.pk
        JOIN people p ON p.pk = k.person_pk"""
    elsewhere = "" if pks is None else """
        UNION SELECT o.n FROM own o JOIN person_keys k ON k.key IN (o.key, o.n) AND k.person_pk <> o.pk"""
    pairs = conn.execute(f"""
        WITH own AS MATERIALIZED (
            SELECT key, normal_key(key) AS n, pk, id FROM (
                SELECT 'email:' || j.value AS key, p.pk, p.id FROM people p, json_each(p.lists, '$.emails') j
                WHERE {chosen}
                UNION ALL
                SELECT 'linkedin:' || p.linkedin_url, p.pk, p.id FROM people p WHERE p.linkedin_url IS NOT NULL AND {chosen})),
        shared(n) AS (SELECT n FROM own WHERE n IS NOT NULL GROUP BY n HAVING count(DISTINCT id) > 1{elsewhere})
        SELECT o.key, o.id FROM own o WHERE o.n IN shared{others}""",
        {} if pks is None else {"pks": json.dumps(sorted(set(pks)))}).fetchall()
    first = shared_key_violations(pairs, {})
    if not first:
        return []
    ids = sorted({pid for v in first for pid in v.ids})  # the second pass names them
    return shared_key_violations(pairs, dict(select_in(conn, "SELECT id, name FROM people WHERE id IN ({marks})", ids)))


def _reps(conn: sqlite3.Connection) -> list[Violation]:
    rows = conn.execute("SELECT r.email, p.id, p.name FROM reps r LEFT JOIN people p ON p.pk = r.person_pk").fetchall()
    return rep_violations([(r[0], r[1]) for r in rows], {r[1]: r[2] for r in rows if r[1]})


def _people_without_evidence(conn: sqlite3.Connection, pks: Collection[int] | None) -> list[Violation]:
    sql = """SELECT p.pk, p.id, p.name FROM people p
             WHERE NOT EXISTS (SELECT 1 FROM evidence e WHERE e.subject = 'person' AND e.subject_pk = p.pk)
               AND NOT EXISTS (SELECT 1 FROM reps r WHERE r.person_pk = p.pk)"""
    return [no_evidence("person", pid, name) for pid, name in _rows_of(conn, "people", sql, "p.pk", pks)]


def _orgs_without_evidence(conn: sqlite3.Connection, pks: Collection[int] | None) -> list[Violation]:
    sql = """SELECT o.pk, o.id, o.name FROM organizations o
             WHERE NOT EXISTS (SELECT 1 FROM evidence e WHERE e.subject = 'organization' AND e.subject_pk = o.pk)"""
    return [no_evidence("organization", oid, name) for oid, name in _rows_of(conn, "organizations", sql, "o.pk", pks)]


def _relationships(conn: sqlite3.Connection, pks: Collection[int] | None) -> list[Violation]:
    """Relationships without evidence, and from a person to themself. Read whole, the pks without
    evidence are found as one set difference (a lookup per relationship costs half again as much)."""
    select = f"""SELECT r.pk, {_TIE_LABEL}, r.kind || ', ' || r.owner, s.id, s.name
                 FROM relationships r JOIN people s ON s.pk = r.source_pk JOIN people t ON t.pk = r.target_pk"""
    bare = "SELECT pk FROM relationships EXCEPT SELECT subject_pk FROM evidence WHERE subject = 'relationship'"
    unbacked = _rows_of(conn, "relationships", f"{select} WHERE r.pk IN ({bare})", "r.pk", pks, f"""{select}
                        WHERE NOT EXISTS (SELECT 1 FROM evidence e WHERE e.subject = 'relationship' AND e.subject_pk = r.pk)""")
    loops = _rows_of(conn, "relationships", f"{select} WHERE r.source_pk = r.target_pk", "r.pk", pks)
    found = [no_evidence("relationship", label.split(" (")[0], kind_owner) for label, kind_owner, *_ in unbacked]
    found += [self_relationship(pid, f"({kind_owner})", {pid: name}) for _l, kind_owner, pid, name in loops]
    return found


def _rows_of(conn: sqlite3.Connection, table: str, sql: str, pk: str, pks: Collection[int] | None,
             looking_up: str | None = None) -> list[tuple]:
    """The rows ``sql`` selects (its first column: the ``pk`` of ``table``, left out of the answer) of these
    pks (None: all of them): read whole and picked when the pks are most of the table, else looked up in
    chunks (with ``looking_up``, a statement for that, if not ``sql``; either ends in a WHERE clause)."""
    if pks is None:
        return [row[1:] for row in conn.execute(sql)]
    pks = set(pks)
    if len(pks) >= conn.execute(f"SELECT ifnull(max(pk), 0) FROM {table}").fetchone()[0] * _SCAN_SHARE:
        return [row[1:] for row in conn.execute(sql) if row[0] in pks]
    return [row[1:] for row in select_in(conn, f"{looking_up or sql} AND {pk} IN ({{marks}})", sorted(pks))]


_TABLES = {"person": "people", "organization": "organizations"}


def evidence_files(conn: sqlite3.Connection, subject: str, ids: Collection[str]) -> dict[str, list[tuple[str, str]]]:
    """id -> the (file name, owner) pairs of the evidence behind each person or organisation, oldest first."""
    sql = f"""SELECT x.id, f.name, e.owner FROM {_TABLES[subject]} x
              JOIN evidence e ON e.subject = ? AND e.subject_pk = x.pk CROSS JOIN import_files f ON f.id = e.file_id
              WHERE x.id IN ({{marks}}) GROUP BY x.id, f.name, e.owner ORDER BY min(e.pk)"""
    found: dict[str, list[tuple[str, str]]] = {}
    for subject_id, name, owner in select_in(conn, sql, sorted(set(ids)), first=(subject,)):
        found.setdefault(subject_id, []).append((name, owner))
    return found
