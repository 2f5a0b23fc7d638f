"""Reference implementations of warm-path ranking over networkx, for tests and benchmarks.

Both take the same weights as :class:`graphapp.domain.path_index.PathIndex` (pair strength ``s`` and ask
weight ``ask`` on each recorded tie, organisation hubs for implicit colleagues) and apply the same
rules as :func:`graphapp.domain.paths.rank_paths`, written independently:

- :func:`brute_force_paths` enumerates every simple path with ``nx.all_simple_paths`` (small graphs);
- :func:`hop_bounded_paths` is a hop-bounded best-value search from each target person over an
  ``nx.Graph`` (what a careful networkx user would write; exact for the diversified top-k because the
  best path per (connector, target) is all the ranking needs).

Results are lists of ``(score, people)`` with people as view positions, rep first.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from graphapp.domain.path_index import ALL_REPS, PathIndex
from graphapp.domain.paths import REPEAT_DISCOUNT, account_targets


def to_networkx(index: PathIndex) -> tuple[nx.Graph, Hubs]:
    """The recorded ties as an ``nx.Graph`` (edge attributes ``s`` and ``ask``), and the organisation
    hubs of implicit colleagues as plain dictionaries."""
    g = nx.Graph()
    g.add_nodes_from(range(index.n))
    p = index.pairs
    g.add_edges_from((int(a), int(b), {"s": float(s), "ask": float(k)})
                     for a, b, s, k in zip(p.a, p.b, p.strength, p.ask, strict=True))
    return g, Hubs(index)


class Hubs:
    """Implicit colleagues: who works where now, looked up instead of materialising every pair."""

    def __init__(self, index: PathIndex) -> None:
        self.orgs_of: dict[int, list[tuple[int, float]]] = defaultdict(list)
        self.members: dict[int, dict[int, float]] = {}
        self.factor = index.org_factor.tolist()
        for org in range(len(index.om_indptr) - 1):
            if self.factor[org] <= 0:
                continue
            lo, hi = index.om_indptr[org], index.om_indptr[org + 1]
            people = dict(zip(index.om_person[lo:hi].tolist(), index.om_half[lo:hi].tolist(), strict=True))
            self.members[org] = people
            for person, half in people.items():
                self.orgs_of[person].append((org, half))

    def tie(self, u: int, v: int) -> float:
        """The strongest implicit colleague tie of ``u`` and ``v`` (0 if none)."""
        if u == v:
            return 0.0
        return max((self.factor[o] * h * self.members[o][v] for o, h in self.orgs_of.get(u, ())
                    if v in self.members[o]), default=0.0)

    def colleagues(self, u: int):
        for o, _ in self.orgs_of.get(u, ()):
            yield from (v for v in self.members[o] if v != u)


def _weight(g: nx.Graph, hubs: Hubs, index: PathIndex, u: int, v: int, final: bool) -> float:
    """The best way from ``u`` to ``v`` in one hop (a recorded tie or an implicit colleague)."""
    best = g[u][v]["s" if final else "ask"] if g.has_edge(u, v) else 0.0
    tie = hubs.tie(u, v)
    return max(best, tie if final else tie * index.colleague_will)


def _starts(index: PathIndex, rep: int) -> set[int]:
    return {int(r) for r in index.view.rep_person} if rep == ALL_REPS else {rep}


def brute_force_paths(index: PathIndex, account: int, *, rep: int = ALL_REPS, top: int = 10, max_hops: int = 3,
                      per_target: int = 3) -> list[tuple[float, tuple[int, ...]]]:
    """Every simple path scored, then the diversified top (small graphs only)."""
    g, hubs = to_networkx(index)
    walk = g.copy()
    for members in hubs.members.values():
        walk.add_edges_from((a, b) for a in members for b in members if a < b)
    targets, relevance = account_targets(index, account)
    found = []
    for start in sorted(_starts(index, rep)):
        for t, rel in zip(targets.tolist(), relevance.tolist(), strict=True):
            for path in nx.all_simple_paths(walk, start, t, cutoff=max_hops):
                if any(index.is_rep[x] for x in path[1:]):
                    continue
                score = rel
                for i in range(len(path) - 1):
                    score *= _weight(g, hubs, index, path[i + 1], path[i], final=i == len(path) - 2)
                if score > 0:
                    found.append((score, tuple(path)))
    return select(index, found, top, per_target)


def select(index: PathIndex, found, top: int, per_target: int,
           discount: float = REPEAT_DISCOUNT) -> list[tuple[float, tuple[int, ...]]]:
    """Accept in score order under the diversity rules; list by score times ``discount ** (k-1)`` for the
    k-th path into one person; the ``top`` first."""
    ids = index.view.person_ids
    found = sorted(found, key=lambda f: (-round(f[0], 12), [ids[p] for p in f[1]]))
    keys, per, listed = set(), defaultdict(int), []
    for score, path in found:
        key = (path[0], path[-1]) if len(path) == 2 else (path[1], path[-1])
        if key in keys or per[path[-1]] >= per_target:
            continue
        keys.add(key)
        listed.append((score * discount ** per[path[-1]], score, path))
        per[path[-1]] += 1
    listed.sort(key=lambda x: (-round(x[0], 12), [ids[p] for p in x[2]]))
    return [(score, path) for _, score, path in listed[:top]]


def hop_bounded_paths(g: nx.Graph, hubs: Hubs, index: PathIndex, account: int, *, rep: int = ALL_REPS,
                      top: int = 10, max_hops: int = 3, per_target: int = 3) -> list[tuple[float, tuple[int, ...]]]:
    """For each target person, the best path from every connector (hop-bounded Bellman-Ford over the
    ``nx.Graph``), then the best rep per connector, then the diversified top."""
    starts = _starts(index, rep)
    targets, relevance = account_targets(index, account)
    found = []
    for t, rel in zip(targets.tolist(), relevance.tolist(), strict=True):
        best = _best_to_target(g, hubs, index, t, rel, max_hops - 1)
        for r in starts:  # direct ties
            w = _weight(g, hubs, index, r, t, final=True)
            if w > 0:
                found.append((rel * w, (r, t)))
        by_connector: dict[int, tuple[float, int]] = {}
        for r in sorted(starts):  # each rep's own ties: far fewer than the connectors within reach
            for c in set(_one_hop(g, hubs, r)):
                if c == t or c not in best:
                    continue
                score = _weight(g, hubs, index, r, c, final=False) * best[c][0]
                if score > by_connector.get(c, (0.0, -1))[0]:
                    by_connector[c] = (score, r)
        for c, (score, r) in by_connector.items():
            if score > 0:
                found.append((score, (r, *best[c][1])))
    return select(index, found, top, per_target)


def _best_to_target(g, hubs, index, t: int, rel: float, hops: int) -> dict[int, tuple[float, tuple]]:
    """Best (value, path to t) from every non-rep person within ``hops`` hops of ``t``."""
    best = {t: (rel, (t,))}
    frontier = dict(best)
    for _ in range(hops):
        nxt: dict[int, tuple[float, tuple]] = {}
        for u, (value, tail) in frontier.items():
            final = u == t and len(tail) == 1
            for v in _one_hop(g, hubs, u):
                if index.is_rep[v] or v in tail:
                    continue
                cand = value * _weight(g, hubs, index, v, u, final)
                if cand > nxt.get(v, (0.0,))[0] and cand > best.get(v, (0.0,))[0]:
                    nxt[v] = (cand, (v, *tail))
        best.update(nxt)
        frontier = nxt
    return best


def _one_hop(g: nx.Graph, hubs: Hubs, u: int):
    seen = set(g[u])
    yield from g[u]
    for v in hubs.colleagues(u):
        if v not in seen:
            seen.add(v)
            yield v
