"""Warm-path ranking speed on a synthetic team graph, against networkx, in one run on one graph.

Prints: the build of the view and of the search index; our single-account top-20 query (median and
90th percentile over up to 200 target accounts); the batch of every rep x every account (best score
of each pair, then the best path of each pair that has one); the same single-account query with a
hop-bounded search over an ``nx.Graph`` (tests/reference_paths.py) and the naive
``nx.shortest_simple_paths`` per (rep, employee) pair on a sample, extrapolated; the ratios; and
whether our results equal the networkx reference's on the sample.

    python -m benchmarks.paths_speed                   # M: 50 reps, 100,000 people, 1,000,000 ties
    python -m benchmarks.paths_speed --scale L         # L: 200 reps, 1,000,000 people, 10,000,000 ties
    python -m benchmarks.paths_speed --people 20000 --ties 200000 --reference-accounts 5   # quick
"""

from __future__ import annotations

import argparse
import itertools
import math
import resource
import statistics
import time

import networkx as nx
import numpy as np

from benchmarks.synthetic import TODAY, SyntheticGraph, generate
from graphapp.domain.graph import GraphView
from graphapp.domain.path_index import ALL_REPS, PathIndex
from graphapp.domain.paths import account_targets, best_scores_by_rep, rank_paths
from graphapp.domain.scoring import ScoringWeights
from graphapp.model import ORG_TARGET, VISIBILITY_ORDER, GraphSnapshot, Visibility
from tests.reference_paths import hop_bounded_paths, to_networkx

SCALES = {"M": (50, 100_000, 1_000_000), "L": (200, 1_000_000, 10_000_000)}
TITLES = ["VP Finance", "Chief Operating Officer", "Director of Procurement", "Account Manager", "Engineer",
          "Head of Revenue", "Analyst", None]


def snapshot(g: SyntheticGraph, seed: int = 1) -> GraphSnapshot:
    rng = np.random.default_rng(seed)
    m, n = len(g.source), g.n_people
    flags = np.zeros(g.n_orgs, dtype=np.int64)
    flags[g.target_orgs] = ORG_TARGET
    last = np.where(g.last_days_ago >= 0, TODAY.toordinal() - g.last_days_ago, 0)
    titles = [TITLES[i] for i in rng.integers(0, len(TITLES), size=n)]
    return GraphSnapshot(
        version=1, person_ids=[f"p{i:07d}" for i in range(n)], person_names=[f"Person {i}" for i in range(n)],
        person_titles=titles, org_ids=[f"o{i}" for i in range(g.n_orgs)],
        org_names=[f"Org {i}" for i in range(g.n_orgs)], org_flags=flags, rep_person=np.arange(g.n_reps),
        rep_emails=[f"rep{i}@team.example.com" for i in range(g.n_reps)], owners=["team"],
        rel_source=g.source, rel_target=g.target, rel_kind=g.kind, rel_owner=np.zeros(m, dtype=np.int64),
        rel_visibility=np.full(m, VISIBILITY_ORDER.index(Visibility.TEAM)), rel_first_seen=np.zeros(m, dtype=np.int64),
        rel_last_interaction=last, rel_count_out=g.count_out, rel_count_in=g.count_in, rel_override=np.zeros(m),
        emp_person=np.arange(n), emp_org=g.employer, emp_current=np.ones(n, dtype=np.int64),
        emp_start=np.zeros(n, dtype=np.int64), emp_end=np.zeros(n, dtype=np.int64), emp_titles=titles,
    )


def timed(fn, *args, **kw):
    started = time.perf_counter()
    result = fn(*args, **kw)
    return time.perf_counter() - started, result


def naive_pair_seconds(g: nx.Graph, index: PathIndex, account: int, pairs: int, hops: int) -> tuple[float, int]:
    """Seconds per (rep, employee) pair of ``nx.shortest_simple_paths`` until a path is longer than ``hops``."""
    for _, _, data in g.edges(data=True):
        data["cost"] = -math.log(max(data["ask"], 1e-300))
    people, _ = account_targets(index, account)
    reps = index.view.rep_person.tolist()
    sample = list(itertools.islice(itertools.product(reps, people.tolist()), pairs))
    started = time.perf_counter()
    for rep, person in sample:
        try:
            for path in nx.shortest_simple_paths(g, rep, person, weight="cost"):
                if len(path) - 1 > hops:
                    break
        except nx.NetworkXNoPath:
            pass
        if time.perf_counter() - started > 60:
            return (time.perf_counter() - started) / max(1, sample.index((rep, person)) + 1), len(reps) * len(people)
    return (time.perf_counter() - started) / max(1, len(sample)), len(reps) * len(people)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=sorted(SCALES), default="M")
    parser.add_argument("--reps", type=int)
    parser.add_argument("--people", type=int)
    parser.add_argument("--ties", type=int)
    parser.add_argument("--accounts", type=int, default=200)
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--max-hops", type=int, default=3)
    parser.add_argument("--reference-accounts", type=int, default=20, help="accounts checked against networkx")
    parser.add_argument("--naive-pairs", type=int, default=20)
    parser.add_argument("--no-batch", action="store_true")
    args = parser.parse_args()
    reps, people, ties = SCALES[args.scale]
    reps, people, ties = args.reps or reps, args.people or people, args.ties or ties

    gen_s, g = timed(generate, reps, people, ties, 1)
    snap = snapshot(g)
    view_s, view = timed(GraphView, snap)
    index_s, index = timed(PathIndex, view, ScoringWeights(), TODAY.toordinal())
    print(f"graph: {reps} reps, {people:,} people, {len(g.source):,} ties, {g.n_orgs:,} organisations "
          f"(generated in {gen_s:.1f} s)")
    print(f"view build {view_s:.2f} s; search index build {index_s:.2f} s")
    accounts = [int(a) for a in view.target_accounts()[: args.accounts]]
    reach_s, _ = timed(index.reach, ALL_REPS, args.max_hops)
    print(f"reach bounds from all reps (once per graph version): {reach_s * 1000:.0f} ms")
    times, results = [], {}
    for a in accounts:
        seconds, results[a] = timed(rank_paths, index, a, top=args.top, max_hops=args.max_hops)
        times.append(seconds)
    ms = sorted(t * 1000 for t in times)
    ours_median = statistics.median(ms)
    print(f"ours, one account top-{args.top}: median {ours_median:.2f} ms, p90 {ms[int(0.9 * (len(ms) - 1))]:.2f} ms, "
          f"max {ms[-1]:.1f} ms over {len(ms)} accounts; {sum(1 for a in accounts if results[a])} have paths")
    if not args.no_batch:
        batch(index, accounts, args.max_hops)
    print(f"peak RSS before networkx (generator, view, index, queries): {peak_mib():.0f} MiB")
    compare(index, accounts, results, args, ours_median)
    print(f"peak RSS of this process, networkx included: {peak_mib():.0f} MiB")


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def batch(index: PathIndex, accounts: list[int], max_hops: int) -> None:
    reps = index.view.rep_person.tolist()
    scores_s, scores = timed(best_scores_by_rep, index, accounts, reps, max_hops=max_hops)
    started, drawn = time.perf_counter(), 0
    for i, rep in enumerate(reps):
        for j, a in enumerate(accounts):
            if scores[i, j] > 0:
                [best] = rank_paths(index, a, rep=rep, top=1, max_hops=max_hops)
                assert abs(best.score - scores[i, j]) <= 1e-9 * scores[i, j], (rep, a)
                drawn += 1
    paths_s = time.perf_counter() - started
    print(f"batch {len(reps)} reps x {len(accounts)} accounts: best score of every pair {scores_s:.2f} s, "
          f"best path of the {drawn:,} pairs that have one {paths_s:.2f} s, total {scores_s + paths_s:.2f} s")


def compare(index: PathIndex, accounts: list[int], results: dict, args, ours_median: float) -> None:
    build_s, (g, hubs) = timed(to_networkx, index)
    # The networkx search grows with the people at an account: the sample is the accounts with the fewest.
    with_paths = [a for a in accounts if results[a]]
    sample = sorted(with_paths, key=lambda a: (len(account_targets(index, a)[0]), a))[: args.reference_accounts]
    ours_median = statistics.median(timed(rank_paths, index, a, top=args.top, max_hops=args.max_hops)[0] * 1000
                                    for a in sample)
    ref_times, equal = [], 0
    for a in sample:
        seconds, ref = timed(hop_bounded_paths, g, hubs, index, a, top=args.top, max_hops=args.max_hops)
        ref_times.append(seconds * 1000)
        ours = [(p.score, p.people) for p in results[a]]
        same = len(ours) == len(ref) and all(abs(s1 - s2) <= 1e-9 * max(s1, 1e-300) and p1 == p2
                                             for (s1, p1), (s2, p2) in zip(ours, ref, strict=True))
        equal += same
        if not same:
            print(f"  DIFFERENT on account {a}: ours {ours[:3]} ref {ref[:3]}")
    ref_median = statistics.median(ref_times)
    print(f"networkx hop-bounded search (nx.Graph built in {build_s:.1f} s): median {ref_median:.0f} ms over the "
          f"{len(sample)} accounts with the fewest people; ours {ours_median:.2f} ms on the same; ratio ours/networkx "
          f"{ours_median / ref_median:.4f}")
    print(f"results equal to the networkx reference on {equal} of {len(sample)} accounts")
    per_pair, pairs = naive_pair_seconds(g, index, sample[0], args.naive_pairs, args.max_hops)
    naive = per_pair * pairs
    ratio = f"{ours_median / 1000 / naive:.2e}" if naive > 0 else "n/a"
    print(f"naive nx.shortest_simple_paths: {per_pair * 1000:.0f} ms per (rep, employee) pair, x {pairs:,} pairs "
          f"= {naive:.0f} s for one account (extrapolated); ratio ours/naive {ratio}")


if __name__ == "__main__":
    main()
