"""The weekly suggested-intro list of each rep (pure): which ranked paths to suggest this week, under
the de-duplication and ask-budget rules, and the prospecting cadence reminders.

Rules for introductions (``select_intros``):
- a target person is not suggested again within ``repeat_weeks`` (4) weeks of a suggestion to the same
  rep, unless the path got clearly better (``better`` = 20% higher score);
- nor while any request to them is open, nor within ``declined_days`` (90) of a declined request;
- at most once per week across the team (the rep with the better path, in round-robin order, gets it);
- a target person at an account that is already a customer only when they are new there;
- a connector (the first person a rep asks; not a direct tie's target) is asked at most ``budget`` (2)
  times per ``budget_days`` (30) across the team, counting requests already made and this week's
  suggestions; among equally good paths (same score to two decimals) the connector asked least is chosen,
  so asks rotate.
Reps take turns, one suggestion each per round, in e-mail order, so the result is deterministic.

Cadence (``cadence_items``): circle-of-influence contacts not touched for 90 days, customers not asked for
a referral for 180 days, partner salespeople who know people at the rep's target accounts, and people who
moved into one of the rep's target accounts since the previous import. Champions who moved
(:mod:`graphapp.domain.champions`) open the list, before both, and are never suggested as introductions.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from graphapp.errors import InputError
from graphapp.model import IntroRequest, IntroState

OPEN_STATES = frozenset({IntroState.REQUESTED, IntroState.ACCEPTED, IntroState.INTRODUCED, IntroState.MEETING,
                         IntroState.OPPORTUNITY})


def week_start(week: str) -> date:
    """The Monday of an ISO week written ``2026-W48``.

    Raises:
        InputError: not a week in that form.
    """
    try:
        year, number = week.upper().split("-W")
        return date.fromisocalendar(int(year), int(number), 1)
    except ValueError:
        raise InputError(f"A week is written like 2026-W48, not {week!r}.") from None


def week_of(day: date) -> str:
    year, number, _ = day.isocalendar()
    return f"{year}-W{number:02d}"


@dataclass(frozen=True)
class Candidate:
    """A ranked path a rep could be suggested: ``path`` in the JSON shape of ``graphapp paths --json``,
    or made on demand by ``render`` (only the chosen few are), with ``target_id``/``connector_id`` given."""

    score: float
    path: dict | None
    account_id: str
    customer_account: bool = False
    new_at_account: bool = False
    target_id: str | None = None
    connector_id: str | None = None
    private: bool = False  # the path uses the rep's private relationships: it must not affect teammates' lists
    render: Callable[[], dict] | None = field(default=None, compare=False, repr=False)

    @property
    def target(self) -> str:
        return self.target_id if self.target_id is not None else self.path["target"]["id"]

    @property
    def connector(self) -> str | None:
        """Who is asked: the first person after the rep, unless that is the target (a direct tie)."""
        if self.path is None:
            return self.connector_id
        hops = self.path["hops"]
        return hops[0]["to"]["id"] if len(hops) > 1 else None

    def rendered(self) -> Candidate:
        return self if self.path is not None or self.render is None else replace(self, path=self.render())


@dataclass(frozen=True)
class WeeklyItem:
    kind: str  # "intro" | "cadence"
    reason: str
    score: float | None = None
    path: dict | None = None
    draft: str | None = None
    account_id: str | None = None


@dataclass(frozen=True)
class Rules:
    per_rep: int = 10
    budget: int = 2
    budget_days: int = 30
    repeat_weeks: int = 4
    better: float = 1.2
    declined_days: int = 90


@dataclass
class _History:
    """What the requests and earlier suggestions say, as of the week's Monday."""

    asks: dict[str, int] = field(default_factory=dict)  # connector -> requests in the budget window
    open_targets: set[str] = field(default_factory=set)
    declined_targets: set[str] = field(default_factory=set)
    suggested: dict[tuple[str, str], float] = field(default_factory=dict)  # (rep, target) -> best earlier score


def _history(intros: Iterable[IntroRequest], monday: date, rules: Rules) -> _History:
    h = _History()
    for intro in intros:
        if intro.state in OPEN_STATES:
            h.open_targets.add(intro.target_id)
        for event in intro.events:
            if event.day >= monday:
                continue  # only what happened before this week counts: a week's list is reproducible
            if event.state is IntroState.REQUESTED and (monday - event.day).days <= rules.budget_days:
                h.asks[intro.connector_id] = h.asks.get(intro.connector_id, 0) + 1
            elif event.state is IntroState.DECLINED and (monday - event.day).days <= rules.declined_days:
                h.declined_targets.add(intro.target_id)
            elif event.state is IntroState.SUGGESTED and (monday - event.day).days <= 7 * rules.repeat_weeks:
                key = (intro.rep_email, intro.target_id)
                h.suggested[key] = max(h.suggested.get(key, 0.0), intro.score or 0.0)
    return h


def select_intros(candidates: dict[str, Iterator[Candidate]], intros: Sequence[IntroRequest], monday: date,
                  rules: Rules = Rules(), taken: Collection[str] = ()) -> dict[str, list[Candidate]]:
    """Each rep's suggestions for the week starting ``monday``.

    Parameters:
        candidates: per rep e-mail, their candidate paths best first (consumed lazily).
        intros: every introduction request (and earlier suggestion) with its events.
        taken: target people already on this week's lists otherwise (champions who moved): none of them
            is suggested.
    """
    h = _history(intros, monday, rules)
    public, rest = {}, {}
    for rep, stream in candidates.items():
        a, rest[rep] = itertools.tee(stream)
        public[rep] = _Peekable(c for c in a if not c.private)
    # 1. The team's shared picks, in turns, from paths that rest on no private relationship.
    week = _Week(dict(h.asks), set(taken))
    chosen: dict[str, list[Candidate]] = {rep: [] for rep in candidates}
    active = sorted(candidates)
    while active:
        for rep in list(active):
            pick = _next_allowed(rep, public[rep], h, week, rules) if len(chosen[rep]) < rules.per_rep else None
            if pick is None:
                active.remove(rep)
                continue
            chosen[rep].append(pick)
            week.taken.add(pick.target)
            if pick.connector:
                week.asks[pick.connector] = week.asks.get(pick.connector, 0) + 1
    # 2. Each rep's own private paths, seen against the shared picks only: a teammate's list is the same
    #    with or without them. The rep's list is the best of both.
    for rep in sorted(candidates):
        own = _Week(dict(week.asks), set(week.taken))
        floor = min(c.score for c in chosen[rep]) if len(chosen[rep]) >= rules.per_rep else -1.0
        # Best first: once below the worst shared pick of a full list, nothing more can enter it.
        private = _Peekable(c for c in itertools.takewhile(lambda c, floor=floor: c.score >= floor, rest[rep]) if c.private)
        extra = []
        while len(extra) < rules.per_rep and (pick := _next_allowed(rep, private, h, own, rules)) is not None:
            extra.append(pick)
            own.taken.add(pick.target)
            if pick.connector:
                own.asks[pick.connector] = own.asks.get(pick.connector, 0) + 1
        merged = sorted(chosen[rep] + extra, key=lambda c: -c.score)  # stable: ties keep the order above
        chosen[rep] = merged[:rules.per_rep]
    return chosen


@dataclass
class _Week:
    """What this week's picks have used up: asks per connector, and target people already suggested."""

    asks: dict[str, int]
    taken: set[str]


def _allowed(rep: str, c: Candidate, h: _History, week: _Week, rules: Rules) -> bool:
    if c.target in week.taken or c.target in h.open_targets or c.target in h.declined_targets:
        return False
    earlier = h.suggested.get((rep, c.target))
    if earlier is not None and c.score < earlier * rules.better:
        return False
    if c.customer_account and not c.new_at_account:
        return False
    return not (c.connector and week.asks.get(c.connector, 0) >= rules.budget)


def _next_allowed(rep: str, stream: _Peekable, h: _History, week: _Week, rules: Rules) -> Candidate | None:
    """The best allowed candidate; among those with the same score to two decimals, the connector asked least."""
    while True:
        group = stream.take_group(lambda c: round(c.score, 2))
        if not group:
            return None
        allowed = [c for c in group if _allowed(rep, c, h, week, rules)]
        if allowed:
            best = min(allowed, key=lambda c: (week.asks.get(c.connector or "", 0), -c.score, c.target,
                                               c.connector or ""))
            stream.push_back([c for c in group if c is not best])
            return best


class _Peekable:
    def __init__(self, it: Iterator[Candidate]) -> None:
        self._it, self._back = it, []

    def _next(self) -> Candidate | None:
        if self._back:
            return self._back.pop(0)
        return next(self._it, None)

    def push_back(self, items: list[Candidate]) -> None:
        self._back = items + self._back

    def take_group(self, key) -> list[Candidate]:
        first = self._next()
        if first is None:
            return []
        group = [first]
        while True:
            nxt = self._next()
            if nxt is None:
                break
            if key(nxt) != key(first):
                self._back.insert(0, nxt)
                break
            group.append(nxt)
        return group


# -- cadence --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Contact:
    """A person a rep keeps a relationship with, for the cadence rules."""

    person_id: str
    name: str
    where: str | None  # "CPA at Harbor Accounting", ...
    last_touch: date | None  # last interaction, or last request made to them


def _ago(monday: date, day: date | None) -> str:
    if day is None:
        return "never"
    return f"{day.isoformat()} ({(monday - day).days} days ago)"


def cadence_items(monday: date, *, influencers: Sequence[Contact] = (), customers: Sequence[Contact] = (),
                  partners: Sequence[tuple[Contact, Sequence[str]]] = (),
                  moves: Sequence[tuple[str, str, str, str | None]] = (), limit: int = 5) -> list[WeeklyItem]:
    """Cadence reminders for one rep, most overdue first within each kind (ties by name).

    Parameters:
        influencers: the rep's circle of influence; due after 90 days without a touch.
        customers: the rep's customers with the last time they were asked for a referral; due after 180 days.
        partners: partner salespeople with the names of the rep's target accounts where they know people.
        moves: (person name, target account, title, previous organisation) of people who moved into one of
            the rep's target accounts since the previous import.
    """
    items: list[WeeklyItem] = []

    def overdue(contacts: Sequence[Contact], days: int) -> list[Contact]:
        due = [c for c in contacts if c.last_touch is None or (monday - c.last_touch).days >= days]
        return sorted(due, key=lambda c: (c.last_touch or date.min, c.name, c.person_id))[:limit]

    for c in overdue(influencers, 90):
        items.append(WeeklyItem("cadence", f"Touch base with {c.name}" + (f" ({c.where})" if c.where else "")
                                + f": circle of influence, once a quarter; last contact {_ago(monday, c.last_touch)}."))
    for c in overdue(customers, 180):
        items.append(WeeklyItem("cadence", f"Ask {c.name}" + (f" ({c.where})" if c.where else "")
                                + f" for a referral: customers twice a year; last asked {_ago(monday, c.last_touch)}."))
    for c, accounts in sorted(partners, key=lambda pa: (-len(pa[1]), pa[0].name))[:limit]:
        items.append(WeeklyItem("cadence", f"Compare target lists with {c.name}" + (f" ({c.where})" if c.where else "")
                                + f": they know people at {', '.join(sorted(accounts))}."))
    for name, account, title, before in sorted(moves, key=lambda m: (m[1], m[0]))[:limit]:
        items.append(WeeklyItem("cadence", f"{name} moved to {account}" + (f" as {title}" if title else "")
                                + (f" (was at {before})" if before else "") + ": congratulate them and reconnect."))
    return items
