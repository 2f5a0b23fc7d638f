"""Correcting identity in the Neo4j store: merge two people into one, split one back into several.

The same rules as :mod:`graphapp.store.sqlite.merge`, inside the caller's write transaction. A Neo4j
relationship cannot change its ends, so a tie or job that moves to another person is re-created with the
same properties (its ``pk`` included, so its evidence still points at it).
"""

from __future__ import annotations

import json

from graphapp.domain.identity import fold_text, stable_id
from graphapp.errors import InputError, NotFound
from graphapp.store.folds import strong_key_groups
from graphapp.store.neo4j import cypher as cy
from graphapp.store.neo4j.work import (
    Work,
    refold_employments,
    refold_entities,
    refold_relationships,
    refresh_person_keys,
)


def merge_people(work: Work, keep_id: str, gone_id: str) -> None:
    """Fold person ``gone_id`` into ``keep_id``: evidence, relationships, jobs and rep role move over.

    Raises:
        NotFound: either person is unknown.
        InputError: both are reps, or their LinkedIn URLs differ.
    """
    rows = {r["id"]: r for r in work.run(cy.PEOPLE_BY_ID, ids=[keep_id, gone_id])}
    for pid in (keep_id, gone_id):
        if pid not in rows:
            raise NotFound(f"No person with id {pid}.")
    keep, gone = rows[keep_id]["pk"], rows[gone_id]["pk"]
    if keep == gone:
        return
    if len({rows[keep_id]["linkedin_url"], rows[gone_id]["linkedin_url"]} - {None}) > 1:
        raise InputError(f"{keep_id} and {gone_id} have different LinkedIn profiles; they are two people.")
    if len(work.run(cy.REPS_OF_PEOPLE, pks=[keep, gone])) == 2:
        raise InputError(f"{keep_id} and {gone_id} are both reps; remove one from the team first.")
    work.run(cy.MOVE_REP, old=gone, new=keep)
    work.run(cy.MOVE_EVIDENCE, subject="person", old=gone, new=keep)
    refold_relationships(work, _repoint_ties(work, keep, gone))
    refold_employments(work, _repoint_jobs(work, keep, gone))
    work.run(cy.DELETE_PERSON, pk=gone)
    refold_entities(work, "person", [keep])
    refresh_person_keys(work, [keep])


def _repoint_ties(work: Work, keep: int, gone: int) -> list[int]:
    """Move ``gone``'s ties to ``keep``; a tie that then duplicates another hands its evidence over and
    goes, one that would join the person to themself goes. Returns the ties to re-fold."""
    touched = []
    for t in work.run(cy.TIES_OF_PEOPLE, pks=[gone]):
        s = keep if t["source_pk"] == gone else t["source_pk"]
        d = keep if t["target_pk"] == gone else t["target_pk"]
        twin = [] if s == d else work.run(cy.TIES_BY_KEY, keys=[{"s": s, "t": d, "kind": t["kind"], "owner": t["owner"]}])
        if s != d and not twin:
            work.run(cy.RECREATE_TIE, pk=t["pk"], source_pk=s, target_pk=d)
            touched.append(t["pk"])
            continue
        if twin:
            work.run(cy.MOVE_EVIDENCE, subject="relationship", old=t["pk"], new=twin[0]["pk"])
            touched.append(twin[0]["pk"])
        work.run(cy.DELETE_SUBJECT_EVIDENCE, subject="relationship", pk=t["pk"])
        work.run(cy.DELETE_TIE, pk=t["pk"])
    return touched


def _repoint_jobs(work: Work, keep: int, gone: int) -> list[int]:
    touched = []
    for j in work.run(cy.JOBS_OF_PEOPLE, pks=[gone]):
        twin = work.run(cy.JOBS_BY_KEY, keys=[{"p": keep, "o": j["org_pk"], "s": j["start"]}])
        if not twin:
            work.run(cy.RECREATE_JOB, pk=j["pk"], person_pk=keep, org_pk=j["org_pk"])
            touched.append(j["pk"])
            continue
        work.run(cy.MOVE_EVIDENCE, subject="employment", old=j["pk"], new=twin[0]["pk"])
        touched.append(twin[0]["pk"])
        work.run(cy.DELETE_JOB, pk=j["pk"])
    return touched


def split_person(work: Work, person_id: str) -> list[str]:
    """Undo merges: regroup a person's evidence by strong keys (LinkedIn URL, e-mails) into separate people.

    Returns the ids of all resulting people (the kept one first).

    Raises:
        NotFound: unknown person.  InputError: nothing to split (one group only).
    """
    found = work.run(cy.PERSON_PK, id=person_id)
    if not found:
        raise NotFound(f"No person with id {person_id}.")
    pk = found[0]["pk"]
    evidence = work.run(cy.EVIDENCE_OF_PERSON, pk=pk)
    groups = strong_key_groups([(r["pk"], r["sha256"], r["row"], json.loads(r["snapshot"])) for r in evidence])
    if len(groups) < 2:
        raise InputError(f"{person_id} has only one identity in its evidence (no differing e-mails or profiles); "
                         "nothing to split.")
    ids, pks = [person_id], [pk]
    for n, group in enumerate(groups[1:], start=1):
        new_id = stable_id("p", f"split:{person_id}:{n}")
        name = group["snapshots"][0].get("name") or new_id
        [new_pk] = work.new_pks(1)
        work.run(cy.CREATE_PERSON, pk=new_pk, id=new_id, name=name, folded=fold_text(name))
        work.run(cy.MOVE_EVIDENCE_PKS, pks=group["evidence"], new=new_pk)
        _move_by_source(work, pk, new_pk, group["sources"])
        ids.append(new_id)
        pks.append(new_pk)
    refold_entities(work, "person", pks)
    refresh_person_keys(work, pks)
    return ids


def _move_by_source(work: Work, old: int, new: int, sources: set[tuple]) -> None:
    """Ties and jobs of ``old`` asserted only by the given source rows move to ``new``."""
    for t in work.run(cy.TIES_OF_PEOPLE, pks=[old]):
        rows = {(r["sha256"], r["row"]) for r in work.run(cy.SOURCES_OF_SUBJECT, subject="relationship", pk=t["pk"])}
        if rows and rows <= sources:
            s = new if t["source_pk"] == old else t["source_pk"]
            d = new if t["target_pk"] == old else t["target_pk"]
            work.run(cy.RECREATE_TIE, pk=t["pk"], source_pk=s, target_pk=d)
    for j in work.run(cy.JOBS_OF_PEOPLE, pks=[old]):
        rows = {(r["sha256"], r["row"]) for r in work.run(cy.SOURCES_OF_SUBJECT, subject="employment", pk=j["pk"])}
        if rows and rows <= sources:
            work.run(cy.RECREATE_JOB, pk=j["pk"], person_pk=new, org_pk=j["org_pk"])
