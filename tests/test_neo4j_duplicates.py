"""Possible duplicates on a live Neo4j server (``pytest -m neo4j``): the store's decisions, and the
service's listing and decisions over the invented fixtures, as on SQLite (tests/test_duplicates.py);
``graphapp sync`` carries the decisions both ways."""

from __future__ import annotations

import pytest

from graphapp import service
from tests.test_duplicates import (  # noqa: F401  (collected again here, on Neo4j)
    DANA,
    RUTH,
    load,
    sam_ids,
    sams,
    test_another_reps_private_contact_is_not_shown_nor_decidable,
    test_different_people_is_audited_and_remembered_across_reimports_and_undo,
    test_different_people_still_holds_after_one_of_them_is_merged_under_another_id,
    test_pairs_come_likeliest_first_and_the_limit_keeps_the_first,
    test_same_person_merges_and_a_split_undoes_it,
    test_two_sam_reeds_at_different_companies_are_listed_side_by_side_not_merged,
)
from tests.test_store_duplicates import test_decisions_are_kept_with_their_marks_oldest_first  # noqa: F401

pytestmark = pytest.mark.neo4j



@pytest.fixture
def store(neo4j_server):
    """A fresh, empty Neo4j store (overrides the fixture the tests above were written with)."""
    s = service.open_graph(neo4j_server.uri)
    s.delete_everything()
    s = service.open_graph(neo4j_server.uri)
    yield s
    s.delete_everything()
    s.close()


def test_sync_carries_the_decisions_to_neo4j_and_back(tmp_path, neo4j_server):
    path = str(tmp_path / "g.db")
    with service.open_graph(path) as sqlite:
        load(sqlite, "dana_contacts.csv", DANA)
        load(sqlite, "ruth_contacts.csv", RUTH)
        ids = sam_ids(sqlite)
        service.decide_different(sqlite, ids["Acme Logistics"], ids["Globex"])
        decisions = sqlite.kept_apart()
    live = service.open_graph(neo4j_server.uri)
    live.delete_everything()
    try:
        service.sync(path, neo4j_server.uri)
        with service.open_graph(neo4j_server.uri) as neo4j:
            assert neo4j.kept_apart() == decisions
            assert service.possible_duplicates(neo4j).as_dict() == {"total": 0, "kept_apart": 1, "pairs": []}
        service.sync(neo4j_server.uri, str(tmp_path / "back.db"))
        with service.open_graph(str(tmp_path / "back.db")) as back:
            assert back.kept_apart() == decisions
    finally:
        live.delete_everything()
        live.close()
