"""Neo4j store speed with a live server: import throughput and single-account ranking time, next to the
same figures on SQLite for the same synthetic graph.

Needs ``NEO4J_URI`` (and ``NEO4J_USER`` / ``NEO4J_PASSWORD``) naming a database of its own: it deletes
graphapp's nodes there first. ``docker compose up -d`` (README, Scaling out) starts one.

    NEO4J_URI=bolt://localhost:7687 python -m benchmarks.neo4j_speed                 # M: 50 reps, 100,000 people, 1,000,000 ties
    NEO4J_URI=bolt://localhost:7687 python -m benchmarks.neo4j_speed --scale S --accounts 5
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

SCALES = {"S": (20, 20_000, 150_000), "M": (50, 100_000, 1_000_000)}


def _rank_times(store, accounts: list[str], hops: int) -> list[float]:
    from graphapp import service

    times = []
    for account in accounts:
        started = time.perf_counter()
        service.account_paths(store, account, max_hops=hops)
        times.append(time.perf_counter() - started)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=sorted(SCALES), default="M")
    parser.add_argument("--accounts", type=int, default=10, help="target accounts to rank, one at a time")
    parser.add_argument("--hops", type=int, default=3)
    args = parser.parse_args()
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        print("NEO4J_URI is not set: start a server (docker compose up -d) and export NEO4J_URI, NEO4J_PASSWORD.",
              file=sys.stderr)
        return 2
    os.environ.setdefault("GRAPHAPP_NEIGHBOURHOOD_ABOVE", "0")  # rank from the pushed-down neighbourhood
    from benchmarks.synthetic import generate, load
    from graphapp.store.neo4j.store import open_neo4j
    from graphapp.store.sqlite.store import open_sqlite

    reps, people, ties = SCALES[args.scale]
    graph = generate(reps, people, ties)
    rows = int(len(graph.source) + graph.n_people + graph.n_people)  # ties, people, jobs
    print(f"scale {args.scale}: {reps} reps, {people:,} people, {len(graph.source):,} ties ({rows:,} facts)")
    with tempfile.TemporaryDirectory() as folder:
        with open_sqlite(Path(folder) / "bench.db") as sqlite:
            seconds = load(sqlite, graph)
            print(f"SQLite import: {seconds:.1f} s, {rows / seconds:,.0f} facts/s")
            accounts = [o.id for o in sqlite.list_organizations() if o.is_target][: args.accounts]
            whole = _rank_times(sqlite, accounts, args.hops)
    neo4j = open_neo4j(uri)
    neo4j.delete_everything()
    neo4j.close()
    with open_neo4j(uri) as store:
        seconds = load(store, graph)
        print(f"Neo4j import (batch {store._batch:,}): {seconds:.1f} s, {rows / seconds:,.0f} facts/s")
        first = _rank_times(store, accounts, args.hops)
        again = _rank_times(store, accounts, args.hops)
        started = time.perf_counter()
        sizes = [store.read_neighbourhood(a, args.hops).person_ids for a in accounts]
        fetch = (time.perf_counter() - started) / max(1, len(accounts))
        store.delete_everything()
    print(f"one account, SQLite whole view (first includes the view build): first {whole[0]:.2f} s, "
          f"median {statistics.median(whole):.3f} s")
    print(f"one account, Neo4j neighbourhood: first {first[0]:.2f} s, median {statistics.median(first):.3f} s, "
          f"cached {statistics.median(again):.3f} s; fetch {fetch:.3f} s for "
          f"{statistics.median(len(s) for s in sizes):,.0f} people on median")
    return 0


if __name__ == "__main__":
    sys.exit(main())
