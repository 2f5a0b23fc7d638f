"""One write transaction on the Neo4j store (:class:`Work`), the rows people and organisations are kept as,
their lookup keys, and re-deriving entities from their evidence: what imports, undo, merge and split share.

Everything here runs inside a managed transaction (``session.execute_write``) whose function the driver
may call again after a transient error, so nothing here keeps state outside the transaction except the
pk counter, which :meth:`Work.save` writes back inside it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from graphapp.domain.identity import fold_text, org_lookup_keys, person_name_keys
from graphapp.errors import StoreError
from graphapp.model import Organization, Person
from graphapp.store import codec
from graphapp.store.folds import first_per_source
from graphapp.store.neo4j import cypher as cy
from graphapp.store.neo4j.driver import rows_of


class Work:
    """A write transaction's helpers: run a statement, ``UNWIND`` rows in batches, hand out pks.

    Creating one runs :data:`~graphapp.store.neo4j.cypher.LOCK` (serialising writers and bumping the
    data version); :meth:`save` stores the pk counter before the transaction commits.
    """

    def __init__(self, tx: Any, batch_size: int) -> None:
        self.tx, self.batch_size = tx, batch_size
        [meta] = self.run(cy.LOCK) or [None]
        if meta is None:
            raise StoreError("The Neo4j database holds no graphapp data yet; run `graphapp --db URI init` first.")
        self.version, self.next_pk, self.next_seq = meta["version"], meta["next_pk"], meta["next_seq"]

    def run(self, query: str, **params: Any) -> list[dict[str, Any]]:
        return rows_of(self.tx.run(query, params))

    def unwind(self, query: str, rows: Sequence[Any], key: str = "rows", **params: Any) -> list[dict[str, Any]]:
        """Run ``query`` once per batch of ``rows`` (its ``$rows``, or ``$<key>``); the results, joined."""
        out: list[dict[str, Any]] = []
        for part in cy.batches(rows, self.batch_size):
            out.extend(self.run(query, **{key: part}, **params))
        return out

    def new_pks(self, n: int) -> list[int]:
        first = self.next_pk
        self.next_pk += n
        return list(range(first, first + n))

    def new_seq(self) -> int:
        self.next_seq += 1
        return self.next_seq - 1

    def save(self) -> None:
        self.run(cy.SAVE_COUNTERS, next_pk=self.next_pk, next_seq=self.next_seq)


# -- rows -------------------------------------------------------------------------------------------------
def person_row(p: Person, pk: int) -> dict[str, Any]:
    """A person as the properties of a ``:Person`` node (``lists``: the same JSON text SQLite keeps)."""
    lists = codec.dumps({"name_variants": list(p.name_variants), "emails": list(p.emails), "phones": list(p.phones)})
    return {"pk": pk, "id": p.id, "name": p.name, "linkedin_url": p.linkedin_url, "title": p.title,
            "location": p.location, "lists": lists, "folded": fold_text(p.name)}


def org_row(o: Organization, pk: int) -> dict[str, Any]:
    lists = codec.dumps({"aliases": list(o.aliases), "domains": list(o.domains)})
    return {"pk": pk, "id": o.id, "name": o.name, "flags": codec.org_flags(o), "lists": lists,
            "target_owner": o.target_owner, "priority": o.priority, "folded": fold_text(o.name)}


def person_from_row(r: dict[str, Any]) -> Person:
    return codec.person_from_dict({"id": r["id"], "name": r["name"], "linkedin_url": r["linkedin_url"],
                                   "title": r["title"], "location": r["location"], **json.loads(r["lists"])})


def org_from_row(r: dict[str, Any]) -> Organization:
    flags = r["flags"]
    return codec.org_from_dict({"id": r["id"], "name": r["name"], **json.loads(r["lists"]), "is_customer": flags & 1,
                                "is_target": flags & 2, "is_partner": flags & 4, "target_owner": r["target_owner"],
                                "priority": r["priority"]})


def load_people(work: Work, ids: Iterable[str]) -> dict[str, tuple[int, Person]]:
    """id -> (pk, person) of those of ``ids`` in the store."""
    rows = work.unwind(cy.PEOPLE_BY_ID, list(dict.fromkeys(ids)), key="ids")
    return {r["id"]: (r["pk"], person_from_row(r)) for r in rows}


def load_orgs(work: Work, ids: Iterable[str]) -> dict[str, tuple[int, Organization]]:
    rows = work.unwind(cy.ORGS_BY_ID, list(dict.fromkeys(ids)), key="ids")
    return {r["id"]: (r["pk"], org_from_row(r)) for r in rows}


def upsert_entities(work: Work, subject: str, values: dict[str, Any], current: dict[str, tuple[int, Any]],
                    changed: set[int] | None = None) -> dict[str, int]:
    """Write folded people or organisations (by id; ``current``: what the store holds of them); id -> pk.
    Unchanged rows are left alone; new ones get pks in the order of ``values``."""
    person = subject == "person"
    row, query = (person_row, cy.UPSERT_PEOPLE) if person else (org_row, cy.UPSERT_ORGS)
    new = [i for i in values if i not in current]
    pks = {i: current[i][0] for i in values if i in current}
    pks.update(zip(new, work.new_pks(len(new)), strict=True))
    write = [row(v, pks[i]) for i, v in values.items() if i not in current or current[i][1] != v]
    work.unwind(query, write)
    if changed is not None:
        changed.update(r["pk"] for r in write)
    return pks


# -- lookup keys --------------------------------------------------------------------------------------------
def refresh_person_keys(work: Work, pks: Iterable[int]) -> None:
    """Make each person's lookup keys (e-mails, LinkedIn URL, name at each organisation) match their row."""
    pks = sorted(set(pks))
    if not pks:
        return
    orgs: dict[int, list[str]] = {}
    for r in work.unwind(cy.ORG_IDS_OF_PEOPLE, pks, key="pks"):
        orgs.setdefault(r["pk"], []).append(r["org_id"])
    want: set[tuple[str, int]] = set()
    for r in work.unwind(cy.PEOPLE_BY_PK, pks, key="pks"):
        p = person_from_row(r)
        keys = [f"email:{e}" for e in p.emails] + ([f"linkedin:{p.linkedin_url}"] if p.linkedin_url else [])
        keys += person_name_keys([p.name, *p.name_variants], sorted(orgs.get(r["pk"], ())))
        want.update((k, r["pk"]) for k in keys)
    _replace_keys(work, cy.PERSON_KEYS_OF, cy.DROP_PERSON_KEYS, cy.ADD_PERSON_KEYS, pks, want)


def refresh_org_keys(work: Work, orgs: dict[int, Organization]) -> None:
    want = {(k, pk) for pk, o in orgs.items() for k in org_lookup_keys([o.name, *o.aliases], list(o.domains))}
    _replace_keys(work, cy.ORG_KEYS_OF, cy.DROP_ORG_KEYS, cy.ADD_ORG_KEYS, sorted(orgs), want)


def _replace_keys(work: Work, read: str, drop: str, add: str, pks: Sequence[int], want: set[tuple[str, int]]) -> None:
    have = {(r["key"], r["pk"]) for r in work.unwind(read, list(pks), key="pks")}
    work.unwind(drop, [{"key": k, "pk": pk} for k, pk in sorted(have - want)])
    work.unwind(add, [{"key": k, "pk": pk} for k, pk in sorted(want - have, key=lambda kp: (kp[1], kp[0]))])


# -- re-deriving from evidence -------------------------------------------------------------------------------
def distinct_snapshots(work: Work, subject: str, pks: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    """Each subject's evidence snapshots in import order, one per source (file content, row, fact)."""
    rows = work.unwind(cy.EVIDENCE_OF_SUBJECTS, sorted(set(pks)), key="pks", subject=subject)
    last = float("inf")  # the import being published has no seq yet: it is the newest
    rows.sort(key=lambda r: (r["seq"] if r["seq"] is not None else last, r["pk"]))
    return first_per_source(_sources(rows))


def _sources(rows: list[dict[str, Any]]) -> Iterable[tuple]:
    return ((r["subject_pk"], r["sha256"], r["row"], r["fact"], r["snapshot"]) for r in rows)


def refold_relationships(work: Work, pks: Iterable[int]) -> None:
    """Re-derive relationships' counts, dates and profession from their evidence (first per source,
    in the order written); unchanged ones are left alone."""
    pks = sorted(set(pks))
    if not pks:
        return
    rows = work.unwind(cy.EVIDENCE_OF_SUBJECTS, pks, key="pks", subject="relationship")
    rows.sort(key=lambda r: r["pk"])
    snaps = first_per_source(_sources(rows))
    stored = {r["pk"]: r for r in work.unwind(cy.TIES_BY_PK, list(snaps), key="pks")}
    fields = ("count_out", "count_in", "first_seen", "last_interaction", "profession")
    updates = []
    for pk, found in snaps.items():
        agg = codec.fold_interactions(found)
        if pk in stored and any(stored[pk][f] != agg[f] for f in fields):
            updates.append({"pk": pk, **agg})
    work.unwind(cy.UPDATE_TIE_COUNTS, updates)


def refold_entities(work: Work, subject: str, pks: Sequence[int]) -> None:
    """Rebuild people or organisations from the evidence that remains (in import order)."""
    person = subject == "person"
    rows = work.unwind(cy.PEOPLE_BY_PK if person else cy.ORGS_BY_PK, sorted(set(pks)), key="pks")
    current = {r["id"]: (r["pk"], (person_from_row if person else org_from_row)(r)) for r in rows}
    ids = {pk: i for i, (pk, _v) in current.items()}
    from_dict = codec.person_from_dict if person else codec.org_from_dict
    folded = {}
    for pk, snaps in distinct_snapshots(work, subject, list(ids)).items():
        value = from_dict({**snaps[0], "id": ids[pk]})  # a snapshot keeps the id it was asserted under
        for snap in snaps[1:]:
            value = value.merged_with(from_dict({**snap, "id": ids[pk]}))
        folded[ids[pk]] = value
    upsert_entities(work, subject, folded, current)
    if person:
        refresh_person_keys(work, [current[i][0] for i in folded])
    else:
        refresh_org_keys(work, {current[i][0]: v for i, v in folded.items()})


def refold_employments(work: Work, pks: Sequence[int]) -> None:
    """Re-derive a job's title, end, current flag and last-seen date from its remaining evidence."""
    updates = []
    for pk, snaps in distinct_snapshots(work, "employment", pks).items():
        jobs = [codec.employment_from_dict(s) for s in snaps]
        seen = [j.as_of for j in jobs if j.as_of]
        title = next((j.title for j in reversed(jobs) if j.title), None)
        end = next((j.end for j in reversed(jobs) if j.end), None)
        updates.append({"pk": pk, "title": title, "end_date": codec.iso(end), "current": jobs[-1].current,
                        "as_of": codec.iso(max(seen)) if seen else None})
    work.unwind(cy.UPDATE_JOBS, updates)
