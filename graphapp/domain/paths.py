"""Warm-path ranking: the best introduction paths from the team into one target account.

A path runs from a rep through intermediaries (never another rep) to a person currently employed at
the account, with at most ``max_hops`` relationships. Its score is

    relevance(target) * strength(last hop) * prod(ask weight of every other hop)

where a hop's ask weight is its strength times the willingness of the person asked to pass the
introduction on (:mod:`graphapp.domain.scoring`). Results are simple paths, ranked by score (ties by the
people's ids), diversified: one result per (first connector, target person), a rep's direct tie
counting as its own connector, and at most ``per_target`` results per target person. The list leads
with the best path into each of the most relevant people: the k-th path into one person is listed as if
its score were ``repeat_discount ** (k-1)`` times lower (``paths_repeat_discount``, 0.5), so a second path
comes before the first path into someone else only when it is more than twice as good.

The search runs from the account's side, best-first over partial paths, with the exact reach bounds
of :class:`~graphapp.domain.path_index.PathIndex` as its priority: every partial path's priority is the
best score any completion could reach, so complete paths come out in score order and the search stops
as soon as the last accepted result beats everything left. ``tests/test_paths*.py`` compare it with a
brute-force enumeration over networkx.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np

from graphapp.domain.path_index import ALL_REPS, PathIndex
from graphapp.errors import InputError
from graphapp.model import KIND_ORDER, RelationshipKind

_EPS = 1e-12


@dataclass(frozen=True)
class Hop:
    """One step of a path, in the direction of the introduction (rep side first)."""

    source: int  # person positions in the graph view
    target: int
    kind: RelationshipKind  # the strongest relationship between them, or COLLEAGUE for an implicit one
    strength: float
    weight: float  # what the hop contributes to the score (strength, or strength x willingness)
    via_org: int = -1  # the organisation of an implicit colleague tie, -1 for recorded relationships


@dataclass(frozen=True)
class RankedPath:
    score: float
    people: tuple[int, ...]  # rep first, target person last
    hops: tuple[Hop, ...]
    relevance: float  # of the target person

    @property
    def rep(self) -> int:
        return self.people[0]

    @property
    def target(self) -> int:
        return self.people[-1]

    @property
    def connector(self) -> int:
        """The person the rep asks first (the target itself on a direct tie)."""
        return self.people[1]

    @property
    def weakest(self) -> Hop:
        return min(self.hops, key=lambda h: h.strength)


def account_targets(index: PathIndex, account: int) -> tuple[np.ndarray, np.ndarray]:
    """The people currently employed at ``account`` who are not reps, and their relevance as buyers
    (memoised by the index)."""
    found = index.targets_cache.get(account)
    if found is None:
        found = index.targets_cache[account] = _account_targets(index, account)
    return found


def _account_targets(index: PathIndex, account: int) -> tuple[np.ndarray, np.ndarray]:
    view = index.view
    rows = view.employees.edges_of(account)
    rows = rows[view.emp_current[rows]]
    best: dict[int, float] = {}
    for r in rows.tolist():
        person = int(view.emp_person[r])
        if index.is_rep[person] or (index.excluded is not None and index.excluded[person]):
            continue
        title = view.emp_titles[r] or view.person_titles[person]
        best[person] = max(best.get(person, 0.0), index.relevance(title))
    people = np.array(sorted(best), dtype=np.int64)
    return people, np.array([best[p] for p in people.tolist()], dtype=np.float64)


REPEAT_DISCOUNT = 0.5
"""A second path into the same person is listed as if its score were this much lower, a third as if twice
(``paths_repeat_discount``): the list leads with the best path into each of the most relevant people."""


def rank_paths(index: PathIndex, account: int, *, rep: int = ALL_REPS, top: int = 10, max_hops: int = 3,
               per_target: int = 3, repeat_discount: float = REPEAT_DISCOUNT) -> list[RankedPath]:
    """The ``top`` best warm paths into organisation ``account`` (a position in the view).

    Parameters:
        rep: a rep's person position to rank only their paths, or ``ALL_REPS``.
        top, max_hops, per_target: result count, most relationships per path, most results per target.
        repeat_discount: the k-th path into one person is ranked by its score times ``repeat_discount ** (k-1)``
            (1: plain score order).

    Returns:
        Paths, best first; empty when no rep can reach anyone at the account within ``max_hops``.

    Raises:
        InputError: an argument out of range, or ``rep`` not a rep.

    Example:
        >>> paths = rank_paths(index, account=12, top=5)  # doctest: +SKIP
        >>> [round(p.score, 3) for p in paths]  # doctest: +SKIP
        [0.412, 0.377, 0.2, 0.18, 0.05]
    """
    if top < 1 or per_target < 1 or not 1 <= max_hops <= 6 or not 0 < repeat_discount <= 1:
        raise InputError("top and per_target must be at least 1, max_hops between 1 and 6, and the repeat "
                         "discount in (0, 1].")
    if rep != ALL_REPS and not index.is_rep[rep]:
        raise InputError("Paths start at a rep; that person is not on the team.")
    people, relevance = account_targets(index, account)
    search = _Search(index, index.reach(rep, max_hops), max_hops)
    return search.run(people, relevance, _Picker(top, per_target, repeat_discount))


def best_path_to(index: PathIndex, person: int, *, max_hops: int = 6) -> RankedPath | None:
    """The best path from any rep to one ``person`` (a position), scored as if they were a fully relevant
    target, within ``max_hops`` relationships; None when no rep reaches them. "Who should I meet next"
    uses it to name the teammate who knows someone, and how."""
    if index.is_rep[person]:
        return None
    search = _Search(index, index.reach(ALL_REPS, max_hops), max_hops)
    found = search.run(np.array([person], dtype=np.int64), np.ones(1, dtype=np.float64), _Picker(1, 1))
    return found[0] if found else None


class _Search:
    """Best-first search over partial paths grown from the target people towards the reps.

    A partial path is a *state* (its front person, value so far, hops, parent state, target). Each
    state's possible next people are sorted by their bound once, in two lists: people to grow the path
    through, and reps that complete it. The heap holds (state, list, i) entries meaning "the i-th next
    person of that list", and popping one pushes its sibling i+1 and its own first children, so each
    pop costs a few pushes however many neighbours a person has.

    Two rules keep the search near the size of the answer without changing it:
    - a state beyond the target completes at most one result (every rep it reaches shares its first
      connector, so only the best completion, or ties with it, can be chosen);
    - a target person who already has ``per_target`` results stops growing once nothing left for it
      can beat the worst of them.
    """

    _GROW, _REPS = 0, 1

    def __init__(self, index: PathIndex, reach: tuple[np.ndarray, ...], max_hops: int) -> None:
        self.index, self.reach, self.max_hops = index, reach, max_hops
        self.start = reach[0] > 0  # the reps paths may start at
        self.node: list[int] = [-1]  # state 0 is the virtual root above the targets
        self.value: list[float] = [1.0]
        self.hops: list[int] = [-1]
        self.parent: list[int] = [-1]
        self.via: list[int] = [-1]
        self.weight: list[float] = [1.0]
        self.target: list[int] = [-1]
        self.cands: list[tuple[tuple, tuple]] = [((), ())]
        self.heap: list[tuple[float, int, int, int, int]] = []
        self.seq = 0
        self._cache: dict[tuple[int, bool, int], tuple[tuple, tuple]] = {}

    def _candidates(self, u: int, final: bool, rem: int) -> tuple[tuple, tuple]:
        key = (u, final, rem)
        found = self._cache.get(key)
        if found is None:
            people, weights, via = self.index.neighbours(u, final)
            keys = weights * self.reach[rem][people]
            keep = np.flatnonzero(keys > 0)
            keep = keep[np.lexsort((people[keep], -keys[keep]))]  # best first, ties by person
            people, keys = people[keep], keys[keep]
            colleagues = (via >= 0).any()
            if colleagues:  # a colleague may also be tied by a relationship: one entry per person, its best way in
                _, first = np.unique(people, return_index=True)
                first.sort()
                keep, people, keys = keep[first], people[first], keys[first]
            weights = weights[keep]
            is_start = self.start[people]
            found = tuple(self._lists(people, weights, via[keep] if colleagues else None, keys, m)
                          for m in (~is_start if rem > 0 else None, is_start))
            self._cache[key] = found
        return found

    @staticmethod
    def _lists(people, weights, via, keys, mask) -> tuple[list, list, list, list]:
        """The candidates ``mask`` selects (None: none) as plain lists; ``via`` None: all -1 (no colleague)."""
        if mask is None:
            return [], [], [], []
        if not mask.all():
            people, weights, keys = people[mask], weights[mask], keys[mask]
            via = None if via is None else via[mask]
        n = len(people)
        return people.tolist(), weights.tolist(), [-1] * n if via is None else via.tolist(), keys.tolist()

    def _push(self, state: int, which: int, i: int) -> None:
        keys = self.cands[state][which][3]
        if i < len(keys):
            self.seq += 1
            heapq.heappush(self.heap, (-self.value[state] * keys[i], self.seq, state, which, i))

    def _new_state(self, node: int, value: float, hops: int, parent: int, via: int, weight: float,
                   target: int) -> int:
        self.node.append(node)
        self.value.append(value)
        self.hops.append(hops)
        self.parent.append(parent)
        self.via.append(via)
        self.weight.append(weight)
        self.target.append(target)
        rem = self.max_hops - hops - 1
        self.cands.append(self._candidates(node, hops == 0, rem) if rem >= 0 else (((), (), (), ()),) * 2)
        state = len(self.node) - 1
        self._push(state, self._GROW, 0)
        self._push(state, self._REPS, 0)
        return state

    def _on_path(self, state: int, person: int) -> bool:
        while state > 0:
            if self.node[state] == person:
                return True
            state = self.parent[state]
        return False

    def run(self, targets: np.ndarray, relevance: np.ndarray, picker: _Picker) -> list[RankedPath]:
        keys = relevance * self.reach[-1][targets]
        order = np.lexsort((targets, -keys))
        order = order[keys[order] > 0]
        people, rel = targets[order].tolist(), relevance[order].tolist()
        self.cands[0] = ((people, rel, [-1] * len(people), keys[order].tolist()), ((), (), (), ()))
        self._push(0, self._GROW, 0)
        found: list[tuple] = []  # (score, people, state, via of first hop, weight of first hop)
        while self.heap:
            priority = -self.heap[0][0]
            if picker.full() and priority < picker.threshold() - _EPS:
                break
            _, _, state, which, i = heapq.heappop(self.heap)
            if state and picker.saturated(self.target[state], priority):
                continue  # nothing left for this target can be chosen; its siblings are no better
            people_i, weights_i, via_i, keys_i = self.cands[state][which]
            v, w, via = people_i[i], weights_i[i], via_i[i]
            if state == 0:
                self._push(0, self._GROW, i + 1)
                self._new_state(v, w, 0, 0, -1, w, v)
                continue
            value = self.value[state] * w
            if which == self._REPS:
                # Beyond the target every completion shares this state's first connector: only the
                # best (and exact ties with it) can be chosen. Direct ties each have their own rep.
                if self.hops[state] == 0 or (i + 1 < len(keys_i) and keys_i[i + 1] >= keys_i[i] * (1 - _EPS)):
                    self._push(state, which, i + 1)
                if self._on_path(state, v):
                    continue
                path = (v, *self._chain(state))
                found.append((value, path, state, via, w))
                picker.offer(value, path)
                continue
            self._push(state, which, i + 1)
            if not self._on_path(state, v):
                self._new_state(v, value, self.hops[state] + 1, state, via, w, self.target[state])
        ids = self.index.view.person_ids
        return [self._result(f) for f in _pick(found, picker.top, picker.per_target, picker.discount, ids)]

    def _chain(self, state: int) -> list[int]:
        nodes = []
        while state > 0:
            nodes.append(self.node[state])
            state = self.parent[state]
        return nodes

    def _result(self, found: tuple) -> RankedPath:
        score, people, state, via, weight = found
        hops, source = [], people[0]
        hop_via, hop_weight = via, weight
        while state > 0:
            target = self.node[state]
            hops.append(self._hop(source, target, hop_via, hop_weight))
            source, hop_via, hop_weight = target, self.via[state], self.weight[state]
            state = self.parent[state]
        relevance = hop_weight  # the root's weight is the target's relevance
        return RankedPath(score=score, people=tuple(people), hops=tuple(hops), relevance=relevance)

    def _hop(self, source: int, target: int, via: int, weight: float) -> Hop:
        index = self.index
        if via >= 0:
            return Hop(source, target, RelationshipKind.COLLEAGUE, colleague_strength(index, source, target, via),
                       weight, via)
        pair = pair_between(index, source, target)
        kind = KIND_ORDER[int(index.pairs.kind[pair])]
        return Hop(source, target, kind, float(index.pairs.strength[pair]), weight, -1)


def pair_between(index: PathIndex, a: int, b: int) -> int:
    """The pair id of two people tied by a recorded relationship (-1 if none)."""
    lo, hi = index.indptr[a], index.indptr[a + 1]
    hits = np.flatnonzero(index.nbr[lo:hi] == b)
    return int(index.pair_id[lo + hits[0]]) if len(hits) else -1


def colleague_strength(index: PathIndex, a: int, b: int, org: int) -> float:
    """Strength of the implicit colleague tie of ``a`` and ``b`` at ``org``."""
    lo, hi = index.om_indptr[org], index.om_indptr[org + 1]
    members = index.om_person[lo:hi]
    half = index.om_half[lo:hi]
    ha = float(half[np.flatnonzero(members == a)[0]])
    hb = float(half[np.flatnonzero(members == b)[0]])
    return float(index.org_factor[org]) * ha * hb


class _Picker:
    """Greedy acceptance under the diversity rules, in score order, and the listed (discounted) scores of
    what it accepted, to know when the search may stop."""

    def __init__(self, top: int, per_target: int, discount: float = 1.0) -> None:
        self.top, self.per_target, self.discount = top, per_target, discount
        self.keys: set[tuple[int, int]] = set()
        self.by_target: dict[int, list[float]] = {}
        self.listed: list[float] = []  # the ``top`` best listed scores of accepted paths, as a min-heap
        self.accepted = 0

    def offer(self, score: float, path: tuple[int, ...]) -> float | None:
        """Accept a path (offered in score order) unless the rules refuse it; its listed score, or None."""
        key = diversity_key(path)
        accepted = self.by_target.setdefault(path[-1], [])
        if key in self.keys or len(accepted) >= self.per_target:
            return None
        self.keys.add(key)
        listed = score * self.discount ** len(accepted)
        accepted.append(score)
        self.accepted += 1
        if len(self.listed) < self.top:
            heapq.heappush(self.listed, listed)
        elif listed > self.listed[0]:
            heapq.heapreplace(self.listed, listed)
        return listed

    def full(self) -> bool:
        return self.accepted >= self.top

    def saturated(self, target: int, bound: float) -> bool:
        """Whether no path into ``target`` scoring at most ``bound`` can be listed: the target has its
        ``per_target`` results and all of them beat ``bound``, or the list is full and such a path's listed
        score could not reach it."""
        scores = self.by_target.get(target)
        if not scores:
            return False
        if len(scores) >= self.per_target and bound < min(scores) - _EPS:
            return True
        return self.full() and bound * self.discount ** len(scores) < self.threshold() - _EPS

    def threshold(self) -> float:
        """The ``top``-th best listed score (call when :meth:`full`)."""
        return self.listed[0]


def diversity_key(path: tuple[int, ...]) -> tuple[int, int]:
    """(first connector, target) of a path; a direct tie's connector is its rep."""
    return (path[0], path[-1]) if len(path) == 2 else (path[1], path[-1])


def _pick(found: list[tuple], top: int, per_target: int, discount: float, ids: list[str]) -> list[tuple]:
    """The canonical selection: accept in score order (ties by the ids of the people on the path) under the
    diversity rules, then list by the discounted score (the k-th path into a person times ``discount ** (k-1)``,
    ties by the same ids), top first."""
    def ties(f: tuple) -> list[str]:
        return [ids[p] for p in f[1]]

    found = sorted(found, key=lambda f: (-round(f[0], 12), ties(f)))
    picker, listed = _Picker(top, per_target, discount), []
    for f in found:
        score = picker.offer(f[0], f[1])
        if score is not None:
            listed.append((score, f))
    listed.sort(key=lambda x: (-round(x[0], 12), ties(x[1])))
    return [f for _, f in listed[:top]]


def best_scores_by_rep(index: PathIndex, accounts, reps, *, max_hops: int = 3) -> np.ndarray:
    """The best path score of every (rep, account), as a ``len(reps) x len(accounts)`` array (0: no path).

    One reach computation per rep (cached by the index) serves every account, so the weekly batch costs
    ``reps`` sweeps plus a lookup per account; :func:`rank_paths` with ``rep=`` then draws the paths
    worth showing.
    """
    targets = [account_targets(index, int(a)) for a in accounts]
    out = np.zeros((len(reps), len(targets)), dtype=np.float64)
    for i, rep in enumerate(reps):
        final = index.reach(int(rep), max_hops)[-1]
        for j, (people, relevance) in enumerate(targets):
            if len(people):
                out[i, j] = float(np.max(relevance * final[people]))
    return out
