"""A file's records are spooled to disk a block at a time and read back exactly as they were appended."""

from __future__ import annotations

from datetime import date

import pytest

from graphapp.model import RelationshipKind
from ingest import spool
from ingest.records import ContactRecord, TieRecord
from ingest.spool import Spool


def contact(n: int) -> ContactRecord:
    return ContactRecord(ref=f"r{n}", row=n, name=f"Person {n}", emails=(f"p{n}@example.com",),
                         linkedin_url=f"https://www.linkedin.com/in/p{n}" if n % 2 else None,
                         as_of=date(2025, 1, 1 + n % 28) if n % 3 else None, company="NA", title="0123")


@pytest.fixture
def small_blocks(monkeypatch):
    monkeypatch.setattr(spool, "BLOCK_ROWS", 4)


def test_records_written_to_disk_read_back_equal_and_in_order(small_blocks):
    records = [contact(n) for n in range(11)]
    s = Spool(ContactRecord, records)
    assert len(s) == 11 and s._written == 8 and len(s._tail) == 3  # two blocks on disk, three in memory
    assert list(s) == records and s == records
    assert [len(b) for b in s.blocks()] == [4, 4, 3]
    assert s[0] == records[0] and s[5] == records[5] and s[-1] == records[10]
    assert s[3:9] == records[3:9] and s[:2] == records[:2]
    assert s[9].as_of == records[9].as_of and isinstance(s[4].as_of, date)
    with pytest.raises(IndexError):
        s[11]


def test_relationship_kinds_and_dates_come_back_as_themselves(small_blocks):
    ties = [TieRecord(row=n, a="@owner", b=f"r{n}", kind=RelationshipKind.MESSAGED, fact="message",
                      count_out=n, first_seen=date(2024, 5, 1), last_interaction=None) for n in range(9)]
    s = Spool(TieRecord, ties)
    back = list(s)
    assert back == ties
    assert back[0].kind is RelationshipKind.MESSAGED and back[0].first_seen == date(2024, 5, 1)


def test_a_spool_is_read_as_often_as_needed_and_cleared_with_its_file(small_blocks):
    s = Spool(ContactRecord, [contact(n) for n in range(10)])
    assert list(s) == list(s)
    file = s._file
    assert file is not None and not file.closed
    s.clear()
    assert file.closed and len(s) == 0 and not s and s == []
    s.append(contact(1))
    assert list(s) == [contact(1)]


def test_a_small_file_never_touches_the_disk():
    s = Spool(ContactRecord, [contact(n) for n in range(100)])
    assert s._file is None and len(s) == 100


def test_some_fields_of_every_record_are_read_without_the_records(small_blocks):
    records = [contact(n) for n in range(10)]
    s = Spool(ContactRecord, records)
    assert list(s.columns("row", "as_of", "company")) == [(c.row, c.as_of, c.company) for c in records]
    assert list(s.columns("ref")) == [(c.ref,) for c in records]


def test_no_room_in_the_temporary_folder_refuses_the_file_with_what_to_do(tmp_path):
    """A real write failure (the process may write files of 4 KB at most): the file is refused with a
    clear message, not a traceback."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = (
        "import resource, signal\n"
        "from graphapp.errors import InputError\n"
        "from ingest import spool\n"
        "from ingest.records import ContactRecord\n"
        "spool.BLOCK_ROWS = 50\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (4096, resource.RLIM_INFINITY))\n"
        "s = spool.Spool(ContactRecord)\n"
        "try:\n"
        "    for n in range(2000):\n"
        "        s.append(ContactRecord(ref=f'r{n}', row=n, name='Person ' * 10))\n"
        "    print('kept', len(s))\n"
        "except InputError as exc:\n"
        "    print('refused:', exc)\n"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=root, timeout=60,
                         env={**os.environ, "TMPDIR": str(tmp_path)})
    assert out.stdout.startswith("refused: no room to hold this file's records while importing it (File too large)"), out
    assert f"in {tmp_path}; free some space there, or point TMPDIR at a larger disk" in out.stdout
