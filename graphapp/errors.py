"""Every error graphapp raises on purpose, one hierarchy (networkx's exception.py is the model).

Messages are for people: they say what went wrong, where (file, row, column, path) and how to fix it.
Front ends translate them to UI text in exactly one place each (``cli.main`` and ``app_pages``).
"""

from __future__ import annotations


class GraphAppError(Exception):
    """Base class of every error a user can cause and fix."""


class InputError(GraphAppError):
    """A file, argument or value given by the user cannot be used as it is."""


class RowError(InputError):
    """One row of an input file is unusable; the rest of the file may still import."""

    def __init__(self, reason: str, *, row: int | None = None, column: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.row = row
        self.column = column


class IdentityConflict(InputError):
    """A change would break a who-is-who rule (two people with one e-mail, a fact without evidence, ...);
    it was refused and nothing was committed."""


class NotFound(GraphAppError):
    """A person, organisation, rep, account or import that was asked for does not exist."""


class StoreError(GraphAppError):
    """The store cannot be opened, read or written (bad path, newer schema, locked, disk full)."""


class StoreBusy(StoreError):
    """Another writer holds the store longer than the busy timeout; nothing was changed, try again."""


class GraphChanged(StoreBusy):
    """Another write landed between reading the graph for an import and saving it; nothing of the import
    was written (the service matches the files again)."""


class ConfigError(GraphAppError):
    """A setting has a value that cannot be used."""


class NotAllowed(GraphAppError):
    """The signed-in user's role (or the data's owner) does not allow this action."""
