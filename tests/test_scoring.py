"""Relationship strength and relevance: the published formula, its weights and their settings."""

from __future__ import annotations

from dataclasses import replace

import pytest

from graphapp.domain.scoring import (
    ScoringWeights,
    combine_strengths,
    relationship_strength,
    title_relevance,
    weights_from_settings,
)
from graphapp.errors import ConfigError
from graphapp.model import RelationshipKind as K
from graphapp.service import scoring_weights

W = ScoringWeights()
TODAY = 740_000


def s(kind=K.KNOWS, **kw) -> float:
    return relationship_strength(kind, today=TODAY, w=W, **kw)


def test_a_bare_relationship_is_worth_its_kind():
    assert s(K.CUSTOMER) == pytest.approx(0.7)
    assert s(K.LINKEDIN) == pytest.approx(0.15)
    assert s(K.CUSTOMER) > s(K.PARTNER) > s(K.LINKEDIN)


def test_more_messages_more_strength_and_two_way_beats_one_way():
    assert s(count_out=1, last_interaction=TODAY) < s(count_out=5, last_interaction=TODAY)
    assert s(count_out=5, count_in=5, last_interaction=TODAY) > s(count_out=10, last_interaction=TODAY)


def test_interactions_decay_with_the_configured_half_life():
    fresh = s(count_out=6, count_in=6, last_interaction=TODAY) - s()
    half = s(count_out=6, count_in=6, last_interaction=TODAY - 180) - s()
    assert half == pytest.approx(fresh / 2)
    quick = replace(W, half_life_days=30.0)
    assert relationship_strength(K.KNOWS, count_out=6, count_in=6, last_interaction=TODAY - 180, today=TODAY, w=quick) \
        < s(count_out=6, count_in=6, last_interaction=TODAY - 180)


def test_meetings_count_more_than_messages_and_old_connections_a_little_more():
    assert s(K.MET, count_out=3, last_interaction=TODAY) > s(K.MET) + 0.1
    assert s(first_seen=TODAY - 365 * 6) == pytest.approx(0.4 + 0.6 * 0.15)
    assert s(first_seen=TODAY - 365 * 6) > s(first_seen=TODAY - 100) > s()


def test_strength_stays_in_range_and_an_override_replaces_it():
    extreme = s(K.TEAMMATE, count_out=10**6, count_in=10**6, first_seen=1, last_interaction=TODAY)
    assert 0 < extreme <= 1
    assert s(K.CUSTOMER, count_out=50, override=0.2) == pytest.approx(0.2)


def test_a_second_source_about_a_pair_adds_part_of_what_independent_evidence_would_unless_overridden():
    assert combine_strengths([0.5, 0.5]) == pytest.approx(0.5 + 0.5 * 0.5 * 0.5)
    assert combine_strengths([0.5, 0.5], corroboration=1.0) == pytest.approx(0.75)  # fully independent
    assert combine_strengths([0.4, 0.8, 0.15]) == pytest.approx(0.8 + 0.2 * 0.5 * (1 - 0.6 * 0.85))
    assert combine_strengths([0.7]) == 0.7 and combine_strengths([]) == 0.0
    assert combine_strengths([0.5, 0.9], overrides=[0.3]) == 0.3


def test_relevance_from_seniority_and_persona():
    assert title_relevance("Chief Financial Officer", W) == 1.0
    assert title_relevance("VP, Finance", W) == pytest.approx(0.9)
    assert title_relevance("VP Marketing", W) == pytest.approx(0.9 * 0.7)
    assert title_relevance("Receptionist", W) == pytest.approx(0.4 * 0.7)
    assert title_relevance(None, W) == pytest.approx(0.4 * 0.7)
    assert title_relevance("Vice-President of Procurement", W) == pytest.approx(0.9)
    # Short titles and function words mean what they say; general management never misses the persona.
    assert title_relevance("CFO", W) == 1.0 and title_relevance("COO", W) == 1.0
    assert title_relevance("Controller", W) == pytest.approx(0.75)  # a senior finance title
    assert title_relevance("Owner", W) == pytest.approx(0.9) and title_relevance("CEO", W) == 1.0
    assert title_relevance("Facilities Manager", W) == pytest.approx(0.6)
    assert title_relevance("CMO", W) == pytest.approx(0.4 * 0.7)  # not a known short title


def test_weights_come_from_settings_and_bad_values_are_refused(monkeypatch):
    monkeypatch.setenv("GRAPHAPP_STRENGTH_LINKEDIN", "0.5")
    monkeypatch.setenv("GRAPHAPP_PERSONA_KEYWORDS", "marketing")
    w = scoring_weights()
    assert w.kind_strength(K.LINKEDIN) == 0.5
    assert title_relevance("VP Marketing", w) == pytest.approx(0.9)
    monkeypatch.setenv("GRAPHAPP_WILLINGNESS_CUSTOMER", "1.5")
    with pytest.raises(ConfigError, match="willingness"):
        scoring_weights()
    with pytest.raises(ConfigError, match="seniority_keywords"):
        weights_from_settings({"seniority_keywords": "chief"})
    with pytest.raises(ConfigError, match="half_life_days"):
        weights_from_settings({"half_life_days": 0})


def test_weights_are_hashable_for_caches():
    assert hash(ScoringWeights()) == hash(ScoringWeights())
    assert ScoringWeights() != replace(ScoringWeights(), half_life_days=90.0)


def test_the_search_index_combines_a_pairs_relationships_as_combine_strengths_does():
    """The vectorised pair strengths (path_index.build_pairs) follow the documented formula, also with three
    relationships on one pair, a single one, and an owner tie (strength 0) that adds nothing."""
    from tests.graphs import make_index

    ties = [("dana", "raj", "customer"), ("dana", "raj", "linkedin"), ("dana", "raj", "met", {"count_out": 3}),
            ("dana", "mei", "messaged", {"count_out": 2, "count_in": 0}), ("tom", "mei", "owner"),
            ("tom", "mei", "knows")]
    index = make_index(["dana", "tom"], ties, [("raj", "acme"), ("mei", "acme")])
    ids = index.view.person_names
    by_pair = {frozenset((ids[a], ids[b])): s for a, b, s in zip(index.pairs.a, index.pairs.b, index.pairs.strength,
                                                                  strict=True)}
    rel = {}
    for r, (a, b) in enumerate(zip(index.view.source, index.view.target, strict=True)):
        rel.setdefault(frozenset((ids[a], ids[b])), []).append(float(index.rel_strength[r]))
    assert set(by_pair) == set(rel) and len(rel[frozenset(("dana", "raj"))]) == 3
    for pair, strengths in rel.items():
        assert by_pair[pair] == pytest.approx(combine_strengths([s for s in strengths if s > 0])), pair
