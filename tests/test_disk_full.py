"""A full disk says so, with what to do (issue 20): on a write (SQLite's own SQLITE_FULL, made by
``PRAGMA max_page_count`` on a real file), and on opening an existing or a new database on a disk
that is really full (a 2 MB tmpfs in a private mount namespace, where ``unshare`` allows one)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap

import pytest

from graphapp import service
from graphapp.errors import StoreError
from graphapp.store.sqlite.store import open_sqlite

DANA = "dana@example.com"
WHAT_TO_DO = "Free some space on it"


def test_a_full_database_says_the_disk_is_full_and_what_to_do(tmp_path):
    db = tmp_path / "g.db"
    contacts = tmp_path / "contacts.csv"
    contacts.write_text("Name,Email\n" + "".join(f"Person {n},person{n}@example.com\n" for n in range(3000)))
    with open_sqlite(db) as store:
        before = store.digest()
        # SQLite's own "database or disk is full" (SQLITE_FULL), as when the disk runs out of space.
        store._conn.execute(f"PRAGMA max_page_count = {store.pragma('page_count') + 2}")
        with pytest.raises(StoreError) as caught:
            service.import_files(store, [contacts], owner=DANA)
        message = str(caught.value)
        assert message.startswith(f"The disk holding {db} is full; nothing was changed.")
        assert WHAT_TO_DO in message and "--db or GRAPHAPP_DB" in message
        assert store.digest() == before


def _can_mount_a_small_disk() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs /mnt"],
                           capture_output=True, timeout=30)
    return probe.returncode == 0


FULL_DISK = textwrap.dedent("""
    set -e
    mount -t tmpfs -o size=2m tmpfs "$1"
    "$2" -m graphapp --db "$1/g.db" init > /dev/null
    "$2" -c "
    import os
    fd = os.open('$1/filler', os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(fd, b'x' * 256)
    except OSError:
        pass
    "
    "$2" -m graphapp --db "$1/g.db" people 2>&1 || echo "exit $?"
    "$2" -m graphapp --db "$1/new.db" init 2>&1 || echo "exit $?"
""")


@pytest.mark.skipif(not _can_mount_a_small_disk(), reason="needs `unshare -rm` to mount a small tmpfs")
def test_opening_on_a_really_full_disk_says_the_disk_is_full_not_that_the_file_is_no_database(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    done = subprocess.run(["unshare", "-rm", "sh", "-c", FULL_DISK, "sh", str(disk), sys.executable],
                          capture_output=True, text=True, timeout=180)
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert "not a graphapp database" not in out and "Traceback" not in out
    # The existing database: opening needs room for the write-ahead log's shared memory (a disk I/O error).
    assert f"graphapp: The disk holding {disk}/g.db is full; nothing was changed. {WHAT_TO_DO}" in out
    # A new database: its first write finds no room (SQLITE_FULL).
    assert f"graphapp: The disk holding {disk}/new.db is full; nothing was changed. {WHAT_TO_DO}" in out
    assert out.count("exit 1") == 2
