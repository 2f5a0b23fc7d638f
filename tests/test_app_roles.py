"""The app offers each role only what the service allows it (issue 20, item 1): in Streamlit's AppTest, in
local mode, picking a viewer, a rep and an admin on a real SQLite file; the service's own refusals (and
their audit rows) are tested in tests/test_roles.py."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from graphapp import service
from graphapp.errors import NotAllowed
from graphapp.store.sqlite.store import open_sqlite
from tests.conftest import team_file

ROOT = Path(__file__).resolve().parents[1]
DANA, ZED, ADA, VIC = "dana@example.com", "zed@example.com", "ada@example.com", "vic@example.com"
CONTACTS = b"Name,Email,Company\nNia Okafor,nia@acme.example.com,Acme Corp\n"


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    """Dana keeps Raj and Mei (import i1); Zed (rep), Ada (admin) and Vic (viewer) are on the team."""
    path = tmp_path / "app.db"
    team_file(path, ("Zed Other", ZED, "rep"), ("Ada Admin", ADA, "admin"), ("Vic Viewer", VIC, "viewer"))
    monkeypatch.setenv("GRAPHAPP_DB", str(path))
    st.cache_data.clear()
    st.cache_resource.clear()
    return path


def page_as(who: str, page: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.run()
    at.selectbox(key="graphapp_you_are").set_value(who).run()  # local mode: who is looking
    for name, value in params.items():
        at.query_params[name] = value
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def keys(at: AppTest) -> set[str]:
    return {w.key for kind in ("button", "selectbox", "file_uploader", "checkbox") for w in at.get(kind) if w.key}


def infos(at: AppTest) -> str:
    return "\n".join(i.value for i in at.info)


def test_a_viewer_is_offered_no_change_anywhere(db):
    imports = page_as(VIC, "app_pages/import_data.py")
    assert "You are a viewer" in infos(imports)
    assert not {"import_files", "import_owner", "import_run", "import_undo_choice"} & keys(imports)
    person = page_as(VIC, "app_pages/people.py", person="p-dana")
    assert "You are a viewer" in infos(person)
    assert not [k for k in keys(person) if k.startswith(("people_mark_", "people_merge_", "people_split_",
                                                          "people_forget_", "people_strength_"))]
    targets = page_as(VIC, "app_pages/targets.py")
    assert "You are a viewer" in infos(targets) and "targets_upload" not in keys(targets)
    assert not [f for f in targets.get("form")]  # no "add a target" form
    settings = page_as(VIC, "app_pages/settings_page.py")
    assert not {"settings_save", "settings_reset"} & keys(settings)


MOVES_ONLY = {"people_back", "people_dupes_back", "org_back"}  # back to a search: they change nothing


@pytest.mark.parametrize("page,params", [
    ("home.py", {}), ("targets.py", {}), ("account.py", {"account": "o-globex"}), ("weekly.py", {}),
    ("people.py", {"person": "p-dana"}), ("people.py", {"view": "duplicates"}), ("organizations.py", {"org": "o-globex"}),
    ("import_data.py", {}), ("settings_page.py", {}),
])
def test_a_viewer_sees_no_button_that_changes_anything_on_any_page(db, page, params):
    """Not greyed out: not there (downloads are exports, which a viewer may take)."""
    at = page_as(VIC, f"app_pages/{page}", **params)
    assert {b.key for b in at.button} <= MOVES_ONLY
    assert not at.get("file_uploader") and not at.get("form")


def test_the_team_settings_are_saved_by_an_admin_only(db):
    for who in (ZED, VIC):
        at = page_as(who, "app_pages/settings_page.py")
        assert not {"settings_save", "settings_reset"} & keys(at)
        assert "Only an admin can save the team's settings" in infos(at)  # the preview stays, for trying
        assert len(at.dataframe) == 2  # the kinds to try, and the preview of the ranking they give
    at = page_as(ADA, "app_pages/settings_page.py")
    assert {"settings_save", "settings_reset"} <= keys(at) and "Only an admin" not in infos(at)
    with open_sqlite(db) as store:  # the service refuses a rep all the same
        with pytest.raises(NotAllowed, match="Only an admin can change the team's settings"):
            service.save_team_settings(store, {"paths_top": 5}, viewer=service.viewer_for(store, ZED))


def test_the_demo_team_has_an_admin_who_reaches_the_audit_log_and_the_others_do_not(app_db):
    with open_sqlite(app_db, create=False) as store:
        reps = service.list_reps(store)
    admins = [r for r in reps if r.role == "admin"]
    assert len(admins) == 1 and admins[0].name == "Dana Whitfield"
    at = page_as(admins[0].email, "app_pages/audit.py")
    assert at.title[0].value == "Audit log" and at.button(key="audit_backup")
    rep = next(r for r in reps if r.role == "rep")
    at = page_as(rep.email, "app_pages/home.py")
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # not in a rep's navigation
        at.switch_page("app_pages/audit.py").run()


def test_a_rep_imports_as_themself_and_undoes_only_their_own_imports(db):
    at = page_as(ZED, "app_pages/import_data.py")
    assert at.selectbox(key="import_owner").options == ["Zed Other (zed@example.com)",
                                                        "The whole team (files that name their reps)"]
    assert "import_undo_choice" not in keys(at)  # i1 was not Zed's
    assert "You can undo only the imports you ran" in "\n".join(c.value for c in at.caption)
    at.file_uploader(key="import_files").set_value([("contacts.csv", CONTACTS, "text/csv")]).run()
    at.button(key="import_run").click().run()
    assert not at.exception
    with open_sqlite(db, create=False) as store:
        [mine] = [r for r in store.list_imports() if r.id != "i1"]
        zed = next(r.person_id for r in store.list_reps() if r.email == ZED)
    assert mine.actor == f"rep:{zed}"
    at.run()
    assert at.selectbox(key="import_undo_choice").options[0].endswith("· Zed Other")
    assert len(at.selectbox(key="import_undo_choice").options) == 1


def test_an_admin_is_offered_every_owner_and_every_import_to_undo(db):
    at = page_as(ADA, "app_pages/import_data.py")
    options = at.selectbox(key="import_owner").options
    assert len(options) == 6 and options[-1] == "Someone new: enter their e-mail"  # 4 reps, the team, someone new
    assert len(at.selectbox(key="import_undo_choice").options) == 1  # i1, run from the command line
    settings = page_as(ADA, "app_pages/settings_page.py")
    assert not settings.button(key="settings_reset").disabled


def test_a_rep_sees_only_their_own_strengths_and_marks_and_no_merge_of_another_reps_contact(db):
    with open_sqlite(db) as store:
        store.set_person_visibility("p-raj", DANA, "team")  # Zed sees Raj in full
    at = page_as(ZED, "app_pages/people.py", person="p-raj")
    assert at.selectbox(key="people_mark_rep").options == ["Zed Other (zed@example.com)"]
    assert "no strength for you to set" in infos(at)
    assert at.button(key="people_split_go").disabled
    assert "Only an admin can split someone" in infos(at)
    dana = page_as(DANA, "app_pages/people.py", person="p-raj")
    assert "Only an admin can split" not in infos(dana)
    assert dana.selectbox(key="people_strength_pick").options  # her own relationship with Raj
