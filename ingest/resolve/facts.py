"""The facts a resolved import asserts, as a stream of bounded batches.

Once :mod:`ingest.resolve.resolver` has decided who is who (a person id for every contact record), each
record becomes asserted facts: a person and a job per contact, a job per position, a relationship
per tie. They are produced file by file, ``CHUNK_ROWS`` records at a time, and each file's records
are released once its facts are out, so writing a large import holds one batch of facts, not all.

The stream writes exactly what one batch of every fact would: people, jobs and relationships come
in the same order, the organisations, reps and merges first, and a tie only after the people it joins.
"""

from __future__ import annotations

import itertools
from collections.abc import Container, Iterable, Iterator
from typing import TYPE_CHECKING, TypeVar

from graphapp.domain.identity import name_key, stable_id
from graphapp.model import (
    TEAM,
    Asserted,
    Employment,
    Evidence,
    GraphBatch,
    Person,
    Relationship,
    RelationshipKind,
    Visibility,
)
from ingest.records import OWNER, ContactRecord, ParsedFile, TieRecord

if TYPE_CHECKING:
    from ingest.resolve.people import People
    from ingest.resolve.resolver import Resolver

T = TypeVar("T")

CHUNK_ROWS = 10_000
"""Records per batch: large enough that per-batch work is noise, small enough to bound memory."""


def fact_batches(r: Resolver, files: list[ParsedFile], people: People) -> Iterator[GraphBatch]:
    """The facts of the resolved files, in batches of at most ``CHUNK_ROWS`` records.

    Parameters:
        r: the resolver that resolved ``files`` (organisations, team, merges).
        files: the parsed files; their contacts, ties and positions are read once more, block by block,
            and cleared once their facts are out.
        people: the person id of every contact, by file, in record order.

    Yields:
        Batches: organisations, reps and merges first, then each file's people and jobs, its
        positions and its ties. Notes on ties that cannot be made go to ``r.result.notes``.
    """
    chunk = CHUNK_ROWS
    yield GraphBatch(people=tuple(_rep_people(r, files)), organizations=tuple(r.org_items),
                     reps=tuple(r.new_reps.values()), merges=tuple(r.absorbed.items()))
    r.org_items = []
    for i, f in enumerate(files):
        ties, ids = _Ties(f.ties), people.of_file(i)
        for contacts in _chunks(f.contacts, chunk):
            of_chunk = {c.ref: pid for c, pid in zip(contacts, ids, strict=False)}  # stops at the last contact
            people_, jobs, shared = _contact_facts(r, i, f, contacts, of_chunk, people)
            # The ties that follow on from these contacts (a connection's tie is on its contact's row)
            # go with them, sharing their evidence; the first tie naming a record of another batch
            # waits, with all after it (ties keep their order), for the end of the file.
            rels = _tie_facts(r, i, f, ties.joining(of_chunk, chunk), of_chunk, shared)
            yield GraphBatch(people=people_, employments=jobs, relationships=rels)
            del contacts, of_chunk, people_, jobs, shared, rels  # written: let go before the next batch is made
        # Ties that waited, and jobs of contacts (not the owner's), may name any record of the file:
        # only then are the file's ids read again, as a whole (team sheets, rarely large).
        if ties.waiting() or any(p.who[:1] != "@" for p in f.positions):
            of_file = dict(zip((c.ref for c in f.contacts), people.of_file(i), strict=True))
        else:
            of_file = {}
        positions = _position_facts(r, i, f, of_file)  # after every contact's job, as in one batch
        for rest in _chunks(ties.rest(), chunk, at_least_once=True):  # at least once: for the positions
            rels = _tie_facts(r, i, f, rest, of_file, {})
            if positions or rels:
                yield GraphBatch(employments=positions, relationships=rels)
            positions = rels = ()  # written: let go before the next batch is made
        f.contacts.clear(), f.ties.clear(), f.positions.clear()
        del of_file


def _chunks(records: Iterable[T], size: int, at_least_once: bool = False) -> Iterator[list[T]]:
    """``records`` in lists of ``size`` (the last one shorter); with ``at_least_once``, an empty list when there are none."""
    it = iter(records)
    while chunk := list(itertools.islice(it, size)):
        yield chunk
        at_least_once = False
    if at_least_once:
        yield []


class _Ties:
    """A file's ties read once, in order: those that join the contacts of a batch, then the rest."""

    def __init__(self, ties: Iterable[TieRecord]) -> None:
        self._it = iter(ties)
        self._next: TieRecord | None = next(self._it, None)

    def joining(self, refs: Container[str], limit: int) -> list[TieRecord]:
        """The next ties, up to ``limit``, as long as each joins only ``refs``, the owner or reps."""
        out: list[TieRecord] = []
        t, it = self._next, self._it
        while t is not None and len(out) < limit and _joins_only(t, refs):
            out.append(t)
            t = next(it, None)
        self._next = t
        return out

    def waiting(self) -> bool:
        """Whether ties are left (after the contacts' batches: ties that name a record of another batch)."""
        return self._next is not None

    def rest(self) -> Iterator[TieRecord]:
        if self._next is not None:
            yield self._next
            self._next = None
            yield from self._it


def _joins_only(t: TieRecord, refs: Container[str]) -> bool:
    """Whether each end of ``t`` is the owner, a rep, or one of ``refs``."""
    return (t.a[:1] == "@" or t.a in refs) and (t.b[:1] == "@" or t.b in refs)


def _rep_people(r: Resolver, files: list[ParsedFile]) -> list[Asserted[Person]]:
    items = []
    for rep in r.new_reps.values():
        f = files[0]
        adopted = rep.person_id != stable_id("p", f"email:{rep.email}")  # keep the known person's name
        person = Person(rep.person_id, "" if adopted else rep.name, emails=(rep.email,))
        items.append(Asserted(person, r.ev(f, None, "rep", owner=TEAM)))
    for f in files:
        if f.owner and r.owner and (f.owner.linkedin_url or f.owner.name or f.owner.emails):
            name = f.owner.name or r.owner.name
            person = Person(r.owner.person_id, name, emails=f.owner.emails, linkedin_url=f.owner.linkedin_url,
                            title=f.owner.headline, location=f.owner.location)
            items.append(Asserted(person, r.ev(f, None, "owner-profile")))
    return items


def _contact_facts(r: Resolver, i: int, f: ParsedFile, contacts: list[ContactRecord], person_of, resolved: People) -> tuple:
    """Each contact as a person, and the job its row tells; also each row's evidence (row -> evidence).
    A key of the record that is another person's (``People.dropped_keys``) is left out."""
    people, jobs, shared = [], [], {}
    org_of, import_id = r.org_of, r.import_id
    file, sha, who = f.name, f.sha256, r.owner.email if r.owner and not f.team_file else TEAM  # r.ev()
    for c in contacts:
        pid = person_of[c.ref]
        name = c.name or (c.emails[0] if c.emails else c.linkedin_url) or pid
        # Positional arguments, in the fields' order (a third faster than keywords, for every record).
        emails, url = c.emails, c.linkedin_url
        if resolved.dropped and (dropped := resolved.dropped_keys(i, c.ref)):
            emails = tuple(e for e in emails if f"email:{e}" not in dropped)
            url = None if f"linkedin:{url}" in dropped else url
        person = Person(pid, name, (), emails, url, c.phones, c.title, c.location)
        row = c.row
        evidence = shared[row] = Evidence(import_id, file, c.fact, who, row, sha)
        people.append(Asserted(person, evidence))
        if c.company:
            org = org_of.get((i, c.company))
        else:  # a CRM contact whose company shows only as their work address's domain works there
            org = r.org_by_domain and c.emails and r.org_of_address(c.emails)
        if org:
            job = Employment(pid, org, c.title, None, None, True, c.as_of or f.employers_as_of)
            jobs.append(Asserted(job, Evidence(import_id, file, "employment", who, row, sha)))
    return tuple(people), tuple(jobs), shared


def _position_facts(r: Resolver, i: int, f: ParsedFile, person_of) -> tuple[Asserted[Employment], ...]:
    """The jobs of a file's positions (the owner's, or a contact's past and present ones)."""
    jobs = []
    for p in f.positions:
        holder = endpoint(r, p.who, person_of)
        org = r.org_of.get((i, p.company))
        if holder and org:
            job = Employment(holder, org, title=p.title, start=p.start, end=p.end, current=p.current)
            jobs.append(Asserted(job, r.ev(f, p.row, "position")))
    return tuple(jobs)


def endpoint(r: Resolver, ref: str, person_of: dict[str, str]) -> str | None:
    """The person id a tie end or job holder names, ``person_of`` being its file's (None: an unknown rep, or no owner)."""
    if ref == OWNER:
        return r.owner.person_id if r.owner else None
    if ref.startswith("@rep-email:"):
        return r.all_reps()[ref.split(":", 1)[1]].person_id
    if ref.startswith("@rep-name:"):
        rep = r.rep_names.get(name_key(ref.split(":", 1)[1]))
        return rep.person_id if rep else None
    return person_of.get(ref)


def _tie_facts(r: Resolver, i: int, f: ParsedFile, ties: list[TieRecord], person_of,
               shared: dict[int, Evidence]) -> tuple[Asserted[Relationship], ...]:
    """The relationships of these ties; ``shared``: the evidence of contacts' rows, reused when equal."""
    rep_people = {rep.person_id: rep.email for rep in r.all_reps().values()}
    items = []
    import_id = r.import_id
    owner_id = r.owner.person_id if r.owner else None  # endpoint(OWNER)
    default_owner = r.owner.email if r.owner and not f.team_file else TEAM  # _tie_owner without reps
    for t in ties:
        # A file's own refs (r12, m3) never start with "@" (the owner and reps do).
        ref_a, ref_b = t.a, t.b
        if ref_a[:1] != "@":
            a = person_of[ref_a] if ref_a in person_of else None
        else:
            a = owner_id if ref_a == OWNER else endpoint(r, ref_a, person_of)
        if ref_b[:1] != "@":
            b = person_of[ref_b] if ref_b in person_of else None
        else:
            b = owner_id if ref_b == OWNER else endpoint(r, ref_b, person_of)
        if a is None or b is None:
            missing = t.a if a is None else t.b
            r.result.notes.append((f, t.row, f"{missing.split(':', 1)[-1]} is not a rep of the team; the contact is kept without this tie"))
            continue
        if a == b:
            continue
        if t.reported_by or ref_a[:5] == "@rep-" or ref_b[:5] == "@rep-":
            owner = _tie_owner(r, f, t)
        else:
            owner = default_owner
        kind, visibility = t.kind, r.visibility
        if a in rep_people and b in rep_people:
            kind, owner, visibility = RelationshipKind.TEAMMATE, TEAM, Visibility.TEAM
        first, last = t.first_seen, t.last_interaction
        if first and last:
            first = last if last < first else first  # first seen: the earlier of the two
        rel = Relationship(a, b, kind, owner, visibility, t.profession, first or last or None, last, t.count_out,
                           t.count_in)  # positional, in the fields' order: once per tie
        evidence = shared[t.row] if t.row in shared else None
        if evidence is None or evidence.fact != t.fact or evidence.owner != owner:
            evidence = Evidence(import_id, f.name, t.fact, owner, t.row, f.sha256)
        items.append(Asserted(rel, evidence))
    return tuple(items)


def _tie_owner(r: Resolver, f: ParsedFile, t: TieRecord) -> str:
    if t.reported_by:
        return t.reported_by
    for end in (t.a, t.b):
        if end.startswith("@rep-email:"):
            return end.split(":", 1)[1]
        if end.startswith("@rep-name:"):
            rep = r.rep_names.get(name_key(end.split(":", 1)[1]))
            if rep:
                return rep.email
    return r.owner.email if r.owner and not f.team_file else TEAM
