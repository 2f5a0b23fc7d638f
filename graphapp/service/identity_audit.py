"""Auditing who is who (part of the service): the identity rules checked over the whole store
(``graphapp doctor``), and the people and organisations listed with the keys and files behind them
(``graphapp people``, ``graphapp orgs``), for the person who looks after the team's data.

Privacy is the People page's: an admin (and the command line without ``--as``) sees everyone; anyone
else sees only the people whose identity they may see (:func:`graphapp.domain.privacy.visible_people`:
never another rep's private contacts, nor a teammate's contact shared as existence only), and of the
files behind a person or organisation only their own and the team's, with a count of the others.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphapp.domain.graph import GraphView
from graphapp.domain.invariants import Violation
from graphapp.domain.privacy import Viewer, visible_people
from graphapp.errors import InputError
from graphapp.model import TEAM
from graphapp.service.common import graph_view
from graphapp.service.roles import require
from graphapp.service.seen import current_jobs_as_seen, people_as_seen
from graphapp.store import GraphStore

DEFAULT_LIMIT = 50
MAX_QUERY = 200


def check_identity(store: GraphStore, *, viewer: Viewer | None = None) -> list[Violation]:
    """Every violation of the who-is-who rules in the store (docs/identity.md), sorted by rule.

    Returns:
        The violations; empty when the store keeps every rule. Each has ``line()`` for a person and
        ``as_dict()`` for a program.

    Raises:
        NotAllowed: the viewer is not an admin.
    """
    require(store, viewer, "check-identity")
    return store.identity_violations()


@dataclass(frozen=True)
class PersonEntry:
    """One person as the audit lists them: their strong keys, where they work now and the files behind them."""

    id: str
    name: str
    emails: tuple[str, ...]
    linkedin_url: str | None
    organization: str | None  # where they work now (the first current job); None: unknown
    organization_id: str | None
    files: tuple[str, ...]  # names of the files whose rows assert this person, oldest first
    files_hidden: int = 0  # files of other reps' the viewer may not see

    def as_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "emails": list(self.emails), "linkedin_url": self.linkedin_url,
                "organization": self.organization, "organization_id": self.organization_id,
                "files": list(self.files), "files_hidden": self.files_hidden}


@dataclass(frozen=True)
class OrgEntry:
    """One organisation as the audit lists it: its domains, how many people and the files behind it."""

    id: str
    name: str
    domains: tuple[str, ...]
    people: int  # people with a job there, now or before (that the viewer may see)
    people_now: int  # of those, working there now
    files: tuple[str, ...]
    files_hidden: int = 0

    def as_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "domains": list(self.domains), "people": self.people,
                "people_now": self.people_now, "files": list(self.files), "files_hidden": self.files_hidden}


@dataclass(frozen=True)
class Listing:
    """A page of people or organisations: ``entries`` are the first ``limit`` of the ``total`` that match
    (``exact`` False: at least ``total``, as a search stops counting past a few times the limit)."""

    entries: tuple
    total: int
    limit: int
    exact: bool = True

    @property
    def cut(self) -> bool:
        return self.total > len(self.entries) or not self.exact

    def as_dict(self) -> dict:
        return {"total": self.total, "total_exact": self.exact, "shown": len(self.entries), "limit": self.limit,
                "entries": [e.as_dict() for e in self.entries]}


def list_people(store: GraphStore, *, search: str | None = None, limit: int = DEFAULT_LIMIT,
                viewer: Viewer | None = None) -> Listing:
    """People with their e-mails, LinkedIn URL, current organisation and the files behind them.

    Parameters:
        search: part of a name, e-mail or organisation (as ``graphapp search``); None: everyone, by name.
        limit: the most entries (the listing's ``total`` says how many matched).
        viewer: who is looking (None: the command line, which sees everyone).

    Returns:
        A :class:`Listing` of :class:`PersonEntry`, best match first (by name without ``search``).

    Raises:
        InputError: a limit below 1, or a search longer than 200 characters.
    """
    _check_limit(limit)
    view = graph_view(store)
    shown = None if _sees_all(viewer) else visible_people(view, viewer)
    exact = True
    if search is not None and search.strip():
        text = " ".join(search.split())
        if len(text) > MAX_QUERY:
            raise InputError(f"A search is at most {MAX_QUERY} characters; type part of a name, e-mail or company.")
        asked = limit + 1 if shown is None else limit * 4 + 1  # enough to know there are more, after the filter
        ids = [pid for pid, _ in store.search_people(text, limit=asked)]
        exact = len(ids) < asked
    else:
        ids = [view.person_ids[i] for i in sorted(range(view.n_people), key=lambda i: (view.person_names[i].casefold(),
                                                                                       view.person_ids[i]))]
    if shown is not None:
        ids = [pid for pid in ids if pid in view.person_index and shown[view.person_index[pid]]]
    page = ids[:limit]
    people = people_as_seen(store, page, viewer, view)
    files = store.evidence_files("person", page)
    jobs = _current_orgs(view, [view.person_index[p] for p in page if p in view.person_index])
    seen_jobs = current_jobs_as_seen(store, viewer, view, page)
    entries = []
    for pid in page:
        p = people.get(pid)
        if p is None:
            continue
        org = seen_jobs[pid][0] if pid in seen_jobs else jobs.get(view.person_index.get(pid, -1))
        names, hidden = _files(files.get(pid, []), viewer)
        entries.append(PersonEntry(p.id, p.name, p.emails, p.linkedin_url,
                                   view.org_names[org] if org is not None else None,
                                   view.org_ids[org] if org is not None else None, names, hidden))
    return Listing(tuple(entries), len(ids), limit, exact)


def list_organizations(store: GraphStore, *, limit: int = DEFAULT_LIMIT, viewer: Viewer | None = None) -> Listing:
    """Organisations by name, with their domains, how many people work or worked there and the files behind them.

    Parameters:
        limit: the most entries (the listing's ``total`` says how many there are).
        viewer: who is looking (None: the command line); people they may not see are not counted.

    Returns:
        A :class:`Listing` of :class:`OrgEntry`.

    Raises:
        InputError: a limit below 1.
    """
    _check_limit(limit)
    view = graph_view(store)
    orgs = store.list_organizations()
    page = orgs[:limit]
    counted = np.ones(len(view.emp_person), dtype=np.bool_)
    if not _sees_all(viewer):
        counted = visible_people(view, viewer)[view.emp_person] if len(view.emp_person) else counted
    files = store.evidence_files("organization", [o.id for o in page])
    entries = []
    for o in page:
        position = view.org_index.get(o.id)
        at = (view.emp_org == position) & counted if position is not None else np.zeros(0, dtype=np.bool_)
        people = len(set(view.emp_person[at].tolist()))
        now = len(set(view.emp_person[at & view.emp_current].tolist())) if len(at) else 0
        names, hidden = _files(files.get(o.id, []), viewer)
        entries.append(OrgEntry(o.id, o.name, o.domains, people, now, names, hidden))
    return Listing(tuple(entries), len(orgs), limit)


def _sees_all(viewer: Viewer | None) -> bool:
    return viewer is None or viewer.sees_all or viewer.role == "admin"


def _check_limit(limit: int) -> None:
    if limit < 1:
        raise InputError(f"--limit is at least 1, not {limit}.")


def _files(found: list[tuple[str, str]], viewer: Viewer | None) -> tuple[tuple[str, ...], int]:
    """The file names the viewer may see (each once, oldest first) and how many others there are."""
    names = list(dict.fromkeys(name for name, owner in found
                               if _sees_all(viewer) or owner in (viewer.email, TEAM)))
    every = set(name for name, _owner in found)
    return tuple(names), len(every - set(names))


def _current_orgs(view: GraphView, positions: list[int]) -> dict[int, int]:
    """Person position -> organisation position of their first current job."""
    rows = np.flatnonzero(np.isin(view.emp_person, np.asarray(positions, dtype=np.int64)) & view.emp_current)
    found: dict[int, int] = {}
    for r in rows.tolist():
        found.setdefault(int(view.emp_person[r]), int(view.emp_org[r]))
    return found
