"""The relationship graph's vocabulary: frozen dataclasses and enums, standard library only.

Every fact in the graph is *asserted* by an import (a file, its owner, a row). A batch of asserted
facts (:class:`GraphBatch`) is what the importers and the demo produce and what a store writes in one
transaction; the entity rows a store keeps are folds of the evidence that asserts them, so undoing an
import removes its evidence and re-folds what is left.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Generic, TypeVar

TEAM = "team"
"""Owner of facts asserted by the team as a whole rather than by one rep."""


class RelationshipKind(enum.StrEnum):
    """What kind of tie a relationship is. Values are stored; never rename one."""

    LINKEDIN = "linkedin"  # 1st-degree LinkedIn connection
    COLLEAGUE = "colleague"  # worked at the same organisation at overlapping times
    CUSTOMER = "customer"  # a customer contact a rep manages
    INFLUENCER = "influencer"  # circle of influence: CPA, broker, architect, contractor...
    PARTNER = "partner"  # partner salesperson at a non-competing company
    REFERRAL = "referral"  # referred business before
    MET = "met"  # meetings
    MESSAGED = "messaged"
    ENDORSED = "endorsed"
    RECOMMENDED = "recommended"
    TEAMMATE = "teammate"
    KNOWS = "knows"  # entered by hand
    PROSPECT = "prospect"  # a CRM contact in an open opportunity, with activity
    OWNER = "owner"  # owner in the CRM, no contact yet: makes the person known, is no relationship
    INVITED = "invited"  # a LinkedIn invitation the person sent the rep, not yet answered (weak)


NOT_A_RELATIONSHIP: frozenset[RelationshipKind] = frozenset({RelationshipKind.OWNER})
"""Kinds that record who keeps a person without any contact between them: shown with the person, never
used by a path, a weekly list or coverage, and never given a strength (0)."""


class Visibility(enum.StrEnum):
    """Who may see a relationship (the rules are enforced by the service layer)."""

    PRIVATE = "private"  # only its owner
    EXISTENCE = "existence"  # teammates see that a path exists, not who the contact is
    TEAM = "team"  # fully shared


class ImportStatus(enum.StrEnum):
    COMMITTED = "committed"
    FAILED = "failed"
    UNDONE = "undone"


def _union(first: Iterable[str], second: Iterable[str]) -> tuple[str, ...]:
    """Ordered union without duplicates: first's order, then what second adds."""
    return tuple(dict.fromkeys([*first, *second]))


@dataclass(frozen=True, slots=True)
class Person:
    """A human being, whoever's data they appear in.

    ``id`` is stable for the life of the person in the store; ``name`` is the display name and
    ``name_variants`` every other spelling seen (nicknames, other scripts, credential suffixes).
    """

    id: str
    name: str
    name_variants: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    linkedin_url: str | None = None
    phones: tuple[str, ...] = ()
    title: str | None = None
    location: str | None = None

    def __post_init__(self) -> None:
        if not self.id:
            raise ValueError("a person needs an id")
        if self.emails and any(e != e.lower() for e in self.emails):
            raise ValueError(f"e-mails are stored lower-case: {self.emails!r}")

    def merged_with(self, newer: Person) -> Person:
        """Fold a newer assertion about the same person into this one.

        Lists are unioned; a scalar the newer assertion gives replaces the older one. The fold is
        what a store applies on write and re-applies over the remaining evidence after an undo.
        """
        name = newer.name or self.name
        variants = _union((self.name, *self.name_variants), (newer.name, *newer.name_variants))
        return Person(
            id=self.id,
            name=name,
            name_variants=tuple(v for v in variants if v and v != name),
            emails=_union(self.emails, newer.emails),
            linkedin_url=newer.linkedin_url or self.linkedin_url,
            phones=_union(self.phones, newer.phones),
            title=newer.title or self.title,
            location=newer.location or self.location,
        )


@dataclass(frozen=True, slots=True)
class Organization:
    """A company or other organisation; flags say what it is to the team."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    is_customer: bool = False
    is_target: bool = False
    is_partner: bool = False
    target_owner: str | None = None  # the rep who owns the target account (e-mail), None: the whole team
    priority: str | None = None  # of a target account: high, medium, low

    def __post_init__(self) -> None:
        if not self.id:
            raise ValueError("an organisation needs an id")
        if self.priority not in (None, "high", "medium", "low"):
            raise ValueError(f"priority is high, medium or low, got {self.priority!r}")
        if any(d != d.lower() for d in self.domains):
            raise ValueError(f"domains are stored lower-case: {self.domains!r}")

    def merged_with(self, newer: Organization) -> Organization:
        """Fold a newer assertion about the same organisation into this one (flags are sticky)."""
        name = newer.name or self.name
        aliases = _union((self.name, *self.aliases), (newer.name, *newer.aliases))
        return Organization(
            id=self.id,
            name=name,
            aliases=tuple(a for a in aliases if a and a != name),
            domains=_union(self.domains, newer.domains),
            is_customer=self.is_customer or newer.is_customer,
            is_target=self.is_target or newer.is_target,
            is_partner=self.is_partner or newer.is_partner,
            target_owner=newer.target_owner or self.target_owner,
            priority=newer.priority or self.priority,
        )


@dataclass(frozen=True)
class Rep:
    """A person on our team, identified by e-mail."""

    email: str
    person_id: str
    name: str
    role: str = "rep"

    def __post_init__(self) -> None:
        if "@" not in self.email or self.email != self.email.lower():
            raise ValueError(f"a rep is identified by a lower-case e-mail, got {self.email!r}")


@dataclass(frozen=True, slots=True)
class Relationship:
    """A typed tie between two people, owned by the rep whose data asserted it (or the team).

    ``count_out`` counts interactions from ``source_id`` to ``target_id``, ``count_in`` the other
    way. A store keeps one relationship per (source, target, kind, owner) and derives its counts
    and dates from the evidence that asserts it.
    """

    source_id: str
    target_id: str
    kind: RelationshipKind
    owner: str = TEAM
    visibility: Visibility = Visibility.EXISTENCE
    profession: str | None = None
    first_seen: date | None = None
    last_interaction: date | None = None
    count_out: int = 0
    count_in: int = 0
    strength_override: float | None = None

    def __post_init__(self) -> None:
        if self.source_id == self.target_id:
            raise ValueError(f"a relationship joins two different people, got {self.source_id!r} twice")
        if self.count_out < 0 or self.count_in < 0:
            raise ValueError("interaction counts cannot be negative")
        if self.strength_override is not None and not 0 < self.strength_override <= 1:
            raise ValueError(f"a strength override lies in (0, 1], got {self.strength_override}")
        if self.first_seen and self.last_interaction and self.last_interaction < self.first_seen:
            raise ValueError("last interaction is before first seen")
        # Accept plain strings from callers, store the enums.
        if type(self.kind) is not RelationshipKind:
            object.__setattr__(self, "kind", RelationshipKind(self.kind))
        if type(self.visibility) is not Visibility:
            object.__setattr__(self, "visibility", Visibility(self.visibility))

    @property
    def key(self) -> tuple[str, str, str, str]:
        """The stable key a store upserts on."""
        return (self.source_id, self.target_id, self.kind.value, self.owner)


@dataclass(frozen=True, slots=True)
class Employment:
    """A person's job at an organisation.

    ``as_of`` is the date a source last said this job was the person's current one (a connection
    list, a CRM row); of two current jobs only the one with the newer ``as_of`` counts as current.
    """

    person_id: str
    org_id: str
    title: str | None = None
    start: date | None = None
    end: date | None = None
    current: bool = True
    as_of: date | None = None

    def __post_init__(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"employment ends ({self.end}) before it starts ({self.start})")

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.person_id, self.org_id, self.start.isoformat() if self.start else "")


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a fact came from: which import, which file (and its SHA-256), which row, whose data.

    ``fact`` names what the row said (``connection``, ``message``, ``meeting``, ``contact``,
    ``employment``...). Two imports of the same bytes give evidence with equal
    :attr:`source_key`, which is how re-imports add nothing.
    """

    import_id: str
    file: str
    fact: str
    owner: str = TEAM
    row: int | None = None
    file_sha256: str = ""

    @property
    def source_key(self) -> tuple[str, int | None, str]:
        return (self.file_sha256 or self.file, self.row, self.fact)


T = TypeVar("T", Person, Organization, Employment, Relationship)


@dataclass(frozen=True, slots=True)
class Asserted(Generic[T]):
    """A fact together with the evidence that asserts it."""

    value: T
    evidence: Evidence


@dataclass(frozen=True)
class GraphBatch:
    """Asserted facts written together; a store writes one or more batches per import transaction.

    Organisations and people are written before reps, employments and relationships, so a batch may
    refer to people and organisations it also asserts.
    """

    people: tuple[Asserted[Person], ...] = ()
    organizations: tuple[Asserted[Organization], ...] = ()
    employments: tuple[Asserted[Employment], ...] = ()
    relationships: tuple[Asserted[Relationship], ...] = ()
    reps: tuple[Rep, ...] = ()  # people of the batch who join the team
    # (absorbed id, kept id): known people this batch shows to be one human, merged before anything else.
    merges: tuple[tuple[str, str], ...] = ()

    def __len__(self) -> int:
        parts = (self.people, self.organizations, self.employments, self.relationships, self.reps, self.merges)
        return sum(len(p) for p in parts)


@dataclass(frozen=True)
class ImportFile:
    """One file of an import: its name, size, content hash and the format it was read as."""

    name: str
    size: int
    sha256: str
    format: str


@dataclass(frozen=True)
class ImportRecord:
    """One import: who ran it, when, which files, what it added, and whether it stands."""

    id: str
    time: datetime
    actor: str
    files: tuple[ImportFile, ...] = ()
    counts: tuple[tuple[str, int], ...] = ()
    status: ImportStatus = ImportStatus.COMMITTED
    kind: str = "file"

    def with_counts(self, **counts: int) -> ImportRecord:
        return replace(self, counts=tuple(sorted({**dict(self.counts), **counts}.items())))


@dataclass(frozen=True)
class StoreCounts:
    """How much the store holds; ``graphapp stats --json`` prints exactly these keys."""

    people: int = 0
    organizations: int = 0
    relationships: int = 0
    reps: int = 0
    imports: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "people": self.people,
            "organizations": self.organizations,
            "relationships": self.relationships,
            "reps": self.reps,
            "imports": self.imports,
        }


@dataclass(frozen=True)
class OwnerContribution:
    """How many relationships one owner (a rep's e-mail or ``team``) brought into the graph."""

    owner: str
    relationships: int


@dataclass(frozen=True)
class StoreSummary:
    counts: StoreCounts
    contributions: tuple[OwnerContribution, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class GraphSnapshot:
    """Everything the in-memory view needs, as columns (a store's bulk read, not a query API).

    People, organisations and relationships are addressed by their position in ``person_ids`` /
    ``org_ids``. Dates are proleptic ordinals (``date.toordinal()``), 0 when unknown; kinds and
    visibilities are indices into :data:`KIND_ORDER` and :data:`VISIBILITY_ORDER`; an override of
    0.0 means none. Columns are sequences of numbers (a store may hand over ``array.array`` or
    numpy arrays, which the view adopts without copying).
    """

    version: int
    person_ids: list[str]
    person_names: list[str]
    person_titles: list[str | None]
    org_ids: list[str]
    org_names: list[str]
    org_flags: Sequence[int]  # bit 1 customer, 2 target, 4 partner
    rep_person: Sequence[int]
    rep_emails: list[str]
    owners: list[str]
    rel_source: Sequence[int]
    rel_target: Sequence[int]
    rel_kind: Sequence[int]
    rel_owner: Sequence[int]
    rel_visibility: Sequence[int]
    rel_first_seen: Sequence[int]
    rel_last_interaction: Sequence[int]
    rel_count_out: Sequence[int]
    rel_count_in: Sequence[int]
    rel_override: Sequence[float]
    emp_person: Sequence[int]
    emp_org: Sequence[int]
    emp_current: Sequence[int]
    emp_start: Sequence[int]
    emp_end: Sequence[int]
    emp_titles: list[str | None]


KIND_ORDER: tuple[RelationshipKind, ...] = tuple(RelationshipKind)
VISIBILITY_ORDER: tuple[Visibility, ...] = tuple(Visibility)
ORG_CUSTOMER, ORG_TARGET, ORG_PARTNER = 1, 2, 4


class IntroState(enum.StrEnum):
    """Where an introduction request stands; :data:`INTRO_FLOW` says which state may follow which."""

    SUGGESTED = "suggested"
    REQUESTED = "requested"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    INTRODUCED = "introduced"
    MEETING = "meeting"
    OPPORTUNITY = "opportunity"
    WON = "won"
    LOST = "lost"


@dataclass(frozen=True)
class IntroEvent:
    """One change of an introduction request's state, on a day, by someone, with an optional note."""

    state: IntroState
    day: date
    actor: str
    time: datetime
    note: str | None = None


@dataclass(frozen=True)
class IntroRequest:
    """A rep's request to a connector for an introduction to a person at an account.

    ``path`` is the path as ``graphapp paths --json`` prints it (one element of ``"paths"``), as it was
    when the request was made.
    """

    id: str
    rep_email: str
    account_id: str
    connector_id: str
    target_id: str
    score: float | None
    path: dict
    draft: str | None
    state: IntroState
    created: datetime
    updated: datetime
    events: tuple[IntroEvent, ...] = ()
