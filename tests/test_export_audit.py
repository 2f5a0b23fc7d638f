"""Exports are audited (AUD-1): every download in the app and every file `graphapp weekly --out` writes
leaves one "export" row with its type and row count, by the rep who took it, and no contact data."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from graphapp import service
from graphapp.errors import InputError
from graphapp.store.sqlite.store import open_sqlite
from tests.cli import run
from tests.test_app_account import ROOT
from tests.test_app_weekly import this_week, weekly_page
from tests.test_privacy import CANARIES, DANA, GRACE, build

DEMO_REP = "dana.whitfield@brightline.example.com"


def exports(db) -> list:
    with open_sqlite(db, create=False) as store:
        return list(reversed(store.audit_log(action="export", limit=100)))


def test_record_export_writes_one_row_with_type_and_count_by_the_viewer(tmp_path):
    db = build(tmp_path / "g.db")
    with service.open_graph(db, create=False) as store:
        service.record_export(store, "weekly-csv", 7, viewer=service.viewer_for(store, GRACE))
        service.record_export(store, "rejected-rows-csv", 0)
        with pytest.raises(InputError, match="Unknown export 'secrets'"):
            service.record_export(store, "secrets", 1)
        raw = json.dumps([tuple(r) for r in store._conn.execute("SELECT * FROM audit")])
    first, second = exports(db)
    assert (first.action, first.actor, first.objects, first.counts) == ("export", "rep:p-grace", ("type:weekly-csv",),
                                                                       {"rows": 7})
    assert second.objects == ("type:rejected-rows-csv",) and second.counts == {"rows": 0}
    assert not [c for c in (*CANARIES, DANA, GRACE) if c in raw]


def test_the_weekly_pages_downloads_are_audited(app_db):
    expected = this_week(app_db, rep=DEMO_REP)
    shown = len(expected["reps"][0]["items"])
    at = weekly_page(DEMO_REP)
    assert not at.exception and exports(app_db) == []  # drawing a download button is not an export
    at.get("download_button")[0].click().run()  # CSV (all shown)
    assert not at.exception
    at.get("download_button")[2].click().run()  # the rep's HTML page
    [csv_row, html_row] = exports(app_db)
    with open_sqlite(app_db, create=False) as store:
        rep = next(r for r in store.list_reps() if r.email == DEMO_REP)
    assert (csv_row.objects, csv_row.counts, csv_row.actor) == (("type:weekly-csv",), {"rows": shown}, f"rep:{rep.person_id}")
    assert (html_row.objects, html_row.counts) == (("type:weekly-html",), {"rows": shown})


def test_the_rejected_rows_download_is_audited(tmp_path, monkeypatch):
    import streamlit as st

    db = tmp_path / "app.db"
    monkeypatch.setenv("GRAPHAPP_DB", str(db))
    st.cache_data.clear()
    st.cache_resource.clear()
    with service.open_graph(str(db)) as store:
        service.add_rep(store, name="Dana Whitfield", email="dana.whitfield@example.com")
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60).run()
    at.switch_page("app_pages/import_data.py").run()
    data = b"Name,Email,Company\n,,Nobody Ltd\nAnn Lee,ann.lee@example.com,Lee Ltd\n,,Ghost Inc\n"
    at.file_uploader(key="import_files").set_value([("leads.csv", data, "text/csv")]).run()
    at.button(key="import_run").click().run()
    assert not at.exception
    [download] = [b for b in at.get("download_button") if b.label == "Download the rejected rows (CSV)"]
    download.click().run()
    assert not at.exception
    [row] = exports(db)
    assert row.objects == ("type:rejected-rows-csv",) and row.counts == {"rows": 2}
    assert "Rejected rows (2)" in [s.value for s in at.subheader]  # the report is still shown after the click


def test_the_intro_draft_download_is_audited(app_db):
    from tests.test_app_account import account_page, best_account

    account, _ = best_account(app_db)
    app = account_page(account)
    assert not app.exception and exports(app_db) == []
    download = next(b for b in app.get("download_button") if b.label == "Download the message")  # the best path's
    download.click().run()
    assert not app.exception
    [row] = exports(app_db)
    assert (row.objects, row.counts) == (("type:intro-draft",), {"rows": 1})


def test_weekly_out_audits_each_file_it_writes(tmp_path):
    db = build(tmp_path / "g.db")
    out = tmp_path / "out"
    run("weekly", "--week", "2026-W49", "--out", str(out), "--db", db, "--dry-run", check=True)
    rows = exports(db)
    data = json.loads(run("weekly", "--week", "2026-W49", "--json", "--db", db, "--dry-run", check=True).stdout)
    total = sum(len(r["items"]) for r in data["reps"])
    assert [(e.objects[0], e.counts["rows"]) for e in rows] == [
        ("type:weekly-csv", total), ("type:weekly-md", total),
        *(("type:weekly-html", len(r["items"])) for r in data["reps"])]
    assert len(list(out.iterdir())) == 2 + len(data["reps"])
    run("weekly", "--week", "2026-W49", "--db", db, "--dry-run", check=True)  # printing is not an export
    assert len(exports(db)) == len(rows)
