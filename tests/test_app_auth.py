"""Sign-in, roles, the audit page and the forget button in Streamlit's AppTest (SEC-1..3, DEL-1;
cases 28, 29, 30, 35). AppTest's ``user`` stands in for the identity provider; ``secrets`` for secrets.toml."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from graphapp import service
from graphapp.store.sqlite.store import open_sqlite
from tests.conftest import team_file

ROOT = Path(__file__).resolve().parents[1]
AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "c" * 40, "client_id": "graphapp",
        "client_secret": "s", "server_metadata_url": "https://idp.example.com/.well-known/openid-configuration"}
NAMES = ("Raj Patel", "Mei Lin", "Dana Whitfield")


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "app.db"
    team_file(path, ("Ada Admin", "ada@example.com", "admin"))
    monkeypatch.setenv("GRAPHAPP_DB", str(path))
    monkeypatch.delenv("GRAPHAPP_TEST_IDENTITY", raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()
    return path


@pytest.fixture
def opened(monkeypatch) -> list[str]:
    """A spy on the data layer: every store the app opens."""
    calls: list[str] = []
    real = service.open_graph

    def spy(location=None, **kw):
        calls.append(str(location))
        return real(location, **kw)

    monkeypatch.setattr(service, "open_graph", spy)
    return calls


def app(*, user: dict | None = None, auth: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    if auth is not None:
        at.secrets["auth"] = auth
    if user is not None:
        at.user = user
    return at


def text_of(at: AppTest) -> str:
    parts = [e.value for kind in ("title", "markdown", "caption", "info", "error", "success", "warning")
             for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def audit(db: Path, action: str):
    with open_sqlite(db, create=False) as store:
        return store.audit_log(action=action)


def test_an_unauthenticated_visit_shows_only_the_login_prompt_and_reads_no_data(db, opened):  # case 28
    at = app(user={"is_logged_in": False}, auth=AUTH).run()
    assert not at.exception
    assert at.button(key="graphapp_sign_in").label == "Sign in"
    assert opened == []  # zero data-layer calls
    assert not any(name in text_of(at) for name in NAMES)
    assert "graphapp_viewer" not in at.session_state  # nobody is looking


def test_start_up_refuses_a_short_cookie_secret(db, opened):
    at = app(user={"is_logged_in": True, "email": "dana@example.com", "iat": time.time()},
             auth={**AUTH, "cookie_secret": "too-short"}).run()
    assert not at.exception
    assert "cookie_secret" in at.error[0].value and "does not start" in at.error[0].value
    assert opened == []


def test_an_unknown_e_mail_is_not_authorised_and_audited(db):  # case 29
    at = app(user={"is_logged_in": True, "email": "mallory@evil.example.com", "iat": time.time()}, auth=AUTH).run()
    assert not at.exception
    assert at.error[0].value.startswith("not authorised")
    assert not any(name in text_of(at) for name in NAMES)
    [refused] = audit(db, "sign-in-refused")
    assert refused.objects[1].startswith("hash:") and "mallory" not in str(refused.objects)
    at.run()  # a rerun does not audit the same refusal again
    assert len(audit(db, "sign-in-refused")) == 1


def test_a_session_older_than_12_hours_is_signed_out(db):  # case 30, SEC-3
    at = app(user={"is_logged_in": True, "email": "dana@example.com", "iat": time.time() - 13 * 3600}, auth=AUTH).run()
    assert not at.exception
    assert at.user.get("is_logged_in") is False
    assert "older than 12 hours" in at.info[0].value
    assert at.button(key="graphapp_sign_in")
    assert not any(name in text_of(at) for name in NAMES[:2])


def test_a_signed_in_rep_sees_the_app_as_themselves_and_the_sign_in_is_audited_once(db):
    at = app(user={"is_logged_in": True, "email": "Dana@Example.com", "iat": time.time() - 60}, auth=AUTH).run()
    assert not at.exception
    assert at.session_state["graphapp_viewer"] == ("dana@example.com", "rep")
    assert "You are dana@example.com (rep)" in "\n".join(c.value for c in at.sidebar.caption)
    at.run()
    [signed_in] = audit(db, "sign-in")
    assert signed_in.objects == ("rep:p-dana", "mode:oidc", "role:rep")


def test_local_mode_is_labelled_and_picks_the_first_rep_who_is_not_an_admin(db):
    at = app().run()
    assert not at.exception
    assert any("Local single-team mode" in c.value for c in at.sidebar.caption)
    picker = at.selectbox(key="graphapp_you_are")
    assert picker.value == "dana@example.com"  # reps in name order: Ada Admin, Dana Whitfield; never an admin first
    picker.set_value("ada@example.com").run()  # being the admin is a choice
    assert at.session_state["graphapp_viewer"] == ("ada@example.com", "admin")
    with open_sqlite(db, create=False) as store:
        ada = next(r.person_id for r in store.list_reps() if r.email == "ada@example.com")
    assert [e.objects[0] for e in audit(db, "sign-in")] == [f"rep:{ada}", "rep:p-dana"]


def test_an_empty_store_sees_everything_so_the_first_run_demo_works(tmp_path, monkeypatch):
    monkeypatch.setenv("GRAPHAPP_DB", str(tmp_path / "empty.db"))
    st.cache_resource.clear()
    at = app().run()
    assert not at.exception
    assert at.session_state["graphapp_viewer"] == (None, "admin")
    assert at.button(key="home_load_demo")


def test_the_audit_page_is_for_admins_only(db):
    at = app().run()
    at.selectbox(key="graphapp_you_are").set_value("ada@example.com").run()  # Ada, an admin, chosen
    at.switch_page("app_pages/audit.py").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["Action"])[-1] == "import" and "Ada Admin (rep)" in set(table["Who"])
    at = app().run()
    at.selectbox(key="graphapp_you_are").set_value("dana@example.com").run()
    direct = AppTest.from_file(str(ROOT / "app_pages" / "audit.py"), default_timeout=60)
    direct.session_state["graphapp_viewer"] = ("dana@example.com", "rep")
    direct.run()
    assert not direct.exception
    assert direct.error[0].value == "Only an admin can see the audit log."
    assert len(direct.dataframe) == 0


def test_the_forget_button_removes_the_person_for_everyone(db):  # case 35 (app side)
    at = app().run()
    at.selectbox(key="graphapp_you_are").set_value("dana@example.com").run()  # Dana keeps all of Raj's ties
    at.query_params["person"] = "p-raj"
    at.switch_page("app_pages/people.py").run()
    assert not at.exception
    assert at.button(key="people_forget_go").disabled
    at.checkbox(key="people_forget_confirm").check().run()
    at.button(key="people_forget_go").click().run()
    assert not at.exception
    assert "Forgot Raj Patel" in at.success[0].value and "re-import blocked" in at.success[0].value
    with open_sqlite(db, create=False) as store:
        assert store.get_people(["p-raj"]) == {} and store.search_people("Raj") == []
        assert len(store.list_suppressed()) == 2
        [entry] = store.audit_log(action="forget")
        assert entry.actor == "rep:p-dana" and entry.objects[0] == "p-raj"


def test_a_rep_who_does_not_keep_all_relationships_cannot_forget(db):
    with open_sqlite(db) as store:
        service.add_rep(store, name="Zed Other", email="zed@example.com", role="rep")
        store.set_person_visibility("p-raj", "dana@example.com", "team")  # shared, so Zed sees Raj in full
    at = app().run()
    at.selectbox(key="graphapp_you_are").set_value("zed@example.com").run()
    at.query_params["person"] = "p-raj"
    at.switch_page("app_pages/people.py").run()
    assert not at.exception
    assert not [b for b in at.button if b.key == "people_forget_go"]
    assert any("Only an admin" in i.value for i in at.info)
