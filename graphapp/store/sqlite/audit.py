"""The SQLite store's audit log, suppression list and "forget this person" (schema v5: ``audit``, ``suppressed``).

Every function here runs on the store's connection; those that write do so inside a transaction the
caller opened (``SQLiteStore.write_transaction``), so an audit row commits or rolls back with the
change it records. Audit rows hold ids, hashes and counts only (see :mod:`graphapp.audit`).

Hashes are SHA-256 over a random salt kept in ``meta`` (created once, on the first need) and the
value, so a hash names an e-mail without revealing it and cannot be looked up in a table of
known e-mails' hashes made elsewhere.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime

from graphapp.audit import AuditEntry, audit_actor, hash_with, suppressible_keys
from graphapp.errors import InputError, NotFound
from graphapp.model import Visibility
from graphapp.store.base import chunked
from graphapp.store.sqlite.rows import person_pk

SALT_KEY = "audit_salt"


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


# -- the log --------------------------------------------------------------------------------------
def write(conn: sqlite3.Connection, action: str, objects: Iterable[str] = (), counts: Mapping[str, int] | None = None,
          *, actor: str | None = None, hashed: Iterable[str] = ()) -> None:
    """Append one audit row in the caller's open transaction; ``hashed`` values are stored as ``hash:<salted>``."""
    names = [str(o) for o in objects] + [f"hash:{salted_hash(conn, v)}" for v in hashed]
    conn.execute("INSERT INTO audit (time, actor, action, objects, counts) VALUES (?, ?, ?, ?, ?)",
                 (now_iso(), audit_actor(actor), action, json.dumps(names),
                  json.dumps({k: int(v) for k, v in (counts or {}).items()}, sort_keys=True)))


def write_alone(conn: sqlite3.Connection, action: str, objects: Iterable[str] = (),
                counts: Mapping[str, int] | None = None, *, actor: str | None = None, hashed: Iterable[str] = ()) -> None:
    """Append one audit row in a transaction of its own (sign-ins, failures): the graph's data version
    is not bumped, so the in-memory graph view stays valid."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        write(conn, action, objects, counts, actor=actor, hashed=hashed)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def read_log(conn: sqlite3.Connection, limit: int = 100, action: str | None = None) -> list[AuditEntry]:
    """The newest ``limit`` audit rows (of one ``action`` when given), newest first."""
    sql = "SELECT pk, time, actor, action, objects, counts FROM audit"
    params: list = []
    if action:
        sql += " WHERE action = ?"
        params.append(action)
    sql += " ORDER BY pk DESC LIMIT ?"
    params.append(max(0, int(limit)))
    return [AuditEntry(r[0], datetime.fromisoformat(r[1]), r[2], r[3], tuple(json.loads(r[4])), json.loads(r[5]))
            for r in conn.execute(sql, params)]


# -- salted hashes and the suppression list ---------------------------------------------------------
def salt(conn: sqlite3.Connection, *, create: bool = True) -> str | None:
    """The database's salt (created once, inside the caller's write transaction, when ``create``)."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (SALT_KEY,)).fetchone()
    if row is not None:
        return row[0]
    if not create:
        return None
    value = secrets.token_hex(16)
    conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (SALT_KEY, value))
    return value


def set_salt(conn: sqlite3.Connection, value: str) -> None:
    """Take another store's salt (``graphapp sync`` into an empty file), so its suppression hashes still match."""
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (SALT_KEY, value))


def salted_hash(conn: sqlite3.Connection, value: str) -> str:
    return hash_with(salt(conn) or "", value)


def suppressed_keys(conn: sqlite3.Connection, keys: Sequence[str]) -> set[str]:
    """Which of these lookup keys (``email:...``, ``linkedin:...``) belong to a forgotten, suppressed person."""
    if not keys or conn.execute("SELECT 1 FROM suppressed LIMIT 1").fetchone() is None:
        return set()  # the common case: nothing to hash
    salt_value = salt(conn, create=False)
    if salt_value is None:
        return set()
    by_hash = {hash_with(salt_value, k): k for k in set(keys)}
    found: set[str] = set()
    for part in chunked(list(by_hash), 500):
        marks = ",".join("?" * len(part))
        found.update(by_hash[r[0]] for r in conn.execute(f"SELECT hash FROM suppressed WHERE hash IN ({marks})", part))
    return found


def list_suppressed(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    """(hash, time, actor) of every suppression, newest first."""
    return [tuple(r) for r in conn.execute("SELECT hash, time, actor FROM suppressed ORDER BY time DESC, hash")]


def unsuppress(conn: sqlite3.Connection, hash_value: str) -> bool:
    """Remove one suppression (an admin's decision); audited. False when there was none."""
    removed = conn.execute("DELETE FROM suppressed WHERE hash = ?", (hash_value,)).rowcount
    if removed:
        write(conn, "unsuppress", [f"hash:{hash_value}"], {"removed": removed})
    return bool(removed)


# -- forgetting a person ----------------------------------------------------------------------------
def forget(conn: sqlite3.Connection, person_id: str, *, suppress: bool) -> dict[str, int]:
    """Remove a person and everything about them, audited; returns what was removed, by kind.

    Removes their row, lookup keys, jobs, every relationship with them at either end (whoever keeps it),
    the evidence rows behind all of these, and the introduction requests that name them (as connector,
    target or anywhere on the recorded path). With ``suppress``, their e-mail and LinkedIn keys are
    added to the suppression list as salted hashes, so importers skip them from now on.

    Raises:
        NotFound: no person has this id.
        InputError: the person is a rep (offboard them first).
    """
    row = conn.execute("SELECT pk, lists FROM people WHERE id = ?", (person_id,)).fetchone()
    if row is None:
        raise NotFound(f"No person with id {person_id!r}; search for them on the People page.")
    pk = row[0]
    if conn.execute("SELECT 1 FROM reps WHERE person_pk = ?", (pk,)).fetchone():
        raise InputError(f"{person_id} is a rep on the team; a rep is offboarded, not forgotten.")
    keys = suppressible_keys([r[0] for r in conn.execute("SELECT key FROM person_keys WHERE person_pk = ?", (pk,))],
                             json.loads(row[1]).get("emails", ()))
    relationships = [r[0] for r in conn.execute(
        "SELECT pk FROM relationships WHERE source_pk = ? UNION SELECT pk FROM relationships WHERE target_pk = ?",
        (pk, pk))]
    jobs = [r[0] for r in conn.execute("SELECT pk FROM employments WHERE person_pk = ?", (pk,))]
    counts = {"relationships": len(relationships), "employments": len(jobs), "evidence": 0}
    for subject, pks in (("relationship", relationships), ("employment", jobs), ("person", [pk])):
        for part in chunked(pks, 500):
            marks = ",".join("?" * len(part))
            counts["evidence"] += conn.execute(
                f"DELETE FROM evidence WHERE subject = ? AND subject_pk IN ({marks})", (subject, *part)).rowcount
    counts["keys"] = conn.execute("DELETE FROM person_keys WHERE person_pk = ?", (pk,)).rowcount
    counts["intros"] = conn.execute(
        "DELETE FROM intros WHERE connector_id = ? OR target_id = ? OR instr(path, ?) > 0",
        (person_id, person_id, json.dumps(person_id))).rowcount
    conn.execute("DELETE FROM people WHERE pk = ?", (pk,))  # cascades: jobs, relationships
    hashes = []
    if suppress:
        salt_value = salt(conn)
        hashes = sorted(hash_with(salt_value, k) for k in keys)
        conn.executemany("INSERT OR IGNORE INTO suppressed (hash, time, actor) VALUES (?, ?, ?)",
                         [(h, now_iso(), audit_actor()) for h in hashes])
    counts["suppressed"] = len(hashes)
    write(conn, "forget", [person_id, *(f"hash:{h}" for h in hashes)], counts)
    return counts


def forget_suppressed(conn: sqlite3.Connection) -> list[str]:
    """Forget again everyone whose lookup keys are on the suppression list (after a restore). Returns their ids."""
    rows = conn.execute("SELECT k.key, p.id FROM person_keys k JOIN people p ON p.pk = k.person_pk "
                        "WHERE k.key LIKE 'email:%' OR k.key LIKE 'linkedin:%'").fetchall()
    hit = suppressed_keys(conn, [r[0] for r in rows])
    ids = sorted({r[1] for r in rows if r[0] in hit})
    for person_id in ids:
        if conn.execute("SELECT 1 FROM people WHERE id = ?", (person_id,)).fetchone():
            forget(conn, person_id, suppress=True)
    return ids


# -- visibility -------------------------------------------------------------------------------------
def set_person_visibility(conn: sqlite3.Connection, person_id: str, owner: str, visibility: str) -> int:
    """Set the visibility of every relationship ``owner`` keeps with a person; audited. Returns how many changed.

    Raises:
        InputError: an unknown visibility.
        NotFound: an unknown person.
    """
    try:
        value = Visibility(visibility).value
    except ValueError:
        raise InputError(f"Unknown visibility {visibility!r}; choose private, existence or team.") from None
    pk = person_pk(conn, person_id)
    changed = conn.execute(
        "UPDATE relationships SET visibility = ? WHERE owner = ? AND visibility <> ? AND (source_pk = ? OR target_pk = ?)",
        (value, owner, value, pk, pk)).rowcount
    write(conn, "set-visibility", [person_id, f"visibility:{value}"], {"changed": changed})
    return changed