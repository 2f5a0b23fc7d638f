"""Graph stores. ``open_store`` picks the implementation from the location string."""

from __future__ import annotations

from graphapp.store.base import BatchWriter, GraphStore
from graphapp.store.config import StoreConfig
from graphapp.store.sqlite.store import open_sqlite

SERVER_SCHEMES = ("neo4j://", "neo4j+s://", "neo4j+ssc://", "bolt://", "bolt+s://", "bolt+ssc://")


def is_server_location(location: str) -> bool:
    """Whether ``location`` names a Neo4j server (rather than an SQLite file)."""
    return location.startswith(SERVER_SCHEMES)


def open_store(location: str, *, create: bool = True, config: StoreConfig | None = None) -> GraphStore:
    """Open the store at ``location``: a file path (embedded SQLite) or a Neo4j URI.

    ``config`` holds the store's limits and credentials (default: :class:`StoreConfig`'s defaults; the
    service passes those the settings say). The Neo4j driver is imported only here, when a server
    address is given.

    Raises:
        StoreError: the database cannot be opened (see ``open_sqlite`` and ``open_neo4j``).
        ConfigError: a Neo4j address that cannot be used as given (see ``open_neo4j``).
    """
    if is_server_location(location):
        from graphapp.store.neo4j.store import open_neo4j  # the driver: imported only when it is used

        return open_neo4j(location, create=create, config=config or StoreConfig())
    return open_sqlite(location, create=create, backup_keep=(config or StoreConfig()).backup_keep)


__all__ = ["BatchWriter", "GraphStore", "StoreConfig", "is_server_location", "open_store"]
