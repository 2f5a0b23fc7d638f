"""Who is looking sticks to the browser (issue 23, item 1) in a real Chromium on the demo network, local mode:
a rep picked in the sidebar survives a reload, a bookmark opened in a new tab and a new tab with no address
parameter; a row of Target accounts opens its account in the same tab, still as that rep; an import made in
the browser names that rep in the history (never the server's OS user)."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from graphapp import service
from graphapp.store.sqlite.store import open_sqlite
from tests.e2e.conftest import local_pick, settled

pytestmark = pytest.mark.e2e  # a real browser: `pytest -m e2e`, or scripts/test

CONTACTS = b"Name,Email,Company\nNia Okafor,nia.okafor@acme.example.com,Acme Corp\n"


def you_are(page):
    """The sidebar's "You are" picker (its value: the rep shown)."""
    return page.get_by_test_id("stSidebar").get_by_role("combobox", name="You are")


def pick(page, label: str) -> None:
    settled(page)
    page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").click()
    page.get_by_role("option", name=label).click()
    settled(page)


def test_the_picked_rep_survives_a_reload_a_bookmark_and_a_new_tab_and_links_stay_in_the_tab(demo_server, page,
                                                                                              tmp_path):
    with open_sqlite(demo_server.db, create=False) as store:
        first = local_pick(store)
        rep = next(r for r in service.list_reps(store) if r.role == "rep" and r.email != first.email)
        best = service.target_rows(store, viewer=service.viewer_for(store, rep.email))[0]
    label = f"{rep.name} (rep)"
    timings = {}

    page.goto(f"{demo_server.url}/weekly")
    expect(you_are(page)).to_have_value(f"{first.name} ({first.role})")  # nothing picked yet: the first pick, never an admin
    started = time.perf_counter()
    pick(page, label)
    timings["switching rep"] = time.perf_counter() - started
    expect(you_are(page)).to_have_value(f"{rep.name} (rep)")
    assert f"you={rep.email}".replace("@", "%40") in page.url or f"you={rep.email}" in page.url

    page.reload()
    settled(page)
    expect(you_are(page)).to_have_value(f"{rep.name} (rep)")  # the reload keeps the rep

    bookmark = page.url
    tab = page.context.new_page()
    tab.goto(bookmark)  # a bookmark opened in a new tab of the same browser
    settled(tab)
    expect(you_are(tab)).to_have_value(f"{rep.name} (rep)")
    tab.goto(f"{demo_server.url}/home")  # a new tab with no parameter: this machine's last pick
    settled(tab)
    expect(you_are(tab)).to_have_value(f"{rep.name} (rep)")
    tab.close()

    page.goto(f"{demo_server.url}/targets")
    grid = page.get_by_test_id("stDataFrame").first
    expect(grid).to_be_visible()
    settled(page)
    box = grid.bounding_box()
    started = time.perf_counter()
    page.mouse.click(box["x"] + 15, box["y"] + 35 + 17)  # the first row's selection marker: opens its account
    expect(page.get_by_role("heading", name="Warm paths into an account")).to_be_visible()
    timings["targets -> account"] = time.perf_counter() - started
    settled(page)
    assert "/account?" in page.url and f"account={best.id}" in page.url
    assert len(page.context.pages) == 1  # the same tab, no new one
    expect(you_are(page)).to_have_value(f"{rep.name} (rep)")

    # An import in the browser is the rep's, by name, in the history.
    page.goto(f"{demo_server.url}/import")
    settled(page)
    csv = tmp_path / "contacts.csv"
    csv.write_bytes(CONTACTS)
    page.get_by_test_id("stFileUploader").locator("input[type=file]").set_input_files(str(csv))
    settled(page)
    page.get_by_role("button", name="Import 1 file").click()
    expect(page.get_by_text("Import finished")).to_be_visible(timeout=60_000)
    with open_sqlite(demo_server.db, create=False) as store:
        newest = service.list_imports(store)[0]
        assert newest.actor == f"rep:{rep.person_id}"
        assert store.audit_log(action="import")[0].actor == f"rep:{rep.person_id}"  # the newest
    history = page.get_by_test_id("stDataFrame").last  # the import history: "By" names the rep
    expect(history).to_contain_text(rep.name)
    print("\nE2E identity: " + ", ".join(f"{k} {v:.2f}s" for k, v in timings.items()))
