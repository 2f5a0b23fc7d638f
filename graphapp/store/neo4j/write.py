"""Imports into the Neo4j store: staged in small transactions, published in one, undone exactly.

An import may be larger than one transaction should carry over the network, so :class:`Neo4jStager`
writes each batch's evidence as it comes (``UNWIND`` in batches of ``neo4j_batch_size``, one managed
transaction per batch, each retried by the driver on its own). Staged evidence has no ``subject_pk``,
so no reader sees it. When the import's block ends, :func:`publish` folds every staged batch onto the
graph in one managed transaction (the driver retries the whole of it after a transient error; it is a
function of the staged data only) and only then is the import visible, all of it. A failed import's
staged data is deleted (:func:`drop_staged`); one left behind by a killed process is deleted by the
next import.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from graphapp.domain.invariants import Violation, refusal
from graphapp.errors import IdentityConflict, InputError, NotFound
from graphapp.model import Asserted, Evidence, GraphBatch, ImportRecord, ImportStatus, Rep
from graphapp.store import codec
from graphapp.store.base import BatchWriter
from graphapp.store.folds import fold_job
from graphapp.store.neo4j import cypher as cy
from graphapp.store.neo4j.doctor import identity_violations
from graphapp.store.neo4j.merge import merge_people
from graphapp.store.neo4j.work import (
    Work,
    load_orgs,
    load_people,
    refold_employments,
    refold_entities,
    refold_relationships,
    refresh_org_keys,
    refresh_person_keys,
    upsert_entities,
)

_SUBJECTS = (("organization", codec.org_to_dict, codec.org_from_dict),
             ("person", codec.person_to_dict, codec.person_from_dict),
             ("employment", codec.employment_to_dict, codec.employment_from_dict),
             ("relationship", codec.relationship_to_dict, codec.relationship_from_dict))
_FROM_DICT = {s: f for s, _t, f in _SUBJECTS}
Unit = Callable[[Callable[[Any], Any]], Any]  # runs fn(tx) in one managed write transaction


def evidence_rows(batch: GraphBatch, import_id: str) -> list[dict[str, Any]]:
    """The staged evidence of one batch, in the order its facts are written (organisations, people,
    employments, relationships): one row per asserted fact, with the fact's snapshot."""
    rows = []
    parts = (batch.organizations, batch.people, batch.employments, batch.relationships)
    for (subject, to_dict, _from), items in zip(_SUBJECTS, parts, strict=True):
        for a in items:
            ev = a.evidence
            if ev.import_id != import_id:
                raise InputError(f"Evidence of import {ev.import_id} written inside import {import_id}.")
            snapshot = to_dict(a.value)
            rows.append({"subject": subject, "subject_key": codec.dumps(_subject_key(subject, snapshot)),
                         "file": ev.file, "sha256": ev.file_sha256, "row": ev.row, "fact": ev.fact,
                         "owner": ev.owner, "snapshot": codec.snapshot(snapshot)})
    return rows


def _subject_key(subject: str, d: dict[str, Any]) -> list[Any]:
    if subject in ("person", "organization"):
        return [d["id"]]
    if subject == "employment":
        return [d["person_id"], d["org_id"], d["start"] or ""]
    return [d["source_id"], d["target_id"], d["kind"], d["owner"]]


class Neo4jStager(BatchWriter):
    """Stages the batches of one import (see the module's docstring); ``added()`` is known once published."""

    def __init__(self, unit: Unit, record: ImportRecord, batch_size: int) -> None:
        self._unit, self._record, self._batch_size = unit, record, batch_size
        self.batches = 0
        self.counts: dict[str, int] = {}

    def added(self) -> dict[str, int]:
        return {k: v for k, v in self.counts.items() if k != "relationships_known"}

    def relationships_known(self) -> int:
        return self.counts.get("relationships_known", 0)

    def write(self, batch: GraphBatch) -> None:
        rows = evidence_rows(batch, self._record.id)
        reps = codec.dumps([[r.email, r.person_id, r.name, r.role] for r in batch.reps])
        merges = codec.dumps([list(m) for m in batch.merges])
        number = self.batches
        for part in cy.batches(rows, self._batch_size):
            self._unit(lambda tx, part=part: _stage(tx, self._record.id, number, part))
        self._unit(lambda tx: tx.run(cy.STAGE_BATCH, {"import_id": self._record.id, "batch": number,
                                                      "reps": reps, "merges": merges}).data())
        self.batches += 1


def _stage(tx: Any, import_id: str, batch: int, rows: list[dict[str, Any]]) -> None:
    first = tx.run(cy.ALLOCATE_PKS, {"n": len(rows)}).data()[0]["first"]
    numbered = [{**r, "pk": first + n} for n, r in enumerate(rows)]
    tx.run(cy.STAGE_EVIDENCE, {"rows": numbered, "import_id": import_id, "batch": batch}).data()


def start_staging(tx: Any, record: ImportRecord) -> None:
    """Create the import's record in state ``staging``. Raises InputError for an id already used."""
    if tx.run(cy.IMPORT_EXISTS, {"id": record.id}).data():
        raise InputError(f"An import with id {record.id} already exists.")
    row = codec.import_to_row(record)
    tx.run(cy.CREATE_STAGING_IMPORT, {k: row[k] for k in ("id", "time", "actor", "kind", "files")}).data()


def drop_staged(unit: Unit, import_id: str, batch_size: int) -> None:
    """Delete what a failed import staged (evidence in batches, then its record)."""
    while unit(lambda tx: tx.run(cy.DROP_STAGED_EVIDENCE, {"import_id": import_id, "limit": batch_size})
               .data()[0]["deleted"]):
        pass
    unit(lambda tx: tx.run(cy.DROP_STAGING_IMPORT, {"import_id": import_id}).data())


# -- publishing ----------------------------------------------------------------------------------------
class Publisher:
    """Folds an import's staged batches onto the graph inside one write transaction (as
    ``SQLiteWriter`` writes them: each fact folded onto what the store holds, earlier batches included)."""

    def __init__(self, work: Work, record: ImportRecord, batches: int) -> None:
        self.work, self.record, self.batches = work, record, batches
        self.added = {"people": 0, "organizations": 0, "employments": 0, "relationships": 0}
        self.relationships_known = 0  # asserted by the import and held already (other imports' evidence)
        self.linked: set[tuple] = set()  # (subject, subject pk, sha256, row, fact) of this import
        self.subjects: dict[str, set[int]] = {"employment": set(), "relationship": set()}
        self.kept: list[str] = []  # the people the import's merges kept

    def run(self) -> dict[str, int]:
        work, import_id = self.work, self.record.id
        for number in range(self.batches):
            [staged] = work.run(cy.STAGED_BATCH, import_id=import_id, batch=number)
            facts = work.run(cy.STAGED_EVIDENCE, import_id=import_id, batch=number)
            self._write(facts, json.loads(staged["reps"]), json.loads(staged["merges"]))
        for subject, key in (("employment", "employments"), ("relationship", "relationships")):
            pks = sorted(self.subjects[subject])
            older = {r["pk"] for r in work.unwind(cy.OTHER_EVIDENCE, pks, key="pks", subject=subject,
                                                  import_id=import_id)}
            self.added[key] = len(pks) - len(older)
            if subject == "relationship":
                self.relationships_known = len(older)
        counts = {**dict(self.record.counts), **{f"{k}_added": v for k, v in self.added.items()}}
        work.run(cy.PUBLISH_IMPORT, import_id=import_id, seq=work.new_seq(), counts=codec.dumps(counts))
        work.run(cy.DROP_STAGED_BATCHES, import_id=import_id)
        return {**self.added, "relationships_known": self.relationships_known}

    def _write(self, facts: list[dict[str, Any]], reps: list[list[str]], merges: list[list[str]]) -> None:
        for gone, keep in merges:
            merge_people(self.work, keep, gone)
            self.kept.append(keep)
        by_subject: dict[str, list[tuple[int, Asserted]]] = {s: [] for s, _t, _f in _SUBJECTS}
        for f in facts:
            ev = Evidence(self.record.id, f["file"], f["fact"], owner=f["owner"], row=f["row"], file_sha256=f["sha256"])
            by_subject[f["subject"]].append((f["pk"], Asserted(_FROM_DICT[f["subject"]](json.loads(f["snapshot"])), ev)))
        rekey: set[int] = set()
        self._write_folded("organization", by_subject["organization"], rekey)
        self._write_folded("person", by_subject["person"], rekey)
        self._write_reps([Rep(email, pid, name, role) for email, pid, name, role in reps])
        rekey.update(self._write_employments(by_subject["employment"]))
        refold = self._write_relationships(by_subject["relationship"])
        refold_relationships(self.work, refold)
        refresh_person_keys(self.work, rekey)

    def _seen(self, subject: str, pks: Sequence[int]) -> set[tuple]:
        """(subject pk, sha256, row, fact) of earlier imports' evidence for these subjects."""
        rows = self.work.unwind(cy.SEEN_SOURCES, sorted(set(pks)), key="pks", subject=subject,
                                import_id=self.record.id)
        return {(r["pk"], r["sha256"], r["row"], r["fact"]) for r in rows}

    def _link(self, subject: str, items: list[tuple[int, Asserted]], pks: Sequence[int]) -> None:
        """Point each staged fact at its subject; a second assertion of the same source is dropped."""
        links, dropped = [], []
        for (ev_pk, a), pk in zip(items, pks, strict=True):
            key = (subject, pk, a.evidence.file_sha256, a.evidence.row, a.evidence.fact)
            if key in self.linked:
                dropped.append(ev_pk)
            else:
                self.linked.add(key)
                links.append({"pk": ev_pk, "subject_pk": pk})
        self.work.unwind(cy.LINK_EVIDENCE, links)
        self.work.unwind(cy.DELETE_EVIDENCE, dropped, key="pks")

    def _write_folded(self, subject: str, items: list[tuple[int, Asserted]], rekey: set[int]) -> None:
        if not items:
            return
        person = subject == "person"
        ids = list(dict.fromkeys(a.value.id for _pk, a in items))
        current = (load_people if person else load_orgs)(self.work, ids)
        self.added["people" if person else "organizations"] += len(ids) - len(current)
        seen = self._seen(subject, [pk for pk, _v in current.values()])
        folded: dict[str, Any] = {}
        for _ev, a in items:
            i = a.value.id
            if i in current and (current[i][0], *a.evidence.source_key) in seen:
                continue  # the same bytes said it before: not newer information
            old = folded.get(i) or current.get(i, (None, None))[1]
            folded[i] = old.merged_with(a.value) if old else a.value
        changed: set[int] = set()
        pks = upsert_entities(self.work, subject, {i: folded[i] for i in ids if i in folded}, current, changed)
        pks.update({i: current[i][0] for i in ids if i not in pks})
        if person:
            rekey.update(changed)
        else:
            refresh_org_keys(self.work, {pks[i]: folded.get(i) or current[i][1] for i in ids})
        self._link(subject, items, [pks[a.value.id] for _pk, a in items])

    def _pks(self, ids: Sequence[str], what: str = "people") -> dict[str, int]:
        wanted = list(dict.fromkeys(ids))
        query = cy.PEOPLE_BY_ID if what == "people" else cy.ORGS_BY_ID
        found = {r["id"]: r["pk"] for r in self.work.unwind(query, wanted, key="ids")}
        unknown = [i for i in wanted if i not in found]
        if unknown:
            raise InputError(f"Facts refer to {what} not in the store or the batch: {', '.join(unknown[:5])}.")
        return found

    def _write_reps(self, reps: list[Rep]) -> None:
        if reps:
            pks = self._pks([r.person_id for r in reps])
            self.work.unwind(cy.ADD_REPS, [{"email": r.email, "person_pk": pks[r.person_id], "role": r.role}
                                           for r in reps])

    def _write_employments(self, items: list[tuple[int, Asserted]]) -> set[int]:
        """Jobs upsert on (person, organisation, start), as in ``SQLiteWriter._write_employments``;
        returns the people with a new job (their name keys at it are new)."""
        if not items:
            return set()
        people = self._pks([a.value.person_id for _pk, a in items])
        orgs = self._pks([a.value.org_id for _pk, a in items], "organizations")
        keys = [(people[e.person_id], orgs[e.org_id], codec.iso(e.start) or "") for e in (a.value for _pk, a in items)]
        stored = {(r["person_pk"], r["org_pk"], r["start"]): r for r in
                  self.work.unwind(cy.JOBS_BY_KEY, [{"p": p, "o": o, "s": s} for p, o, s in dict.fromkeys(keys)],
                                   key="keys")}
        state = {k: [r["pk"], r["end_date"], r["title"], r["current"], r["as_of"]] for k, r in stored.items()}
        seen = self._seen("employment", [r["pk"] for r in stored.values()])
        new: list[tuple] = []
        for key, (_ev, a) in zip(keys, items, strict=True):
            e, job = a.value, state.get(key)
            end, as_of = codec.iso(e.end), codec.iso(e.as_of)
            if job is None:
                state[key] = [None, end, e.title, e.current, as_of]
                new.append(key)
            elif (job[0], *a.evidence.source_key) not in seen:
                fold_job(job, end, e.title, e.current, as_of)
        for key, pk in zip(new, self.work.new_pks(len(new)), strict=True):
            state[key][0] = pk
        fields = ("pk", "end_date", "title", "current", "as_of")
        self.work.unwind(cy.CREATE_JOBS, [{"person_pk": k[0], "org_pk": k[1], "start": k[2], **dict(zip(fields, state[k],
                                          strict=True))} for k in new])
        self.work.unwind(cy.UPDATE_JOBS, [dict(zip(fields, job, strict=True)) for k, job in state.items()
                                          if k in stored and job != [stored[k][f] for f in fields]])
        pks = [state[k][0] for k in keys]
        self.subjects["employment"].update(pks)
        self._link("employment", items, pks)
        return {k[0] for k in new}

    def _write_relationships(self, items: list[tuple[int, Asserted]]) -> set[int]:
        """A relationship new to the store takes its first assertion's values; one asserted again has
        its counts re-derived from all its evidence (returned: the pks to re-fold)."""
        if not items:
            return set()
        people = self._pks([i for _pk, a in items for i in (a.value.source_id, a.value.target_id)])
        keys = [(people[r.source_id], people[r.target_id], r.kind.value, r.owner) for r in (a.value for _pk, a in items)]
        stored = {(r["source_pk"], r["target_pk"], r["kind"], r["owner"]): r["pk"] for r in self.work.unwind(
            cy.TIES_BY_KEY, [{"s": s, "t": t, "kind": k, "owner": o} for s, t, k, o in dict.fromkeys(keys)], key="keys")}
        seen = self._seen("relationship", list(stored.values())) if stored else set()
        pks: dict[tuple, int] = dict(stored)
        new: dict[tuple, Any] = {}
        refold: set[int] = set()
        again: set[tuple] = set()
        for key, (_ev, a) in zip(keys, items, strict=True):
            if key in stored:
                if (stored[key], *a.evidence.source_key) not in seen:
                    refold.add(stored[key])
            elif key not in new:
                new[key] = a.value
            else:
                again.add(key)
        pks.update(zip(new, self.work.new_pks(len(new)), strict=True))
        rows = [{"pk": pks[k], "source_pk": k[0], "target_pk": k[1], "kind": k[2], "owner": k[3],
                 "visibility": r.visibility.value, "profession": r.profession, "first_seen": codec.iso(r.first_seen),
                 "last_interaction": codec.iso(r.last_interaction), "count_out": r.count_out, "count_in": r.count_in,
                 "strength_override": r.strength_override} for k, r in new.items()]
        self.work.unwind(cy.CREATE_TIES, rows)
        refold.update(pks[k] for k in again)
        linked = [pks[k] for k in keys]
        self.subjects["relationship"].update(linked)
        self._link("relationship", items, linked)
        return refold


    def violations(self) -> list[Violation]:
        """The identity rules the published import would break, checked on what it asserted and the
        people its merges kept (see :mod:`graphapp.store.neo4j.doctor`)."""
        touched: dict[str, set[int]] = {"person": set(), "organization": set(), "relationship": set()}
        for subject, pk, *_source in self.linked:
            if subject in touched:
                touched[subject].add(pk)
        touched["person"].update(r["pk"] for r in self.work.unwind(cy.PEOPLE_BY_ID, sorted(set(self.kept)), "ids"))
        return identity_violations(self.work, people=touched["person"], orgs=touched["organization"],
                                   relationships=touched["relationship"])


def publish(work: Work, record: ImportRecord, batches: int) -> dict[str, int]:
    """Make a staged import visible: fold its batches onto the graph and commit its record, unless it
    would break an identity rule.

    Returns:
        How many people, organisations, employments and relationships it created, and under
        ``relationships_known`` how many relationships it asserted that the graph held already.

    Raises:
        InputError: a fact refers to a person or organisation neither the store nor the import holds.
        IdentityConflict: the import would break a who-is-who rule (the transaction is not committed).
    """
    publisher = Publisher(work, record, batches)
    added = publisher.run()
    violations = publisher.violations()
    if violations:
        raise IdentityConflict(refusal(violations, record.id))
    return added


# -- undo ---------------------------------------------------------------------------------------------------
def undo_import(work: Work, import_id: str) -> ImportRecord:
    """Remove an import's evidence and whatever only it supported; re-fold the rest (as SQLite does).

    Raises:
        NotFound: an unknown (or still staging) import. InputError: one already undone.
    """
    rows = work.run(cy.IMPORT_BY_ID, id=import_id)
    if not rows or rows[0]["status"] == "staging":
        raise NotFound(f"No import with id {import_id}; `graphapp imports` lists them.")
    record = codec.import_from_row(rows[0])
    if record.status is not ImportStatus.COMMITTED:
        raise InputError(f"Import {import_id} was already {record.status.value}; nothing to undo.")
    touched: dict[str, list[int]] = {}
    joined = []
    for r in work.run(cy.SUBJECTS_OF_IMPORT, import_id=import_id):
        if r["pk"] not in touched.setdefault(r["subject"], []):
            touched[r["subject"]].append(r["pk"])
        if r["subject"] == "person" and r["rep"]:
            joined.append(r["pk"])
    while work.run(cy.DELETE_IMPORT_EVIDENCE, import_id=import_id, limit=work.batch_size)[0]["deleted"]:
        pass
    work.unwind(cy.DROP_REPS_WITHOUT_EVIDENCE, joined, key="pks")
    ties, jobs = touched.get("relationship", []), touched.get("employment", [])
    work.unwind(cy.DROP_TIES_WITHOUT_EVIDENCE, ties, key="pks")
    work.unwind(cy.DROP_JOBS_WITHOUT_EVIDENCE, jobs, key="pks")
    refold_relationships(work, ties)
    people, orgs = touched.get("person", []), touched.get("organization", [])
    work.unwind(cy.DROP_PEOPLE_WITHOUT_EVIDENCE, people, key="pks")
    work.unwind(cy.DROP_ORGS_WITHOUT_EVIDENCE, orgs, key="pks")
    refold_entities(work, "person", people)
    refold_entities(work, "organization", orgs)
    refold_employments(work, jobs)
    still = [r["person_pk"] for r in work.unwind(cy.JOBS_BY_PK, jobs, key="pks")]
    refresh_person_keys(work, [*people, *still])
    work.run(cy.MARK_UNDONE, import_id=import_id)
    return ImportRecord(**{**record.__dict__, "status": ImportStatus.UNDONE})
