"""The weighted arrays warm-path search runs on, built once per (graph version, weights, day).

From the graph view's relationships it makes one undirected *pair* per two people who share any
relationship, with the pair strength (``s``, used for the last hop into the target person) and the
ask weight (``ask = s * willingness``, used for every hop into an intermediary who must pass the
introduction on). Implicit colleagues are not materialised: each current organisation is a hub whose
members are tied with ``factor[org] * half[a] * half[b]`` (see :mod:`graphapp.domain.scoring`).

It also computes the *reach* arrays the search uses as exact upper bounds: ``reach[h][v]`` is the
best value of any path from an allowed starting rep to ``v`` in at most ``h`` hops through people who
are not reps (``reach[0]`` is 1 at the allowed reps, 0 elsewhere). Searching from the account's side
with these bounds pops complete paths in score order and touches little more than the answer.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from graphapp.domain.graph import GraphView
from graphapp.domain.privacy import (
    Viewer,
    excluded_people,
    is_private,
    open_relationships,
    usable_relationships,
    visible_people,
)
from graphapp.domain.scoring import (
    ScoringWeights,
    colleague_size_factor,
    relationship_strengths,
    tenure_factor,
    title_relevance,
)
from graphapp.model import KIND_ORDER, RelationshipKind

ALL_REPS = -1
_COLLEAGUE = KIND_ORDER.index(RelationshipKind.COLLEAGUE)


def _row_max(values: np.ndarray, indptr: np.ndarray, n: int) -> np.ndarray:
    """Max of ``values`` over each CSR row (0 for empty rows)."""
    out = np.zeros(n, dtype=np.float64)
    nonempty = indptr[1:] > indptr[:-1]
    if values.size:
        out[nonempty] = np.maximum.reduceat(values, indptr[:-1][nonempty])
    return out


def _group(keys: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Stable order of ``keys`` and CSR row pointers over ``n`` groups."""
    order = np.argsort(keys, kind="stable")
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys, minlength=n), out=indptr[1:])
    return order, indptr


@dataclass(frozen=True, eq=False)
class Pairs:
    """One row per two people tied by any relationship (``a < b``), with the relationships behind it."""

    a: np.ndarray
    b: np.ndarray
    strength: np.ndarray
    ask: np.ndarray
    kind: np.ndarray  # the kind of the pair's strongest relationship
    rel_order: np.ndarray  # relationship indices grouped by pair
    rel_start: np.ndarray  # pair i's relationships: rel_order[rel_start[i]:rel_start[i+1]]


def build_pairs(view: GraphView, rel_strength: np.ndarray, w: ScoringWeights, used: np.ndarray | None = None,
                min_strength: float = 0.0) -> Pairs:
    """The pairs of the relationships ``used`` (indices into the view; all by default) whose combined
    strength is at least ``min_strength``."""
    n = view.n_people
    used = np.arange(len(view.source)) if used is None else used
    lo = np.minimum(view.source[used], view.target[used]).astype(np.int64)
    hi = np.maximum(view.source[used], view.target[used]).astype(np.int64)
    keys, pair_of = np.unique(lo * n + hi, return_inverse=True)
    pair_of = pair_of.reshape(-1)
    order, start = _group(pair_of, len(keys))
    order = used[order]
    s_sorted = rel_strength[order]
    starts = start[:-1]
    # The strongest relationship plus ``corroboration`` of what the others add (scoring.combine_strengths),
    # worked out only for the pairs with more than one relationship.
    strength = np.maximum.reduceat(s_sorted, starts) if len(keys) else np.zeros(0)
    counts = np.diff(start)
    multi = np.flatnonzero(counts > 1)
    if len(multi):
        sub = s_sorted[np.repeat(counts > 1, counts)]
        sub_starts = np.zeros(len(multi), dtype=np.int64)
        np.cumsum(counts[multi][:-1], out=sub_starts[1:])
        log_miss = np.add.reduceat(np.log(np.clip(1 - sub, 1e-12, 1)), sub_starts)
        top = strength[multi]
        others = np.clip(1 - np.exp(log_miss - np.log(np.clip(1 - top, 1e-12, 1))), 0.0, 1.0)
        strength[multi] = top + (1 - top) * w.corroboration * others
    override = view.override[order].astype(np.float64)
    max_override = np.maximum.reduceat(override, starts) if len(keys) else np.zeros(0)
    strength = np.where(max_override > 0, max_override, strength)
    will = np.asarray(w.willingness, dtype=np.float64)[view.kind[order]]
    max_will = np.maximum.reduceat(will, starts) if len(keys) else np.zeros(0)
    # The strongest relationship of each pair names its kind: sort by (pair, -strength), take the first.
    by_strength = np.lexsort((-s_sorted, np.repeat(np.arange(len(keys)), np.diff(start))))
    kind = view.kind[order][by_strength][starts] if len(keys) else np.zeros(0, dtype=np.int8)
    pairs = Pairs(a=(keys // n).astype(np.int32), b=(keys % n).astype(np.int32), strength=strength,
                  ask=strength * max_will, kind=kind, rel_order=order.astype(np.int32), rel_start=start)
    return pairs if min_strength <= 0 else _strong_pairs(pairs, min_strength)


def _strong_pairs(p: Pairs, min_strength: float) -> Pairs:
    keep = np.flatnonzero(p.strength >= min_strength)
    counts = np.diff(p.rel_start)[keep]
    rel_start = np.zeros(len(keep) + 1, dtype=np.int64)
    np.cumsum(counts, out=rel_start[1:])
    rels = np.concatenate([p.rel_order[p.rel_start[i]:p.rel_start[i + 1]] for i in keep.tolist()]) if len(keep) \
        else np.zeros(0, dtype=np.int32)
    return Pairs(a=p.a[keep], b=p.b[keep], strength=p.strength[keep], ask=p.ask[keep], kind=p.kind[keep],
                 rel_order=rels.astype(np.int32), rel_start=rel_start)


class PathIndex:
    """Everything the search needs, as arrays. Read-only after construction except the reach cache.

    ``kinds`` (relationship kinds, None: all) and ``min_strength`` restrict the ties paths may use: a
    pair counts only through relationships of those kinds and only when its strength reaches the
    minimum; implicit colleague ties count only when ``colleague`` is among the kinds, and only those
    at least ``min_strength`` strong.
    """

    def __init__(self, view: GraphView, weights: ScoringWeights, today: int, *,
                 kinds: frozenset[RelationshipKind] | None = None, min_strength: float = 0.0,
                 willingness_factor: np.ndarray | None = None, viewer: Viewer | None = None) -> None:
        """``willingness_factor``: per person, what their track record as a connector does to their
        willingness (1: no record; see :func:`graphapp.domain.intros.willingness_factors`); a hop's ask weight
        never exceeds its strength. ``viewer``: whose rankings these are (:mod:`graphapp.domain.privacy`: others'
        private relationships are left out; default: everything)."""
        self.view, self.weights, self.today = view, weights, today
        self.viewer = viewer or Viewer.everything()
        self.factor = np.ones(view.n_people) if willingness_factor is None else willingness_factor
        self.kinds, self.min_strength = kinds, min_strength
        n = self.n = view.n_people
        self.is_rep = np.zeros(n, dtype=np.bool_)
        self.is_rep[view.rep_person] = True
        self.rel_strength = relationship_strengths(view.kind, view.count_out, view.count_in, view.first_seen,
                                                   view.last_interaction, view.override, today, weights)
        mask = usable_relationships(view, self.viewer)
        self.excluded = excluded_people(view, mask)
        if kinds is not None:
            allowed = np.array([k in kinds for k in KIND_ORDER], dtype=np.bool_)[view.kind]
            mask = allowed if mask is None else mask & allowed
        # Kinds that are no relationship (a CRM owner who never reached the person) have strength 0 and
        # never make a path.
        if (self.rel_strength <= 0).any():
            mask = self.rel_strength > 0 if mask is None else mask & (self.rel_strength > 0)
        used = None if mask is None else np.flatnonzero(mask)
        self.pairs = p = build_pairs(view, self.rel_strength, weights, used, min_strength)
        ends = np.concatenate([p.a, p.b])
        order, self.indptr = _group(ends, n)
        self.nbr = np.concatenate([p.b, p.a])[order].astype(np.int32)
        self.pair_id = np.concatenate([np.arange(len(p.a))] * 2)[order].astype(np.int32)
        self.s = p.strength[self.pair_id]
        row = np.repeat(np.arange(n), np.diff(self.indptr))  # the person asked to pass the introduction on
        self.ask = np.minimum(self.s, p.ask[self.pair_id] * self.factor[row])
        self._build_hubs(view, weights, today)
        self._reach: OrderedDict[tuple[int, int], tuple[np.ndarray, ...]] = OrderedDict()
        self._lock = threading.Lock()
        self._relevance: dict[str | None, float] = {}
        self.targets_cache: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # see paths.account_targets
        self._shown_by_viewer: dict[str, np.ndarray] = {}  # shared with the viewer copies (for_viewer)
        self.seen_people: dict = {}  # person id -> Person as the viewer may see them, where not as stored (service)

    def for_viewer(self, viewer: Viewer) -> PathIndex:
        """The same search arrays seen by another viewer whose rankings use the same relationships
        (what they may see of people and relationships is their own)."""
        if viewer == self.viewer:
            return self
        other = copy.copy(self)  # shares the arrays and the reach cache
        other.viewer = viewer
        for name in ("shown", "open_relationships"):
            other.__dict__.pop(name, None)
        return other

    @cached_property
    def shown(self) -> np.ndarray:
        """Per person: may the viewer see who they are (:func:`graphapp.domain.privacy.visible_people`); kept
        per viewer by the index and its viewer copies."""
        found = self._shown_by_viewer.get(self.viewer.key)
        if found is None:
            found = self._shown_by_viewer[self.viewer.key] = visible_people(self.view, self.viewer)
        return found

    @cached_property
    def open_relationships(self) -> np.ndarray:
        """Per relationship: may the viewer see its details."""
        return open_relationships(self.view, self.viewer)

    def keeper(self, person: int) -> str | None:
        """For a person hidden from the viewer: the e-mail of a rep whose relationship with them the
        viewer's rankings use (the rep to ask); None when there is none."""
        view = self.view
        for edge in view.adjacency.edges_of(person).tolist():
            owner = view.owners[int(view.owner[edge])]
            if owner in view.rep_emails and owner != self.viewer.email and not is_private(view, edge):
                return owner
        return None

    def relevance(self, title: str | None) -> float:
        """The buyer relevance of a job title (:func:`graphapp.domain.scoring.title_relevance`), memoised."""
        found = self._relevance.get(title)
        if found is None:
            found = self._relevance[title] = title_relevance(title, self.weights)
        return found

    def _build_hubs(self, view: GraphView, w: ScoringWeights, today: int) -> None:
        current = np.flatnonzero(view.emp_current)
        person, org = view.emp_person[current].astype(np.int64), view.emp_org[current].astype(np.int64)
        tenure = tenure_factor(view.emp_start[current], today, w)
        keys = person * max(view.n_orgs, 1) + org
        # One membership per (person, org): the longest tenure among duplicate job rows.
        order = np.lexsort((-tenure, keys))
        first = np.ones(len(order), dtype=np.bool_)
        first[1:] = keys[order][1:] != keys[order][:-1]
        keep = order[first]
        if self.excluded is not None:
            keep = keep[~self.excluded[person[keep]]]  # another rep's private contacts are nobody's colleagues
        person, org, half = person[keep], org[keep], np.sqrt(tenure[keep])
        known = np.bincount(org, minlength=view.n_orgs)
        self.org_factor = w.colleague_strength * colleague_size_factor(known, w)
        self.org_factor[known < 2] = 0.0
        if self.kinds is not None and RelationshipKind.COLLEAGUE not in self.kinds:
            self.org_factor[:] = 0.0
        self.colleague_will = w.willingness[_COLLEAGUE]
        by_org, self.om_indptr = _group(org, view.n_orgs)
        self.om_person, self.om_half = person[by_org].astype(np.int32), half[by_org]
        by_person, self.pm_indptr = _group(person, self.n)
        self.pm_org, self.pm_half = org[by_person].astype(np.int32), half[by_person]

    # -- candidates: who can reach ``u`` in one hop -------------------------------------------------

    def neighbours(self, u: int, final: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """People one hop from ``u``: (positions, weights, via) where via is -1 for a relationship
        and the organisation for an implicit colleague. ``final``: ``u`` is the target person (the
        weight is the strength); otherwise ``u`` is an intermediary (the ask weight)."""
        lo, hi = self.indptr[u], self.indptr[u + 1]
        people = [self.nbr[lo:hi]]
        weights = [(self.s if final else self.ask)[lo:hi]]
        via = [np.full(hi - lo, -1, dtype=np.int32)]
        for j in range(self.pm_indptr[u], self.pm_indptr[u + 1]):
            o = int(self.pm_org[j])
            factor = self.org_factor[o]
            if factor <= 0:
                continue
            a, b = self.om_indptr[o], self.om_indptr[o + 1]
            members = self.om_person[a:b]
            tie = factor * self.pm_half[j] * self.om_half[a:b]
            others = (members != u) & (tie >= self.min_strength)
            tie = tie[others]
            people.append(members[others])
            weights.append(tie if final else np.minimum(tie, tie * self.colleague_will * self.factor[u]))
            via.append(np.full(int(others.sum()), o, dtype=np.int32))
        if len(people) == 1:
            return people[0], weights[0], via[0]
        return np.concatenate(people), np.concatenate(weights), np.concatenate(via)

    # -- reach: exact upper bounds from the reps' side -----------------------------------------------

    def reach(self, rep: int, hops: int) -> tuple[np.ndarray, ...]:
        """``reach[h]`` for h = 0..hops from the rep at position ``rep`` (or every rep: ``ALL_REPS``),
        plus, last, ``final``: the best value of a path that ends with a strength-weighted hop."""
        key = (rep, hops)
        with self._lock:
            if key in self._reach:
                self._reach.move_to_end(key)
                return self._reach[key]
        result = self._compute_reach(rep, hops)
        with self._lock:
            self._reach[key] = result
            while len(self._reach) > 64:
                self._reach.popitem(last=False)
        return result

    def _compute_reach(self, rep: int, hops: int) -> tuple[np.ndarray, ...]:
        start = np.zeros(self.n, dtype=np.float64)
        allowed = self.is_rep.copy() if rep == ALL_REPS else np.zeros(self.n, dtype=np.bool_)
        if rep != ALL_REPS:
            allowed[rep] = True
        start[allowed] = 1.0
        levels = [start]
        for _ in range(hops - 1):
            nxt = np.maximum(levels[-1], self.propagate(levels[-1], final=False))
            nxt[self.is_rep] = 0.0  # reps start paths; they are never intermediaries
            nxt[allowed] = 1.0
            levels.append(nxt)
        final = self.propagate(levels[-1], final=True) if hops > 0 else np.zeros(self.n)
        return (*levels, final)

    def propagate(self, x: np.ndarray, final: bool) -> np.ndarray:
        """One hop: ``out[u] = max over people v one hop from u of x[v] * weight(v, u)``, never v = u."""
        direct = _row_max(x[self.nbr] * (self.s if final else self.ask), self.indptr, self.n)
        return np.maximum(direct, self._propagate_hubs(x, final))

    def _propagate_hubs(self, x: np.ndarray, final: bool) -> np.ndarray:
        if not len(self.om_person):
            return np.zeros(self.n)
        vals = x[self.om_person] * self.om_half
        n_orgs = len(self.om_indptr) - 1
        best = _row_max(vals, self.om_indptr, n_orgs)
        # The best member other than u itself: the second best where u is the best.
        org_of = np.repeat(np.arange(n_orgs), np.diff(self.om_indptr))
        is_best = vals == best[org_of]
        ties = np.bincount(org_of[is_best], minlength=n_orgs)
        second = _row_max(np.where(is_best, 0.0, vals), self.om_indptr, n_orgs)
        single = is_best & (ties[org_of] == 1)
        per_member_other = np.where(single, second[org_of], best[org_of])
        will = 1.0 if final else np.minimum(1.0, self.colleague_will * self.factor[self.om_person])
        weight = self.org_factor[org_of] * self.om_half * will
        out = np.zeros(self.n, dtype=np.float64)
        np.maximum.at(out, self.om_person, per_member_other * weight)
        return out
