"""Target accounts and warm paths in a real browser on the demo network: open an account from the
coverage table, see ranked paths and a drawing, record an intro request; every page's load time."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from graphapp import service
from graphapp.store.sqlite.store import open_sqlite
from tests.e2e.conftest import click_until, local_pick, settled

pytestmark = pytest.mark.e2e  # a real browser: `pytest -m e2e`, or scripts/test

PAGES = {"home": "Who brought which relationships", "targets": "Who should I meet next",
         "account": "Warm paths into an account", "people": "People", "organizations": "Organisations",
         "import": "Import", "settings": "Ranking settings"}


def test_open_an_account_see_ranked_drawn_paths_and_record_a_request(demo_server, page):
    with open_sqlite(demo_server.db, create=False) as store:
        best = service.target_rows(store)[0]
        viewer = service.viewer_for(store, local_pick(store).email)  # local mode: the browser's first pick
        expected = service.account_paths(store, best.id, viewer=viewer).as_dict()["paths"]
        meet = service.coverage(store, viewer=viewer).as_dict()["meet_next"][0]
    shown = service.own_paths_first(expected, viewer.email)  # the viewer's own paths first
    page.goto(f"{demo_server.url}/targets")
    expect(page.get_by_text("Who should I meet next")).to_be_visible()
    box = page.locator(".st-key-targets_meet_1")  # the consultant next to 3 uncovered accounts, and who knows her
    expect(box.get_by_text("Imogen Farquhar would open")).to_be_visible()
    expect(box.get_by_text(f"{meet['known_by']['name']} knows them")).to_be_visible()

    page.goto(f"{demo_server.url}/account?account={best.id}")
    expect(page.get_by_role("heading", name=best.name)).to_be_visible()
    expect(page.get_by_text(shown[0]["sentence"])).to_be_visible()  # one sentence in plain words per path
    expect(page.get_by_text("Your path").first).to_be_visible()
    expect(page.get_by_test_id("stGraphVizChart").first.locator("svg")).to_be_visible()
    chart = page.get_by_test_id("stGraphVizChart").first
    connector = shown[0]["hops"][0]["to"]["name"]
    expect(chart).to_contain_text(connector)
    expect(chart).to_contain_text("Legend")
    expect(chart).to_contain_text("weak tie: warm it up first")

    mine = shown[0]
    assert mine["rep"]["email"] == viewer.email
    box = page.locator(f".st-key-account_path_{mine['rank']}")
    box.get_by_text("Details, drawing and intro request").click()
    draft = page.get_by_label(f"Message to {connector}")
    expect(draft).to_be_visible()
    expect(draft).to_have_value(service.draft_request(mine, best.name))
    expect(box.get_by_text(f"Score {mine['score']:.2f}")).to_be_visible()  # numbers only in the details
    box.get_by_text("Draw this path on its own").click()
    expect(page.get_by_test_id("stGraphVizChart")).to_have_count(2)
    expect(page.get_by_test_id("stGraphVizChart").nth(1).locator("svg")).to_contain_text(mine["target"]["name"])
    # A rep records a request on a path of their own (another rep's is theirs to ask: the button is off).
    other = next(p for p in shown if p["rep"]["email"] != viewer.email)
    theirs = page.locator(f".st-key-account_path_{other['rank']}")
    theirs.get_by_text("Details, drawing and intro request").click()
    expect(theirs.get_by_role("button", name="Record that I asked")).to_be_disabled()
    settled(page)  # a click while the page's run is still drawing it could be lost
    record = box.get_by_role("button", name="Record that I asked")

    def recorded() -> bool:
        with open_sqlite(demo_server.db, create=False) as store:
            return bool(store.list_intros(account_id=best.id))

    click_until(page, record, recorded)
    expect(page.get_by_text("Recorded:")).to_be_visible(timeout=60_000)
    with open_sqlite(demo_server.db, create=False) as store:
        [intro] = store.list_intros(account_id=best.id)
    assert (intro.state.value, intro.connector_id) == ("requested", mine["hops"][0]["to"]["id"])
    assert page.get_by_text("Traceback").count() == 0


def test_every_page_loads_on_the_demo_network(demo_server, page):
    """Prints how long each page takes to be ready, opened from the sidebar after the first load (what a
    rep does) and as a fresh page load (a new browser session); the quality bar is 1 s for the former."""
    page.goto(demo_server.url)
    expect(page.get_by_text(PAGES["home"])).to_be_visible(timeout=60_000)  # the first load builds the view
    titles = {"home": "Home", "targets": "Target accounts", "account": "Account", "people": "People",
              "organizations": "Organisations", "import": "Import", "settings": "Settings"}
    in_app, fresh = {}, {}
    for path in [*list(PAGES)[1:], "home"]:
        started = time.perf_counter()
        page.get_by_test_id("stSidebarNav").get_by_role("link", name=titles[path], exact=True).click()
        expect(page.get_by_text(PAGES[path], exact=False).first).to_be_visible()
        expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)  # the run has finished
        in_app[path] = time.perf_counter() - started
        assert page.get_by_test_id("stException").count() == 0, path
    for path, marker in PAGES.items():
        started = time.perf_counter()
        page.goto(f"{demo_server.url}/{path}")
        expect(page.get_by_text(marker, exact=False).first).to_be_visible()
        expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)
        fresh[path] = time.perf_counter() - started
    print("\nE2E pages on the demo network, seconds until ready. From the sidebar: "
          + ", ".join(f"{k} {v:.2f}" for k, v in in_app.items())
          + ". Fresh page load: " + ", ".join(f"{k} {v:.2f}" for k, v in fresh.items()))


def test_an_account_marks_its_champions_who_moved(demo_server, page):
    """The local pick's own customer contact who moved to a target: the box above the paths names them."""
    with open_sqlite(demo_server.db, create=False) as store:
        viewer = service.viewer_for(store, local_pick(store).email)
        champion = service.moved_champions(store, viewer=viewer)[0]
    page.goto(f"{demo_server.url}/account?account={champion.account_id}")
    expect(page.get_by_role("heading", name=champion.account_name)).to_be_visible()
    box = page.locator(".st-key-account_champions")
    expect(box.get_by_text("Champions who moved")).to_be_visible()
    expect(box.get_by_text(champion.sentence)).to_be_visible()
    assert champion.sentence.startswith(f"{champion.person['name']}, your customer contact at ")
    assert page.get_by_text("Traceback").count() == 0
