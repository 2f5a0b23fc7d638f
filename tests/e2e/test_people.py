"""People and Organisations pages in a real browser on the demo network: search, a click on a result row
opens the person (and a row of their relationships the next one), shareable ``?person=`` and ``?org=`` links;
prints each page's time (a full page load starts a new session; a row click reruns the same one)."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from graphapp import service
from graphapp.store.sqlite.store import open_sqlite
from tests.e2e.conftest import local_pick

pytestmark = pytest.mark.e2e  # a real browser: `pytest -m e2e`, or scripts/test


def test_search_click_a_row_and_shareable_links(demo_server, page):
    with open_sqlite(demo_server.db, create=False) as store:
        rep = local_pick(store)  # local mode: the browser looks as its first pick
        viewer = service.viewer_for(store, rep.email)
        first = service.search_people(store, "Ashgrove", viewer=viewer)[0]
        target = service.target_organizations(store)[0]
        strongest = service.person_page(store, rep.person_id, viewer=viewer).ties[0]

    page.goto(f"{demo_server.url}/people")
    search = page.get_by_label("Search people")
    search.fill("Ashgrove")
    search.press("Enter")
    grid = page.get_by_test_id("stDataFrame").first
    expect(grid).to_be_visible()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 15, box["y"] + 35 + 17)  # the first row's selection marker
    expect(page.get_by_role("heading", name=first.name)).to_be_visible()
    assert f"person={first.id}" in page.url

    timings = {}
    for name, path, text in (("person", f"/people?person={rep.person_id}", "Relationships ("),
                             ("person again", f"/people?person={rep.person_id}", "Relationships ("),
                             ("organisation", f"/organizations?org={target.id}", "Warm paths in"),
                             ("organisations", "/organizations", "target accounts")):
        started = time.perf_counter()
        page.goto(f"{demo_server.url}{path}")
        expect(page.get_by_text(text).first).to_be_visible()
        timings[name] = time.perf_counter() - started  # a full page load: a new session each time
    page.goto(f"{demo_server.url}/people?person={rep.person_id}")
    ties = page.locator(f".st-key-people_ties_{rep.person_id}").get_by_test_id("stDataFrame")  # not in the details
    expect(ties).to_be_visible()
    ties.scroll_into_view_if_needed()
    box = ties.bounding_box()
    started = time.perf_counter()
    page.mouse.click(box["x"] + 15, box["y"] + 35 + 17)  # opens the strongest tie's page, same session
    expect(page.get_by_role("heading", name=strongest.other_name)).to_be_visible()
    timings["person from a row"] = time.perf_counter() - started
    assert f"person={strongest.other_id}" in page.url
    expect(page.get_by_text("Traceback")).to_have_count(0)
    print("\nE2E people: " + ", ".join(f"{k} {v:.2f}s" for k, v in timings.items()))
