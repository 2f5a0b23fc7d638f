"""The matching rules: what makes two records one person, each a small function from a record's fields to
the keys it shares with others. Two records (or a record and a person the graph holds) that share a key
are one person, strongest rule first, unless :func:`never_one_person` forbids it.

A key is text that starts with its rule's kind and a colon: ``linkedin:https://www.linkedin.com/in/x``,
``email:ann@example.com``, ``name:ann lee|o-3f2a...``. The store keeps the ``linkedin``, ``email`` and
``name`` keys of every person (``GraphStore.people_by_keys``); ``rep``, ``conn`` and ``aname`` keys belong
to one import and are never asked about (``PeopleResolver`` finds the owner's known people for the last two).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

KINDS = ("linkedin", "email", "rep", "name", "conn", "aname")
"""The rules, by kind of key."""

STRENGTH = {"linkedin": 0, "email": 1, "rep": 1, "name": 2, "conn": 3, "aname": 4}
"""Stronger rules (smaller numbers) decide first: which records join first, which key names a new person."""

REASONS = {
    "linkedin": "same LinkedIn profile URL",
    "email": "same e-mail address",
    "rep": "a teammate on the same team",
    "name": "same name at the same organisation",
    "conn": "same name and LinkedIn connection date in the owner's archive",
    "aname": "same name within the owner's archive",
}
"""What the import report says of a merge made by each rule."""

HOW_KNOWN = {
    "linkedin": "by LinkedIn profile",
    "email": "by e-mail address",
    "rep": "as a teammate",
    "name": "by name and company",
    "conn": "by name and connection date",
    "aname": "by name in the owner's archive",
    "linked": "through their other records",
}
"""How the import report says a person already in the graph was recognised, by the rule that named them
(``linked``: none of the person's own keys, a record joined to them through another record)."""

STORED = frozenset({"linkedin", "email", "name"})
"""The kinds of key the store is asked about (the others are the import's own)."""


_KIND_OF = {k[0]: k for k in KINDS}  # each kind starts with its own letter


def kind(key: str) -> str:
    return _KIND_OF[key[0]]


def order(key: str) -> tuple[int, str]:
    """Keys sort strongest rule first, then by text: the order in which they join records."""
    return STRENGTH[_KIND_OF[key[0]]], key


def reason(key: str) -> str:
    return REASONS[kind(key)]


def linkedin_key(url: str | None) -> list[str]:
    """A LinkedIn profile URL (canonical, as the parsers give it) is one person's."""
    return [f"linkedin:{url}"] if url else []


def email_keys(emails: Iterable[str]) -> list[str]:
    """An e-mail address (normalised, lower-case) is one person's."""
    return [f"email:{e}" for e in emails]


def name_at_organization_key(name_key: str, org_id: str) -> str:
    """The same name (after accents, nicknames, credentials, order) at the same organisation."""
    return f"name:{name_key}|{org_id}"


ARCHIVE_FACTS = frozenset({"connection", "invitation", "endorsement", "recommendation", "message"})
"""The facts of a LinkedIn archive's files: within one owner's archive a name alone may name a person."""


ARCHIVE_KINDS = frozenset({"linkedin", "messaged", "endorsed", "recommended"})
"""The relationship kinds a LinkedIn archive's files make (``RelationshipKind`` values)."""


def archive_name_key(owner: str, name_key: str) -> str:
    """Within one owner's LinkedIn archive, a name alone: files without URLs (old recommendations,
    messages of the years before URLs) name the people of the files with URLs. A name that several
    profiles of the archive have decides nothing (``PeopleResolver.cluster`` skips it)."""
    return f"aname:{owner}|{name_key}"


def connection_key(owner: str, name_key: str, connected_on: date) -> str:
    """One owner's LinkedIn connection, by name and ``Connected On`` date: an old export without URLs
    names the same connection as a newer one, whatever the company has become since."""
    return f"conn:{owner}|{name_key}|{connected_on.isoformat()}"


def card_key(owner: str, name_key: str, phones: tuple[str, ...], folded_name: str) -> str:
    """A record with nothing but a name (an address-book card without e-mail): the same card imported
    again is the same person; a namesake with another phone number or spelling is not."""
    return f"aname:{owner}|{name_key}|{phones[0] if phones else folded_name}"


def teammate_key(rep_email: str) -> str:
    """A rep's name at the team's own company, in a contact list: that rep."""
    return f"rep:{rep_email}"


def never_one_person(url_a: str | None, url_b: str | None, rep_a: str | None, rep_b: str | None) -> bool:
    """Two LinkedIn profiles are never one person; nor are two reps."""
    return bool((url_a and url_b and url_a != url_b) or (rep_a and rep_b and rep_a != rep_b))
