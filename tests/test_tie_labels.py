"""Strength with a reason: the tier of a strength and the label that says why, per kind (invented ties)."""

from __future__ import annotations

from datetime import date

import pytest

from graphapp.domain.explain import explain_path, hop_label, hop_tier
from graphapp.domain.paths import rank_paths
from graphapp.domain.scoring import ScoringWeights, relationship_strength
from graphapp.domain.tie_labels import (
    MEDIUM_FROM,
    STRONG_FROM,
    TieFacts,
    colleague_label,
    month,
    pair_label,
    relationship_label,
    tier_of,
    tiered,
)
from graphapp.model import RelationshipKind as K
from tests.graphs import TODAY, make_index

MAY = date(2026, 5, 12).toordinal()
OCT = date(2026, 10, 3).toordinal()
Y2021 = date(2021, 3, 1).toordinal()


# -- tiers -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("strength", "tier"), [
    (1.0, "strong"), (STRONG_FROM, "strong"), (0.5999, "medium"), (MEDIUM_FROM, "medium"), (0.3499, "weak"),
    (0.01, "weak"), (0.0, "none")])
def test_tiers_cut_the_strength_at_the_documented_thresholds(strength, tier):
    assert (STRONG_FROM, MEDIUM_FROM) == (0.6, 0.35)
    assert tier_of(strength) == tier


def test_what_the_issue_calls_weak_is_weak_and_a_crm_owner_is_no_relationship():
    w = ScoringWeights()

    def tier(kind, **kw):
        return tier_of(relationship_strength(kind, today=TODAY, w=w, **kw))

    assert tier(K.LINKEDIN, first_seen=TODAY - 400) == "weak"  # connection only
    assert tier(K.INVITED, last_interaction=TODAY - 20) == "weak"
    assert tier(K.MESSAGED, count_in=2, last_interaction=TODAY - 30) == "weak"  # inbound only
    assert tier(K.OWNER) == "none"
    assert tier(K.MET, count_out=3, last_interaction=TODAY - 10) == "medium"
    assert tier(K.CUSTOMER, last_interaction=TODAY - 10) == "strong"
    assert tiered(0.7, "3 meetings, last in May 2026") == "strong: 3 meetings, last in May 2026"


# -- one relationship's label, per kind --------------------------------------------------------------
@pytest.mark.parametrize(("facts", "label"), [
    (TieFacts(K.MESSAGED, count_out=5, count_in=4, last_interaction=OCT), "two-way messages, last in October 2026"),
    (TieFacts(K.MESSAGED, count_in=2, last_interaction=MAY), "inbound messages only, last in May 2026"),
    (TieFacts(K.MESSAGED, count_out=3), "your messages only, no reply"),
    (TieFacts(K.MET, count_out=3, last_interaction=MAY), "3 meetings, last in May 2026"),
    (TieFacts(K.MET, count_out=1, count_in=2, last_interaction=MAY), "1 meeting (+2 tentative or large), last in May 2026"),
    (TieFacts(K.MET, count_in=2, last_interaction=MAY), "2 tentative or large meetings only, last in May 2026"),
    (TieFacts(K.LINKEDIN, first_seen=Y2021), "LinkedIn connection only, connected in March 2021"),
    (TieFacts(K.LINKEDIN), "LinkedIn connection only"),
    (TieFacts(K.CUSTOMER, team=True, first_seen=Y2021), "team sheet: customer since 2021"),
    (TieFacts(K.CUSTOMER, team=True, first_seen=Y2021, last_interaction=OCT),
     "team sheet: customer since 2021, last contact in October 2026"),
    (TieFacts(K.CUSTOMER, last_interaction=date(2026, 3, 9).toordinal()), "CRM customer, last activity in March 2026"),
    (TieFacts(K.CUSTOMER, first_seen=Y2021), "customer since 2021"),
    (TieFacts(K.PROSPECT, last_interaction=MAY), "open opportunity, last activity in May 2026"),
    (TieFacts(K.OWNER), "CRM owner, no contact yet"),
    (TieFacts(K.INVITED, last_interaction=MAY), "invited you on LinkedIn in May 2026, not accepted yet"),
    (TieFacts(K.ENDORSED, count_in=1, last_interaction=MAY), "endorsed you in May 2026"),
    (TieFacts(K.ENDORSED, count_out=1), "you endorsed them"),
    (TieFacts(K.ENDORSED, count_out=1, owner_is_target=True), "endorsed you"),  # asserted from the endorser
    (TieFacts(K.RECOMMENDED, count_out=1, count_in=1), "recommended each other"),
    (TieFacts(K.PARTNER, team=True), "team sheet: partner"),
    (TieFacts(K.PARTNER, first_seen=Y2021), "partner salesperson since 2021"),
    (TieFacts(K.INFLUENCER, team=True, first_seen=Y2021), "team sheet: circle of influence since 2021"),
    (TieFacts(K.REFERRAL), "has referred business"),
    (TieFacts(K.KNOWS, team=True, first_seen=Y2021), "team sheet: known since 2021"),
    (TieFacts(K.KNOWS, last_interaction=MAY), "know each other, last contact in May 2026"),
    (TieFacts(K.COLLEAGUE, first_seen=Y2021), "worked together since 2021"),
    (TieFacts(K.TEAMMATE, team=True), "teammates"),
    (TieFacts(K.CUSTOMER, team=True, overridden=True), "team sheet: customer, strength set by its owner"),
])
def test_each_kind_says_why_in_plain_words(facts, label):
    assert relationship_label(facts) == label


def test_every_kind_has_a_label_and_months_are_english_whatever_the_locale():
    assert all(relationship_label(TieFacts(k)) for k in K)
    assert month(date(2026, 10, 30).toordinal()) == "October 2026"
    assert colleague_label("Globex") == "colleagues at Globex"


def test_a_private_relationship_names_its_kind_and_keeper_and_nothing_else():
    facts = TieFacts(K.MET, count_out=4, last_interaction=MAY, keeper="Grace Achterberg")
    assert relationship_label(facts) == "meetings, kept by Grace Achterberg: details private"
    assert "4" not in pair_label([facts, TieFacts(K.LINKEDIN, keeper="Grace Achterberg")])


# -- several relationships of one pair ---------------------------------------------------------------
def test_a_pair_names_its_strongest_relationship_first_then_the_others_briefly():
    met = TieFacts(K.MET, count_out=3, last_interaction=MAY)
    link = TieFacts(K.LINKEDIN, first_seen=Y2021)
    messages = TieFacts(K.MESSAGED, count_out=2, count_in=2, last_interaction=OCT)
    assert pair_label([met, link]) == "3 meetings, last in May 2026 + LinkedIn connection"
    assert pair_label([link, met]) == "LinkedIn connection, connected in March 2021 + 3 meetings"  # not "only"
    assert pair_label([messages, met, link]) == "two-way messages, last in October 2026 + 3 meetings + LinkedIn connection"
    extra = [TieFacts(K.ENDORSED, count_in=1), TieFacts(K.KNOWS)]
    assert pair_label([messages, met, link, *extra]) == (
        "two-way messages, last in October 2026 + 3 meetings + LinkedIn connection + 2 more")


def test_a_crm_owner_entry_is_named_only_when_it_is_all_there_is():
    owner = TieFacts(K.OWNER)
    assert pair_label([owner]) == "CRM owner, no contact yet"
    assert pair_label([owner, TieFacts(K.LINKEDIN)]) == "LinkedIn connection only"
    assert pair_label([TieFacts(K.MESSAGED, count_in=1), TieFacts(K.MESSAGED, count_in=3)]) == "inbound messages only"


# -- on the graph: hops and explanations -------------------------------------------------------------
def test_hops_are_labelled_from_the_graph_with_the_rep_as_you():
    ties = [("dana", "raj", "met", {"count_out": 8, "last": TODAY - 10, "owner": "dana"}),
            ("dana", "raj", "linkedin", {"first": Y2021, "owner": "dana"}),
            ("sam", "dana", "endorsed", {"count_out": 1, "last": MAY, "owner": "dana"}),  # Sam endorsed Dana
            ("dana", "lee", "endorsed", {"count_out": 1, "last": MAY, "owner": "dana"}),  # Dana endorsed Lee
            ("raj", "mei", "knows", {"first": Y2021})]
    jobs = [("raj", "acme"), ("mei", "acme"), ("sam", "acme"), ("lee", "acme"), ("ola", "acme")]
    index = make_index(["dana"], ties, jobs, people=["ola"], titles={"mei": "CFO"})
    paths = rank_paths(index, 0, top=10, max_hops=2)
    by_target = {index.view.person_names[p.target]: p for p in paths if len(p.hops) == 1}
    raj = by_target["raj"].hops[0]
    assert (hop_tier(raj), hop_label(index, raj)) == ("strong", "8 meetings, last in November 2026 + LinkedIn connection")
    assert hop_label(index, by_target["sam"].hops[0]) == "endorsed you in May 2026"
    assert hop_label(index, by_target["lee"].hops[0]) == "you endorsed them in May 2026"
    via_raj = next(p for p in paths if [index.view.person_names[q] for q in p.people] == ["dana", "raj", "mei"])
    text = explain_path(index, via_raj, "CFO", "Acme")
    assert text.startswith("dana -> raj (strong: 8 meetings, last in November 2026 + LinkedIn connection) -> mei, CFO at "
                           "Acme (medium: team sheet: known since 2021).")
    assert text.endswith("Weakest link: raj -> mei (medium).")
    colleague = next(p for p in paths if p.hops[-1].via_org >= 0)
    assert hop_label(index, colleague.hops[-1]) == "colleagues at acme"
    assert f"({hop_tier(colleague.hops[-1])}: colleagues at acme)" in explain_path(index, colleague, None, "Acme")
