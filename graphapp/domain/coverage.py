"""Account coverage: how well the team can reach each target account, and who to meet next (pure).

For every target account: the people we know there now, the best path score and the rep it starts
from. Accounts with no warm path within ``max_hops`` are *uncovered*; for those, "who should I meet
next" lists people in the graph who are one relationship away from the most uncovered accounts (they
work there, or have a recorded tie to someone who does), so one new relationship opens them; each with
the teammate who knows them and how (their best path from a rep, up to :data:`KNOWN_BY_HOPS`
relationships: longer than a warm path may be, or the account would be covered), or none.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphapp.domain.path_index import PathIndex
from graphapp.domain.paths import RankedPath, account_targets, best_path_to, rank_paths

KNOWN_BY_HOPS = 6  # the longest path a rep may know a suggested person through


@dataclass(frozen=True)
class AccountCoverage:
    org: int  # position in the graph view
    known_people: int  # current employees we know (reps excluded)
    best: RankedPath | None  # None: no warm path yet

    @property
    def best_score(self) -> float:
        return self.best.score if self.best else 0.0


@dataclass(frozen=True)
class MeetNext:
    person: int
    accounts: tuple[int, ...]  # the uncovered accounts one relationship away from this person
    known_by: RankedPath | None = None  # the best path from a rep to this person; None: no one on the team


def account_coverage(index: PathIndex, accounts, *, max_hops: int = 3) -> list[AccountCoverage]:
    """Coverage of each account (positions), best covered first, uncovered last (by name)."""
    rows = []
    for org in (int(a) for a in accounts):
        people, _ = account_targets(index, org)
        best = rank_paths(index, org, top=1, max_hops=max_hops)
        rows.append(AccountCoverage(org, len(people), best[0] if best else None))
    names = index.view.org_names
    rows.sort(key=lambda c: (-c.best_score, names[c.org].casefold(), c.org))
    return rows


def who_to_meet_next(index: PathIndex, uncovered, *, limit: int = 10) -> list[MeetNext]:
    """People (not reps) one relationship from the most uncovered accounts, most accounts first."""
    reach: dict[int, set[int]] = {}
    for org in (int(a) for a in uncovered):
        employees, _ = account_targets(index, org)
        for person in employees.tolist():
            reach.setdefault(person, set()).add(org)
            lo, hi = index.indptr[person], index.indptr[person + 1]
            for other in index.nbr[lo:hi].tolist():
                reach.setdefault(other, set()).add(org)
    ids = index.view.person_ids
    ranked = sorted((p for p in reach if not index.is_rep[p]), key=lambda p: (-len(reach[p]), ids[p]))
    names = index.view.org_names
    return [MeetNext(p, tuple(sorted(reach[p], key=lambda o: names[o].casefold())),
                     best_path_to(index, p, max_hops=KNOWN_BY_HOPS)) for p in ranked[:limit]]


def uncovered_accounts(rows: list[AccountCoverage]) -> np.ndarray:
    return np.array([c.org for c in rows if c.best is None], dtype=np.int64)
