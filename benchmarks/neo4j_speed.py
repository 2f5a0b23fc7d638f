"""Neo4j store speed against a live server, next to SQLite in the same run, in two parts:

1. **Import**: a LinkedIn export of 100,000 connections and 50,000 messages (the files of
   ``benchmarks.import_speed``), imported by ``service.import_files`` into an empty store of each kind.
2. **Ranking**: one target account at a time on a synthetic graph of 100,000 people and 1,000,000
   relationships (``benchmarks.synthetic``), written into SQLite and copied to the server with
   ``graphapp sync`` (timed too); ranked on SQLite (the whole-graph view) and on Neo4j as the app ranks
   above ``neighbourhood_above`` relationships (an account's neighbourhood, or the whole-graph view read
   once when that neighbourhood is most of the graph), with the same answers asserted.

Without ``NEO4J_URI`` it starts the tests' own Neo4j server (tests/neo4j_server.py: needs java and mvn)
in a temporary folder; with it (and ``NEO4J_USER`` / ``NEO4J_PASSWORD``), it uses that server, in a
database of its own: it deletes graphapp's nodes there first. Figures are printed with their ratio to
SQLite's, measured in the same run on the same machine.

    python -m benchmarks.neo4j_speed                                  # the sizes above
    python -m benchmarks.neo4j_speed --connections 10000 --messages 5000 --people 20000 --ties 150000
    python -m benchmarks.neo4j_speed --skip-import                    # the ranking part only
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def _rank_times(store, accounts: list[str], hops: int) -> tuple[list[float], list[dict]]:
    from graphapp import service

    times, answers = [], []
    for account in accounts:
        started = time.perf_counter()
        answers.append(service.account_paths(store, account, max_hops=hops).as_dict())
        times.append(time.perf_counter() - started)
    return times, answers


def _fresh(uri: str):
    from graphapp import service

    with service.open_graph(uri) as store:
        store.delete_everything()
    return service.open_graph(uri)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--connections", type=int, default=100_000)
    parser.add_argument("--messages", type=int, default=50_000)
    parser.add_argument("--reps", type=int, default=50)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--ties", type=int, default=1_000_000)
    parser.add_argument("--accounts", type=int, default=5, help="target accounts to rank, one at a time")
    parser.add_argument("--hops", type=int, default=3)
    parser.add_argument("--skip-import", action="store_true", help="only the ranking part")
    parser.add_argument("--skip-ranking", action="store_true", help="only the import part")
    parser.add_argument("--heap", default="8g", help="the started test server's heap (an import is published in one "
                                                      "transaction, which may use 70%% of it)")
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
            server = neo4j_server.start(Path(folder), heap=args.heap)
            os.environ.update(NEO4J_USER=server.user, NEO4J_PASSWORD=server.password)
            print(f"started Neo4j 5.26 community (tests/neo4j_server, {args.heap} heap) at {server.uri}")
        uri = server.uri if server else os.environ["NEO4J_URI"]
        try:
            if not args.skip_import:
                import_part(args, uri, Path(folder))
            if not args.skip_ranking:
                ranking_part(args, uri, Path(folder))
            return 0
        finally:
            if server:
                server.stop()


def import_part(args: argparse.Namespace, uri: str, folder: Path) -> None:
    from benchmarks.import_speed import OWNER, write_files
    from graphapp import service

    files = write_files(folder / "export", args.connections, args.messages)
    print(f"import: {args.connections:,} connections + {args.messages:,} messages "
          f"({sum(f.stat().st_size for f in files) / 2**20:.1f} MiB)")
    seconds = {}
    for name, location in (("SQLite", str(folder / "import.db")), ("Neo4j", uri)):
        store = _fresh(uri) if name == "Neo4j" else service.open_graph(location)
        with store:
            steps: list[tuple[float, str]] = []
            started = time.perf_counter()
            try:
                report = service.import_files(store, files, owner=OWNER,
                                              progress=lambda m, s=steps, t=started: s.append((time.perf_counter() - t,
                                                                                               str(m))))
            except Exception as exc:
                print(f"  {name:>6}: failed after {time.perf_counter() - started:.1f} s: {exc}")
                return
            seconds[name] = time.perf_counter() - started
            rows = sum(f.rows_read for f in report.files)
            print(f"  {name:>6}: {seconds[name]:6.1f} s, {rows / seconds[name]:,.0f} rows/s; people added "
                  f"{report.people_added:,}, relationships added {report.relationships_added:,}")
            if name == "Neo4j":
                marks = [t for t, m in steps if m.startswith(("Writing", "Saving"))]
                if marks:
                    print(f"          reading and matching {marks[0]:.1f} s, staging {marks[-1] - marks[0]:.1f} s, "
                          f"publishing {seconds[name] - marks[-1]:.1f} s")
                store.delete_everything()
    print(f"  Neo4j / SQLite: {seconds['Neo4j'] / seconds['SQLite']:.1f}x the time")


def ranking_part(args: argparse.Namespace, uri: str, folder: Path) -> None:
    from benchmarks.synthetic import generate, load
    from graphapp import service
    from graphapp.store.sqlite.store import open_sqlite

    graph = generate(args.reps, args.people, args.ties)
    print(f"ranking: {args.reps} reps, {args.people:,} people, {len(graph.source):,} relationships, "
          f"{args.hops} hops, {args.accounts} accounts one at a time")
    path = folder / "rank.db"
    with open_sqlite(path) as sqlite:
        print(f"  SQLite: written in {load(sqlite, graph):.1f} s")
        accounts = [o.id for o in sqlite.list_organizations() if o.is_target][: args.accounts]
        whole, expected = _rank_times(sqlite, accounts, args.hops)
    _fresh(uri).close()
    started = time.perf_counter()
    service.sync(str(path), uri)
    print(f"  Neo4j: copied by graphapp sync in {time.perf_counter() - started:.1f} s (verified: equal digests)")
    with service.open_graph(uri) as neo4j:
        os.environ["GRAPHAPP_NEIGHBOURHOOD_ABOVE"] = "0"  # what the app does above neighbourhood_above
        near, answers = _rank_times(neo4j, accounts, args.hops)
        assert answers == expected, "the neighbourhood ranking differs from SQLite's"
        started = time.perf_counter()  # the first account's whole neighbourhood, fetched row by row without a limit
        size = len(neo4j.read_neighbourhood(accounts[0], args.hops).person_ids)
        fetch = time.perf_counter() - started
        neo4j.delete_everything()
    os.environ.pop("GRAPHAPP_NEIGHBOURHOOD_ABOVE")
    print(f"  SQLite whole view: first {whole[0]:.2f} s (builds the view), then median "
          f"{statistics.median(whole[1:] or whole):.3f} s")
    print(f"  Neo4j as the app ranks above neighbourhood_above: first {near[0]:.2f} s, then median "
          f"{statistics.median(near[1:] or near):.3f} s (a neighbourhood over half the people is not fetched: the "
          f"whole view is read once instead); first {near[0] / whole[0]:.1f}x SQLite's")
    print(f"  fetching the first account's {args.hops}-hop neighbourhood anyway: {fetch:.1f} s for {size:,} of "
          f"{args.people:,} people")
    print("  the same ranked paths on both stores, both ways: yes")


if __name__ == "__main__":
    sys.exit(main())
