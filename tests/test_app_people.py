"""The People and Organisations pages in Streamlit's AppTest, on a real SQLite file seeded with small_batch."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from graphapp import service
from graphapp.model import GraphBatch
from graphapp.store.sqlite.store import open_sqlite
from tests.conftest import BatchMaker, record, small_batch

ROOT = Path(__file__).resolve().parents[1]
PEOPLE, ORGS = "app_pages/people.py", "app_pages/organizations.py"


def twin_batch(import_id: str) -> GraphBatch:
    """A second record of Raj under another e-mail (a match the importers missed), and José."""
    m = BatchMaker(import_id, file="addressbook.vcf", sha="sha-vcf")
    return GraphBatch(people=(m.person("p-raj2", "Raj Patel", "raj.patel@example.com"),
                              m.person("p-jose", "José Martínez", "jose.martinez@example.com")),
                      employments=(m.job("p-jose", "o-initech", title="Buyer"),))


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "app.db"
    with open_sqlite(path) as store:
        for n, (import_id, batch) in enumerate((("i1", small_batch("i1")), ("i2", twin_batch("i2")))):
            with store.importing(record(import_id, minute=n)) as writer:
                writer.write(batch)
    monkeypatch.setenv("GRAPHAPP_DB", str(path))
    st.cache_data.clear()
    st.cache_resource.clear()
    return path


def page(path: str, **params: str) -> AppTest:
    app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    app.run()
    for name, value in params.items():
        app.query_params[name] = value
    app.switch_page(path).run()
    assert not app.exception, app.exception
    return app


def table(app: AppTest, key: str):
    return next(d for d in app.dataframe if d.key == key).value


def details(app: AppTest, column: str):
    """The read-only details table (in an expander: such tables carry no key) that has ``column``."""
    return next(d.value for d in app.dataframe if column in d.value.columns)


def ties_of(db: Path, person_id: str):
    with open_sqlite(db) as store:
        return service.person_page(store, person_id).ties


# -- search ----------------------------------------------------------------------------------------
def test_search_shows_the_matching_people_and_opens_one(db):
    app = page(PEOPLE)
    assert "Type part of a name" in app.info[0].value
    app.text_input(key="people_q").input("JOSE").run()
    assert not app.exception
    rows = table(app, "people_results")
    assert list(rows["Name"]) == ["José Martínez"] and list(rows["Works at"]) == ["Initech"]

    app.text_input(key="people_q").input("patel").run()
    assert sorted(table(app, "people_results")["Name"]) == ["Raj Patel", "Raj Patel"]
    app.selectbox(key="people_open").select("p-raj").run()
    assert not app.exception
    assert app.title[0].value == "Raj Patel"
    assert app.query_params["person"] == "p-raj"

    app.button(key="people_back").click().run()  # back to the results, with what was typed
    assert not app.exception and "person" not in app.query_params
    assert app.text_input(key="people_q").value == "patel"
    assert sorted(table(app, "people_results")["Name"]) == ["Raj Patel", "Raj Patel"]


def test_a_search_that_finds_nobody_says_what_to_try(db):
    app = page(PEOPLE)
    app.text_input(key="people_q").input("Quentin Nobody").run()
    assert not app.exception
    assert "No one matches **Quentin Nobody**" in app.info[0].value


# -- a person's page ---------------------------------------------------------------------------------
def test_a_person_page_shows_jobs_relationships_and_the_reps_who_know_them(db):
    app = page(PEOPLE, person="p-raj")
    assert app.title[0].value == "Raj Patel"
    ties = table(app, "people_ties_p-raj")
    assert sorted(ties["With"]) == ["Dana Whitfield", "Mei Lin"]
    dana = ties[ties["With"] == "Dana Whitfield"].iloc[0]
    assert dana["Kind"] == "customer" and dana["Kept by"] == "Dana Whitfield"  # kinds in words, no ids
    # The tier as a bar and a word; no number in the table itself (issue 23): they are in the details.
    assert (dana["Tier"], dana["Why"]) == ("▰▰▰ strong", "CRM customer, last activity in October 2026")
    assert not {"Strength", "Pair strength", "Evidence"} & set(ties.columns)
    rows = details(app, "Pair strength")
    detail = rows[rows["With"] == "Dana Whitfield"].iloc[0]
    assert "contacts.csv row" in detail["Evidence"] and "customer relationship" in detail["Details"]
    assert 0.7 < detail["Pair strength"] <= 1
    known = next(d.value for d in app.dataframe if list(d.value.columns) == ["Rep", "Tier", "Why"])
    assert list(known["Rep"]) == ["Dana Whitfield"]
    assert (known["Tier"][0], known["Why"][0]) == ("▰▰▰ strong", "CRM customer, last activity in October 2026")
    assert details(app, "Strongest tie")["Strength"][0] == detail["Pair strength"]


def test_an_unknown_person_id_is_an_error_message_not_an_exception(db):
    app = page(PEOPLE, person="p-nobody")
    assert not app.exception
    assert "No person with id 'p-nobody'" in app.error[0].value
    assert app.button(key="people_back").label == "Search people"


def test_mark_as_partner_then_undo(db):
    app = page(PEOPLE, person="p-jose")
    assert "No rep knows them directly" in app.info[0].value
    app.selectbox(key="people_mark_rep").select("dana@example.com")
    app.radio(key="people_mark_kind").set_value("partner")
    app.button(key="people_mark_go").click().run()
    assert not app.exception
    assert "Marked José Martínez as a partner of Dana Whitfield (dana@example.com)" in app.success[0].value
    ties = table(app, "people_ties_p-jose")
    assert list(zip(ties["With"], ties["Kind"], ties["Kept by"], strict=True)) == [("Dana Whitfield", "partner", "Dana Whitfield")]
    assert "People page row 1 (marked as partner)" in details(app, "Evidence")["Evidence"][0]
    with open_sqlite(db) as store:
        assert store.list_imports()[0].kind == "app"

    app.button(key="people_mark_undo").click().run()
    assert not app.exception
    assert "the mark is gone" in app.success[0].value
    assert ties_of(db, "p-jose") == ()


def test_mark_as_influencer_without_a_profession_is_a_message(db):
    app = page(PEOPLE, person="p-jose")
    app.selectbox(key="people_mark_rep").select("dana@example.com")
    app.radio(key="people_mark_kind").set_value("influencer")
    app.button(key="people_mark_go").click().run()
    assert not app.exception
    assert "needs a profession" in app.error[0].value
    assert ties_of(db, "p-jose") == ()


def test_merge_with_someone_found_by_search_then_split_again(db):
    app = page(PEOPLE, person="p-raj")
    app.text_input(key="people_merge_q").input("raj.patel@").run()
    app.selectbox(key="people_merge_pick").select("p-raj2").run()
    assert app.button(key="people_merge_go").disabled  # not confirmed yet
    app.checkbox(key="people_merge_confirm").check().run()
    app.button(key="people_merge_go").click().run()
    assert not app.exception
    assert "Merged Raj Patel, raj.patel@example.com into Raj Patel" in app.success[0].value
    with open_sqlite(db) as store:
        assert "p-raj2" not in store.get_people(["p-raj2"])
        assert set(store.get_people(["p-raj"])["p-raj"].emails) == {"raj@initech.example.com", "raj.patel@example.com"}

    app.checkbox(key="people_split_confirm").check().run()
    app.button(key="people_split_go").click().run()
    assert not app.exception
    assert "Split into 2 people" in app.success[0].value
    with open_sqlite(db) as store:
        assert store.get_people(["p-raj"])["p-raj"].emails == ("raj@initech.example.com",)
        assert store.counts().people == 5


def test_opening_another_person_resets_the_change_forms(db):
    app = page(PEOPLE, person="p-raj")
    app.checkbox(key="people_split_confirm").check().run()
    assert not app.button(key="people_split_go").disabled
    app.query_params["person"] = "p-mei"
    app.run()
    assert app.title[0].value == "Mei Lin"
    assert not app.checkbox(key="people_split_confirm").value and app.button(key="people_split_go").disabled


def test_split_of_a_single_identity_is_a_message(db):
    app = page(PEOPLE, person="p-mei")
    app.checkbox(key="people_split_confirm").check().run()
    app.button(key="people_split_go").click().run()
    assert not app.exception
    assert "only one identity" in app.error[0].value


def test_a_rep_sets_and_clears_the_strength_of_a_relationship_they_keep(db):
    app = page(PEOPLE, person="p-raj")
    pick = app.selectbox(key="people_strength_pick")
    mei = next(i for i in pick.options if "Mei Lin" in i)
    pick.select(mei)  # options are shown by label
    app.number_input(key="people_strength_value").set_value(0.3)
    app.button(key="people_strength_set").click().run()
    assert not app.exception
    assert "set the strength with Mei Lin to 0.30" in app.success[0].value
    ties = details(app, "Pair strength")
    assert ties[ties["With"] == "Mei Lin"]["Pair strength"].iloc[0] == pytest.approx(0.3)
    assert [t.override for t in ties_of(db, "p-raj") if t.other_id == "p-mei"] == [0.3]

    app.button(key="people_strength_clear").click().run()
    assert not app.exception
    assert [t.override for t in ties_of(db, "p-raj") if t.other_id == "p-mei"] == [None]


# -- organisations -----------------------------------------------------------------------------------
def test_organisation_page_shows_people_and_warm_paths(db):
    app = page(ORGS, org="o-globex")
    assert app.title[0].value == "Globex"
    assert list(table(app, "org_people_now")["Name"]) == ["Mei Lin"]
    text = " ".join(m.value for m in app.markdown)
    assert "**1. Dana Whitfield** → Raj Patel → Mei Lin · ▰▰▱ medium" in text  # the path's tier: its weakest step's
    # One sentence in plain words, no "Weakest link", the score only in the details (two decimals).
    assert "Dana Whitfield's customer Raj Patel worked with Mei Lin." in text
    assert not any("Weakest link" in c.value for c in app.caption)
    with open_sqlite(db) as store:
        score = service.account_paths(store, "o-globex").paths[0]["score"]
    [details] = [e for e in app.expander if e.label.startswith("Details")]
    assert [c.value for c in details.caption] == [f"Score {score:.2f}."]

    app = page(ORGS, org="o-initech")
    assert sorted(table(app, "org_people_now")["Name"]) == ["José Martínez", "Raj Patel"]
    assert list(table(app, "org_people_past")["Name"]) == ["Mei Lin"]


def test_organisation_search_and_the_target_list(db):
    app = page(ORGS)
    assert list(table(app, "org_targets")["Organisation"]) == ["Globex"]
    app.text_input(key="org_q").input("initech.example").run()
    assert not app.exception
    rows = table(app, "org_results")
    assert list(rows["Organisation"]) == ["Initech"] and list(rows["Found by"]) == ["domain"]
    app.selectbox(key="org_results_open").select("o-initech").run()
    assert app.title[0].value == "Initech"


def test_an_unknown_organisation_id_is_an_error_message(db):
    app = page(ORGS, org="o-nope")
    assert not app.exception
    assert "No organisation with id 'o-nope'" in app.error[0].value
