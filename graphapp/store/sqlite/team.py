"""The team's own records kept next to the graph in SQLite: settings saved from the app, and
introduction requests with their state history (see :class:`graphapp.model.IntroRequest`)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from datetime import date, datetime

from graphapp.errors import NotFound
from graphapp.model import IntroEvent, IntroRequest, IntroState


def saved_settings(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT name, value FROM settings ORDER BY name").fetchall())


def save_settings(conn: sqlite3.Connection, values: Mapping[str, str | None]) -> None:
    """Set each named value; ``None`` removes it (back to the default)."""
    for name, value in values.items():
        if value is None:
            conn.execute("DELETE FROM settings WHERE name = ?", (name,))
        else:
            conn.execute("INSERT INTO settings (name, value) VALUES (?, ?) "
                         "ON CONFLICT (name) DO UPDATE SET value = excluded.value", (name, value))


def add_intro(conn: sqlite3.Connection, intro: IntroRequest) -> None:
    conn.execute(
        """INSERT INTO intros (id, rep_email, account_id, connector_id, target_id, score, path, draft, state,
                               created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (intro.id, intro.rep_email, intro.account_id, intro.connector_id, intro.target_id, intro.score,
         json.dumps(intro.path, sort_keys=True), intro.draft, intro.state.value, intro.created.isoformat(),
         intro.updated.isoformat()))
    for event in intro.events:
        add_event(conn, intro.id, event)


def add_event(conn: sqlite3.Connection, intro_id: str, event: IntroEvent) -> None:
    changed = conn.execute("UPDATE intros SET state = ?, updated = ? WHERE id = ?",
                           (event.state.value, event.time.isoformat(), intro_id)).rowcount
    if not changed:
        raise NotFound(f"No introduction request {intro_id!r}; `graphapp intro list` shows them.")
    conn.execute("INSERT INTO intro_events (intro_id, state, day, note, actor, time) VALUES (?, ?, ?, ?, ?, ?)",
                 (intro_id, event.state.value, event.day.isoformat(), event.note, event.actor,
                  event.time.isoformat()))


def list_intros(conn: sqlite3.Connection, *, rep_email: str | None = None, account_id: str | None = None,
                ids: Sequence[str] | None = None) -> list[IntroRequest]:
    """Requests, newest first, with their events, filtered by rep, account or ids."""
    where, params = [], []
    for column, value in (("rep_email", rep_email), ("account_id", account_id)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    if ids is not None:
        where.append(f"id IN ({','.join('?' * len(ids))})")
        params.extend(ids)
    sql = "SELECT * FROM intros" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY created DESC, id"
    rows = conn.execute(sql, params).fetchall()
    events: dict[str, list[IntroEvent]] = {}
    if rows:
        marks = ",".join("?" * len(rows))
        for e in conn.execute(f"SELECT * FROM intro_events WHERE intro_id IN ({marks}) ORDER BY pk",
                              [r["id"] for r in rows]):
            events.setdefault(e["intro_id"], []).append(IntroEvent(
                IntroState(e["state"]), date.fromisoformat(e["day"]), e["actor"], datetime.fromisoformat(e["time"]),
                e["note"]))
    return [IntroRequest(
        id=r["id"], rep_email=r["rep_email"], account_id=r["account_id"], connector_id=r["connector_id"],
        target_id=r["target_id"], score=r["score"], path=json.loads(r["path"]), draft=r["draft"],
        state=IntroState(r["state"]), created=datetime.fromisoformat(r["created"]),
        updated=datetime.fromisoformat(r["updated"]), events=tuple(events.get(r["id"], ())))
        for r in rows]
