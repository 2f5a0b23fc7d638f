"""The content digest is what its module says: SHA-256 over each section's SQL text followed by each
of its rows as JSON (``json.dumps(row, ensure_ascii=False)``), whatever the number of rows: backups,
restores and copies between stores are verified by it, so its bytes must never drift."""

from __future__ import annotations

import json
from hashlib import sha256

from graphapp.store.digest import DIGEST_SECTIONS, content_digest


def test_the_digest_is_sha256_of_each_sections_text_and_rows_as_json():
    people = [(f"p-{n:05}", f"Zoë Ångström {n}", None, "CPA", None, '{"emails":[]}') for n in range(25_001)]
    sections = [people, [], [("rep@example.com", "p-00001", "admin")], [("p-1", "o-1", "", None, "Boss", 1, None)],
                [("p-1", "p-2", "knows", "rep@example.com", "team", None, "2024-01-02", None, 3, 0, 0.5)]]
    h = sha256()
    for label, rows in zip(DIGEST_SECTIONS, sections, strict=True):
        h.update(label.encode())
        for row in rows:
            h.update(json.dumps(list(row), ensure_ascii=False).encode())
    assert content_digest(iter(s) for s in sections) == h.hexdigest()
    people[17_000] = (*people[17_000][:1], "Zoe Angstrom 17000", *people[17_000][2:])
    assert content_digest(iter(s) for s in sections) != h.hexdigest()  # one row's accents change it
