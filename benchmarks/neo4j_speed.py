"""Neo4j store speed with a live server: import throughput and single-account ranking time, next to the
same figures on SQLite for the same synthetic graph.

Without ``NEO4J_URI`` it starts the tests' own Neo4j server (tests/neo4j_server.py: needs java and mvn)
in a temporary folder; with it (and ``NEO4J_USER`` / ``NEO4J_PASSWORD``), it uses that server, in a
database of its own: it deletes graphapp's nodes there first.

    python -m benchmarks.neo4j_speed                 # M: 50 reps, 100,000 people, 1,000,000 ties
    python -m benchmarks.neo4j_speed --scale S --accounts 5
    NEO4J_URI=bolt://localhost:7687 NEO4J_PASSWORD=... python -m benchmarks.neo4j_speed
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
    with tempfile.TemporaryDirectory() as folder:
        server = None
        if not os.environ.get("NEO4J_URI"):
            from tests import neo4j_server

            why = neo4j_server.missing_tools()
            if why:
                print(f"No NEO4J_URI and no test server: {why}.", file=sys.stderr)
                return 2
            neo4j_server.build()
            server = neo4j_server.start(Path(folder))
            os.environ.update(NEO4J_USER=server.user, NEO4J_PASSWORD=server.password)
            print(f"started Neo4j 5.26 community (tests/neo4j_server) at {server.uri}")
        try:
            return run(args, server.uri if server else os.environ["NEO4J_URI"])
        finally:
            if server:
                server.stop()


def run(args: argparse.Namespace, uri: str) -> int:
    os.environ.setdefault("GRAPHAPP_NEIGHBOURHOOD_ABOVE", "0")  # rank from the pushed-down neighbourhood
    from benchmarks.synthetic import generate, load
    from graphapp import service
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
    neo4j = service.open_graph(uri)
    neo4j.delete_everything()
    neo4j.close()
    with service.open_graph(uri) as store:
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
