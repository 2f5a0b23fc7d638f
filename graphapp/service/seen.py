"""People as a viewer may see them (part of the service): each person's details (name, other names,
e-mails, phones, LinkedIn URL, title, location) folded only from the evidence the viewer may see.

Evidence of a person is the viewer's own, the team's (team files), or another rep's: that one is visible
only when the rep shares the person with the team (a relationship of theirs with the person is ``team``).
Another rep's private or existence-only rows never show, and a person's name for a viewer is chosen from
what they may see, so one rep's import never renames a contact for another. Reps are shown as stored.

Most people's evidence has one owner: they are shown as stored. Only people whose evidence has several
owners (known per store version, one query) are folded again, for the viewers who may not see some of it.
Every read of a person's details for a viewer goes through :func:`people_as_seen` or :func:`index_as_seen`.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence

from graphapp.domain.graph import GraphView
from graphapp.domain.path_index import PathIndex
from graphapp.domain.privacy import Viewer
from graphapp.model import TEAM, VISIBILITY_ORDER, Employment, Person, Visibility
from graphapp.service.common import graph_view, per_version
from graphapp.store import GraphStore

_TEAM_VISIBLE = VISIBILITY_ORDER.index(Visibility.TEAM)
NOTHING_SHARED = "(details not shared with you)"
"""The name of a person the viewer may see but none of whose details they may (no evidence of theirs)."""

def _owners_by_person(store: GraphStore) -> dict[str, frozenset[str]]:
    """People whose evidence has several owners, read once per store version."""
    return per_version(store, "owners of shared people", store.people_of_several_owners)


def _sharing_owners(view: GraphView, position: int | None) -> set[str]:
    """The owners who share this person with the team (a ``team`` relationship of theirs with them)."""
    if position is None:
        return set()
    edges = view.adjacency.edges_of(position)
    return {view.owners[int(view.owner[e])] for e in edges.tolist() if int(view.visibility[e]) == _TEAM_VISIBLE}


def owner_visible(view: GraphView, viewer: Viewer, position: int | None, owner: str) -> bool:
    """Whether ``viewer`` may see what ``owner``'s evidence says of the person at ``position``."""
    return viewer.sees_all or owner in (viewer.email, TEAM) or owner in _sharing_owners(view, position)


def _partly_hidden(view: GraphView, viewer: Viewer, owners: dict[str, frozenset[str]],
                   ids: Sequence[str]) -> list[str]:
    """Of these people, those with evidence the viewer may not see, or with the viewer's own and another's
    (reps are shown as stored)."""
    reps = {view.person_ids[int(p)] for p in view.rep_person.tolist()}
    out = []
    for pid in ids:
        found = owners.get(pid)
        if found and pid not in reps:
            position = view.person_index.get(pid)
            if viewer.email in found or any(not owner_visible(view, viewer, position, o) for o in found):
                out.append(pid)  # a teammate's rows may hide or rename: fold what the viewer may see, theirs last
    return out


def fold_seen(person_id: str, evidence: list[tuple[str, Person]], visible, own: str | None = None) -> Person:
    """Fold the rows of evidence whose owner is ``visible``, in import order (the store's own fold), the
    rows of ``own`` (the viewer's) last: a teammate's newer import never renames the viewer's contact."""
    shown = [p for owner, p in evidence if visible(owner) and owner != own] + [p for owner, p in evidence if owner == own]
    if not shown:
        return Person(person_id, NOTHING_SHARED)
    out = shown[0]
    for p in shown[1:]:
        out = out.merged_with(p)
    return out


def people_as_seen(store: GraphStore, ids: Sequence[str], viewer: Viewer | None,
                   view: GraphView | None = None) -> dict[str, Person]:
    """The people with these ids as ``viewer`` may see them (None: everything, as stored); unknown ids
    are left out. Whether the viewer may see the person at all is the caller's question
    (:func:`graphapp.domain.privacy.visible_people`)."""
    people = store.get_people(ids)
    if viewer is None or viewer.sees_all or not people:
        return people
    view = view or graph_view(store)
    again = _partly_hidden(view, viewer, _owners_by_person(store), list(people))
    if again:
        evidence = store.person_evidence(again)
        for pid in again:
            position = view.person_index.get(pid)
            people[pid] = fold_seen(pid, evidence.get(pid, []),
                                    lambda owner, position=position: owner_visible(view, viewer, position, owner),
                                    viewer.email)
    return people


def index_as_seen(store: GraphStore, index: PathIndex) -> PathIndex:
    """The index with its view's names and titles as its viewer may see them (the same index when
    nothing is hidden from the viewer; a copy sharing every array otherwise). Its ``seen_people`` holds the people
    folded again, for their e-mails and LinkedIn URLs."""
    viewer, view = index.viewer, index.view
    if viewer.sees_all:
        return index
    owners = _owners_by_person(store)
    if not owners:
        return index
    again = [pid for pid in _partly_hidden(view, viewer, owners, [p for p in owners if p in view.person_index])
             if index.viewer.sees_all or index.shown[view.person_index[pid]]]
    if not again:
        return index
    seen = people_as_seen(store, again, viewer, view)
    names, titles, job_titles = list(view.person_names), list(view.person_titles), list(view.emp_titles)
    current = view.emp_current.copy()
    for pid, person in seen.items():
        position = view.person_index[pid]
        names[position], titles[position] = person.name, person.title
        jobs = {j.org_id: j.title for j in jobs_as_seen(store, pid, viewer, view)}
        for r in view.jobs.edges_of(position).tolist():  # a job only hidden rows give is neither shown nor ranked
            org = view.org_ids[int(view.emp_org[r])]
            job_titles[r] = jobs.get(org)
            if org not in jobs:
                current[r] = False  # not a buyer at that account for this viewer: no path ends there
    patched = copy.copy(view)
    patched.person_names, patched.person_titles, patched.emp_titles = names, titles, job_titles
    patched.emp_current = current
    out = copy.copy(index)
    out.view, out.seen_people = patched, seen
    out.targets_cache = {}  # targets depend on the jobs this viewer may see: never shared with the index's
    return out


def partly_hidden(store: GraphStore, viewer: Viewer | None, ids: Sequence[str],
                  view: GraphView | None = None) -> set[str]:
    """Of these people, those the viewer sees otherwise than as stored: evidence they may not see, or
    theirs beside another's (none for everything)."""
    if viewer is None or viewer.sees_all:
        return set()
    owners = _owners_by_person(store)
    if not owners or not any(pid in owners for pid in ids):
        return set()
    return set(_partly_hidden(view or graph_view(store), viewer, owners, ids))


def jobs_as_seen(store: GraphStore, person_id: str, viewer: Viewer | None,
                 view: GraphView | None = None) -> list[Employment]:
    """A person's jobs (newest first) that rest on evidence the viewer may see: another rep's private
    or existence-only rows never tell a teammate where someone works."""
    jobs = store.employments_of(person_id)
    if not partly_hidden(store, viewer, [person_id], view):
        return jobs
    view = view or graph_view(store)
    position = view.person_index.get(person_id)
    return [j for j in jobs if any(owner_visible(view, viewer, position, e.owner)
                                   for e in store.evidence_of("employment", j.key))]


def current_jobs_as_seen(store: GraphStore, viewer: Viewer | None, view: GraphView,
                         ids: Sequence[str]) -> dict[str, tuple[int | None, str | None]]:
    """Person id -> (organisation position in ``view``, title) of the first current job the viewer may
    see, for those of these people whose evidence the viewer may see only in part (others: as stored)."""
    out: dict[str, tuple[int | None, str | None]] = {}
    for pid in partly_hidden(store, viewer, ids, view):
        job = next((j for j in jobs_as_seen(store, pid, viewer, view) if j.current), None)
        out[pid] = (view.org_index.get(job.org_id), job.title) if job else (None, None)
    return out
