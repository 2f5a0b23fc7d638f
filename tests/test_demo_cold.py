"""The demo network's cold evidence (issue 21, item 6): CRM leads a rep owns but never reached, people
known only from an unanswered or declined invitation, a cold InMail or a pending outgoing invitation.
They are in the graph (search finds them, a lead's page shows its CRM owner), and no path, coverage
figure or weekly list rests on them; the weak ties (pending incoming invitations, inbound-only messages)
are relationships, weaker than a conversation."""

from __future__ import annotations

from collections import Counter
from datetime import date
from statistics import median

import pytest

from graphapp import service
from graphapp.demo import build_demo
from graphapp.domain.privacy import Viewer, hidden_id
from graphapp.model import KIND_ORDER, RelationshipKind
from graphapp.store.sqlite.store import open_sqlite

TODAY = date(2026, 11, 23)
COLD_FACTS = {"crm-contact", "meeting", "message", "invitation"}  # the importers' names for these rows
K = RelationshipKind


@pytest.fixture(scope="module")
def batch():
    return build_demo("demo-import", seed=2026, today=TODAY).batch


@pytest.fixture(scope="module")
def store(tmp_path_factory, batch):
    store = open_sqlite(tmp_path_factory.mktemp("cold") / "demo.db")
    service.load_demo(store, seed=2026, today=TODAY)
    yield store
    store.close()


@pytest.fixture(scope="module")
def cold(batch) -> dict[str, str]:
    """Person id -> the fact that made them known, for people known only from cold evidence: no
    relationship but a CRM owner's."""
    related = {end for a in batch.relationships if a.value.kind is not K.OWNER
               for end in (a.value.source_id, a.value.target_id)}
    return {a.value.id: a.evidence.fact for a in batch.people
            if a.evidence.fact in COLD_FACTS and a.value.id not in related}


@pytest.fixture(scope="module")
def owner_ties(batch):
    return [a for a in batch.relationships if a.value.kind is K.OWNER]


def test_every_rep_has_each_kind_of_cold_evidence(batch, cold, owner_ties):
    reps = {r.email for r in batch.reps}
    assert Counter(cold.values()) == {"crm-contact": 24, "meeting": 16, "message": 16, "invitation": 8}
    people = {a.value.id: a for a in batch.people}
    for fact in ("meeting", "message", "invitation"):  # the rep's own calendar, messages, invitations
        assert {people[pid].evidence.owner for pid, f in cold.items() if f == fact} == reps
    # Leads never reached: no interactions, kept by each rep, with the CRM's fact.
    assert len(owner_ties) == 76 and {a.value.owner for a in owner_ties} == reps
    assert all(a.evidence.fact == "crm-contact" and a.value.count_out == a.value.count_in == 0
               and a.value.last_interaction is None for a in owner_ties)
    # Among the leads: people at target accounts, and the consultant who alone knows the three accounts
    # nobody reaches (a path over a lead would cover them).
    targets = {a.value.id for a in batch.organizations if a.value.is_target}
    at_target = {a.value.person_id for a in batch.employments if a.value.current and a.value.org_id in targets}
    leads = {a.value.target_id for a in owner_ties}
    assert len(leads & at_target) >= 40 and "p-consultant" in leads
    assert {"p-unreached-0-0", "p-unreached-1-1"} <= leads
    # Weak ties: pending incoming invitations, messages that only came in.
    invited = [a.value for a in batch.relationships if a.value.kind is K.INVITED]
    inbound = [a.value for a in batch.relationships
               if a.value.kind is K.MESSAGED and a.value.count_out == 0 and a.value.count_in > 0]
    assert len(invited) == 16 and all(r.target_id.startswith("rep") for r in invited)
    assert len(inbound) >= 24 and {r.owner for r in invited} == reps


def test_the_cold_people_are_in_the_graph_and_a_lead_shows_its_crm_owner(store, batch, cold, owner_ties):
    people = {a.value.id: a.value for a in batch.people}
    for pid in cold:
        found = service.search_people(store, people[pid].name, limit=50)
        assert pid in {row.id for row in found}, people[pid].name
    leads = [a.value for a in owner_ties if a.value.target_id in cold]
    assert len(leads) == 24
    for lead in leads:
        page = service.person_page(store, lead.target_id, today=TODAY, viewer=Viewer(lead.owner))
        assert [(t.kind, t.owner, t.strength) for t in page.ties] == [("owner", lead.owner, 0.0)]
        assert page.known_by == ()  # the owner in the CRM does not know them
        assert page.jobs and page.jobs[0].current


def test_no_path_into_any_target_account_rests_on_cold_evidence(store, cold):
    data = service.coverage(store, today=TODAY).as_dict()
    assert len(data["accounts"]) == 43
    # Two reps own a lead at the accounts nobody reaches, and the consultant who knows them all.
    assert data["uncovered"] == 3 and data["meet_next"][0]["id"] == "p-consultant"
    paths = [p for account in data["accounts"]
             for p in service.account_paths(store, account["id"], today=TODAY, top=50).paths]
    assert len(paths) > 1000
    for path in paths:
        assert all(hop["kind"] != "owner" for hop in path["hops"]), path["explanation"]
        between = [hop["to"]["id"] for hop in path["hops"][:-1]]
        assert not set(between) & set(cold), path["explanation"]
    kinds = Counter(hop["kind"] for path in paths for hop in path["hops"])
    assert kinds["owner"] == 0 and kinds["knows"] > 0


def test_no_weekly_list_names_a_cold_person_or_rests_on_a_crm_owner(store, cold):
    result = service.weekly_lists(store, record=False, today=TODAY)
    assert len(result.reps) == 8
    cold_ids = set(cold) | {hidden_id(pid) for pid in cold}
    direct = 0
    for week in result.reps:
        intros = [item for item in week.items if item.kind == "intro"]
        assert intros, week.rep["name"]
        for item in intros:
            hops = item.path["hops"]
            assert all(hop["kind"] != "owner" for hop in hops), item.reason
            asked = hops[0]["to"]["id"]  # the connector, or the person to reach out to directly
            assert asked not in cold_ids, item.reason
            assert not {hop["to"]["id"] for hop in hops[:-1]} & cold_ids, item.reason
            if len(hops) == 1:
                direct += 1
                assert "directly" in item.reason
    assert direct > 0


def test_weak_ties_are_relationships_weaker_than_a_conversation(store):
    index = service.path_index(store, today=TODAY)
    view, strength = index.view, index.rel_strength
    kind = [KIND_ORDER[int(k)] for k in view.kind]
    invited = [float(strength[r]) for r, k in enumerate(kind) if k is K.INVITED]
    inbound = [float(strength[r]) for r, k in enumerate(kind)
               if k is K.MESSAGED and view.count_out[r] == 0 and view.count_in[r] > 0]
    both_ways = [float(strength[r]) for r, k in enumerate(kind)
                 if k is K.MESSAGED and view.count_out[r] > 0 and view.count_in[r] > 0]
    owner = [float(strength[r]) for r, k in enumerate(kind) if k is K.OWNER]
    assert len(invited) == 16 and len(inbound) >= 24 and len(owner) == 76
    assert all(s == 0 for s in owner)
    assert 0 < max(invited) < median(both_ways) and 0 < max(inbound) < median(both_ways)
