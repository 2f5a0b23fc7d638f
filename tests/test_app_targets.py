"""The Target accounts page in AppTest on the demo network: coverage table, filters, add/change/end targets."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from graphapp import service
from tests.test_app_account import ROOT


def targets_page() -> AppTest:
    app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60).run()  # run first: pages have url paths
    app.switch_page("app_pages/targets.py")
    return app.run()


def rows_of(db):
    with service.open_graph(str(db), create=False) as store:
        return service.target_rows(store)


def test_the_table_lists_every_target_with_its_coverage(app_db):
    expected = rows_of(app_db)
    app = targets_page()
    assert not app.exception
    table = app.dataframe[0].value
    assert list(table["Account"]) == [r.name for r in expected]
    # The best path's tier (its weakest link's) as a bar and a word, no score; nothing for no path.
    assert list(table["Best path"]) == [service.tier_bar(r.best_tier) for r in expected]
    assert set(table["Best path"]) - {""} <= {"▰▰▰ strong", "▰▰▱ medium", "▰▱▱ weak"}
    assert not {"Best score", "Weakest link"} & set(table.columns)
    scores = next(d.value for d in app.dataframe if "Best score" in d.value.columns)  # in the details expander
    assert list(scores["Best score"]) == [f"{r.best_score:.2f}" if r.covered else "" for r in expected]
    assert all(r.best_tier is None for r in expected if not r.covered) and any(r.covered for r in expected)
    # A row opens its account in this tab (tests/e2e/test_identity.py clicks one); no link opens a new tab.
    assert app.dataframe[0].proto.selection_mode and "Click a row to open its warm paths" in app.caption[0].value
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Target accounts"] == f"{len(expected):,}"
    assert metrics["No warm path yet"] == f"{sum(1 for r in expected if not r.covered):,}"


def test_who_to_meet_next_names_the_teammate_who_knows_each_person_and_the_path(app_db):
    app = targets_page()
    viewer = service.Viewer(*app.session_state["graphapp_viewer"])
    with service.open_graph(str(app_db), create=False) as store:
        meet = service.coverage(store, viewer=viewer).as_dict()["meet_next"]
    assert meet[0]["name"] == "Imogen Farquhar" and meet[0]["known_by"] is not None  # the demo's consultant
    text = [m.value for m in app.markdown]
    first = meet[0]
    known = first["known_by"]
    assert "**Imogen Farquhar** would open Kestrel Biolabs, Northwind Freight and Saltmarsh Energy." in text
    # The teammate, how strong the way to them is, and the path, name by name, then the path in words.
    assert (f"**{known['name']}** knows them ({service.tier_bar(known['tier'])}): " + " → ".join(known["people"])
            in text)
    assert known["people"][0] == known["name"] and known["people"][-1] == "Imogen Farquhar" and len(known["people"]) >= 4
    assert known["sentence"] in [c.value for c in app.caption]
    assert sum(m.value.startswith(f"**{known['name']}** knows them") for m in app.markdown) == \
        sum(1 for m in meet if m["known_by"])


def test_filters_by_name_and_priority(app_db):
    expected = rows_of(app_db)
    app = targets_page()
    app.text_input(key="targets_search").set_value(expected[0].name[:5]).run()
    names = list(app.dataframe[0].value["Account"])
    assert expected[0].name in names and all(expected[0].name[:5].lower() in n.lower() for n in names)
    app.text_input(key="targets_search").set_value("").run()
    app.multiselect(key="targets_priority").set_value(["high"]).run()
    high = [r.name for r in expected if r.priority == "high"]
    assert high and list(app.dataframe[0].value["Account"]) == high


def test_adding_a_new_account_and_an_existing_one_by_domain(app_db):
    app = targets_page()
    app.text_input(key="targets_add_name").set_value("Quillfeather Robotics")
    app.text_input(key="targets_add_domain").set_value("https://www.quillfeather.example.com/")
    app.selectbox(key="targets_add_priority").set_value("high")
    app.button[0].click()  # the form's submit button
    app.run()
    assert not app.exception
    added = [r for r in rows_of(app_db) if r.name == "Quillfeather Robotics"]
    assert [(r.domains, r.priority, r.covered) for r in added] == [(("quillfeather.example.com",), "high", False)]
    assert "Quillfeather Robotics" in list(app.dataframe[0].value["Account"])
    with service.open_graph(str(app_db), create=False) as store:
        assert store.list_imports()[0].kind == "app"  # undoable like any import


def test_ending_and_changing_a_target(app_db):
    first, second = rows_of(app_db)[:2]
    app = targets_page()
    app.selectbox(key="targets_edit_pick").set_value(first.id).run()
    app.button(key="targets_edit_remove").click().run()
    assert not app.exception
    assert first.id not in {r.id for r in rows_of(app_db)}
    app.selectbox(key="targets_edit_pick").set_value(second.id).run()
    app.selectbox(key=f"targets_edit_priority_{second.id}").set_value("low").run()
    app.button(key="targets_edit_save").click().run()
    assert {r.id: r.priority for r in rows_of(app_db)}[second.id] == "low"


def test_a_bad_new_account_is_a_message(app_db):
    app = targets_page()
    app.button[0].click()
    app.run()
    assert not app.exception
    assert "Name the account" in app.error[0].value
