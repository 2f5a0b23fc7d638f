"""Shared fixtures: real stores on temporary files, and small hand-made batches."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from graphapp import service
from graphapp.model import (
    Asserted,
    Employment,
    Evidence,
    GraphBatch,
    ImportRecord,
    Organization,
    Person,
    Relationship,
    RelationshipKind,
    Rep,
)
from graphapp.store import GraphStore
from graphapp.store.sqlite.store import open_sqlite

STORES: dict[str, Callable[..., GraphStore]] = {
    "sqlite": lambda tmp_path: open_sqlite(tmp_path / "graph.db"),
}


@pytest.fixture(params=sorted(STORES))
def store(request, tmp_path) -> Iterator[GraphStore]:
    """Every store implementation, fresh and empty (the contract suite runs once per store)."""
    s = STORES[request.param](tmp_path)
    yield s
    s.close()


def record(import_id: str, kind: str = "file", minute: int = 0) -> ImportRecord:
    return ImportRecord(id=import_id, time=datetime(2026, 1, 1, 12, minute, tzinfo=UTC), actor="test", kind=kind)


class BatchMaker:
    """Builds batches whose evidence names one import and one file."""

    def __init__(self, import_id: str, file: str = "contacts.csv", sha: str = "sha-1", owner: str = "dana@example.com"):
        self.import_id, self.file, self.sha, self.owner = import_id, file, sha, owner
        self.row = 0

    def ev(self, fact: str = "contact", row: int | None = None) -> Evidence:
        self.row += 1
        return Evidence(self.import_id, self.file, fact, owner=self.owner, row=row or self.row, file_sha256=self.sha)

    def person(self, pid: str, name: str, *emails: str, row: int | None = None, **kw) -> Asserted[Person]:
        return Asserted(Person(pid, name, emails=emails, **kw), self.ev("contact", row))

    def org(self, oid: str, name: str, row: int | None = None, **kw) -> Asserted[Organization]:
        return Asserted(Organization(oid, name, **kw), self.ev("organization", row))

    def job(self, pid: str, oid: str, row: int | None = None, **kw) -> Asserted[Employment]:
        return Asserted(Employment(pid, oid, **kw), self.ev("employment", row))

    def tie(self, a: str, b: str, kind=RelationshipKind.LINKEDIN, row: int | None = None, **kw) -> Asserted[Relationship]:
        kw.setdefault("owner", self.owner)
        return Asserted(Relationship(a, b, kind, **kw), self.ev("connection", row))


def small_batch(import_id: str, sha: str = "sha-1") -> GraphBatch:
    """Dana (a rep) knows Raj (customer at Initech) who worked with Mei (at Globex, a target)."""
    m = BatchMaker(import_id, sha=sha)
    return GraphBatch(
        organizations=(m.org("o-initech", "Initech", domains=("initech.example.com",), is_customer=True),
                       m.org("o-globex", "Globex", domains=("globex.example.com",), is_target=True)),
        people=(m.person("p-dana", "Dana Whitfield", "dana@example.com"),
                m.person("p-raj", "Raj Patel", "raj@initech.example.com", linkedin_url="https://www.linkedin.com/in/rajpatel"),
                m.person("p-mei", "Mei Lin", "mei@globex.example.com", title="VP Finance")),
        reps=(Rep("dana@example.com", "p-dana", "Dana Whitfield"),),
        employments=(m.job("p-raj", "o-initech", title="Controller"),
                     m.job("p-mei", "o-globex", title="VP Finance", start=date(2021, 3, 1)),
                     m.job("p-mei", "o-initech", start=date(2018, 1, 1), end=date(2021, 2, 1), current=False)),
        relationships=(m.tie("p-dana", "p-raj", RelationshipKind.CUSTOMER, count_out=8, count_in=6,
                             first_seen=date(2023, 5, 1), last_interaction=date(2026, 10, 30)),
                       m.tie("p-raj", "p-mei", RelationshipKind.COLLEAGUE)),
    )


def team_file(path: Path, *reps: tuple[str, str, str]) -> Path:
    """A SQLite file holding :func:`small_batch` (Dana's import ``i1``) and these reps, (name, e-mail,
    role) each: the team the app tests look at."""
    with open_sqlite(path) as store:
        with store.importing(record("i1")) as writer:
            writer.write(small_batch("i1"))
        for name, email, role in reps:
            service.add_rep(store, name=name, email=email, role=role)
    return path


@pytest.fixture
def small_store(tmp_path) -> Iterator[GraphStore]:
    """A SQLite store holding :func:`small_batch`, written by import ``i1``."""
    store = open_sqlite(tmp_path / "graph.db")
    with store.importing(record("i1")) as writer:
        writer.write(small_batch("i1"))
    yield store
    store.close()


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory):
    """The demo network in a SQLite file, made once per test session; copy it before changing it."""
    from graphapp import service

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    with service.open_graph(str(path)) as store:
        service.load_demo(store, today=date.today())
    return path


@pytest.fixture
def app_db(demo_file, tmp_path, monkeypatch):
    """A copy of the demo database the app (AppTest) opens through ``GRAPHAPP_DB``, with fresh caches."""
    import shutil

    import streamlit as st

    path = tmp_path / "app.db"
    shutil.copy(demo_file, path)
    monkeypatch.setenv("GRAPHAPP_DB", str(path))
    st.cache_data.clear()
    st.cache_resource.clear()
    return path


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory):
    """A real Neo4j server for the ``neo4j`` tests (tests/neo4j_server.py), once per test run; or the one
    ``NEO4J_URI`` names (with NEO4J_USER / NEO4J_PASSWORD). Its login is also put in the environment, where
    the service reads it. Without Java or Maven the tests skip, unless GRAPHAPP_NEO4J_REQUIRED=1 (set by
    scripts/test and so by CI), where they fail."""
    import os

    from tests import neo4j_server as n4j

    if os.environ.get("NEO4J_URI"):
        yield n4j.Neo4jServer(os.environ["NEO4J_URI"], os.environ.get("NEO4J_USER", "neo4j"),
                              os.environ.get("NEO4J_PASSWORD", ""), None)
        return
    why = n4j.missing_tools()
    if why:
        if os.environ.get("GRAPHAPP_NEO4J_REQUIRED") == "1":
            pytest.fail(f"The Neo4j tests need a server: {why}.")
        pytest.skip(f"Neo4j tests skipped: {why}")
    n4j.build()
    server = n4j.start(tmp_path_factory.mktemp("neo4j"))
    saved = {k: os.environ.get(k) for k in ("NEO4J_USER", "NEO4J_PASSWORD")}
    os.environ.update(NEO4J_USER=server.user, NEO4J_PASSWORD=server.password)
    try:
        yield server
    finally:
        server.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
