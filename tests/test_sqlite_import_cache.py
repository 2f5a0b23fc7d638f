"""The SQLite writer's larger page cache is for the import only: the cap comes back when it ends."""

from __future__ import annotations

import pytest

from graphapp.store.sqlite import write as sqlite_write
from graphapp.store.sqlite.store import open_sqlite
from tests.conftest import record, small_batch


def test_an_import_raises_the_page_cache_and_gives_the_cap_back(tmp_path):
    store = open_sqlite(tmp_path / "g.db")
    before = store.pragma("cache_size")
    with store.importing(record("i1")) as w:
        assert store.pragma("cache_size") == -sqlite_write.IMPORT_CACHE_KIB
        w.write(small_batch("i1"))
    assert store.pragma("cache_size") == before
    assert store.counts().people > 0


def test_a_failed_import_leaves_the_cap_to_the_next_one_to_restore(tmp_path):
    store = open_sqlite(tmp_path / "g.db")
    before = store.pragma("cache_size")
    with pytest.raises(RuntimeError):
        with store.importing(record("i1")) as w:
            w.write(small_batch("i1"))
            raise RuntimeError("killed")
    assert store.counts().people == 0  # all or nothing, as ever
    with store.importing(record("i2")) as w:
        w.write(small_batch("i2"))
    assert store.pragma("cache_size") == before
