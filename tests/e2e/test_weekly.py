"""The Weekly page in a real browser: the list shows and its CSV downloads, formula-safe."""

from __future__ import annotations

import csv
import io

from playwright.sync_api import expect


def test_the_weekly_csv_downloads(demo_server, page):
    page.goto(f"{demo_server.url}/weekly")
    expect(page.get_by_role("heading", name="Dana Whitfield")).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("button", name="CSV (all shown)").click()
    download = info.value
    assert download.suggested_filename.startswith("weekly-") and download.suggested_filename.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(open(download.path(), encoding="utf-8").read())))
    assert {r["rep"] for r in rows} >= {"Dana Whitfield", "Grace Achterberg"}
    intros = [r for r in rows if r["kind"] == "intro"]
    assert intros and all(r["draft"].startswith("Hi ") for r in intros)
    assert not any(v.startswith(("=", "+", "-", "@")) for r in rows for v in r.values())
