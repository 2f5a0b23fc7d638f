"""Who is who, measured: a seeded team of reps writes labelled exports naming about 2,000 people, the
CLI imports them into a fresh SQLite file, and the store is scored against the truth.

Each generated row is labelled with the real person and company it names (benchmarks.identity_world,
benchmarks.identity_exports). The store keeps evidence (import, file, row) per person and organisation,
so every row is found on the person it ended up on. Printed per seed, beside the targets:

- pairwise merge precision and recall over people (truth pairs: rows of the same human; predicted:
  rows on the same stored person) and the same over organisations (rows naming an employer or account);
- people, organisations and reps in the store against the truth, and reps split over several people;
- the same figures for a baseline (merge on the same e-mail, any case, or LinkedIn URL only) and the
  oracle (the truth itself);
- which variations the rows split off or wrongly merged carry, and ``graphapp doctor --json`` when
  the command exists.

    python -m benchmarks.identity                      # seeds 1 2 3, 8 reps, 2,000 people
    python -m benchmarks.identity --seeds 4 --people 500 --explain 5 --keep /tmp/ident
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.identity_exports import Exports, Label, write_exports
from benchmarks.identity_world import World, build_world


@dataclass
class Pairs:
    """Pairwise scores of one clustering of rows against the truth."""

    precision: float
    recall: float
    false_pairs: int  # pairs of rows put together that are different people (organisations)
    missed_pairs: int  # pairs of rows of one person (organisation) left apart


@dataclass
class Score:
    people: Pairs
    orgs: Pairs
    n_people: int
    n_orgs: int
    reps: int
    reps_split: int
    unmapped: int = 0  # labelled rows the store holds no evidence for
    unmapped_orgs: int = 0
    people_split: int = 0  # real people found on more than one stored person
    split_tags: Counter = field(default_factory=Counter)  # variations among a split person's rows, per person
    merge_tags: Counter = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def pairwise(truth: Sequence[Hashable], predicted: Sequence[Hashable]) -> Pairs:
    """Precision and recall of the row pairs ``predicted`` puts together, against ``truth``."""
    both = Counter(zip(truth, predicted, strict=True))
    together = sum(_pairs(n) for n in both.values())
    true_pairs = sum(_pairs(n) for n in Counter(truth).values())
    predicted_pairs = sum(_pairs(n) for n in Counter(predicted).values())
    return Pairs(together / predicted_pairs if predicted_pairs else 1.0, together / true_pairs if true_pairs else 1.0,
                 predicted_pairs - together, true_pairs - together)


def import_all(exports: Exports, db: Path) -> list[str]:
    """Import every batch with the CLI, in order; the import id of each."""
    ids = []
    for batch in exports.batches:
        owner = ["--owner", batch.owner] if batch.owner else []
        done = subprocess.run([sys.executable, "-m", "graphapp", "--db", str(db), "import", *map(str, batch.files),
                               *owner, "--json"], capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"import of {[f.name for f in batch.files]} failed: {done.stderr.strip()}")
        ids.append(json.loads(done.stdout)["import_id"])
    return ids


def read_store(db: Path) -> tuple[dict, dict[str, int], dict[str, set[int]], int, int]:
    """Evidence by (import, file, row, subject); rep e-mail -> person; owner-profile persons by import;
    counts of people and organisations."""
    con = sqlite3.connect(db)
    try:
        found: dict[tuple, set[int]] = defaultdict(set)
        owners: dict[str, set[int]] = defaultdict(set)
        for import_id, name, row, subject, pk, fact in con.execute(
                "SELECT f.import_id, f.name, e.row, e.subject, e.subject_pk, e.fact FROM evidence e "
                "JOIN import_files f ON f.id = e.file_id WHERE e.subject IN ('person', 'organization')"):
            if row is not None:
                found[(import_id, name, row, subject)].add(pk)
            if fact == "owner-profile":
                owners[import_id].add(pk)
        # An import keeps one employer mention per spelling and file, but every row's job has evidence.
        for import_id, name, row, org in con.execute(
                "SELECT f.import_id, f.name, e.row, j.org_pk FROM evidence e JOIN import_files f ON f.id = e.file_id "
                "JOIN employments j ON j.pk = e.subject_pk WHERE e.subject = 'employment' AND e.row IS NOT NULL"):
            found[(import_id, name, row, "organization")].add(org)
        reps = dict(con.execute("SELECT email, person_pk FROM reps"))
        people = con.execute("SELECT count(*) FROM people").fetchone()[0]
        orgs = con.execute("SELECT count(*) FROM organizations").fetchone()[0]
        return found, reps, owners, people, orgs
    finally:
        con.close()


def score_store(world: World, exports: Exports, ids: list[str], db: Path, explain: int = 0) -> Score:
    """Where each labelled row ended up in the store, scored against the truth."""
    found, reps, owners, n_people, n_orgs = read_store(db)
    missing = Counter()

    def where(label: Label, subject: str, n: int) -> Hashable:
        pks = found.get((ids[label.batch], label.file, label.row, subject))
        if not pks:
            missing[subject] += 1
            return ("unmapped", n)  # a row of its own
        return min(pks)

    rows = [label for label in exports.labels if label.human]
    placed = [where(label, "person", n) for n, label in enumerate(rows)]
    org_rows = [label for label in exports.labels if label.company]
    org_placed = [where(label, "organization", n) for n, label in enumerate(org_rows)]
    score = Score(pairwise([r.human for r in rows], placed), pairwise([r.company for r in org_rows], org_placed),
                  n_people, n_orgs, len(reps), 0, missing["person"], missing["organization"])
    _rep_splits(world, exports, ids, rows, placed, reps, owners, score)
    _causes(rows, placed, score, explain)
    return score


def _rep_splits(world, exports, ids, rows, placed, reps, owners, score) -> None:
    for rep in world.reps:
        mine = {ids[i] for i, b in enumerate(exports.batches) if b.owner == rep.work_email}
        on = {p for label, p in zip(rows, placed, strict=True) if label.human == rep.key and not isinstance(p, tuple)}
        on |= {reps[rep.work_email]} if rep.work_email in reps else set()
        on |= set().union(*(owners.get(i, set()) for i in mine))
        score.reps_split += len(on) > 1


def _causes(rows: list[Label], placed: list[Hashable], score: Score, explain: int) -> None:
    """The variations carried by rows split off their person's main part, and by rows wrongly merged."""
    parts: dict[str, Counter] = defaultdict(Counter)
    humans: dict[Hashable, Counter] = defaultdict(Counter)
    for label, p in zip(rows, placed, strict=True):
        parts[label.human][p] += 1
        humans[p][label.human] += 1
    for human, where in parts.items():
        if len(where) > 1:
            score.people_split += 1
            score.split_tags.update(set().union(*(set(x.tags) for x in rows if x.human == human)) or {"(none)"})
    for label, p in zip(rows, placed, strict=True):
        main = parts[label.human].most_common(1)[0][0]
        if len(parts[label.human]) > 1 and p != main:
            if len(score.examples) < explain:
                same = next(x for x, q in zip(rows, placed, strict=True) if x.human == label.human and q == main)
                score.examples.append(f"split: {label.file.rsplit('/', 1)[-1]} row {label.row} '{label.shown}' "
                                      f"{list(label.tags)} apart from {same.file.rsplit('/', 1)[-1]} row {same.row} "
                                      f"'{same.shown}'")
        elif len(humans[p]) > 1 and humans[p].most_common(1)[0][0] != label.human:
            score.merge_tags.update(label.tags or ("(none)",))
            if len(score.examples) < 2 * explain:
                other = next(x for x, q in zip(rows, placed, strict=True) if q == p and x.human != label.human)
                score.examples.append(f"false merge: {label.file.rsplit('/', 1)[-1]} row {label.row} "
                                      f"'{label.shown}' {list(label.tags)} with {other.file.rsplit('/', 1)[-1]} "
                                      f"row {other.row} '{other.shown}'")


def baseline(exports: Exports) -> tuple[Pairs, int, Pairs, int]:
    """Merge rows on a shared e-mail (any case) or LinkedIn URL only; organisations on the same name."""
    rows = [label for label in exports.labels if label.human]
    parent = list(range(len(rows)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[str, int] = {}
    for i, label in enumerate(rows):
        for key in label.keys:
            parent[find(i)] = find(first.setdefault(key, i))
    clusters = [find(i) for i in range(len(rows))]
    org_rows = [label for label in exports.labels if label.company]
    names = [label.employer.casefold() for label in org_rows]
    return (pairwise([r.human for r in rows], clusters), len(set(clusters)),
            pairwise([r.company for r in org_rows], names), len(set(names)))


def doctor(db: Path) -> str:
    """``graphapp doctor --json`` on the store, or why not."""
    done = subprocess.run([sys.executable, "-m", "graphapp", "--db", str(db), "doctor", "--json"],
                          capture_output=True, text=True)
    if done.returncode == 2 and "invalid choice" in done.stderr:
        return "not in this version of graphapp (skipped)"
    return (done.stdout or done.stderr).strip()


def _line(label: str, p: Pairs, o: Pairs, people: int, orgs: int, reps: str, split: str) -> str:
    return (f"  {label:<22} {p.precision:6.4f} {p.recall:6.4f} {p.false_pairs:6,} {p.missed_pairs:7,}   "
            f"{o.precision:6.4f} {o.recall:6.4f}  {people:6,} {orgs:5,} {reps:>5} {split:>6}")


def run_seed(seed: int, n_reps: int, n_people: int, folder: Path, explain: int) -> Score:
    """Generate, import and score one seed, printing its table."""
    started = time.perf_counter()
    world = build_world(seed, n_reps, n_people)
    exports = write_exports(world, folder)
    db = folder / "identity.db"
    ids = import_all(exports, db)
    seconds = time.perf_counter() - started
    score = score_store(world, exports, ids, db, explain)
    truth_people = len({label.human for label in exports.labels if label.human})
    truth_orgs = len({label.company for label in exports.labels if label.company})
    base, base_people, base_orgs, base_org_count = baseline(exports)
    perfect = Pairs(1.0, 1.0, 0, 0)
    print(f"seed {seed}: {n_reps} reps, {truth_people:,} people, {truth_orgs} organisations; "
          f"{len(exports.labels):,} labelled rows in {sum(len(b.files) for b in exports.batches)} files, "
          f"{len(exports.batches)} imports ({seconds:.1f} s); rows without evidence: {score.unmapped} people, "
          f"{score.unmapped_orgs} organisations")
    print(f"  {'':<22} {'people: precision recall false missed':<38} {'orgs: P R':<16} "
          f"{'people':>6} {'orgs':>5} {'reps':>5} {'split':>6}")
    print(_line("store (resolver)", score.people, score.orgs, score.n_people, score.n_orgs, str(score.reps),
                str(score.reps_split)))
    print(_line("baseline (exact keys)", base, base_orgs, base_people, base_org_count, "-", "-"))
    print(_line("oracle (truth)", perfect, perfect, truth_people, truth_orgs, str(n_reps), "0"))
    print(f"  {'target':<22} {'1.0000':>6} {'>=0.99':>6} {0:>6} {'-':>7}   {'1.0000':>6} {'>=0.99':>6}  "
          f"{truth_people:6,} {truth_orgs:5,} {n_reps:>5} {0:>6}")
    print(f"  {score.people_split} people split; the variations their rows carry (people): "
          f"{dict(score.split_tags.most_common(10))}")
    print(f"  rows merged with another person carry: {dict(score.merge_tags.most_common(8))}")
    for example in score.examples:
        print(f"    {example}")
    print(f"  doctor: {doctor(db)}")
    return score


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--reps", type=int, default=8)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--explain", type=int, default=0, help="print this many examples of splits and merges")
    parser.add_argument("--keep", help="write the files and databases here instead of a temporary folder")
    args = parser.parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(args.keep or tmp)
        for seed in args.seeds:
            folder = root / f"seed{seed}"
            folder.mkdir(parents=True)
            run_seed(seed, args.reps, args.people, folder, args.explain)
    print(f"{len(args.seeds)} seeds in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
