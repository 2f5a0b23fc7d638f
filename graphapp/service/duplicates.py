"""Possible duplicates (part of the service): pairs of people with one name that no deciding key joined,
listed with their evidence side by side for a person to decide. "Same person" merges them with the
correction :func:`graphapp.service.corrections.merge_people` (audited; undone with ``split_person`` when
their evidence shows two identities); "different people" is remembered and never proposed again, across
re-imports, undone imports and merges. The rules are in :mod:`graphapp.domain.duplicates`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import combinations

import numpy as np

from graphapp.audit import audit_actor
from graphapp.domain.duplicates import (
    Candidate,
    KeptApart,
    apart_marks,
    identity_marks,
    likelihood,
    may_be_one,
    name_groups,
    person_keys,
)
from graphapp.domain.graph import GraphView
from graphapp.domain.privacy import Viewer, excluded_people, open_relationships, usable_relationships, visible_people
from graphapp.errors import InputError, NotFound
from graphapp.model import TEAM, Person
from graphapp.service.common import graph_view
from graphapp.service.corrections import merge_people
from graphapp.service.people import evidence_words
from graphapp.service.roles import require
from graphapp.store import GraphStore

DEFAULT_LIMIT = 50


@dataclass(frozen=True)
class DuplicateSide:
    """One person of a possible duplicate, as the reviewer sees them."""

    id: str
    name: str
    emails: tuple[str, ...]
    linkedin_url: str | None
    phones: tuple[str, ...]
    title: str | None
    location: str | None
    organizations: tuple[str, ...]  # names of where they work now
    past_organizations: tuple[str, ...]  # names of where they worked before
    evidence: tuple[str, ...]  # the files and rows that asserted them (those the viewer may see)

    def as_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "emails": list(self.emails), "linkedin_url": self.linkedin_url,
                "phones": list(self.phones), "title": self.title, "location": self.location,
                "organizations": list(self.organizations), "past_organizations": list(self.past_organizations),
                "evidence": list(self.evidence)}


@dataclass(frozen=True)
class DuplicatePair:
    """Two people who may be one human, how likely (``score``: higher is likelier) and why."""

    first: DuplicateSide
    second: DuplicateSide
    score: float
    reasons: tuple[str, ...]

    @property
    def splittable(self) -> bool:
        """Whether ``split_person`` can undo a merge of the two: each has an e-mail or a LinkedIn profile
        (which the other lacks, or a key would have joined them), so their evidence shows two identities."""
        return all(s.emails or s.linkedin_url for s in (self.first, self.second))

    def as_dict(self) -> dict:
        return {"score": self.score, "reasons": list(self.reasons), "splittable": self.splittable,
                "first": self.first.as_dict(), "second": self.second.as_dict()}


@dataclass(frozen=True)
class DuplicatesResult:
    """The likeliest pairs (at most the limit asked), how many there are in all, and how many pairs a
    "different people" decision keeps off the list."""

    pairs: tuple[DuplicatePair, ...]
    total: int
    kept_apart: int

    def as_dict(self) -> dict:
        return {"total": self.total, "kept_apart": self.kept_apart, "pairs": [p.as_dict() for p in self.pairs]}


def possible_duplicates(store: GraphStore, *, limit: int = DEFAULT_LIMIT, viewer: Viewer | None = None) -> DuplicatesResult:
    """Pairs of people with the same name (by name key) that the importers left apart for want of a
    deciding key, likeliest first: a shared phone, a shared organisation, the same location, a similar title.

    Parameters:
        limit: the most pairs returned (``total`` counts them all).
        viewer: who is looking; only pairs of two people the viewer may see are listed (None: everyone).

    Returns:
        The pairs, each with both people's names, e-mails, organisations, titles, locations and evidence.

    Raises:
        InputError: a limit below 1.
    """
    if limit < 1:
        raise InputError(f"Ask for at least one pair (--limit 1 or more), not {limit}.")
    view = graph_view(store)
    groups = name_groups(view.person_names, np.flatnonzero(_shown(view, viewer)).tolist())
    people = store.get_people([view.person_ids[i] for group in groups for i in group])
    reps = set(view.rep_person.tolist())
    candidates = {view.person_ids[i]: _candidate(view, i, people[view.person_ids[i]], i in reps)
                  for group in groups for i in group if view.person_ids[i] in people}
    pairs = [(a, b) for group in groups for a, b in combinations([view.person_ids[i] for i in group], 2)
             if a in candidates and b in candidates and may_be_one(candidates[a], candidates[b])]
    decisions = store.kept_apart()
    kept = 0
    if decisions:
        marks = {pid: _marks(store, people[pid], candidates[pid]) for pid in {p for pair in pairs for p in pair}}
        undecided = [(a, b) for a, b in pairs if not any(d.covers(marks[a], marks[b]) for d in decisions)]
        kept, pairs = len(pairs) - len(undecided), undecided
    names = dict(zip(view.org_ids, view.org_names, strict=True))
    scored = sorted(((*likelihood(candidates[a], candidates[b], names), a, b) for a, b in pairs),
                    key=lambda s: (-s[0], candidates[s[2]].name.casefold(), s[2], s[3]))
    imports = {r.id: r for r in store.list_imports()}
    sides: dict[str, DuplicateSide] = {}

    def side(pid: str) -> DuplicateSide:
        if pid not in sides:
            sides[pid] = _side(store, view, viewer, people[pid], candidates[pid], names, imports)
        return sides[pid]

    shown = tuple(DuplicatePair(side(a), side(b), score, reasons) for score, reasons, a, b in scored[:limit])
    return DuplicatesResult(shown, len(scored), kept)


def decide_same(store: GraphStore, keep_id: str, other_id: str, *, viewer: Viewer | None = None) -> Person:
    """Decide that two people are one human: ``other_id`` is merged into ``keep_id`` (the correction
    ``merge_people``, audited as ``merge``). ``split_person`` undoes it when the two had different
    e-mails or LinkedIn profiles.

    Raises:
        NotFound: either person is unknown, or one the viewer may not see.
        InputError: the same id twice, two LinkedIn profiles, or two reps.
        NotAllowed: a merge across reps' data by a rep, or any by a viewer (see ``merge_people``).
    """
    require(store, viewer, "merge")  # the role first: a viewer learns nothing about who is there
    _check_pair(store, keep_id, other_id, viewer)
    return merge_people(store, keep_id, other_id, viewer=viewer)


def decide_different(store: GraphStore, first_id: str, second_id: str, *, viewer: Viewer | None = None,
                     now: datetime | None = None) -> KeptApart:
    """Decide that two people are different humans: remembered (audited as ``keep-apart``), so the pair
    is never proposed again, even after their files are undone and imported again or one of them is merged.

    Raises:
        NotFound: either person is unknown, or one the viewer may not see.
        InputError: the same id twice.
        NotAllowed: a viewer decides nothing.
    """
    require(store, viewer, "keep-apart")
    people = _check_pair(store, first_id, second_id, viewer)
    view = graph_view(store)
    first, second = (_marks(store, p, _candidate(view, view.person_index.get(p.id), p, False)) for p in people)
    first, second = apart_marks(first, second)
    decision = KeptApart(first_id, second_id, first, second, now or datetime.now(UTC), audit_actor())
    store.keep_apart(decision)
    return decision


def _check_pair(store: GraphStore, a_id: str, b_id: str, viewer: Viewer | None) -> tuple[Person, Person]:
    if a_id == b_id:
        raise InputError(f"Name two different people, not {a_id} twice.")
    people = store.get_people([a_id, b_id])
    view = graph_view(store)
    shown = _shown(view, viewer)
    for pid in (a_id, b_id):
        position = view.person_index.get(pid)
        if pid not in people or (position is not None and not shown[position]):
            raise NotFound(f"No person with id {pid!r}: they may have been merged into someone else or removed "
                           "when an import was undone. `graphapp duplicates` lists the pairs to decide.")
    return people[a_id], people[b_id]


def _shown(view: GraphView, viewer: Viewer | None) -> np.ndarray:
    """Mask of the people whose identity the viewer may see (another rep's private and existence-only
    contacts are not among them)."""
    if viewer is None or viewer.sees_all:
        return np.ones(view.n_people, dtype=np.bool_)
    shown = visible_people(view, viewer)
    excluded = excluded_people(view, usable_relationships(view, viewer))
    return shown if excluded is None else shown & ~excluded


def _candidate(view: GraphView, position: int | None, person: Person, is_rep: bool) -> Candidate:
    now, before = [], []
    if position is not None:
        for r in view.jobs.edges_of(position).tolist():
            (now if view.emp_current[r] else before).append(view.org_ids[int(view.emp_org[r])])
    return Candidate(person.id, person.name, person.emails, person.linkedin_url, person.phones, person.title,
                     person.location, tuple(dict.fromkeys(now)), tuple(o for o in dict.fromkeys(before) if o not in now),
                     is_rep)


def _marks(store: GraphStore, person: Person, c: Candidate) -> frozenset[str]:
    """A person's marks now: their id, lookup keys and source rows (see ``identity_marks``)."""
    keys = person_keys(person.name, person.name_variants, person.emails, person.linkedin_url,
                       [*c.organizations, *c.past_organizations])
    rows = [(e.file_sha256, e.row) for e in store.evidence_of("person", (c.id,))]
    return identity_marks(c.id, keys, rows)


def _side(store: GraphStore, view: GraphView, viewer: Viewer | None, person: Person, c: Candidate,
          org_names: dict[str, str], imports: dict) -> DuplicateSide:
    evidence = store.evidence_of("person", (person.id,))
    if viewer is not None and not viewer.sees_all:  # rows of teammates' files only where they share the person
        owners = {viewer.email, TEAM}
        position = view.person_index.get(person.id)
        if position is not None:
            edges = view.adjacency.edges_of(position)
            open_ = open_relationships(view, viewer)[edges] if len(edges) else np.zeros(0, dtype=np.bool_)
            owners |= {view.owners[int(o)] for o in view.owner[edges[open_]].tolist()}
        evidence = [e for e in evidence if e.owner in owners]
    return DuplicateSide(
        id=person.id, name=person.name, emails=person.emails, linkedin_url=person.linkedin_url, phones=person.phones,
        title=person.title, location=person.location,
        organizations=tuple(org_names.get(o, o) for o in c.organizations),
        past_organizations=tuple(org_names.get(o, o) for o in c.past_organizations),
        evidence=tuple(dict.fromkeys(evidence_words(e, imports) for e in evidence)))
