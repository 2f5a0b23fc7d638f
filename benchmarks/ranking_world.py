"""The hidden world behind the ranking-quality benchmark (docs/performance.md, "Warm paths, measured"):
who truly knows whom and how well, who passes introductions on, and who matters at each target account.

The people and companies are the identity benchmark's (:func:`benchmarks.identity_world.build_world`:
nicknames, accents, namesakes, job changers). On top of them, seeded:

- each person's department and seniority (from the title), and willingness in [0, 1] to pass an
  introduction on;
- true ties with strengths in [0, 1]: each rep's customers, open opportunities, people met, people
  written to both ways, and acquaintances (a LinkedIn connection and nothing more); colleagues (strong
  in one department of a small company, faint across a large one); connectors (accountants, partners)
  who know people at the target accounts, only some of them written in the team's relationships.csv;
- 30 target accounts and each of their people's relevance (what the title is worth to the team);
- the noise no tie is behind: CRM leads a rep owns and never reached, calendar invitations the guest
  never answered or declined, one-way cold InMails, pending outgoing invitations;
- champions who moved: per rep, customer contacts of theirs at some other company who now work at a
  target account (a warm tie the older CRM row still shows at the old company). Drawn last, from a random
  stream of their own, so every other draw of a seed is what it was without them.

The true value of a path is the product of its true strengths, the intermediaries' willingness and the
target's relevance (:meth:`RankWorld.value`). :mod:`benchmarks.ranking_exports` renders the world into
the files the importers read.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from benchmarks.identity_world import Company, Human, World, build_world

# Title -> (department, seniority, what a person with this title is worth as a target). The team sells
# energy projects: finance and operations decide, IT and the office rarely do.
TITLE_TRUTH = {
    "CFO": ("finance", "c-level", 1.0), "VP Finance": ("finance", "vp", 0.9), "Controller": ("finance", "manager", 0.6),
    "Owner": ("executive", "c-level", 0.9), "Partner": ("executive", "c-level", 0.7),
    "Director of Operations": ("operations", "director", 0.85), "Operations Lead": ("operations", "staff", 0.45),
    "Plant Manager": ("operations", "manager", 0.55), "Facilities Manager": ("facilities", "manager", 0.6),
    "Purchasing Manager": ("purchasing", "manager", 0.5), "Head of IT": ("it", "director", 0.35),
    "Office Manager": ("office", "staff", 0.2),
}
# How a rep knows a person: share of the rep's ties, strength range.
REP_TIES = (("customer", 0.12, (0.65, 0.95)), ("opportunity", 0.10, (0.45, 0.75)), ("met", 0.20, (0.35, 0.7)),
            ("messaged", 0.20, (0.3, 0.65)), ("acquaintance", 0.38, (0.03, 0.15)))
# Evidence with no tie behind it, per rep: kind -> how many.
NOISE = {"cold-lead": 40, "needs-action": 12, "declined": 8, "inmail": 15, "pending-out": 10}
MOVES_PER_REP = 2  # champions who moved, per rep


@dataclass(frozen=True)
class Tie:
    """One true relationship between two people, and how it shows in the exports."""

    a: str
    b: str
    strength: float
    kind: str  # customer, opportunity, met, messaged, acquaintance, colleague, connector, hidden-connector, teammate
    rep: int | None = None  # the rep whose exports show it (rep ties and written connector ties)


@dataclass(frozen=True)
class Move:
    """A champion who moved: the rep's customer contact at ``old`` until ``until``, now at a target account."""

    rep: int
    person: str
    old: Company
    email: str  # their address at the old company, as the CRM still has it
    until: int  # the year of the rep's last CRM activity with them there


@dataclass
class RankWorld:
    """The truth the ranking benchmark scores against."""

    base: World
    targets: list[Company]
    department: dict[str, str]
    willingness: dict[str, float]
    relevance: dict[str, float]  # every non-rep person's worth as a target at their current company
    ties: dict[frozenset, Tie] = field(default_factory=dict)
    noise: list[tuple[int, str, str]] = field(default_factory=list)  # (rep index, person key, kind)
    moves: list[Move] = field(default_factory=list)

    @property
    def people(self) -> dict[str, Human]:
        return {h.key: h for h in self.base.people}

    def strength(self, a: str, b: str) -> float:
        tie = self.ties.get(frozenset((a, b)))
        return tie.strength if tie else 0.0

    def value(self, keys: list[str], account: str) -> float:
        """The true value of a path (rep first, target last) into the company ``account``: 0 when a hop
        has no true tie or the target does not work there now."""
        people = self.people
        target = people.get(keys[-1])
        if target is None or target.is_rep or target.company.key != account or len(set(keys)) != len(keys):
            return 0.0
        value = self.relevance[keys[-1]]
        for a, b in zip(keys, keys[1:], strict=False):
            value *= self.strength(a, b)
        for middle in keys[1:-1]:
            value *= self.willingness.get(middle, 0.0)
        return value

    def add(self, tie: Tie) -> None:
        key = frozenset((tie.a, tie.b))
        if key not in self.ties or self.ties[key].strength < tie.strength:
            self.ties[key] = tie


def build_rank_world(seed: int, n_reps: int = 8, n_people: int = 1500, n_targets: int = 30) -> RankWorld:
    """The seeded hidden world: people, true ties, willingness, target accounts and relevance.

    Parameters:
        seed: the only source of randomness (also of the identity world underneath).
        n_reps: reps in the team.
        n_people: people other than the reps.
        n_targets: target accounts (the largest companies but a few, so every one has people).

    Returns:
        The :class:`RankWorld`.
    """
    base = build_world(seed, n_reps, n_people)
    rnd = random.Random(seed * 7919 + 1)
    others = base.people[n_reps:]
    department = {p.key: TITLE_TRUTH[p.title][0] for p in others}
    relevance = {p.key: round(min(1.0, max(0.05, TITLE_TRUTH[p.title][2] + rnd.uniform(-0.1, 0.1))), 3)
                 for p in others}
    willingness = {p.key: round(rnd.betavariate(2, 2), 3) for p in base.people}
    by_company: dict[str, list[Human]] = {}
    for p in others:
        by_company.setdefault(p.company.key, []).append(p)
    ranked = sorted(base.companies[1:], key=lambda c: -len(by_company.get(c.key, [])))
    targets = [c for c in ranked[: n_targets + 10] if len(by_company.get(c.key, [])) >= 2]
    targets = sorted(rnd.sample(targets, min(n_targets, len(targets))), key=lambda c: c.key)
    world = RankWorld(base, targets, department, willingness, relevance)
    _rep_ties(world, rnd, others)
    _colleagues(world, by_company)
    _connectors(world, rnd, others, by_company)
    for i, a in enumerate(base.reps):
        for b in base.reps[i + 1 :]:
            world.add(Tie(a.key, b.key, 0.8, "teammate"))
    _noise(world, rnd, others)
    _moves(world, random.Random(seed * 6151 + 11), others)
    return world


def _rep_ties(world: RankWorld, rnd: random.Random, others: list[Human]) -> None:
    n_reps = world.base.n_reps
    kinds = [k for k, _, _ in REP_TIES]
    shares = [s for _, s, _ in REP_TIES]
    ranges = {k: r for k, _, r in REP_TIES}
    for p in others:
        if rnd.random() >= 0.45:
            continue
        for r in rnd.sample(range(n_reps), 1 + (rnd.random() < 0.3)):
            kind = rnd.choices(kinds, shares)[0]
            world.add(Tie(world.base.reps[r].key, p.key, round(rnd.uniform(*ranges[kind]), 3), kind, r))


def _colleagues(world: RankWorld, by_company: dict[str, list[Human]]) -> None:
    """Everyone at one company knows everyone there a little; in one department of a small company, well."""
    for people in by_company.values():
        scale = min(1.0, (12 / len(people)) ** 0.5)
        for i, a in enumerate(people):
            for b in people[i + 1 :]:
                same = world.department[a.key] == world.department[b.key]
                world.add(Tie(a.key, b.key, round((0.45 if same else 0.15) * scale, 3), "colleague"))


def _connectors(world: RankWorld, rnd: random.Random, others: list[Human], by_company: dict[str, list[Human]]) -> None:
    """Accountants and partners outside the accounts who know people inside them; 60% are written down."""
    at_targets = [p for c in world.targets for p in by_company.get(c.key, [])]
    targets = {c.key for c in world.targets}
    outside = [p for p in others if p.company.key not in targets]
    for connector in rnd.sample(outside, min(len(outside), max(4, len(others) // 12))):
        known = [t for t in world.ties.values() if t.rep is not None and connector.key in (t.a, t.b)]
        if not known:  # a connector the team cannot reach helps nobody: a rep met them
            r = rnd.randrange(world.base.n_reps)
            world.add(Tie(world.base.reps[r].key, connector.key, round(rnd.uniform(0.4, 0.8), 3), "met", r))
            known = [world.ties[frozenset((world.base.reps[r].key, connector.key))]]
        for person in rnd.sample(at_targets, min(len(at_targets), rnd.randint(2, 5))):
            written = rnd.random() < 0.6
            world.add(Tie(connector.key, person.key, round(rnd.uniform(0.3, 0.9), 3),
                          "connector" if written else "hidden-connector", known[0].rep if written else None))


def _noise(world: RankWorld, rnd: random.Random, others: list[Human]) -> None:
    """Per rep, people the exports name without any tie: mostly senior people at the target accounts."""
    targets = {c.key for c in world.targets}
    at_targets = [p for p in others if p.company.key in targets]
    for r, rep in enumerate(world.base.reps):
        for kind, n in NOISE.items():
            chosen = 0
            while chosen < n:
                p = rnd.choice(at_targets) if rnd.random() < 0.7 else rnd.choice(others)
                if frozenset((rep.key, p.key)) in world.ties or (r, p.key, kind) in world.noise:
                    continue
                world.noise.append((r, p.key, kind))
                chosen += 1


def _moves(world: RankWorld, rnd: random.Random, others: list[Human]) -> None:
    """Per rep, people at the target accounts they do not know otherwise, who were their customer contacts
    at another company (the one a stale CRM row shows, if any): a warm true tie, shown by an older CRM row
    there and a newer LinkedIn connection at the target."""
    targets = {c.key for c in world.targets}
    at_targets = [p for p in others if p.company.key in targets]
    elsewhere = [c for c in world.base.companies[1:] if c.key not in targets]
    noisy = {(r, k) for r, k, _ in world.noise}
    taken: set[str] = set()
    for r, rep in enumerate(world.base.reps):
        for _ in range(MOVES_PER_REP):
            pool = [p for p in at_targets if p.key not in taken and frozenset((rep.key, p.key)) not in world.ties
                    and (r, p.key) not in noisy]
            if not pool:
                break
            p = rnd.choice(pool)
            old = p.past if p.past is not None and p.past.key not in targets else rnd.choice(elsewhere)
            email = p.work_email.split("@")[0] + "@" + old.domain
            world.moves.append(Move(r, p.key, old, email, rnd.choice((2023, 2024, 2025))))
            world.add(Tie(rep.key, p.key, round(rnd.uniform(0.6, 0.9), 3), "moved-customer", r))
            taken.add(p.key)
