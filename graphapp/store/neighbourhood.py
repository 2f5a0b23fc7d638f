"""What ranking one account needs, and graph snapshots assembled from plain rows (shared by the stores).

The *neighbourhood* of an account within ``hops`` is found level by level from the people currently
employed there: level 0 is them; level k + 1 adds everyone tied to a person of level k by a relationship
or by a current job at the same organisation, except that reps are never expanded (paths start at reps
and never pass through one). Its snapshot holds those people, every relationship of the people of levels
below ``hops`` (the *expanded* ones), every job of every person in it with their organisations, and the
reps among them. Ranking paths of at most ``hops`` relationships on it gives exactly what ranking on the
whole graph gives: every hop of such a path has an expanded person at its account-side end, so every
relationship and colleague tie a path or its reach bound can use is there (and every organisation such a
colleague tie goes through has all its current staff there, so its size factor is the same).

:func:`cut_neighbourhood` computes it from a whole snapshot (the reference, and the default of
``GraphStore.read_neighbourhood``); the Neo4j store fetches the same rows with one Cypher query per level.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from graphapp.errors import NotFound
from graphapp.model import KIND_ORDER, VISIBILITY_ORDER, GraphSnapshot

_KIND = {k.value: i for i, k in enumerate(KIND_ORDER)}
_VISIBILITY = {v.value: i for i, v in enumerate(VISIBILITY_ORDER)}


def day(value: str | None) -> int:
    """A stored ISO date as a proleptic ordinal, 0 when unknown (the snapshot's date columns)."""
    return date.fromisoformat(value).toordinal() if value else 0


def effective_current(jobs: Iterable[dict[str, Any]]) -> set[int]:
    """The pks of the jobs that count as current: flagged current, and no other current job of the same
    person was reported current by a newer source (``as_of``), as SQLite's ``CURRENT`` says.

    ``jobs``: rows with ``pk``, ``person_pk``, ``current`` and ``as_of``; every job of each person.
    """
    jobs = list(jobs)
    newest: dict[int, str] = {}
    for j in jobs:
        if j["current"] and j["as_of"] and j["as_of"] > newest.get(j["person_pk"], ""):
            newest[j["person_pk"]] = j["as_of"]
    return {j["pk"] for j in jobs if j["current"]
            and not (j["as_of"] and newest.get(j["person_pk"], "") > j["as_of"])}


def assemble_snapshot(version: int, people: Sequence[dict], orgs: Sequence[dict], reps: Sequence[dict],
                      ties: Sequence[dict], jobs: Sequence[dict], current: set[int]) -> GraphSnapshot:
    """A :class:`GraphSnapshot` from stored rows keyed by ``pk`` (people, organisations, relationships and
    jobs in pk order, reps by e-mail); ``current``: the pks of the jobs that count as current."""
    people = sorted(people, key=lambda r: r["pk"])
    orgs = sorted(orgs, key=lambda r: r["pk"])
    ties = sorted(ties, key=lambda r: r["pk"])
    jobs = sorted(jobs, key=lambda r: r["pk"])
    person = {r["pk"]: i for i, r in enumerate(people)}
    org = {r["pk"]: i for i, r in enumerate(orgs)}
    reps = sorted((r for r in reps if r["person_pk"] in person), key=lambda r: r["email"])
    owners = sorted({t["owner"] for t in ties})
    owner = {o: i for i, o in enumerate(owners)}

    def column(rows: Sequence[dict], value) -> array:
        return array("q", (value(r) for r in rows))

    return GraphSnapshot(
        version=version,
        person_ids=[r["id"] for r in people], person_names=[r["name"] for r in people],
        person_titles=[r["title"] for r in people],
        org_ids=[r["id"] for r in orgs], org_names=[r["name"] for r in orgs],
        org_flags=column(orgs, lambda r: r["flags"]),
        rep_person=column(reps, lambda r: person[r["person_pk"]]), rep_emails=[r["email"] for r in reps],
        owners=owners,
        rel_source=column(ties, lambda t: person[t["source_pk"]]), rel_target=column(ties, lambda t: person[t["target_pk"]]),
        rel_kind=column(ties, lambda t: _KIND[t["kind"]]), rel_owner=column(ties, lambda t: owner[t["owner"]]),
        rel_visibility=column(ties, lambda t: _VISIBILITY[t["visibility"]]),
        rel_first_seen=column(ties, lambda t: day(t["first_seen"])),
        rel_last_interaction=column(ties, lambda t: day(t["last_interaction"])),
        rel_count_out=column(ties, lambda t: t["count_out"]), rel_count_in=column(ties, lambda t: t["count_in"]),
        rel_override=array("d", (t["strength_override"] or 0.0 for t in ties)),
        emp_person=column(jobs, lambda j: person[j["person_pk"]]), emp_org=column(jobs, lambda j: org[j["org_pk"]]),
        emp_current=column(jobs, lambda j: int(j["pk"] in current)),
        emp_start=column(jobs, lambda j: day(j["start"])), emp_end=column(jobs, lambda j: day(j["end_date"])),
        emp_titles=[j["title"] for j in jobs],
    )


class TooLarge(Exception):
    """The neighbourhood reaches more people than the caller wants fetched (see ``most_people``)."""


def expand(start: Iterable[int], reps: set[int], hops: int, neighbours,
           most_people: int | None = None) -> tuple[set[int], set[int]]:
    """The level-by-level search of the module's docstring: (everyone reached, the expanded people).

    ``neighbours(frontier)`` returns the people one relationship or one current colleague tie away
    from any of ``frontier`` (a sorted list).

    Raises:
        TooLarge: more than ``most_people`` were reached (the search stops at that level).
    """
    seen = set(start)
    frontier = sorted(seen - reps)
    expanded: set[int] = set()
    for _ in range(hops):
        if not frontier:
            break
        expanded.update(frontier)
        new = set(neighbours(frontier)) - seen
        seen |= new
        if most_people is not None and len(seen) > most_people:
            raise TooLarge(len(seen))
        frontier = sorted(new - reps)
    return seen, expanded


def cut_neighbourhood(snap: GraphSnapshot, account_id: str, hops: int) -> GraphSnapshot:
    """The neighbourhood snapshot of ``account_id`` within ``hops``, cut from a whole snapshot (positions
    stand for pks, so the order of everything is kept).

    Raises:
        NotFound: no organisation has that id.
    """
    if account_id not in snap.org_ids:
        raise NotFound(f"No organisation with id {account_id!r}.")
    account = snap.org_ids.index(account_id)
    adjacency: dict[int, set[int]] = {}
    for s, t in zip(snap.rel_source, snap.rel_target, strict=True):
        adjacency.setdefault(s, set()).add(t)
        adjacency.setdefault(t, set()).add(s)
    jobs_of: dict[int, set[int]] = {}
    staff: dict[int, set[int]] = {}
    for p, o, cur in zip(snap.emp_person, snap.emp_org, snap.emp_current, strict=True):
        if cur:
            jobs_of.setdefault(p, set()).add(o)
            staff.setdefault(o, set()).add(p)

    def neighbours(frontier: list[int]) -> set[int]:
        near: set[int] = set()
        for p in frontier:
            near |= adjacency.get(p, set())
            for o in jobs_of.get(p, ()):
                near |= staff[o]
        return near

    nodes, expanded = expand(staff.get(account, set()), set(snap.rep_person), hops, neighbours)
    people = [{"pk": i, "id": snap.person_ids[i], "name": snap.person_names[i], "title": snap.person_titles[i]}
              for i in sorted(nodes)]
    ties = [_tie(snap, i) for i in range(len(snap.rel_source))
            if snap.rel_source[i] in expanded or snap.rel_target[i] in expanded]
    jobs = [{"pk": e, "person_pk": snap.emp_person[e], "org_pk": snap.emp_org[e], "start": _iso(snap.emp_start[e]),
             "end_date": _iso(snap.emp_end[e]), "title": snap.emp_titles[e], "current": snap.emp_current[e]}
            for e in range(len(snap.emp_person)) if snap.emp_person[e] in nodes]
    org_pks = {j["org_pk"] for j in jobs} | {account}
    orgs = [{"pk": o, "id": snap.org_ids[o], "name": snap.org_names[o], "flags": snap.org_flags[o]}
            for o in sorted(org_pks)]
    reps = [{"person_pk": p, "email": e} for p, e in zip(snap.rep_person, snap.rep_emails, strict=True)]
    current = {j["pk"] for j in jobs if j["current"]}
    return assemble_snapshot(snap.version, people, orgs, reps, ties, jobs, current)


def _iso(ordinal: int) -> str | None:
    return date.fromordinal(ordinal).isoformat() if ordinal else None


def _tie(snap: GraphSnapshot, i: int) -> dict[str, Any]:
    return {"pk": i, "source_pk": snap.rel_source[i], "target_pk": snap.rel_target[i],
            "kind": KIND_ORDER[snap.rel_kind[i]].value, "owner": snap.owners[snap.rel_owner[i]],
            "visibility": VISIBILITY_ORDER[snap.rel_visibility[i]].value, "first_seen": _iso(snap.rel_first_seen[i]),
            "last_interaction": _iso(snap.rel_last_interaction[i]), "count_out": snap.rel_count_out[i],
            "count_in": snap.rel_count_in[i], "strength_override": snap.rel_override[i] or None}
