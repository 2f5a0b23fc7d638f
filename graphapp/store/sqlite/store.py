"""The embedded default store: one SQLite file (WAL, foreign keys, full sync, busy timeout).

Opening refuses, naming the path and changing nothing, a directory, a file that is not SQLite, an
SQLite file that is not graphapp's, and a file written by a newer schema. Older schemas are migrated
forward in one transaction.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from array import array
from collections.abc import Collection, Iterator, Mapping, Sequence, Set
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import numpy as np

from graphapp.domain.duplicates import KeptApart
from graphapp.domain.invariants import Violation, refusal
from graphapp.errors import GraphChanged, IdentityConflict, InputError, NotFound, StoreError
from graphapp.model import (
    KIND_ORDER,
    VISIBILITY_ORDER,
    Employment,
    Evidence,
    GraphSnapshot,
    ImportRecord,
    IntroEvent,
    IntroRequest,
    Organization,
    OwnerContribution,
    Person,
    Relationship,
    Rep,
    StoreCounts,
    StoreSummary,
)
from graphapp.store import codec
from graphapp.store.base import GRAPH_CHANGED, BatchWriter, GraphStore, chunked
from graphapp.store.digest import DIGEST_SECTIONS, content_digest
from graphapp.store.sqlite import audit, decisions, doctor, team
from graphapp.store.sqlite import search as sqlite_search
from graphapp.store.sqlite import snapshot_cache as cached
from graphapp.store.sqlite.backup import auto_backup, backup_to, check_backup, restore_from
from graphapp.store.sqlite.failures import is_not_a_database, store_error
from graphapp.store.sqlite.merge import merge_people, split_person
from graphapp.store.sqlite.moves import job_moves
from graphapp.store.sqlite.rows import every_key, every_source, person_pk, sources_of_people, values_by_key
from graphapp.store.sqlite.schema import APPLICATION_ID, SCHEMA_VERSION, migrate
from graphapp.store.sqlite.snapshot_cache import cache_path
from graphapp.store.sqlite.write import SQLiteWriter, undo_import, upsert_people

SQLITE_MAGIC = b"SQLite format 3\x00"
# A job is current unless the same person has a current job that a newer source reports.
CURRENT = """(e.current AND NOT EXISTS (SELECT 1 FROM employments n WHERE n.person_pk = e.person_pk
              AND n.pk <> e.pk AND n.current AND n.as_of > e.as_of))"""
BUSY_TIMEOUT_MS = 5000


def open_sqlite(path: str | os.PathLike[str], *, create: bool = True, backup_keep: int = 10) -> SQLiteStore:
    """Open (and with ``create``, create) the graphapp database at ``path``; ``backup_keep`` automatic
    backups are kept next to it.

    Raises:
        StoreError: the path is a directory, unwritable, missing (without ``create``), not a
            graphapp database, or written by a newer graphapp.
    """
    path = Path(path)
    _check_path(path, create=create)
    try:
        mode = "rwc" if create else "rw"
        conn = sqlite3.connect(
            f"file:{path.resolve()}?mode={mode}",
            uri=True,
            isolation_level=None,
            check_same_thread=False,
            timeout=BUSY_TIMEOUT_MS / 1000,
        )
    except sqlite3.Error as exc:
        raise StoreError(f"Cannot open the database {path}: {exc}.") from None
    try:
        _check_and_migrate(conn, path, backup_keep)
    except BaseException:
        conn.close()
        raise
    return SQLiteStore(conn, str(path), backup_keep)


def _check_path(path: Path, *, create: bool) -> None:
    if path.is_dir():
        raise StoreError(f"{path} is a directory; give the path of a database file, e.g. {path / 'graphapp.db'}.")
    if path.exists():
        if not os.access(path, os.R_OK | os.W_OK):
            raise StoreError(f"Cannot open the database {path}: permission denied (it must be readable and writable).")
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
        if head and head != SQLITE_MAGIC:
            raise StoreError(f"{path} is not a graphapp database (it is not an SQLite file); choose another --db path.")
        return
    if not create:
        raise StoreError(f"No graphapp database at {path}; create one with `graphapp --db {path} init` or load the demo with `graphapp --db {path} demo`.")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise StoreError(f"Cannot create the database {path}: the folder {parent} does not exist.")
    if not os.access(parent, os.W_OK):
        raise StoreError(f"Cannot create the database {path}: the folder {parent} is not writable.")


def _check_and_migrate(conn: sqlite3.Connection, path: Path, backup_keep: int) -> None:
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        if not is_not_a_database(exc):  # a full or failing disk, not the file's fault
            raise _store_error(exc, path) from None
        raise StoreError(f"{path} is not a graphapp database ({exc}); choose another --db path.") from None
    if app_id != APPLICATION_ID and tables:
        raise StoreError(f"{path} is an SQLite database but not a graphapp one; choose another --db path.")
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path} was written by a newer graphapp (schema {version}; this version knows up to {SCHEMA_VERSION}). "
            "Upgrade graphapp to open it; it was not changed."
        )
    try:  # a new file is written first here: a full disk says so here
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        journal = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        conn.execute("PRAGMA synchronous = FULL")
    except sqlite3.Error as exc:
        raise _store_error(exc, path) from None
    if journal.lower() != "wal":
        raise StoreError(f"Cannot switch {path} to write-ahead logging; is it on a network file system?")
    if 0 < version < SCHEMA_VERSION:  # an existing database is about to change shape: keep it as it was
        auto_backup(conn, path, f"schema-{version}", backup_keep, verify_digest=False)
    try:
        migrate(conn, version)
    except sqlite3.OperationalError as exc:
        raise _store_error(exc, path) from None


def _store_error(exc: sqlite3.Error, location: str | Path) -> StoreError:
    return store_error(exc, location)  # busy, a full disk (with what to do), a failing disk: see failures.py


class SQLiteStore(GraphStore):
    """A graph store in one SQLite file. Thread-safe: one connection behind a lock."""

    def __init__(self, conn: sqlite3.Connection, location: str, backup_keep: int = 10) -> None:
        self._conn = conn
        self._backup_keep = backup_keep
        self._conn.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        self.location = location

    # -- lifecycle ---------------------------------------------------------------------------
    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def data_version(self) -> int:
        return int(self._one("SELECT value FROM meta WHERE key = 'data_version'")[0])

    def pragma(self, name: str) -> object:
        """Read one PRAGMA (for checks and tests)."""
        if not name.isidentifier():
            raise ValueError(name)
        return self._one(f"PRAGMA {name}")[0]

    @contextmanager
    def write_transaction(self) -> Iterator[sqlite3.Connection]:
        """One immediate write transaction; errors roll back and become StoreError/StoreBusy."""
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise _store_error(exc, self.location) from None
            try:
                yield self._conn
                self._conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'data_version'")
                self._conn.execute("COMMIT")
                self._drop_snapshot_copy()
            except BaseException as exc:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise _store_error(exc, self.location) from None
                raise

    # -- writes ------------------------------------------------------------------------------
    @contextmanager
    def importing(self, record: ImportRecord, *, read_at: int | None = None) -> Iterator[BatchWriter]:
        try:
            with self.write_transaction() as conn:
                if read_at is not None:  # the write lock is held: nothing can land between this check and the commit
                    now = int(conn.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()[0])
                    if now != read_at:
                        raise GraphChanged(GRAPH_CHANGED)
                writer = SQLiteWriter(conn, record)
                yield writer
                writer.finish()
                violations = writer.violations()
                if violations:  # raised inside the transaction: it rolls back
                    raise IdentityConflict(refusal(violations, record.id))
                audit.write(conn, "import", [record.id, *(f"sha256:{f.sha256}" for f in record.files)],
                            writer.added(), actor=record.actor)
        except Exception as exc:
            self._audit_failure(record, exc)  # after the rollback, in a transaction of its own
            raise
        with self._lock:  # DUR-6: give the write-ahead log back after an import; never wait on a reader for it
            self._conn.execute("PRAGMA busy_timeout = 0")
            try:
                self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            except sqlite3.Error:
                pass  # busy or failed: the next import tries again, and SQLite's own checkpoints go on
            finally:
                self._conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

    def _audit_failure(self, record: ImportRecord, exc: Exception) -> None:
        try:
            with self._lock:
                audit.write_alone(self._conn, "import-failed", [record.id, f"error:{type(exc).__name__}"],
                                  actor=record.actor)
        except Exception:  # the store itself failed (disk full, locked): the import's error says why
            pass

    def undo_import(self, import_id: str) -> ImportRecord:
        if self._one("SELECT status FROM imports WHERE id = ?", (import_id,)) is not None:
            self.auto_backup("undo-import")
        with self.write_transaction() as conn:
            record = undo_import(conn, import_id)
            audit.write(conn, "undo-import", [import_id], dict(record.counts))
            return record

    def merge_people(self, keep_id: str, gone_id: str) -> None:
        with self.write_transaction() as conn:
            merge_people(conn, keep_id, gone_id)
            audit.write(conn, "merge", [keep_id, gone_id])

    def split_person(self, person_id: str) -> list[str]:
        with self.write_transaction() as conn:
            ids = split_person(conn, person_id)
            audit.write(conn, "split", ids, {"people": len(ids)})
            return ids

    def keep_apart(self, decision: KeptApart) -> None:
        with self.write_transaction() as conn:
            decisions.keep_apart(conn, decision)
            audit.write(conn, "keep-apart", [decision.first_id, decision.second_id], actor=decision.actor)

    def kept_apart(self) -> list[KeptApart]:
        with self._lock:
            return decisions.kept_apart(self._conn)

    def set_strength(self, a_id: str, b_id: str, owner: str, value: float | None) -> int:
        with self.write_transaction() as conn:
            a, b = person_pk(conn, a_id), person_pk(conn, b_id)
            changed = conn.execute(
                """UPDATE relationships SET strength_override = ? WHERE owner = ?
                   AND ((source_pk = ? AND target_pk = ?) OR (source_pk = ? AND target_pk = ?))""",
                (value, owner, a, b, b, a)).rowcount
            audit.write(conn, "set-strength", [a_id, b_id], {"changed": changed, "cleared": int(value is None)})
            return changed

    def set_person_visibility(self, person_id: str, owner: str, visibility: str) -> int:
        with self.write_transaction() as conn:
            return audit.set_person_visibility(conn, person_id, owner, visibility)

    def set_target(self, org_id: str, is_target: bool, *, owner: str | None = None,
                   priority: str | None = None) -> None:
        if priority not in (None, "high", "medium", "low"):
            raise InputError(f"A priority is high, medium or low, not {priority!r}.")
        with self.write_transaction() as conn:
            changed = conn.execute(
                "UPDATE organizations SET flags = (flags & ~2) | ?, target_owner = ?, priority = ? WHERE id = ?",
                (2 if is_target else 0, owner if is_target else None, priority if is_target else None, org_id),
            ).rowcount
            if not changed:
                raise NotFound(f"No organisation with id {org_id!r}.")
            audit.write(conn, "set-target", [org_id], {"target": int(is_target)})

    def save_settings(self, values: Mapping[str, str | None]) -> None:
        with self.write_transaction() as conn:
            team.save_settings(conn, values)
            audit.write(conn, "settings", sorted(values), {"saved": sum(v is not None for v in values.values()),
                                                            "reset": sum(v is None for v in values.values())})

    def saved_settings(self) -> dict[str, str]:
        with self._lock:
            return team.saved_settings(self._conn)

    def add_intro(self, intro: IntroRequest) -> None:
        self.add_intros([intro])

    def add_intros(self, intros: Sequence[IntroRequest]) -> None:
        if not intros:
            return
        with self.write_transaction() as conn:
            for intro in intros:
                team.add_intro(conn, intro)
            audit.write(conn, "intro-request", [i.id for i in intros], {"requests": len(intros)})

    def add_intro_event(self, intro_id: str, event: IntroEvent) -> None:
        with self.write_transaction() as conn:
            team.add_event(conn, intro_id, event)
            audit.write(conn, "intro-update", [intro_id, f"state:{event.state.value}"])

    def list_intros(self, *, rep_email: str | None = None, account_id: str | None = None,
                    ids: Sequence[str] | None = None) -> list[IntroRequest]:
        with self._lock:
            return team.list_intros(self._conn, rep_email=rep_email, account_id=account_id, ids=ids)

    def job_moves(self) -> list[tuple[str, str, str | None, str]]:
        with self._lock:
            return job_moves(self._conn)

    def add_rep(self, rep: Rep, person: Person) -> bool:
        with self.write_transaction() as conn:
            if conn.execute("SELECT 1 FROM reps WHERE email = ?", (rep.email,)).fetchone():
                return False
            pks = upsert_people(conn, [person])
            conn.execute(
                "INSERT INTO reps (person_pk, email, role) VALUES (?, ?, ?)", (pks[person.id], rep.email, rep.role)
            )
            audit.write(conn, "add-rep", [person.id, f"role:{rep.role}"])
            return True

    # -- audit log, forgetting, backups: graphapp/store/sqlite_audit.py, sqlite_backup.py ---------------
    def record_audit(self, action: str, objects: Sequence[str] = (), counts: Mapping[str, int] | None = None,
                     *, hashed: Sequence[str] = ()) -> None:
        with self._lock:
            try:
                audit.write_alone(self._conn, action, objects, counts, hashed=hashed)
            except sqlite3.Error as exc:
                raise _store_error(exc, self.location) from None

    def audit_log(self, *, limit: int = 100, action: str | None = None) -> list:
        with self._lock:
            return audit.read_log(self._conn, limit, action)

    def forget_person(self, person_id: str, *, suppress: bool = False) -> dict[str, int]:
        with self.write_transaction() as conn:
            return audit.forget(conn, person_id, suppress=suppress)

    def suppressed_keys(self, keys: Sequence[str]) -> set[str]:
        with self._lock:
            return audit.suppressed_keys(self._conn, keys)

    def list_suppressed(self) -> list[tuple[str, str, str]]:
        with self._lock:
            return audit.list_suppressed(self._conn)

    def unsuppress(self, hash_value: str) -> bool:
        with self.write_transaction() as conn:
            return audit.unsuppress(conn, hash_value)

    def backup(self, path: str) -> str:
        with self._lock:
            digest = backup_to(self._conn, Path(path))
        self.record_audit("backup", [f"digest:{digest}"])
        return digest

    def auto_backup(self, reason: str) -> str | None:
        with self._lock:
            dest = auto_backup(self._conn, self.location, reason, self._backup_keep)
        self.record_audit("backup", [f"file:{dest.name}"], {"automatic": 1})
        return str(dest)

    def restore(self, path: str) -> dict[str, object]:
        check_backup(Path(path))  # refuse a bad file before touching anything
        if Path(path).resolve() == Path(self.location).resolve():
            raise StoreError(f"{path} is the database itself; restore from a backup file (see `backups/`).")
        with self._lock:
            kept = self.auto_backup("before-restore")
            try:
                digest, counts = restore_from(self._conn, Path(path))
            except sqlite3.Error as exc:
                raise _store_error(exc, self.location) from None
            self.record_audit("restore", [f"digest:{digest}", f"file:{Path(kept).name}"], counts)
            self._drop_snapshot_copy()  # the copy was of the state before the restore
        return {"digest": digest, "previous": kept, **counts}

    # -- reads -------------------------------------------------------------------------------
    def _one(self, sql: str, params: Sequence = ()) -> sqlite3.Row:
        with self._lock:
            return self._conn.execute(sql, params).fetchone()

    def _all(self, sql: str, params: Sequence = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def counts(self) -> StoreCounts:
        row = self._one(
            """SELECT (SELECT count(*) FROM people), (SELECT count(*) FROM organizations),
                      (SELECT count(*) FROM relationships), (SELECT count(*) FROM reps),
                      (SELECT count(*) FROM imports WHERE status = 'committed')"""
        )
        return StoreCounts(*map(int, row))

    def summary(self) -> StoreSummary:
        rows = self._all("SELECT owner, count(*) FROM relationships GROUP BY owner ORDER BY count(*) DESC, owner")
        return StoreSummary(self.counts(), tuple(OwnerContribution(r[0], r[1]) for r in rows))

    def list_reps(self) -> list[Rep]:
        rows = self._all(
            "SELECT r.email, p.id, p.name, r.role FROM reps r JOIN people p ON p.pk = r.person_pk ORDER BY p.name, r.email"
        )
        return [Rep(email=r[0], person_id=r[1], name=r[2], role=r[3]) for r in rows]

    def list_imports(self) -> list[ImportRecord]:
        return [codec.import_from_row(dict(r)) for r in self._all("SELECT * FROM imports ORDER BY seq DESC")]

    def get_people(self, ids: Sequence[str]) -> dict[str, Person]:
        found: dict[str, Person] = {}
        for part in chunked(list(ids), 500):
            marks = ",".join("?" * len(part))
            for r in self._all(f"SELECT * FROM people WHERE id IN ({marks})", part):
                found[r["id"]] = _person(r)
        return found

    def find_people(self, *, emails: Sequence[str] = (), linkedin_urls: Sequence[str] = ()) -> dict[str, str]:
        wanted = {f"email:{e}": e for e in emails} | {f"linkedin:{u}": u for u in linkedin_urls}
        return {wanted[k]: ids[0] for k, ids in self.people_by_keys(list(wanted)).items()}

    def people_by_keys(self, keys: Collection[str]) -> dict[str, Sequence[str]]:
        with self._lock:
            return values_by_key(self._conn, "person_keys", "person_pk", "people", keys)

    def every_person_key(self, asked: int) -> Iterator[tuple[str, str]] | None:
        return every_key(self._conn, self._lock, "person_keys", "person_pk", "people", asked)

    def organizations_by_keys(self, keys: Sequence[str]) -> dict[str, Sequence[str]]:
        with self._lock:
            return values_by_key(self._conn, "org_keys", "org_pk", "organizations", keys)

    def sources_of_people(self, ids: Sequence[str]) -> dict[str, Set[str]]:
        with self._lock:
            return sources_of_people(self._conn, ids)

    def every_person_sources(self, asked: int) -> Iterator[tuple[str, Set[str]]] | None:
        return every_source(self._conn, self._lock, asked)

    def get_organizations(self, ids: Sequence[str]) -> dict[str, Organization]:
        found: dict[str, Organization] = {}
        for part in chunked(list(ids), 500):
            marks = ",".join("?" * len(part))
            for r in self._all(f"SELECT * FROM organizations WHERE id IN ({marks})", part):
                found[r["id"]] = _organization(r)
        return found

    def list_organizations(self) -> list[Organization]:
        return [_organization(r) for r in self._all("SELECT * FROM organizations ORDER BY name, id")]

    def relationships_of(self, person_id: str) -> list[Relationship]:
        sql = """SELECT r.*, s.id AS source_id, t.id AS target_id FROM relationships r
                 JOIN people s ON s.pk = r.source_pk JOIN people t ON t.pk = r.target_pk
                 WHERE s.id = ? OR t.id = ? ORDER BY r.pk"""
        return [_relationship(r) for r in self._all(sql, (person_id, person_id))]

    def archive_people(self, rep: Rep, kinds: Collection[str], *, without_url: bool = False
                       ) -> list[tuple[str, str, date | None]]:
        kinds = sorted(str(k) for k in kinds)
        sql = f"""SELECT p.id, p.name, r.first_seen FROM people me
                  JOIN relationships r ON me.pk IN (r.source_pk, r.target_pk)
                  JOIN people p ON p.pk = (CASE WHEN r.source_pk = me.pk THEN r.target_pk ELSE r.source_pk END)
                  WHERE me.id = ? AND r.owner = ? AND r.kind IN ({", ".join("?" * len(kinds))})
                  {"AND p.linkedin_url IS NULL" if without_url else ""} ORDER BY r.pk"""
        return [(pid, name, codec.parse_date(day)) for pid, name, day in self._all(sql, (rep.person_id, rep.email, *kinds))]

    def employments_of(self, person_id: str) -> list[Employment]:
        sql = f"""SELECT e.person_pk, e.org_pk, e.start, e.end_date, e.title, e.as_of, {CURRENT} AS current,
                         p.id AS person_id, o.id AS org_id FROM employments e
                  JOIN people p ON p.pk = e.person_pk JOIN organizations o ON o.pk = e.org_pk
                  WHERE p.id = ? ORDER BY 7 DESC, e.as_of DESC, e.start DESC"""
        return [_employment(r) for r in self._all(sql, (person_id,))]

    def identity_violations(self) -> list[Violation]:
        with self._lock:
            self._conn.execute("BEGIN")  # one consistent read across the checks
            try:
                return doctor.identity_violations(self._conn)
            finally:
                self._conn.execute("COMMIT")

    def evidence_files(self, subject: str, ids: Sequence[str]) -> dict[str, list[tuple[str, str]]]:
        if subject not in ("person", "organization"):
            raise InputError(f"Files are listed for a person or an organization, not a {subject!r}.")
        with self._lock:
            return doctor.evidence_files(self._conn, subject, ids)

    def people_of_several_owners(self) -> dict[str, frozenset[str]]:
        sql = """SELECT p.id, group_concat(DISTINCT e.owner) FROM evidence e CROSS JOIN people p ON p.pk = e.subject_pk
                 WHERE e.subject = 'person' GROUP BY e.subject_pk HAVING count(DISTINCT e.owner) > 1"""
        return {pid: frozenset(owners.split(",")) for pid, owners in self._all(sql)}

    def person_evidence(self, ids: Sequence[str]) -> dict[str, list[tuple[str, Person]]]:
        sql = """SELECT p.id, e.owner, f.sha256, e.row, e.fact, e.snapshot FROM people p
                 CROSS JOIN evidence e ON e.subject = 'person' AND e.subject_pk = p.pk
                 CROSS JOIN import_files f ON f.id = e.content_id CROSS JOIN imports i ON i.id = f.import_id
                 WHERE p.id IN ({marks}) ORDER BY i.seq, e.pk"""
        found: dict[str, list[tuple[str, Person]]] = {}
        seen: set[tuple] = set()
        for part in chunked(list(dict.fromkeys(ids)), 500):
            for pid, owner, sha, row, fact, snapshot in self._all(sql.format(marks=",".join("?" * len(part))), part):
                if (pid, sha, row, fact) not in seen:  # a re-import of the same bytes counts once
                    seen.add((pid, sha, row, fact))
                    found.setdefault(pid, []).append((owner, codec.person_from_dict({**json.loads(snapshot), "id": pid})))
        return found

    def evidence_of(self, subject: str, key: Sequence[str]) -> list[Evidence]:
        pk = self._subject_pk(subject, key)
        sql = """SELECT f.import_id, f.name, e.fact, e.owner, e.row, f.sha256 FROM evidence e
                 CROSS JOIN import_files f ON f.id = e.file_id WHERE e.subject = ? AND e.subject_pk = ? ORDER BY e.pk"""
        return [Evidence(*r) for r in self._all(sql, (subject, pk))]

    def _subject_pk(self, subject: str, key: Sequence[str]) -> int | None:
        queries = {
            "person": "SELECT pk FROM people WHERE id = ?",
            "organization": "SELECT pk FROM organizations WHERE id = ?",
            "employment": """SELECT e.pk FROM employments e JOIN people p ON p.pk = e.person_pk
                             JOIN organizations o ON o.pk = e.org_pk WHERE p.id = ? AND o.id = ? AND e.start = ?""",
            "relationship": """SELECT r.pk FROM relationships r JOIN people s ON s.pk = r.source_pk
                               JOIN people t ON t.pk = r.target_pk
                               WHERE s.id = ? AND t.id = ? AND r.kind = ? AND r.owner = ?""",
        }
        if subject not in queries:
            raise InputError(f"Unknown evidence subject {subject!r}; expected one of {', '.join(queries)}.")
        row = self._one(queries[subject], tuple(key))
        if row is None:
            raise NotFound(f"No {subject} with key {tuple(key)!r}.")
        return row[0]

    # -- search and a person's relationships: graphapp/store/sqlite_search.py -------------------
    def search_people(self, text: str, *, limit: int = 50) -> list[tuple[str, str]]:
        with self._lock:
            return sqlite_search.search_people(self._conn, text, limit)

    def search_organizations(self, text: str, *, limit: int = 50) -> list[tuple[str, str]]:
        with self._lock:
            return sqlite_search.search_organizations(self._conn, text, limit)

    def relationships_with_evidence(self, person_id: str) -> list[tuple[Relationship, list[Evidence]]]:
        with self._lock:
            return sqlite_search.relationships_with_evidence(self._conn, person_id)

    def read_snapshot(self) -> GraphSnapshot:
        """The whole graph as arrays; from the copy next to the file when it is of the current version
        (:mod:`graphapp.store.sqlite.snapshot_cache`), else read and then copied for the next process."""
        with self._lock:
            self._conn.execute("BEGIN")  # one consistent read across the queries below
            try:
                version = int(self._conn.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()[0])
                snap = cached.load(self.location, version) if self._file_backed else None
                if snap is None:
                    snap = self._read_snapshot()
                    if self._file_backed:
                        cached.save(self.location, snap)
                return snap
            finally:
                self._conn.execute("COMMIT")

    def _drop_snapshot_copy(self) -> None:
        """After a change, the copy of the old snapshot goes at once (a forgotten person must not linger in it)."""
        if self._file_backed:
            try:
                cache_path(self.location).unlink(missing_ok=True)
            except OSError:
                pass

    @property
    def _file_backed(self) -> bool:
        return self.location not in ("", ":memory:") and not self.location.startswith("file:")

    def _read_snapshot(self) -> GraphSnapshot:
        conn = self._conn
        version = int(conn.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()[0])
        people = conn.execute("SELECT pk, id, name, title FROM people ORDER BY pk").fetchall()
        person_index = {r[0]: i for i, r in enumerate(people)}
        orgs = conn.execute("SELECT pk, id, name, flags FROM organizations ORDER BY pk").fetchall()
        org_index = {r[0]: i for i, r in enumerate(orgs)}
        reps = conn.execute("SELECT person_pk, email FROM reps ORDER BY email").fetchall()
        owners = [r[0] for r in conn.execute("SELECT DISTINCT owner FROM relationships ORDER BY owner")]
        owner_index = {o: i for i, o in enumerate(owners)}
        rel = _relationship_columns(conn, np.fromiter((r[0] for r in people), dtype=np.int64, count=len(people)),
                                    owner_index)
        emps = conn.execute(
            f"""SELECT e.person_pk, e.org_pk, {CURRENT}, ifnull({_DAYS.format("nullif(e.start, '')")}, 0),
                       ifnull({_DAYS.format('e.end_date')}, 0), e.title FROM employments e ORDER BY e.pk"""
        ).fetchall()
        return GraphSnapshot(
            version=version,
            person_ids=[r[1] for r in people],
            person_names=[r[2] for r in people],
            person_titles=[r[3] for r in people],
            org_ids=[r[1] for r in orgs],
            org_names=[r[2] for r in orgs],
            org_flags=array("q", (r[3] for r in orgs)),
            rep_person=array("q", (person_index[r[0]] for r in reps)),
            rep_emails=[r[1] for r in reps],
            owners=owners,
            rel_source=rel["s"],
            rel_target=rel["t"],
            rel_kind=rel["k"],
            rel_owner=rel["o"],
            rel_visibility=rel["v"],
            rel_first_seen=rel["f"],
            rel_last_interaction=rel["l"],
            rel_count_out=rel["co"],
            rel_count_in=rel["ci"],
            rel_override=rel["ov"],
            emp_person=array("q", (person_index[r[0]] for r in emps)),
            emp_org=array("q", (org_index[r[1]] for r in emps)),
            emp_current=array("q", (r[2] for r in emps)),
            emp_start=array("q", (r[3] for r in emps)),
            emp_end=array("q", (r[4] for r in emps)),
            emp_titles=[r[5] for r in emps],
        )

    def digest(self) -> str:
        """SHA-256 over the facts in a canonical order, independent of row ids and history (defined
        once for every store in :mod:`graphapp.store.digest`)."""
        with self._lock:
            return content_digest(self._conn.execute(sql) for sql in DIGEST_SECTIONS)


def _person(r: sqlite3.Row) -> Person:
    lists = json.loads(r["lists"])
    return Person(
        id=r["id"],
        name=r["name"],
        name_variants=tuple(lists.get("name_variants", ())),
        emails=tuple(lists.get("emails", ())),
        linkedin_url=r["linkedin_url"],
        phones=tuple(lists.get("phones", ())),
        title=r["title"],
        location=r["location"],
    )


def _organization(r: sqlite3.Row) -> Organization:
    lists = json.loads(r["lists"])
    flags = r["flags"]
    return Organization(
        id=r["id"],
        name=r["name"],
        aliases=tuple(lists.get("aliases", ())),
        domains=tuple(lists.get("domains", ())),
        is_customer=bool(flags & 1),
        is_target=bool(flags & 2),
        is_partner=bool(flags & 4),
        target_owner=r["target_owner"],
        priority=r["priority"],
    )


def _relationship(r: sqlite3.Row) -> Relationship:
    return Relationship(
        source_id=r["source_id"],
        target_id=r["target_id"],
        kind=r["kind"],
        owner=r["owner"],
        visibility=r["visibility"],
        profession=r["profession"],
        first_seen=codec.parse_date(r["first_seen"]),
        last_interaction=codec.parse_date(r["last_interaction"]),
        count_out=r["count_out"],
        count_in=r["count_in"],
        strength_override=r["strength_override"],
    )


def _employment(r: sqlite3.Row) -> Employment:
    return Employment(
        person_id=r["person_id"],
        org_id=r["org_id"],
        title=r["title"],
        start=codec.parse_date(r["start"] or None),
        end=codec.parse_date(r["end_date"]),
        current=bool(r["current"]),
        as_of=codec.parse_date(r["as_of"]),
    )


__all__ = ["SQLiteStore", "open_sqlite"]


_DAYS = "CAST(julianday({0}) - 1721424.5 AS INTEGER)"  # a date as a proleptic Gregorian ordinal
# Kinds and visibilities as their positions in KIND_ORDER / VISIBILITY_ORDER, decided in SQL: fixed lists.
_KIND_CASE = "CASE kind " + " ".join(f"WHEN '{k.value}' THEN {i}" for i, k in enumerate(KIND_ORDER)) + " END"
_VIS_CASE = "CASE visibility " + " ".join(f"WHEN '{v.value}' THEN {i}" for i, v in enumerate(VISIBILITY_ORDER)) + " END"


def _relationship_columns(conn: sqlite3.Connection, person_pks: np.ndarray, owner_index: dict[str, int]) -> dict:
    """Every relationship as columns of numbers (people as positions in ``person_pks``, which is sorted),
    read in chunks and converted column by column: no Python work per relationship but the owner lookup."""
    sql = f"""SELECT source_pk, target_pk, {_KIND_CASE}, owner, {_VIS_CASE}, ifnull({_DAYS.format('first_seen')}, 0),
                     ifnull({_DAYS.format('last_interaction')}, 0), count_out, count_in, ifnull(strength_override, 0)
              FROM relationships ORDER BY pk"""
    parts: dict[str, list[np.ndarray]] = {k: [] for k in ("s", "t", "k", "o", "v", "f", "l", "co", "ci", "ov")}
    cursor = conn.execute(sql)
    while chunk := cursor.fetchmany(100_000):
        s, t, k, o, v, f, last, cout, cin, ov = zip(*chunk, strict=True)
        parts["s"].append(np.searchsorted(person_pks, np.array(s, dtype=np.int64)))
        parts["t"].append(np.searchsorted(person_pks, np.array(t, dtype=np.int64)))
        parts["o"].append(np.array([owner_index[x] for x in o], dtype=np.int64))
        for name, column in (("k", k), ("v", v), ("f", f), ("l", last), ("co", cout), ("ci", cin)):
            parts[name].append(np.array(column, dtype=np.int64))
        parts["ov"].append(np.array(ov, dtype=np.float64))
    return {name: (np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float64 if name == "ov" else np.int64))
            for name, chunks in parts.items()}
