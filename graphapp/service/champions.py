"""Champions who moved (part of the service): the people of :mod:`graphapp.domain.champions` as a viewer may
see them (the Account page marks them), and each rep's own as the first items of their weekly list.

Privacy: a page shows a champion only through relationships the viewer may see in full (their own, or
shared with the team), so a teammate's existence-only contact is never named; a rep's weekly list holds
the champions of the relationships that rep's rankings may use (their own private ones included, never a
teammate's), with names and titles folded from what that rep may see (:mod:`graphapp.service.seen`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from graphapp.domain import champions as domain
from graphapp.domain.champions import WARM_KINDS, ChampionMove, champion_draft, champion_sentence
from graphapp.domain.path_index import PathIndex
from graphapp.domain.paths import rank_paths
from graphapp.domain.privacy import Viewer, usable_relationships
from graphapp.domain.weekly import WeeklyItem
from graphapp.service.index import find_account, path_index, person_dict
from graphapp.service.paths import _path_dict
from graphapp.store import GraphStore


@dataclass(frozen=True)
class Champion:
    """A champion who moved, as a page shows them."""

    person: dict  # PERSON, as in `graphapp paths --json`
    account_id: str
    account_name: str
    title: str | None
    kind: str  # the old relationship's kind (the warmest, when several reps had one)
    old_org: str
    until: int | None
    reps: tuple[str, ...]  # e-mails of the reps who had the relationship
    sentence: str

    def as_dict(self) -> dict:
        return {"person": self.person, "account_id": self.account_id, "account_name": self.account_name,
                "title": self.title, "kind": self.kind, "old_org": self.old_org, "until": self.until,
                "reps": list(self.reps), "sentence": self.sentence}


def moved_champions(store: GraphStore, *, account: str | None = None, viewer: Viewer | None = None,
              today: date | None = None) -> list[Champion]:
    """The champions who moved as ``viewer`` may see them (default: everything), by account then name;
    with ``account`` (id, domain or name), only those who work there now.

    Raises:
        NotFound: an unknown account.
    """
    index = path_index(store, today=today, viewer=viewer)
    view = index.view
    org = find_account(index, store, account) if account else None
    usable = None if index.viewer.sees_all else index.open_relationships
    found = [c for c in domain.moved_champions(view, usable) if org is None or c.account == org]
    people = store.get_people([view.person_ids[c.person] for c in found])
    names = dict(zip(view.rep_emails, (view.person_names[p] for p in view.rep_person.tolist()), strict=True))
    out = []
    for c in found:
        whose = " and ".join("your" if rep == index.viewer.email else f"{names[rep]}'s" for rep in c.reps)
        name = view.person_names[c.person]
        out.append(Champion(person_dict(index, c.person, people, c.title), view.org_ids[c.account],
                            view.org_names[c.account], c.title, c.kind.value, view.org_names[c.old_org], c.until,
                            c.reps, champion_sentence(name, c.kind, view.org_names[c.old_org], c.until, c.title,
                                                      view.org_names[c.account], whose=whose, where=None)))
    return sorted(out, key=lambda c: (c.account_name, c.person["name"], c.person["id"]))


def rep_champions(index: PathIndex, pos: int) -> list[ChampionMove]:
    """The champions of the rep at person position ``pos``, through the relationships their rankings use."""
    usable = usable_relationships(index.view, index.viewer)
    return [c for c in domain.moved_champions(index.view, usable, reps=[pos])
            if index.viewer.sees_all or index.shown[c.person]]


def champion_items(store: GraphStore, index: PathIndex, email: str, pos: int, found: list[ChampionMove],
                   mine: set[int]) -> list[WeeklyItem]:
    """A rep's champions as the first items of their weekly list: the sentence, the direct path (ranked as
    `graphapp paths` ranks it, with the relationship the rep had) and a congratulations draft; warmest
    kind first, then the most recent move, then name. ``mine``: the rep's target accounts."""
    view = index.view
    rep_name = view.person_names[pos]
    items = []
    order = sorted(found, key=lambda c: (WARM_KINDS.index(c.kind_for(email)), -(c.until or 0), view.person_names[c.person]))
    for c in order:
        kind = c.kind_for(email)
        account = view.org_names[c.account]
        name = view.person_names[c.person]
        path, score = _direct_path(store, index, c, pos)
        items.append(WeeklyItem("champion", champion_sentence(
            name, kind, view.org_names[c.old_org], c.until, c.title, account,
            where="one of your targets" if c.account in mine else "one of the team's targets"),
            score, path, champion_draft(rep_name, name, account, c.title), view.org_ids[c.account]))
    return items


def _direct_path(store: GraphStore, index: PathIndex, c: ChampionMove, pos: int) -> tuple[dict | None, float | None]:
    """The rep's one-hop path to the champion into their account, as `graphapp paths --json` shows it."""
    view = index.view
    top = max(10, len(view.current_employees(c.account)))
    paths = rank_paths(index, c.account, rep=pos, top=top, max_hops=1, per_target=1)
    for rank, path in enumerate(paths, 1):
        if path.target == c.person:
            people = store.get_people(sorted({view.person_ids[p] for p in path.people}))
            return _path_dict(index, c.account, rank, path, people), round(path.score, 6)
    return None, None
