"""Strength with a reason: the tier of a strength and the label that says why, per kind (invented ties)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from graphapp.domain.explain import explain_path, hop_label, hop_tier, path_sentence
from graphapp.domain.paths import best_path_to, rank_paths
from graphapp.domain.scoring import ScoringWeights, relationship_strength
from graphapp.domain.tie_labels import (
    MEDIUM_FROM,
    STRONG_FROM,
    TieFacts,
    colleague_label,
    kind_name,
    month,
    pair_label,
    relationship_label,
    tie_clause,
    tier_bar,
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


# -- plain words for the pages (issue 23) ------------------------------------------------------------
def test_a_tier_reads_as_a_three_segment_bar_and_sorts_strong_first():
    bars = [tier_bar(t) for t in ("strong", "medium", "weak", "none")]
    assert bars == ["▰▰▰ strong", "▰▰▱ medium", "▰▱▱ weak", "▱▱▱ none"] and tier_bar(None) == ""
    assert sorted(bars[:3], reverse=False) == bars[:3]  # a table sorted by the column puts strong first


def test_every_kind_has_plain_words():
    assert {kind_name(k) for k in K} and kind_name("linkedin") == "LinkedIn connection"
    assert all(kind_name(k) != k.value or k.value in ("customer", "partner") for k in K)


@pytest.mark.parametrize(("facts", "forward", "clause"), [
    (TieFacts(K.MESSAGED, count_out=12, count_in=7, last_interaction=OCT), True,
     "has exchanged 19 messages with Wren, last in October 2026"),
    (TieFacts(K.MESSAGED, count_out=3), False, "has had 3 messages from Wren"),
    (TieFacts(K.MESSAGED, count_out=1), True, "has messaged Wren once, no reply yet"),
    (TieFacts(K.MET, count_out=3, count_in=2, last_interaction=MAY), True, "has met Wren 3 times, last in May 2026"),
    (TieFacts(K.MET, count_in=2), True, "has had 2 tentative or large meetings with Wren"),
    (TieFacts(K.LINKEDIN, first_seen=Y2021), True, "is connected with Wren on LinkedIn since March 2021"),
    (TieFacts(K.KNOWS, team=True, first_seen=Y2021), True, "has known Wren since 2021 (team sheet)"),
    (TieFacts(K.KNOWS), True, "knows Wren"),
    (TieFacts(K.CUSTOMER, last_interaction=MAY), True, "knows Wren as a customer, last activity in May 2026"),
    (TieFacts(K.PARTNER), False, "is Wren's partner"),
    (TieFacts(K.ENDORSED, count_out=1, last_interaction=MAY), False, "was endorsed by Wren on LinkedIn in May 2026"),
    (TieFacts(K.COLLEAGUE), True, "worked with Wren"),
    (TieFacts(K.CUSTOMER, keeper="Dana"), True, "knows Wren (customer; details private: ask Dana)"),
])
def test_a_relationship_reads_as_a_clause_after_a_name(facts, forward, clause):
    assert tie_clause(facts, "Wren", forward=forward) == clause


def test_a_path_is_one_sentence_with_a_role_for_its_first_step_and_no_numbers():
    ties = [("dana", "mabel", "partner", {"owner": "dana", "first": Y2021}),
            ("mabel", "wren", "messaged", {"count_out": 12, "count_in": 7, "last": OCT}),
            ("dana", "raj", "met", {"count_out": 8, "last": MAY, "owner": "dana"}),
            ("raj", "sam", "knows", {"first": Y2021}), ("sam", "ola", "colleague")]
    jobs = [("wren", "acme"), ("ola", "acme")]
    index = make_index(["dana"], ties, jobs, titles={"wren": "CFO"})
    paths = {tuple(index.view.person_names[p] for p in path.people): path for path in rank_paths(index, 0, max_hops=3)}
    # The issue's example; the first letter is a capital.
    assert path_sentence(index, paths[("dana", "mabel", "wren")]) == \
        "Dana's partner mabel has exchanged 19 messages with wren, last in October 2026."
    three = path_sentence(index, paths[("dana", "raj", "sam", "ola")])
    assert three == ("Dana has met raj 8 times, last in May 2026; raj has known sam since 2021 (team sheet); "
                     "and sam worked with ola (team sheet).")
    assert not re.search(r"\d\.\d", three) and "->" not in three


def test_a_one_step_explanation_names_no_weakest_link():
    index = make_index(["dana"], [("dana", "wren", "met", {"count_out": 3, "owner": "dana"})], [("wren", "acme")])
    [path] = rank_paths(index, 0)
    text = explain_path(index, path, None, "Acme")
    assert "Weakest link" not in text and text.startswith("dana -> wren at Acme (")
    assert path_sentence(index, path) == "Dana has met wren 3 times."


def test_the_best_path_to_a_person_names_the_rep_who_knows_them_however_far():
    ties = [("dana", "raj", "customer", {"owner": "dana"}), ("raj", "sam", "knows"), ("sam", "imogen", "knows"),
            ("imogen", "wren", "knows"), ("lee", "imogen", "linkedin", {"owner": "lee"})]
    index = make_index(["dana", "lee"], ties, [("wren", "acme")])
    pos = {n: i for i, n in enumerate(index.view.person_names)}
    best = best_path_to(index, pos["imogen"])
    assert [index.view.person_names[p] for p in best.people] == ["lee", "imogen"]  # one step beats three
    far = best_path_to(index, pos["sam"])
    assert [index.view.person_names[p] for p in far.people] == ["dana", "raj", "sam"]
    alone = make_index(["dana"], [("dana", "raj", "customer", {"owner": "dana"})], people=["nobody"])
    assert best_path_to(alone, list(alone.view.person_names).index("nobody")) is None
    assert best_path_to(index, pos["dana"]) is None  # a rep is not someone to meet
