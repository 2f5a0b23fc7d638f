"""Home page in a real browser: first-run state, load the demo, see the counts."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from graphapp.store.sqlite.store import open_sqlite

pytestmark = pytest.mark.e2e  # a real browser: `pytest -m e2e`, or scripts/test


def test_first_run_then_demo_then_counts(app_server, page):
    started = time.perf_counter()
    page.goto(app_server.url)
    expect(page.get_by_text("No data yet.")).to_be_visible()
    first_load = time.perf_counter() - started
    expect(page.get_by_text("Get a copy of your data")).to_be_visible()

    started = time.perf_counter()
    page.get_by_role("button", name="Load the demo network").click()
    expect(page.get_by_text("Who brought which relationships")).to_be_visible(timeout=60_000)
    demo_load = time.perf_counter() - started

    with open_sqlite(app_server.db, create=False) as store:
        counts = store.counts()
    metrics = page.get_by_test_id("stMetric")
    expect(metrics).to_have_count(5)
    expect(metrics.filter(has_text="People")).to_contain_text(f"{counts.people:,}")
    expect(metrics.filter(has_text="Relationships")).to_contain_text(f"{counts.relationships:,}")
    expect(metrics.filter(has_text="Reps")).to_contain_text("8")

    started = time.perf_counter()
    page.reload()
    expect(page.get_by_text("Who brought which relationships")).to_be_visible()
    expect(metrics.filter(has_text="People")).to_contain_text(f"{counts.people:,}")
    reload = time.perf_counter() - started
    print(f"\nE2E home: first load {first_load:.2f}s, demo load {demo_load:.2f}s, reload with data {reload:.2f}s")
    assert page.get_by_text("Traceback").count() == 0
