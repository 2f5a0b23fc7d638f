"""The live Neo4j leg: the whole store contract suite, and the same ranked paths as SQLite for the demo
network, against a real server: the one the ``neo4j_server`` fixture starts (tests/neo4j_server.py), or
the one ``NEO4J_URI`` names. It deletes graphapp's nodes in that database before and after each test, so
point ``NEO4J_URI`` only at a database of its own.
"""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from graphapp import service
from graphapp.errors import StoreError
from graphapp.store.sqlite.store import open_sqlite
from tests.test_store_contract import *  # noqa: F403  (the contract suite, collected again here for Neo4j)

pytestmark = pytest.mark.neo4j


def _open_empty(uri: str):
    store = service.open_graph(uri)
    store.delete_everything()
    return service.open_graph(uri)


@pytest.fixture
def store(neo4j_server):
    """A fresh, empty Neo4j store (overrides the conftest fixture, so the contract tests above run on it)."""
    s = _open_empty(neo4j_server.uri)
    yield s
    s.delete_everything()
    s.close()


def test_the_demo_network_ranks_the_same_on_neo4j_as_on_sqlite(demo_file, tmp_path, neo4j_server, monkeypatch):
    """With ``neighbourhood_above`` at 0, through each account's neighbourhood (or, where that is most of the
    graph, the whole view, after which every account ranks on it), then through the whole-graph view: the
    same ranked paths as SQLite."""
    from graphapp.service import common

    live = neo4j_server.uri
    path = tmp_path / "demo.db"
    shutil.copy(demo_file, path)
    _open_empty(live).close()
    result = service.sync(str(path), live)
    today = date(2026, 11, 23)
    service.drop_caches()  # no view of an earlier test's graph of the same version
    with open_sqlite(path) as sqlite, service.open_graph(live) as neo4j:
        assert neo4j.digest() == sqlite.digest() == result.digest
        accounts = [o.id for o in sqlite.list_organizations() if o.is_target][:10]
        monkeypatch.setenv("GRAPHAPP_NEIGHBOURHOOD_ABOVE", "0")
        for hops in (1, 2, 3):
            for account in accounts:
                assert service.account_paths(neo4j, account, today=today, max_hops=hops).as_dict() == \
                       service.account_paths(sqlite, account, today=today, max_hops=hops).as_dict()
        assert common.has_graph_view(neo4j)  # three hops reached most of the demo: the whole view was read once
        monkeypatch.delenv("GRAPHAPP_NEIGHBOURHOOD_ABOVE")
        for account in accounts:
            assert service.account_paths(neo4j, account, today=today).as_dict() == \
                   service.account_paths(sqlite, account, today=today).as_dict()
            assert neo4j.read_neighbourhood(account, 3).person_ids == sqlite.read_neighbourhood(account, 3).person_ids
        back = tmp_path / "back.db"
        assert service.sync(live, str(back)).digest == result.digest
        neo4j.delete_everything()


def test_a_wrong_password_is_one_line_that_names_the_server_and_never_the_password(neo4j_server, monkeypatch):
    service.open_graph(neo4j_server.uri).close()  # a driver with the right login is already in the process
    monkeypatch.setenv("NEO4J_PASSWORD", "wrong-pw-7731")
    with pytest.raises(StoreError) as caught:
        service.open_graph(neo4j_server.uri)
    assert str(caught.value) == (f"Neo4j at {neo4j_server.uri} refused the user name or password; check "
                                 "NEO4J_USER and NEO4J_PASSWORD. Nothing was changed.")


def test_the_samples_give_the_same_graph_and_answers_on_neo4j_as_on_sqlite(tmp_path, neo4j_server):
    """Every invented sample, imported in a team's order into each store, gives the same graph (digest),
    the same ranked paths for every target account, the same coverage and weekly lists; undoing the last
    of a rep's file keeps them equal."""
    from tests.ingest.helpers import SAMPLES
    from tests.ingest.test_samples_import import PLAN

    today, week = date(2026, 11, 23), "2026-W48"
    sqlite, neo4j = open_sqlite(tmp_path / "samples.db"), _open_empty(neo4j_server.uri)
    try:
        imports = {}
        for name, owner, _, _ in PLAN:
            reports = [service.import_files(s, [SAMPLES / name], owner=owner) for s in (sqlite, neo4j)]
            assert reports[0].as_dict()["people_added"] == reports[1].as_dict()["people_added"], name
            imports[name] = [r.import_id for r in reports]

        def answers(store) -> dict:
            accounts = sorted(o.id for o in store.list_organizations() if o.is_target)
            return {"counts": store.counts(), "digest": store.digest(),
                    "paths": {a: service.account_paths(store, a, today=today).as_dict() for a in accounts},
                    "coverage": service.coverage(store, today=today).as_dict(),
                    "weekly": service.weekly_lists(store, week=week, record=False, today=today).as_dict()}

        first = answers(sqlite)
        assert first["counts"].people > 500 and any(p["paths"] for p in first["paths"].values())
        assert answers(neo4j) == first
        ruth = imports["linkedin_second_rep/Connections.csv"]  # a second rep's connections, undone in each store
        service.undo_import(sqlite, ruth[0])
        service.undo_import(neo4j, ruth[1])
        assert neo4j.digest() == sqlite.digest() != first["digest"]
        assert neo4j.counts() == sqlite.counts() and sqlite.counts().people < first["counts"].people
    finally:
        sqlite.close()
        neo4j.delete_everything()
        neo4j.close()


def test_a_server_killed_before_an_import_is_published_leaves_nothing_of_it(tmp_path, neo4j_server, monkeypatch):
    """A server of its own is killed while an import waits to be published: the import fails with one
    line that names the server (never the password); once the server is back, the graph is as it was, and
    the same file then imports whole."""
    from tests import neo4j_server as n4j
    from tests.ingest.helpers import SAMPLES

    folder = tmp_path / "own"
    folder.mkdir()
    server = n4j.start(folder)
    monkeypatch.setenv("NEO4J_PASSWORD", server.password)
    try:
        with service.open_graph(server.uri) as store:
            service.import_files(store, [SAMPLES / "relationships.csv"])
            before, counts = store.digest(), store.counts()
        lines = ["Name,Email,Company"] + [f"Person {n:04d},person{n:04d}@shared.example.com,Initech" for n in range(3000)]
        (tmp_path / "contacts.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")

        def kill_before_publishing(step: str) -> None:
            if step.startswith("Saving the import"):  # every batch is staged; publishing is next
                server.process.kill()
                server.process.wait(timeout=30)

        monkeypatch.setenv("GRAPHAPP_NEO4J_RETRY_SECONDS", "2")
        with service.open_graph(server.uri) as store, pytest.raises(StoreError) as caught:
            service.import_files(store, [tmp_path / "contacts.csv"], owner="dana@example.com",
                                 progress=kill_before_publishing)
        text = str(caught.value)
        assert server.uri in text and "\n" not in text and server.password not in text
        server = n4j.start(folder)  # the same data, on a new port
        monkeypatch.setenv("NEO4J_PASSWORD", server.password)
        with service.open_graph(server.uri) as store:
            assert store.digest() == before and store.counts() == counts
            report = service.import_files(store, [tmp_path / "contacts.csv"], owner="dana@example.com")
            assert report.committed and store.counts().people == counts.people + 3000 + 1  # and the rep
    finally:
        server.stop()


def test_doctor_finds_problems_written_around_graphapp_on_neo4j(store, capsys):
    """As tests/test_identity_audit.py does on an SQLite file, with raw Cypher: a second rep on one
    person (SQLite's schema cannot hold it), a person sharing an e-mail without evidence, a self-tie."""
    from tests.conftest import record, small_batch

    with store.importing(record("i1")) as writer:
        writer.write(small_batch("i1"))
    store._sessions.write(lambda tx: [tx.run(q, {}).data() for q in (
        "MATCH (p:Person {id: 'p-dana'}) CREATE (:Rep {email: 'dana2@example.com', person_pk: p.pk, role: 'rep'})",
        "CREATE (:Person {pk: 9001, id: 'p-ghost', name: 'Ghost', lists: '{\"emails\":[\"Mei@Globex.example.com\"]}'})",
        "MATCH (p:Person {id: 'p-mei'}) CREATE (p)-[:TIE {pk: 9002, kind: 'colleague', owner: 'team'}]->(p)",
        "CREATE (:Rep {email: 'gone@example.com', person_pk: 9999, role: 'rep'})")])
    found = store.identity_violations()
    assert [(v.rule, v.ids) for v in found] == [
        ("no-evidence", ("p-ghost",)), ("no-evidence", ("p-mei -> p-mei",)),
        ("rep-shares-person", ("p-dana", "dana2@example.com", "dana@example.com")),
        ("rep-without-person", ("gone@example.com",)),
        ("self-relationship", ("p-mei",)), ("shared-email", ("p-ghost", "p-mei"))]
    assert found[2].line().startswith("rep-shares-person: 2 reps are one person p-dana (Dana Whitfield): "
                                      "dana2@example.com, dana@example.com")


def test_a_server_restarted_under_a_running_app_is_reconnected_to(tmp_path, monkeypatch):
    """The app keeps one open store for its sessions: when the server stops and comes back at the same address,
    that same store answers again, with the graph as it was, and takes the next import."""
    from tests import neo4j_server as n4j
    from tests.ingest.helpers import SAMPLES

    folder = tmp_path / "own"
    folder.mkdir()
    server = n4j.start(folder)
    monkeypatch.setenv("NEO4J_PASSWORD", server.password)
    monkeypatch.setenv("GRAPHAPP_NEO4J_RETRY_SECONDS", "2")
    port = int(server.uri.rsplit(":", 1)[1])
    try:
        store = service.open_graph(server.uri)
        service.import_files(store, [SAMPLES / "relationships.csv"])
        before, counts = store.digest(), store.counts()
        server.stop()
        with pytest.raises(StoreError) as caught:  # while it is down: one line naming the server
            store.counts()
        assert server.uri in str(caught.value) and "\n" not in str(caught.value)
        server = n4j.start(folder, port=port, password=server.password)
        assert store.digest() == before and store.counts() == counts
        report = service.import_files(store, [SAMPLES / "targets.csv"])
        assert report.committed and store.counts().organizations > counts.organizations
        store.close()
    finally:
        server.stop()


def test_two_imports_at_once_both_land_or_one_waits_never_a_mix(tmp_path, neo4j_server):
    """Two app sessions import two files into one Neo4j graph at the same moment: the graph ends as if they
    had run one after the other (the same people and relationships as importing them in turn into SQLite)."""
    import threading

    from tests.ingest.helpers import SAMPLES

    files = [("a", SAMPLES / "linkedin" / "Connections.csv", "theo.marchbanks@tidewell.example.com"),
             ("b", SAMPLES / "linkedin_second_rep" / "Connections.csv", "ruth.okonjo@tidewell.example.com")]
    store = _open_empty(neo4j_server.uri)
    for _, _, rep in files:
        service.add_rep(store, name=rep.split("@")[0].replace(".", " ").title(), email=rep)
    outcomes: dict[str, object] = {}

    def run(name, path, rep) -> None:
        with service.open_graph(neo4j_server.uri) as own:
            try:
                outcomes[name] = service.import_files(own, [path], owner=rep).committed
            except StoreError as exc:  # one may be refused while the other holds the graph: nothing of it written
                outcomes[name] = str(exc)

    threads = [threading.Thread(target=run, args=f) for f in files]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    landed = [f for f in files if outcomes.get(f[0]) is True]
    assert landed, outcomes
    with open_sqlite(str(tmp_path / "turns.db")) as turns:
        for _, _, rep in files:
            service.add_rep(turns, name=rep.split("@")[0].replace(".", " ").title(), email=rep)
        for _, path, rep in landed:
            service.import_files(turns, [path], owner=rep)
        expected = turns.counts()
    got = store.counts()
    assert (got.people, got.organizations, got.relationships) == (
        expected.people, expected.organizations, expected.relationships), outcomes
    assert store.identity_violations() == []
    store.delete_everything()
    store.close()


def test_merge_split_forget_and_privacy_give_the_same_answers_on_neo4j_through_the_cli(tmp_path, neo4j_server):
    """The privacy canary graph (tests/test_privacy.py) in an SQLite file and, copied by ``graphapp sync``, on
    the server; then the same commands on each: what another rep sees (no canary of Dana's private or
    existence-only contacts), a merge and its split, a forget with --suppress and a re-import that it blocks,
    and the doctor. Every answer and digest is equal between the stores."""
    import json
    import re

    from tests.cli import run
    from tests.test_privacy import CANARIES, GRACE, build

    uri = neo4j_server.uri
    db = build(tmp_path / "privacy.db")
    _open_empty(uri).close()
    run("sync", "--from", db, "--to", uri, check=True)

    def both(*args: str, **kwargs) -> list[str]:
        return [run("--db", where, *args, check=kwargs.get("check", True)).stdout for where in (db, uri)]

    def digests() -> list[str]:
        found = []
        for where in (db, uri):
            with service.open_graph(where) as store:
                found.append(store.digest())
        return found

    try:
        for args in (("paths", "--account", "Globex", "--json"), ("paths", "--account", "Initech", "--json"),
                     ("coverage", "--json"), ("people", "--json")):
            seen = [re.sub(r"hidden-[0-9a-f]+", "hidden-…", out) for out in both("--as", GRACE, *args)]
            assert seen[0] == seen[1], args  # a hidden person's id is salted per process
            assert not [c for c in CANARIES if c.lower() in seen[0].lower()], args
        start = digests()
        assert start[0] == start[1]

        merged = both("merge", "p-carl", "p-mo", "--json")
        assert json.loads(merged[0]) == json.loads(merged[1])
        after_merge = digests()
        assert after_merge[0] == after_merge[1] != start[0]
        kept = json.loads(merged[0])["id"]
        split = both("split", kept, "--json")
        assert json.loads(split[0]) == json.loads(split[1])
        after_split = digests()  # the split-off person has a new id, so the digest is not the first one
        assert after_split[0] == after_split[1] != after_merge[0]
        assert [json.loads(out)["people"] for out in both("stats", "--json")] == [6, 6]

        forgotten = both("forget", "p-eve", "--suppress", "--json")
        assert json.loads(forgotten[0]) == json.loads(forgotten[1])
        assert json.loads(forgotten[0])["suppressed"] == 2  # her e-mail and LinkedIn profile
        after_forget = digests()
        assert after_forget[0] == after_forget[1] != after_split[0]
        contacts = tmp_path / "again.csv"
        contacts.write_text("Name,Email,Company\nEve Again,zqx-exist@canary.example.com,Initech\n"
                            "Nell New,nell@example.com,Initech\n", encoding="utf-8")
        again = both("import", str(contacts), "--owner", "dana@example.com")
        assert all("row 2: suppressed (forgotten person)" in out for out in again)
        final = digests()
        assert final[0] == final[1] != after_forget[0]
        assert both("doctor", "--json")[0] == both("doctor", "--json")[1]
        assert ['"zqx-exist' not in out for out in both("people", "--json")] == [True, True]
        run("sync", "--from", uri, "--to", str(tmp_path / "back.db"), check=True)  # the block moves with the data
        with service.open_graph(str(tmp_path / "back.db")) as back:
            assert back.suppressed_keys(["email:zqx-exist@canary.example.com"]) == {"email:zqx-exist@canary.example.com"}
    finally:
        with service.open_graph(uri) as store:
            store.delete_everything()
