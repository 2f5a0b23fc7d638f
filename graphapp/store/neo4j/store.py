"""The server store: the same graph on Neo4j, for teams that outgrow one machine (official ``neo4j`` driver).

Chosen by a ``neo4j://``, ``neo4j+s://``, ``bolt://`` or ``bolt+s://`` location (``--db`` or
``GRAPHAPP_DB``). One driver per process (:mod:`graphapp.store.neo4j.driver`), a session per unit of
work, every write a managed transaction that starts by taking the graph's write lock; Cypher lives in
:mod:`graphapp.store.neo4j.cypher` as constant text with parameters. Imports are staged and published
(:mod:`graphapp.store.neo4j.write`); identity fixes are in :mod:`graphapp.store.neo4j.merge`; bulk
reads, search and the pushed-down neighbourhood of one account in :mod:`graphapp.store.neo4j.read`.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence, Set
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from graphapp.audit import AuditEntry, audit_actor, hash_with, suppressible_keys
from graphapp.domain.duplicates import KeptApart
from graphapp.domain.invariants import Violation
from graphapp.errors import ConfigError, GraphChanged, InputError, NotFound, StoreError
from graphapp.model import (
    Employment,
    Evidence,
    GraphSnapshot,
    ImportRecord,
    IntroEvent,
    IntroRequest,
    IntroState,
    Organization,
    OwnerContribution,
    Person,
    Relationship,
    Rep,
    StoreCounts,
    StoreSummary,
    Visibility,
)
from graphapp.store import codec
from graphapp.store.base import GRAPH_CHANGED, BatchWriter, GraphStore
from graphapp.store.config import StoreConfig
from graphapp.store.neighbourhood import effective_current
from graphapp.store.neo4j import cypher as cy
from graphapp.store.neo4j import doctor
from graphapp.store.neo4j import read as reads
from graphapp.store.neo4j.driver import Sessions, acquire_driver, parse_target, release_driver, rows_of
from graphapp.store.neo4j.merge import merge_people, split_person
from graphapp.store.neo4j.work import (
    Work,
    load_people,
    org_from_row,
    person_from_row,
    refresh_person_keys,
    upsert_entities,
)
from graphapp.store.neo4j.write import Neo4jStager, drop_staged, publish, start_staging, undo_import

T = TypeVar("T")
STALE_STAGING = timedelta(days=1)  # a staging import this old was left by a process that died
_schema_ready: set[tuple[str, str | None]] = set()


def open_neo4j(location: str, *, create: bool = True, config: StoreConfig | None = None,
               driver_factory: Callable[..., Any] | None = None) -> Neo4jStore:
    """Connect to the Neo4j server at ``location`` and make sure graphapp's constraints exist.

    ``config`` gives the database, batch size, retry time, whether an unencrypted remote connection is
    allowed, and the login (see :class:`~graphapp.store.config.StoreConfig`); ``driver_factory``
    replaces ``neo4j.GraphDatabase.driver``.

    Raises:
        ConfigError: a bad address, an unencrypted remote one, or no password.
        StoreError: the server cannot be reached, refuses the login, lacks the database, is read-only,
            or (without ``create``) holds no graphapp data.
    """
    config = config or StoreConfig()
    target = parse_target(location, database=config.neo4j_database, allow_insecure=config.neo4j_allow_insecure)
    if config.neo4j_batch_size < 1:
        raise StoreError(f"neo4j_batch_size must be at least 1, got {config.neo4j_batch_size}.")
    if not config.neo4j_password:
        raise ConfigError("No Neo4j password: set NEO4J_USER and NEO4J_PASSWORD (or [neo4j] user and password "
                          "in .streamlit/secrets.toml for the app).")
    retry = float(config.neo4j_retry_seconds)
    driver = acquire_driver(target, (config.neo4j_user, config.neo4j_password), retry, driver_factory)
    sessions = Sessions(driver, target, retry)
    try:
        sessions.verify()
        ensure_schema(sessions, create=create)
    except BaseException:
        release_driver(driver)
        raise
    return Neo4jStore(sessions, config.neo4j_batch_size)


def ensure_schema(sessions: Sessions, *, create: bool) -> None:
    """Create the constraints, indexes and meta node once per process and database (idempotent)."""
    key = (sessions.target.uri, sessions.target.database)
    if key in _schema_ready:
        return
    if create:
        sessions.write(lambda tx: [rows_of(tx.run(statement, {})) for statement in cy.SCHEMA])
        sessions.write(lambda tx: rows_of(tx.run(cy.INIT_META, {})))
    elif not sessions.read(lambda tx: rows_of(tx.run(cy.META, {}))):
        raise StoreError(f"No graphapp data at {sessions.target.location}; create it with "
                         f"`graphapp --db {sessions.target.uri} init` or copy one with `graphapp sync`.")
    _schema_ready.add(key)


class Neo4jStore(GraphStore):
    """A graph store on a Neo4j server. Thread-safe: the driver pools connections; each call is its own session."""

    pushes_down_neighbourhood = True

    def __init__(self, sessions: Sessions, batch_size: int = 5000) -> None:
        self._sessions, self._batch = sessions, batch_size
        self.location = sessions.target.location
        self._closed = False

    # -- lifecycle ---------------------------------------------------------------------------------------
    def close(self) -> None:
        if not self._closed:
            self._closed = True
            release_driver(self._sessions.driver)

    def data_version(self) -> int:
        found = self._read(lambda tx: rows_of(tx.run(cy.META, {})))
        return int(found[0]["version"]) if found else 0

    def _read(self, fn: Callable[[Any], T]) -> T:
        return self._sessions.read(fn)

    def _work(self, fn: Callable[[Work], T]) -> T:
        """Run ``fn`` in one locked write transaction (the pk counter saved before it commits)."""
        def unit(tx: Any) -> T:
            work = Work(tx, self._batch)
            result = fn(work)
            work.save()
            return result

        return self._sessions.write(unit)

    def delete_everything(self) -> None:
        """Remove every node and relationship graphapp keeps here, in batches (tests, benchmarks, sync)."""
        while self._sessions.write(lambda tx: rows_of(tx.run(cy.DELETE_ALL, {"labels": list(cy.LABELS),
                                                                     "limit": self._batch}))[0]["deleted"]):
            pass
        _schema_ready.discard((self._sessions.target.uri, self._sessions.target.database))

    # -- writes --------------------------------------------------------------------------------------------
    @contextmanager
    def importing(self, record: ImportRecord, *, read_at: int | None = None) -> Iterator[BatchWriter]:
        self._drop_stale()
        self._sessions.write(lambda tx: start_staging(tx, record))
        stager = Neo4jStager(self._sessions.write, record, self._batch)

        def publish_unchanged(work: Work) -> dict[str, int]:
            if read_at is not None and work.version != read_at + 1:  # the lock bumped it once: nothing else landed
                raise GraphChanged(GRAPH_CHANGED)
            return publish(work, record, stager.batches)

        try:
            yield stager
            stager.counts = self._work(publish_unchanged)
        except BaseException:
            try:
                drop_staged(self._sessions.write, record.id, self._batch)
            except StoreError:
                pass  # the server went away: the next import deletes it (_drop_stale)
            raise

    def _drop_stale(self) -> None:
        before = (datetime.now(UTC) - STALE_STAGING).isoformat()
        for r in self._read(lambda tx: rows_of(tx.run(cy.STALE_STAGING, {"before": before}))):
            drop_staged(self._sessions.write, r["id"], self._batch)

    def undo_import(self, import_id: str) -> ImportRecord:
        return self._work(lambda work: undo_import(work, import_id))

    def merge_people(self, keep_id: str, gone_id: str) -> None:
        self._work(lambda work: merge_people(work, keep_id, gone_id))

    def split_person(self, person_id: str) -> list[str]:
        return self._work(lambda work: split_person(work, person_id))

    def keep_apart(self, decision: KeptApart) -> None:
        def change(work: Work) -> None:
            [pk] = work.new_pks(1)
            work.run(cy.KEEP_APART, pk=pk, time=decision.time.isoformat(), actor=decision.actor,
                     first_id=decision.first_id, second_id=decision.second_id,
                     first_marks=sorted(decision.first_marks), second_marks=sorted(decision.second_marks))

        self._work(change)

    def kept_apart(self) -> list[KeptApart]:
        return [KeptApart(r["first_id"], r["second_id"], frozenset(r["first_marks"]), frozenset(r["second_marks"]),
                          datetime.fromisoformat(r["time"]), r["actor"]) for r in self._rows(cy.KEPT_APART)]

    def set_strength(self, a_id: str, b_id: str, owner: str, value: float | None) -> int:
        def change(work: Work) -> int:
            a, b = _person_pk(work, a_id), _person_pk(work, b_id)
            return int(work.run(cy.SET_STRENGTH, a=a, b=b, owner=owner, value=value)[0]["changed"])

        return self._work(change)

    def set_person_visibility(self, person_id: str, owner: str, visibility: str) -> int:
        value = _visibility(visibility)

        def change(work: Work) -> int:
            pk = _person_pk(work, person_id)
            return int(work.run(cy.SET_PERSON_VISIBILITY, pk=pk, owner=owner, visibility=value)[0]["changed"])

        return self._work(change)

    def forget_person(self, person_id: str, *, suppress: bool = False) -> dict[str, int]:
        """As on SQLite: one transaction, its audit row included; with ``suppress``, the salted hashes of
        their e-mail and LinkedIn keys go on the suppression list (``:Suppressed``)."""
        def forget(work: Work) -> dict[str, int]:
            found = work.run(cy.FORGET_FACTS, id=person_id)
            if not found or found[0]["pk"] is None:
                raise NotFound(f"No person with id {person_id!r}; search for them on the People page.")
            facts = found[0]
            if facts["is_rep"]:
                raise InputError(f"{person_id} is a rep on the team; a rep is offboarded, not forgotten.")
            ties = [pk for pk in facts["ties"] if pk is not None]
            jobs = [pk for pk in facts["jobs"] if pk is not None]
            subjects = ([{"subject": "relationship", "pk": pk} for pk in ties]
                        + [{"subject": "employment", "pk": pk} for pk in jobs]
                        + [{"subject": "person", "pk": facts["pk"]}])
            evidence = int(work.run(cy.FORGET_EVIDENCE, subjects=subjects)[0]["removed"])
            intros = int(work.run(cy.FORGET_INTROS, id=person_id, quoted=json.dumps(person_id))[0]["removed"])
            keys = int(work.run(cy.FORGET_PERSON, pk=facts["pk"])[0]["keys"])
            hashes: list[str] = []
            if suppress:
                salt = work.run(cy.AUDIT_SALT, salt=secrets.token_hex(16))[0]["salt"]
                wanted = suppressible_keys(facts["keys"], json.loads(facts["lists"]).get("emails", ()))
                hashes = sorted(hash_with(salt, k) for k in wanted)
                work.run(cy.SUPPRESS, rows=[{"hash": h, "time": _now(), "actor": audit_actor()} for h in hashes])
            counts = {"relationships": len(ties), "employments": len(jobs), "evidence": evidence, "keys": keys,
                      "intros": intros, "suppressed": len(hashes)}
            _audit(work.tx, "forget", [person_id, *(f"hash:{h}" for h in hashes)], counts)
            return counts

        return self._work(forget)

    def suppressed_keys(self, keys: Sequence[str]) -> set[str]:
        rows = self._rows(cy.SALT)
        if not keys or not rows or rows[0]["salt"] is None:
            return set()
        by_hash = {hash_with(rows[0]["salt"], k): k for k in set(keys)}
        return {by_hash[r["hash"]] for r in self._unwind(cy.SUPPRESSED_AMONG, list(by_hash), "hashes")}

    def list_suppressed(self) -> list[tuple[str, str, str]]:
        return [(r["hash"], r["time"], r["actor"]) for r in self._rows(cy.LIST_SUPPRESSED)]

    def unsuppress(self, hash_value: str) -> bool:
        def write(tx: Any) -> bool:
            removed = int(rows_of(tx.run(cy.UNSUPPRESS, {"hash": hash_value}))[0]["removed"])
            if removed:
                _audit(tx, "unsuppress", [f"hash:{hash_value}"], {"removed": removed})
            return bool(removed)

        return self._sessions.write(write)

    def set_target(self, org_id: str, is_target: bool, *, owner: str | None = None,
                   priority: str | None = None) -> None:
        if priority not in (None, "high", "medium", "low"):
            raise InputError(f"A priority is high, medium or low, not {priority!r}.")

        def change(work: Work) -> None:
            if not work.run(cy.SET_TARGET, id=org_id, target_bit=2 if is_target else 0,
                            owner=owner if is_target else None, priority=priority if is_target else None):
                raise NotFound(f"No organisation with id {org_id!r}.")

        self._work(change)

    def save_settings(self, values: Mapping[str, str | None]) -> None:
        def change(work: Work) -> None:
            for name, value in values.items():
                if value is None:
                    work.run(cy.DELETE_SETTING, name=name)
                else:
                    work.run(cy.SAVE_SETTING, name=name, value=value)

        self._work(change)

    def record_audit(self, action: str, objects: Sequence[str] = (), counts: Mapping[str, int] | None = None,
                     *, hashed: Sequence[str] = ()) -> None:
        """One audit row in a write of its own (the graph's version is not bumped: views stay valid)."""
        self._sessions.write(lambda tx: _audit(tx, action, objects, counts, hashed=hashed))

    def audit_log(self, *, limit: int = 100, action: str | None = None) -> list[AuditEntry]:
        rows = self._rows(cy.AUDIT_LOG, action=action, limit=max(0, int(limit)))
        return [AuditEntry(r["seq"], datetime.fromisoformat(r["time"]), r["actor"], r["action"], tuple(r["objects"]),
                           json.loads(r["counts"])) for r in rows]

    def saved_settings(self) -> dict[str, str]:
        return {r["name"]: r["value"] for r in self._read(lambda tx: rows_of(tx.run(cy.SAVED_SETTINGS, {})))}

    def add_intro(self, intro: IntroRequest) -> None:
        self.add_intros([intro])

    def add_intros(self, intros: Sequence[IntroRequest]) -> None:
        if not intros:
            return

        def change(work: Work) -> None:
            for intro in intros:
                work.run(cy.ADD_INTRO, id=intro.id, rep_email=intro.rep_email, account_id=intro.account_id,
                         connector_id=intro.connector_id, target_id=intro.target_id, score=intro.score,
                         path=json.dumps(intro.path, sort_keys=True), draft=intro.draft, state=intro.state.value,
                         created=intro.created.isoformat(), updated=intro.updated.isoformat())
                for event in intro.events:
                    _add_event(work, intro.id, event)

        self._work(change)

    def add_intro_event(self, intro_id: str, event: IntroEvent) -> None:
        self._work(lambda work: _add_event(work, intro_id, event))

    def list_intros(self, *, rep_email: str | None = None, account_id: str | None = None,
                    ids: Sequence[str] | None = None) -> list[IntroRequest]:
        def read(tx: Any) -> list[IntroRequest]:
            found = [r["intro"] for r in rows_of(tx.run(cy.LIST_INTROS, {"rep_email": rep_email, "account_id": account_id,
                                                                 "ids": None if ids is None else list(ids)}))]
            events: dict[str, list[IntroEvent]] = {}
            for r in rows_of(tx.run(cy.INTRO_EVENTS, {"ids": [i["id"] for i in found]})):
                e = r["event"]
                events.setdefault(e["intro_id"], []).append(IntroEvent(
                    IntroState(e["state"]), date.fromisoformat(e["day"]), e["actor"], datetime.fromisoformat(e["time"]),
                    e.get("note")))
            return [_intro(i, events.get(i["id"], ())) for i in found]

        return self._read(read)

    def job_moves(self) -> list[tuple[str, str, str | None, str]]:
        return self._read(lambda tx: reads.job_moves(tx, self._batch))

    def add_rep(self, rep: Rep, person: Person) -> bool:
        def change(work: Work) -> bool:
            if work.run(cy.REP_BY_EMAIL, email=rep.email):
                return False
            pks = upsert_entities(work, "person", {person.id: person}, load_people(work, [person.id]))
            refresh_person_keys(work, pks.values())
            work.run(cy.ADD_REPS, rows=[{"email": rep.email, "person_pk": pks[person.id], "role": rep.role}])
            return True

        return self._work(change)

    # -- reads ---------------------------------------------------------------------------------------------
    def _rows(self, query: str, **params: Any) -> list[dict[str, Any]]:
        return self._read(lambda tx: rows_of(tx.run(query, params)))

    def _unwind(self, query: str, values: Sequence, key: str, **params: Any) -> list[dict[str, Any]]:
        return self._read(lambda tx: reads.unwind(tx, query, list(values), key, self._batch, **params))

    def counts(self) -> StoreCounts:
        r = self._rows(cy.COUNTS)[0]
        return StoreCounts(r["people"], r["organizations"], r["relationships"], r["reps"], r["imports"])

    def summary(self) -> StoreSummary:
        rows = sorted(self._rows(cy.CONTRIBUTIONS), key=lambda r: (-r["relationships"], r["owner"]))
        return StoreSummary(self.counts(), tuple(OwnerContribution(r["owner"], r["relationships"]) for r in rows))

    def list_reps(self) -> list[Rep]:
        rows = sorted(self._rows(cy.LIST_REPS), key=lambda r: (r["name"], r["email"]))
        return [Rep(email=r["email"], person_id=r["person_id"], name=r["name"], role=r["role"]) for r in rows]

    def list_imports(self) -> list[ImportRecord]:
        return [codec.import_from_row(r) for r in self._rows(cy.LIST_IMPORTS)]

    def get_people(self, ids: Sequence[str]) -> dict[str, Person]:
        return {r["id"]: person_from_row(r) for r in self._unwind(cy.PEOPLE_BY_ID, list(dict.fromkeys(ids)), "ids")}

    def find_people(self, *, emails: Sequence[str] = (), linkedin_urls: Sequence[str] = ()) -> dict[str, str]:
        wanted = {f"email:{e}": e for e in emails} | {f"linkedin:{u}": u for u in linkedin_urls}
        return {wanted[k]: ids[0] for k, ids in self.people_by_keys(list(wanted)).items()}

    def people_by_keys(self, keys: Collection[str]) -> dict[str, Sequence[str]]:
        return _by_key(self._unwind(cy.PEOPLE_BY_KEYS, list(dict.fromkeys(keys)), "keys"))

    def organizations_by_keys(self, keys: Sequence[str]) -> dict[str, Sequence[str]]:
        return _by_key(self._unwind(cy.ORGS_BY_KEYS, list(dict.fromkeys(keys)), "keys"))

    def sources_of_people(self, ids: Sequence[str]) -> dict[str, Set[str]]:
        found: dict[str, set[str]] = {}
        for r in self._unwind(cy.SOURCES_OF_PEOPLE, list(dict.fromkeys(ids)), "ids"):
            found.setdefault(r["id"], set()).add(r["sha256"])
        return found

    def get_organizations(self, ids: Sequence[str]) -> dict[str, Organization]:
        return {r["id"]: org_from_row(r) for r in self._unwind(cy.ORGS_BY_ID, list(dict.fromkeys(ids)), "ids")}

    def list_organizations(self) -> list[Organization]:
        return [org_from_row(r) for r in sorted(self._rows(cy.ALL_ORGS), key=lambda r: (r["name"], r["id"]))]

    def relationships_of(self, person_id: str) -> list[Relationship]:
        return [_relationship(r) for r in sorted(self._rows(cy.TIES_OF_PERSON, id=person_id), key=lambda r: r["pk"])]

    def employments_of(self, person_id: str) -> list[Employment]:
        jobs = self._rows(cy.JOBS_OF_PERSON, id=person_id)
        current = effective_current(jobs)
        jobs.sort(key=lambda j: (j["pk"] in current, j["as_of"] or "", j["start"] or ""), reverse=True)
        return [Employment(person_id=j["person_id"], org_id=j["org_id"], title=j["title"],
                           start=codec.parse_date(j["start"] or None), end=codec.parse_date(j["end_date"]),
                           current=j["pk"] in current, as_of=codec.parse_date(j["as_of"])) for j in jobs]

    def search_people(self, text: str, *, limit: int = 50) -> list[tuple[str, str]]:
        return self._read(lambda tx: reads.search_people(tx, text, limit))

    def search_organizations(self, text: str, *, limit: int = 50) -> list[tuple[str, str]]:
        return self._read(lambda tx: reads.search_organizations(tx, text, limit))

    def relationships_with_evidence(self, person_id: str) -> list[tuple[Relationship, list[Evidence]]]:
        def read(tx: Any) -> list[tuple[Relationship, list[Evidence]]]:
            ties = sorted(rows_of(tx.run(cy.TIES_OF_PERSON, {"id": person_id})), key=lambda r: r["pk"])
            evidence: dict[int, list[Evidence]] = {t["pk"]: [] for t in ties}
            for r in reads.unwind(tx, cy.EVIDENCE_ROWS, list(evidence), "pks", self._batch, subject="relationship"):
                evidence[r["subject_pk"]].append(_evidence(r))
            return [(_relationship(t), evidence[t["pk"]]) for t in ties]

        return self._read(read)

    def people_of_several_owners(self) -> dict[str, frozenset[str]]:
        return {r["id"]: frozenset(r["owners"]) for r in self._rows(cy.PEOPLE_OF_SEVERAL_OWNERS)}

    def person_evidence(self, ids: Sequence[str]) -> dict[str, list[tuple[str, Person]]]:
        rows = sorted(self._unwind(cy.PERSON_EVIDENCE, list(dict.fromkeys(ids)), "ids"), key=lambda r: (r["seq"], r["pk"]))
        found: dict[str, list[tuple[str, Person]]] = {}
        seen: set[tuple] = set()
        for r in rows:
            if (r["id"], r["sha256"], r["row"], r["fact"]) not in seen:  # a re-import of the same bytes counts once
                seen.add((r["id"], r["sha256"], r["row"], r["fact"]))
                person = codec.person_from_dict({**json.loads(r["snapshot"]), "id": r["id"]})
                found.setdefault(r["id"], []).append((r["owner"], person))
        return found

    def evidence_of(self, subject: str, key: Sequence[str]) -> list[Evidence]:
        queries = {"person": (cy.PERSON_PK, ("id",)), "organization": (cy.ORG_PK, ("id",)),
                   "employment": (cy.JOB_PK, ("person_id", "org_id", "start")),
                   "relationship": (cy.TIE_PK, ("source_id", "target_id", "kind", "owner"))}
        if subject not in queries:
            raise InputError(f"Unknown evidence subject {subject!r}; expected one of {', '.join(queries)}.")
        query, names = queries[subject]
        found = self._rows(query, **dict(zip(names, key, strict=True)))
        if not found:
            raise NotFound(f"No {subject} with key {tuple(key)!r}.")
        return [_evidence(r) for r in self._rows(cy.EVIDENCE_ROWS, pks=[found[0]["pk"]], subject=subject)]

    def identity_violations(self) -> list[Violation]:
        return self._read(lambda tx: doctor.identity_violations(doctor.Reader(tx, self._batch)))

    def evidence_files(self, subject: str, ids: Sequence[str]) -> dict[str, list[tuple[str, str]]]:
        if subject not in cy.EVIDENCE_FILES:
            raise InputError(f"Files are listed for a person or an organization, not a {subject!r}.")
        return self._read(lambda tx: doctor.evidence_files(doctor.Reader(tx, self._batch), subject,
                                                           list(dict.fromkeys(ids))))

    def read_snapshot(self) -> GraphSnapshot:
        return self._read(reads.read_snapshot)

    def read_neighbourhood(self, account_id: str, hops: int, *, most_people: int | None = None) -> GraphSnapshot | None:
        """The snapshot ranking one account needs (see :mod:`graphapp.store.neighbourhood`), fetched by one
        Cypher query per level instead of reading the whole graph."""
        return self._read(lambda tx: reads.read_neighbourhood(tx, account_id, hops, self._batch, most_people))

    def digest(self) -> str:
        return self._read(reads.digest)


def _add_event(work: Work, intro_id: str, event: IntroEvent) -> None:
    if not work.run(cy.ADD_INTRO_EVENT, intro_id=intro_id, seq=work.new_seq(), state=event.state.value,
                    day=event.day.isoformat(), note=event.note, actor=event.actor, time=event.time.isoformat()):
        raise NotFound(f"No introduction request {intro_id!r}; `graphapp intro list` shows them.")


def _intro(i: dict[str, Any], events: Sequence[IntroEvent]) -> IntroRequest:
    return IntroRequest(
        id=i["id"], rep_email=i["rep_email"], account_id=i["account_id"], connector_id=i["connector_id"],
        target_id=i["target_id"], score=i.get("score"), path=json.loads(i["path"]), draft=i.get("draft"),
        state=IntroState(i["state"]), created=datetime.fromisoformat(i["created"]),
        updated=datetime.fromisoformat(i["updated"]), events=tuple(events))


def _by_key(rows: list[dict[str, Any]]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for r in sorted(rows, key=lambda r: r["pk"]):
        found.setdefault(r["key"], []).append(r["id"])
    return found


def _relationship(r: dict[str, Any]) -> Relationship:
    return Relationship(source_id=r["source_id"], target_id=r["target_id"], kind=r["kind"], owner=r["owner"],
                        visibility=r["visibility"], profession=r["profession"],
                        first_seen=codec.parse_date(r["first_seen"]),
                        last_interaction=codec.parse_date(r["last_interaction"]), count_out=r["count_out"],
                        count_in=r["count_in"], strength_override=r["strength_override"])


def _evidence(r: dict[str, Any]) -> Evidence:
    return Evidence(r["import_id"], r["file"], r["fact"], r["owner"], r["row"], r["sha256"])


__all__ = ["Neo4jStore", "open_neo4j"]


def _visibility(value: str) -> str:
    try:
        return Visibility(value).value
    except ValueError:
        raise InputError(f"Unknown visibility {value!r}; choose private, existence or team.") from None


def _person_pk(work: Work, person_id: str) -> int:
    found = work.run(cy.PERSON_PK, id=person_id)
    if not found:
        raise NotFound(f"No person with id {person_id!r}.")
    return found[0]["pk"]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _audit(tx: Any, action: str, objects: Sequence[str], counts: Mapping[str, int] | None, *,
           hashed: Sequence[str] = ()) -> None:
    """One ``(:Audit)`` row, in the caller's transaction: ids and counts, values only as salted hashes."""
    [row] = rows_of(tx.run(cy.AUDIT_NEXT, {"key": "audit", "salt": secrets.token_hex(16)}))
    names = [str(o) for o in objects] + [f"hash:{hash_with(row['salt'], v)}" for v in hashed]
    tx.run(cy.AUDIT_ADD, {"seq": row["seq"], "time": _now(), "actor": audit_actor(), "action": action,
                          "objects": names,
                          "counts": json.dumps({k: int(v) for k, v in (counts or {}).items()}, sort_keys=True)})
