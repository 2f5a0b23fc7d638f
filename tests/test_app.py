"""The browser app's pages in Streamlit's AppTest (no browser; see tests/e2e for the real one)."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from graphapp import service

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("GRAPHAPP_DB", str(tmp_path / "app.db"))
    st.cache_data.clear()
    st.cache_resource.clear()
    return AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)


def test_first_run_offers_the_demo_and_explains_the_linkedin_export(app):
    app.run()
    assert not app.exception
    assert "No data yet" in app.info[0].value
    assert "Get a copy of your data" in " ".join(m.value for m in app.markdown)
    assert app.button(key="home_load_demo").label == "Load the demo network"


def test_loading_the_demo_from_home_shows_the_counts(app, tmp_path):
    app.run()
    app.button(key="home_load_demo").click().run()
    assert not app.exception
    with service.open_graph(str(tmp_path / "app.db"), create=False) as store:
        counts = store.counts()
    metrics = {m.label: m.value for m in app.metric}
    assert metrics == {"People": f"{counts.people:,}", "Organisations": f"{counts.organizations:,}",
                       "Relationships": f"{counts.relationships:,}", "Reps": "8", "Imports": "1"}
    owners = app.dataframe[0].value
    assert owners["Relationships"].sum() == counts.relationships
    assert "Dana Whitfield" in set(owners["Owner"]) and "Team" in set(owners["Owner"])
    imports = app.dataframe[1].value
    assert list(imports["What"]) == ["the demo network"] and list(imports["Status"]) == ["imported"]
    assert not any(str(by).startswith("rep:") for by in imports["By"])  # a rep by name, never an id
    assert not [c for c in app.caption if "Graph database" in c.value]  # where the data lives: Audit log only
    assert any(c.value.startswith("40 of 43 target accounts have a warm path") for c in app.caption)
    assert len(app.get("vega_lite_chart")) == 1  # the coverage chart


def test_a_store_that_cannot_be_opened_is_a_message_not_a_traceback(app, tmp_path, monkeypatch):
    monkeypatch.setenv("GRAPHAPP_DB", str(tmp_path))  # a directory
    app.run()
    assert not app.exception
    assert f"{tmp_path} is a directory" in app.error[0].value
