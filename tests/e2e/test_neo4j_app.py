"""The browser app on the Neo4j store: the demo network copied to the test suite's Neo4j server with
``graphapp sync``, served by a real ``streamlit run`` and read in a real Chromium, shows the same best path
as the SQLite file it came from, and records an intro request on the server."""

from __future__ import annotations

import shutil
from datetime import date

import pytest
from playwright.sync_api import expect

from graphapp import service
from graphapp.store.sqlite.store import open_sqlite
from tests.e2e.conftest import _serve, click_until, local_pick

pytestmark = [pytest.mark.e2e, pytest.mark.neo4j]  # a real browser and a real Neo4j server


@pytest.fixture
def neo4j_demo_server(tmp_path, demo_file, neo4j_server):
    db = tmp_path / "demo.db"
    shutil.copy(demo_file, db)
    with service.open_graph(neo4j_server.uri) as store:
        store.delete_everything()
    service.sync(str(db), neo4j_server.uri)
    served = _serve(tmp_path, neo4j_server.uri)
    try:
        yield db, next(served)
    finally:
        served.close()  # stops the app
        with service.open_graph(neo4j_server.uri) as store:
            store.delete_everything()


def test_an_account_on_the_neo4j_store_shows_the_same_best_path_and_records_a_request(neo4j_demo_server, page,
                                                                                    neo4j_server):
    db, app = neo4j_demo_server
    with open_sqlite(db, create=False) as store:
        best = service.target_rows(store, today=date.today())[0]
        viewer = service.viewer_for(store, local_pick(store).email)  # local mode: the browser's first pick
        expected = service.account_paths(store, best.id, today=date.today(), viewer=viewer).as_dict()["paths"]
    page.goto(f"{app.url}/account?account={best.id}")
    expect(page.get_by_role("heading", name=best.name)).to_be_visible(timeout=60_000)
    expect(page.get_by_text(expected[0]["sentence"])).to_be_visible()
    assert page.get_by_text(neo4j_server.uri, exact=False).count() == 0  # where the data lives: the Audit log's only
    mine = next(p for p in expected if p["rep"]["email"] == viewer.email)  # a rep records on a path of their own
    box = page.locator(f".st-key-account_path_{mine['rank']}")
    box.get_by_text("Details, drawing and intro request").click()
    record = box.get_by_role("button", name="Record that I asked")

    def recorded() -> bool:
        with service.open_graph(neo4j_server.uri) as store:
            return bool(store.list_intros(account_id=best.id))

    click_until(page, record, recorded)  # a click while the page's run is still drawing it could be lost
    expect(page.get_by_text("Recorded:")).to_be_visible(timeout=60_000)
    with service.open_graph(neo4j_server.uri) as store:
        [intro] = store.list_intros(account_id=best.id)
    assert (intro.state.value, intro.connector_id) == ("requested", mine["hops"][0]["to"]["id"])
    assert page.get_by_text("Traceback").count() == 0
