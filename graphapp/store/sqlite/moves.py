"""Job changes seen by comparing imports: current jobs the latest import brought first, of people an
earlier import already placed elsewhere (SQLite)."""

from __future__ import annotations

import sqlite3

_FIRST_SEEN = """(SELECT min(i.seq) FROM evidence ev JOIN import_files f ON f.id = ev.file_id
                  JOIN imports i ON i.id = f.import_id
                  WHERE ev.subject = 'employment' AND ev.subject_pk = {alias}.pk AND i.status = 'committed')"""


def job_moves(conn: sqlite3.Connection) -> list[tuple[str, str, str | None, str]]:
    """(person id, new organisation id, title, previous organisation id), by person id."""
    latest = conn.execute("SELECT max(seq) FROM imports WHERE status = 'committed'").fetchone()[0]
    if latest is None:
        return []
    sql = f"""
        SELECT p.id, o.id, e.title, (SELECT o2.id FROM employments e2 JOIN organizations o2 ON o2.pk = e2.org_pk
                                     WHERE e2.person_pk = e.person_pk AND e2.pk <> e.pk
                                       AND {_FIRST_SEEN.format(alias='e2')} < ?
                                     ORDER BY e2.start DESC, o2.id LIMIT 1) AS before
        FROM employments e JOIN people p ON p.pk = e.person_pk JOIN organizations o ON o.pk = e.org_pk
        WHERE e.current AND e.end_date IS NULL AND {_FIRST_SEEN.format(alias="e")} = ?
        ORDER BY p.id, o.id"""
    return [(r[0], r[1], r[2], r[3]) for r in conn.execute(sql, (latest, latest)) if r[3] is not None]
