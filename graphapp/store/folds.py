"""Store-independent rules every store applies to evidence in the same way (SQLite and Neo4j):
how a job's stored values fold a newer assertion in, and how a person's evidence splits into the
identities it shows."""

from __future__ import annotations

from typing import Any


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
