"""Champions who moved through the service, the CLI and the exports: an older CRM row makes Raj Dana's
customer contact at Initech, a newer LinkedIn connection puts him at Globex, one of Dana's targets.
Invented files, imported for real into a SQLite file."""

from __future__ import annotations

import json
from datetime import date

import pytest

from graphapp import service
from graphapp.cli import main
from graphapp.domain.privacy import Viewer
from graphapp.model import GraphBatch, RelationshipKind, Rep, Visibility
from graphapp.store.sqlite.store import open_sqlite
from tests.conftest import BatchMaker, record

DANA, RUTH = "dana@example.com", "ruth@example.com"
RAJ_LINE = "Raj Patel, your customer contact at Initech until 2024, is now VP Operations at Globex, one of your targets."
HUBSPOT = ("Record ID,First Name,Last Name,Email,Contact owner,Associated Company,Job Title,Lifecycle Stage,Lead Status,"
           "Last Activity Date,Create Date,LinkedIn URL\n101,Raj,Patel,raj.patel@initech.example.com,Dana Whitfield,Initech,"
           "Controller,customer,,2024-09-12 09:14,2022-03-01 09:14,https://www.linkedin.com/in/raj-patel-example\n")
CONNECTIONS = ('Notes:\n"An export"\n\nFirst Name,Last Name,URL,Email Address,Company,Position,Connected On\n'
               "Raj,Patel,https://www.linkedin.com/in/raj-patel-example,,Globex,VP Operations,03 Feb 2026\n")
TARGETS = "account,domain,owner_rep_email,priority\nGlobex,globex.example.com,dana@example.com,high\n"


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "g.db"
    with service.open_graph(str(path)) as store:
        service.add_rep(store, name="Dana Whitfield", email=DANA)
        for name, text in (("targets.csv", TARGETS), ("hubspot-crm-exports-all-contacts.csv", HUBSPOT),
                           ("Connections.csv", CONNECTIONS)):
            (tmp_path / name).write_text(text, encoding="utf-8")
            assert service.import_files(store, [tmp_path / name], owner=DANA).committed
    return path


def test_the_relationship_keeps_its_kind_after_the_job_change_and_the_path_ranks_with_it(db):
    with service.open_graph(str(db), create=False) as store:
        raj = service.search_people(store, "Raj Patel")[0].id
        kinds = {r.kind for r in store.relationships_of(raj)}
        assert RelationshipKind.CUSTOMER in kinds
        jobs = {j.org_id: j.current for j in store.employments_of(raj)}
        view = service.graph_view(store)
        assert sorted(view.org_names[view.org_index[o]] for o in jobs) == ["Globex", "Initech"]
        [first, *_] = service.account_paths(store, "globex.example.com").as_dict()["paths"]
    assert first["target"]["name"] == "Raj Patel" and [h["kind"] for h in first["hops"]] == ["customer"]


def test_the_account_page_marks_the_champion_for_whoever_may_see_the_relationship(db):
    with service.open_graph(str(db), create=False) as store:
        [mine] = service.moved_champions(store, account="globex.example.com", viewer=Viewer(DANA))
        assert mine.sentence == "Raj Patel, your customer contact at Initech until 2024, is now VP Operations at Globex."
        assert (mine.kind, mine.old_org, mine.until, mine.reps) == ("customer", "Initech", 2024, (DANA,))
        [team] = service.moved_champions(store)
        assert team.sentence.startswith("Raj Patel, Dana Whitfield's customer contact at Initech until 2024")
        service.add_rep(store, name="Ruth Okafor", email=RUTH)
        assert service.moved_champions(store, viewer=Viewer(RUTH)) == []  # Dana's contact, existence only


def test_the_weekly_list_opens_with_the_champion_and_suggests_no_introduction_to_them(db):
    with service.open_graph(str(db), create=False) as store:
        data = service.weekly_lists(store, week="2026-W10", record=False).as_dict()
    [dana] = data["reps"]
    first = dana["items"][0]
    assert (first["kind"], first["reason"]) == ("champion", RAJ_LINE)
    assert [h["kind"] for h in first["path"]["hops"]] == ["customer"] and first["score"] > 0
    assert first["draft"].startswith("Hi Raj,\n\nCongratulations on your new role as VP Operations at Globex!")
    others = dana["items"][1:]
    assert not any(i["kind"] == "intro" and i["path"]["target"]["name"] == "Raj Patel" for i in others)
    assert not any("moved to" in i["reason"] for i in others)  # the cadence's job-move line is not repeated


def test_the_cli_prints_the_champion_in_text_and_json(db, capsys):
    assert main(["--db", str(db), "weekly", "--week", "2026-W10", "--dry-run", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["reps"][0]["items"][0]["reason"] == RAJ_LINE
    assert main(["--db", str(db), "weekly", "--week", "2026-W10", "--dry-run"]) == 0
    text = capsys.readouterr().out
    assert "Champions who moved:\n- Raj Patel, your customer contact at Initech until 2024" in text
    assert text.index("Champions who moved") < text.index("Cadence")
    html = service.weekly_html(data, data["reps"][0]["rep"], data["reps"][0]["items"])
    assert "<h2>Champions who moved</h2>" in html and "Congratulations on your new role" in html


def _team(visibility: Visibility) -> GraphBatch:
    """Dana keeps Raj (at Globex now, at Initech before) as a customer with ``visibility``; Ruth reaches Raj
    through Zoe, a partner of hers."""
    m = BatchMaker("i1", owner=DANA)
    r = BatchMaker("i1", owner=RUTH)
    return GraphBatch(
        organizations=(m.org("o-initech", "Initech", is_customer=True), m.org("o-globex", "Globex", is_target=True)),
        people=(m.person("p-dana", "Dana Whitfield", DANA), r.person("p-ruth", "Ruth Okafor", RUTH),
                m.person("p-raj", "Raj Patel", "raj@globex.example.com"), r.person("p-zoe", "Zoe Quinn", "zoe@example.com")),
        reps=(Rep(DANA, "p-dana", "Dana Whitfield"), Rep(RUTH, "p-ruth", "Ruth Okafor")),
        employments=(m.job("p-raj", "o-initech", title="Controller", current=False, end=date(2024, 5, 1)),
                     m.job("p-raj", "o-globex", title="VP Operations", start=date(2024, 6, 1))),
        relationships=(m.tie("p-dana", "p-raj", RelationshipKind.CUSTOMER, visibility=visibility, count_out=4, count_in=4,
                             last_interaction=date(2026, 1, 10)),
                       r.tie("p-ruth", "p-zoe", RelationshipKind.PARTNER, count_out=5, count_in=5),
                       r.tie("p-zoe", "p-raj", RelationshipKind.MET, count_out=2, count_in=2)),
    )


@pytest.mark.parametrize("visibility", [Visibility.PRIVATE, Visibility.TEAM])
def test_a_private_champion_stays_on_its_reps_list_and_never_changes_a_teammates(tmp_path, visibility):
    store = open_sqlite(tmp_path / "g.db")
    with store.importing(record("i1")) as writer:
        writer.write(_team(visibility))
    try:
        lists = {r.rep["email"]: r.items for r in service.weekly_lists(store, week="2026-W10", record=False).reps}
    finally:
        store.close()
    assert [i.reason for i in lists[DANA] if i.kind == "champion"] == [
        "Raj Patel, your customer contact at Initech until 2024, is now VP Operations at Globex, one of your targets."]
    assert [i.kind for i in lists[RUTH]].count("champion") == 0
    ruth_intros = [i.path["target"]["name"] for i in lists[RUTH] if i.kind == "intro"]
    # Shared: Raj is Dana's this week. Private: Ruth's list is what it would be without Dana's relationship.
    assert ruth_intros == ([] if visibility is Visibility.TEAM else ["Raj Patel"])
