"""People and organisations through the service on a real SQLite file: search, a person's page, marks
(with evidence, undone exactly), an organisation's page; and speed on the demo network."""

from __future__ import annotations

import time
from datetime import date

import pytest

from graphapp import service
from graphapp.errors import InputError, NotFound
from graphapp.model import GraphBatch
from graphapp.store.sqlite.store import open_sqlite
from tests.conftest import BatchMaker, record, small_batch

TODAY = date(2026, 11, 23)


def extra_batch(import_id: str) -> GraphBatch:
    """People with accents, a nickname and no job, next to small_batch's Initech and Globex."""
    m = BatchMaker(import_id, file="more.csv", sha="sha-more")
    return GraphBatch(
        people=(m.person("p-jose", "José Martínez", "jose.martinez@example.com"),
                m.person("p-zoe", "Zoë Åberg", "zoe@example.org"),
                m.person("p-kate", "Katherine Ashdown", "kate@globex.example.com", title="CFO")),
        employments=(m.job("p-jose", "o-initech", title="Buyer"),
                     m.job("p-kate", "o-globex", title="CFO")),
    )


@pytest.fixture
def graph(tmp_path):
    store = open_sqlite(tmp_path / "people.db")
    for import_id, batch in (("i1", small_batch("i1")), ("i2", extra_batch("i2"))):
        with store.importing(record(import_id, minute=int(import_id[1:]))) as writer:
            writer.write(batch)
    yield store
    store.close()


def ids(rows) -> list[str]:
    return [r.id for r in rows]


# -- search ----------------------------------------------------------------------------------------
def test_search_finds_part_of_a_name_whatever_the_case(graph):
    rows = service.search_people(graph, "PAT")
    assert ids(rows) == ["p-raj"]
    assert (rows[0].name, rows[0].matched, rows[0].organization, rows[0].title) == \
        ("Raj Patel", "name", "Initech", "Controller")


def test_search_ignores_accents_both_ways(graph):
    assert ids(service.search_people(graph, "jose martinez")) == ["p-jose"]
    assert ids(service.search_people(graph, "MARTÍN")) == ["p-jose"]
    # Zoë has no job, so no name lookup key: found by the scan of names, folded.
    assert ids(service.search_people(graph, "zoe aberg")) == ["p-zoe"]
    assert ids(service.search_people(graph, "Åberg")) == ["p-zoe"]


def test_search_words_in_any_order_and_nicknames(graph):
    assert ids(service.search_people(graph, "patel raj")) == ["p-raj"]
    rows = service.search_people(graph, "Kate Ashdown")  # the nickname's name key
    assert ids(rows) == ["p-kate"] and rows[0].matched == "name"


def test_search_by_part_of_an_email(graph):
    rows = service.search_people(graph, "raj@initech")
    assert ids(rows) == ["p-raj"] and rows[0].matched == "e-mail"
    assert ids(service.search_people(graph, "mei@globex.example.com")) == ["p-mei"]


def test_search_by_company_lists_current_staff_before_former(graph):
    rows = service.search_people(graph, "initech")
    # Raj's e-mail is at initech too (a better match); José works there now, Mei worked there before.
    assert ids(rows) == ["p-raj", "p-jose", "p-mei"]
    assert [r.matched for r in rows] == ["e-mail", "company", "company"]


def test_search_of_nothing_finds_nothing_and_long_text_is_refused(graph):
    assert service.search_people(graph, "   ") == []
    assert service.search_people(graph, "nobody-by-this-name") == []
    with pytest.raises(InputError, match="at most 200"):
        service.search_people(graph, "x" * 201)


def test_search_organisations_by_name_and_domain(graph):
    assert [(r.id, r.matched) for r in service.search_organizations(graph, "glob")] == [("o-globex", "name")]
    rows = service.search_organizations(graph, "initech.example")
    assert [(r.id, r.matched, r.flags) for r in rows] == [("o-initech", "domain", ("customer",))]
    assert rows[0].known_now == 2  # Raj and José


# -- a person's page ---------------------------------------------------------------------------------
def test_person_page_shows_jobs_ties_with_the_rankings_strength_and_evidence(graph):
    page = service.person_page(graph, "p-raj", today=TODAY)
    assert [(j.org_name, j.title, j.current) for j in page.jobs] == [("Initech", "Controller", True)]
    by_other = {t.other_id: t for t in page.ties}
    assert set(by_other) == {"p-dana", "p-mei"}
    dana = by_other["p-dana"]
    assert (dana.kind, dana.owner, dana.owner_name, dana.owner_is_rep) == \
        ("customer", "dana@example.com", "Dana Whitfield", True)
    assert "contacts.csv row" in dana.evidence[0] and "import i1" in dana.evidence[0]
    assert "customer relationship" in dana.words and "14 messages both ways" in dana.words
    # The same strength the warm-path ranking uses for the hop Dana -> Raj.
    paths = service.account_paths(graph, "Globex", today=TODAY).paths
    hop = next(h for p in paths for h in p["hops"] if h["from"]["id"] == "p-dana" and h["to"]["id"] == "p-raj")
    assert dana.pair_strength == pytest.approx(hop["strength"], abs=1e-6)
    assert [(k.rep_email, round(k.strength, 6)) for k in page.known_by] == [("dana@example.com", hop["strength"])]


def test_person_page_of_an_unknown_id_says_not_found_and_what_to_do(graph):
    with pytest.raises(NotFound, match="No person with id 'p-nobody'.*Search for them"):
        service.person_page(graph, "p-nobody")


def test_a_rep_s_page_names_them_as_a_rep(graph):
    assert service.person_page(graph, "p-dana", today=TODAY).rep_email == "dana@example.com"


# -- marks -----------------------------------------------------------------------------------------
def test_mark_as_customer_adds_a_relationship_with_evidence_and_undo_removes_it(graph):
    before = graph.counts()
    rec = service.mark_person(graph, "p-kate", "Dana@Example.com", "customer", actor="tester")
    assert rec.kind == "app" and rec.actor == "tester" and dict(rec.counts)["relationships_added"] == 1
    assert service.list_imports(graph)[0].id == rec.id
    page = service.person_page(graph, "p-kate", today=TODAY)
    [tie] = page.ties
    assert (tie.other_id, tie.kind, tie.owner) == ("p-dana", "customer", "dana@example.com")
    assert tie.evidence == (f"People page row 1 (marked as customer), import {rec.id}: app on "
                            f"{rec.time:%Y-%m-%d} by tester",)
    assert tie.strength is not None and tie.strength >= 0.7  # a customer's base strength
    assert [k.rep_email for k in page.known_by] == ["dana@example.com"]

    service.undo_import(graph, rec.id)
    assert service.person_page(graph, "p-kate", today=TODAY).ties == ()
    assert graph.counts().relationships == before.relationships


def test_mark_on_an_existing_relationship_keeps_it_after_undo(graph):
    rec = service.mark_person(graph, "p-raj", "dana@example.com", "customer")
    [tie] = [t for t in service.person_page(graph, "p-raj").ties if t.other_id == "p-dana"]
    assert len(tie.evidence) == 2
    service.undo_import(graph, rec.id)
    [tie] = [t for t in service.person_page(graph, "p-raj").ties if t.other_id == "p-dana"]
    assert len(tie.evidence) == 1 and "import i1" in tie.evidence[0]


def test_mark_as_influencer_needs_and_keeps_a_profession(graph):
    with pytest.raises(InputError, match="needs a profession"):
        service.mark_person(graph, "p-jose", "dana@example.com", "influencer", profession="  ")
    service.mark_person(graph, "p-jose", "dana@example.com", "influencer", profession=" CPA ")
    [tie] = service.person_page(graph, "p-jose").ties
    assert (tie.kind, tie.profession) == ("influencer", "CPA")


def test_mark_refuses_bad_input_and_changes_nothing(graph):
    before = graph.digest()
    with pytest.raises(InputError, match="customer, influencer or partner"):
        service.mark_person(graph, "p-jose", "dana@example.com", "friend")
    with pytest.raises(InputError, match="No rep has the e-mail raj@initech.example.com"):
        service.mark_person(graph, "p-jose", "raj@initech.example.com", "partner")
    with pytest.raises(NotFound, match="p-nobody"):
        service.mark_person(graph, "p-nobody", "dana@example.com", "partner")
    with pytest.raises(InputError, match="Dana Whitfield is the rep"):
        service.mark_person(graph, "p-dana", "dana@example.com", "partner")
    assert graph.digest() == before and len(service.list_imports(graph)) == 2


# -- an organisation's page -------------------------------------------------------------------------
def test_organization_page_lists_people_now_and_before_and_the_warm_paths(graph):
    page = service.organization_page(graph, "o-initech", today=TODAY)
    assert page.org.name == "Initech" and page.org.is_customer
    assert ids(page.current) == ["p-jose", "p-raj"]  # by name
    assert [(r.id, r.organization) for r in page.past] == [("p-mei", "Globex")]
    globex = service.organization_page(graph, "o-globex", today=TODAY)
    assert ids(globex.current) == ["p-kate", "p-mei"]
    assert globex.paths.paths and globex.paths.paths[0]["rep"]["id"] == "p-dana"
    assert "Weakest link" in globex.paths.paths[0]["explanation"]


def test_organization_page_of_an_unknown_id_says_not_found(graph):
    with pytest.raises(NotFound, match="No organisation with id 'o-nope'"):
        service.organization_page(graph, "o-nope")


def test_target_organizations_lists_the_targets(graph):
    assert [(r.id, r.flags) for r in service.target_organizations(graph)] == [("o-globex", ("target",))]


# -- the demo network -------------------------------------------------------------------------------
@pytest.fixture
def demo(demo_file):
    with open_sqlite(demo_file, create=False) as store:  # read only: the session's demo file is shared
        yield store


def test_pages_answer_within_a_second_on_the_demo_after_the_first_load(demo):
    rep = service.list_reps(demo)[0]
    target = service.target_organizations(demo)[0]
    service.person_page(demo, rep.person_id)  # the first load builds the view and the path index
    for call in (lambda: service.search_people(demo, "a"), lambda: service.search_people(demo, "example.com"),
                 lambda: service.person_page(demo, rep.person_id),
                 lambda: service.organization_page(demo, target.id),
                 lambda: service.search_organizations(demo, "e")):
        start = time.perf_counter()
        call()
        assert time.perf_counter() - start < 1.0
    assert len(service.search_people(demo, "a")) == 50
    assert service.person_page(demo, rep.person_id).ties  # a rep knows many people
