"""The SQLite store's direct JSON writers give exactly the generic encoding (``codec.dumps`` of the
``codec.*_to_dict`` form), for any value the model accepts."""

from __future__ import annotations

from datetime import date, datetime

from hypothesis import given
from hypothesis import strategies as st

from graphapp.model import Employment, Person, Relationship, RelationshipKind, Visibility
from graphapp.store import codec, sqlite_json

texts = st.text(max_size=12)
maybe_text = st.none() | texts
days = st.none() | st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1))
counts = st.integers(min_value=0, max_value=10**12)


@given(st.builds(Person, id=texts.filter(bool), name=texts, name_variants=st.tuples(texts), emails=st.lists(texts.filter(lambda e: e == e.lower())).map(tuple),
                 linkedin_url=maybe_text, phones=st.lists(texts, max_size=2).map(tuple), title=maybe_text,
                 location=maybe_text))
def test_person_snapshot_and_lists_are_the_generic_json(p):
    assert sqlite_json.person_snapshot(p) == codec.dumps(codec.person_to_dict(p))
    expected = {"name_variants": list(p.name_variants), "emails": list(p.emails), "phones": list(p.phones)}
    assert sqlite_json.person_lists(p) == codec.dumps(expected)


@st.composite
def employments(draw):
    start, end = draw(days), draw(days)
    if start and end and end < start:
        start, end = end, start
    return Employment(draw(texts.filter(bool)), draw(texts.filter(bool)), title=draw(maybe_text), start=start, end=end,
                      current=draw(st.booleans() | st.sampled_from([0, 1])), as_of=draw(days))


@given(employments())
def test_employment_snapshot_is_the_generic_json(e):
    assert sqlite_json.employment_snapshot(e) == codec.dumps(codec.employment_to_dict(e))


@st.composite
def relationships(draw):
    first, last = sorted([draw(days) or date(2020, 1, 1), draw(days) or date(2021, 1, 1)])
    return Relationship(
        "s" + draw(texts), "t" + draw(texts), draw(st.sampled_from(RelationshipKind)),
        owner=draw(texts), visibility=draw(st.sampled_from(Visibility)), profession=draw(maybe_text),
        first_seen=draw(st.none() | st.just(first)), last_interaction=draw(st.none() | st.just(last)),
        count_out=draw(counts), count_in=draw(counts),
        strength_override=draw(st.none() | st.floats(min_value=0.01, max_value=1)),
    )


@given(relationships())
def test_relationship_snapshot_is_the_generic_json(r):
    assert sqlite_json.relationship_snapshot(r) == codec.dumps(codec.relationship_to_dict(r))


def test_odd_values_take_the_generic_path():
    r = Relationship("a", "b", RelationshipKind.LINKEDIN, owner="o", count_out=True,
                     last_interaction=datetime(2026, 1, 2, 3, 4))
    assert sqlite_json.relationship_snapshot(r) == codec.dumps(codec.relationship_to_dict(r))
    e = Employment("p", "o", title="Ünïcode \"quoted\"\n\u2028", current=1)
    assert sqlite_json.employment_snapshot(e) == codec.dumps(codec.employment_to_dict(e))
