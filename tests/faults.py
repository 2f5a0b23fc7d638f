"""Run the ``graphapp`` command with a fault injected, for tests that kill a process mid-transaction.

    python -m tests.faults pause-before-commit --db g.db import file.csv --owner dana@example.com

The process runs the real command on a real SQLite file; only the standard library's ``sqlite3.connect``
is wrapped, so that the connection pauses (and prints :data:`PAUSED` to stderr) when a write transaction
of the store is about to commit: after its data-version bump, before ``COMMIT``. The test then kills it.
Nothing in graphapp knows about this.
"""

from __future__ import annotations

import sqlite3
import sys
import time

PAUSED = "graphapp-fault: paused before commit"
_BUMP = "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'data_version'"


class PausingConnection(sqlite3.Connection):
    """A connection that stops for a minute before committing a store write."""

    last_statement = ""

    def execute(self, sql, *args):  # noqa: ANN001, ANN201 - the signature of sqlite3.Connection.execute
        if sql.strip().upper() == "COMMIT" and self.last_statement == _BUMP:
            print(PAUSED, file=sys.stderr, flush=True)
            time.sleep(60)
        self.last_statement = sql.strip()
        return super().execute(sql, *args)


def main(argv: list[str]) -> int:
    fault, *args = argv
    if fault != "pause-before-commit":
        raise SystemExit(f"unknown fault {fault!r}")
    connect = sqlite3.connect
    sqlite3.connect = lambda *a, **k: connect(*a, **{"factory": PausingConnection, **k})
    from graphapp.cli import main as graphapp

    return graphapp(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
