"""Seeded synthetic team graphs for benchmarks: heavy-tailed company sizes and connection counts,
clustering inside companies. Arrays first (fast to make at millions of ties), batches on demand.

    python -m benchmarks.synthetic --people 100000 --ties 1000000 --db /tmp/m.db
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np

from graphapp.model import (
    KIND_ORDER,
    Asserted,
    Employment,
    Evidence,
    GraphBatch,
    ImportRecord,
    Organization,
    Person,
    Relationship,
    Rep,
    Visibility,
)

TODAY = date(2026, 11, 23)


@dataclass(frozen=True)
class SyntheticGraph:
    n_reps: int
    n_people: int
    n_orgs: int
    employer: np.ndarray  # person -> org
    source: np.ndarray
    target: np.ndarray
    kind: np.ndarray  # index into KIND_ORDER
    count_out: np.ndarray
    count_in: np.ndarray
    last_days_ago: np.ndarray  # -1: no interaction
    target_orgs: np.ndarray


def generate(n_reps: int = 50, n_people: int = 100_000, n_ties: int = 1_000_000, seed: int = 1) -> SyntheticGraph:
    """People 0..n_reps-1 are the reps (at org 0, the team's company); ties are unique unordered pairs."""
    rng = np.random.default_rng(seed)
    n_orgs = max(10, n_people // 20)
    org_weights = 1.0 / np.arange(1, n_orgs) ** 1.1
    employer = np.empty(n_people, dtype=np.int64)
    employer[:n_reps] = 0
    employer[n_reps:] = 1 + rng.choice(n_orgs - 1, size=n_people - n_reps, p=org_weights / org_weights.sum())
    activity = rng.lognormal(0.0, 1.2, size=n_people)
    activity[:n_reps] *= 40  # reps know many people
    p = activity / activity.sum()
    # Members of each org, to draw clustered ties inside companies.
    order = np.argsort(employer, kind="stable")
    starts = np.searchsorted(employer[order], np.arange(n_orgs + 1))
    draw = int(n_ties * 1.5)  # extra, for the duplicates and self-loops removed below
    u = rng.choice(n_people, size=draw, p=p)
    inside = rng.random(draw) < 0.5
    v = rng.choice(n_people, size=draw, p=p)
    org = employer[u[inside]]
    size = starts[org + 1] - starts[org]
    v[inside] = order[starts[org] + (rng.random(inside.sum()) * size).astype(np.int64)]
    a, b = np.minimum(u, v), np.maximum(u, v)
    keep = a != b
    pairs = np.unique(a[keep] * n_people + b[keep])[:n_ties]
    rng.shuffle(pairs)
    source, target = pairs // n_people, pairs % n_people
    m = len(source)
    shares = {"linkedin": 0.55, "colleague": 0.12, "customer": 0.04, "influencer": 0.02, "partner": 0.01,
              "referral": 0.01, "met": 0.06, "messaged": 0.12, "endorsed": 0.02, "recommended": 0.01, "knows": 0.04}
    kind_p = np.array([shares.get(k.value, 0.0) for k in KIND_ORDER])  # kinds added later draw nothing: same graph
    kind = rng.choice(len(KIND_ORDER), size=m, p=kind_p / kind_p.sum())
    interacted = rng.random(m) < 0.3
    count_out = np.where(interacted, rng.geometric(0.2, size=m), 0)
    count_in = np.where(interacted, rng.geometric(0.25, size=m) - 1, 0)
    last_days_ago = np.where(interacted, rng.integers(0, 730, size=m), -1)
    target_orgs = 1 + rng.choice(n_orgs - 1, size=min(200, n_orgs - 1), replace=False)
    return SyntheticGraph(n_reps, n_people, n_orgs, employer, source, target, kind, count_out, count_in,
                          last_days_ago, np.sort(target_orgs))


def batches(g: SyntheticGraph, import_id: str, chunk: int = 50_000) -> Iterator[GraphBatch]:
    """The graph as asserted facts, in batches of about ``chunk`` facts."""
    targets = set(g.target_orgs.tolist())

    def ev(fact: str, row: int) -> Evidence:
        return Evidence(import_id, "synthetic.csv", fact, row=row, file_sha256="synthetic")

    orgs = tuple(Asserted(Organization(f"o{i}", f"Org {i}", is_target=i in targets), ev("organization", i))
                 for i in range(g.n_orgs))
    yield GraphBatch(organizations=orgs)
    for start in range(0, g.n_people, chunk):
        ids = range(start, min(start + chunk, g.n_people))
        people = tuple(Asserted(Person(f"p{i}", f"Person {i}", emails=(f"p{i}@x{g.employer[i]}.example.com",)),
                                ev("contact", i)) for i in ids)
        jobs = tuple(Asserted(Employment(f"p{i}", f"o{g.employer[i]}"), ev("employment", i)) for i in ids)
        reps = tuple(Rep(f"p{i}@x0.example.com", f"p{i}", f"Person {i}") for i in ids if i < g.n_reps)
        yield GraphBatch(people=people, employments=jobs, reps=reps)
    for start in range(0, len(g.source), chunk):
        rows = []
        for e in range(start, min(start + chunk, len(g.source))):
            days = int(g.last_days_ago[e])
            last = TODAY - timedelta(days=days) if days >= 0 else None
            rel = Relationship(f"p{g.source[e]}", f"p{g.target[e]}", KIND_ORDER[g.kind[e]], owner="team",
                               visibility=Visibility.TEAM, last_interaction=last,
                               count_out=int(g.count_out[e]), count_in=int(g.count_in[e]))
            rows.append(Asserted(rel, ev("connection", e)))
        yield GraphBatch(relationships=tuple(rows))


def load(store, g: SyntheticGraph, import_id: str = "synthetic") -> float:
    """Write the graph into ``store`` as one import; returns the seconds it took."""
    started = time.perf_counter()
    record = ImportRecord(id=import_id, time=datetime.now(UTC), actor="benchmark", kind="synthetic")
    with store.importing(record) as writer:
        for batch in batches(g, import_id):
            writer.write(batch)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reps", type=int, default=50)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--ties", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", required=True)
    args = parser.parse_args()
    from graphapp.store.sqlite.store import open_sqlite

    g = generate(args.reps, args.people, args.ties, args.seed)
    with open_sqlite(args.db) as store:
        seconds = load(store, g)
        print(f"wrote {len(g.source):,} ties, {g.n_people:,} people in {seconds:.1f}s: {store.counts()}")


if __name__ == "__main__":
    main()
