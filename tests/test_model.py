"""Invariants of the model's dataclasses and of the fold that stores apply to repeated assertions."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graphapp.model import NOT_A_RELATIONSHIP, Organization, Person, Relationship, RelationshipKind, Rep, Visibility

emails = st.lists(st.from_regex(r"[a-z]{1,6}@[a-z]{1,5}\.example\.com", fullmatch=True), max_size=4)
names = st.text(st.characters(categories=("L", "Zs")), min_size=1, max_size=12)
people = st.builds(Person, id=st.just("p1"), name=names, emails=emails.map(tuple), title=st.none() | names)


def test_relationship_needs_two_people_and_sane_numbers():
    with pytest.raises(ValueError, match="two different people"):
        Relationship("p1", "p1", RelationshipKind.KNOWS)
    with pytest.raises(ValueError, match="negative"):
        Relationship("p1", "p2", RelationshipKind.MESSAGED, count_in=-1)
    with pytest.raises(ValueError, match=r"override lies in \(0, 1\]"):
        Relationship("p1", "p2", RelationshipKind.KNOWS, strength_override=0)
    with pytest.raises(ValueError, match="before first seen"):
        Relationship("p1", "p2", RelationshipKind.MET, first_seen=date(2025, 1, 2), last_interaction=date(2025, 1, 1))
    with pytest.raises(ValueError):
        Relationship("p1", "p2", "acquaintance")


def test_relationship_kinds_and_visibility_accept_their_stored_strings():
    r = Relationship("p1", "p2", "customer", visibility="private")
    assert r.kind is RelationshipKind.CUSTOMER and r.visibility is Visibility.PRIVATE
    assert r.key == ("p1", "p2", "customer", "team")
    assert Relationship("p1", "p2", "knows").visibility is Visibility.EXISTENCE  # the default


def test_the_relationship_kinds_of_the_product_and_the_one_that_is_no_relationship():
    assert [k.value for k in RelationshipKind] == [
        "linkedin", "colleague", "customer", "influencer", "partner", "referral",
        "met", "messaged", "endorsed", "recommended", "teammate", "knows", "prospect", "owner", "invited"]
    assert NOT_A_RELATIONSHIP == {RelationshipKind.OWNER}


def test_emails_and_domains_are_stored_lower_case():
    with pytest.raises(ValueError, match="lower-case"):
        Person("p1", "Ada", emails=("Ada@Example.com",))
    with pytest.raises(ValueError, match="lower-case"):
        Organization("o1", "Initech", domains=("Initech.example.com",))
    with pytest.raises(ValueError, match="lower-case e-mail"):
        Rep("Dana@example.com", "p1", "Dana")


@given(people, people)
def test_fold_keeps_every_email_and_name_and_prefers_newer_scalars(older, newer):
    merged = older.merged_with(newer)
    assert set(merged.emails) == set(older.emails) | set(newer.emails)
    assert len(merged.emails) == len(set(merged.emails))
    assert merged.name == newer.name
    assert {older.name, newer.name} <= {merged.name, *merged.name_variants}
    assert merged.title == (newer.title or older.title)


@given(people)
def test_fold_is_idempotent(person):
    assert person.merged_with(person).merged_with(person) == person.merged_with(person)


def test_organization_flags_are_sticky_in_the_fold():
    a = Organization("o1", "Initech", is_target=True)
    b = Organization("o1", "Initech Inc.", domains=("initech.example.com",), is_customer=True)
    m = a.merged_with(b)
    assert (m.is_target, m.is_customer, m.is_partner) == (True, True, False)
    assert m.name == "Initech Inc." and m.aliases == ("Initech",)


def test_field_order_that_the_importer_relies_on():
    """``ingest.resolve.facts`` builds these positionally (hundreds of thousands per import): a change of
    order must change it too."""
    from dataclasses import fields

    from graphapp.model import Employment, Evidence

    order = {cls.__name__: [f.name for f in fields(cls)] for cls in (Person, Employment, Evidence, Relationship)}
    assert order == {
        "Person": ["id", "name", "name_variants", "emails", "linkedin_url", "phones", "title", "location"],
        "Employment": ["person_id", "org_id", "title", "start", "end", "current", "as_of"],
        "Evidence": ["import_id", "file", "fact", "owner", "row", "file_sha256"],
        "Relationship": ["source_id", "target_id", "kind", "owner", "visibility", "profession", "first_seen",
                         "last_interaction", "count_out", "count_in", "strength_override"],
    }
