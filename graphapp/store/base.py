"""The store interface: what every graph store (embedded SQLite, Neo4j server) does for its callers.

Stores persist and fetch; they do not rank. Writes are grouped per import: ``importing(record)``
opens one all-or-nothing unit of work to which any number of :class:`GraphBatch` es are written,
so a large file never has to be held in memory at once. Entity rows are folds of their evidence,
which is what makes re-imports idempotent and undo exact.
"""

from __future__ import annotations

import abc
from collections.abc import Collection, Iterator, Mapping, Sequence, Set
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date

from graphapp.audit import AuditEntry
from graphapp.domain.duplicates import KeptApart
from graphapp.domain.invariants import Violation
from graphapp.model import (
    Employment,
    Evidence,
    GraphBatch,
    GraphSnapshot,
    ImportRecord,
    IntroEvent,
    IntroRequest,
    Organization,
    Person,
    Relationship,
    Rep,
    StoreCounts,
    StoreSummary,
)
from graphapp.store.neighbourhood import cut_neighbourhood

GRAPH_CHANGED = ("another import or change landed while this import was being matched against the graph; "
                 "nothing of it was written")

class BatchWriter(abc.ABC):
    """Receives the batches of one import; nothing is visible to readers until the import commits."""

    @abc.abstractmethod
    def write(self, batch: GraphBatch) -> None:
        """Upsert every asserted fact of ``batch`` and record its evidence."""

    @abc.abstractmethod
    def added(self) -> dict[str, int]:
        """How many people, organisations, employments and relationships this import created."""

    def relationships_known(self) -> int:
        """How many relationships this import asserted that the store already held (each got this
        import's evidence): known once the import is saved; 0 from a store that cannot tell."""
        return 0


class GraphStore(abc.ABC):
    """A home for the relationship graph. Implementations: ``SQLiteStore`` and ``Neo4jStore``."""

    location: str

    # -- lifecycle ---------------------------------------------------------------------------
    @abc.abstractmethod
    def close(self) -> None:
        """Release connections; the store object is unusable afterwards."""

    @abc.abstractmethod
    def data_version(self) -> int:
        """A number that changes whenever committed data changes (the graph view's cache key)."""

    # -- writes ------------------------------------------------------------------------------
    @abc.abstractmethod
    def importing(self, record: ImportRecord, *, read_at: int | None = None) -> AbstractContextManager[BatchWriter]:
        """Open the all-or-nothing unit of work of one import.

        Leaving the block normally commits every batch written and the record (its counts filled
        in); an exception leaves the store exactly as it was and propagates.

        ``read_at``: the :meth:`data_version` the import's records were matched against. When another write
        has landed since, the import raises :class:`~graphapp.errors.GraphChanged` and writes nothing, so two
        imports at once never both add the same person (the service matches the files again).
        """

    @abc.abstractmethod
    def undo_import(self, import_id: str) -> ImportRecord:
        """Remove the evidence ``import_id`` brought and everything only it supported.

        Raises ``NotFound`` for an unknown id and ``InputError`` for one already undone.
        """

    @abc.abstractmethod
    def merge_people(self, keep_id: str, gone_id: str) -> None:
        """Make two people one: ``gone_id``'s evidence, relationships, jobs and rep role move to ``keep_id``.

        Raises ``NotFound`` for an unknown id, ``InputError`` when their LinkedIn URLs differ or both are reps.
        """

    @abc.abstractmethod
    def split_person(self, person_id: str) -> list[str]:
        """Split a person into the identities their evidence shows (by LinkedIn URL and e-mails).

        Returns the resulting ids, the original first. Raises ``InputError`` when there is only one.
        """

    @abc.abstractmethod
    def set_strength(self, a_id: str, b_id: str, owner: str, value: float | None) -> int:
        """Set (``None``: clear) the strength override of the relationships between two people that
        ``owner`` keeps. Returns how many changed. Raises ``NotFound`` for an unknown person."""

    def set_person_visibility(self, person_id: str, owner: str, visibility: str) -> int:
        """Set the visibility of every relationship ``owner`` keeps with a person (audited); how many
        changed. Raises ``NotFound`` for an unknown person."""
        raise NotImplementedError(f"{type(self).__name__} cannot change visibility yet.")

    def keep_apart(self, decision: KeptApart) -> None:
        """Remember that two people are different humans (a possible duplicate decided; audited as
        ``keep-apart`` with both ids)."""
        raise NotImplementedError(f"{type(self).__name__} cannot keep decisions about possible duplicates yet.")

    def kept_apart(self) -> list[KeptApart]:
        """Every decision :meth:`keep_apart` recorded, oldest first."""
        raise NotImplementedError(f"{type(self).__name__} cannot keep decisions about possible duplicates yet.")

    @abc.abstractmethod
    def set_target(self, org_id: str, is_target: bool, *, owner: str | None = None,
                   priority: str | None = None) -> None:
        """Make an organisation a target account (with its owning rep and priority), or no longer one.

        Raises ``NotFound`` for an unknown organisation.
        """

    @abc.abstractmethod
    def save_settings(self, values: Mapping[str, str | None]) -> None:
        """Save settings for the whole team (``None`` removes one: back to its default)."""

    @abc.abstractmethod
    def saved_settings(self) -> dict[str, str]:
        """The settings saved with :meth:`save_settings`, by name."""

    @abc.abstractmethod
    def add_intro(self, intro: IntroRequest) -> None:
        """Record a new introduction request with its first events."""

    def add_intros(self, intros: Sequence[IntroRequest]) -> None:
        """Record several new requests at once (one unit of work where the store can)."""
        for intro in intros:
            self.add_intro(intro)

    @abc.abstractmethod
    def add_intro_event(self, intro_id: str, event: IntroEvent) -> None:
        """Move a request to the event's state. Raises ``NotFound`` for an unknown id."""

    @abc.abstractmethod
    def list_intros(self, *, rep_email: str | None = None, account_id: str | None = None,
                    ids: Sequence[str] | None = None) -> list[IntroRequest]:
        """Introduction requests with their events, newest first, filtered by rep, account or ids."""

    @abc.abstractmethod
    def job_moves(self) -> list[tuple[str, str, str | None, str]]:
        """Job changes the latest import revealed: (person id, new organisation id, title, previous
        organisation id) for current jobs it asserted first, of people an earlier import placed elsewhere."""

    @abc.abstractmethod
    def add_rep(self, rep: Rep, person: Person) -> bool:
        """Make ``person`` (created if new) a rep; False when that rep already existed."""

    # -- reads -------------------------------------------------------------------------------
    @abc.abstractmethod
    def counts(self) -> StoreCounts:
        """People, organisations, relationships, reps and standing imports."""

    @abc.abstractmethod
    def summary(self) -> StoreSummary:
        """Counts plus each owner's contribution of relationships."""

    @abc.abstractmethod
    def list_reps(self) -> list[Rep]:
        """Every rep, ordered by name."""

    @abc.abstractmethod
    def list_imports(self) -> list[ImportRecord]:
        """Every import, newest first."""

    @abc.abstractmethod
    def get_people(self, ids: Sequence[str]) -> dict[str, Person]:
        """The people with these ids (unknown ids are left out)."""

    @abc.abstractmethod
    def find_people(self, *, emails: Sequence[str] = (), linkedin_urls: Sequence[str] = ()) -> dict[str, str]:
        """Map each known e-mail / LinkedIn URL (as given, normalised by the caller) to a person id."""

    @abc.abstractmethod
    def people_by_keys(self, keys: Collection[str]) -> dict[str, Sequence[str]]:
        """Person ids found under each lookup key (``email:``, ``linkedin:``, ``name:<name key>|<org id>``)."""

    def every_person_key(self, asked: int) -> Iterator[tuple[str, str]] | None:
        """Every person lookup key with its person's id, oldest person first (a key of several people
        comes once for each), when ``asked`` keys are enough of the store's to read them all in one pass
        rather than look each up; None otherwise (and for a store that cannot: this one)."""
        return None

    @abc.abstractmethod
    def organizations_by_keys(self, keys: Sequence[str]) -> dict[str, Sequence[str]]:
        """Organisation ids found under each lookup key (``org:<org key>``, ``domain:<domain>``)."""

    @abc.abstractmethod
    def sources_of_people(self, ids: Sequence[str]) -> dict[str, Set[str]]:
        """The SHA-256 of every file that asserted each person (to tell merges from re-imports)."""

    def every_person_sources(self, asked: int) -> Iterator[tuple[str, Set[str]]] | None:
        """Every person's id with what ``sources_of_people`` gives for them, when ``asked`` people are
        enough of the store's to read them all in one pass rather than look each up; None otherwise
        (and for a store that cannot: this one)."""
        return None

    def people_of_several_owners(self) -> dict[str, frozenset[str]]:
        """Every person whose evidence comes from more than one owner (reps' e-mails, ``team``), with
        those owners: the people whose details a viewer may see only in part
        (:mod:`graphapp.service.seen`)."""
        raise NotImplementedError(f"{type(self).__name__} cannot tell whose evidence a person rests on yet.")

    def person_evidence(self, ids: Sequence[str]) -> dict[str, list[tuple[str, Person]]]:
        """Each person's evidence as (owner, the person as that row asserted them, under their id now),
        one per source row, in import order: what :meth:`get_people` folds, owner by owner."""
        raise NotImplementedError(f"{type(self).__name__} cannot read a person's evidence by owner yet.")

    @abc.abstractmethod
    def get_organizations(self, ids: Sequence[str]) -> dict[str, Organization]:
        """The organisations with these ids."""

    @abc.abstractmethod
    def list_organizations(self) -> list[Organization]:
        """Every organisation, ordered by name."""

    @abc.abstractmethod
    def relationships_of(self, person_id: str) -> list[Relationship]:
        """Every relationship with ``person_id`` at either end."""

    def archive_people(self, rep: Rep, kinds: Collection[str], *, without_url: bool = False
                       ) -> list[tuple[str, str, date | None]]:
        """(person id, name, first seen) of each relationship of these kinds between the rep and someone,
        that the rep owns; with ``without_url``, only people without a LinkedIn URL. Identity resolution
        reads it to find the people of a rep's own archive by name (``ingest.resolve.people``). A store
        may answer it in one query; this one reads the rep's relationships and their people."""
        ties = [(t.target_id if t.source_id == rep.person_id else t.source_id, t.first_seen)
                for t in self.relationships_of(rep.person_id) if t.kind in kinds and t.owner == rep.email]
        people = self.get_people(sorted({pid for pid, _ in ties}))
        out = []
        for pid, first_seen in ties:
            person = people.get(pid)
            if person is not None and not (without_url and person.linkedin_url):
                out.append((pid, person.name, first_seen))
        return out

    @abc.abstractmethod
    def employments_of(self, person_id: str) -> list[Employment]:
        """Every employment of ``person_id``, newest first."""

    @abc.abstractmethod
    def search_people(self, text: str, *, limit: int = 50) -> list[tuple[str, str]]:
        """People whose name, e-mail or organisation holds ``text`` (case- and accent-insensitive,
        partial), best first: (person id, what matched: ``name``, ``e-mail`` or ``company``)."""

    @abc.abstractmethod
    def search_organizations(self, text: str, *, limit: int = 50) -> list[tuple[str, str]]:
        """Organisations whose name or domain holds ``text``, best first: (id, ``name`` or ``domain``)."""

    @abc.abstractmethod
    def relationships_with_evidence(self, person_id: str) -> list[tuple[Relationship, list[Evidence]]]:
        """Every relationship with ``person_id`` at either end, each with its evidence (empty: unknown id)."""

    @abc.abstractmethod
    def evidence_of(self, subject: str, key: Sequence[str]) -> list[Evidence]:
        """The evidence behind one ``person``/``organization`` (key: id), ``employment`` or
        ``relationship`` (key: its ``.key``)."""

    @abc.abstractmethod
    def identity_violations(self) -> list[Violation]:
        """Every violation of the who-is-who rules (:mod:`graphapp.domain.invariants`) in the whole store,
        sorted by rule, then ids; empty when there is none. An import checks the same rules on what it
        touched before it commits, and raises ``IdentityConflict`` (committing nothing) instead."""

    @abc.abstractmethod
    def evidence_files(self, subject: str, ids: Sequence[str]) -> dict[str, list[tuple[str, str]]]:
        """For each ``person`` or ``organization`` id, the (file name, owner) of the evidence behind it,
        each pair once, oldest first (ids without evidence, and unknown ids, are left out)."""

    @abc.abstractmethod
    def read_snapshot(self) -> GraphSnapshot:
        """The whole graph as columns, for :func:`graphapp.domain.graph.build_view`."""

    pushes_down_neighbourhood: bool = False
    """True when :meth:`read_neighbourhood` reads only the neighbourhood (not the whole graph)."""

    def read_neighbourhood(self, account_id: str, hops: int, *, most_people: int | None = None) -> GraphSnapshot | None:
        """What ranking paths of at most ``hops`` relationships into one account needs, as a snapshot
        (see :mod:`graphapp.store.neighbourhood`); None when it holds more than ``most_people`` people
        (reading the whole graph is then the cheaper way). This default cuts it from :meth:`read_snapshot`.

        Raises ``NotFound`` for an unknown organisation.
        """
        cut = cut_neighbourhood(self.read_snapshot(), account_id, hops)
        return None if most_people is not None and len(cut.person_ids) > most_people else cut

    @abc.abstractmethod
    def digest(self) -> str:
        """A content digest: equal for stores holding the same facts, whatever their history."""

    # -- audit log, forgetting, backups (SQLite: graphapp/store/sqlite_audit.py, sqlite_backup.py) --
    # Not abstract, so a store without them still opens; each names what is missing when called.
    # Every change method above writes its audit row (graphapp.audit) in the change's own unit of work.
    def _not_here(self, what: str):
        return NotImplementedError(f"{type(self).__name__} does not support {what} yet (the embedded SQLite store does).")

    def record_audit(self, action: str, objects: Sequence[str] = (), counts: Mapping[str, int] | None = None,
                     *, hashed: Sequence[str] = ()) -> None:
        """Append one audit row on its own (sign-ins, failures, exports); ``hashed`` values are stored
        as salted hashes. The actor is :func:`graphapp.audit.audit_actor`."""
        raise self._not_here("the audit log")

    def audit_log(self, *, limit: int = 100, action: str | None = None) -> list[AuditEntry]:
        """The newest ``limit`` audit rows (of one ``action``), newest first."""
        raise self._not_here("the audit log")

    def forget_person(self, person_id: str, *, suppress: bool = False) -> dict[str, int]:
        """Remove a person, their relationships, jobs, evidence, lookup keys and the intro requests naming
        them, audited; with ``suppress`` their e-mail and LinkedIn keys' salted hashes block re-import.
        Returns counts by kind. Raises ``NotFound``; ``InputError`` for a rep."""
        raise self._not_here("forgetting a person")

    def suppressed_keys(self, keys: Sequence[str]) -> set[str]:
        """Which of these lookup keys (``email:...``, ``linkedin:...``) are suppressed (forgotten people)."""
        raise self._not_here("the suppression list")

    def list_suppressed(self) -> list[tuple[str, str, str]]:
        """(hash, time, actor) of every suppression, newest first."""
        raise self._not_here("the suppression list")

    def unsuppress(self, hash_value: str) -> bool:
        """Remove one suppression (audited); False when there was none."""
        raise self._not_here("the suppression list")

    def backup(self, path: str) -> str:
        """Write a verified copy of the store to the new file ``path`` (audited); returns its digest."""
        raise self._not_here("backups")

    def auto_backup(self, reason: str) -> str | None:
        """Back up into the store's backup folder before a risky change; returns the file (None: no folder)."""
        raise self._not_here("backups")

    def restore(self, path: str) -> dict[str, object]:
        """Replace the store's content with a backup (the current state is backed up first), audited.
        Returns the restored digest and what was re-applied. Raises ``StoreError`` for a bad file."""
        raise self._not_here("restoring a backup")

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def chunked(items: Sequence, size: int) -> Iterator[Sequence]:
    """Consecutive slices of at most ``size`` items."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True)
class SyncResult:
    """A whole graph copied from one store into another (``graphapp sync``), checked by counts and digest."""

    source: str
    target: str
    counts: dict[str, int]
    digest: str
