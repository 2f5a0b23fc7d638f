"""The Account page in AppTest on the demo network: ranked paths, filters, drawings, intro requests."""

from __future__ import annotations

import re
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from graphapp import service
from graphapp.domain.tie_labels import TIERS

ROOT = Path(__file__).resolve().parents[1]


def account_page(account: str | None = None) -> AppTest:
    app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60).run()  # run first: pages have url paths
    app.switch_page("app_pages/account.py")
    if account:
        app.query_params["account"] = account
    return app.run()


def best_account(db) -> tuple[str, dict]:
    """The first target account and its paths as the page's first pick of "You are" sees them (local mode
    never picks an admin: the demo's first rep who is not one)."""
    with service.open_graph(str(db), create=False) as store:
        row = service.target_rows(store)[0]
        viewer = service.local_viewer(store, service.default_local_rep(service.list_reps(store)))
        return row.id, service.account_paths(store, row.id, viewer=viewer).as_dict()


DECIMAL = re.compile(r"(?<![\w.])\d\.\d+")  # "0.649", "0.4": a number a rep should not have to read on a card


def texts_outside_the_details(app: AppTest) -> list[str]:
    """Every Markdown and caption text of the page that is not inside an expander (the details view)."""
    inside = [e.value for x in app.expander for e in (*x.markdown, *x.caption)]
    texts = [e.value for e in (*app.main.markdown, *app.main.caption)]
    for text in inside:
        texts.remove(text)
    return texts


def test_the_page_shows_the_services_ranking_with_drawings_and_drafts(app_db):
    account, expected = best_account(app_db)
    app = account_page(account)
    assert not app.exception
    viewer = app.session_state["graphapp_viewer"][0]
    assert app.selectbox(key="account_pick").value == account
    assert app.subheader[0].value == expected["account"]["name"]
    # One plain sentence per path, in the order shown (the viewer's own first), each path's tier as a bar.
    shown = service.own_paths_first(expected["paths"], viewer)
    sentences = {p["sentence"] for p in shown}
    assert [m.value for m in app.markdown if m.value in sentences] == [p["sentence"] for p in shown]
    bars = [m.value for m in app.markdown if m.value[:1] in "▰▱" and m.value.split(" ", 1)[-1] in TIERS]
    assert bars == [service.tier_bar(p["tier"]) for p in shown]
    assert len(app.get("graphviz_chart")) == 1  # the overview of every path, with its legend
    overview = app.get("graphviz_chart")[0].proto.spec
    assert overview == service.paths_dot(shown, expected["account"]["name"], you=viewer)
    assert "cluster_legend" in overview and all(p["hops"][0]["to"]["name"] in overview for p in shown)
    assert not any(p["target"]["id"] in overview for p in shown)  # no id in the drawing (a browser shows it on hover)
    second = shown[1]
    app.toggle(key=f"account_draw_{account}_{second['rank']}").set_value(True).run()
    [_, alone] = app.get("graphviz_chart")
    assert alone.proto.spec == service.paths_dot([second], expected["account"]["name"], you=viewer)
    first = expected["paths"][0]
    draft = app.text_area(key=f"account_draft_{account}_1").value
    to = first["hops"][0]["to"]["name"]  # a hidden contact is asked through the rep who knows them
    asked = to.removeprefix("a contact of ") if to.startswith("a contact of ") else to
    assert draft.startswith(f"Hi {asked.split()[0]},")


def test_filters_narrow_the_paths(app_db):
    account, expected = best_account(app_db)
    app = account_page(account)
    rep = expected["paths"][0]["rep"]["email"]
    app.selectbox(key="account_rep").set_value(rep).run()
    app.slider(key="account_max_hops").set_value(1).run()
    assert not app.exception
    with service.open_graph(str(app_db), create=False) as store:
        narrowed = service.account_paths(store, account, rep=rep, max_hops=1).as_dict()["paths"]
    titles = [m.value for m in app.markdown if m.value.startswith("**") and "→" in m.value]
    assert len(titles) == len(narrowed) >= 1
    assert all(t.count("→") == 1 for t in titles)
    assert all(t.startswith(f"**{i}. {expected['paths'][0]['rep']['name']}**") for i, t in enumerate(titles, 1))


def test_recording_an_intro_request_keeps_it_and_refuses_a_second_open_one(app_db):
    account, _ = best_account(app_db)
    app = account_page(account)
    me = app.session_state["graphapp_viewer"][0]  # a rep records their own requests (issue 20): paths from them
    with service.open_graph(str(app_db), create=False) as store:
        expected = service.account_paths(store, account, rep=me, viewer=service.viewer_for(store, me)).as_dict()
    app.selectbox(key="account_rep").set_value(me).run()
    app.button(key=f"account_draft_{account}_1_record").click().run()
    assert not app.exception
    assert "Recorded:" in app.success[0].value
    with service.open_graph(str(app_db), create=False) as store:
        [intro] = service.list_intros(store, account_id=account)
    assert intro.id not in app.success[0].value  # no internal id on the page
    first = expected["paths"][0]
    assert (intro.state.value, intro.connector_id, intro.target_id) == ("requested", first["hops"][0]["to"]["id"],
                                                                       first["target"]["id"])
    assert list(app.dataframe[-1].value["Status"]) == ["requested"]
    app.button(key=f"account_draft_{account}_1_record").click().run()
    assert not app.exception
    assert "already has an open request" in app.error[0].value


def test_an_unknown_account_is_a_message_with_suggestions(app_db):
    app = account_page()
    app.text_input(key="account_other").set_value("Zzqx Nonexistent").run()
    assert not app.exception
    assert "No account matches 'Zzqx Nonexistent'." in app.error[0].value


def test_an_empty_graph_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("GRAPHAPP_DB", str(tmp_path / "empty.db"))
    st.cache_resource.clear()
    app = account_page()
    assert not app.exception
    assert "No target accounts yet" in app.info[0].value


def test_the_page_marks_champions_who_moved_with_the_sentence_and_a_badge_on_their_paths(app_db):
    with service.open_graph(str(app_db), create=False) as store:
        viewer = service.local_viewer(store, service.default_local_rep(service.list_reps(store)))
        champion = service.moved_champions(store, viewer=viewer)[0]
        paths = service.account_paths(store, champion.account_id, rep=viewer.email, top=50, viewer=viewer).as_dict()["paths"]
    app = account_page(champion.account_id)
    app.selectbox(key="account_rep").set_value(viewer.email)
    app.number_input(key="account_top").set_value(50).run()
    assert not app.exception
    assert champion.sentence.startswith(f"{champion.person['name']}, your ")  # the local pick's own contact
    assert any(champion.sentence in m.value for m in app.markdown)
    badges = [m.value for m in app.markdown if "-badge[" in m.value and "who moved]" in m.value]
    marked = sum(p["target"]["id"] == champion.person["id"] for p in paths)
    assert marked >= 1 and len(badges) == 1 + marked  # the box above, and each path into the champion


def test_cards_show_tiers_and_sentences_and_keep_numbers_in_the_details(app_db):
    account, expected = best_account(app_db)
    app = account_page(account)
    outside = texts_outside_the_details(app)
    assert [t for t in outside if DECIMAL.search(t)] == []  # no "0.649" on a card: tiers and words
    assert not any("Weakest link" in t or "relevance" in t for t in outside)
    assert not app.metric  # the score is no longer a number beside the title
    details = [x for x in app.expander if x.label == "Details, drawing and intro request"]
    assert len(details) == len(expected["paths"])
    scores = [c.value for x in details for c in x.caption if c.value.startswith("Score ")]
    shown = service.own_paths_first(expected["paths"], app.session_state["graphapp_viewer"][0])
    # Numbers only here, all in one format: two decimals.
    assert [s.split(",")[0] for s in scores] == [f"Score {p['score']:.2f}" for p in shown]
    steps = " ".join(m.value for x in details for m in x.markdown)
    assert re.findall(r"strength (\d\.\d+)", steps) and all(len(n) == 4 for n in re.findall(r"strength (\d\.\d+)\)", steps))


def test_the_viewers_own_paths_come_first_and_are_marked(app_db):
    """On an account where the viewer's best path is not the best of all, theirs lead, marked "Your path",
    then everyone else's in rank order; the drawing marks the viewer's node."""
    def mixed(store, me):
        """An account whose best path is another rep's, with a path of ``me``'s further down."""
        viewer = service.viewer_for(store, me)
        for row in service.target_rows(store, viewer=viewer):
            paths = service.account_paths(store, row.id, viewer=viewer).as_dict()["paths"]
            if paths and paths[0]["rep"]["email"] != me and any(p["rep"]["email"] == me for p in paths):
                return row.id, paths
        return None

    with service.open_graph(str(app_db), create=False) as store:
        me, (account, paths) = next((r.email, found) for r in service.list_reps(store) if r.role == "rep"
                                    for found in [mixed(store, r.email)] if found)
    app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60).run()
    app.selectbox(key="graphapp_you_are").set_value(me).run()
    app.switch_page("app_pages/account.py")
    app.query_params["account"] = account
    app.run()
    assert not app.exception
    titles = [m.value for m in app.markdown if m.value.startswith("**") and "→" in m.value]
    mine = [p for p in paths if p["rep"]["email"] == me]
    others = [p for p in paths if p["rep"]["email"] != me]
    assert [int(t[2:].split(".")[0]) for t in titles] == [p["rank"] for p in mine + others]
    assert [p["rank"] for p in others] == sorted(p["rank"] for p in others)
    badges = [m.value for m in app.markdown if "-badge[" in m.value and "Your path" in m.value]
    assert len(badges) == len(mine) >= 1
    name = mine[0]["rep"]["name"]
    assert f"{name} (you)" in app.get("graphviz_chart")[0].proto.spec
