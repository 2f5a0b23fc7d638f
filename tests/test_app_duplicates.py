"""The People page's "Possible duplicates" view in Streamlit's AppTest, on a real SQLite file holding the
invented contacts of tests/fixtures/duplicates (Dana's file shared with the team, Ruth's private)."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from graphapp import service
from tests.test_duplicates import DANA, RUTH, load, sam_ids

ROOT = Path(__file__).resolve().parents[1]
PEOPLE = "app_pages/people.py"


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "app.db"
    with service.open_graph(str(path)) as store:
        load(store, "dana_contacts.csv", DANA, visibility="team")
        load(store, "ruth_contacts.csv", RUTH, visibility="private")
        load(store, "team_contacts.csv", DANA, visibility="team")
    monkeypatch.setenv("GRAPHAPP_DB", str(path))
    st.cache_data.clear()
    st.cache_resource.clear()
    return path


def duplicates_page(as_rep: str) -> AppTest:
    app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    app.run()
    app.selectbox(key="graphapp_you_are").set_value(as_rep).run()  # local mode: who is looking
    app.switch_page(PEOPLE).run()
    app.button(key="people_dupes_open").click().run()
    assert not app.exception, app.exception
    assert app.title[0].value == "Possible duplicates"
    return app


def button_for(app: AppTest, kind: str, a: str, b: str):
    """The ``same`` or ``diff`` button of the pair of ``a`` and ``b`` (in either order)."""
    return next(x for x in app.button if x.key in (f"people_dupe_{kind}_{a}_{b}", f"people_dupe_{kind}_{b}_{a}"))


def text_of(app: AppTest) -> str:
    return "\n".join(m.value for m in [*app.markdown, *app.caption])


def ids_of(db: Path) -> dict[str, str]:
    with service.open_graph(str(db)) as store:
        return sam_ids(store)


def test_pairs_are_shown_side_by_side_and_different_people_is_remembered(db):
    ids = ids_of(db)
    app = duplicates_page(RUTH)  # Ruth sees her own private Sam and the team's
    first = button_for(app, "diff", ids["Globex"], ids["Acme Logistics"])  # the likeliest pair comes first
    assert [b.key for b in app.button if b.key.startswith("people_dupe_diff_")][0] == first.key
    shown = text_of(app)
    assert "same phone number; same location (Boston, MA)" in shown
    assert "Works at: Acme Logistics" in shown and "Works at: Globex" in shown and "Works at: no organisation known" in shown
    assert "E-mail: sreed@globex.example.com" in shown and "ruth_contacts.csv row 2" in shown
    assert "a split may not be able to undo a merge" in shown  # the pairs with Samuel, who has no e-mail
    first.click().run()
    assert not app.exception
    assert "apart: not proposed again" in app.success[0].value
    assert not any(ids["Globex"] in b.key and ids["Acme Logistics"] in b.key for b in app.button)
    assert "1 pair(s) decided to be different people are not shown." in text_of(app)
    with service.open_graph(str(db)) as store:
        [entry] = service.audit_log(store, action="keep-apart")
    assert sorted(entry.objects) == sorted((ids["Globex"], ids["Acme Logistics"]))


def test_another_reps_private_contact_is_not_shown(db):
    ids = ids_of(db)
    app = duplicates_page(DANA)
    keys = [b.key for b in app.button if b.key.startswith("people_dupe_")]
    assert keys and not any(ids["Globex"] in k for k in keys)  # Ruth's private Sam does not exist for Dana
    shown = text_of(app)
    assert "Works at: Acme Logistics" in shown  # Dana's own Sam is there, with his phone
    for secret in ("Globex", "sreed@globex.example.com", "(617) 555-0100", "ruth_contacts.csv"):
        assert secret not in shown


def test_a_rep_cannot_merge_across_reps_data(db):  # issue 20: merges across reps' data are an admin's
    ids = ids_of(db)
    app = duplicates_page(RUTH)  # her private Sam and Dana's shared one
    assert button_for(app, "same", ids["Globex"], ids["Acme Logistics"]).disabled
    assert not button_for(app, "diff", ids["Globex"], ids["Acme Logistics"]).disabled
    assert "Only an admin can merge these two" in text_of(app)


def test_same_person_merges_and_the_undo_splits_them_again(db):
    ids = ids_of(db)
    with service.open_graph(str(db)) as store:  # an admin who sees both Sams: Ruth shares hers
        service.add_rep(store, name="Ada Admin", email="ada@example.com", role="admin")
        service.set_person_visibility(store, ids["Globex"], RUTH, "team")
    app = duplicates_page("ada@example.com")
    button_for(app, "same", ids["Globex"], ids["Acme Logistics"]).click().run()
    assert not app.exception
    assert app.success[0].value == "Merged the two people named Sam Reed into one."  # no person ids on the page
    with service.open_graph(str(db)) as store:
        assert len(store.get_people([ids["Acme Logistics"], ids["Globex"]])) == 1
    app.button(key="people_dupes_undo_go").click().run()
    assert not app.exception
    assert app.success[0].value == "Split Sam Reed back into 2 people."
    with service.open_graph(str(db)) as store:
        emails = sorted(e for p in store.get_people(list(sam_ids(store).values())).values() for e in p.emails)
    assert emails == ["sam.reed@acme.example.com", "sreed@globex.example.com"]
