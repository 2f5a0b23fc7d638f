"""People and organisations behind ``service.search_people``, ``service.person_page``, ``service.mark_person``,
``service.search_organizations`` and ``service.organization_page`` (part of the service).

Strengths are the ranking's own: each relationship's strength and the pair strength of two people come
from the path index of the store's current version (:func:`graphapp.service.paths.path_index`), and
their evidence in words from :mod:`graphapp.domain.explain`, so a person's page and a warm path never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from hashlib import sha256

import numpy as np

from graphapp.domain.explain import hop_evidence, hop_label, name_of, relationship_words, tie_facts
from graphapp.domain.graph import GraphView
from graphapp.domain.identity import normalize_email
from graphapp.domain.path_index import PathIndex
from graphapp.domain.paths import Hop, colleague_strength, pair_between
from graphapp.domain.privacy import Viewer, hidden_id, is_private, visible_people
from graphapp.domain.tie_labels import relationship_label, tier_of
from graphapp.errors import InputError, NotFound
from graphapp.model import (
    KIND_ORDER,
    ORG_CUSTOMER,
    ORG_PARTNER,
    ORG_TARGET,
    Asserted,
    Evidence,
    GraphBatch,
    ImportFile,
    ImportRecord,
    Organization,
    Person,
    Relationship,
    RelationshipKind,
    Rep,
    Visibility,
)
from graphapp.service.common import graph_view, new_import_record
from graphapp.service.paths import PathsResult, account_paths, path_index
from graphapp.service.roles import require
from graphapp.service.seen import current_jobs_as_seen, jobs_as_seen, partly_hidden, people_as_seen
from graphapp.store import GraphStore

MARK_KINDS = ("customer", "influencer", "partner")
APP_FILE = "People page"  # the "file" of the evidence a mark made in the app writes
MAX_QUERY = 200


@dataclass(frozen=True)
class PersonRow:
    """One person in a list (search results, an organisation's people)."""

    id: str
    name: str
    title: str | None
    organization: str | None  # where they work now (the first current job), None: unknown
    organization_id: str | None
    email: str | None
    matched: str = ""  # what the search matched: name, e-mail or company


@dataclass(frozen=True)
class Job:
    org_id: str
    org_name: str
    title: str | None
    start: date | None
    end: date | None
    current: bool


@dataclass(frozen=True)
class Tie:
    """One relationship of a person, with why it counts (label), its strength, the pair strength and its evidence."""

    other_id: str
    other_name: str
    kind: str
    owner: str  # a rep's e-mail or "team"
    owner_name: str
    profession: str | None
    strength: float | None  # this relationship's (None: not in the graph view yet)
    pair_strength: float | None  # the two people's, every relationship between them combined
    override: float | None  # the strength its owner set, if any
    tier: str | None  # of the pair strength: strong, medium, weak (graphapp.domain.tie_labels), None: no pair
    label: str  # why this relationship counts, e.g. "3 meetings, last in May 2026"
    words: str  # the evidence in words, with the numbers (graphapp.domain.explain)
    evidence: tuple[str, ...]  # which import, file and row asserted it
    owner_is_rep: bool  # only a rep who keeps a relationship can set its strength


@dataclass(frozen=True)
class RepTie:
    """How strongly one rep knows a person: the pair strength the ranking uses, its tier, and why."""

    rep_email: str
    rep_name: str
    strength: float
    kind: str
    evidence: tuple[str, ...]
    tier: str = ""  # strong, medium, weak (graphapp.domain.tie_labels)
    label: str = ""  # why, e.g. "two-way messages, last in October 2026 + LinkedIn connection"


@dataclass(frozen=True)
class PersonPage:
    person: Person
    rep_email: str | None  # the person is this rep
    jobs: tuple[Job, ...]  # current first, then newest
    ties: tuple[Tie, ...]  # strongest pair first
    known_by: tuple[RepTie, ...]  # strongest first


@dataclass(frozen=True)
class OrgRow:
    id: str
    name: str
    domains: tuple[str, ...]
    flags: tuple[str, ...]  # customer, target, partner
    known_now: int  # people we know who work there now
    matched: str = ""


@dataclass(frozen=True)
class OrgPage:
    org: Organization
    current: tuple[PersonRow, ...]
    past: tuple[PersonRow, ...]
    paths: PathsResult


def _view(store: GraphStore) -> GraphView:
    return graph_view(store)


def _query(text: str) -> str:
    text = " ".join((text or "").split())
    if len(text) > MAX_QUERY:
        raise InputError(f"A search is at most {MAX_QUERY} characters; type part of a name, e-mail or company.")
    return text


# -- people ----------------------------------------------------------------------------------------
def search_people(store: GraphStore, text: str, *, limit: int = 50, viewer: Viewer | None = None) -> list[PersonRow]:
    """People whose name, e-mail or organisation holds ``text`` (case- and accent-insensitive, partial).

    Parameters:
        text: part of a name ("kowal", "José"), of an e-mail address, or of an organisation's name or domain.
        limit: the most rows.

    Returns:
        Rows, best match first (see ``GraphStore.search_people``); empty for empty text.

    Raises:
        InputError: a text longer than 200 characters.
    """
    text = _query(text)
    if not text:
        return []
    view = _view(store)
    hits = store.search_people(text, limit=limit)
    if viewer is not None and not viewer.sees_all:  # only people the viewer may see
        shown = visible_people(view, viewer)
        hits = [(pid, m) for pid, m in hits if pid in view.person_index and shown[view.person_index[pid]]]
    people = people_as_seen(store, [pid for pid, _ in hits], viewer, view)
    return _person_rows(view, [people[pid] for pid, _ in hits if pid in people], matched=dict(hits),
                        seen=current_jobs_as_seen(store, viewer, view, list(people)))


def _person_rows(view: GraphView, people: list[Person], *, matched: dict[str, str] | None = None,
                 titles: dict[str, str | None] | None = None,
                 seen: dict[str, tuple[int | None, str | None]] | None = None) -> list[PersonRow]:
    positions = [view.person_index[p.id] for p in people if p.id in view.person_index]
    jobs = _current_jobs(view, positions)
    rows = []
    for p in people:
        org, title = jobs.get(view.person_index.get(p.id, -1), (None, None))
        if seen and p.id in seen:  # only what the viewer may see of where they work
            org, title = seen[p.id]
        rows.append(PersonRow(
            id=p.id, name=p.name, title=(titles or {}).get(p.id) or title or p.title,
            organization=view.org_names[org] if org is not None else None,
            organization_id=view.org_ids[org] if org is not None else None,
            email=p.emails[0] if p.emails else None, matched=(matched or {}).get(p.id, "")))
    return rows


def _current_jobs(view: GraphView, positions: list[int]) -> dict[int, tuple[int, str | None]]:
    """Person position -> (organisation position, title) of their first current job."""
    rows = np.flatnonzero(np.isin(view.emp_person, np.asarray(positions, dtype=np.int64)) & view.emp_current)
    found: dict[int, tuple[int, str | None]] = {}
    for r in rows.tolist():
        found.setdefault(int(view.emp_person[r]), (int(view.emp_org[r]), view.emp_titles[r]))
    return found


def person_page(store: GraphStore, person_id: str, *, today: date | None = None,
                viewer: Viewer | None = None) -> PersonPage:
    """Everything the People page shows about one person.

    Returns:
        The person, their jobs, their relationships (strength, pair strength, owner, evidence) and the
        reps who know them, strongest first.

    Raises:
        NotFound: no person has that id (merged into someone else, or their import was undone).
    """
    person = people_as_seen(store, [person_id], viewer).get(person_id)
    index = path_index(store, today=today, viewer=viewer)
    position = index.view.person_index.get(person_id)
    hidden = person is not None and position is not None and not index.viewer.sees_all and not index.shown[position]
    if person is None or hidden:  # a person the viewer may not see is "not found", like one that is not there
        raise NotFound(f"No person with id {person_id!r}: they may have been merged into someone else or "
                       "removed when an import was undone. Search for them by name on the People page.")
    reps = {r.email: r for r in store.list_reps()}
    rep_email = next((r.email for r in reps.values() if r.person_id == person_id), None)
    return PersonPage(person=person, rep_email=rep_email, jobs=tuple(_jobs(store, person_id, index.viewer)),
                      ties=tuple(_ties(store, index, person_id, reps)),
                      known_by=tuple(_known_by(index, position)) if position is not None else ())


def _jobs(store: GraphStore, person_id: str, viewer: Viewer) -> list[Job]:
    jobs = jobs_as_seen(store, person_id, viewer)
    orgs = store.get_organizations(sorted({j.org_id for j in jobs}))
    return [Job(j.org_id, orgs[j.org_id].name if j.org_id in orgs else j.org_id, j.title, j.start, j.end, j.current)
            for j in jobs]


def _ties(store: GraphStore, index: PathIndex, person_id: str, reps: dict[str, Rep]) -> list[Tie]:
    view = index.view
    me = view.person_index.get(person_id)
    in_view: dict[tuple[str, str, str, str], int] = {}
    if me is not None:
        for rel in view.adjacency.edges_of(me).tolist():
            key = (view.person_ids[int(view.source[rel])], view.person_ids[int(view.target[rel])],
                   view.kind_of(rel).value, view.owners[int(view.owner[rel])])
            in_view[key] = rel
    imports = {r.id: r for r in store.list_imports()}
    found = store.relationships_with_evidence(person_id)
    others = {r.target_id if r.source_id == person_id else r.source_id for r, _ in found}
    names = {pid: view.person_names[view.person_index[pid]] for pid in others if pid in view.person_index}
    names.update((p.id, p.name) for p in people_as_seen(store, sorted(others - set(names)), index.viewer).values())
    ties = []
    for rel, evidence in found:
        other = rel.target_id if rel.source_id == person_id else rel.source_id
        r = in_view.get(rel.key)
        if not index.viewer.sees_all and (r is None or not _usable(index, r)):
            continue  # another rep's private relationship
        pair = pair_between(index, me, view.person_index[other]) if r is not None else -1
        if not index.viewer.sees_all and not index.open_relationships[r]:
            # Shared as existence only: the viewer learns that it exists and whom to ask, nothing more.
            position = view.person_index[other]
            evidence = []
            if not index.shown[position]:
                other = hidden_id(other)
                names[other] = name_of(index, position)
        owner = reps.get(rel.owner)
        ties.append(Tie(
            other_id=other, other_name=names.get(other, other), kind=rel.kind.value, owner=rel.owner,
            owner_name=owner.name if owner else ("the team" if rel.owner == "team" else rel.owner),
            profession=rel.profession,
            strength=float(index.rel_strength[r]) if r is not None else None,
            pair_strength=float(index.pairs.strength[pair]) if pair >= 0 else None,
            override=rel.strength_override,
            tier=tier_of(float(index.pairs.strength[pair])) if pair >= 0 else None,
            label=relationship_label(tie_facts(index, r)) if r is not None else rel.kind.value,
            words=relationship_words(index, r) if r is not None else rel.kind.value,
            evidence=tuple(evidence_words(e, imports) for e in evidence), owner_is_rep=owner is not None))
    ties.sort(key=lambda t: (-(t.pair_strength or 0), -(t.strength or 0), t.other_name.casefold(), t.kind, t.owner))
    return ties


def _usable(index: PathIndex, rel: int) -> bool:
    return not is_private(index.view, rel) or index.view.owners[int(index.view.owner[rel])] == index.viewer.email


def evidence_words(e: Evidence, imports: dict[str, ImportRecord]) -> str:
    """``"contacts.csv row 12 (connection), import 20260101-120000-ab12cd: file on 2026-01-01 by dana"``."""
    record = imports.get(e.import_id)
    where = f"{e.file} row {e.row}" if e.row is not None else e.file
    how = f", import {e.import_id}"
    if record is not None:
        how += f": {record.kind} on {record.time:%Y-%m-%d} by {record.actor}"
    return f"{where} ({e.fact}){how}"


def _known_by(index: PathIndex, me: int) -> list[RepTie]:
    """Every rep with a recorded relationship to ``me`` or an implicit colleague tie (same organisation now)."""
    view = index.view
    best: dict[int, RepTie] = {}
    for rep, email in zip(view.rep_person.tolist(), view.rep_emails, strict=True):
        pair = pair_between(index, rep, me) if rep != me else -1
        if pair >= 0:
            kind = KIND_ORDER[int(index.pairs.kind[pair])]
            strength = float(index.pairs.strength[pair])
            hop = Hop(rep, me, kind, strength, strength)
            best[rep] = RepTie(email, view.person_names[rep], strength, kind.value, tuple(hop_evidence(index, hop)),
                               tier_of(strength), hop_label(index, hop))
    colleagues = {int(o) for o in index.pm_org[index.pm_indptr[me]:index.pm_indptr[me + 1]]}
    for org in sorted(o for o in colleagues if index.org_factor[o] > 0):
        members = index.om_person[index.om_indptr[org]:index.om_indptr[org + 1]].tolist()
        for rep in (m for m in members if m != me and index.is_rep[m]):
            strength = colleague_strength(index, rep, me, org)
            if rep not in best or strength > best[rep].strength:
                hop = Hop(rep, me, RelationshipKind.COLLEAGUE, strength, strength, org)
                email = view.rep_emails[view.rep_person.tolist().index(rep)]
                best[rep] = RepTie(email, view.person_names[rep], strength, "colleague",
                                   tuple(hop_evidence(index, hop)), tier_of(strength), hop_label(index, hop))
    return sorted(best.values(), key=lambda t: (-t.strength, t.rep_name.casefold()))


def mark_person(store: GraphStore, person_id: str, rep_email: str, kind: str, *, profession: str | None = None,
                actor: str | None = None, now: datetime | None = None, viewer: Viewer | None = None) -> ImportRecord:
    """Record that a person is a rep's customer, influencer (with a profession) or partner.

    The mark is an import of its own (kind ``app``): the relationship has evidence naming it, it shows
    in the import history, and undoing that import removes exactly what the mark added.

    Parameters:
        kind: ``customer``, ``influencer`` or ``partner``.
        profession: what an influencer does (CPA, broker, architect...); required for an influencer.

    Returns:
        The committed import.

    Raises:
        InputError: an unknown kind, an influencer without a profession, an e-mail no rep has, or the
            rep themself. NotFound: an unknown person.
        NotAllowed: the viewer is not that rep (nor an admin).
    """
    require(store, viewer, "mark-person", reps=[rep_email])
    if kind not in MARK_KINDS:
        raise InputError(f"Mark someone as a customer, influencer or partner, not {kind!r}.")
    profession = " ".join((profession or "").split())[:200] or None
    if kind == "influencer" and not profession:
        raise InputError("Say what the influencer does (CPA, broker, architect, contractor...): "
                         "an influencer needs a profession.")
    rep = _rep(store, rep_email)
    person = store.get_people([person_id]).get(person_id)
    if person is None:
        raise NotFound(f"No person with id {person_id!r}; search for them on the People page.")
    if rep.person_id == person_id:
        raise InputError(f"{rep.name} is the rep; choose another rep to mark them as a {kind}.")
    record = new_import_record("app", actor, now)
    digest = sha256(f"app:{record.id}:{kind}:{rep.email}:{person_id}".encode()).hexdigest()
    record = replace(record, files=(ImportFile(APP_FILE, 0, digest, "app"),))
    evidence = Evidence(record.id, APP_FILE, f"marked as {kind}", owner=rep.email, row=1, file_sha256=digest)
    tie = Relationship(rep.person_id, person_id, RelationshipKind(kind), owner=rep.email,
                       visibility=Visibility.EXISTENCE, profession=profession if kind == "influencer" else None)
    with store.importing(record) as writer:
        writer.write(GraphBatch(relationships=(Asserted(tie, evidence),)))
    return next(r for r in store.list_imports() if r.id == record.id)


def _rep(store: GraphStore, email: str) -> Rep:
    wanted = normalize_email(email or "")
    for rep in store.list_reps():
        if rep.email == wanted:
            return rep
    raise InputError(f"No rep has the e-mail {wanted}; add them to the team first (`graphapp reps add`).")


# -- organisations ---------------------------------------------------------------------------------
def _flags(bits: int) -> tuple[str, ...]:
    return tuple(name for bit, name in ((ORG_CUSTOMER, "customer"), (ORG_TARGET, "target"), (ORG_PARTNER, "partner"))
                 if bits & bit)


def search_organizations(store: GraphStore, text: str, *, limit: int = 50) -> list[OrgRow]:
    """Organisations whose name or domain holds ``text`` (case- and accent-insensitive, partial), best first.

    Raises:
        InputError: a text longer than 200 characters.
    """
    text = _query(text)
    if not text:
        return []
    hits = store.search_organizations(text, limit=limit)
    return _org_rows(store, [oid for oid, _ in hits], dict(hits))


def target_organizations(store: GraphStore) -> list[OrgRow]:
    """The target accounts, by name (what the Organisations page lists before a search)."""
    view = _view(store)
    ids = [view.org_ids[int(o)] for o in view.target_accounts()]
    return sorted(_org_rows(store, ids, {}), key=lambda r: (r.name.casefold(), r.id))


def _org_rows(store: GraphStore, ids: list[str], matched: dict[str, str]) -> list[OrgRow]:
    view, orgs = _view(store), store.get_organizations(ids)
    rows = []
    for oid in (i for i in ids if i in orgs):
        org, position = orgs[oid], view.org_index.get(oid)
        known = len(view.current_employees(position)) if position is not None else 0
        bits = int(view.org_flags[position]) if position is not None else 0
        rows.append(OrgRow(oid, org.name, org.domains, _flags(bits), known, matched.get(oid, "")))
    return rows


def organization_page(store: GraphStore, org_id: str, *, top: int | None = None,
                      today: date | None = None, viewer: Viewer | None = None) -> OrgPage:
    """Everything the Organisations page shows about one organisation: its people now and before,
    and the ranked warm paths into it, explained.

    Raises:
        NotFound: no organisation has that id.
    """
    org = store.get_organizations([org_id]).get(org_id)
    view = _view(store)
    if org is None or org_id not in view.org_index:
        raise NotFound(f"No organisation with id {org_id!r}; search for it by name or domain on the "
                       "Organisations page.")
    position = view.org_index[org_id]
    current: dict[int, str | None] = {}
    past: dict[int, str | None] = {}
    for r in view.employees.edges_of(position).tolist():
        person, title = int(view.emp_person[r]), view.emp_titles[r]
        (current if view.emp_current[r] else past).setdefault(person, title)
    past = {p: t for p, t in past.items() if p not in current}
    if viewer is not None and not viewer.sees_all:  # only people the viewer may see
        shown = visible_people(view, viewer)
        current = {p: t for p, t in current.items() if shown[p]}
        past = {p: t for p, t in past.items() if shown[p]}
        for pid in partly_hidden(store, viewer, [view.person_ids[p] for p in (*current, *past)], view):
            # Someone whose job here only another rep's hidden rows assert is not shown here.
            jobs = [j for j in jobs_as_seen(store, pid, viewer, view) if j.org_id == org_id]
            p = view.person_index[pid]
            for group, now in ((current, True), (past, False)):
                job = next((j for j in jobs if j.current == now), None)
                if p in group:
                    if job is None:
                        del group[p]
                    else:
                        group[p] = job.title
    people = people_as_seen(store, [view.person_ids[p] for p in (*current, *past)], viewer, view)

    def rows(group: dict[int, str | None]) -> tuple[PersonRow, ...]:
        found = [people[view.person_ids[p]] for p in group if view.person_ids[p] in people]
        titles = {view.person_ids[p]: t for p, t in group.items()}
        return tuple(sorted(_person_rows(view, found, titles=titles), key=lambda r: (r.name.casefold(), r.id)))

    paths = account_paths(store, org_id, top=top, today=today, viewer=viewer)
    return OrgPage(org=org, current=rows(current), past=rows(past), paths=paths)
