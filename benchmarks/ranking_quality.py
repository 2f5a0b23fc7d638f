"""Warm paths, measured against a hidden truth: a seeded team world (benchmarks.ranking_world) is
rendered into the exports the importers read (benchmarks.ranking_exports), imported with the CLI into a
fresh SQLite file, and every target account's ranked paths (what ``graphapp paths --account DOMAIN --json``
prints, asked of the service in this process) are scored against the true value of each path: the
product of its true tie strengths, the intermediaries' willingness and the target's relevance.

Printed per seed, beside the targets (docs/performance.md, "Warm paths, measured"):

- NDCG@10 (gains: true path values; ideal: the best paths over all true ties, also those no export
  shows), per-person NDCG@10 (only the first path into each target person earns its gain), regret@1
  (how much of the best path's value the first path loses, relative), coverage (accounts with a path),
  the share of returned paths using a tie absent from the truth, and paths that repeat a person;
- the same for two baselines over every pair the exports put together, cold noise included (fewest
  hops; most interactions on the first hop) and the oracle (true values over the true ties the exports
  show);
- which cold evidence the product's paths over a non-existent tie rest on (cold CRM leads, unanswered or
  declined invitations, one-way InMails, pending invitations);
- champions who moved: of the world's customer contacts who moved to a target account (an older CRM row
  at the old company, a newer LinkedIn connection at the target), how many open the weekly list of the
  rep who had them (what ``graphapp weekly --rep EMAIL --dry-run --json`` prints, the week of the
  export), and how many champion lines the lists hold in all.

Each import runs as its own ``python -m graphapp import`` process (stopped after ``--timeout`` seconds);
the ranking and the weekly lists run in this process through the service facade, as the command's
handlers call it, so the store's in-memory view is built once per seed rather than once per account.

Store people are mapped back to the world's through the unique e-mails and profile URLs the world
gives them.

    python -m benchmarks.ranking_quality                      # seeds 1 2 3, 8 reps, 1,500 people
    python -m benchmarks.ranking_quality --seeds 4 --people 300 --reps 3 --json

Done: world, exports, import, scoring, baselines, oracle, champions who moved. Left: group threads,
tentative-only and inbound-only signals are not separate noise classes, and the baselines use at most two
hops unless an account has fewer than ten such paths.
"""

from __future__ import annotations

import argparse
import json
import math
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from benchmarks.identity import ImportHung, import_all
from benchmarks.identity_exports import EXPORTED
from benchmarks.ranking_exports import RankExports, write_rank_exports
from benchmarks.ranking_world import RankWorld, build_rank_world
from graphapp import service
from graphapp.errors import GraphAppError
from graphapp.store import GraphStore

TOP = 10
PER_TARGET = 3  # the product's default paths_per_target: the ideal list keeps the same rules
TARGETS = {"person_ndcg_vs_oracle": 0.95, "regret_vs_oracle": 0.03, "fake_share": 0.05, "repeated": 0}


# -- the candidate paths of the truth, the oracle and the baselines ------------------------------------

def _adjacency(pairs: dict[frozenset, float]) -> dict[str, dict[str, float]]:
    adj: dict[str, dict[str, float]] = defaultdict(dict)
    for pair, weight in pairs.items():
        a, b = tuple(pair)
        adj[a][b] = adj[b][a] = weight
    return adj


def true_paths(world: RankWorld, adj: dict[str, dict[str, float]], account: str) -> list[tuple[float, tuple]]:
    """Every path of up to three hops from a rep into ``account`` over the graph ``adj`` (true strengths),
    with its true value; three-hop paths keep only the four best first two hops into each middle person."""
    reps = {r.key for r in world.base.reps}
    will = world.willingness
    targets = [p.key for p in world.base.people if not p.is_rep and p.company.key == account]
    out = []
    best2: dict[str, list[tuple[float, str, str]]] = {}

    def two(y: str) -> list[tuple[float, str, str]]:
        if y not in best2:
            found = [(adj[r][x] * will[x] * s, r, x) for x, s in adj[y].items() if x not in reps
                     for r in adj[x] if r in reps]
            best2[y] = sorted(found, reverse=True)[:4]
        return best2[y]

    for t in targets:
        rel = world.relevance[t]
        for a, s in adj.get(t, {}).items():
            if a in reps:
                out.append((s * rel, (a, t)))
                continue
            for r in adj[a]:
                if r in reps:
                    out.append((adj[r][a] * will[a] * s * rel, (r, a, t)))
            for v, r, x in two(a):
                if x != t:
                    out.append((v * will[a] * s * rel, (r, x, a, t)))
    return out


def observed_paths(adj: dict[str, dict[str, float]], reps: set[str], targets: list[str],
                   order: str) -> list[tuple[tuple, tuple]]:
    """Paths over every pair the exports put together (weight: interactions), sorted by a baseline:
    ``hops`` (fewest hops, then most interactions) or ``first`` (most interactions on the first hop)."""
    paths = []
    for t in targets:
        for a in adj.get(t, {}):
            if a in reps:
                paths.append((1, adj[t][a], (a, t)))
                continue
            paths += [(2, adj[r][a], (r, a, t)) for r in adj[a] if r in reps]
    if len({p[2][-1] for p in paths}) < TOP:
        for t in targets:
            for y in adj.get(t, {}):
                if y in reps:
                    continue
                for x in adj[y]:
                    if x not in reps and x != t:
                        paths += [(3, adj[r][x], (r, x, y, t)) for r in adj[x] if r in reps]
    key = (lambda p: (p[0], -p[1], p[2])) if order == "hops" else (lambda p: (-p[1], p[0], p[2]))
    return [(key(p), p[2]) for p in sorted(paths, key=key)]


def pick(sorted_paths: list[tuple], person_first: bool = False) -> list[tuple]:
    """The first ``TOP`` paths under the product's rules: nobody twice, at most ``PER_TARGET`` paths into one
    person, never two through the same first connector to the same person. ``person_first``: the list
    leads with the best path into each person, then the others, each in the given order (the product's
    order since issue 21; the oracle lists the same way)."""
    firsts, others, per_target, seen = [], [], Counter(), set()
    for path in sorted_paths:
        keys = path[1]
        first = (keys[0], keys[-1]) if len(keys) == 2 else (keys[1], keys[-1])  # a direct tie's connector: its rep
        if len(set(keys)) != len(keys) or per_target[keys[-1]] >= PER_TARGET or first in seen:
            continue
        per_target[keys[-1]] += 1
        seen.add(first)
        (firsts if person_first and per_target[keys[-1]] == 1 else others).append(path)
        if not person_first and len(others) == TOP:
            break
    return (firsts + others)[:TOP]


# -- scores -----------------------------------------------------------------------------------------------

def dcg(values: list[float]) -> float:
    return sum(v / math.log2(i + 2) for i, v in enumerate(values[:TOP]))


def first_per_person(paths: list[tuple[float, tuple]]) -> list[float]:
    """The values that earn a gain per person: only the first path into each target person."""
    seen, gains = set(), []
    for value, keys in paths:
        gains.append(0.0 if keys[-1] in seen else value)
        seen.add(keys[-1])
    return gains


def account_scores(world: RankWorld, account: str, listed: list[tuple], ideal: list[tuple[float, tuple]],
                   best_per_person: list[float]) -> dict:
    """NDCG@10, per-person NDCG@10, regret@1, fake and repeated paths of one ranked list (keys per path)."""
    values = [(world.value(list(keys), account), keys) for keys in listed]
    ideal_dcg = dcg([v for v, _ in ideal])
    person_dcg = dcg(best_per_person)
    best = ideal[0][0] if ideal else 0.0
    fake = sum(any(world.strength(a, b) == 0 for a, b in zip(k, k[1:], strict=False)) for k in listed)
    return {"ndcg": dcg([v for v, _ in values]) / ideal_dcg if ideal_dcg else None,
            "person_ndcg": dcg(first_per_person(values)) / person_dcg if person_dcg else None,
            "regret": (best - (values[0][0] if values else 0.0)) / best if best else None,
            "paths": len(listed), "fake": fake, "repeated": sum(len(set(k)) != len(k) for k in listed),
            "covered": bool(listed)}


def summarise(rows: list[dict]) -> dict:
    def mean(name: str) -> float:
        xs = [r[name] for r in rows if r[name] is not None]
        return round(sum(xs) / len(xs), 4) if xs else 0.0

    paths = sum(r["paths"] for r in rows)
    return {"ndcg": mean("ndcg"), "person_ndcg": mean("person_ndcg"), "regret": mean("regret"),
            "coverage": round(sum(r["covered"] for r in rows) / len(rows), 4) if rows else 0.0,
            "fake_share": round(sum(r["fake"] for r in rows) / paths, 4) if paths else 0.0,
            "repeated": sum(r["repeated"] for r in rows), "paths": paths}


# -- the product through the CLI ------------------------------------------------------------------------

def key_map(world: RankWorld) -> dict[str, str]:
    """Every e-mail and profile URL the exports use -> the world person's key."""
    keys = {}
    for p in world.base.people:
        for value in (p.work_email, p.personal_email, p.past_email, p.url):
            if value:
                keys[value.lower().rstrip("/")] = p.key
    for move in world.moves:
        keys[move.email.lower()] = move.person
    return keys


def product_paths(store: GraphStore, domain: str) -> list[dict]:
    """The account's ranked paths as ``graphapp paths --account DOMAIN --top 10 --json`` prints them (none
    when the command would fail)."""
    try:
        result = service.account_paths(store, domain, top=TOP, viewer=service.command_line_viewer(store, None))
    except GraphAppError:
        return []
    return result.as_dict()["paths"]


def weekly_items(store: GraphStore, rep_email: str) -> list[dict]:
    """The rep's weekly list for the week of the export (not recorded), as ``graphapp weekly --json`` prints it."""
    week = f"{EXPORTED.isocalendar()[0]}-W{EXPORTED.isocalendar()[1]:02d}"
    try:
        result = service.weekly_lists(store, week=week, rep=rep_email, record=False,
                                      viewer=service.command_line_viewer(store, None))
    except GraphAppError:
        return []
    return [i for r in result.as_dict()["reps"] for i in r["items"]]


def champions_surfaced(world: RankWorld, store: GraphStore, keys: dict[str, str]) -> dict:
    """How many of the world's champions who moved open the weekly list of the rep who had them."""
    lines, found = 0, set()
    for r, rep in enumerate(world.base.reps):
        for item in weekly_items(store, rep.work_email):
            if item["kind"] == "champion":
                lines += 1
                if item["path"]:
                    found.add((r, as_keys(item["path"], keys)[-1]))
    moves = {(m.rep, m.person) for m in world.moves}
    surfaced = len(moves & found)
    return {"moves": len(moves), "surfaced": surfaced, "share": round(surfaced / len(moves), 4) if moves else 0.0,
            "lines": lines}


def as_keys(path: dict, keys: dict[str, str]) -> tuple:
    """The world keys of a returned path's people; a person the map cannot place keeps their store id."""
    def key(person: dict) -> str:
        for value in (person.get("email"), person.get("linkedin_url")):
            if value and value.lower().rstrip("/") in keys:
                return keys[value.lower().rstrip("/")]
        return "store:" + person["id"]

    return tuple([key(path["hops"][0]["from"])] + [key(h["to"]) for h in path["hops"]])


def run_seed(seed: int, n_reps: int, n_people: int, folder: Path, timeout: float = 120) -> dict:
    """Generate, import, rank every target account and score; the seed's figures (as ``--json`` prints them)."""
    started = time.perf_counter()
    world = build_rank_world(seed, n_reps, n_people)
    exports = write_rank_exports(world, folder)
    db = folder / "ranking.db"
    try:
        import_all(exports, db, timeout)  # type: ignore[arg-type]  # RankExports has the batches it reads
    except ImportHung as hung:
        return {"seed": seed, "reps": n_reps, "hung": str(hung)}
    imported = time.perf_counter() - started
    keys = key_map(world)
    truth_adj = _adjacency({pair: tie.strength for pair, tie in world.ties.items()})
    oracle_adj = _adjacency(shown_graph(world, exports))
    observed_adj = _adjacency(observed_graph(world, exports))
    reps = {r.key for r in world.base.reps}
    rows: dict[str, list[dict]] = defaultdict(list)
    noise_kinds: Counter = Counter()
    noise = defaultdict(set)
    for r, person, kind in world.noise:
        noise[(world.base.reps[r].key, person)].add(kind)
    with service.open_graph(str(db), create=False) as store:
        ranked = {company.key: product_paths(store, exports.domains[company.key]) for company in world.targets}
        champions = champions_surfaced(world, store, keys)
    for company in world.targets:
        account = company.key
        people_there = [p.key for p in world.base.people if not p.is_rep and p.company.key == account]
        returned = [as_keys(p, keys) for p in ranked[account]]
        # The truth's candidates keep the four best first two hops of three-hop paths; a path the product
        # found beyond them joins, so no list can beat the ideal.
        candidates = set(true_paths(world, truth_adj, account))
        candidates |= {(world.value(list(k), account), k) for k in returned if world.value(list(k), account) > 0}
        everything = sorted(candidates, key=lambda p: (-p[0], p[1]))
        ideal = pick(everything)
        best_person: dict[str, float] = {}
        for value, path in everything:
            best_person.setdefault(path[-1], value)
        per_person = sorted(best_person.values(), reverse=True)
        rows["product"].append(account_scores(world, account, returned, ideal, per_person))
        for path in returned:
            for a, b in zip(path, path[1:], strict=False):
                if world.strength(a, b) == 0:
                    noise_kinds.update(noise.get((a, b), {"(other)"}))
        oracle = pick(sorted(true_paths(world, oracle_adj, account), key=lambda p: (-p[0], p[1])), person_first=True)
        rows["oracle"].append(account_scores(world, account, [k for _, k in oracle], ideal, per_person))
        for name, order in (("fewest hops", "hops"), ("most interactions", "first")):
            listed = pick(observed_paths(observed_adj, reps, people_there, order))
            rows[name].append(account_scores(world, account, [k for _, k in listed], ideal, per_person))
    return {"seed": seed, "reps": n_reps, "people": n_people, "accounts": len(world.targets),
            "true_ties": len(world.ties), "noise_rows": len(world.noise), "imports": len(exports.batches),
            "seconds": {"import": round(imported, 1), "total": round(time.perf_counter() - started, 1)},
            "scores": {name: summarise(r) for name, r in rows.items()},
            "fake_hops_rest_on": dict(noise_kinds), "champions": champions}


def shown_graph(world: RankWorld, exports: RankExports) -> dict[frozenset, float]:
    """True ties some export shows, with their true strengths; colleagues when both appear somewhere."""
    pairs = {pair: world.ties[pair].strength for pair in exports.shown if pair in world.ties}
    for pair, tie in world.ties.items():
        if tie.kind == "colleague" and pair <= exports.appears:
            pairs[pair] = tie.strength
    return pairs


def observed_graph(world: RankWorld, exports: RankExports) -> dict[frozenset, float]:
    """Every pair the exports put together (interactions + 1), colleagues (weight 1) when both appear."""
    pairs = {pair: n + 1.0 for pair, n in exports.observed.items()}
    for pair, tie in world.ties.items():
        if tie.kind == "colleague" and pair <= exports.appears:
            pairs.setdefault(pair, 1.0)
    return pairs


def meets_targets(f: dict) -> dict[str, bool]:
    product, oracle = f["scores"]["product"], f["scores"]["oracle"]
    return {"person_ndcg": product["person_ndcg"] >= TARGETS["person_ndcg_vs_oracle"] * oracle["person_ndcg"],
            "regret": product["regret"] <= oracle["regret"] + TARGETS["regret_vs_oracle"],
            "fake_share": product["fake_share"] <= TARGETS["fake_share"],
            "repeated": product["repeated"] == TARGETS["repeated"]}


def print_seed(f: dict) -> None:
    """The figures of one seed as a table, targets beside them."""
    if "hung" in f:
        print(f"seed {f['seed']}: not scored: {f['hung']}")
        return
    print(f"seed {f['seed']}: {f['reps']} reps, {f['people']:,} people, {f['accounts']} target accounts, "
          f"{f['true_ties']:,} true ties, {f['noise_rows']} cold rows; {f['imports']} imports "
          f"({f['seconds']['import']} s), scored in {f['seconds']['total']} s")
    print(f"  {'':<20} {'NDCG@10':>8} {'person':>8} {'regret@1':>9} {'coverage':>9} {'fake tie':>9} "
          f"{'repeats':>8} {'paths':>6}")
    for name in ("product", "fewest hops", "most interactions", "oracle"):
        s = f["scores"][name]
        print(f"  {name:<20} {s['ndcg']:8.3f} {s['person_ndcg']:8.3f} {s['regret']:9.3f} {s['coverage']:9.2f} "
              f"{s['fake_share']:9.3f} {s['repeated']:8} {s['paths']:6}")
    oracle = f["scores"]["oracle"]
    print(f"  {'target':<20} {'':>8} {'>=' + format(0.95 * oracle['person_ndcg'], '.3f'):>8} "
          f"{'<=' + format(oracle['regret'] + 0.03, '.3f'):>9} {'':>9} {'<=0.050':>9} {0:>8}")
    met = meets_targets(f)
    print(f"  targets met: {', '.join(k for k, v in met.items() if v) or 'none'}; "
          f"missed: {', '.join(k for k, v in met.items() if not v) or 'none'}")
    print(f"  product hops over a non-existent tie rest on: {f['fake_hops_rest_on'] or 'nothing'}")
    c = f["champions"]
    print(f"  champions who moved: {c['surfaced']} of {c['moves']} open the weekly list of their rep "
          f"({c['share']:.0%}); {c['lines']} champion lines in all")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--reps", type=int, default=8)
    parser.add_argument("--people", type=int, default=1500)
    parser.add_argument("--keep", help="write the files and databases here instead of a temporary folder")
    parser.add_argument("--json", action="store_true", help="print one JSON list of the seeds' figures")
    parser.add_argument("--timeout", type=float, default=120, help="seconds an import may take before it is stopped")
    args = parser.parse_args()
    service.configure_process()  # as the command does: the ranking runs in this process
    started = time.perf_counter()
    figures = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(args.keep or tmp)
        for seed in args.seeds:
            folder = root / f"seed{seed}"
            folder.mkdir(parents=True)
            figures.append(run_seed(seed, args.reps, args.people, folder, args.timeout))
            if not args.json:
                print_seed(figures[-1])
    if args.json:
        print(json.dumps(figures))
    else:
        print(f"{len(args.seeds)} seeds in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
