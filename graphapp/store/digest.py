"""The content digest every store computes the same way, so a copy between stores can be verified.

It is SHA-256 over five sections in a fixed order (people, organisations, reps, jobs, relationships),
each named by the SQL text that reads it from the SQLite store and followed by its rows as JSON, in the
order of each section's key. Row ids, evidence and history are left out: two stores holding the same
facts have the same digest, whatever happened before. A store that is not SQLite hands over the same
rows (see ``Neo4jStore.digest``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from hashlib import sha256

DIGEST_SECTIONS: tuple[str, ...] = (
    "SELECT id, name, linkedin_url, title, location, lists FROM people ORDER BY id",
    "SELECT id, name, flags, lists, target_owner, priority FROM organizations ORDER BY id",
    "SELECT r.email, p.id, r.role FROM reps r JOIN people p ON p.pk = r.person_pk ORDER BY r.email",
    """SELECT p.id, o.id, e.start, e.end_date, e.title, e.current, e.as_of FROM employments e
               JOIN people p ON p.pk = e.person_pk JOIN organizations o ON o.pk = e.org_pk ORDER BY 1, 2, 3""",
    """SELECT s.id, t.id, r.kind, r.owner, r.visibility, r.profession, r.first_seen, r.last_interaction,
                      r.count_out, r.count_in, r.strength_override FROM relationships r
               JOIN people s ON s.pk = r.source_pk JOIN people t ON t.pk = r.target_pk ORDER BY 1, 2, 3, 4""",
)
# How many leading columns order each section's rows (its ORDER BY).
SECTION_KEYS: tuple[int, ...] = (1, 1, 1, 3, 4)


# ``json.dumps(row, ensure_ascii=False)``, without making an encoder for every row.
_encode = json.JSONEncoder(ensure_ascii=False).encode


def content_digest(sections: Iterable[Iterable[Sequence]]) -> str:
    """SHA-256 (hex) of the five sections' rows, each section's rows already in key order."""
    h = sha256()
    for label, rows in zip(DIGEST_SECTIONS, sections, strict=True):
        h.update(label.encode())
        block: list[str] = []
        for row in rows:  # hashed a block of rows at a time: the same bytes in the same order
            block.append(_encode(list(row)))
            if len(block) == 10_000:
                h.update("".join(block).encode())
                block.clear()
        h.update("".join(block).encode())
    return h.hexdigest()


def in_key_order(rows: Iterable[Sequence], section: int) -> list[Sequence]:
    """Rows sorted the way the SQLite section's ``ORDER BY`` sorts them (text by code point, as SQLite's
    binary collation does on UTF-8)."""
    width = SECTION_KEYS[section]
    return sorted(rows, key=lambda r: tuple(r[:width]))
