"""Two imports at once into one SQLite file (two app sessions): both land, as if one had waited for the other,
and nobody becomes two people. An import matched against a graph that changed before it was saved writes
nothing and is matched again (``read_at``, ``GraphChanged``)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from graphapp import service
from graphapp.errors import GraphChanged
from graphapp.model import ImportRecord
from tests.ingest.helpers import SAMPLES

FILES = [("a", SAMPLES / "linkedin" / "Connections.csv", "theo.marchbanks@tidewell.example.com"),
         ("b", SAMPLES / "linkedin_second_rep" / "Connections.csv", "ruth.okonjo@tidewell.example.com")]


def team(store) -> None:
    for _, _, rep in FILES:
        service.add_rep(store, name=rep.split("@")[0].replace(".", " ").title(), email=rep)


def test_two_imports_at_once_give_the_graph_of_one_after_the_other(tmp_path):
    with service.open_graph(str(tmp_path / "turns.db")) as turns:
        team(turns)
        for _, path, rep in FILES:
            service.import_files(turns, [path], owner=rep)
        expected = turns.counts()
    with service.open_graph(str(tmp_path / "once.db")) as store:
        team(store)
    outcomes: dict[str, object] = {}

    def run(name, path, rep) -> None:
        with service.open_graph(str(tmp_path / "once.db")) as own:
            outcomes[name] = service.import_files(own, [path], owner=rep).committed

    threads = [threading.Thread(target=run, args=f) for f in FILES]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert outcomes == {"a": True, "b": True}
    with service.open_graph(str(tmp_path / "once.db")) as store:
        assert store.counts() == expected  # 568 people, not the 643 of two imports matched against the same graph
        assert store.identity_violations() == []


def test_an_import_matched_before_another_write_landed_writes_nothing(tmp_path):
    with service.open_graph(str(tmp_path / "g.db")) as store:
        team(store)
        read_at = store.data_version()
        service.import_files(store, [FILES[0][1]], owner=FILES[0][2])  # lands after the other was matched
        before = store.digest()
        record = ImportRecord("late", datetime(2026, 12, 7, tzinfo=UTC), "dana@example.com")
        with pytest.raises(GraphChanged, match="nothing of it was written"), store.importing(record, read_at=read_at):
            pass
        assert store.digest() == before
        fresh = ImportRecord("fresh", datetime(2026, 12, 7, tzinfo=UTC), "dana@example.com")
        with store.importing(fresh, read_at=store.data_version()):
            pass  # matched against the graph as it is: saved
        assert "fresh" in {r.id for r in store.list_imports()}
