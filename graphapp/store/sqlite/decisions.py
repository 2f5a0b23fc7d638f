"""Decisions from the review of possible duplicates kept in SQLite (schema v8: ``kept_apart``): that two
people are different humans, each side kept as that person's marks (see :mod:`graphapp.domain.duplicates`)."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from graphapp.domain.duplicates import KeptApart


def keep_apart(conn: sqlite3.Connection, decision: KeptApart) -> None:
    """Record a decision inside the caller's open transaction."""
    conn.execute(
        "INSERT INTO kept_apart (time, actor, first_id, second_id, first_marks, second_marks) VALUES (?, ?, ?, ?, ?, ?)",
        (decision.time.isoformat(), decision.actor, decision.first_id, decision.second_id,
         json.dumps(sorted(decision.first_marks)), json.dumps(sorted(decision.second_marks))))


def kept_apart(conn: sqlite3.Connection) -> list[KeptApart]:
    """Every decision, oldest first."""
    rows = conn.execute("SELECT time, actor, first_id, second_id, first_marks, second_marks FROM kept_apart "
                        "ORDER BY pk").fetchall()
    return [KeptApart(first, second, frozenset(json.loads(a)), frozenset(json.loads(b)), datetime.fromisoformat(t), actor)
            for t, actor, first, second, a, b in rows]
