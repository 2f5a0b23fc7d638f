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
from pathlib import Path

from benchmarks.synthetic import TODAY, generate, load
from graphapp import service
from graphapp.path_index import ALL_REPS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=50)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--ties", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "m.db"
        with service.open_graph(str(db)) as store:
            print(f"store written in {load(store, generate(args.reps, args.people, args.ties)):.1f} s")
            started = time.perf_counter()
            index = service.path_index(store, today=TODAY)
            print(f"view and search index: {time.perf_counter() - started:.2f} s "
                  f"({len(index.view.target_accounts())} target accounts, {len(index.view.rep_emails)} reps)")
            started = time.perf_counter()
            index.reach(ALL_REPS, 3)
            sweep = time.perf_counter() - started
            week = f"{TODAY.isocalendar()[0]}-W{TODAY.isocalendar()[1]:02d}"
            started = time.perf_counter()
            result = service.weekly_lists(store, week=week, record=False, today=TODAY)
            seconds = time.perf_counter() - started
            items = sum(len(r.items) for r in result.reps)
            print(f"weekly lists, {len(result.reps)} reps: {seconds:.2f} s end to end ({items:,} items); "
                  f"ratio to one all-reps reach sweep ({sweep * 1000:.0f} ms): {seconds / sweep:.0f}x")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
