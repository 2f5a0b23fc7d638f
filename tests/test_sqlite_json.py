"""The SQLite store's direct JSON writers give exactly the generic encoding (``codec.snapshot`` of the
``codec.*_to_dict`` form for evidence, ``codec.dumps`` for a person's lists), for any value the model
accepts; a snapshot leaves its empty values out and still reads back as the value it was made from."""

from __future__ import annotations

import json
from datetime import date, datetime

from hypothesis import given
from hypothesis import strategies as st

from graphapp.model import Employment, Person, Relationship, RelationshipKind, Visibility
from graphapp.store import codec
from graphapp.store.sqlite import json_text as sqlite_json

texts = st.text(max_size=12)
maybe_text = st.none() | texts
days = st.none() | st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1))
counts = st.integers(min_value=0, max_value=10**12)


@given(st.builds(Person, id=texts.filter(bool), name=texts, name_variants=st.tuples(texts), emails=st.lists(texts.filter(lambda e: e == e.lower())).map(tuple),
                 linkedin_url=maybe_text, phones=st.lists(texts, max_size=2).map(tuple), title=maybe_text,
                 location=maybe_text))
def test_person_snapshot_and_lists_are_the_generic_json(p):
    assert sqlite_json.person_snapshot(p) == codec.snapshot(codec.person_to_dict(p))
    assert codec.person_from_dict(json.loads(sqlite_json.person_snapshot(p))) == p
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
    assert sqlite_json.employment_snapshot(e) == codec.snapshot(codec.employment_to_dict(e))
    assert codec.employment_from_dict(json.loads(sqlite_json.employment_snapshot(e))) == e


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
    assert sqlite_json.relationship_snapshot(r) == codec.snapshot(codec.relationship_to_dict(r))
    assert codec.relationship_from_dict(json.loads(sqlite_json.relationship_snapshot(r))) == r


def test_odd_values_take_the_generic_path():
    r = Relationship("a", "b", RelationshipKind.LINKEDIN, owner="o", count_out=True,
                     last_interaction=datetime(2026, 1, 2, 3, 4))
    assert sqlite_json.relationship_snapshot(r) == codec.snapshot(codec.relationship_to_dict(r))
    e = Employment("p", "o", title="Ünïcode \"quoted\"\n\u2028", current=1)
    assert sqlite_json.employment_snapshot(e) == codec.snapshot(codec.employment_to_dict(e))


def test_a_snapshot_leaves_out_empty_values_and_reads_as_a_whole_one_does():
    """Nulls, empty lists, false and zero counts are left out (a third fewer bytes of evidence); what
    every reader makes of a snapshot is the same as of the whole form written before."""
    p = Person("p-1", "Ada Quill", linkedin_url="https://www.linkedin.com/in/ada-quill")
    assert sqlite_json.person_snapshot(p) == '{"id":"p-1","linkedin_url":"https://www.linkedin.com/in/ada-quill","name":"Ada Quill"}'
    e = Employment("p-1", "o-1", title="Manager", as_of=date(2026, 11, 1))
    assert sqlite_json.employment_snapshot(e) == '{"as_of":"2026-11-01","current":true,"org_id":"o-1","person_id":"p-1","title":"Manager"}'
    assert sqlite_json.employment_snapshot(Employment("p-1", "o-1", current=False)) == '{"org_id":"o-1","person_id":"p-1"}'
    r = Relationship("p-1", "p-2", RelationshipKind.LINKEDIN, owner="dana@example.com", first_seen=date(2026, 1, 3))
    assert sqlite_json.relationship_snapshot(r) == ('{"first_seen":"2026-01-03","kind":"linkedin","owner":"dana@example.com",'
                                                    '"source_id":"p-1","target_id":"p-2","visibility":"existence"}')
    # Read as the whole form is: the values, and the folds of a relationship's evidence.
    for value, to_dict, from_dict in ((p, codec.person_to_dict, codec.person_from_dict),
                                      (e, codec.employment_to_dict, codec.employment_from_dict),
                                      (r, codec.relationship_to_dict, codec.relationship_from_dict)):
        whole = json.loads(codec.dumps(to_dict(value)))
        assert from_dict(json.loads(codec.snapshot(to_dict(value)))) == from_dict(whole) == value
    counted = Relationship("p-1", "p-2", RelationshipKind.MESSAGED, owner="o", count_out=3,
                           last_interaction=date(2026, 2, 1))
    snaps = [json.loads(sqlite_json.relationship_snapshot(x)) for x in (r, counted)]
    wholes = [json.loads(codec.dumps(codec.relationship_to_dict(x))) for x in (r, counted)]
    assert codec.fold_interactions(snaps) == codec.fold_interactions(wholes) == {
        "count_out": 3, "count_in": 0, "first_seen": "2026-01-03", "last_interaction": "2026-02-01", "profession": None}
