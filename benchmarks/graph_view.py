"""How long the in-memory graph view takes to build, and what it costs, at one million relationships.

Prints, in one run on one synthetic graph (benchmarks/synthetic.py, seeded): the store write, the
snapshot read, our CSR view build, and the same graph as an ``nx.Graph`` (the baseline), with
ratios. Memory is the tracemalloc peak of each build (numpy reports its buffers to tracemalloc).

    python -m benchmarks.graph_view                 # M: 50 reps, 100,000 people, 1,000,000 ties
    python -m benchmarks.graph_view --ties 100000   # a quick run
"""

from __future__ import annotations

import argparse
import gc
import tempfile
import time
import tracemalloc
from pathlib import Path

import networkx as nx

from benchmarks.synthetic import generate, load
from graphapp.domain.graph import build_view
from graphapp.model import GraphSnapshot
from graphapp.store.sqlite.store import open_sqlite

MB = 1024 * 1024


def networkx_graph(snap: GraphSnapshot) -> nx.Graph:
    """The baseline: the same ties and per-tie attributes in an ``nx.Graph``."""
    g = nx.Graph()
    g.add_nodes_from(range(len(snap.person_ids)))
    g.add_edges_from(
        (s, t, {"kind": k, "count_out": co, "count_in": ci, "last": last})
        for s, t, k, co, ci, last in zip(snap.rel_source, snap.rel_target, snap.rel_kind, snap.rel_count_out,
                                         snap.rel_count_in, snap.rel_last_interaction, strict=True)
    )
    return g


def measure(fn, *args):
    """(seconds, result) of one call, then (peak MiB) of a second call under tracemalloc."""
    gc.collect()
    started = time.perf_counter()
    result = fn(*args)
    seconds = time.perf_counter() - started
    del result
    gc.collect()
    tracemalloc.start()
    result = fn(*args)
    peak = tracemalloc.get_traced_memory()[1] / MB
    tracemalloc.stop()
    return seconds, peak, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=50)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--ties", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    g = generate(args.reps, args.people, args.ties, args.seed)
    with tempfile.TemporaryDirectory() as d:
        store = open_sqlite(Path(d) / "bench.db")
        write_s = load(store, g)
        n = store.counts()
        print(f"graph: {n.people:,} people, {n.organizations:,} organisations, {n.relationships:,} relationships")
        print(f"store write (one import, with evidence): {write_s:6.1f} s  ({n.relationships / write_s:,.0f} ties/s)")

        read_s, read_mb, snap = measure(store.read_snapshot)
        view_s, view_mb, view = measure(build_view, snap)
        nx_s, nx_mb, graph = measure(networkx_graph, snap)
        assert graph.number_of_edges() == view.n_relationships
        print(f"snapshot read from SQLite:               {read_s:6.2f} s  peak {read_mb:7.0f} MiB")
        print(f"CSR view build (ours):                   {view_s:6.2f} s  peak {view_mb:7.0f} MiB"
              f"  arrays {view.nbytes() / MB:.0f} MiB = {view.nbytes() / view.n_relationships:.0f} bytes/tie")
        print(f"nx.Graph build (baseline):               {nx_s:6.2f} s  peak {nx_mb:7.0f} MiB"
              f"  = {nx_mb * MB / view.n_relationships:.0f} bytes/tie")
        print(f"ratios ours/networkx: build time {view_s / nx_s:.3f}, memory {view_mb / nx_mb:.3f}")
        print(f"view from store (read + build):          {read_s + view_s:6.2f} s")
        store.close()


if __name__ == "__main__":
    main()
