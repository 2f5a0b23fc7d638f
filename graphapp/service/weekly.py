"""The weekly suggested-intro lists (part of the service): each rep's champions who moved first
(:mod:`graphapp.service.champions`), ranked candidates per rep from the path index, the rules of
:mod:`graphapp.domain.weekly`, cadence reminders from the graph, and the suggestions recorded so next
week's list does not repeat them."""

from __future__ import annotations

import heapq
import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial

import numpy as np

from graphapp.domain.champions import moved_champions
from graphapp.domain.identity import normalize_email, stable_id
from graphapp.domain.intros import draft_request
from graphapp.domain.path_index import PathIndex
from graphapp.domain.paths import best_scores_by_rep, pair_between, rank_paths
from graphapp.domain.privacy import Viewer, rests_on_private, shared_relationships
from graphapp.domain.weekly import (
    Candidate,
    Contact,
    Rules,
    WeeklyItem,
    cadence_items,
    select_intros,
    week_of,
    week_start,
)
from graphapp.errors import InputError, NotFound
from graphapp.model import KIND_ORDER, ORG_CUSTOMER, IntroEvent, IntroRequest, IntroState, RelationshipKind
from graphapp.service.champions import champion_items, rep_champions
from graphapp.service.common import graph_view
from graphapp.service.index import person_dict, scoring_weights
from graphapp.service.paths import _path_dict, path_index, team_setting
from graphapp.service.roles import require
from graphapp.store import GraphStore

NEW_AT_ACCOUNT_DAYS = 90


@dataclass(frozen=True)
class RepWeek:
    rep: dict  # PERSON, as in `graphapp paths --json`
    items: tuple[WeeklyItem, ...]


@dataclass(frozen=True)
class WeeklyResult:
    week: str
    reps: tuple[RepWeek, ...]

    def as_dict(self) -> dict:
        """Exactly the shape `graphapp weekly --json` prints."""
        return {"week": self.week, "reps": [
            {"rep": r.rep, "items": [{"kind": i.kind, "reason": i.reason, "score": i.score, "path": i.path,
                                      "draft": i.draft} for i in r.items]} for r in self.reps]}


def weekly_lists(store: GraphStore, *, week: str | None = None, rep: str | None = None, per_rep: int | None = None,
                 budget: int | None = None, record: bool = True, today: date | None = None,
                 viewer: Viewer | None = None) -> WeeklyResult:
    """Every rep's list for ``week`` (default: the current ISO week), or one rep's.

    The whole team's lists are always decided together (the ask budget is shared), so one rep's list
    is the same as in the team's. With ``record``, the week's intro suggestions are kept (state
    ``suggested``) so the next weeks do not repeat them; recording the same week again changes nothing.

    Raises:
        InputError: a malformed week, or a rep's viewer asking for another rep's list (a rep sees only
            their own). NotFound: an unknown rep.
        NotAllowed: ``record`` asked by a viewer who is not an admin (it records for the whole team).
    """
    if record:
        require(store, viewer, "weekly-record")
    if viewer is not None and not viewer.sees_all:  # a rep's list holds their own contacts: theirs only
        if rep is not None and normalize_email(rep) != viewer.email:
            raise InputError(f"{viewer.email} sees only their own weekly list, not {rep}'s.")
        rep = viewer.email
    monday = week_start(week) if week else (today or date.today()) - timedelta(days=(today or date.today()).weekday())
    week = week_of(monday)
    rules = Rules(per_rep=int(team_setting(store, "weekly_per_rep", per_rep)),
                  budget=int(team_setting(store, "weekly_ask_budget", budget)))
    max_hops = int(team_setting(store, "paths_max_hops"))
    if record:
        return _weekly_lists(store, week, monday, rep, rules, max_hops, record=True)
    # Looking (not recording) is asked on every visit of the Weekly page: a list is a function of the
    # store's version (its graph, intro requests and saved settings), the week, the rep and the settings.
    key = (store.location, store.data_version(), week, normalize_email(rep) if rep else None, rules, max_hops,
           scoring_weights(store))
    with _weekly_lock:
        found = _weekly.get(key)
        if found is not None:
            _weekly.move_to_end(key)
            return found
    result = _weekly_lists(store, week, monday, rep, rules, max_hops, record=False)
    with _weekly_lock:
        for old in [k for k in _weekly if k[0] == store.location and k[1] != key[1]]:
            del _weekly[old]  # an older version is never asked for again
        _weekly[key] = result
        while len(_weekly) > _WEEKLY_KEPT:
            _weekly.popitem(last=False)
    return result


_weekly: OrderedDict[tuple, WeeklyResult] = OrderedDict()
_weekly_lock = threading.Lock()
_WEEKLY_KEPT = 32  # lists kept: a few weeks for each rep of a team, least recently used dropped first


def _weekly_lists(store: GraphStore, week: str, monday: date, rep: str | None, rules: Rules, max_hops: int, *,
                  record: bool) -> WeeklyResult:
    view = graph_view(store)
    reps = sorted(zip(view.rep_emails, view.rep_person.tolist(), strict=True))
    if rep is not None and normalize_email(rep) not in {e for e, _ in reps}:
        raise NotFound(f"No rep has the e-mail {rep}; `graphapp reps list` shows the team.")
    accounts = view.target_accounts()
    owners = {o.id: o.target_owner for o in store.get_organizations([view.org_ids[a] for a in accounts]).values()}
    mine = {email: [int(a) for a in accounts if owners.get(view.org_ids[a]) in (None, email)] for email, _ in reps}
    # Each rep's list is ranked as that rep may see the graph (others' private relationships left out).
    roles = {r.email: r.role for r in store.list_reps()}
    seen_by = {email: path_index(store, today=monday, viewer=Viewer(email, roles.get(email, "rep")))
               for email, _ in reps}
    column = {int(a): j for j, a in enumerate(accounts)}
    people_cache: dict = {}
    streams = {email: _candidates(store, seen_by[email], pos, mine[email],
                                  best_scores_by_rep(seen_by[email], accounts, [pos], max_hops=max_hops)[0], column,
                                  max_hops, monday, people_cache)
               for email, pos in reps}
    # Champions who moved open each rep's list; nobody is suggested an introduction to them this week (to
    # a teammate's champion only when a relationship every teammate may use makes them one).
    found = {email: rep_champions(seen_by[email], pos) for email, pos in reps}
    own = {email: {view.person_ids[c.person] for c in cs} for email, cs in found.items()}
    shared = {view.person_ids[c.person] for c in moved_champions(view, shared_relationships(view))}
    streams = {email: (c for c in stream if c.target not in own[email]) for email, stream in streams.items()}
    intros = store.list_intros()
    chosen = {email: [c.rendered() for c in cs] for email, cs in
              select_intros(streams, intros, monday, rules, taken=shared & set().union(*own.values())).items()}
    out = []
    for email, pos in reps:
        if rep is not None and email != normalize_email(rep):
            continue
        items = champion_items(store, seen_by[email], email, pos, found[email], set(mine[email]))
        items += [WeeklyItem("intro", _reason(c, view.org_names[view.org_index[c.account_id]]), round(c.score, 6),
                            c.path, draft_request(c.path, view.org_names[view.org_index[c.account_id]]), c.account_id)
                 for c in chosen[email]]
        items += _cadence(store, seen_by[email], email, pos, mine[email], intros, monday, own[email])
        people = _people(store, [view.person_ids[pos]], people_cache)
        out.append(RepWeek(_rep_person(seen_by[email], pos, people), tuple(items)))
    if record:
        _record(store, week, monday, chosen)
    return WeeklyResult(week, tuple(out))


def _people(store: GraphStore, ids: list[str], cache: dict) -> dict:
    missing = [i for i in ids if i not in cache]
    if missing:
        cache.update(store.get_people(missing))
    return cache


def _rep_person(index: PathIndex, pos: int, people: dict) -> dict:
    return person_dict(index, pos, people, None)


def _candidates(store, index: PathIndex, rep_pos: int, accounts: list[int], best_row: np.ndarray, column: dict,
                max_hops: int, monday: date, people_cache: dict) -> Iterator[Candidate]:
    """The rep's candidate paths, best first across their accounts, ranked lazily: an account is ranked
    only when its best score could still beat what is waiting."""
    view = index.view
    order = sorted((a for a in accounts if best_row[column[a]] > 0), key=lambda a: (-best_row[column[a]], view.org_ids[a]))
    heap: list[tuple[float, int, Candidate]] = []
    seq = 0
    for a in order:
        bound = float(best_row[column[a]])
        while heap and -heap[0][0] >= bound:
            yield heapq.heappop(heap)[2]
        paths = rank_paths(index, a, rep=rep_pos, top=5, max_hops=max_hops, per_target=1)
        ids = sorted({view.person_ids[p] for path in paths for p in path.people})
        people = _people(store, ids, people_cache)
        customer = bool(view.org_flags[a] & ORG_CUSTOMER)
        for rank, path in enumerate(paths, 1):
            seq += 1
            connector = view.person_ids[path.people[1]] if len(path.hops) > 1 else None
            candidate = Candidate(path.score, None, view.org_ids[a], customer, _new_at(index, path.target, a, monday),
                                  target_id=view.person_ids[path.target], connector_id=connector,
                                  private=_private(index, path), render=partial(_path_dict, index, a, rank, path, people))
            heapq.heappush(heap, (-path.score, seq, candidate))
    while heap:
        yield heapq.heappop(heap)[2]


def _private(index: PathIndex, path) -> bool:
    """Whether the path rests on its rep's private relationships (see :func:`graphapp.domain.privacy.rests_on_private`)."""
    p = index.pairs
    hops = []
    for hop in path.hops:
        pair = pair_between(index, hop.source, hop.target) if hop.via_org < 0 else -1
        hops.append(p.rel_order[p.rel_start[pair]:p.rel_start[pair + 1]].tolist() if pair >= 0 else [])
    return rests_on_private(index.view, list(path.people), hops)


def _new_at(index: PathIndex, person: int, org: int, monday: date) -> bool:
    view = index.view
    rows = view.employees.edges_of(org)
    starts = view.emp_start[rows[(view.emp_person[rows] == person) & view.emp_current[rows]]]
    return bool(len(starts)) and int(starts.max()) >= monday.toordinal() - NEW_AT_ACCOUNT_DAYS


def _reason(c: Candidate, account: str) -> str:
    path, hops = c.path, c.path["hops"]
    target = path["target"]
    who = f"{target['name']} ({target['title']} at {account})" if target.get("title") else f"{target['name']} at {account}"
    tie = f"{hops[0]['tier']}: {hops[0]['label']}"  # why the rep and the first person are tied (docs/ranking.md)
    if len(hops) == 1:
        return f"You know {who} directly ({tie}): reach out."
    return f"Ask {hops[0]['to']['name']} ({tie}) for an introduction to {who}."  # the score: in its own column


def _cadence(store: GraphStore, index: PathIndex, email: str, pos: int, accounts: list[int], intros, monday: date,
             champions: set[str]):
    view = index.view
    if email not in view.owners:
        return []
    owner = view.owners.index(email)
    mask = (view.owner == owner) & ((view.source == pos) | (view.target == pos))
    others = np.where(view.source[mask] == pos, view.target[mask], view.source[mask])
    kinds, last = view.kind[mask], view.last_interaction[mask]
    asked: dict[str, date] = {}
    for intro in intros:
        if intro.rep_email == email:
            for e in intro.events:
                if e.state is IntroState.REQUESTED and e.day < monday:
                    asked[intro.connector_id] = max(asked.get(intro.connector_id, e.day), e.day)
    by_kind: dict[RelationshipKind, dict[int, int]] = {}
    for other, kind, day in zip(others.tolist(), kinds.tolist(), last.tolist(), strict=True):
        k = KIND_ORDER[kind]
        by_kind.setdefault(k, {})
        by_kind[k][other] = max(by_kind[k].get(other, 0), day)

    def contact(p: int, touched: int, referral_only: bool) -> Contact:
        pid = view.person_ids[p]
        days = [] if referral_only else ([date.fromordinal(touched)] if touched > 0 else [])
        if pid in asked:
            days.append(asked[pid])
        return Contact(pid, view.person_names[p], _where(index, p), max(days) if days else None)

    influencers = [contact(p, d, False) for p, d in by_kind.get(RelationshipKind.INFLUENCER, {}).items()]
    customers = [contact(p, d, True) for p, d in by_kind.get(RelationshipKind.CUSTOMER, {}).items()]
    targets = set(accounts)
    partners = []
    for p in by_kind.get(RelationshipKind.PARTNER, {}):
        known = {int(view.emp_org[r]) for q in index.nbr[index.indptr[p]:index.indptr[p + 1]].tolist()
                 for r in view.jobs.edges_of(q).tolist() if view.emp_current[r] and int(view.emp_org[r]) in targets}
        if known:
            partners.append((contact(p, 0, True), [view.org_names[o] for o in known]))
    moves = []
    names = {view.org_ids[a]: view.org_names[a] for a in accounts}
    for person_id, org_id, title, before in store.job_moves():
        if org_id in names and person_id in view.person_index and index.shown[view.person_index[person_id]] \
                and person_id not in champions:  # a champion who moved opens the list already
            prev = view.org_index.get(before)
            moves.append((view.person_names[view.person_index[person_id]], names[org_id], title,
                          view.org_names[prev] if prev is not None else None))
    return cadence_items(monday, influencers=influencers, customers=customers, partners=partners, moves=moves)


def _where(index: PathIndex, p: int) -> str | None:
    view = index.view
    for r in view.jobs.edges_of(p).tolist():
        if view.emp_current[r]:
            title = view.emp_titles[r]
            return f"{title} at {view.org_names[int(view.emp_org[r])]}" if title else view.org_names[int(view.emp_org[r])]
    return view.person_titles[p]


def _record(store: GraphStore, week: str, monday: date, chosen: dict[str, list[Candidate]]) -> None:
    now = datetime.now(UTC)
    wanted = {stable_id("s", f"{week}|{rep}|{c.target}"): (rep, c) for rep, cs in chosen.items() for c in cs}
    known = {i.id for i in store.list_intros(ids=list(wanted))} if wanted else set()
    store.add_intros([IntroRequest(
            id=intro_id, rep_email=rep, account_id=c.account_id, connector_id=c.connector or c.target,
            target_id=c.target, score=c.score, path=c.path, draft=None, state=IntroState.SUGGESTED, created=now,
            updated=now, events=(IntroEvent(IntroState.SUGGESTED, monday, "weekly", now, f"suggested for {week}"),))
        for intro_id, (rep, c) in sorted(wanted.items()) if intro_id not in known])
