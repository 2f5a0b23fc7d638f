"""Champions who moved (pure): people the newest evidence puts at a target account whom a rep knew, from
older evidence, as a customer contact, partner, referrer or influencer elsewhere. A job change the CRM has
not caught up with, and the warmest signal a rep can get.

A person is a champion who moved when their current job (the newest dated evidence: ``emp_current`` of
the view) is at a target account and either

- a rep has a relationship of kind customer, partner, referral or influencer with them, and they held an
  earlier job at another organisation (the relationship is from there); or
- they held an earlier job at a customer or partner organisation, and a rep has any relationship with
  them (not a CRM owner without contact, nor an invitation not yet answered).

Every such person counts, however long ago they moved: unlike the cadence's job moves
(``GraphStore.job_moves``), nothing depends on which import brought the new job.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from graphapp.model import KIND_ORDER, NOT_A_RELATIONSHIP, ORG_CUSTOMER, ORG_PARTNER, ORG_TARGET, RelationshipKind

K = RelationshipKind
WARM_KINDS: tuple[RelationshipKind, ...] = (K.CUSTOMER, K.PARTNER, K.REFERRAL, K.INFLUENCER)
"""The relationships that make a champion, warmest first (the CRM's precedence of kinds)."""

_NOT_A_TIE = frozenset(NOT_A_RELATIONSHIP | {K.INVITED})  # no relationship yet: knowing of someone is not enough
_PHRASE = {K.CUSTOMER: "customer contact", K.PARTNER: "partner contact", K.REFERRAL: "referrer",
           K.INFLUENCER: "circle-of-influence contact"}


@dataclass(frozen=True)
class ChampionMove:
    """One champion who moved, as positions in the graph view.

    ``ties`` holds, per rep who had the relationship, the rep's e-mail and the old kind (warmest of theirs),
    in e-mail order. ``until`` is the year the old evidence last places them at ``old_org`` (the old job's
    end, else the last interaction of the warm relationship, else the year the new job started; None when
    no evidence is dated).
    """

    person: int
    account: int  # the target account they work at now
    title: str | None  # their title there
    old_org: int
    until: int | None
    ties: tuple[tuple[str, RelationshipKind], ...]

    @property
    def reps(self) -> tuple[str, ...]:
        return tuple(rep for rep, _ in self.ties)

    @property
    def kind(self) -> RelationshipKind:
        """The warmest old kind across the reps."""
        return min((kind for _, kind in self.ties), key=WARM_KINDS.index)

    def kind_for(self, rep: str) -> RelationshipKind | None:
        return next((kind for r, kind in self.ties if r == rep), None)


def moved_champions(view, usable: np.ndarray | None = None, reps=None) -> list[ChampionMove]:
    """Every champion who moved in ``view`` (a :class:`~graphapp.domain.graph.GraphView`), by person position.

    Parameters:
        usable: mask of the relationships that may count (None: all), e.g. those a viewer may see.
        reps: rep person positions whose relationships count (None: every rep's).

    Example:
        >>> [(c.reps, c.kind.value) for c in moved_champions(view)]  # doctest: +SKIP
        [(('dana@example.com',), 'customer')]
    """
    n = view.n_people
    rep_email = dict(zip(view.rep_person.tolist(), view.rep_emails, strict=True))
    is_rep = np.zeros(n, dtype=np.bool_)
    is_rep[view.rep_person if reps is None else np.asarray(list(reps), dtype=np.int64)] = True
    flags = view.org_flags[view.emp_org] if len(view.emp_org) else np.zeros(0, dtype=np.int8)
    at_target = np.zeros(n, dtype=np.bool_)
    at_target[view.emp_person[view.emp_current & ((flags & ORG_TARGET) != 0)]] = True
    earlier = np.zeros(n, dtype=np.bool_)
    earlier[view.emp_person[~view.emp_current]] = True
    candidate = at_target & earlier
    candidate[view.rep_person] = False
    real = np.array([k not in _NOT_A_TIE for k in KIND_ORDER], dtype=np.bool_)[view.kind]
    mask = real if usable is None else real & usable
    from_rep = mask & is_rep[view.source] & candidate[view.target]
    to_rep = mask & is_rep[view.target] & candidate[view.source]
    by_person: dict[int, dict[str, list[RelationshipKind]]] = {}
    for e in np.flatnonzero(from_rep | to_rep).tolist():
        rep, person = (int(view.source[e]), int(view.target[e])) if from_rep[e] else (int(view.target[e]), int(view.source[e]))
        by_person.setdefault(person, {}).setdefault(rep_email[rep], []).append(e)
    out = []
    for person in sorted(by_person):
        found = _champion(view, person, by_person[person])
        if found is not None:
            out.append(found)
    return out


def _champion(view, person: int, edges_by_rep: dict[str, list[int]]) -> ChampionMove | None:
    jobs = view.jobs.edges_of(person).tolist()
    now = [r for r in jobs if view.emp_current[r] and view.org_flags[view.emp_org[r]] & ORG_TARGET]
    job = max(now, key=lambda r: (int(view.emp_start[r]), -int(view.emp_org[r])))
    account = int(view.emp_org[job])
    old = [r for r in jobs if not view.emp_current[r] and int(view.emp_org[r]) != account]
    if not old:
        return None
    warm: dict[str, tuple[RelationshipKind, list[int]]] = {}
    for rep, edges in edges_by_rep.items():
        kinds = [KIND_ORDER[int(view.kind[e])] for e in edges]
        mine = [k for k in kinds if k in WARM_KINDS]
        if mine:
            kind = min(mine, key=WARM_KINDS.index)
            warm[rep] = (kind, [e for e, k in zip(edges, kinds, strict=True) if k is kind])
    if warm:  # a warm relationship, from an earlier job elsewhere
        best = min((k for k, _ in warm.values()), key=WARM_KINDS.index)
        wanted = ORG_CUSTOMER if best is K.CUSTOMER else ORG_PARTNER if best is K.PARTNER else 0
        ties = tuple((rep, kind) for rep, (kind, _) in sorted(warm.items()))
        last = max(int(view.last_interaction[e]) for _, edges in warm.values() for e in edges)
    else:  # an earlier job at a customer or partner, and a rep who knows them
        wanted = ORG_CUSTOMER | ORG_PARTNER
        old = [r for r in old if view.org_flags[view.emp_org[r]] & wanted]
        if not old:
            return None
        kind = K.CUSTOMER if any(view.org_flags[view.emp_org[r]] & ORG_CUSTOMER for r in old) else K.PARTNER
        ties = tuple((rep, kind) for rep in sorted(edges_by_rep))
        last = 0
    before = max(old, key=lambda r: (bool(view.org_flags[view.emp_org[r]] & wanted), int(view.emp_end[r]),
                                     int(view.emp_start[r]), -int(view.emp_org[r])))
    title = view.emp_titles[job] or view.person_titles[person]
    return ChampionMove(person, account, title, int(view.emp_org[before]),
                        _until(int(view.emp_end[before]), last, int(view.emp_start[job])), ties)


def _until(end: int, last: int, start: int) -> int | None:
    """The year the old evidence last places the person at their old organisation (ordinals, 0: unknown)."""
    if end:
        return _year(end)
    if last:
        return _year(min(last, start) if start else last)
    return _year(start) if start else None


def _year(ordinal: int) -> int:
    return date.fromordinal(ordinal).year


def champion_sentence(name: str, kind: RelationshipKind, old_org: str, until: int | None, title: str | None,
                      account: str, *, whose: str = "your", where: str | None = "one of your targets") -> str:
    """The line a rep reads: "Raj Patel, your customer contact at Initech until 2024, is now VP Operations at
    Globex, one of your targets." ``whose``: "your", or teammates' names with "'s"; ``where``: what the
    account is to the reader (None: nothing).

    Example:
        >>> champion_sentence("Raj Patel", RelationshipKind.CUSTOMER, "Initech", 2024, "VP Operations", "Globex")
        'Raj Patel, your customer contact at Initech until 2024, is now VP Operations at Globex, one of your targets.'
    """
    since = f" until {until}" if until else ""
    role = f"{title} at {account}" if title else f"at {account}"
    return f"{name}, {whose} {_PHRASE[kind]} at {old_org}{since}, is now {role}" + (f", {where}." if where else
                                                                                      "." if role[-1] != "." else "")


def champion_draft(rep_name: str, name: str, account: str, title: str | None) -> str:
    """A short, editable message from the rep to the champion: congratulations first, then a meeting."""
    first = (name.split() or [name])[0]
    me = (rep_name.split() or [rep_name])[0]
    role = f"your new role as {title} at {account}" if title else f"your move to {account}"
    return (f"Hi {first},\n\nCongratulations on {role}! It was a pleasure working with you, and I'd love to hear how "
            f"the first months are going. Could we find 20 minutes in the next couple of weeks? I'd be glad to "
            f"share what has worked for teams like yours.\n\nBest,\n{me}")
