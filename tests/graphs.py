"""Hand-made graphs for ranking tests: a few lines of people, ties and jobs -> a PathIndex."""

from __future__ import annotations

from datetime import date

from graphapp.domain.graph import GraphView
from graphapp.domain.path_index import PathIndex
from graphapp.domain.scoring import ScoringWeights
from graphapp.model import KIND_ORDER, ORG_TARGET, VISIBILITY_ORDER, GraphSnapshot, RelationshipKind, Visibility

TODAY = date(2026, 11, 23).toordinal()


def make_index(reps: list[str], ties: list[tuple], jobs: list[tuple] = (), *, people: list[str] = (),
               targets: tuple[str, ...] = ("acme",), weights: ScoringWeights | None = None,
               titles: dict[str, str] | None = None) -> PathIndex:
    """``ties``: (a, b, kind) or (a, b, kind, {"count_out": .., "override": .., "last": ordinal, "owner": rep, ...});
    a tie belongs to the team unless ``owner`` names one of the ``reps``.
    ``jobs``: (person, org) or (person, org, current, title, start_ordinal). Targets are org names."""
    names = list(dict.fromkeys([*reps, *people, *(t[0] for t in ties), *(t[1] for t in ties),
                                *(j[0] for j in jobs)]))
    orgs = list(dict.fromkeys([*targets, *(j[1] for j in jobs)]))
    pos = {n: i for i, n in enumerate(names)}
    opos = {o: i for i, o in enumerate(orgs)}
    cols: dict[str, list] = {k: [] for k in ("s", "t", "k", "f", "l", "co", "ci", "ov", "o")}
    for tie in ties:
        a, b, kind, extra = (*tie, {}) if len(tie) == 3 else tie
        cols["s"].append(pos[a])
        cols["t"].append(pos[b])
        cols["k"].append(KIND_ORDER.index(RelationshipKind(kind)))
        cols["f"].append(extra.get("first", 0))
        cols["l"].append(extra.get("last", 0))
        cols["co"].append(extra.get("count_out", 0))
        cols["ci"].append(extra.get("count_in", 0))
        cols["ov"].append(extra.get("override", 0.0))
        cols["o"].append(reps.index(extra["owner"]) + 1 if "owner" in extra else 0)
    jobs = [(*j, True, None, 0) if len(j) == 2 else j for j in jobs]
    titles = titles or {}
    snap = GraphSnapshot(
        version=1, person_ids=[f"id-{n}" for n in names], person_names=names,
        person_titles=[titles.get(n) for n in names], org_ids=[f"org-{o}" for o in orgs], org_names=orgs,
        org_flags=[ORG_TARGET if o in targets else 0 for o in orgs], rep_person=[pos[r] for r in reps],
        rep_emails=[f"{r}@team.example.com" for r in reps], owners=["team", *(f"{r}@team.example.com" for r in reps)],
        rel_source=cols["s"], rel_target=cols["t"], rel_kind=cols["k"], rel_owner=cols["o"],
        rel_visibility=[VISIBILITY_ORDER.index(Visibility.TEAM)] * len(ties), rel_first_seen=cols["f"],
        rel_last_interaction=cols["l"], rel_count_out=cols["co"], rel_count_in=cols["ci"], rel_override=cols["ov"],
        emp_person=[pos[j[0]] for j in jobs], emp_org=[opos[j[1]] for j in jobs], emp_current=[int(j[2]) for j in jobs],
        emp_start=[j[4] for j in jobs], emp_end=[0] * len(jobs), emp_titles=[j[3] for j in jobs],
    )
    return PathIndex(GraphView(snap), weights or ScoringWeights(), TODAY)


def names_of(index: PathIndex, path) -> list[str]:
    return [index.view.person_names[p] for p in path.people]
