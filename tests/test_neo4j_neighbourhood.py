"""One account's neighbourhood: the Neo4j store's pushed-down fetch (against the recording double, which
answers each Cypher statement from the demo network's SQLite file) gives the very snapshot the SQLite
store cuts from its whole graph, and ranking on it gives the same paths as ranking on the whole graph."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date

import pytest

from graphapp import service
from graphapp.domain.graph import GraphView
from graphapp.domain.path_index import PathIndex
from graphapp.domain.paths import rank_paths
from graphapp.domain.scoring import ScoringWeights
from graphapp.store.neo4j import cypher as cy
from graphapp.store.sqlite.store import CURRENT, SQLiteStore, open_sqlite
from tests.test_neo4j_store import RecordingDriver, make_store

TODAY = date(2026, 11, 23)


def _current(alias: str) -> str:
    return CURRENT.replace("e.", f"{alias}.")


class DemoAnswers:
    """Answers the neighbourhood statements as a Neo4j server holding the demo network would (the
    SQLite rows' pks stand for the Neo4j ``pk`` properties)."""

    def __init__(self, path) -> None:
        self.conn = sqlite3.connect(path)
        self.conn.row_factory = sqlite3.Row

    def __call__(self, query: str, params: dict) -> list[dict]:
        return [dict(r) for r in self._rows(query, params)]

    def _rows(self, query: str, params: dict):
        c = self.conn
        if query == cy.META:
            return c.execute("SELECT CAST(value AS INTEGER) AS version FROM meta WHERE key = 'data_version'")
        if query == cy.NEIGHBOURHOOD_ACCOUNT:
            return c.execute("SELECT pk, id, name, flags FROM organizations WHERE id = ?", (params["account"],))
        if query == cy.LIST_REPS:
            return c.execute("SELECT r.email, p.id AS person_id, p.name, r.role, r.person_pk FROM reps r "
                             "JOIN people p ON p.pk = r.person_pk")
        if query == cy.NEIGHBOURHOOD_START:
            return c.execute(f"""SELECT DISTINCT e.person_pk AS pk FROM employments e JOIN organizations o
                                 ON o.pk = e.org_pk WHERE o.id = ? AND {_current('e')}""", (params["account"],))
        marks = ",".join("?" * len(params.get("frontier") or params.get("pks") or []))
        if query == cy.NEIGHBOURHOOD_TIED:
            f = params["frontier"]
            return c.execute(f"""SELECT target_pk AS near FROM relationships WHERE source_pk IN ({marks})
                UNION SELECT source_pk FROM relationships WHERE target_pk IN ({marks})""", [*f, *f])
        if query == cy.NEIGHBOURHOOD_COLLEAGUES:
            return c.execute(f"""SELECT DISTINCT k.person_pk AS near FROM employments j JOIN employments k
                ON k.org_pk = j.org_pk WHERE j.person_pk IN ({marks}) AND {_current('j')} AND {_current('k')}""",
                             params["frontier"])
        pks = params.get("pks", [])
        if query == cy.NEIGHBOURHOOD_PEOPLE:
            return c.execute(f"SELECT pk, id, name, title FROM people WHERE pk IN ({marks})", pks)
        if query == cy.NEIGHBOURHOOD_TIES:
            return c.execute(f"""SELECT r.source_pk, r.target_pk, r.kind, r.owner, r.pk, r.visibility, r.profession,
                    r.first_seen, r.last_interaction, r.count_out, r.count_in, r.strength_override, s.id AS source_id,
                    t.id AS target_id FROM relationships r JOIN people s ON s.pk = r.source_pk
                    JOIN people t ON t.pk = r.target_pk WHERE r.source_pk IN ({marks}) OR r.target_pk IN ({marks})""",
                             [*pks, *pks])
        if query == cy.NEIGHBOURHOOD_JOBS:
            return c.execute(f"""SELECT e.person_pk, e.org_pk, e.start, e.pk, e.end_date, e.title,
                    e.current = 1 AS current, e.as_of, p.id AS person_id, o.id AS org_id, o.name AS org_name,
                    o.flags AS org_flags FROM employments e JOIN people p ON p.pk = e.person_pk
                    JOIN organizations o ON o.pk = e.org_pk WHERE e.person_pk IN ({marks})""", pks)
        raise AssertionError(f"unexpected statement: {query}")


@pytest.fixture(scope="module")
def demo(demo_file, tmp_path_factory):
    path = tmp_path_factory.mktemp("hood") / "demo.db"
    shutil.copy(demo_file, path)
    store = open_sqlite(path)
    yield store, path
    store.close()


def _targets(store, n=6):
    return [o.id for o in store.list_organizations() if o.is_target][:n]


def _fields(snap):
    return {k: v if isinstance(v, int) else list(v) for k, v in vars(snap).items()}


@pytest.mark.parametrize("hops", [1, 2, 3])
def test_the_pushed_down_neighbourhood_is_the_snapshot_sqlite_cuts(demo, hops):
    store, path = demo
    for account in _targets(store):
        driver = RecordingDriver(DemoAnswers(path))
        fetched = make_store(driver, batch_size=300).read_neighbourhood(account, hops)
        assert _fields(fetched) == _fields(store.read_neighbourhood(account, hops))
        levels = [p["frontier"] for q, p in driver.calls if q in (cy.NEIGHBOURHOOD_TIED, cy.NEIGHBOURHOOD_COLLEAGUES)]
        assert all(len(f) <= 300 and f == sorted(f) for f in levels)  # UNWIND batches of the configured size
        assert driver.units == ["read"]  # one consistent read transaction


def test_the_statements_and_their_parameters_for_one_account(demo):
    store, path = demo
    account = _targets(store, 1)[0]
    driver = RecordingDriver(DemoAnswers(path))
    make_store(driver).read_neighbourhood(account, 2)
    queries = driver.queries()
    assert queries[:4] == [cy.META, cy.NEIGHBOURHOOD_ACCOUNT, cy.LIST_REPS, cy.NEIGHBOURHOOD_START]
    level = [cy.NEIGHBOURHOOD_TIED, cy.NEIGHBOURHOOD_COLLEAGUES]
    assert queries[4:] == [*level, *level, cy.NEIGHBOURHOOD_PEOPLE, cy.NEIGHBOURHOOD_TIES, cy.NEIGHBOURHOOD_JOBS]
    assert driver.calls[1][1] == {"account": account} and driver.calls[3][1] == {"account": account}
    start = [r["pk"] for r in DemoAnswers(path)(cy.NEIGHBOURHOOD_START, {"account": account})]
    reps = {r["person_pk"] for r in DemoAnswers(path)(cy.LIST_REPS, {})}
    assert driver.calls[4][1] == driver.calls[5][1] == {"frontier": sorted(set(start) - reps)}
    people = driver.calls[8][1]["pks"]
    assert people == sorted(people) and set(driver.calls[9][1]["pks"]) < set(people)


@pytest.mark.parametrize("hops", [2, 3])
def test_ranking_on_the_neighbourhood_gives_the_whole_graphs_paths(demo, hops):
    store, _path = demo
    weights = ScoringWeights()
    whole = PathIndex(GraphView(store.read_snapshot()), weights, TODAY.toordinal())
    for account in _targets(store, 8):
        view = GraphView(store.read_neighbourhood(account, hops))
        part = PathIndex(view, weights, TODAY.toordinal())
        expected = rank_paths(whole, whole.view.org_index[account], top=10, max_hops=hops)
        got = rank_paths(part, view.org_index[account], top=10, max_hops=hops)
        assert [([whole.view.person_ids[p] for p in x.people], x.score) for x in expected] == \
               [([view.person_ids[p] for p in x.people], x.score) for x in got]
        assert view.n_people < whole.view.n_people


class PushingDownSQLiteStore(SQLiteStore):
    """A SQLite store that says it pushes the neighbourhood fetch down (it cuts it from its snapshot),
    so the service takes the path a large Neo4j store takes."""

    pushes_down_neighbourhood = True


def test_the_service_ranks_from_the_neighbourhood_with_the_same_results(demo, monkeypatch, tmp_path):
    store, path = demo
    copy = tmp_path / "copy.db"
    shutil.copy(path, copy)
    plain = open_sqlite(copy)
    pushing = PushingDownSQLiteStore(plain._conn, str(copy) + "#neighbourhood")
    monkeypatch.setenv("GRAPHAPP_NEIGHBOURHOOD_ABOVE", "0")
    reps = [r.email for r in plain.list_reps()]
    for account in _targets(store, 5):
        for rep in (None, reps[0]):
            want = service.account_paths(plain, account, rep=rep, today=TODAY).as_dict()
            got = service.account_paths(pushing, account, rep=rep, today=TODAY).as_dict()
            assert got == want
    name = store.get_organizations(_targets(store, 1))[_targets(store, 1)[0]].name
    assert service.account_paths(pushing, name, today=TODAY).account_id == _targets(store, 1)[0]
    plain.close()


def test_a_neighbourhood_of_most_of_the_graph_stops_where_it_crosses_the_limit(demo):
    """Past ``most_people`` the search stops at that level and reads no rows (None: rank on the whole
    view); under it, the same snapshot as without a limit."""
    store, path = demo
    account = _targets(store, 1)[0]
    size = len(store.read_neighbourhood(account, 2).person_ids)
    driver = RecordingDriver(DemoAnswers(path))
    assert make_store(driver).read_neighbourhood(account, 2, most_people=size - 1) is None
    assert cy.NEIGHBOURHOOD_PEOPLE not in driver.queries() and cy.NEIGHBOURHOOD_TIES not in driver.queries()
    assert store.read_neighbourhood(account, 2, most_people=size - 1) is None  # the default cut says the same
    fetched = make_store(RecordingDriver(DemoAnswers(path))).read_neighbourhood(account, 2, most_people=size)
    assert _fields(fetched) == _fields(store.read_neighbourhood(account, 2))
