"""Graph stores. ``open_store`` picks the implementation from the location string."""

from __future__ import annotations

from graphapp.store.base import BatchWriter, GraphStore

SERVER_SCHEMES = ("neo4j://", "neo4j+s://", "neo4j+ssc://", "bolt://", "bolt+s://", "bolt+ssc://")


def is_server_location(location: str) -> bool:
    """Whether ``location`` names a Neo4j server (rather than an SQLite file)."""
    return location.startswith(SERVER_SCHEMES)


def open_store(location: str, *, create: bool = True) -> GraphStore:
    """Open the store at ``location``: a file path (embedded SQLite) or a Neo4j URI.

    The Neo4j driver is imported only here, when a server address is given.

    Raises:
        StoreError: the database cannot be opened (see ``open_sqlite`` and ``open_neo4j``).
        ConfigError: a Neo4j address that cannot be used as given (see ``open_neo4j``).
    """
    if is_server_location(location):
        from graphapp.store.neo4j.store import open_neo4j

        return open_neo4j(location, create=create)
    from graphapp.store.sqlite.store import open_sqlite

    return open_sqlite(location, create=create)


__all__ = ["BatchWriter", "GraphStore", "is_server_location", "open_store"]
