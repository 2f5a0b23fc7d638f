"""The copy of the graph snapshot next to the SQLite file: used only at the current version, gone after
any change (a forgotten person must not linger in it), and never required."""

from __future__ import annotations

from graphapp.store.sqlite.snapshot_cache import cache_path
from graphapp.store.sqlite.store import open_sqlite
from tests.conftest import record, small_batch


def stored(tmp_path) -> str:
    """A SQLite file holding the small batch (import i1); its path."""
    db = str(tmp_path / "g.db")
    with open_sqlite(db) as store, store.importing(record("i1")) as w:
        w.write(small_batch("i1"))
    return db


def test_the_copy_is_made_used_and_dropped_on_every_change(tmp_path):
    db = stored(tmp_path)
    with open_sqlite(db, create=False) as store:
        first = store.read_snapshot()
        assert cache_path(db).exists()
        again = store.read_snapshot()  # from the copy
        assert again.version == first.version and again.person_ids == first.person_ids
        assert list(again.rel_source) == list(first.rel_source) and again.person_titles == first.person_titles
        store.set_strength("p-dana", "p-raj", "dana@example.com", 0.9)
        assert not cache_path(db).exists()  # the change dropped it at once
        after = store.read_snapshot()
        assert after.version > first.version


def test_a_stale_or_damaged_copy_is_ignored(tmp_path):
    db = stored(tmp_path)
    with open_sqlite(db, create=False) as store:
        truth = store.read_snapshot()
        cache_path(db).write_bytes(b"not a snapshot")
        assert store.read_snapshot().person_ids == truth.person_ids
        assert (cache_path(db).stat().st_mode & 0o777) == 0o600  # rewritten, owner-only


def test_forgetting_a_person_removes_them_from_the_copy_at_once(tmp_path):
    db = stored(tmp_path)
    with open_sqlite(db, create=False) as store:
        store.read_snapshot()
        assert b"Mei Lin" in cache_path(db).read_bytes()
        store.forget_person("p-mei")
        assert not cache_path(db).exists()
        store.read_snapshot()
        assert b"Mei Lin" not in cache_path(db).read_bytes()
