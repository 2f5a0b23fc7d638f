"""What a store is told by whoever opens it: its limits and credentials. The service reads them from the
settings (environment, settings file, ``.streamlit/secrets.toml``); a store never reads settings itself."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StoreConfig:
    """A store's configuration; the defaults are those of :mod:`graphapp.settings`.

    Attributes:
        backup_keep: automatic backups kept next to an SQLite file (older ones are deleted).
        neo4j_database: the Neo4j database to use (empty: the server's default).
        neo4j_batch_size: rows per ``UNWIND`` statement when writing to Neo4j.
        neo4j_retry_seconds: how long the driver retries a transaction after a transient error.
        neo4j_allow_insecure: allow an unencrypted connection to a host other than this machine.
        neo4j_user, neo4j_password: the Neo4j login (no password: a Neo4j store cannot be opened).
    """

    backup_keep: int = 10
    neo4j_database: str = ""
    neo4j_batch_size: int = 5000
    neo4j_retry_seconds: float = 30.0
    neo4j_allow_insecure: bool = False
    neo4j_user: str = "neo4j"
    neo4j_password: str | None = None

    def __repr__(self) -> str:  # never show the password in a log or a traceback
        shown = "***" if self.neo4j_password else None
        return (f"StoreConfig(backup_keep={self.backup_keep}, neo4j_database={self.neo4j_database!r}, "
                f"neo4j_batch_size={self.neo4j_batch_size}, neo4j_retry_seconds={self.neo4j_retry_seconds}, "
                f"neo4j_allow_insecure={self.neo4j_allow_insecure}, neo4j_user={self.neo4j_user!r}, "
                f"neo4j_password={shown})")
