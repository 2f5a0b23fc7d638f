"""The Weekly page in AppTest on the demo network: lists, the rep filter, "I asked", following up."""

from __future__ import annotations

from datetime import date, timedelta

from streamlit.testing.v1 import AppTest

from graphapp import service
from tests.test_app_account import ROOT


def weekly_page() -> AppTest:
    app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60).run()  # run first: pages have url paths
    app.switch_page("app_pages/weekly.py")
    return app.run()


def this_week(db, rep=None):
    monday = date.today() - timedelta(days=date.today().weekday())
    with service.open_graph(str(db), create=False) as store:
        return service.weekly_lists(store, week=service.week_of(monday), rep=rep, record=False).as_dict()


def test_the_team_list_matches_the_service_and_one_rep_can_be_chosen(app_db):
    expected = this_week(app_db)
    app = weekly_page()
    assert not app.exception
    assert [s.value for s in app.subheader[:-1]] == [r["rep"]["name"] for r in expected["reps"]]
    first = [i for i in expected["reps"][0]["items"] if i["kind"] == "intro"][0]
    assert f"**1.** {first['reason']}" in [m.value for m in app.markdown]
    assert len(app.get("download_button")) == 2 + len(expected["reps"])
    dana = "dana.whitfield@brightline.example.com"
    app.selectbox(key="weekly_rep").set_value(dana).run()
    assert [s.value for s in app.subheader[:-1]] == ["Dana Whitfield"]


def test_i_asked_records_a_request_that_can_be_followed_up(app_db):
    dana = "dana.whitfield@brightline.example.com"
    expected = this_week(app_db, rep=dana)
    first = [i for i in expected["reps"][0]["items"] if i["kind"] == "intro"][0]
    key = f"weekly_{expected['reps'][0]['rep']['id']}_{first['path']['target']['id']}"
    app = weekly_page()
    app.selectbox(key="weekly_rep").set_value(dana).run()
    app.button(key=f"{key}_asked").click().run()
    assert not app.exception and "Recorded" in app.success[0].value
    with service.open_graph(str(app_db), create=False) as store:
        [intro] = service.list_intros(store, rep_email=dana)
    assert (intro.state.value, intro.target_id) == ("requested", first["path"]["target"]["id"])
    app.run()
    app.selectbox(key=f"weekly_state_{intro.id}").set_value("introduced")
    app.text_input(key=f"weekly_note_{intro.id}").set_value("Raj sent the e-mail")
    app.button(key=f"weekly_update_{intro.id}").click().run()
    assert not app.exception
    with service.open_graph(str(app_db), create=False) as store:
        [intro] = service.list_intros(store, rep_email=dana)
    assert intro.state.value == "introduced" and intro.events[-1].note == "Raj sent the e-mail"
