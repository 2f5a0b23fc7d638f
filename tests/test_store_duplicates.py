"""The store side of possible duplicates, for every store (the ``store`` fixture; Neo4j again in
tests/test_neo4j_duplicates.py): "different people" decisions are kept with both sides' marks, in order."""

from __future__ import annotations

from datetime import UTC, datetime

from graphapp.domain.duplicates import KeptApart, identity_marks


def decision(first: str, second: str, minute: int) -> KeptApart:
    return KeptApart(first, second, identity_marks(first, [f"email:{first}@example.com"]),
                     identity_marks(second, [], [("sha-1", 4)]), datetime(2026, 1, 1, 12, minute, tzinfo=UTC), "test")


def test_decisions_are_kept_with_their_marks_oldest_first(store):
    assert store.kept_apart() == []
    first, second = decision("p-a", "p-b", 1), decision("p-c", "p-a", 2)
    store.keep_apart(first)
    store.keep_apart(second)
    assert store.kept_apart() == [first, second]
    [kept, _] = store.kept_apart()
    assert kept.covers(identity_marks("p-x", ["email:p-a@example.com"]), identity_marks("p-y", [], [("sha-1", 4)]))
    assert not kept.covers(identity_marks("p-x", ["email:p-a@example.com"]), identity_marks("p-y", [], [("sha-1", 5)]))
