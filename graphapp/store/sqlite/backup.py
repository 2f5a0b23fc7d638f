"""Backups of the SQLite store with SQLite's online backup API, verified, and restores that keep what
must outlive them (DUR-4, DEL-2).

- A backup is a consistent copy taken while the app runs (``sqlite3.Connection.backup``), written to
  a temporary name, checked (``integrity_check``, and the content digest equal to the live store's),
  then renamed into place: a half-written file never carries a backup's name.
- Automatic backups (before ``undo-import``, a schema migration and a restore) go to ``backups/`` next
  to the database file, named ``<stem>-<UTC time>-<reason>.db``; only the newest ``backup_keep`` of
  them are kept, so a forgotten person leaves the backups after that many more.
- A restore refuses a file that is not a graphapp database, keeps the current state as a backup
  first, copies the backup in through the same API (other connections see it at once), and then
  re-applies what must survive it: the audit log written since the backup, the suppression list
  (forgotten people whose keys are on it are forgotten again) and a data version newer than both,
  so no cached graph view of either state is reused.
"""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from graphapp.errors import InputError, StoreError
from graphapp.store.digest import DIGEST_SECTIONS, content_digest
from graphapp.store.sqlite import audit as sqlite_audit
from graphapp.store.sqlite.failures import disk_full, is_disk_full
from graphapp.store.sqlite.schema import APPLICATION_ID, SCHEMA_VERSION, migrate

SQLITE_MAGIC = b"SQLite format 3\x00"


def connection_digest(conn: sqlite3.Connection) -> str:
    """The content digest (:mod:`graphapp.store.digest`) of the database behind ``conn``."""
    return content_digest(conn.execute(sql) for sql in DIGEST_SECTIONS)


def backup_to(conn: sqlite3.Connection, dest: Path, *, verify_digest: bool = True) -> str | None:
    """Copy the database behind ``conn`` to ``dest`` (which must not exist), verified.

    Returns:
        The content digest of the copy (None when ``verify_digest`` is off, for an old schema).

    Raises:
        StoreError: ``dest`` exists, its folder is missing or unwritable, or the copy does not verify.
    """
    dest = Path(dest)
    if dest.exists():
        raise StoreError(f"{dest} already exists; choose a new file name for the backup.")
    if not dest.parent.is_dir():
        raise StoreError(f"Cannot write the backup {dest}: the folder {dest.parent} does not exist.")
    part = dest.with_name(dest.name + ".part")
    part.unlink(missing_ok=True)
    try:
        conn.execute("BEGIN")  # one snapshot for the digest and the copy
        try:
            expected = connection_digest(conn) if verify_digest else None
            target = sqlite3.connect(part)
            try:
                conn.backup(target)
                target.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file
            finally:
                target.close()
        finally:
            conn.execute("COMMIT")
        version = check_backup(part)
        got = _file_digest(part) if verify_digest and version == SCHEMA_VERSION else None
        if got != expected:
            raise StoreError(f"The backup {dest} does not match the database (digest {got} != {expected}); "
                             "it was not kept.")
        os.replace(part, dest)
    except sqlite3.Error as exc:
        if is_disk_full(exc, part):
            raise disk_full(dest, "the backup was not written") from None
        raise StoreError(f"Cannot write the backup {dest}: {exc}.") from None
    finally:
        part.unlink(missing_ok=True)
    return expected


def check_backup(path: Path) -> int:
    """The schema version of the graphapp database at ``path``, after checking it is one and is sound.

    Raises:
        StoreError: missing, not SQLite, not graphapp's, from a newer graphapp, or damaged.
    """
    path = Path(path)
    if not path.is_file():
        raise StoreError(f"No backup file at {path}.")
    with path.open("rb") as fh:
        if fh.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
            raise StoreError(f"{path} is not a graphapp database (it is not an SQLite file); nothing was restored.")
    try:
        conn = sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path} is not a graphapp database ({exc}); nothing was restored.") from None
    if app_id != APPLICATION_ID:
        raise StoreError(f"{path} is an SQLite database but not a graphapp one; nothing was restored.")
    if version > SCHEMA_VERSION:
        raise StoreError(f"{path} was written by a newer graphapp (schema {version}); nothing was restored.")
    if ok != "ok":
        raise StoreError(f"{path} is damaged (integrity check: {ok}); nothing was restored.")
    return version


def _file_digest(path: Path) -> str:
    conn = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
    try:
        return connection_digest(conn)
    finally:
        conn.close()


def backup_folder(db_path: str | os.PathLike[str]) -> Path:
    """Where automatic backups of the database at ``db_path`` go: ``backups/`` next to it."""
    return Path(db_path).resolve().parent / "backups"


def auto_backup(conn: sqlite3.Connection, db_path: str | os.PathLike[str], reason: str, keep: int,
                *, verify_digest: bool = True) -> Path:
    """Back up into :func:`backup_folder`, named with the UTC time and ``reason``; keep the newest ``keep``."""
    folder = backup_folder(db_path)
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise StoreError(f"Cannot create the backup folder {folder}: {exc.strerror}; nothing was changed.") from None
    stem = Path(db_path).stem
    dest = folder / f"{stem}-{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}-{reason}.db"
    backup_to(conn, dest, verify_digest=verify_digest)
    prune(folder, stem, keep)
    return dest


def prune(folder: Path, stem: str, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` automatic backups of ``stem`` (names sort by time). Returns those deleted."""
    found = sorted(p for p in folder.glob(f"{stem}-*Z-*.db") if p.is_file())
    gone = found[: max(0, len(found) - max(1, keep))]
    for p in gone:
        p.unlink(missing_ok=True)
    return gone


def restore_from(conn: sqlite3.Connection, source: Path) -> tuple[str, dict[str, int]]:
    """Replace the database behind ``conn`` with the backup at ``source`` and re-apply the journal.

    The caller holds the store's lock and has backed the current state up (see ``SQLiteStore.restore``).

    Returns:
        The digest of the backup as restored (before re-applying forgets), and what was re-applied.
    """
    version = check_backup(source)
    kept = _journal(conn)
    src = sqlite3.connect(f"file:{Path(source).resolve()}?mode=ro", uri=True)
    try:
        src.backup(conn)
    finally:
        src.close()
    migrate(conn, version)
    digest = connection_digest(conn)
    conn.execute("BEGIN IMMEDIATE")
    try:
        counts = _reapply(conn, kept)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return digest, counts


def _journal(conn: sqlite3.Connection) -> dict:
    """What must outlive a restore, read from the current database."""
    return {
        "salt": sqlite_audit.salt(conn, create=False),
        "suppressed": conn.execute("SELECT hash, time, actor FROM suppressed").fetchall(),
        "audit": conn.execute("SELECT pk, time, actor, action, objects, counts FROM audit ORDER BY pk").fetchall(),
        "version": int(conn.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()[0]),
    }


def _reapply(conn: sqlite3.Connection, kept: dict) -> dict[str, int]:
    restored_salt = sqlite_audit.salt(conn, create=False)
    suppressed = 0
    if kept["salt"] is not None and restored_salt in (None, kept["salt"]):
        # Same database (or a backup from before its first hash): the current hashes stay valid.
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (sqlite_audit.SALT_KEY, kept["salt"]))
        suppressed = len(kept["suppressed"])
        conn.executemany("INSERT OR IGNORE INTO suppressed (hash, time, actor) VALUES (?, ?, ?)", kept["suppressed"])
    last = conn.execute("SELECT ifnull(max(pk), 0) FROM audit").fetchone()[0]
    later = [r[1:] for r in kept["audit"] if r[0] > last]
    conn.executemany("INSERT INTO audit (time, actor, action, objects, counts) VALUES (?, ?, ?, ?, ?)", later)
    reforgotten = _forget_again(conn, kept["audit"])
    restored_version = int(conn.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()[0])
    conn.execute("UPDATE meta SET value = ? WHERE key = 'data_version'",
                 (str(max(restored_version, kept["version"]) + 1),))
    return {"audit_rows_kept": len(later), "suppressed_kept": suppressed, "forgotten_again": reforgotten}


def _forget_again(conn: sqlite3.Connection, audit_rows) -> int:
    """Forget again the people the log says were forgotten, and those whose keys are suppressed."""
    ids = {json.loads(r[4])[0] for r in audit_rows if r[3] == "forget" and json.loads(r[4])}
    again = 0
    for person_id in sorted(ids):
        if conn.execute("SELECT 1 FROM people WHERE id = ?", (person_id,)).fetchone():
            try:
                sqlite_audit.forget(conn, person_id, suppress=False)
            except InputError:  # a rep now: left for an admin to offboard
                continue
            again += 1
    return again + len(sqlite_audit.forget_suppressed(conn))
