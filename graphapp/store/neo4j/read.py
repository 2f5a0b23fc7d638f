"""Bulk reads of the Neo4j store: the whole-graph snapshot, one account's neighbourhood (pushed down to
Cypher), the content digest, search, and job moves. Each function runs inside one read transaction
(``tx``), so what it reads is one consistent state.
"""

from __future__ import annotations

from typing import Any

from graphapp.domain.identity import fold_text, name_key
from graphapp.errors import NotFound
from graphapp.model import GraphSnapshot
from graphapp.store.digest import content_digest, in_key_order
from graphapp.store.neighbourhood import TooLarge, assemble_snapshot, effective_current, expand
from graphapp.store.neo4j import cypher as cy
from graphapp.store.neo4j.driver import rows_of

CANDIDATES = 1000  # rows read per kind of search match before ranking (as the SQLite store)


def rows(tx: Any, query: str, **params: Any) -> list[dict[str, Any]]:
    return rows_of(tx.run(query, params))


def unwind(tx: Any, query: str, values: list, key: str, size: int, **params: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for part in cy.batches(values, size):
        out.extend(rows(tx, query, **{key: part}, **params))
    return out


def read_snapshot(tx: Any) -> GraphSnapshot:
    """The whole graph as columns (people, organisations, ties and jobs in pk order)."""
    [meta] = rows(tx, cy.META)
    jobs = rows(tx, cy.SNAPSHOT_JOBS)
    return assemble_snapshot(meta["version"], rows(tx, cy.SNAPSHOT_PEOPLE), rows(tx, cy.SNAPSHOT_ORGS),
                             rows(tx, cy.SNAPSHOT_REPS), rows(tx, cy.SNAPSHOT_TIES), jobs, effective_current(jobs))


def read_neighbourhood(tx: Any, account_id: str, hops: int, batch_size: int,
                       most_people: int | None = None) -> GraphSnapshot | None:
    """The snapshot of :mod:`graphapp.store.neighbourhood` for one account, fetched level by level; None
    as soon as it reaches more than ``most_people`` people (its rows are then not read).

    Raises:
        NotFound: no organisation has that id.
    """
    [meta] = rows(tx, cy.META)
    account = rows(tx, cy.NEIGHBOURHOOD_ACCOUNT, account=account_id)
    if not account:
        raise NotFound(f"No organisation with id {account_id!r}.")
    reps = rows(tx, cy.LIST_REPS)
    start = [r["pk"] for r in rows(tx, cy.NEIGHBOURHOOD_START, account=account_id)]

    def neighbours(frontier: list[int]) -> list[int]:
        near = {r["near"] for query in (cy.NEIGHBOURHOOD_TIED, cy.NEIGHBOURHOOD_COLLEAGUES)
                for r in unwind(tx, query, frontier, "frontier", batch_size)}
        return sorted(near)

    try:
        nodes, expanded = expand(start, {r["person_pk"] for r in reps}, hops, neighbours, most_people)
    except TooLarge:
        return None
    people = unwind(tx, cy.NEIGHBOURHOOD_PEOPLE, sorted(nodes), "pks", batch_size)
    ties = {t["pk"]: t for t in unwind(tx, cy.NEIGHBOURHOOD_TIES, sorted(expanded), "pks", batch_size)}
    jobs = unwind(tx, cy.NEIGHBOURHOOD_JOBS, sorted(nodes), "pks", batch_size)
    orgs = {j["org_pk"]: {"pk": j["org_pk"], "id": j["org_id"], "name": j["org_name"], "flags": j["org_flags"]}
            for j in jobs}
    orgs[account[0]["pk"]] = account[0]
    return assemble_snapshot(meta["version"], people, list(orgs.values()), reps, list(ties.values()), jobs,
                             effective_current(jobs))


def digest(tx: Any) -> str:
    """The content digest of :mod:`graphapp.store.digest`, from the same rows SQLite would hand over."""
    people = [(r["id"], r["name"], r["linkedin_url"], r["title"], r["location"], r["lists"])
              for r in rows(tx, cy.SNAPSHOT_PEOPLE)]
    orgs = [(r["id"], r["name"], r["flags"], r["lists"], r["target_owner"], r["priority"])
            for r in rows(tx, cy.SNAPSHOT_ORGS)]
    reps = [(r["email"], r["person_id"], r["role"]) for r in rows(tx, cy.SNAPSHOT_REPS)]
    jobs = [(r["person_id"], r["org_id"], r["start"], r["end_date"], r["title"], int(bool(r["current"])), r["as_of"])
            for r in rows(tx, cy.SNAPSHOT_JOBS)]
    ties = [(r["source_id"], r["target_id"], r["kind"], r["owner"], r["visibility"], r["profession"], r["first_seen"],
             r["last_interaction"], r["count_out"], r["count_in"], r["strength_override"])
            for r in rows(tx, cy.SNAPSHOT_TIES)]
    return content_digest(in_key_order(section, n) for n, section in enumerate((people, orgs, reps, jobs, ties)))


# -- search -------------------------------------------------------------------------------------------------
def _name_rank(name: str, words: list[str]) -> int:
    """0 the whole name, 1 its beginning, 2 the beginning of its words, 3 inside it."""
    folded, text = fold_text(name), " ".join(words)
    if folded == text:
        return 0
    if folded.startswith(text):
        return 1
    starts = folded.split()
    return 2 if all(any(s.startswith(w) for s in starts) for w in words) else 3


def _top(best: dict[int, tuple], limit: int) -> list[tuple[str, str]]:
    return [(row_id, field) for _r, _n, row_id, field in sorted(best.values())[:limit]]


def _offer(best: dict[int, tuple], pk: int, rank: int, name: str, row_id: str, field: str) -> None:
    if pk not in best or rank < best[pk][0]:
        best[pk] = (rank, fold_text(name), row_id, field)


def search_people(tx: Any, text: str, limit: int) -> list[tuple[str, str]]:
    """People by name (nicknames too), e-mail or organisation, ranked as ``SQLiteStore.search_people``."""
    words, raw = fold_text(text).split(), " ".join(text.split()).lower()
    best: dict[int, tuple] = {}
    if words:
        joined, key = " ".join(words), name_key(" ".join(words))
        prefixes = [f"name:{joined}"] + ([f"name:{key}|"] if key and key != joined else [])
        for prefix in prefixes:
            for r in rows(tx, cy.SEARCH_PEOPLE_BY_KEY, prefix=prefix, text="", limit=CANDIDATES):
                _offer(best, r["pk"], _name_rank(r["name"], words), r["name"], r["id"], "name")
        for r in rows(tx, cy.SEARCH_PEOPLE_BY_NAME, words=words, limit=CANDIDATES):
            _offer(best, r["pk"], _name_rank(r["name"], words), r["name"], r["id"], "name")
    if raw and " " not in raw:
        for r in rows(tx, cy.SEARCH_PEOPLE_BY_KEY, prefix="email:", text=raw, limit=CANDIDATES):
            if raw not in r["key"][len("email:"):]:
                continue
            _offer(best, r["pk"], 0 if r["key"] == f"email:{raw}" else 4, r["name"], r["id"], "e-mail")
    orgs = [pk for pk, _rank, _field in _matching_orgs(tx, words, raw)][:50]
    for r in rows(tx, cy.PEOPLE_AT_ORGS, pks=orgs)[:CANDIDATES]:
        _offer(best, r["pk"], 5 if r["current"] else 6, r["name"], r["id"], "company")
    return _top(best, limit)


def search_organizations(tx: Any, text: str, limit: int) -> list[tuple[str, str]]:
    words, raw = fold_text(text).split(), " ".join(text.split()).lower()
    found = _matching_orgs(tx, words, raw)
    names = {r["pk"]: r for r in rows(tx, cy.ORGS_BY_PK, pks=[pk for pk, _r, _f in found])}
    best: dict[int, tuple] = {}
    for pk, rank, field in found:
        if pk in names:
            _offer(best, pk, rank, names[pk]["name"], names[pk]["id"], field)
    return _top(best, limit)


def _matching_orgs(tx: Any, words: list[str], raw: str) -> list[tuple[int, int, str]]:
    found: dict[int, tuple[int, str]] = {}
    if words:
        for r in rows(tx, cy.SEARCH_ORGS_BY_NAME, words=words, limit=CANDIDATES):
            found[r["pk"]] = (_name_rank(r["name"], words), "name")
    if raw and " " not in raw:
        for r in rows(tx, cy.SEARCH_ORGS_BY_DOMAIN, text=raw, limit=CANDIDATES):
            rank = 0 if r["key"] == f"domain:{raw}" else 4
            if r["pk"] not in found or rank < found[r["pk"]][0]:
                found[r["pk"]] = (rank, "domain")
    return sorted(((pk, rank, field) for pk, (rank, field) in found.items()), key=lambda x: (x[1], x[0]))


# -- job moves ----------------------------------------------------------------------------------------------
def job_moves(tx: Any, batch_size: int) -> list[tuple[str, str, str | None, str]]:
    """Job changes the latest import revealed, as ``SQLiteStore.job_moves`` finds them."""
    latest = rows(tx, cy.LATEST_IMPORT)
    if not latest:
        return []
    seq = latest[0]["seq"]
    pks = [r["pk"] for r in rows(tx, cy.JOB_PKS_OF_IMPORT, import_id=latest[0]["id"])]
    jobs = [j for j in unwind(tx, cy.JOBS_BY_PK, pks, "pks", batch_size) if j["current"] and j["end_date"] is None]
    people = sorted({j["person_pk"] for j in jobs})
    others = unwind(tx, cy.JOBS_OF_PEOPLE, people, "pks", batch_size)
    first = {r["pk"]: r["first_seen"] for r in unwind(tx, cy.JOBS_FIRST_SEEN, sorted({j["pk"] for j in jobs + others}),
                                                       "pks", batch_size)}
    moves = []
    for j in jobs:
        if first.get(j["pk"]) != seq:
            continue
        before = [o for o in others if o["person_pk"] == j["person_pk"] and o["pk"] != j["pk"]
                  and first.get(o["pk"]) is not None and first[o["pk"]] < seq]
        before.sort(key=lambda o: o["org_id"])
        before.sort(key=lambda o: o["start"] or "", reverse=True)
        if before:
            moves.append((j["person_id"], j["org_id"], j["title"], before[0]["org_id"]))
    return sorted(moves, key=lambda m: (m[0], m[1]))
