"""Copying a whole graph between stores (``graphapp sync``), part of the service."""

from __future__ import annotations

from collections.abc import Callable

from graphapp.store import open_store
from graphapp.store.neo4j.sync import SyncResult, sync_stores


def sync(source: str, target: str, *, progress: Callable[[str], None] | None = None) -> SyncResult:
    """Copy the store at ``source`` into the empty store at ``target`` (SQLite file or Neo4j URI, either
    way round) and verify the copy by counts and content digest.

    Raises:
        StoreError: either store cannot be opened, or the copy does not match.
        InputError: the target already holds data.
    """
    with open_store(source, create=False) as src, open_store(target) as dst:
        return sync_stores(src, dst, progress)
