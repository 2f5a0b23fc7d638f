"""What an SQLite error means for the person running graphapp: busy, a full disk, a failing disk, or
another failure, each as one :class:`StoreError` saying what to do (the store's and the backups' one
place for this).

A full disk shows two ways: SQLite's own SQLITE_FULL ("database or disk is full") when a write finds
no room, and SQLITE_IOERR ("disk I/O error") when opening finds no room for the shared-memory file of
the write-ahead log: that one is told apart by the free space left on the disk.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

from graphapp.errors import StoreBusy, StoreError

LOW_SPACE_BYTES = 1 << 20
"""Less free space than this, with a disk I/O error, is a full disk (SQLite's shared memory needs 32 KB)."""


def _code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None  # the primary code of an extended one


def is_disk_full(exc: sqlite3.Error, location: str | os.PathLike[str]) -> bool:
    """Whether ``exc`` comes from a full disk (the disk holding ``location``, a database file)."""
    if _code(exc) == sqlite3.SQLITE_FULL or "database or disk is full" in str(exc):
        return True
    if _code(exc) == sqlite3.SQLITE_IOERR or "disk I/O error" in str(exc):
        try:
            return shutil.disk_usage(Path(location).resolve().parent).free < LOW_SPACE_BYTES
        except OSError:
            return False
    return False


def disk_full(location: str | os.PathLike[str], what: str = "nothing was changed") -> StoreError:
    """The error of a full disk under ``location``: what happened and what to do."""
    folder = Path(location).resolve().parent
    return StoreError(f"The disk holding {location} is full; {what}. Free some space on it (in {folder} or "
                      "elsewhere on that disk), or move the database to a disk with room and point --db or "
                      "GRAPHAPP_DB at it; then try again.")


def store_error(exc: sqlite3.Error, location: str | os.PathLike[str]) -> StoreError:
    """The error to show for ``exc``, raised by the database at ``location``."""
    text = str(exc)
    if "locked" in text or "busy" in text:
        return StoreBusy(f"The database {location} is busy with another writer; nothing was changed, try again.")
    if is_disk_full(exc, location):
        return disk_full(location)
    if _code(exc) == sqlite3.SQLITE_IOERR or "disk I/O error" in text:
        return StoreError(f"The database {location} could not be read or written (disk I/O error); nothing was "
                          "changed. Check that its disk is attached, writable and not failing, then try again.")
    return StoreError(f"The database {location} failed: {text}; nothing was changed.")


def is_not_a_database(exc: sqlite3.Error) -> bool:
    """Whether ``exc`` says the file is not an SQLite database, or a damaged one (not a disk's failure)."""
    return _code(exc) in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT) or (
        _code(exc) is None and ("not a database" in str(exc) or "malformed" in str(exc)))
