"""The demo network: invented, deterministic, and shaped like a real team's network."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import pytest

from graphapp import service
from graphapp.demo import build_demo
from graphapp.model import RelationshipKind
from graphapp.store.sqlite.store import open_sqlite

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def network():
    return build_demo("demo-import", seed=2026, today=TODAY)


def test_same_seed_same_network_other_seed_other_network(tmp_path):
    digests = []
    for name, seed in (("a", 1), ("b", 1), ("c", 2)):
        store = open_sqlite(tmp_path / f"{name}.db")
        service.load_demo(store, seed=seed, today=TODAY)
        digests.append(store.digest())
    assert digests[0] == digests[1] != digests[2]


def test_size_and_shape(network):
    b = network.batch
    assert len(b.reps) == 8
    assert 2900 <= len(b.people) <= 3100
    assert len(b.organizations) == 404  # 400, the team's own company, 3 targets nobody reaches yet
    orgs = [a.value for a in b.organizations]
    assert sum(o.is_target for o in orgs) == 43
    assert sum(o.is_customer for o in orgs) >= 50 and sum(o.is_partner for o in orgs) >= 10
    kinds = Counter(a.value.kind for a in b.relationships)
    for kind in (RelationshipKind.CUSTOMER, RelationshipKind.INFLUENCER, RelationshipKind.PARTNER,
                 RelationshipKind.LINKEDIN, RelationshipKind.COLLEAGUE, RelationshipKind.MESSAGED,
                 RelationshipKind.MET, RelationshipKind.TEAMMATE, RelationshipKind.REFERRAL,
                 RelationshipKind.INVITED, RelationshipKind.OWNER):  # the cold evidence: tests/test_demo_cold.py
        assert kinds[kind] > 0, kind
    professions = {a.value.profession for a in b.relationships if a.value.kind is RelationshipKind.INFLUENCER}
    assert professions == {"CPA", "commercial real estate broker", "architect", "contractor"}
    partners_per_rep = Counter(a.value.owner for a in b.relationships if a.value.kind is RelationshipKind.PARTNER)
    assert all(3 <= n <= 5 for n in partners_per_rep.values()) and len(partners_per_rep) == 8


def test_two_years_of_interactions_ending_today(network):
    dated = [a.value.last_interaction for a in network.batch.relationships if a.value.last_interaction]
    assert max(dated) <= TODAY and min(dated) >= date(2024, 11, 1)
    assert sum(1 for d in dated if (TODAY - d).days < 90) > 100


def test_company_sizes_are_heavy_tailed(network):
    sizes = Counter(a.value.org_id for a in network.batch.employments if a.value.current)
    top = sizes.most_common()
    assert top[0][1] >= 10 * sorted(sizes.values())[len(sizes) // 2]


def test_everything_is_invented(network):
    for a in network.batch.people:
        for email in a.value.emails:
            assert re.fullmatch(r"[a-z0-9.]+@[a-z0-9.-]+\.example\.(com|org|net)", email), email
        for phone in a.value.phones:
            assert "555-01" in phone
    for a in network.batch.organizations:
        assert all(".example." in d for d in a.value.domains)


def test_every_fact_has_its_own_evidence_row(network):
    b = network.batch
    rows = [a.evidence.row for part in (b.people, b.organizations, b.employments, b.relationships) for a in part]
    assert len(rows) == len(set(rows)) and all(a.evidence.import_id == "demo-import" for a in b.people)
