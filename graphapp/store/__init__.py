"""Graph stores. ``open_store`` picks the implementation from the location string."""

from __future__ import annotations

from graphapp.errors import ConfigError
from graphapp.store.base import BatchWriter, GraphStore

SERVER_SCHEMES = ("neo4j://", "neo4j+s://", "neo4j+ssc://", "bolt://", "bolt+s://", "bolt+ssc://")


def open_store(location: str, *, create: bool = True) -> GraphStore:
    """Open the store at ``location``: a file path (embedded SQLite) or a Neo4j URI.

    Raises:
        StoreError: the database cannot be opened (see ``open_sqlite``).
        ConfigError: the location names a store this version cannot open.
    """
    if location.startswith(SERVER_SCHEMES):
        raise ConfigError(
            f"{location.split('@')[-1]} is a Neo4j server address; this version of graphapp stores the graph "
            "in an embedded SQLite file only. Give a file path with --db or GRAPHAPP_DB."
        )
    from graphapp.store.sqlite import open_sqlite

    return open_sqlite(location, create=create)


__all__ = ["BatchWriter", "GraphStore", "open_store"]
