"""Weekly lists for every rep on the M benchmark graph, end to end, against the cost of one reach sweep.

Writes the synthetic graph into a SQLite store (benchmarks.synthetic), then times ``weekly_lists`` for the
whole team (candidates, rules, cadence; without recording) and prints the figures.

    python -m benchmarks.weekly_speed                      # M: 50 reps, 100,000 people, 1,000,000 ties, 200 targets
    python -m benchmarks.weekly_speed --people 20000 --ties 200000   # quick
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from datetime import date
from pathlib import Path

from benchmarks.synthetic import TODAY, generate, load
from graphapp import service
from graphapp.domain.path_index import ALL_REPS
from graphapp.store.sqlite.snapshot_cache import cache_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=50)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--ties", type=int, default=1_000_000)
    parser.add_argument("--db", help="an existing store (e.g. written by benchmarks.synthetic) instead of a new one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.db or Path(tmp) / "m.db")
        if not args.db:
            with service.open_graph(str(db)) as store:
                print(f"store written in {load(store, generate(args.reps, args.people, args.ties)):.1f} s")
        week = f"{TODAY.isocalendar()[0]}-W{TODAY.isocalendar()[1]:02d}"
        cache_path(str(db)).unlink(missing_ok=True)
        with service.open_graph(str(db), create=False) as store:
            started = time.perf_counter()
            store.read_snapshot()  # the first read after a change reads every row (and leaves a copy)
            first_s = time.perf_counter() - started
            started = time.perf_counter()
            view = service.graph_view(store)  # later processes start from the copy
            view_s = time.perf_counter() - started
            started = time.perf_counter()
            result = service.weekly_lists(store, week=week, record=False)
            cold = time.perf_counter() - started
            started = time.perf_counter()
            service.weekly_lists(store, week=week, record=False)
            warm = time.perf_counter() - started
            index = service.path_index(store, today=date.fromisocalendar(TODAY.isocalendar()[0],
                                                                          TODAY.isocalendar()[1], 1))
            started = time.perf_counter()
            index.reach(ALL_REPS, 3)
            sweep = time.perf_counter() - started
        items = sum(len(r.items) for r in result.reps)
        print(f"{len(view.rep_emails)} reps, {len(view.target_accounts())} target accounts, "
              f"{view.n_relationships:,} relationships; graph view from the store in {view_s:.2f} s "
              f"({first_s:.2f} s for the first read after a change)")
        print(f"weekly lists for every rep ({items:,} items): {view_s + cold:.2f} s end to end from the store "
              f"(view {view_s:.2f} s + search index and lists {cold:.2f} s); again with the index built: {warm:.2f} s")
        print(f"ratio of the warm run to one all-reps reach sweep ({sweep * 1000:.0f} ms): {warm / sweep:.0f}x")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
