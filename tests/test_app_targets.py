"""The Target accounts page in AppTest on the demo network: coverage table, filters, add/change/end targets."""

from __future__ import annotations

import pytest
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
    assert list(table["Best score"]) == pytest.approx([r.best_score for r in expected])
    # The weakest link of each account's best path, as a tier; nothing for an account with no path.
    assert list(table["Weakest link"]) == [r.best_tier or "" for r in expected]
    assert {r.best_tier for r in expected if r.covered} <= {"strong", "medium", "weak"}
    assert all(r.best_tier is None for r in expected if not r.covered) and any(r.covered for r in expected)
    # A row opens its account in this tab (tests/e2e/test_identity.py clicks one); no link opens a new tab.
    assert app.dataframe[0].proto.selection_mode and "Click a row to open its warm paths" in app.caption[0].value
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Target accounts"] == f"{len(expected):,}"
    assert metrics["No warm path yet"] == f"{sum(1 for r in expected if not r.covered):,}"


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
