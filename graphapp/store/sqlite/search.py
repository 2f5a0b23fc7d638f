"""Finding people and organisations in the SQLite store by what a user types, and a person's
relationships with their evidence in one read (the People and Organisations pages).

Search is case- and accent-insensitive and partial. The text is folded (:func:`graphapp.domain.identity.fold_text`)
into words that must all appear in the name, in any order. Index range reads on the lookup keys find
exact names (nicknames included: "Kate Ashdown" finds Katherine Ashdown) and names that begin with the
text; a bounded ``LIKE`` scan of the names finds the text inside a name. ``LIKE`` ignores case only for
ASCII, so names that are not ASCII are folded by a Python function, called for those names only.
E-mails and domains are matched inside their lookup keys (``email:``, ``domain:``), a range of the
keys' primary-key index. At 100,000 people a search takes a few tens of milliseconds; a folded name
column (or an FTS5 trigram table) would make the inside-a-name part an index read too.

Every function runs under the store's lock on its connection (see ``SQLiteStore``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from graphapp.domain.identity import fold_text, name_key
from graphapp.model import Evidence, Relationship
from graphapp.store import codec
from graphapp.store.sqlite.rows import select_in, tuples

CANDIDATES = 1000  # rows read per kind of match before ranking; more means "type more of the name"
NAME, EMAIL, COMPANY, DOMAIN = "name", "e-mail", "company", "domain"
_NOT_ASCII = "length({0}) <> length(CAST({0} AS BLOB))"  # characters <> bytes: some are not ASCII
_LAST = "\U0010ffff"  # sorts after every character: the end of a prefix range


def _fold_function(conn: sqlite3.Connection) -> None:
    conn.create_function("graphapp_fold", 1, fold_text, deterministic=True)


def _words_clause(column: str, n: int) -> str:
    """SQL true when each of ``n`` folded words (parameters: each word's pattern twice) is in ``column``."""
    one = f"({column} LIKE ? OR ({_NOT_ASCII.format(column)} AND graphapp_fold({column}) LIKE ?))"
    return " AND ".join([one] * n)


def _words_params(words: list[str]) -> list[str]:
    return [p for w in words for p in (f"%{w}%", f"%{w}%")]


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _name_rank(name: str, words: list[str]) -> int:
    """0 the whole name, 1 its beginning, 2 the beginning of its words, 3 inside it."""
    folded = fold_text(name)
    text = " ".join(words)
    if folded == text:
        return 0
    if folded.startswith(text):
        return 1
    starts = folded.split()
    if all(any(s.startswith(w) for s in starts) for w in words):
        return 2
    return 3


class _Ranking:
    """The best (rank, field) per row id, then the rows in rank order."""

    def __init__(self) -> None:
        self.best: dict[int, tuple[int, str, str, str]] = {}  # pk -> (rank, folded name, id, field)

    def offer(self, pk: int, rank: int, name: str, row_id: str, field: str) -> None:
        found = self.best.get(pk)
        if found is None or rank < found[0]:
            self.best[pk] = (rank, fold_text(name), row_id, field)

    def top(self, limit: int) -> list[tuple[str, str]]:
        return [(row_id, field) for _r, _n, row_id, field in sorted(self.best.values())[:limit]]


def search_people(conn: sqlite3.Connection, text: str, limit: int = 50) -> list[tuple[str, str]]:
    """People whose name, e-mail or organisation matches ``text``, best first.

    Parameters:
        text: what the user typed: part of a name (any case, with or without accents), of an
            e-mail address, or of an organisation's name or domain.
        limit: the most results.

    Returns:
        (person id, what matched: ``name``, ``e-mail`` or ``company``) pairs; a whole name or e-mail
        first, then names that begin with the text, names holding it, e-mails holding it, and people
        at matching organisations (current jobs before past ones); equal ranks by name.
    """
    words, raw = fold_text(text).split(), " ".join(text.split()).lower()
    if not words and not raw:
        return []
    _fold_function(conn)
    cursor, ranking = tuples(conn), _Ranking()
    if words:
        for pk, pid, name in _people_by_name_keys(cursor, words):
            ranking.offer(pk, _name_rank(name, words), name, pid, NAME)
        sql = f"SELECT pk, id, name FROM people WHERE {_words_clause('name', len(words))} LIMIT {CANDIDATES}"
        for pk, pid, name in cursor.execute(sql, _words_params(words)):
            ranking.offer(pk, _name_rank(name, words), name, pid, NAME)
    if raw and " " not in raw:
        sql = f"""SELECT p.pk, p.id, p.name, k.key FROM person_keys k CROSS JOIN people p ON p.pk = k.person_pk
                  WHERE k.key >= 'email:' AND k.key < 'email;' AND substr(k.key, 7) LIKE ? ESCAPE '\\'
                  LIMIT {CANDIDATES}"""
        for pk, pid, name, key in cursor.execute(sql, (f"%{_like_escape(raw)}%",)):
            ranking.offer(pk, 0 if key == f"email:{raw}" else 4, name, pid, EMAIL)
    org_pks = [pk for pk, _rank, _field in _matching_orgs(cursor, words, raw)]
    sql = """SELECT p.pk, p.id, p.name, max(e.current) FROM employments e CROSS JOIN people p ON p.pk = e.person_pk
             WHERE e.org_pk IN ({marks}) GROUP BY p.pk"""
    for pk, pid, name, current in select_in(conn, sql, org_pks[:50])[:CANDIDATES]:
        ranking.offer(pk, 5 if current else 6, name, pid, COMPANY)
    return ranking.top(limit)


def _people_by_name_keys(cursor: sqlite3.Cursor, words: list[str]) -> Iterable[tuple[int, str, str]]:
    """People whose name key is the text's (a whole name, nicknames folded) or begins with it: index ranges."""
    text, key = " ".join(words), name_key(" ".join(words))
    ranges = [(f"name:{text}", f"name:{text}{_LAST}")]
    if key and key != text:
        ranges.append((f"name:{key}|", f"name:{key}}}"))
    sql = f"""SELECT DISTINCT p.pk, p.id, p.name FROM person_keys k CROSS JOIN people p ON p.pk = k.person_pk
              WHERE k.key >= ? AND k.key < ? LIMIT {CANDIDATES}"""
    for low, high in ranges:
        yield from cursor.execute(sql, (low, high)).fetchall()


def search_organizations(conn: sqlite3.Connection, text: str, limit: int = 50) -> list[tuple[str, str]]:
    """Organisations whose name (or alias key) or domain matches ``text``, best first.

    Returns:
        (organisation id, what matched: ``name`` or ``domain``) pairs; a whole name first, then names
        that begin with the text, names holding it, then domains holding it; equal ranks by name.
    """
    words, raw = fold_text(text).split(), " ".join(text.split()).lower()
    if not words and not raw:
        return []
    _fold_function(conn)
    cursor, ranking = tuples(conn), _Ranking()
    rows = {pk: (rank, field) for pk, rank, field in _matching_orgs(cursor, words, raw)}
    sql = "SELECT pk, id, name FROM organizations WHERE pk IN ({marks})"
    for pk, oid, name in select_in(conn, sql, list(rows)):
        ranking.offer(pk, rows[pk][0], name, oid, rows[pk][1])
    return ranking.top(limit)


def _matching_orgs(cursor: sqlite3.Cursor, words: list[str], raw: str) -> list[tuple[int, int, str]]:
    """(organisation pk, rank, field) of organisations whose name holds every word or whose domain holds
    ``raw``, best rank first."""
    found: dict[int, tuple[int, str]] = {}
    if words:
        sql = f"SELECT pk, name FROM organizations WHERE {_words_clause('name', len(words))} LIMIT {CANDIDATES}"
        for pk, name in cursor.execute(sql, _words_params(words)):
            found[pk] = (_name_rank(name, words), NAME)
    if raw and " " not in raw:
        sql = f"""SELECT org_pk, key FROM org_keys WHERE key >= 'domain:' AND key < 'domain;'
                  AND substr(key, 8) LIKE ? ESCAPE '\\' LIMIT {CANDIDATES}"""
        for pk, key in cursor.execute(sql, (f"%{_like_escape(raw)}%",)):
            rank = 0 if key == f"domain:{raw}" else 4
            if pk not in found or rank < found[pk][0]:
                found[pk] = (rank, DOMAIN)
    return sorted(((pk, rank, field) for pk, (rank, field) in found.items()), key=lambda r: (r[1], r[0]))


def relationships_with_evidence(conn: sqlite3.Connection, person_id: str) -> list[tuple[Relationship, list[Evidence]]]:
    """Every relationship with ``person_id`` at either end, each with its evidence, in two index reads.

    Returns:
        (relationship, evidence in the order written) pairs in the order the relationships were
        written; empty for an unknown person.
    """
    cursor = tuples(conn)
    row = cursor.execute("SELECT pk FROM people WHERE id = ?", (person_id,)).fetchone()
    if row is None:
        return []
    columns = """r.pk, s.id, t.id, r.kind, r.owner, r.visibility, r.profession, r.first_seen, r.last_interaction,
                 r.count_out, r.count_in, r.strength_override"""
    sql = f"""SELECT {columns} FROM relationships r CROSS JOIN people s ON s.pk = r.source_pk
              CROSS JOIN people t ON t.pk = r.target_pk WHERE r.source_pk = ?1
              UNION ALL
              SELECT {columns} FROM relationships r CROSS JOIN people s ON s.pk = r.source_pk
              CROSS JOIN people t ON t.pk = r.target_pk WHERE r.target_pk = ?1 ORDER BY 1"""
    rels = {r[0]: _relationship(r[1:]) for r in cursor.execute(sql, (row[0],)).fetchall()}
    evidence: dict[int, list[Evidence]] = {pk: [] for pk in rels}
    sql = """SELECT e.subject_pk, f.import_id, f.name, e.fact, e.owner, e.row, f.sha256 FROM evidence e
             CROSS JOIN import_files f ON f.id = e.file_id
             WHERE e.subject = 'relationship' AND e.subject_pk IN ({marks}) ORDER BY e.pk"""
    for pk, *ev in select_in(conn, sql, list(rels)):
        evidence[pk].append(Evidence(*ev))
    return [(rel, evidence[pk]) for pk, rel in rels.items()]


def _relationship(r: tuple) -> Relationship:
    source, target, kind, owner, visibility, profession, first, last, count_out, count_in, override = r
    return Relationship(source_id=source, target_id=target, kind=kind, owner=owner, visibility=visibility,
                        profession=profession, first_seen=codec.parse_date(first),
                        last_interaction=codec.parse_date(last), count_out=count_out, count_in=count_in,
                        strength_override=override)
