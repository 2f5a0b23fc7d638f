"""The JSON text the SQLite store writes: evidence snapshots and the people's list columns.

An import writes one snapshot per fact (hundreds of thousands), so the common ones are written
directly as text instead of building a dict and encoding it. Every snapshot function here returns
exactly ``codec.snapshot`` of the generic form (sorted keys, compact separators, non-ASCII kept, empty
values left out), and ``person_lists`` exactly ``codec.dumps``; a value of an unexpected type takes the
generic path. ``tests/test_sqlite_json.py`` checks the equality.
"""

from __future__ import annotations

from collections.abc import Callable
from json import encoder as _json_encoder
from typing import Any

from graphapp.model import Employment, Person, Relationship
from graphapp.store import codec

_quote = _json_encoder.encode_basestring  # a JSON string literal, as json writes it with ensure_ascii=False


def _snapshot_encoder() -> Callable[[Any], str]:
    """``codec.dumps`` (same text) without building a ``JSONEncoder`` per call: the per-call set-up
    costs more than the encoding."""
    def default(value: Any) -> Any:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")

    try:  # json's C encoder, made once with codec.dumps's settings
        encode = _json_encoder.c_make_encoder(None, default, _json_encoder.encode_basestring, None, ":", ",", True,
                                              False, True)

        def dumps(data: Any) -> str:
            return "".join(encode(data, 0))

        sample = {"b": [None, True, 1, 0.5, "é\"\n"], "a": {"z": "", "y": []}}
        if dumps(sample) == codec.dumps(sample):
            return dumps
    except (AttributeError, TypeError):  # a Python without it, or where it takes other arguments
        pass
    return codec.dumps


dumps = _snapshot_encoder()


def _texts(values: tuple[str, ...]) -> str:
    if values == ():  # most lists are empty (variants, phones): three per person
        return "[]"
    return "[" + ",".join(map(_quote, values)) + "]"


def _day_field(name: str, value: Any) -> str:
    """``"name":"YYYY-MM-DD",`` for a date, nothing for none (a snapshot leaves empty values out)."""
    return f'"{name}":"{value.isoformat()}",' if value else ""


def _count_field(name: str, value: Any) -> str:
    if type(value) is not int:  # a bool would be true/false in JSON
        raise TypeError(value)
    return f'"{name}":{value},' if value else ""


def relationship_snapshot(r: Relationship) -> str:
    """``codec.snapshot(codec.relationship_to_dict(r))``."""
    try:
        if r.strength_override is not None:
            raise TypeError(r.strength_override)  # floats: left to json
        last = f',"last_interaction":"{r.last_interaction.isoformat()}"' if r.last_interaction else ""
        profession = "" if r.profession is None else f',"profession":{_quote(r.profession)}'
        return (f'{{{_count_field("count_in", r.count_in)}{_count_field("count_out", r.count_out)}'
                f'{_day_field("first_seen", r.first_seen)}"kind":{_quote(r.kind.value)}{last},"owner":{_quote(r.owner)}'
                f'{profession},"source_id":{_quote(r.source_id)},"target_id":{_quote(r.target_id)},'
                f'"visibility":{_quote(r.visibility.value)}}}')
    except (TypeError, AttributeError):
        return codec.snapshot(codec.relationship_to_dict(r))


def employment_snapshot(e: Employment) -> str:
    """``codec.snapshot(codec.employment_to_dict(e))``."""
    try:
        if type(e.current) is not bool:
            raise TypeError(e.current)
        start = f',"start":"{e.start.isoformat()}"' if e.start else ""
        title = "" if e.title is None else f',"title":{_quote(e.title)}'
        current = '"current":true,' if e.current else ""
        return (f'{{{_day_field("as_of", e.as_of)}{current}{_day_field("end", e.end)}'
                f'"org_id":{_quote(e.org_id)},"person_id":{_quote(e.person_id)}{start}{title}}}')
    except (TypeError, AttributeError):
        return codec.snapshot(codec.employment_to_dict(e))


def person_snapshot(p: Person) -> str:
    """``codec.snapshot(codec.person_to_dict(p))``."""
    try:
        emails = f'"emails":{_texts(p.emails)},' if p.emails else ""
        url = "" if p.linkedin_url is None else f',"linkedin_url":{_quote(p.linkedin_url)}'
        location = "" if p.location is None else f',"location":{_quote(p.location)}'
        variants = f',"name_variants":{_texts(p.name_variants)}' if p.name_variants else ""
        phones = f',"phones":{_texts(p.phones)}' if p.phones else ""
        title = "" if p.title is None else f',"title":{_quote(p.title)}'
        return (f'{{{emails}"id":{_quote(p.id)}{url}{location},"name":{_quote(p.name)}{variants}{phones}{title}}}')
    except (TypeError, AttributeError):
        return codec.snapshot(codec.person_to_dict(p))


def person_lists(p: Person) -> str:
    """The ``lists`` column of a person: ``dumps({"name_variants": ..., "emails": ..., "phones": ...})``."""
    try:
        return f'{{"emails":{_texts(p.emails)},"name_variants":{_texts(p.name_variants)},"phones":{_texts(p.phones)}}}'
    except TypeError:
        return dumps({"name_variants": list(p.name_variants), "emails": list(p.emails), "phones": list(p.phones)})


def org_snapshot(o: Any) -> str:
    """``codec.snapshot(codec.org_to_dict(o))`` (few per import: the generic path)."""
    return codec.snapshot(codec.org_to_dict(o))
