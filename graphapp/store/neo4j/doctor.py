"""The identity invariants on the Neo4j store (:mod:`graphapp.domain.invariants`), as on SQLite
(:mod:`graphapp.store.sqlite.doctor`): the whole graph for ``graphapp doctor``, or what one import touched,
inside the transaction that publishes it.

Runs over anything with the :class:`~graphapp.store.neo4j.work.Work` methods ``run`` and ``unwind``: a
write transaction's ``Work``, or :class:`Reader` around a read transaction.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from graphapp.domain.invariants import (
    Violation,
    no_evidence,
    normal_key,
    rep_violations,
    self_relationship,
    shared_key_violations,
)
from graphapp.store.neo4j import cypher as cy
from graphapp.store.neo4j.driver import rows_of


class Reader:
    """``run`` and ``unwind`` over a read transaction (as :class:`~graphapp.store.neo4j.work.Work` has them)."""

    def __init__(self, tx: Any, batch_size: int) -> None:
        self.tx, self.batch_size = tx, batch_size

    def run(self, query: str, **params: Any) -> list[dict[str, Any]]:
        return rows_of(self.tx.run(query, params))

    def unwind(self, query: str, rows: list, key: str = "rows", **params: Any) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for part in cy.batches(rows, self.batch_size):
            out.extend(self.run(query, **{key: part}, **params))
        return out


def identity_violations(db: Any, people: Collection[int] | None = None, orgs: Collection[int] | None = None,
                        relationships: Collection[int] | None = None) -> list[Violation]:
    """Every violation of the identity rules; with pks given, only those that involve these people,
    organisations and relationships (the reps are always checked). Sorted by rule, then ids."""
    whole = people is None and orgs is None and relationships is None
    found = _shared_keys(db, None if whole else sorted(people or ()))
    reps = db.run(cy.DOCTOR_REPS)
    found += rep_violations([(r["email"], r["id"]) for r in reps], {r["id"]: r["name"] for r in reps if r["id"]})
    bare_people = db.run(cy.DOCTOR_PEOPLE_BARE) if whole else db.unwind(cy.DOCTOR_PEOPLE_BARE_AT, sorted(people or ()), "pks")
    found += [no_evidence("person", r["id"], r["name"]) for r in bare_people]
    bare_orgs = db.run(cy.DOCTOR_ORGS_BARE) if whole else db.unwind(cy.DOCTOR_ORGS_BARE_AT, sorted(orgs or ()), "pks")
    found += [no_evidence("organization", r["id"], r["name"]) for r in bare_orgs]
    ties = db.run(cy.DOCTOR_TIES) if whole else db.unwind(cy.DOCTOR_TIES_AT, sorted(relationships or ()), "pks")
    for r in ties:
        kind_owner = f"{r['kind']}, {r['owner']}"
        if r["bare"]:
            found.append(no_evidence("relationship", f"{r['source_id']} -> {r['target_id']}", kind_owner))
        if r["loop"]:
            found.append(self_relationship(r["source_id"], f"({kind_owner})", {r["source_id"]: r["source_name"]}))
    return sorted(found)


def _shared_keys(db: Any, pks: list[int] | None) -> list[Violation]:
    rows = db.run(cy.DOCTOR_PEOPLE) if pks is None else db.unwind(cy.DOCTOR_PEOPLE_AT, pks, "pks")
    names = {r["id"]: r["name"] for r in rows}
    pairs = [(f"email:{e}", r["id"]) for r in rows for e in json.loads(r["lists"] or "{}").get("emails", ())]
    pairs += [(f"linkedin:{r['linkedin_url']}", r["id"]) for r in rows if r["linkedin_url"]]
    if pks is not None:  # the others who hold the same keys, as stored or normalised
        wanted = sorted({k for key, _ in pairs for k in (key, normal_key(key)) if k})
        pairs += [(r["key"], r["id"]) for r in db.unwind(cy.PEOPLE_BY_KEYS, wanted, "keys")]
    first = shared_key_violations(pairs, {})
    missing = sorted({i for v in first for i in v.ids} - set(names))
    if missing:
        names.update({r["id"]: r["name"] for r in db.unwind(cy.PEOPLE_BY_ID, missing, "ids")})
    return shared_key_violations(pairs, names) if first else []


def evidence_files(db: Any, subject: str, ids: list[str]) -> dict[str, list[tuple[str, str]]]:
    """id -> the (file name, owner) pairs of the evidence behind each person or organisation, oldest first."""
    found: dict[str, list[tuple[str, str]]] = {}
    for r in sorted(db.unwind(cy.EVIDENCE_FILES[subject], ids, "ids"), key=lambda r: r["first"]):
        found.setdefault(r["id"], []).append((r["file"], r["owner"]))
    return found
