"""An unexpected error in a page (SEC-8, case 47) in Streamlit's AppTest, on a real database file that a
program other than graphapp damaged: a job's start date overwritten with text carrying a canary, so the
store's date parsing raises ``ValueError`` quoting that text. The page shows the generic message with a
reference, no traceback and no canary; the server log has the reference and where it failed, no canary."""

from __future__ import annotations

import logging
import re
import sqlite3
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.test_privacy import build

ROOT = Path(__file__).resolve().parents[1]
CANARY = "Zqxbroken-2020"
GENERIC = re.compile(r"Something went wrong on our side \(reference ([0-9a-f]{8})\)\. Nothing was changed")


@pytest.fixture
def damaged(tmp_path, monkeypatch) -> Path:
    path = Path(build(tmp_path / "g.db"))
    with sqlite3.connect(path) as conn:  # as another program (or a bad disk) would leave it
        changed = conn.execute("UPDATE employments SET start = ? WHERE person_pk = "
                               "(SELECT pk FROM people WHERE id = 'p-eve')", (CANARY,)).rowcount
    assert changed == 1
    monkeypatch.setenv("GRAPHAPP_DB", str(path))
    monkeypatch.delenv("GRAPHAPP_TEST_IDENTITY", raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()
    return path


def everything_shown(at: AppTest) -> str:
    return "\n".join(str(getattr(e, "value", "")) + str(getattr(e, "body", "")) + str(getattr(e, "label", ""))
                     for e in at.main) + "\n".join(str(e.value) for e in at.exception)


def test_a_page_that_fails_shows_a_reference_and_nothing_else(damaged, caplog):
    caplog.set_level(logging.INFO)
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.query_params["person"] = "p-eve"  # Dana (the first rep, local mode) may open her contact Eve
    at.run()
    assert at.session_state["graphapp_viewer"] == ("dana@example.com", "rep")
    at.switch_page("app_pages/people.py").run()

    assert not at.exception  # no traceback element
    [error] = at.error
    ref = GENERIC.match(error.value).group(1)
    shown = everything_shown(at)
    assert CANARY.lower() not in shown.lower() and "Zqxexist" not in shown
    assert "Traceback" not in shown and "ValueError" not in shown and "isoformat" not in shown

    logged = caplog.text  # formatted as the server log would have it, traceback included
    assert f"reference {ref}: ValueError" in logged  # the reference leads an admin to the details
    assert "parse_date" in logged  # where it failed
    assert CANARY.lower() not in logged.lower() and "Zqxexist" not in logged


def test_the_other_pages_go_on_working(damaged):
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60).run()
    for page in ("app_pages/home.py", "app_pages/targets.py", "app_pages/weekly.py"):
        at.switch_page(page).run()
        assert not at.exception and not at.error, page
