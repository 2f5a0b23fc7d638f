"""The Settings page in AppTest on the demo network: edit, preview, save for the team, reset."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from graphapp import service
from tests.test_app_account import ROOT


def settings_page() -> AppTest:
    """The Settings page as the demo's admin (saving for the team is an admin's; local mode never picks one)."""
    app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60).run()  # run first: pages have url paths
    app.selectbox(key="graphapp_you_are").set_value(_demo_admin()).run()
    app.switch_page("app_pages/settings_page.py")
    return app.run()


def _demo_admin() -> str:
    import os

    with service.open_graph(os.environ["GRAPHAPP_DB"], create=False) as store:
        return next(r.email for r in service.list_reps(store) if r.role == "admin")


def saved(db) -> dict[str, str]:
    with service.open_graph(str(db), create=False) as store:
        return store.saved_settings()


def test_a_change_is_previewed_then_saved_for_the_team(app_db):
    app = settings_page()
    assert not app.exception
    assert any("No changes yet" in c.value for c in app.caption)
    before = list(app.dataframe[-1].value["Score"])
    app.number_input(key="settings_persona_miss").set_value(0.2).run()
    assert "1 unsaved change(s)." in [c.value for c in app.caption]
    after = list(app.dataframe[-1].value["Score"])
    assert after != before and set(app.dataframe[-1].value["Was"]) != {"new"}
    assert saved(app_db) == {}
    app.button(key="settings_save").click().run()
    assert not app.exception
    assert saved(app_db) == {"persona_miss": "0.2"}
    with service.open_graph(str(app_db), create=False) as store:
        assert service.scoring_weights(store).persona_miss == 0.2


def test_a_value_out_of_range_is_a_message_and_nothing_is_saved(app_db):
    app = settings_page()
    app.number_input(key="settings_interaction_boost").set_value(3.0).run()
    assert not app.exception
    assert "interaction_boost" in app.error[0].value
    assert saved(app_db) == {}


def test_back_to_the_defaults_clears_what_was_saved(app_db):
    with service.open_graph(str(app_db), create=False) as store:
        service.save_team_settings(store, {"paths_top": 5, "half_life_days": 30})
    app = settings_page()
    assert app.number_input(key="settings_paths_top").value == 5
    app.button(key="settings_reset").click().run()
    assert not app.exception
    assert saved(app_db) == {}
    assert app.number_input(key="settings_paths_top").value == 10


def test_a_setting_fixed_by_the_environment_cannot_be_edited(app_db, monkeypatch):
    monkeypatch.setenv("GRAPHAPP_HALF_LIFE_DAYS", "90")
    app = settings_page()
    field = app.number_input(key="settings_half_life_days")
    assert field.value == 90.0 and field.disabled
    assert "Fixed by the environment variable GRAPHAPP_HALF_LIFE_DAYS" in field.help
