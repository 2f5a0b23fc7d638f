"""Privacy between reps in the service layer: others' private relationships never reach a rep's
results, existence-only contacts are masked, and unique canary strings never leak (PRIV-1..3, EXP-3)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from graphapp import service
from graphapp.errors import NotFound
from graphapp.export.weekly import weekly_csv, weekly_html
from graphapp.model import GraphBatch, RelationshipKind, Rep, Visibility
from graphapp.store.sqlite.store import open_sqlite
from tests.cli import run
from tests.conftest import BatchMaker, record

DANA, GRACE = "dana@example.com", "grace@example.com"
CANARIES = ("Zqxprivate", "zqx-private@canary.example.com", "Zqxexist", "zqx-exist@canary.example.com",
            "linkedin.com/in/zqx-exist", "Zqx Secret Title")
K = RelationshipKind


def build(path, *, with_private: bool = True) -> str:
    """Dana and Grace are reps. Dana keeps a private contact (Pia) at Globex and an existence-only one
    (Eve) at Initech; Grace shares a contact (Carl) whom Dana says knows Eve (existence only). Without
    the private relationships, Pia (whom only they name) is not there either."""
    m = BatchMaker("i1")
    pia = (m.person("p-pia", "Pia Zqxprivate", "zqx-private@canary.example.com", title="Zqx Secret Title"),)
    people = (m.person("p-dana", "Dana Whitfield", DANA), m.person("p-grace", "Grace Achterberg", GRACE),
              *(pia if with_private else ()),
              m.person("p-eve", "Eve Zqxexist", "zqx-exist@canary.example.com",
                       linkedin_url="https://www.linkedin.com/in/zqx-exist"),
              m.person("p-carl", "Carl Shared", "carl@shared.example.com"),
              m.person("p-mo", "Mo Open", "mo@globex.example.com"))
    ties = [m.tie("p-dana", "p-eve", K.CUSTOMER, visibility=Visibility.EXISTENCE, count_out=5, count_in=4,
                  last_interaction=date(2026, 10, 1)),
            m.tie("p-carl", "p-eve", K.KNOWS, visibility=Visibility.EXISTENCE),
            m.tie("p-grace", "p-carl", K.PARTNER, owner=GRACE, visibility=Visibility.TEAM),
            m.tie("p-grace", "p-mo", K.MET, owner=GRACE, visibility=Visibility.TEAM)]
    if with_private:
        ties += [m.tie("p-dana", "p-pia", K.CUSTOMER, visibility=Visibility.PRIVATE, count_out=9, count_in=9),
                 m.tie("p-carl", "p-pia", K.KNOWS, visibility=Visibility.PRIVATE),
                 m.tie("p-mo", "p-pia", K.KNOWS, visibility=Visibility.PRIVATE)]
    batch = GraphBatch(
        organizations=(m.org("o-globex", "Globex", domains=("globex.example.com",), is_target=True),
                       m.org("o-initech", "Initech", domains=("initech.example.com",), is_target=True)),
        people=people, reps=(Rep(DANA, "p-dana", "Dana Whitfield"), Rep(GRACE, "p-grace", "Grace Achterberg")),
        employments=((m.job("p-pia", "o-globex", title="VP Finance"),) if with_private else ()) + (
            m.job("p-eve", "o-initech", title="CFO"), m.job("p-mo", "o-globex", title="Analyst")),
        relationships=tuple(ties))
    with open_sqlite(path) as store, store.importing(record("i1")) as w:
        w.write(batch)
    return str(path)


@pytest.fixture
def db(tmp_path):
    return build(tmp_path / "g.db")


def everything_grace_sees(db) -> str:
    with service.open_graph(db, create=False) as store:
        grace = service.viewer_for(store, GRACE)
        out = [service.account_paths(store, a, viewer=grace).as_dict() for a in ("Globex", "Initech")]
        out.append(service.coverage(store, viewer=grace).as_dict())
        out.append([r.__dict__ for r in service.target_rows(store, viewer=grace)])
        out.append([r.__dict__ for r in service.search_people(store, "zqx", viewer=grace)])
        out.append([r.__dict__ for r in service.search_people(store, "e", viewer=grace)])
        for org in ("o-globex", "o-initech"):
            page = service.organization_page(store, org, viewer=grace)
            out.append([r.__dict__ for r in (*page.current, *page.past)])
            out.append(page.paths.as_dict())
        carl = service.person_page(store, "p-carl", viewer=grace)
        out.append([t.__dict__ for t in carl.ties])
        weekly = service.weekly_lists(store, week="2026-W49", rep=GRACE, record=False).as_dict()
        out.append(weekly)
        text = json.dumps(out, default=str)
        return text + weekly_csv(weekly) + weekly_html(weekly, weekly["reps"][0]["rep"], weekly["reps"][0]["items"])


def test_no_canary_of_danas_hidden_contacts_reaches_grace(db):
    seen = everything_grace_sees(db)
    assert "a contact of Dana Whitfield" in seen  # Grace learns a path exists and whom to ask
    for canary in CANARIES:
        assert canary.lower() not in seen.lower(), canary
    with service.open_graph(db, create=False) as store:
        grace = service.viewer_for(store, GRACE)
        for hidden in ("p-pia", "p-eve"):
            with pytest.raises(NotFound, match=f"No person with id '{hidden}'"):
                service.person_page(store, hidden, viewer=grace)


def test_grace_ranks_through_danas_existence_contact_but_never_her_private_one(db):
    with service.open_graph(db, create=False) as store:
        grace = service.viewer_for(store, GRACE)
        initech = service.account_paths(store, "Initech", viewer=grace).as_dict()["paths"]
        globex = service.account_paths(store, "Globex", viewer=grace).as_dict()["paths"]
    # Dana's own direct path shows, masked: Grace can ask Dana. Grace's path runs through her partner Carl.
    assert [[h["from"]["name"], *(h["to"]["name"] for h in p["hops"])] for p in initech for h in p["hops"][:1]] == [
        ["Dana Whitfield", "a contact of Dana Whitfield"],
        ["Grace Achterberg", "Carl Shared", "a contact of Dana Whitfield"]]
    assert all(p["target"]["id"].startswith("hidden-") and p["target"]["email"] is None for p in initech)
    assert initech[1]["hops"][1]["evidence"] == ["knows, kept by Dana Whitfield: details private, ask Dana Whitfield "
                                                 f"(strength {initech[1]['hops'][1]['strength']:.2f})"]
    assert [p["target"]["id"] for p in globex] == ["p-mo"]  # Pia (private to Dana) is not reachable for Grace


def test_graces_results_are_identical_without_danas_private_relationships(tmp_path):
    with_private, without = build(tmp_path / "a.db"), build(tmp_path / "b.db", with_private=False)
    assert everything_grace_sees(with_private) == everything_grace_sees(without)


def test_dana_sees_her_own_contacts_in_full(db):
    with service.open_graph(db, create=False) as store:
        dana = service.viewer_for(store, DANA)
        paths = service.account_paths(store, "Globex", viewer=dana).as_dict()["paths"]
        assert paths[0]["target"] == {"id": "p-pia", "name": "Pia Zqxprivate", "linkedin_url": None,
                                      "email": "zqx-private@canary.example.com", "title": "VP Finance"}
        assert sorted(r.id for r in service.search_people(store, "zqx", viewer=dana)) == ["p-eve", "p-pia"]


def test_the_cli_as_a_rep_shows_that_reps_view(db):
    data = run("paths", "--account", "Initech", "--as", GRACE, "--json", "--db", db, check=True).stdout
    assert "a contact of Dana Whitfield" in data and "Zqxexist" not in data
    everything = run("paths", "--account", "Initech", "--json", "--db", db, check=True).stdout
    assert "Eve Zqxexist" in everything  # whoever holds the database file sees all of it
    bad = run("paths", "--account", "Initech", "--as", "nobody@example.com", "--db", db)
    assert bad.returncode == 1 and "No rep has the e-mail nobody@example.com" in bad.stderr


def test_a_rep_changes_who_sees_a_contact_and_every_view_follows(db):
    def grace_initech():
        out = run("paths", "--account", "Initech", "--as", GRACE, "--json", "--db", db, check=True).stdout
        return json.loads(out)["paths"]

    assert len(grace_initech()) == 2
    done = run("visibility", "p-eve", "private", "--rep", DANA, "--db", db, check=True)
    assert "dana@example.com: 2 relationship(s) with p-eve are now private." in done.stdout  # hers and Carl's
    assert grace_initech() == []  # for Grace, Eve is no longer there at all
    run("visibility", "p-eve", "team", "--rep", DANA, "--db", db, check=True)
    assert any(p["target"]["name"] == "Eve Zqxexist" for p in grace_initech())
    bad = run("visibility", "p-eve", "team", "--rep", GRACE, "--db", db)
    assert bad.returncode == 1 and "grace@example.com keeps no relationship with p-eve." in bad.stderr


def test_only_the_keeping_rep_or_an_admin_changes_who_sees_a_contact(db):
    from graphapp.domain.privacy import Viewer
    from graphapp.errors import NotAllowed

    with service.open_graph(db, create=False) as store:
        with pytest.raises(NotAllowed, match="Only the rep who keeps a relationship"):
            service.set_person_visibility(store, "p-eve", DANA, "team", viewer=Viewer(GRACE, "rep"))
        assert service.set_person_visibility(store, "p-eve", DANA, "team", viewer=Viewer(DANA, "rep")) == 2
        assert service.set_person_visibility(store, "p-eve", DANA, "private", viewer=Viewer(GRACE, "admin")) == 2
