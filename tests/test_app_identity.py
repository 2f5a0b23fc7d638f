"""Who is looking sticks to the browser (issue 23, item 1), in Streamlit's AppTest on a real SQLite file: in
local mode the pick is kept in the page address (``?you=``) and, for a new tab opened without it, next to the
database; with sign-in (here the browser tests' identity shim, ``?as=``) the viewer is the signed-in rep and
no ``?you=`` changes that. The reload, the bookmark and the new tab in a real browser: tests/e2e/test_identity.py."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
import streamlit as st
from streamlit import config
from streamlit.testing.v1 import AppTest

from graphapp import service
from tests.conftest import team_file

ROOT = Path(__file__).resolve().parents[1]
DANA, ZED, ADA, VIC = "dana@example.com", "zed@example.com", "ada@example.com", "vic@example.com"


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    """Dana (rep, the batch's), Zed (rep), Ada (admin) and Vic (viewer); local mode on loopback."""
    path = tmp_path / "app.db"
    team_file(path, ("Zed Other", ZED, "rep"), ("Ada Admin", ADA, "admin"), ("Vic Viewer", VIC, "viewer"))
    monkeypatch.setenv("GRAPHAPP_DB", str(path))
    for flag in ("GRAPHAPP_TEST_IDENTITY", service.INSECURE_FLAG):
        monkeypatch.delenv(flag, raising=False)
    before = config.get_option("server.address")
    config.set_option("server.address", "127.0.0.1")
    st.cache_data.clear()
    st.cache_resource.clear()
    yield path
    config.set_option("server.address", before)


def tab(**params: str) -> AppTest:
    """A new browser session (a reload, a bookmark or a new tab) opened with these page-address parameters."""
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    return at


def looking(at: AppTest) -> tuple[str, str]:
    return at.session_state["graphapp_viewer"]


def test_a_new_session_is_the_rep_the_address_names_and_the_address_keeps_the_pick(db):
    at = tab()
    assert looking(at) == (VIC, "viewer")  # nothing asked, nothing remembered: the first pick, never an admin
    assert at.query_params["you"] == VIC  # every run puts who is looking in the address
    at.selectbox(key="graphapp_you_are").set_value(ZED).run()
    assert looking(at) == (ZED, "rep") and at.query_params["you"] == ZED
    at.switch_page("app_pages/targets.py").run()  # another page of the same tab: still Zed, still in the address
    assert looking(at) == (ZED, "rep") and at.query_params["you"] == ZED

    bookmarked = tab(you=ADA)  # a bookmark (or a reload) of an address that names Ada
    assert looking(bookmarked) == (ADA, "admin")
    assert bookmarked.selectbox(key="graphapp_you_are").value == ADA
    assert looking(tab(you="nobody@example.com")) == (ADA, "admin")  # not a rep: the last pick instead


def test_a_new_tab_without_the_parameter_is_this_machines_last_pick(db):
    tab().selectbox(key="graphapp_you_are").set_value(ZED).run()
    kept = Path(f"{db}.local-rep")
    assert kept.read_text(encoding="utf-8").strip() == ZED
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600  # a rep's address: the file's owner only
    fresh = tab()
    assert looking(fresh) == (ZED, "rep") and fresh.query_params["you"] == ZED
    tab(you=DANA)  # a bookmark of Dana's is the last pick now
    assert looking(tab()) == (DANA, "rep")


def test_a_rep_who_left_the_team_is_passed_over(db):
    tab().selectbox(key="graphapp_you_are").set_value(ZED).run()
    Path(f"{db}.local-rep").write_text("gone@example.com\n", encoding="utf-8")
    assert looking(tab()) == (VIC, "viewer")


def test_on_the_network_the_pick_is_not_remembered_for_other_browsers(db, monkeypatch):
    config.set_option("server.address", "0.0.0.0")
    monkeypatch.setenv(service.INSECURE_FLAG, "1")
    at = tab()
    at.selectbox(key="graphapp_you_are").set_value(ZED).run()
    assert at.query_params["you"] == ZED  # the address still keeps it, for this browser's reloads
    assert not Path(f"{db}.local-rep").exists()
    assert looking(tab()) == (VIC, "viewer")


def test_with_sign_in_the_viewer_is_the_signed_in_rep_whatever_the_address_says(db, monkeypatch):
    monkeypatch.setenv("GRAPHAPP_TEST_IDENTITY", "1")
    at = tab(**{"as": DANA, "you": ADA})
    assert looking(at) == (DANA, "rep")
    assert not [s for s in at.selectbox if s.key == "graphapp_you_are"]  # nothing to pick
    at.switch_page("app_pages/settings_page.py").run()
    assert looking(at) == (DANA, "rep") and "settings_save" not in {b.key for b in at.button}
    assert not os.path.exists(f"{db}.local-rep")
