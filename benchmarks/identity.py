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
from dataclasses import asdict, dataclass, field
from pathlib import Path

from benchmarks.identity_exports import Exports, Label, write_exports
from benchmarks.identity_world import Human, World, build_world


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
    merge_tags: Counter = field(default_factory=Counter)  # variations carried by rows merged into another person
    classes: dict = field(default_factory=dict)  # pair class -> [pairs, apart, example]
    org_classes: dict = field(default_factory=dict)
    namesakes_merged: int = 0
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


class ImportHung(Exception):
    """An import that did not finish in its time (a resolver that loops)."""


def import_all(exports: Exports, db: Path, timeout: float = 60) -> list[str]:
    """Import every batch with the CLI, in order; the import id of each.

    Raises ImportHung when one takes longer than ``timeout`` seconds (the files take about two).
    """
    ids = []
    for batch in exports.batches:
        owner = ["--owner", batch.owner] if batch.owner else []
        command = [sys.executable, "-m", "graphapp", "--db", str(db), "import", *map(str, batch.files), *owner, "--json"]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise ImportHung(f"import {len(ids) + 1} of {len(exports.batches)} ({', '.join(f.name for f in batch.files)}"
                             f"{', owner ' + batch.owner if batch.owner else ''}) still running after {timeout:.0f} s; "
                             "stopped") from None
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
    score.classes = pair_classes(world, rows, placed)
    score.org_classes = company_spellings_apart(world, org_rows, org_placed)
    score.namesakes_merged = namesakes_merged(world, rows, placed)
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
    score.people_split = sum(len(where) > 1 for where in parts.values())
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


def run_seed(seed: int, n_reps: int, n_people: int, folder: Path, explain: int, timeout: float = 60) -> dict:
    """Generate, import and score one seed; its figures (as ``--json`` prints them)."""
    started = time.perf_counter()
    world = build_world(seed, n_reps, n_people)
    exports = write_exports(world, folder)
    db = folder / "identity.db"
    try:
        ids = import_all(exports, db, timeout)
    except ImportHung as hung:
        return {"seed": seed, "reps": n_reps, "hung": str(hung)}
    seconds = time.perf_counter() - started
    score = score_store(world, exports, ids, db, explain)
    base, base_people, base_orgs, base_org_count = baseline(exports)
    return {
        "seed": seed, "reps": n_reps, "seconds": round(seconds, 1),
        "truth": {"people": len({x.human for x in exports.labels if x.human}),
                  "organizations": len({x.company for x in exports.labels if x.company}),
                  "rows": len(exports.labels), "files": sum(len(b.files) for b in exports.batches),
                  "imports": len(exports.batches)},
        "store": {"people": asdict(score.people), "organizations": asdict(score.orgs), "people_count": score.n_people,
                  "organization_count": score.n_orgs, "reps": score.reps, "reps_split": score.reps_split,
                  "people_split": score.people_split, "namesakes_merged": score.namesakes_merged,
                  "rows_without_evidence": score.unmapped, "org_rows_without_evidence": score.unmapped_orgs},
        "baseline": {"people": asdict(base), "organizations": asdict(base_orgs), "people_count": base_people,
                     "organization_count": base_org_count},
        "pairs_apart": score.classes, "company_spellings_apart": score.org_classes,
        "merged_rows_carry": dict(score.merge_tags), "examples": score.examples, "doctor": doctor(db),
    }


def print_seed(f: dict) -> None:
    """The figures of one seed as a table, targets beside them."""
    if "hung" in f:
        print(f"seed {f['seed']}: not scored: {f['hung']}")
        return
    t, s, b = f["truth"], f["store"], f["baseline"]
    perfect = Pairs(1.0, 1.0, 0, 0)
    print(f"seed {f['seed']}: {f['reps']} reps, {t['people']:,} people, {t['organizations']} organisations; "
          f"{t['rows']:,} labelled rows in {t['files']} files, {t['imports']} imports ({f['seconds']} s); rows "
          f"without evidence: {s['rows_without_evidence']} people, {s['org_rows_without_evidence']} organisations")
    print(f"  {'':<22} {'people: precision recall false missed':<38} {'orgs: P R':<16} "
          f"{'people':>6} {'orgs':>5} {'reps':>5} {'split':>6}")
    print(_line("store (resolver)", Pairs(**s["people"]), Pairs(**s["organizations"]), s["people_count"],
                s["organization_count"], str(s["reps"]), str(s["reps_split"])))
    print(_line("baseline (exact keys)", Pairs(**b["people"]), Pairs(**b["organizations"]), b["people_count"],
                b["organization_count"], "-", "-"))
    print(_line("oracle (truth)", perfect, perfect, t["people"], t["organizations"], str(f["reps"]), "0"))
    print(f"  {'target':<22} {'1.0000':>6} {'>=0.99':>6} {0:>6} {'-':>7}   {'1.0000':>6} {'>=0.99':>6}  "
          f"{t['people']:6,} {t['organizations']:5,} {f['reps']:>5} {0:>6}")
    print(f"  {s['people_split']} people split, {s['namesakes_merged']} namesake pairs merged; rows merged into "
          f"another person carry: {f['merged_rows_carry'] or 'none'}")
    print("  pairs of one person's rows (apart / all), by what tells them apart:")
    for name, (pairs, apart, example) in sorted(f["pairs_apart"].items(), key=lambda kv: -kv[1][1]):
        print(f"    {apart:6,} / {pairs:7,}  {name}" + (f"; e.g. {example}" if example else ""))
    print("  spellings of one company on different organisations (apart / all):")
    for name, (pairs, apart, example) in sorted(f["company_spellings_apart"].items(), key=lambda kv: -kv[1][1]):
        print(f"    {apart:6,} / {pairs:7,}  {name}" + (f"; e.g. {example}" if example else ""))
    for example in f["examples"]:
        print(f"    {example}")
    print(f"  doctor: {f['doctor']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--reps", type=int, default=8)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--explain", type=int, default=0, help="print this many examples of splits and merges")
    parser.add_argument("--keep", help="write the files and databases here instead of a temporary folder")
    parser.add_argument("--json", action="store_true", help="print one JSON list of the seeds' figures")
    parser.add_argument("--timeout", type=float, default=60, help="seconds an import may take before it is stopped")
    args = parser.parse_args()
    started = time.perf_counter()
    figures = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(args.keep or tmp)
        for seed in args.seeds:
            folder = root / f"seed{seed}"
            folder.mkdir(parents=True)
            figures.append(run_seed(seed, args.reps, args.people, folder, args.explain, args.timeout))
            if not args.json:
                print_seed(figures[-1])
    if args.json:
        print(json.dumps(figures))
    else:
        print(f"{len(args.seeds)} seeds in {time.perf_counter() - started:.0f} s")




# -- why rows of one person stay apart: every pair of a person's rows, classed by what tells them apart --

_FORMS = ("native-script", "latin-of-native", "nickname", "unaccented", "accented")


def _written_name(label: Label) -> str:
    return label.shown.split(" / ")[0].split(" <")[0]


def _name_relation(a: Label, b: Label) -> str:
    if _written_name(a) == _written_name(b):
        return "same name"
    forms = {next((t for t in _FORMS if t in x.tags), "formal") for x in (a, b)}
    if forms & {"native-script"}:
        return "name in another script"
    if "nickname" in forms:
        return "nickname"
    if forms & {"unaccented", "accented"}:
        return "accents"
    return "name garbled"  # e.g. a cp1252 re-save turned a letter into "?"


def _company_relation(a: Label, b: Label, human: Human) -> str:
    if a.company != b.company:
        return "stale CRM company"
    if a.employer == b.employer:
        return "same company"
    if human.company.short in (a.employer, b.employer):
        return "brand-only company"
    if a.employer.removesuffix(" Group") == b.employer.removesuffix(" Group"):
        return "company with/without 'Group'"
    return "company spelling"


def pair_class(a: Label, b: Label, human: Human) -> str:
    """What two rows of one person share, or what tells them apart (the first that applies)."""
    if set(a.keys) & set(b.keys):
        return "shared e-mail or URL"
    if a.batch == b.batch and {"no-url-messages"} & set(a.tags + b.tags) and "Connections.csv" in a.file + b.file:
        return "URL-less messages.csv name vs the same archive's connection"
    name = _name_relation(a, b)
    if name == "name in another script":
        return name
    if a.employer and b.employer:
        company = _company_relation(a, b, human)
        return company if company == "stale CRM company" else " + ".join(
            x for x in (name, company) if x not in ("same name", "same company")) or "same name, same company"
    domain = "@" + human.company.domain
    bare = b if a.employer else a  # the row without an employer must carry the work address
    if (a.employer or b.employer) and any(k.endswith(domain) for k in bare.keys):
        return f"e-mail at the employer's domain vs name at the employer ({name})"
    return "no direct link"


def pair_classes(world: World, rows: list[Label], placed: list[Hashable]) -> dict[str, list]:
    """Per class of row pairs of one person: [pairs, pairs apart, an example of a pair apart]."""
    humans = {h.key: h for h in world.people}
    by_human: dict[str, list[int]] = defaultdict(list)
    for i, label in enumerate(rows):
        by_human[label.human].append(i)
    classes: dict[str, list] = defaultdict(lambda: [0, 0, None])
    for human, members in by_human.items():
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                entry = classes[pair_class(rows[i], rows[j], humans[human])]
                entry[0] += 1
                if placed[i] != placed[j]:
                    entry[1] += 1
                    entry[2] = entry[2] or f"{_where(rows[i])} apart from {_where(rows[j])}"
    return dict(classes)


def _where(label: Label) -> str:
    return f"{label.file.rsplit('/', 1)[-1]} row {label.row} '{label.shown}'"


def namesakes_merged(world: World, rows: list[Label], placed: list[Hashable]) -> int:
    """Pairs of planted namesakes (same name, different people) found on one stored person."""
    on = defaultdict(set)
    for label, p in zip(rows, placed, strict=True):
        on[label.human].add(p)
    return sum(bool(on[a] & on[b]) for a, b in world.namesakes)


def company_spellings_apart(world: World, org_rows: list[Label], org_placed: list[Hashable]) -> dict[str, list]:
    """Per class of two spellings of one company: [spelling pairs, pairs on different organisations, example]."""
    companies = {c.key: c for c in world.companies}
    where: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for label, org in zip(org_rows, org_placed, strict=True):
        where[label.company][label.employer][org] += 1
    classes: dict[str, list] = defaultdict(lambda: [0, 0, None])
    for key, spellings in where.items():
        company, names = companies[key], sorted(spellings)
        main = {name: spellings[name].most_common(1)[0][0] for name in names}
        for x, a in enumerate(names):
            for b in names[x + 1 :]:
                if company.short in (a, b):
                    kind = "brand-only name (same domain)"
                elif a.removesuffix(" Group") == b.removesuffix(" Group"):
                    kind = "with/without 'Group'"
                elif " and " in a + b:
                    kind = "'&' written 'and'"
                else:
                    kind = "legal suffix"
                entry = classes[kind]
                entry[0] += 1
                if main[a] != main[b]:
                    entry[1] += 1
                    entry[2] = entry[2] or f"'{a}' apart from '{b}'"
    return dict(classes)


if __name__ == "__main__":
    main()
