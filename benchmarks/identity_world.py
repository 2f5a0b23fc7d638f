"""The invented world behind the identity benchmark: companies with the spellings their people and
systems use, people with the names, addresses and profiles each of them goes by, and the team of
reps who know them. Everything is seeded, and everything is the truth the benchmark scores against.

What varies is what varies in real exports: a person is "Katherine" on LinkedIn and "Kate" in the
CRM, "José" in one file and "Jose" in another, 김지현 on LinkedIn and "Ji-hyun Kim" in the CRM; a
company is "Hollis & Grant LLP" in the target list and "Hollis and Grant" on LinkedIn, or just
"Northpine" where its domain says northpine.example.com; people change jobs and leave an old
address behind; two different people share a name. The files are written by
:mod:`benchmarks.identity_exports`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

# Formal given name -> the short form the same person uses elsewhere (all in the resolver's table but
# the last two, which real people use all the same).
NICKNAMED = (
    ("Katherine", "Kate"), ("William", "Bill"), ("Robert", "Bob"), ("Elizabeth", "Liz"), ("Margaret", "Maggie"),
    ("Patricia", "Trish"), ("Nicholas", "Nick"), ("Edward", "Ned"), ("Timothy", "Tim"), ("Gregory", "Greg"),
    ("Matthew", "Matt"), ("Deborah", "Debbie"), ("Michael", "Mike"), ("James", "Jim"), ("Jennifer", "Jen"),
    ("Christopher", "Chris"), ("Alexander", "Alex"), ("Samuel", "Sam"), ("Daniel", "Dan"), ("Thomas", "Tom"),
    ("Susan", "Sue"), ("Rebecca", "Becky"), ("Anthony", "Tony"), ("Joseph", "Joe"), ("Benjamin", "Ben"),
    ("Andrew", "Andy"), ("Theodore", "Theo"), ("Frederick", "Fred"), ("Josephine", "Josie"), ("Victoria", "Vicky"),
)
# Accented given names and their plain-ASCII spelling (keyboards, old systems, e-mail local parts).
ACCENTED = (
    ("José", "Jose"), ("Zoë", "Zoe"), ("Chloé", "Chloe"), ("Søren", "Soren"), ("Ramón", "Ramon"),
    ("Sebastián", "Sebastian"), ("Björn", "Bjorn"), ("Renée", "Renee"), ("Inés", "Ines"), ("François", "Francois"),
    ("Zoltán", "Zoltan"), ("Łukasz", "Lukasz"), ("Anaïs", "Anais"), ("Mónica", "Monica"), ("Jürgen", "Jurgen"),
)
PLAIN = (
    "Harriet", "Oscar", "Imogen", "Felix", "Rosalind", "Quentin", "Beatrix", "Ambrose", "Cordelia", "Lionel",
    "Marisol", "Desmond", "Philippa", "Rupert", "Esther", "Gideon", "Odessa", "Cormac", "Verity", "Lachlan",
    "Priya", "Kwame", "Noor", "Tamsin", "Wren", "Arjun", "Celeste", "Magnus", "Florian", "Yvette",
    "Silas", "Henrietta", "Barnaby", "Ottilie", "Jasper", "Rowena", "Thaddeus", "Eleanor", "Ignatius", "Renata",
)
FAMILY = (
    "Ashdown", "Hargreaves", "Lefevre", "Fitch", "Quayle", "Featherstone", "Raghunathan", "Villiers", "Ormsby",
    "Mayhew", "Kilbride", "Hensley", "Chaudhry", "Delahunt", "Lockhart", "Stanhope", "Merriman", "Asante",
    "Yardley", "Gorringe", "Langridge", "Penrose", "Blackwood", "Crowther", "Wetherby", "Northcott", "Pilbeam",
    "Brannigan", "Holcombe", "Srinivas", "Strachan", "Wainwright", "Blakemore", "Venkatesan", "Okoro", "Ferrante",
    "Northam", "Coverdale", "Stansfield", "Adeyinka", "Ellingham", "Belmonte", "Rowntree", "Haddow", "Nilsen",
    "Tolland", "Balogun", "Marchbanks", "Okonjo", "Petrakis", "Achterberg", "Lindqvist", "Chatterjee", "Barrowman",
    "Dabrowski", "Whitfield", "Kettering", "Ravensworth", "Oduya", "Castellan", "Thistlewood", "Moreau", "Ibarra",
    "Kowalczyk", "Fairweather", "Pemberton", "Quigley", "Radcliffe", "Sandoval", "Trevelyan", "Underhill", "Vasquez",
    "Winterbourne", "Yelland", "Zeller", "Abernathy", "Bellweather", "Carrow", "Dunmore", "Esterhazy", "Farrant",
    "Galloway", "Hollister", "Ingleby", "Jessop", "Kincaid", "Larkin", "Mountjoy", "Nettleton", "Oakley",
    "Prendergast", "Rathbone", "Sheringham", "Tregarthen", "Upton", "Voss", "Warrender", "Ashworth", "Birtwistle",
    "Cheswick", "Dalrymple", "Eastwood", "Fenwick", "Gainsford", "Hawthorne", "Illingworth", "Juniper", "Kessler",
)
# People whose LinkedIn profile shows their name in their own script; CRM records and calendars carry the
# Latin spelling (given, family) with the same e-mail and profile URL.
NATIVE = (
    (("지현", "김"), ("Ji-hyun", "Kim")), (("민준", "이"), ("Min-jun", "Lee")), (("서연", "박"), ("Seo-yeon", "Park")),
    (("芳", "王"), ("Fang", "Wang")), (("伟", "李"), ("Wei", "Li")), (("静", "张"), ("Jing", "Zhang")),
    (("健", "佐藤"), ("Ken", "Sato")), (("陽子", "田中"), ("Yoko", "Tanaka")), (("翔", "鈴木"), ("Sho", "Suzuki")),
    (("سارة", "الحداد"), ("Sara", "Al-Haddad")), (("عمر", "الفاسي"), ("Omar", "El-Fassi")),
    (("ليلى", "منصور"), ("Layla", "Mansour")), (("يوسف", "ناصر"), ("Youssef", "Nasser")),
)
STEMS = (
    "Northpine", "Brackenridge", "Tavistock", "Ostrander", "Keystone", "Fenwick", "Bramblewood", "Voltaris",
    "Ridgeback", "Summitline", "Clearpane", "Larkspur", "Sundial", "Quarry Hill", "Pemaquid", "Marlowe",
    "Grisham", "Cormorant", "Eastgate", "Hanul", "Lowenna", "Elmstead", "Yelverton", "Rathmore", "Penhallow",
    "Quenby", "Wyndcliff", "Hollin", "Kelso", "Sallowfield", "Merriweather", "Inchbrook", "Foxglove", "Jarrow",
    "Zennor", "Cinderford", "Oxbow", "Talbot", "Halvorsen", "Ledgerline", "Corvane", "Tidewell", "Ashcombe",
    "Blythe", "Carrick", "Dunstan", "Everleigh", "Fairhaven", "Glenmore", "Harrowgate", "Ivybridge", "Juniper",
    "Kingsmere", "Lindale", "Moorfield", "Netherby", "Oakhurst", "Pendle", "Quillon", "Redmarsh", "Stonecroft",
    "Thornbury", "Umberleigh", "Valemont", "Westbrook", "Yarrow", "Amberly", "Bexhill", "Coldharbour", "Dovecote",
)
INDUSTRIES = (
    "Freight", "Cold Storage", "Medical Plaza", "Dental Group", "Textiles", "Senior Living", "Credit Union",
    "Brewing", "Precision Castings", "Foods Distribution", "Hotels", "School District", "Semiconductor",
    "Dairy Cooperative", "Property Trust", "Labs", "Steelworks", "Clinics", "Insurance Brokers", "Data Centers",
    "Bank", "Bakery", "Academy", "Fitness Clubs", "Machining", "Veterinary Partners", "Paper Mills",
    "Marine Supply", "Plastics", "Auto Group", "Builders", "Lighting", "Access Control", "Logistics",
)
SUFFIXES = ("Inc.", "LLC", "Ltd.", "Corp.", "Co.", "Group", "")
PARTNERSHIP = ("Hollis & Grant", "Ostrander & Vail", "Pike & Mercer", "Dunlow & Ash", "Carver & Finch",
               "Tate & Rowley", "Bell & Quarles", "Morrow & Kline")
TITLES = ("Director of Operations", "VP Finance", "Facilities Manager", "Purchasing Manager", "CFO", "Owner",
          "Controller", "Head of IT", "Operations Lead", "Plant Manager", "Partner", "Office Manager")
TEAM_COMPANY = "Brightline Energy"
TEAM_DOMAIN = "brightline.example.com"


@dataclass(eq=False)
class Company:
    """One real company (a truth organisation) and the ways its name is written."""

    key: str
    name: str  # the full legal name, as a target list or a CRM writes it
    plain: str  # without the legal suffix, as most people write it
    domain: str
    short: str | None = None  # the brand alone ("Northpine"), which only the domain ties to the full name
    amp: bool = False  # "&" in the name: also written with "and"

    def spelling(self, rnd: random.Random) -> str:
        """One of the ways people write this company's name."""
        options = [self.name, self.plain, self.plain]
        if self.amp:
            options += [self.plain.replace(" & ", " and ")] * 2
        if self.name != self.plain and self.name.endswith(" Inc."):
            options.append(self.name.replace(" Inc.", ", Inc."))
        return rnd.choice(options)


@dataclass(eq=False)
class Human:
    """One real person (a truth person) and every name, address and profile they go by."""

    key: str
    given: str  # as on LinkedIn (formal, accented or in the person's script)
    family: str
    company: Company
    title: str
    slug: str  # LinkedIn /in/<slug>
    work_email: str
    latin: tuple[str, str] | None = None  # (given, family) in Latin letters, for a name in another script
    short_given: str | None = None  # the nickname or the ASCII spelling used outside LinkedIn
    personal_email: str | None = None
    past: Company | None = None  # the previous employer a stale CRM record still shows
    past_email: str | None = None
    li_company: str = ""  # the company as the person wrote it on their own LinkedIn profile
    is_rep: bool = False
    knowers: list[int] = field(default_factory=list)  # indexes of the reps who know this person

    @property
    def url(self) -> str:
        return f"https://www.linkedin.com/in/{self.slug}"

    @property
    def linkedin_name(self) -> tuple[str, str]:
        return self.given, self.family

    def crm_name(self, rnd: random.Random) -> tuple[str, str]:
        """The name in Latin letters, as CRM records, address books and calendars write it."""
        if self.latin:
            return self.latin
        given = self.short_given if self.short_given and rnd.random() < 0.6 else self.given
        return given, self.family


@dataclass
class World:
    seed: int
    companies: list[Company]
    people: list[Human]  # the reps first
    n_reps: int
    namesakes: list[tuple[str, str]]  # keys of two different people with the same name

    @property
    def reps(self) -> list[Human]:
        return self.people[: self.n_reps]


def _ascii(text: str) -> str:
    import unicodedata

    folded = unicodedata.normalize("NFKD", text.replace("Ł", "L").replace("ł", "l").replace("ø", "o"))
    return "".join(c for c in folded if c.isascii() and (c.isalnum() or c in "-"))


def _companies(rnd: random.Random, n: int) -> list[Company]:
    stems = rnd.sample(STEMS, min(n, len(STEMS)))
    companies = []
    for i in range(n):
        if i < len(PARTNERSHIP) and i % 3 == 1:
            plain, name, amp = PARTNERSHIP[i], f"{PARTNERSHIP[i]} LLP", True
        else:
            stem = stems[i % len(stems)] if i < len(stems) else f"{stems[i % len(stems)]} {rnd.choice(('North', 'West', 'Bay', 'Valley'))}"
            plain = f"{stem} {rnd.choice(INDUSTRIES)}"
            while plain in {c.plain for c in companies}:  # two companies of one name would be one to anybody
                plain = f"{stem} {rnd.choice(INDUSTRIES)}"
            suffix = rnd.choice([x for x in SUFFIXES if not plain.endswith(x or "-")])  # no "Dental Group Group"
            name, amp = f"{plain} {suffix}".strip(), False
        slug = _ascii(plain.replace(" & ", "")).lower() if amp else _ascii(plain.split()[0]).lower()
        slug += "" if i < len(stems) or amp else str(i)
        short = stems[i] if not amp and i < len(stems) and i % 5 == 0 else None
        companies.append(Company(f"c{i}", name, plain, f"{slug}.example.com", short=short, amp=amp))
    return companies


def _name(rnd: random.Random, used: set[tuple[str, str]]) -> tuple[str, str, str | None, tuple[str, str] | None]:
    """(given, family, short given, latin) of a new person whose name nobody has yet."""
    while True:
        roll = rnd.random()
        latin = short = None
        if roll < 0.03:
            (given, family), latin = rnd.choice(NATIVE)
        elif roll < 0.35:
            given, short = rnd.choice(NICKNAMED)
            family = rnd.choice(FAMILY)
        elif roll < 0.47:
            given, short = rnd.choice(ACCENTED)
            family = rnd.choice(FAMILY)
        else:
            given, family = rnd.choice(PLAIN), rnd.choice(FAMILY)
        key = latin or (short or given, family)
        if key not in used and (given, family) not in used:
            used.update({key, (given, family)})
            return given, family, short, latin


def _human(rnd: random.Random, key: str, names, company: Company, n: int) -> Human:
    given, family, short, latin = names
    lg, lf = latin or (short or given, family)
    local = f"{_ascii(lg)}.{_ascii(lf)}".lower() if rnd.random() < 0.7 else f"{_ascii(lg)[0]}{_ascii(lf)}".lower()
    return Human(key, given, family, company, rnd.choice(TITLES), f"{_ascii(lg)}-{_ascii(lf)}-{n:04x}".lower(),
                 f"{local}@{company.domain}", latin=latin, short_given=short)


def build_world(seed: int, n_reps: int = 8, n_people: int = 2000) -> World:
    """The companies, the reps (at the team's company) and ``n_people`` other people, with who knows whom.

    Parameters:
        seed: the only source of randomness.
        n_reps: reps in the team.
        n_people: people other than the reps.

    Returns:
        The :class:`World`; its people are the truth the benchmark scores against.
    """
    rnd = random.Random(seed)
    companies = _companies(rnd, max(12, n_people // 10))
    team = Company("team", f"{TEAM_COMPANY} Inc.", TEAM_COMPANY, TEAM_DOMAIN)
    used: set[tuple[str, str]] = set()
    people = []
    for i in range(n_reps):
        rep = _human(rnd, f"r{i}", _name(rnd, used), team, i)
        rep.is_rep, rep.title, rep.li_company = True, "Account Executive", TEAM_COMPANY
        rep.past = rnd.choice(companies)
        people.append(rep)
    weights = [1.0 / (k + 1) ** 0.8 for k in range(len(companies))]  # a few large companies, many small
    for i in range(n_people):
        company = rnd.choices(companies, weights)[0]
        person = _human(rnd, f"h{i}", _name(rnd, used), company, n_reps + i)
        person.li_company = company.short if company.short and rnd.random() < 0.5 else company.spelling(rnd)
        if rnd.random() < 0.25:
            person.personal_email = f"{person.slug.rsplit('-', 1)[0].replace('-', '')}{rnd.randint(1, 99)}@mail.example.com"
        if rnd.random() < 0.08:  # changed jobs: a CRM still has the old company and address
            person.past = rnd.choice([c for c in companies if c is not company])
            person.past_email = person.work_email.split("@")[0] + "@" + person.past.domain
        count = min(n_reps, 1 + int(rnd.paretovariate(1.6)) - 1 + (rnd.random() < 0.4))
        person.knowers = sorted(rnd.sample(range(n_reps), max(1, count)))
        people.append(person)
    namesakes = _plant_namesakes(rnd, people, n_reps, companies)
    taken: set[str] = set()
    for person in people:  # a mail server gives every address to one person: "fyardley" twice becomes "fyardley2"
        local, _, host = person.work_email.partition("@")
        n = 1
        while person.work_email in taken:
            n += 1
            person.work_email = f"{local}{n}@{host}"
        taken.add(person.work_email)
        if person.past_email:
            person.past_email = person.work_email.split("@")[0] + "@" + person.past.domain
    return World(seed, [team, *companies], people, n_reps, namesakes)


def _plant_namesakes(rnd: random.Random, people: list[Human], n_reps: int, companies: list[Company]):
    """Give some people a second person with the same name at another company, known by another rep,
    each with only a personal address (the "two Sam Reeds" of two address books)."""
    pairs = []
    others = people[n_reps:]
    for a, b in zip(others[0 : 60 : 3], others[1 : 60 : 3], strict=False):
        if a.latin or b.latin or {a.company, a.past} & {b.company, b.past}:  # never one name at one company
            continue
        b.given, b.family, b.short_given = a.given, a.family, a.short_given
        b.work_email = a.work_email.split("@")[0] + "@" + b.company.domain  # two addresses, two people
        if b.past:
            b.past_email = a.work_email.split("@")[0] + "@" + b.past.domain
        b.slug = a.slug.rsplit("-", 1)[0] + f"-{int(b.key[1:]) + n_reps:04x}b"
        a.personal_email = a.personal_email or f"{a.slug.replace('-', '')}@mail.example.com"
        b.personal_email = f"{b.slug.replace('-', '')}@mail.example.com"
        if a.knowers == b.knowers and n_reps > 1:
            b.knowers = [(a.knowers[0] + 1) % n_reps]
        pairs.append((a.key, b.key))
    return pairs
