"""The embedded store: one SQLite file (WAL, foreign keys, one transaction per import).

:mod:`~graphapp.store.sqlite.store` is the store itself; the other modules are its parts (schema, rows,
the import writer, undo and refold, merges, search, audit, backups)."""
