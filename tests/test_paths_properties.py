"""Invariants of warm-path ranking on random small graphs, against a brute-force enumeration."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphapp.domain.paths import REPEAT_DISCOUNT, rank_paths
from graphapp.model import RelationshipKind
from tests.graphs import TODAY, make_index
from tests.reference_paths import brute_force_paths

PEOPLE = ["r1", "r2", "a", "b", "c", "d", "e", "f"]
KINDS = [k.value for k in RelationshipKind]


@st.composite
def graphs(draw):
    pairs = st.tuples(st.sampled_from(PEOPLE), st.sampled_from(PEOPLE)).filter(lambda p: p[0] != p[1])
    tie = st.tuples(pairs, st.sampled_from(KINDS), st.integers(0, 6), st.integers(0, 6),
                    st.sampled_from([0, TODAY - 10, TODAY - 400]), st.sampled_from([0.0, 0.0, 0.3, 0.9]))
    ties = [(a, b, kind, {"count_out": co, "count_in": ci, "last": last, "override": ov})
            for (a, b), kind, co, ci, last, ov in draw(st.lists(tie, min_size=4, max_size=20))]
    rep_tie = st.tuples(st.sampled_from(PEOPLE[:2]), st.sampled_from(PEOPLE[2:]), st.sampled_from(KINDS))
    ties += draw(st.lists(rep_tie, min_size=2, max_size=5))  # reps who know someone, so paths exist
    job = st.tuples(st.sampled_from(PEOPLE[2:]), st.sampled_from(["acme", "acme", "other"]), st.booleans(),
                    st.sampled_from([None, "VP Finance", "Clerk", "Director of Operations"]),
                    st.sampled_from([0, TODAY - 2000]))
    jobs = draw(st.lists(job, min_size=1, max_size=6))
    return ties, jobs


def build(ties, jobs):
    return make_index(["r1", "r2"], ties, jobs, people=PEOPLE)


def as_list(index, **kw):
    return [(round(p.score, 9), p.people) for p in rank_paths(index, 0, **kw)]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs(), st.integers(1, 4), st.integers(1, 6), st.integers(1, 3))
def test_the_search_equals_brute_force_and_keeps_its_promises(graph, max_hops, top, per_target):
    index = build(*graph)
    paths = rank_paths(index, 0, top=top, max_hops=max_hops, per_target=per_target)
    expected = brute_force_paths(index, 0, top=top, max_hops=max_hops, per_target=per_target)
    assert [(round(p.score, 9), p.people) for p in paths] == [(round(s, 9), p) for s, p in expected]
    employees = set(index.view.current_employees(0).tolist())
    # Listed by score times 0.5 ** (paths already listed into the same person): the best path into each
    # person before any weaker second path, and the paths into one person in score order.
    seen: dict[int, int] = {}
    listed = []
    for p in paths:
        listed.append(p.score * REPEAT_DISCOUNT ** seen.get(p.target, 0))
        seen[p.target] = seen.get(p.target, 0) + 1
    assert listed == sorted(listed, reverse=True)
    for target in seen:
        scores = [p.score for p in paths if p.target == target]
        assert scores == sorted(scores, reverse=True)
    keys = set()
    for p in paths:
        assert len(set(p.people)) == len(p.people)  # simple: nobody twice
        assert all(h.kind is not RelationshipKind.OWNER for h in p.hops)  # a CRM owner tie is no relationship
        assert index.is_rep[p.rep] and not any(index.is_rep[x] for x in p.people[1:])
        assert p.target in employees
        assert 1 <= len(p.hops) <= max_hops
        key = (p.rep, p.target) if len(p.people) == 2 else (p.connector, p.target)
        assert key not in keys
        keys.add(key)
    assert as_list(index, top=top, max_hops=max_hops) == as_list(build(*graph), top=top, max_hops=max_hops)


@settings(max_examples=100, deadline=None)
@given(graphs(), st.tuples(st.sampled_from(PEOPLE), st.sampled_from(PEOPLE)).filter(lambda p: p[0] != p[1]),
       st.sampled_from(KINDS))
def test_adding_a_relationship_never_lowers_the_best_score(graph, pair, kind):
    ties, jobs = graph
    before = rank_paths(build(ties, jobs), 0, top=1)
    after = rank_paths(build([*ties, (*pair, kind)], jobs), 0, top=1)
    if before:
        assert after and after[0].score >= before[0].score - 1e-12
