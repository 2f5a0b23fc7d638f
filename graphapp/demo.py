"""A seeded, invented team network for trying graphapp: Brightline Software's eight reps and their world.

Everything is made up (names from word lists, ``example.com``/``.org``/``.net`` addresses, ``555``
numbers). The same seed and ``today`` give the same network, fact for fact. Shape: about 3,000 people
at 400 organisations with heavy-tailed sizes; customers, circle-of-influence people (CPAs, brokers,
architects, contractors), partner salespeople, about 40 target accounts, former colleagues, and two
years of messages and meetings.

Like a real team's exports it also holds cold evidence (:func:`_cold_evidence`): CRM leads a rep owns but
never reached (``owner``: no relationship), people known only from an unanswered or declined meeting
invitation, a cold InMail or a pending outgoing invitation (no relationship at all), and weak ties
(pending incoming invitations, messages that only came in). None of the cold evidence may make a path.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from graphapp.model import (
    TEAM,
    Asserted,
    Employment,
    Evidence,
    GraphBatch,
    Organization,
    Person,
    Relationship,
    RelationshipKind,
    Rep,
    Visibility,
)

TEAM_DOMAIN = "brightline.example.com"
FILE = "demo-network"
FIRST = (
    "Ada Aiden Alma Amara Anton Arjun Aurelia Bram Bryn Calla Cato Celeste Dario Delphine Dorian Elio Elspeth "
    "Emeka Enzo Esme Faye Felix Freya Gideon Hana Idris Ilse Ines Isak Jonah Juniper Kaito Keira Lars Leona "
    "Lionel Linnea Lucan Mabel Malik Marisol Mateo Mira Nadia Nico Noemi Oren Orla Pavel Petra Quentin Rafe "
    "Rhea Rosalind Rufus Saoirse Selim Soraya Tamsin Teodor Thea Ulric Vesna Wren Yusuf Zara Zeno"
).split()
LAST = (
    "Abernathy Achterberg Adeyemi Ashgrove Balogun Barrowman Bellweather Blackthorn Brightwater Calloway Castellan "
    "Chatterjee Copperfield Dabrowski Dunmore Eastbrook Ellery Farrow Fenwright Galloway Grimsby Halloran "
    "Hawthorne Iverson Jessop Kavanagh Kowalczyk Lindqvist Lockridge Marchetti Merriweather Nakashima Northcote "
    "Okafor Oyelaran Pemberton Quintero Radcliffe Ravensworth Rosenthal Saltmarsh Sandoval Sheringham Takahashi "
    "Thornbury Umberfield Vanterpool Varga Wainscott Westergaard Whitlock Yardley Zelenko Ziegler"
).split()
ORG_WORDS = (
    "Amber Anchor Apex Aster Beacon Birch Bluewater Boulder Brook Cedar Cinder Clover Cobalt Copper Crescent "
    "Cypress Delta Ember Falcon Fern Fjord Flint Garnet Granite Harbor Heron Hollow Indigo Iron Juniper Kestrel "
    "Lantern Larch Linden Lumen Maple Meridian Moss Northgate Oak Onyx Orchard Osprey Pine Quarry Raven Redwood "
    "Ridge Saffron Sage Sierra Silver Slate Sparrow Summit Tamarack Thistle Tidal Timber Topaz Valley Vesper "
    "Willow Wren Zephyr"
).split()
INDUSTRY = (
    "Logistics|Foods|Manufacturing|Health|Hotels|Credit Union|Dental Group|Textiles|Brewing|Data Centers|"
    "Insurance|Senior Living|Steelworks|Labs|Clinics|Bank|Property Trust|Fitness|Paper Mills|Machining"
).split("|")
SUFFIX = ("Inc.", "LLC", "Group", "Co.", "Ltd.", "Corporation", "")
TITLES = (
    "CFO|VP Finance|Controller|Director of Operations|COO|VP Operations|Head of Procurement|IT Director|CTO|"
    "Office Manager|Operations Manager|Account Executive|Sales Manager|HR Director|Facilities Manager|"
    "Marketing Manager|Engineer|Analyst|Project Manager|CEO|General Counsel|Plant Manager|Buyer"
).split("|")
PROFESSIONS = {
    "CPA": ("CPAs", "Accounting", "Tax Advisors"),
    "commercial real estate broker": ("Realty", "Commercial Brokers", "Property Advisors"),
    "architect": ("Architects", "Design Studio", "Architecture"),
    "contractor": ("Builders", "Construction", "Contracting"),
}
REP_NAMES = (
    "Dana Whitfield", "Marcus Oyelaran", "Priya Castellan", "Tomas Lindqvist",
    "Grace Achterberg", "Kenji Northcote", "Lena Sandoval", "Owen Brightwater",
)


@dataclass(frozen=True)
class DemoNetwork:
    """The demo as one batch of asserted facts (its reps included)."""

    batch: GraphBatch


class _Builder:
    """Accumulates facts; every fact gets its own evidence row in the demo 'file'."""

    def __init__(self, import_id: str, seed: int, today: date) -> None:
        self.rng = random.Random(seed)
        self.import_id = import_id
        self.today = today
        self.row = 0
        self.people: list[Asserted[Person]] = []
        self.orgs: list[Asserted[Organization]] = []
        self.jobs: list[Asserted[Employment]] = []
        self.ties: list[Asserted[Relationship]] = []
        self.tie_keys: set[tuple] = set()
        self.emails: set[str] = set()

    def evidence(self, fact: str, owner: str = TEAM) -> Evidence:
        self.row += 1
        return Evidence(self.import_id, FILE, fact, owner=owner, row=self.row, file_sha256="demo")

    def day(self, max_days_ago: int, min_days_ago: int = 0) -> date:
        return self.today - timedelta(days=self.rng.randint(min_days_ago, max_days_ago))

    def tie(self, a: str, b: str, kind: RelationshipKind, owner: str, fact: str, **extra) -> None:
        key = (a, b, kind, owner)
        if a == b or key in self.tie_keys:
            return
        self.tie_keys.add(key)
        vis = extra.pop("visibility", Visibility.EXISTENCE if owner != TEAM else Visibility.TEAM)
        rel = Relationship(a, b, kind, owner=owner, visibility=vis, **extra)
        self.ties.append(Asserted(rel, self.evidence(fact, owner)))


def _org_name(rng: random.Random, used: set[str], kind: str | None = None) -> str:
    while True:
        word = rng.choice(ORG_WORDS)
        second = rng.choice(ORG_WORDS)
        industry = rng.choice(PROFESSIONS[kind]) if kind else rng.choice(INDUSTRY)
        base = f"{word} {industry}" if rng.random() < 0.7 else f"{word}{second.lower()} {industry}"
        name = f"{base} {rng.choice(SUFFIX)}".strip()
        if base not in used:
            used.add(base)
            return name


def _make_orgs(b: _Builder) -> dict[str, list[str]]:
    """400 organisations by role: targets, customers, partners, influencer firms, others."""
    used: set[str] = set()
    roles = {"target": 40, "customer": 60, "partner": 12, "other": 248}
    groups: dict[str, list[str]] = {r: [] for r in [*roles, *PROFESSIONS]}
    plan = [(r, None) for r, n in roles.items() for _ in range(n)]
    plan += [("influencer", p) for p in PROFESSIONS for _ in range(10)]
    for i, (role, profession) in enumerate(plan):
        name = _org_name(b.rng, used, profession)
        slug = "".join(ch for ch in name.lower().split(" ")[0] + name.lower().split(" ")[1] if ch.isalnum())
        target = role == "target"
        org = Organization(
            id=f"o{i:04d}",
            name=name,
            domains=(f"{slug}.example.{b.rng.choice(('com', 'org', 'net'))}",),
            is_target=target,
            is_customer=role == "customer",
            is_partner=role == "partner",
            # Half the targets belong to one rep, the others to the whole team; priorities in turn.
            target_owner=_rep_email(REP_NAMES[(i // 2) % len(REP_NAMES)]) if target and i % 2 == 0 else None,
            priority=("high", "medium", "low")[i % 3] if target else None,
        )
        b.orgs.append(Asserted(org, b.evidence("organization")))
        groups[profession or role].append(org.id)
    return groups


def _new_person(b: _Builder, pid: str, org: Organization, title: str) -> Person:
    first, last = b.rng.choice(FIRST), b.rng.choice(LAST)
    local = f"{first}.{last}".lower()
    email = f"{local}@{org.domains[0]}"
    n = 2
    while email in b.emails:
        email, n = f"{local}{n}@{org.domains[0]}", n + 1
    b.emails.add(email)
    slug = f"{first}-{last}-{b.rng.randrange(16**6):06x}".lower()
    return Person(
        id=pid,
        name=f"{first} {last}",
        emails=(email,),
        linkedin_url=f"https://www.linkedin.com/in/{slug}",
        phones=(f"+1 555-01{b.rng.randrange(100):02d}",) if b.rng.random() < 0.4 else (),
        title=title,
    )


def _make_people(b: _Builder, groups: dict[str, list[str]], n_people: int) -> dict[str, list[str]]:
    """People with heavy-tailed organisation sizes and some past jobs (the former-colleague signal)."""
    orgs = {a.value.id: a.value for a in b.orgs}
    order = list(orgs)
    weights = [1.0 / (rank + 1) ** 0.9 for rank in range(len(order))]
    b.rng.shuffle(order)
    staff: dict[str, list[str]] = {oid: [] for oid in orgs}
    targets = groups["target"]
    for i in range(n_people):
        # Every target account gets a few people, the rest follow the heavy tail.
        oid = targets[i % len(targets)] if i < 3 * len(targets) else b.rng.choices(order, weights)[0]
        person = _new_person(b, f"p{i:05d}", orgs[oid], b.rng.choice(TITLES))
        b.people.append(Asserted(person, b.evidence("contact")))
        start = b.day(3000, 200)
        b.jobs.append(Asserted(Employment(person.id, oid, person.title, start=start), b.evidence("employment")))
        staff[oid].append(person.id)
        if b.rng.random() < 0.3:  # a past job elsewhere
            past = b.rng.choice(order)
            if past != oid:
                end = start - timedelta(days=b.rng.randint(30, 400))
                job = Employment(person.id, past, b.rng.choice(TITLES), start=end - timedelta(days=b.rng.randint(400, 2500)), end=end, current=False)
                b.jobs.append(Asserted(job, b.evidence("employment")))
                staff.setdefault(f"past:{past}", []).append(person.id)
    return staff


def _rep_email(name: str) -> str:
    return f"{name.lower().replace(' ', '.')}@{TEAM_DOMAIN}"


def _unreached_targets(b: _Builder) -> None:
    """Three target accounts nobody on the team can reach yet, whose people all know one consultant:
    the person "who should I meet next" points at."""
    consultant = Person(id="p-consultant", name="Imogen Farquhar", emails=("imogen@farquhar-advisory.example.com",),
                        title="Independent Procurement Advisor")
    b.people.append(Asserted(consultant, b.evidence("contact")))
    for n, (name, domain) in enumerate((("Northwind Freight", "northwind-freight.example.com"),
                                        ("Kestrel Biolabs", "kestrel-biolabs.example.com"),
                                        ("Saltmarsh Energy", "saltmarsh-energy.example.com"))):
        org = Organization(id=f"o-unreached-{n}", name=name, domains=(domain,), is_target=True, priority="high")
        b.orgs.append(Asserted(org, b.evidence("organization")))
        for k, title in enumerate(("CFO", "Head of Operations")):
            person = _new_person(b, f"p-unreached-{n}-{k}", org, title)
            b.people.append(Asserted(person, b.evidence("contact")))
            b.jobs.append(Asserted(Employment(person.id, org.id, title, start=b.day(2000, 300)), b.evidence("employment")))
            b.tie(consultant.id, person.id, RelationshipKind.KNOWS, TEAM, "relationship-sheet")


def _consultant_far_away(b: _Builder) -> None:
    """The consultant is known, three relationships from the nearest rep: too far for a warm path into the
    accounts she opens, near enough for "who should I meet next" to name the teammate who knows her, and
    how. Her contact is the first person two relationships from a rep (no randomness: the network is the
    same with or without her)."""
    reps = {a.value.id for a in b.people if a.value.id.startswith("rep")}
    near = {p for a in b.ties for p in (a.value.source_id, a.value.target_id)
            if {a.value.source_id, a.value.target_id} & reps} - reps
    for a in b.ties:
        r = a.value
        for x, y in ((r.source_id, r.target_id), (r.target_id, r.source_id)):
            if r.kind is not RelationshipKind.OWNER and x in near and y not in near | reps \
                    and not y.startswith(("p-unreached", "p-consultant")):
                b.tie(y, "p-consultant", RelationshipKind.KNOWS, TEAM, "relationship-sheet",
                      first_seen=b.today - timedelta(days=700))
                return


def _make_reps(b: _Builder) -> list[Rep]:
    team = Organization(id="o-team", name="Brightline Software", domains=(TEAM_DOMAIN,))
    b.orgs.append(Asserted(team, b.evidence("organization")))
    reps = []
    for i, name in enumerate(REP_NAMES):
        email = _rep_email(name)
        person = Person(id=f"rep{i}", name=name, emails=(email,), title="Account Executive",
                        linkedin_url=f"https://www.linkedin.com/in/{name.lower().replace(' ', '-')}-brightline")
        b.people.append(Asserted(person, b.evidence("rep")))
        b.jobs.append(Asserted(Employment(person.id, team.id, "Account Executive", start=b.day(1500, 300)), b.evidence("employment")))
        # The first rep is the team's admin, so the demo shows what an admin may do (docs/privacy.md).
        reps.append(Rep(email=email, person_id=person.id, name=name, role="admin" if i == 0 else "rep"))
    for x in reps:
        for y in reps:
            if x.person_id < y.person_id:
                b.tie(x.person_id, y.person_id, RelationshipKind.TEAMMATE, TEAM, "teammate")
    return reps


def _interactions(b: _Builder, strength: float) -> dict:
    """Message and meeting history over two years, heavier for stronger ties."""
    first = b.day(730, 60)
    if b.rng.random() > strength:
        return {"first_seen": first}
    out, back = b.rng.randint(1, int(4 + 30 * strength)), b.rng.randint(0, int(2 + 30 * strength))
    last = b.day((b.today - first).days)
    return {"first_seen": first, "last_interaction": max(last, first), "count_out": out, "count_in": back}


def _rep_ties(b: _Builder, rep: Rep, groups: dict[str, list[str]], staff: dict[str, list[str]]) -> None:
    owner, me = rep.email, rep.person_id
    everyone = [a.value.id for a in b.people if not a.value.id.startswith("rep")]
    in_org = lambda oid: staff.get(oid, [])  # noqa: E731
    for pid in b.rng.sample(everyone, b.rng.randint(150, 320)):
        b.tie(me, pid, RelationshipKind.LINKEDIN, owner, "connection", first_seen=b.day(2000, 30))
    for oid in b.rng.sample(groups["customer"], 12):
        for pid in in_org(oid)[:2]:
            b.tie(me, pid, RelationshipKind.CUSTOMER, owner, "crm-contact", **_interactions(b, 0.9))
    for profession in PROFESSIONS:
        for oid in b.rng.sample(groups[profession], 2):
            for pid in in_org(oid)[:1]:
                b.tie(me, pid, RelationshipKind.INFLUENCER, owner, "relationship-sheet", profession=profession,
                      **_interactions(b, 0.7))
    for oid in b.rng.sample(groups["partner"], 4):
        for pid in in_org(oid)[:1]:
            b.tie(me, pid, RelationshipKind.PARTNER, owner, "relationship-sheet", **_interactions(b, 0.8))
    contacts = [a.value.target_id for a in b.ties if a.value.owner == owner]
    for pid in b.rng.sample(contacts, min(60, len(contacts))):
        kind = b.rng.choice((RelationshipKind.MESSAGED, RelationshipKind.MESSAGED, RelationshipKind.MET))
        b.tie(me, pid, kind, owner, "message" if kind is RelationshipKind.MESSAGED else "meeting", **_interactions(b, 1.0))
    for pid in b.rng.sample(contacts, min(5, len(contacts))):
        b.tie(pid, me, RelationshipKind.REFERRAL, owner, "relationship-sheet", **_interactions(b, 0.6))


def _second_degree(b: _Builder, reps: list[Rep], groups: dict[str, list[str]], staff: dict[str, list[str]]) -> None:
    """What reps learnt about their contacts' own ties: an influencer's clients, a customer's ex-colleagues."""
    targets_staff = [pid for oid in groups["target"] for pid in staff.get(oid, [])]
    for a in list(b.ties):
        r = a.value
        if r.kind in (RelationshipKind.INFLUENCER, RelationshipKind.PARTNER, RelationshipKind.CUSTOMER):
            for pid in b.rng.sample(targets_staff, min(len(targets_staff), b.rng.randint(1, 4))):
                b.tie(r.target_id, pid, RelationshipKind.KNOWS, r.owner, "relationship-sheet",
                      visibility=Visibility.TEAM, **_interactions(b, 0.5))
    for key, people in staff.items():
        if key.startswith("past:"):
            current = staff.get(key[5:], [])
            for pid in people:
                for other in b.rng.sample(current, min(2, len(current))):
                    b.tie(pid, other, RelationshipKind.COLLEAGUE, TEAM, "employment-overlap")
    everyone = [a.value.id for a in b.people if not a.value.id.startswith("rep")]
    for _ in range(len(everyone)):  # acquaintances across organisations, learnt by the reps
        x, y = b.rng.sample(everyone, 2)
        owner = b.rng.choice(reps).email
        b.tie(min(x, y), max(x, y), RelationshipKind.KNOWS, owner, "relationship-sheet", first_seen=b.day(2500, 30))


def _cold_person(b: _Builder, pid: str, org: Organization | None, fact: str, owner: str) -> Person:
    """A person known only from one row of cold evidence (``fact`` as the importers name it): at ``org``
    when the row tells an employer (a CRM company, a work address); a LinkedIn row (``org`` None) gives
    only a name and a profile URL."""
    if org is None:
        first, last = b.rng.choice(FIRST), b.rng.choice(LAST)
        slug = f"{first}-{last}-{b.rng.randrange(16**6):06x}".lower()
        person = Person(id=pid, name=f"{first} {last}", linkedin_url=f"https://www.linkedin.com/in/{slug}")
    else:
        person = _new_person(b, pid, org, b.rng.choice(TITLES))
    b.people.append(Asserted(person, b.evidence(fact, owner)))
    if org is not None:
        job = Employment(person.id, org.id, person.title, as_of=b.day(400, 10))
        b.jobs.append(Asserted(job, b.evidence("employment", owner)))
    return person


def _cold_evidence(b: _Builder, reps: list[Rep], groups: dict[str, list[str]], staff: dict[str, list[str]]) -> None:
    """What real exports hold besides relationships, per rep, the way the importers store it.

    - CRM leads the rep owns but never reached (``owner``, fact ``crm-contact``, no interactions): new
      people at target accounts, people at target accounts and good connectors the rep has no tie with,
      and the consultant who knows the accounts nobody reaches yet. A path or weekly item over one of
      them would be a relationship that does not exist.
    - Unanswered or declined meeting invitations (fact ``meeting``), cold InMails nobody answered
      (``message``) and pending outgoing LinkedIn invitations (``invitation``): the person is known, with
      no relationship at all.
    - Weak ties: pending incoming invitations (``invited``) and messages that only came in (``messaged``
      with ``count_out`` 0).

    Runs after every other part, so the rest of the network is the same with or without it.
    """
    orgs = {a.value.id: a.value for a in b.orgs}
    targets = [orgs[oid] for oid in groups["target"]]
    tied: dict[str, set[str]] = {}
    for a in b.ties:
        tied.setdefault(a.value.source_id, set()).add(a.value.target_id)
        tied.setdefault(a.value.target_id, set()).add(a.value.source_id)
    at_target = sorted({pid for oid in groups["target"] for pid in staff.get(oid, [])})
    targets_staff = set(at_target)
    # Good connectors: people who know the most people at target accounts.
    reach = {pid: len(others & targets_staff) for pid, others in tied.items()
             if pid not in targets_staff and not pid.startswith("rep")}
    connectors = sorted(reach, key=lambda pid: (-reach[pid], pid))[:40]
    for i, rep in enumerate(reps):
        me, owner, mine = rep.person_id, rep.email, set(tied.get(rep.person_id, ()))

        def unknown(people: list[str], n: int, mine: set[str] = mine) -> list[str]:
            """``n`` of ``people`` the rep has no tie with yet (each picked once)."""
            picked = b.rng.sample([p for p in people if p not in mine], n)
            mine.update(picked)
            return picked

        # CRM leads never reached.
        leads = [_cold_person(b, f"p-lead-{i}-{k}", b.rng.choice(targets), "crm-contact", TEAM).id for k in range(3)]
        leads += unknown(at_target, 3) + unknown(connectors, 3)
        leads += ["p-consultant", f"p-unreached-{i % 3}-{i % 2}"] if i < 2 else []
        for pid in leads:
            b.tie(me, pid, RelationshipKind.OWNER, owner, "crm-contact", first_seen=b.day(500, 20))
        # Known from cold evidence only: no relationship.
        for k in range(2):
            _cold_person(b, f"p-invitee-{i}-{k}", b.rng.choice(targets), "meeting", owner)
            _cold_person(b, f"p-inmail-{i}-{k}", None, "message", owner)
        _cold_person(b, f"p-pending-{i}", None, "invitation", owner)
        # Weak ties.
        for pid in unknown(at_target, 2):
            b.tie(pid, me, RelationshipKind.INVITED, owner, "invitation", first_seen=b.day(60, 1))
        for pid in unknown(at_target, 1) + unknown(connectors, 2):
            first = b.day(400, 30)
            b.tie(me, pid, RelationshipKind.MESSAGED, owner, "message", first_seen=first,
                  last_interaction=b.day((b.today - first).days), count_in=b.rng.randint(1, 3))


def build_demo(import_id: str, *, seed: int = 2026, today: date, n_people: int = 3000) -> DemoNetwork:
    """Generate the demo network as one batch whose evidence belongs to ``import_id``.

    Parameters:
        import_id: the import the demo's evidence is recorded under.
        seed: the random seed; the same seed and ``today`` give the same network.
        today: the date the two years of interaction history end on.
        n_people: how many people besides the reps.

    Returns:
        The demo network; its batch's ``reps`` are the eight Brightline reps.
    """
    b = _Builder(import_id, seed, today)
    groups = _make_orgs(b)
    staff = _make_people(b, groups, n_people)
    reps = _make_reps(b)
    for rep in reps:
        _rep_ties(b, rep, groups, staff)
    _second_degree(b, reps, groups, staff)
    _unreached_targets(b)
    _cold_evidence(b, reps, groups, staff)
    _consultant_far_away(b)
    batch = GraphBatch(
        people=tuple(b.people),
        organizations=tuple(b.orgs),
        employments=tuple(b.jobs),
        relationships=tuple(b.ties),
        reps=tuple(reps),
    )
    return DemoNetwork(batch=batch)
