"""The in-memory view: the same graph as networkx would see, rebuilt once per store version."""

from __future__ import annotations

import networkx as nx
import numpy as np

from graphapp import service
from graphapp.domain.graph import GraphCache
from graphapp.model import GraphBatch
from graphapp.store.sqlite.store import open_sqlite
from tests.conftest import BatchMaker, record, small_batch


def reference(store) -> nx.MultiGraph:
    g = nx.MultiGraph()
    snap = store.read_snapshot()
    g.add_nodes_from(snap.person_ids)
    for s, t in zip(snap.rel_source, snap.rel_target, strict=True):
        g.add_edge(snap.person_ids[s], snap.person_ids[t])
    return g


def test_view_adjacency_matches_networkx_on_the_demo(tmp_path):
    store = open_sqlite(tmp_path / "g.db")
    service.load_demo(store, seed=7, today=__import__("datetime").date(2026, 11, 23))
    view = service.graph_view(store)
    g = reference(store)
    assert view.n_people == g.number_of_nodes() and view.n_relationships == g.number_of_edges()
    for pid in view.person_ids[::97]:
        i = view.person_index[pid]
        ours = sorted(view.person_ids[j] for j in view.adjacency.neighbours(i))
        assert ours == sorted(n for _, n in g.edges(pid)), pid
        assert view.degree(i) == g.degree(pid)
    # Every adjacency entry points at a relationship that joins the two people.
    for i in range(0, view.n_people, 211):
        for j, e in zip(view.adjacency.neighbours(i), view.adjacency.edges_of(i), strict=True):
            assert {int(view.source[e]), int(view.target[e])} == {i, int(j)}


def test_current_employees_and_targets():
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as d:
        store = open_sqlite(Path(d) / "g.db")
        with store.importing(record("i1")) as w:
            w.write(small_batch("i1"))
        view = service.graph_view(store)
        globex, initech = view.org_index["o-globex"], view.org_index["o-initech"]
        assert [view.person_ids[i] for i in view.current_employees(globex)] == ["p-mei"]
        assert [view.person_ids[i] for i in view.current_employees(initech)] == ["p-raj"]  # Mei left Initech
        assert [view.org_ids[o] for o in view.target_accounts()] == ["o-globex"]
        assert [view.person_ids[i] for i in view.rep_person] == ["p-dana"]
        e = int(np.flatnonzero(view.kind == 2)[0])  # the customer tie
        assert view.kind_of(e).value == "customer" and view.count_out[e] == 8


def test_cache_builds_once_per_store_version(tmp_path):
    store = open_sqlite(tmp_path / "g.db")
    cache = GraphCache()
    reads = []

    def load():
        reads.append(1)
        return store.read_snapshot()

    v1 = cache.current(store.data_version(), load)
    assert cache.current(store.data_version(), load) is v1 and len(reads) == 1
    with store.importing(record("i1")) as w:
        w.write(small_batch("i1"))
    v2 = cache.current(store.data_version(), load)
    assert v2 is not v1 and v2.n_people == 3 and len(reads) == 2
    assert cache.current(store.data_version(), load) is v2 and cache.builds == 2
    m = BatchMaker("i2", sha="s2")
    with store.importing(record("i2", minute=1)) as w:
        w.write(GraphBatch(people=(m.person("p-z", "Zed", "z@example.com"),)))
    assert cache.current(store.data_version(), load).n_people == 4


def test_the_service_keeps_one_view_and_one_answer_per_store_version_until_its_caches_are_dropped(tmp_path):
    from graphapp.service.common import has_graph_view, per_version

    store = open_sqlite(tmp_path / "g.db")
    with store.importing(record("i1")) as w:
        w.write(small_batch("i1"))
    reads = []

    def owners():
        reads.append(1)
        return store.people_of_several_owners()

    view = service.graph_view(store)
    assert has_graph_view(store) and service.graph_view(store) is view
    assert per_version(store, "owners", owners) == per_version(store, "owners", owners) and len(reads) == 1
    with store.importing(record("i2", minute=1)) as w:
        w.write(GraphBatch(people=(BatchMaker("i2", sha="s2").person("p-z", "Zed", "z@example.com"),)))
    assert not has_graph_view(store)  # a new version: the old view is not the store's
    per_version(store, "owners", owners)
    assert len(reads) == 2
    service.graph_view(store)
    service.drop_caches()
    assert not has_graph_view(store)
    per_version(store, "owners", owners)
    assert len(reads) == 3  # read again, as a new process would
    store.close()
