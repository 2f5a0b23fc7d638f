"""Warm-path ranking on hand-made graphs whose best paths are known by hand."""

from __future__ import annotations

from dataclasses import replace

import pytest

from graphapp.domain.explain import explain_path, hop_evidence
from graphapp.domain.path_index import ALL_REPS
from graphapp.domain.paths import rank_paths
from graphapp.domain.scoring import ScoringWeights
from graphapp.errors import InputError
from tests.graphs import make_index, names_of
from tests.reference_paths import brute_force_paths, hop_bounded_paths, to_networkx

# Relevance 1 for everyone and strengths set by override, so every score is a product of round numbers.
FLAT = replace(ScoringWeights(), persona_keywords=(), seniority_floor=1.0)


def ov(x: float) -> dict:
    return {"override": x}


def acme(**kw):
    """Dana and Tom are reps; Mei and Kim work at Acme (the target)."""
    ties = [
        ("dana", "raj", "customer", ov(0.8)),  # ask = 0.8 * 0.9 = 0.72
        ("raj", "mei", "knows", ov(0.5)),
        ("dana", "lee", "linkedin", ov(0.2)),  # ask = 0.2 * 0.3 = 0.06
        ("lee", "mei", "knows", ov(0.9)),
        ("tom", "mei", "linkedin", ov(0.3)),
    ]
    return make_index(["dana", "tom"], ties, [("mei", "acme"), ("kim", "acme")], weights=FLAT, **kw)


def scored(index, **kw):
    return [(round(p.score, 6), names_of(index, p)) for p in rank_paths(index, 0, **kw)]


def test_the_known_best_paths_in_order_with_colleague_ties():
    index = acme()
    colleague = 0.35 * 0.6  # two people known at Acme: full size factor; unknown tenure 0.6 each side
    # Listed by score, a second path into one person at half its score and a third at a quarter: Tom's
    # 0.3 into Mei (0.15) before Kim's best 0.045, which comes before Lee's 0.054 into Mei (0.0135).
    assert scored(index) == [
        (0.36, ["dana", "raj", "mei"]),
        (0.3, ["tom", "mei"]),
        (round(0.72 * 0.5 * 0.6 * colleague, 6), ["dana", "raj", "mei", "kim"]),
        (0.054, ["dana", "lee", "mei"]),
        (round(0.3 * 0.3 * colleague, 6), ["tom", "mei", "kim"]),
        (round(0.06 * 0.9 * 0.6 * colleague, 6), ["dana", "lee", "mei", "kim"]),
    ]
    assert [p for _, p in scored(index, top=3)] == [["dana", "raj", "mei"], ["tom", "mei"], ["dana", "raj", "mei", "kim"]]
    # With no discount the list is in plain score order; with a strong one, the best path into each person leads.
    assert [s for s, _ in scored(index, repeat_discount=1.0)] == sorted((s for s, _ in scored(index)), reverse=True)
    assert [p[-1] for _, p in scored(index, repeat_discount=0.01)][:2] == ["mei", "kim"]


def test_max_hops_bounds_every_path():
    index = acme()
    assert [p for _, p in scored(index, max_hops=2)] == [["dana", "raj", "mei"], ["tom", "mei"], ["tom", "mei", "kim"],
                                                         ["dana", "lee", "mei"]]
    assert [p for _, p in scored(index, max_hops=1)] == [["tom", "mei"]]


def test_top_and_per_target_limits():
    index = acme()
    assert len(scored(index, top=2)) == 2
    per_one = scored(index, per_target=1)
    assert [p[-1] for _, p in per_one] == ["mei", "kim"]


def test_one_rep_only():
    index = acme()
    tom = index.view.person_names.index("tom")
    assert [p for _, p in scored(index, rep=tom)] == [["tom", "mei"], ["tom", "mei", "kim"]]


def test_a_rep_with_no_contacts_and_a_disconnected_account_get_no_paths():
    index = make_index(["dana", "solo"], [("dana", "x", "knows"), ("y", "z", "knows")], [("z", "acme")])
    assert rank_paths(index, 0) == []
    assert rank_paths(index, 0, rep=index.view.person_names.index("solo")) == []


def test_reps_are_never_intermediaries():
    index = make_index(["dana", "tom"], [("dana", "tom", "teammate", ov(1.0)), ("tom", "mei", "knows", ov(0.5))],
                       [("mei", "acme")], weights=FLAT)
    assert scored(index) == [(0.5, ["tom", "mei"])]


def test_one_result_per_connector_and_target():
    # Both reps know Raj; Raj knows Mei: asking Raj twice is one result (the better rep).
    ties = [("dana", "raj", "customer", ov(0.8)), ("tom", "raj", "customer", ov(0.7)), ("raj", "mei", "knows", ov(0.5))]
    index = make_index(["dana", "tom"], ties, [("mei", "acme")], weights=FLAT)
    assert scored(index) == [(0.36, ["dana", "raj", "mei"])]


def test_equal_scores_are_ordered_by_ids_and_cycles_do_not_repeat_people():
    ties = [("dana", "b", "knows", ov(0.5)), ("dana", "a", "knows", ov(0.5)), ("a", "b", "knows", ov(1.0)),
            ("a", "mei", "knows", ov(0.5)), ("b", "mei", "knows", ov(0.5))]
    index = make_index(["dana"], ties, [("mei", "acme")], weights=FLAT)
    paths = scored(index, top=10)
    assert paths[:2] == [(0.15, ["dana", "a", "mei"]), (0.15, ["dana", "b", "mei"])]
    for _, p in paths:
        assert len(set(p)) == len(p)


def test_several_relationships_make_one_stronger_pair_and_an_override_wins():
    base = [("dana", "mei", "linkedin"), ("dana", "mei", "messaged", {"count_out": 5, "count_in": 5})]
    two = make_index(["dana"], base, [("mei", "acme")], weights=FLAT)
    one = make_index(["dana"], base[:1], [("mei", "acme")], weights=FLAT)
    assert rank_paths(two, 0)[0].score > rank_paths(one, 0)[0].score
    fixed = make_index(["dana"], [*base, ("dana", "mei", "knows", ov(0.25))], [("mei", "acme")], weights=FLAT)
    assert rank_paths(fixed, 0)[0].score == pytest.approx(0.25)


def test_relevance_prefers_the_buyer_persona():
    ties = [("dana", "cfo", "knows", ov(0.5)), ("dana", "clerk", "knows", ov(0.5))]
    jobs = [("cfo", "acme", True, "Chief Financial Officer, Finance", 0), ("clerk", "acme", True, "Receptionist", 0)]
    index = make_index(["dana"], ties, jobs)
    paths = rank_paths(index, 0, per_target=1)
    assert [names_of(index, p)[-1] for p in paths] == ["cfo", "clerk"]
    assert paths[0].relevance == 1.0 and paths[1].relevance == pytest.approx(0.4 * 0.7)


def test_people_who_left_the_account_are_not_targets():
    jobs = [("mei", "acme", False, "CFO", 0), ("kim", "acme", True, "CFO", 0)]
    index = make_index(["dana"], [("dana", "mei", "knows"), ("dana", "kim", "knows")], jobs)
    assert [names_of(index, p)[-1] for p in rank_paths(index, 0)] == ["kim"]


def test_large_organisations_make_weaker_colleague_ties():
    def score(n_colleagues: int) -> float:
        jobs = [("raj", "acme"), ("mei", "acme")] + [(f"c{i}", "acme") for i in range(n_colleagues)]
        index = make_index(["dana"], [("dana", "raj", "customer", ov(0.8))], jobs, weights=FLAT)
        mei = index.view.person_names.index("mei")
        return next(p.score for p in rank_paths(index, 0, top=300) if p.target == mei)

    assert score(10) > score(200) > 0


def test_long_tenure_makes_stronger_colleague_ties():
    def score(start: int) -> float:
        jobs = [("raj", "acme", True, None, start), ("mei", "acme", True, None, start)]
        index = make_index(["dana"], [("dana", "raj", "customer", ov(0.8))], jobs, weights=FLAT)
        mei = index.view.person_names.index("mei")
        return next(p.score for p in rank_paths(index, 0) if p.target == mei)

    from tests.graphs import TODAY

    assert score(TODAY - 365 * 4) > score(TODAY - 100) > 0


def test_explanations_name_every_hop_with_its_evidence_and_the_weakest_link():
    index = acme()
    best = rank_paths(index, 0)[0]
    text = explain_path(index, best, "VP Finance", "Acme")
    assert text.startswith("dana -> raj (strong: team sheet: customer, strength set by its owner) -> mei, VP Finance "
                           "at Acme (medium: team sheet: known, strength set by its owner).")
    assert "Weakest link: raj -> mei (medium)." in text
    assert "0.80" not in text and "0.50" not in text  # the strengths are in the evidence (details)
    evidence = hop_evidence(index, best.hops[0])
    assert evidence == ["customer relationship, strength set to 0.80 by its owner, recorded by the team (strength 0.80)"]
    colleague = next(p for p in rank_paths(index, 0) if len(p.hops) == 3)
    assert hop_evidence(index, colleague.hops[-1])[0].startswith("both work at acme now (2 people we know there)")
    assert "(medium: colleagues at acme)" in explain_path(index, colleague, None, "Acme") or \
        "(weak: colleagues at acme)" in explain_path(index, colleague, None, "Acme")


def test_bad_arguments_are_refused():
    index = acme()
    with pytest.raises(InputError):
        rank_paths(index, 0, top=0)
    with pytest.raises(InputError):
        rank_paths(index, 0, max_hops=0)
    with pytest.raises(InputError, match="not on the team"):
        rank_paths(index, 0, rep=index.view.person_names.index("raj"))


def test_both_references_agree_with_the_search_on_the_hand_made_graph():
    index = acme()
    g, hubs = to_networkx(index)
    ours = [(round(p.score, 9), p.people) for p in rank_paths(index, 0, top=20)]
    assert [(round(s, 9), p) for s, p in brute_force_paths(index, 0, top=20)] == ours
    assert [(round(s, 9), p) for s, p in hop_bounded_paths(g, hubs, index, 0, top=20)] == ours
    assert ALL_REPS == -1
