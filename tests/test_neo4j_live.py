"""The live Neo4j leg: the whole store contract suite, and the same ranked paths as SQLite for the demo
network, against a real server. Runs only when ``NEO4J_URI`` is set (with ``NEO4J_USER`` /
``NEO4J_PASSWORD``); it deletes graphapp's nodes in that database before and after each test, so point
it at a database of its own (``docker compose up -d`` starts one: see docs/neo4j.md).
"""

from __future__ import annotations

import os
import shutil
from datetime import date

import pytest

from graphapp import service
from graphapp.store.sqlite.store import open_sqlite
from tests.test_store_contract import *  # noqa: F403  (the contract suite, collected again here for Neo4j)

LIVE_URI = os.environ.get("NEO4J_URI")
pytestmark = [pytest.mark.neo4j,
              pytest.mark.skipif(not LIVE_URI, reason="live Neo4j leg skipped: NEO4J_URI is not set "
                                                      "(see docs/neo4j.md to run it)")]


def _open_empty():
    store = service.open_graph(LIVE_URI)
    store.delete_everything()
    return service.open_graph(LIVE_URI)


@pytest.fixture
def store():
    """A fresh, empty Neo4j store (overrides the conftest fixture, so the contract tests above run on it)."""
    s = _open_empty()
    yield s
    s.delete_everything()
    s.close()


def test_the_demo_network_ranks_the_same_on_neo4j_as_on_sqlite(demo_file, tmp_path):
    path = tmp_path / "demo.db"
    shutil.copy(demo_file, path)
    _open_empty().close()
    result = service.sync(str(path), LIVE_URI)
    today = date(2026, 11, 23)
    with open_sqlite(path) as sqlite, service.open_graph(LIVE_URI) as neo4j:
        assert neo4j.digest() == sqlite.digest() == result.digest
        accounts = [o.id for o in sqlite.list_organizations() if o.is_target][:10]
        for account in accounts:
            assert service.account_paths(neo4j, account, today=today).as_dict() == \
                   service.account_paths(sqlite, account, today=today).as_dict()
            assert neo4j.read_neighbourhood(account, 3).person_ids == sqlite.read_neighbourhood(account, 3).person_ids
        back = tmp_path / "back.db"
        assert service.sync(LIVE_URI, str(back)).digest == result.digest
        neo4j.delete_everything()
