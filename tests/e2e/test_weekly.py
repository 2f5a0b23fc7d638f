"""The Weekly page in a real browser: the list shows and its CSV downloads, formula-safe."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import expect

from graphapp.store.sqlite.store import open_sqlite
from tests.e2e.conftest import local_pick

pytestmark = pytest.mark.e2e  # a real browser: `pytest -m e2e`, or scripts/test


def test_the_weekly_csv_downloads(demo_server, page):
    with open_sqlite(demo_server.db, create=False) as store:
        rep = local_pick(store)  # local mode: the browser looks as its first pick
    page.goto(f"{demo_server.url}/weekly")
    expect(page.get_by_role("heading", name=rep.name)).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("button", name="CSV (all shown)").click()
    download = info.value
    assert download.suggested_filename.startswith("weekly-") and download.suggested_filename.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(open(download.path(), encoding="utf-8").read())))
    assert {r["rep"] for r in rows} == {rep.name}  # a rep downloads their own list only
    intros = [r for r in rows if r["kind"] == "intro"]
    assert intros and all(r["draft"].startswith("Hi ") for r in intros)
    assert not any(v.startswith(("=", "+", "-", "@")) for r in rows for v in r.values())
