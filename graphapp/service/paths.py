"""Ranking behind ``service.account_paths`` and ``service.coverage``: find the account, rank, explain,
and hand back plain results the CLI and the app print (part of the service).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from graphapp.domain.coverage import AccountCoverage, MeetNext, account_coverage, uncovered_accounts, who_to_meet_next
from graphapp.domain.explain import explain_path, hop_evidence, hop_label, hop_tier, name_of, path_sentence
from graphapp.domain.path_index import PathIndex
from graphapp.domain.paths import RankedPath, rank_paths
from graphapp.domain.privacy import Viewer, hidden_id
from graphapp.domain.scoring import ScoringWeights
from graphapp.errors import InputError
from graphapp.model import Person, RelationshipKind
from graphapp.service.index import (
    path_index,
    person_dict,
    target_title,
    team_setting,
)
from graphapp.service.neighbourhood import account_index, rep_position
from graphapp.store import GraphStore


@dataclass(frozen=True)
class PathsResult:
    account_id: str
    account_name: str
    paths: tuple[dict, ...]  # in the JSON shape of `graphapp paths --json`

    def as_dict(self) -> dict:
        return {"account": {"id": self.account_id, "name": self.account_name}, "paths": list(self.paths)}


def account_paths(store: GraphStore, account: str, *, rep: str | None = None, top: int | None = None,
                  max_hops: int | None = None, per_target: int | None = None, weights: ScoringWeights | None = None,
                  today: date | None = None, kinds=None, min_strength: float = 0.0,
                  viewer: Viewer | None = None, repeat_discount: float | None = None) -> PathsResult:
    """The ranked warm paths into one account as ``viewer`` may see them (default: everything),
    explained; see docs/ranking.md.

    ``kinds`` (relationship kind names) and ``min_strength`` restrict the ties the paths may use.

    Raises:
        NotFound: unknown account or rep. InputError: an option out of range or an unknown kind.
    """
    hops = _setting(store, "paths_max_hops", max_hops)  # a large server store fetches this neighbourhood only
    index, org = account_index(store, account, hops, weights=weights, today=today, kinds=_kinds(kinds),
                               min_strength=min_strength, viewer=viewer)
    start = rep_position(index, store, rep)
    discount = float(team_setting(store, "paths_repeat_discount", repeat_discount))
    paths = [] if start is None else rank_paths(index, org, rep=start, top=_setting(store, "paths_top", top),
                                                max_hops=hops, per_target=_setting(store, "paths_per_target", per_target),
                                                repeat_discount=discount)
    people = store.get_people(sorted({index.view.person_ids[p] for path in paths for p in path.people}))
    rows = tuple(_path_dict(index, org, rank, path, people) for rank, path in enumerate(paths, 1))
    return PathsResult(index.view.org_ids[org], index.view.org_names[org], rows)


def _kinds(kinds) -> frozenset[RelationshipKind] | None:
    if kinds is None:
        return None
    try:
        return frozenset(RelationshipKind(k) for k in kinds)
    except ValueError:
        known = ", ".join(k.value for k in RelationshipKind)
        raise InputError(f"Unknown relationship kind in {sorted(kinds)}; known: {known}.") from None


def _setting(store: GraphStore, name: str, explicit: int | None) -> int:
    value = int(team_setting(store, name, explicit))
    if value < 1:
        raise InputError(f"{name.replace('paths_', '--').replace('_', '-')} must be at least 1, got {value}.")
    return value


def _path_dict(index: PathIndex, org: int, rank: int, path: RankedPath, people: dict[str, Person]) -> dict:
    title = target_title(index, org, path.target)

    def person(p: int) -> dict:
        return person_dict(index, p, people, title if p == path.target else None)

    hops = [{"from": person(h.source), "to": person(h.target), "kind": h.kind.value, "tier": hop_tier(h),
             "label": hop_label(index, h), "strength": round(h.strength, 6), "evidence": hop_evidence(index, h)}
            for h in path.hops]
    return {"rank": rank, "score": round(path.score, 6), "tier": hop_tier(path.weakest), "rep": person(path.rep),
            "target": person(path.target), "hops": hops,
            "explanation": explain_path(index, path, title, index.view.org_names[org]),
            "sentence": path_sentence(index, path)}


def own_paths_first(paths, email: str | None) -> list[dict]:
    """``paths`` (dicts, in rank order) with those starting from the rep ``email`` first, each group in rank
    order: what the Account page offers a rep first. A path's rep e-mail is the one its person dict shows."""
    mine = [p for p in paths if email and (p["rep"].get("email") or "").casefold() == email.casefold()]
    return mine + [p for p in paths if p not in mine]


@dataclass(frozen=True)
class CoverageResult:
    index: PathIndex
    accounts: tuple[AccountCoverage, ...]
    meet_next: tuple[MeetNext, ...]

    def as_dict(self) -> dict:
        view = self.index.view

        def rep_of(c: AccountCoverage) -> str | None:
            if c.best is None:
                return None
            return view.rep_emails[view.rep_person.tolist().index(c.best.rep)]

        # A path is as strong as its weakest hop: its tier is that hop's (docs/ranking.md, Strength tiers).
        accounts = [{"id": view.org_ids[c.org], "name": view.org_names[c.org], "known_people": c.known_people,
                     "best_score": round(c.best_score, 6), "best_rep": rep_of(c),
                     "best_tier": hop_tier(c.best.weakest) if c.best else None, "covered": c.best is not None}
                    for c in self.accounts]
        index = self.index
        meet = [{"id": view.person_ids[m.person] if index.viewer.sees_all or index.shown[m.person]
                 else hidden_id(view.person_ids[m.person]), "name": name_of(index, m.person),
                 "accounts": [view.org_names[o] for o in m.accounts], "known_by": _known_by(index, m.known_by)}
                for m in self.meet_next]
        return {"accounts": accounts, "uncovered": sum(1 for c in self.accounts if c.best is None),
                "meet_next": meet}


def _known_by(index: PathIndex, path: RankedPath | None) -> dict | None:
    """The teammate who knows a suggested person and how: their e-mail and name, the people on the path
    (names as the viewer may see them), its tier (its weakest hop's) and its sentence."""
    if path is None:
        return None
    view = index.view
    return {"rep": view.rep_emails[view.rep_person.tolist().index(path.rep)], "name": name_of(index, path.rep),
            "people": [name_of(index, p) for p in path.people], "tier": hop_tier(path.weakest),
            "sentence": path_sentence(index, path)}


def coverage(store: GraphStore, *, max_hops: int | None = None, limit: int | None = None, viewer: Viewer | None = None,
             weights: ScoringWeights | None = None, today: date | None = None) -> CoverageResult:
    """Coverage of every target account and who to meet next for the uncovered ones."""
    index = path_index(store, weights=weights, today=today, viewer=viewer)
    rows = account_coverage(index, index.view.target_accounts(), max_hops=_setting(store, "paths_max_hops", max_hops))
    meet = who_to_meet_next(index, uncovered_accounts(rows), limit=_setting(store, "meet_next", limit))
    return CoverageResult(index, tuple(rows), tuple(meet))
