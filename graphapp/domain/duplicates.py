"""Possible duplicates (pure): people with one name and nothing that decides whether they are one human,
how likely each such pair is to be one person, and the marks a "different people" decision is kept by.

The resolver merges people only on deciding keys (a LinkedIn URL, an e-mail, a name at one organisation).
Two people whose names have the same :func:`~graphapp.domain.identity.name_key` but no deciding key are
left for a person to decide. A pair is never proposed when it cannot be one human: two different LinkedIn
profiles, or two reps.

A decision that two people are different outlives their ids: a person's id is made from their strongest
key when they are first imported, a merge keeps one of two ids, and a person known by no key gets an id
of the import that made them. So each side of a decision is kept as the person's *marks*: hashes (made
like ids, with :func:`~graphapp.domain.identity.stable_id`) of their id, of each lookup key and of each
source row (file content and row) that asserted them. Undone and re-imported files give the same keys and
rows back, and a merged person carries the marks of both; a decision covers a pair when one person holds a
mark of one side and the other a mark of the other side.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from graphapp.domain.identity import fold_text, name_key, person_name_keys, stable_id

_TITLE_FILLER = frozenset("of and the for at in".split())
# Short forms of title words, written out so that "VP Operations" and "Vice President of Operations" agree.
_TITLE_SHORT = {"vp": "vice president", "svp": "senior vice president", "evp": "executive vice president",
                "sr": "senior", "jr": "junior", "mgr": "manager", "dir": "director", "ops": "operations",
                "eng": "engineering", "mktg": "marketing", "acct": "account", "exec": "executive"}


@dataclass(frozen=True)
class Candidate:
    """One side of a possible duplicate: what the pair is judged on."""

    id: str
    name: str
    emails: tuple[str, ...] = ()
    linkedin_url: str | None = None
    phones: tuple[str, ...] = ()
    title: str | None = None
    location: str | None = None
    organizations: tuple[str, ...] = ()  # ids of the organisations they work at now
    past_organizations: tuple[str, ...] = ()  # ids of those they worked at before
    is_rep: bool = False


@dataclass(frozen=True)
class KeptApart:
    """A person's decision that two people are different humans (each side: that person's marks)."""

    first_id: str
    second_id: str
    first_marks: frozenset[str]
    second_marks: frozenset[str]
    time: datetime
    actor: str

    def covers(self, a_marks: Iterable[str], b_marks: Iterable[str]) -> bool:
        """Whether this decision is about the two people with these marks (in either order)."""
        a, b = frozenset(a_marks), frozenset(b_marks)
        return bool((a & self.first_marks and b & self.second_marks) or (b & self.first_marks and a & self.second_marks))


def identity_marks(person_id: str, keys: Iterable[str] = (), rows: Iterable[tuple[str, int | None]] = ()) -> frozenset[str]:
    """A person's marks: hashes of their id, of each lookup key (``email:``, ``linkedin:``, ``name:``) and
    of each source row (file SHA-256, row number) that asserted them. Hashes, made as ids are, so a decision
    holds nothing about a person that their id does not."""
    marks = {f"id:{person_id}"}
    marks.update(stable_id("k", key) for key in keys)
    marks.update(stable_id("r", f"{sha}:{row}") for sha, row in rows if sha and row is not None)
    return frozenset(marks)


def person_keys(name: str, variants: Iterable[str], emails: Iterable[str], linkedin_url: str | None,
                org_ids: Iterable[str]) -> list[str]:
    """A person's lookup keys, as the stores keep them: e-mails, LinkedIn URL, each name at each organisation."""
    keys = [f"email:{e}" for e in emails] + ([f"linkedin:{linkedin_url}"] if linkedin_url else [])
    return keys + person_name_keys([name, *variants], list(org_ids))


def apart_marks(first: frozenset[str], second: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
    """The two sides of a new decision: each person's marks but those they share (one meeting row asserts
    every attendee, so a shared row names neither of them alone)."""
    shared = first & second
    return first - shared, second - shared


def name_groups(names: Sequence[str], candidates: Iterable[int]) -> list[list[int]]:
    """Positions (of ``names``) among ``candidates`` whose names have one name key, in groups of two or more."""
    groups: dict[str, list[int]] = {}
    for i in candidates:
        key = name_key(names[i])
        if key and " " in key:  # a single word ("Sam") says too little to propose anyone
            groups.setdefault(key, []).append(i)
    return [g for g in groups.values() if len(g) > 1]


def may_be_one(a: Candidate, b: Candidate) -> bool:
    """Whether two people could be one human at all (else they are never proposed)."""
    if a.id == b.id or (a.is_rep and b.is_rep):
        return False
    return not (a.linkedin_url and b.linkedin_url and a.linkedin_url != b.linkedin_url)


def likelihood(a: Candidate, b: Candidate, org_names: Mapping[str, str] | None = None) -> tuple[float, tuple[str, ...]]:
    """How likely two people of one name are one human (higher: likelier), with the reasons in words.

    A shared phone number counts most, then a shared organisation past or present, the same location,
    the same or a similar title, e-mails at one domain, and one of them having no organisation at all.
    """
    names = org_names or {}
    score, reasons = 0.0, []
    phones = _digits(a.phones) & _digits(b.phones)
    if phones:
        score += 4
        reasons.append("same phone number")
    shared = (set(a.organizations) | set(a.past_organizations)) & (set(b.organizations) | set(b.past_organizations))
    if shared:
        score += 2
        reasons.append("both worked at " + ", ".join(sorted(names.get(o, o) for o in shared)))
    if a.location and b.location and fold_text(a.location) == fold_text(b.location):
        score += 2
        reasons.append(f"same location ({b.location})")
    similar = title_similarity(a.title, b.title)
    if similar == 1:
        score += 1.5
        same = fold_text(a.title or "") == fold_text(b.title or "")
        reasons.append(f"same title ({b.title})" if same else f"the same title ({a.title} / {b.title})")
    elif similar >= 0.5:
        score += 1
        reasons.append(f"similar titles ({a.title} / {b.title})")
    domains = {e.rsplit("@", 1)[-1] for e in a.emails} & {e.rsplit("@", 1)[-1] for e in b.emails}
    if domains:
        score += 1
        reasons.append("e-mails at " + ", ".join(sorted(domains)))
    if bool(a.organizations) != bool(b.organizations):
        score += 0.5
        reasons.append("only one of them has an organisation")
    return score, tuple(reasons)


def title_similarity(a: str | None, b: str | None) -> float:
    """Share of the words two job titles have in common (0 to 1; 0 when either is unknown)."""
    words_a, words_b = _title_words(a), _title_words(b)
    if not words_a or not words_b:
        return 0.0
    return len(words_a & words_b) / len(words_a | words_b)


def _title_words(title: str | None) -> set[str]:
    if not title:
        return set()
    return set(" ".join(_TITLE_SHORT.get(w, w) for w in fold_text(title).split()).split()) - _TITLE_FILLER


def _digits(phones: Iterable[str]) -> set[str]:
    """Phone numbers as their last ten digits (``+1 617-555-0100`` = ``(617) 555 0100``)."""
    out = set()
    for phone in phones:
        digits = "".join(ch for ch in phone if ch.isdigit())
        if len(digits) >= 7:
            out.add(digits[-10:])
    return out
