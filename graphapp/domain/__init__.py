"""The domain: pure functions over plain data (who is who, scoring, the graph view, privacy rules, paths,
weekly lists, intro requests). Imports only ``graphapp.model``, ``graphapp.errors``, numpy and each other:
no store, service, ingest, settings file, clock or I/O."""
