"""Store-independent rules every store applies to evidence in the same way (SQLite and Neo4j):
which snapshots count (one per source), how a job's stored values fold a newer assertion in, when a
tie's stored values already hold one, and how a person's evidence splits into the identities it shows."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any


def first_per_source(rows: Iterable[tuple]) -> dict[int, list[dict[str, Any]]]:
    """Evidence rows (subject pk, file SHA-256, row, fact, snapshot JSON), in the order they count, as
    each subject's snapshots, one per source row: re-imports of the same bytes count once."""
    seen: set[tuple] = set()
    out: dict[int, list[dict[str, Any]]] = {}
    for subject_pk, sha, row, fact, snapshot in rows:
        key = (subject_pk, sha, row, fact)
        if key not in seen:
            seen.add(key)
            out.setdefault(subject_pk, []).append(json.loads(snapshot))
    return out


def tie_holds(stored: tuple, count_out: int, count_in: int, first_seen: str | None, last_interaction: str | None,
              profession: str | None) -> bool:
    """Whether one more source asserting a tie leaves its folded values (``stored``: count_out, count_in,
    first_seen, last_interaction, profession, dates as ISO text) as they are, by the rules of
    ``codec.fold_interactions``: counts add up, the earliest first date and the latest last one win,
    and the newest profession given."""
    _, _, stored_first, stored_last, stored_profession = stored
    return (not count_out and not count_in
            and (first_seen is None or (stored_first is not None and first_seen >= stored_first))
            and (last_interaction is None or (stored_last is not None and last_interaction <= stored_last))
            and (profession is None or profession == stored_profession))


def fold_job(job: list, end: str | None, title: str | None, current: bool, as_of: str | None) -> None:
    """Fold a newer assertion of a job into ``job`` = [pk, end, title, current, as_of] (in place): known
    values win over unknown ones, ``current`` is the newest word, ``as_of`` the latest date."""
    job[1] = job[1] if end is None else end
    job[2] = job[2] if title is None else title
    job[3] = current
    job[4] = job[4] if as_of is None else as_of if job[4] is None else max(job[4], as_of)


def strong_key_groups(rows: list[tuple]) -> list[dict[str, Any]]:
    """Evidence rows (pk, sha256, row, snapshot) grouped so that rows sharing a LinkedIn URL or an e-mail
    stay together; rows without strong keys join the first group (the original identity)."""
    groups: list[dict[str, Any]] = []
    for ev_pk, sha, r, snap in rows:
        keys = {f"e:{e}" for e in snap.get("emails", ())}
        if snap.get("linkedin_url"):
            keys.add(f"l:{snap['linkedin_url']}")
        hits = [g for g in groups if g["keys"] & keys] if keys else groups[:1]
        if not hits:
            groups.append({"keys": set(), "evidence": [], "sources": set(), "snapshots": []})
            hits = [groups[-1]]
        target = hits[0]
        for other in hits[1:]:  # a row linking two groups joins them
            target["keys"] |= other["keys"]
            target["sources"] |= other["sources"]
            target["evidence"] += other["evidence"]
            target["snapshots"] += other["snapshots"]
            groups.remove(other)
        target["keys"] |= keys
        target["evidence"].append(ev_pk)
        target["sources"].add((sha, r))
        target["snapshots"].append(snap)
    return groups
