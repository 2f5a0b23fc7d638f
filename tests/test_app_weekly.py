"""The Weekly page in AppTest on the demo network: lists, the rep filter, "I asked", following up."""

from __future__ import annotations

from datetime import date, timedelta

from streamlit.testing.v1 import AppTest

from graphapp import service
from tests.test_app_account import DECIMAL, ROOT, texts_outside_the_details


def weekly_page(as_rep: str = "dana.whitfield@brightline.example.com") -> AppTest:
    app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60).run()  # run first: pages have url paths
    app.selectbox(key="graphapp_you_are").set_value(as_rep).run()  # local mode: who is looking
    app.switch_page("app_pages/weekly.py")
    return app.run()


def this_week(db, rep=None):
    monday = date.today() - timedelta(days=date.today().weekday())
    with service.open_graph(str(db), create=False) as store:
        return service.weekly_lists(store, week=service.week_of(monday), rep=rep, record=False).as_dict()


def test_a_rep_sees_their_own_list_as_the_service_makes_it(app_db):
    for rep in ("dana.whitfield@brightline.example.com", "grace.achterberg@brightline.example.com"):
        expected = this_week(app_db, rep=rep)
        app = weekly_page(rep)
        assert not app.exception
        assert [s.value for s in app.subheader[:-1]] == [expected["reps"][0]["rep"]["name"]]  # no one else's list
        first = [i for i in expected["reps"][0]["items"] if i["kind"] == "intro"][0]
        assert f"**1.** {first['reason']}" in [m.value for m in app.markdown]
        assert len(app.get("download_button")) == 3  # CSV, Markdown, the rep's page


def test_i_asked_records_a_request_that_can_be_followed_up(app_db):
    dana = "dana.whitfield@brightline.example.com"
    expected = this_week(app_db, rep=dana)
    first = [i for i in expected["reps"][0]["items"] if i["kind"] == "intro"][0]
    key = f"weekly_{expected['reps'][0]['rep']['id']}_{first['path']['target']['id']}"
    app = weekly_page(dana)
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


def test_a_suggestion_shows_its_tier_and_keeps_the_sentence_and_numbers_in_its_details(app_db):
    dana = "dana.whitfield@brightline.example.com"
    expected = this_week(app_db, rep=dana)
    intros = [i for i in expected["reps"][0]["items"] if i["kind"] == "intro"]
    app = weekly_page(dana)
    assert [m.value for m in app.markdown if m.value[:1] in "▰▱"] == [service.tier_bar(i["path"]["tier"]) for i in intros]
    assert not app.metric and not any("score" in i["reason"] for i in intros)
    outside = texts_outside_the_details(app)
    assert [t for t in outside if DECIMAL.search(t)] == []
    details = [x for x in app.expander if x.label == "Path, details and draft request"]
    assert [x.markdown[0].value for x in details] == [i["path"]["sentence"] for i in intros]
    scores = [c.value.split(".")[0] + "." + c.value.split(".")[1][:2] for x in details for c in x.caption]
    assert scores == [f"Score {i['score']:.2f}" for i in intros]
