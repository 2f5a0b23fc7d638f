"""Local mode stays local (issue 20, item 3): without sign-in the app serves loopback only, or, with the
explicit ``--insecure-local-mode-on-network``, warns on every page; the first pick is never an admin.

Unit tests of the rules, the ``graphapp serve`` command (its refusal for real; with the flag, the command
line and environment it would start Streamlit with), and the app in Streamlit's AppTest with the server
address Streamlit reads (``server.address``) set as ``--server.address`` would set it.
"""

from __future__ import annotations

import importlib
import sqlite3
from pathlib import Path

import pytest
import streamlit as st
from streamlit import config
from streamlit.testing.v1 import AppTest

from graphapp import service
from graphapp.cli import main
from graphapp.domain.privacy import Viewer
from graphapp.errors import ConfigError, NotAllowed
from graphapp.model import Rep
from graphapp.store.sqlite.store import open_sqlite
from tests.conftest import team_file

ROOT = Path(__file__).resolve().parents[1]
BEYOND = [None, "", "0.0.0.0", "::", "192.168.1.20", "app.example.com"]
LOOPBACK = ["127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"]


@pytest.mark.parametrize("address", BEYOND)
def test_without_sign_in_any_address_but_loopback_is_refused_with_how_to_configure_it(address):
    with pytest.raises(ConfigError) as refused:
        service.auth_mode(None, {}, address)
    message = str(refused.value)
    assert f"Refusing to serve {address or 'every interface'} without sign-in" in message
    assert "[auth] in .streamlit/secrets.toml" in message and "--insecure-local-mode-on-network" in message
    with pytest.raises(ConfigError, match="without sign-in"):
        service.check_serve_address(address or "", signed_in=False, insecure=False)


@pytest.mark.parametrize("address", BEYOND)
def test_the_explicit_flag_or_sign_in_lets_it_serve_the_network(address):
    assert service.auth_mode(None, {service.INSECURE_FLAG: "1"}, address) == "local"
    assert service.local_mode_on_network({service.INSECURE_FLAG: "1"}, address) is True
    service.check_serve_address(address or "", signed_in=False, insecure=True)
    service.check_serve_address(address or "", signed_in=True, insecure=False)  # sign-in: any address


@pytest.mark.parametrize("address", LOOPBACK)
def test_loopback_needs_nothing_and_is_not_the_network(address):
    assert service.auth_mode(None, {}, address) == "local"
    assert service.local_mode_on_network({}, address) is False
    assert service.local_mode_on_network({service.INSECURE_FLAG: "1"}, address) is False
    service.check_serve_address(address, signed_in=False, insecure=False)


def test_the_flag_must_say_1():
    with pytest.raises(ConfigError):
        service.auth_mode(None, {service.INSECURE_FLAG: "0"}, "0.0.0.0")


def reps(*pairs: tuple[str, str]) -> list[Rep]:
    return [Rep(f"{name.lower()}@example.com", f"p-{name.lower()}", name, role) for name, role in pairs]


def test_the_first_pick_is_a_viewer_then_a_rep_never_an_admin():
    assert service.default_local_rep(reps(("Ada", "admin"), ("Ben", "rep"), ("Cy", "viewer"))) == "cy@example.com"
    assert service.default_local_rep(reps(("Ada", "admin"), ("Ben", "rep"), ("Bo", "rep"))) == "ben@example.com"
    assert service.default_local_rep(reps(("Ada", "admin"), ("Al", "admin"))) is None
    assert service.default_local_rep([]) is None


def test_the_local_viewer_is_the_chosen_rep_else_never_an_admin(tmp_path):
    with open_sqlite(tmp_path / "g.db") as store:
        service.add_rep(store, name="Ada Admin", email="ada@example.com", role="admin")
        with pytest.raises(NotAllowed, match="Choose who you are"):
            service.local_viewer(store, None)  # only an admin on the team: nobody is picked for you
        assert service.local_viewer(store, "ada@example.com") == Viewer("ada@example.com", "admin")
        service.add_rep(store, name="Ben Rep", email="ben@example.com", role="rep")
        assert service.local_viewer(store, None) == Viewer("ben@example.com", "rep")
        assert service.local_viewer(store, "mallory@example.com") == Viewer("ben@example.com", "rep")


# -- graphapp serve ---------------------------------------------------------------------------------
def test_serve_refuses_the_network_without_sign_in_and_touches_nothing(tmp_path, capsys):
    db = tmp_path / "never.db"
    assert main(["--db", str(db), "serve", "--address", "0.0.0.0", "--headless"]) == 1
    err = capsys.readouterr().err
    assert "Refusing to serve 0.0.0.0 without sign-in" in err and "docs/privacy.md" in err
    assert not db.exists()  # refused before opening (or creating) the database


def test_serve_with_the_flag_warns_and_tells_the_app(tmp_path, capsys, monkeypatch):
    started: list[tuple[list[str], dict]] = []
    # Streamlit is not started for real: binding every interface is not for a test machine.
    serving = importlib.import_module("graphapp.cli.main")  # the module (graphapp.cli.main is also the function)
    monkeypatch.setattr(serving, "run_streamlit", lambda command, cwd, env: started.append((command, env)) or 0)
    monkeypatch.delenv(service.INSECURE_FLAG, raising=False)
    assert main(["--db", str(tmp_path / "g.db"), "serve", "--address", "0.0.0.0", "--headless",
                 "--insecure-local-mode-on-network"]) == 0
    [(command, env)] = started
    assert command[command.index("--server.address") + 1] == "0.0.0.0"
    assert env[service.INSECURE_FLAG] == "1"
    assert "WARNING: no sign-in, served at 0.0.0.0" in capsys.readouterr().err

    started.clear()  # on loopback the flag changes nothing
    assert main(["--db", str(tmp_path / "g.db"), "serve", "--address", "127.0.0.1", "--headless"]) == 0
    assert service.INSECURE_FLAG not in started[0][1]


# -- the app ----------------------------------------------------------------------------------------
@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "app.db"
    team_file(path, ("Ada Admin", "ada@example.com", "admin"))
    monkeypatch.setenv("GRAPHAPP_DB", str(path))
    monkeypatch.delenv("GRAPHAPP_TEST_IDENTITY", raising=False)
    monkeypatch.delenv(service.INSECURE_FLAG, raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()
    return path


@pytest.fixture
def bound_to():
    """Set the address Streamlit serves (``--server.address``) for the AppTest runs of a test."""
    before = config.get_option("server.address")

    def bind(address: str | None) -> None:
        config.set_option("server.address", address)

    yield bind
    config.set_option("server.address", before)


def text_of(at: AppTest) -> str:
    return "\n".join(str(e.value) for kind in ("title", "markdown", "caption", "info", "error", "warning", "success")
                     for e in getattr(at, kind))


def test_the_app_refuses_to_run_on_the_network_without_sign_in(db, bound_to):
    bound_to("0.0.0.0")
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60).run()
    assert not at.exception
    assert "Refusing to serve 0.0.0.0 without sign-in" in at.error[0].value
    assert not [s for s in at.selectbox if s.key == "graphapp_you_are"]  # nobody to pick, nothing shown
    assert "graphapp_viewer" not in at.session_state
    assert not any(name in text_of(at) for name in ("Raj Patel", "Mei Lin", "Dana Whitfield"))


def test_with_the_flag_every_page_warns_that_it_is_on_the_network(db, bound_to, monkeypatch):
    bound_to("0.0.0.0")
    monkeypatch.setenv(service.INSECURE_FLAG, "1")
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60).run()
    assert not at.exception
    for page in ("app_pages/home.py", "app_pages/people.py", "app_pages/weekly.py", "app_pages/import_data.py"):
        at.switch_page(page).run()
        assert not at.exception, page
        assert any("WITHOUT sign-in" in w.value and "admins included" in w.value for w in at.warning), page
    assert at.session_state["graphapp_viewer"] == ("dana@example.com", "rep")  # still not the admin


def test_on_loopback_there_is_no_warning(db, bound_to):
    bound_to("127.0.0.1")
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60).run()
    assert not at.exception
    assert not any("WITHOUT sign-in" in w.value for w in at.warning)
    assert at.selectbox(key="graphapp_you_are").value == "dana@example.com"


def test_a_team_of_admins_only_is_asked_who_they_are(tmp_path, monkeypatch, bound_to):
    bound_to("127.0.0.1")
    path = tmp_path / "admins.db"
    team_file(path, ("Ada Admin", "ada@example.com", "admin"))
    with sqlite3.connect(path) as conn:  # Dana, the batch's rep, made an admin too: a team of admins only
        conn.execute("UPDATE reps SET role = 'admin'")
    monkeypatch.setenv("GRAPHAPP_DB", str(path))
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60).run()
    assert not at.exception
    picker = at.selectbox(key="graphapp_you_are")
    assert picker.value is None
    assert "Choose who you are in the sidebar" in at.info[0].value
    assert "graphapp_viewer" not in at.session_state and "Raj Patel" not in text_of(at)
    picker.set_value("dana@example.com").run()
    assert not at.exception
    assert at.session_state["graphapp_viewer"] == ("dana@example.com", "admin")
