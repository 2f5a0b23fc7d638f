"""No internals on the pages (issue 23, point 5): setting names are not labels, the database's location is
on the Audit log only (an admin's), in AppTest on the demo network."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from graphapp.service.settings import TEAM_SETTINGS
from graphapp.settings import setting_label
from tests.test_app_account import ROOT
from tests.test_app_settings import _demo_admin


def as_admin(page: str) -> AppTest:
    app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60).run()
    app.selectbox(key="graphapp_you_are").set_value(_demo_admin()).run()
    app.switch_page(page)
    app.run()
    assert not app.exception
    return app


def test_the_settings_page_labels_each_setting_in_words_not_by_its_name(app_db):
    app = as_admin("app_pages/settings_page.py")
    labels = {w.key.removeprefix("settings_"): w.label for w in [*app.number_input, *app.text_input]}
    assert labels["paths_top"] == "Paths to show"
    assert labels["paths_max_hops"] == "Most relationships per path"
    assert labels["persona_keywords"] == "Buyer-persona words in a title"
    assert len(labels) >= 18
    for name, label in labels.items():
        assert label == setting_label(name) and "_" not in label, name
    assert all("_" not in setting_label(n) for n in TEAM_SETTINGS)  # the kinds table's too


def test_where_the_data_lives_is_on_the_audit_log_not_in_the_sidebar(app_db):
    app = as_admin("app_pages/audit.py")
    assert not [c for c in app.sidebar.caption if "Graph database" in c.value or str(app_db) in c.value]
    [where] = [e for e in app.expander if e.label == "Graph database"]
    assert str(app_db) in [c.value for c in where.code]
