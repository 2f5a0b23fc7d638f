"""How fast each page is usable on the demo network (3,015 people), in a real browser: opened from the
sidebar (what a rep does), opened as a fresh page load, and switching account on the Account page.

It prints a table of seconds (run with ``-s`` to see it; it is also written straight to the terminal)
and asserts only what a rep must see: each page's title and no error. The figures are the quality bar of
issue 23 (a second per page); docs/performance.md keeps them, dated. No timing is asserted: the machine
is shared and noisy.
"""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from graphapp import service
from graphapp.store.sqlite.store import open_sqlite
from tests.e2e.conftest import settled

pytestmark = pytest.mark.e2e  # a real browser: `pytest -m e2e`, or scripts/test

# url path -> (the sidebar's link, the page's title)
PAGES = {
    "home": ("Home", "Warm paths into your target accounts"),
    "targets": ("Target accounts", "Target accounts"),
    "account": ("Account", "Warm paths into an account"),
    "weekly": ("Weekly list", "This week's suggested introductions"),
    "people": ("People", "People"),
    "organizations": ("Organisations", "Organisations"),
    "import": ("Import", "Import"),
    "settings": ("Settings", "Ranking settings"),
}
SWITCHES = 3  # accounts switched to on the Account page


def _ready(page, title: str) -> None:
    """The page's title is drawn (its run has started) and that run has finished."""
    expect(page.get_by_role("heading", name=title, exact=True).first).to_be_visible(timeout=60_000)
    settled(page)


def _no_error(page, where: str) -> None:
    assert page.get_by_test_id("stException").count() == 0, where
    assert page.get_by_text("Something went wrong on our side").count() == 0, where
    assert page.get_by_text("Traceback").count() == 0, where


def test_every_page_and_switching_account_on_the_demo_network(demo_server, page, capsys):
    with open_sqlite(demo_server.db, create=False) as store:
        accounts = [(t.id, t.name) for t in service.target_rows(store)[:SWITCHES + 1]]

    started = time.perf_counter()
    page.goto(demo_server.url)
    _ready(page, PAGES["home"][1])  # the first load of a started server builds the graph view
    first = time.perf_counter() - started

    sidebar: dict[str, float] = {}
    for path in [*list(PAGES)[1:], "home"]:
        link, title = PAGES[path]
        settled(page)
        started = time.perf_counter()
        page.get_by_test_id("stSidebarNav").get_by_role("link", name=link, exact=True).click()
        _ready(page, title)
        sidebar[path] = time.perf_counter() - started
        _no_error(page, path)

    fresh: dict[str, float] = {}
    for path, (_link, title) in PAGES.items():
        started = time.perf_counter()
        page.goto(f"{demo_server.url}/{path}")
        _ready(page, title)
        fresh[path] = time.perf_counter() - started
        _no_error(page, path)

    page.goto(f"{demo_server.url}/account?account={accounts[0][0]}")
    _ready(page, PAGES["account"][1])
    expect(page.get_by_role("heading", name=accounts[0][1])).to_be_visible()
    switching: list[float] = []
    for _id, name in accounts[1:]:
        settled(page)
        page.get_by_test_id("stSelectbox").filter(has_text="Target account").first.click()
        option = page.get_by_role("option", name=name, exact=True)
        expect(option).to_be_visible()
        started = time.perf_counter()  # from the choice: opening the list is the browser's alone
        option.click()
        expect(page.get_by_role("heading", name=name)).to_be_visible(timeout=60_000)
        settled(page)
        switching.append(time.perf_counter() - started)
        _no_error(page, f"account {name}")

    lines = ["", "Seconds until each page is usable on the demo network "
             f"(first load after the server started: {first:.2f} s)",
             f"{'page':<16}{'from the sidebar':>18}{'fresh page load':>18}"]
    lines += [f"{path:<16}{sidebar[path]:>18.2f}{fresh[path]:>18.2f}" for path in PAGES]
    lines.append("switching account on the Account page: " + ", ".join(f"{s:.2f}" for s in switching))
    with capsys.disabled():
        print("\n".join(lines))
