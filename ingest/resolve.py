"""One person per human: turn the records of one import's files into a graph batch, matched against
what the store already knows.

Organisations are resolved first (by domain, then normalised name), then people: records sharing
a LinkedIn URL or an e-mail are one person; so are records with the same name at the same
organisation; within one owner's archive a name alone links files without URLs. Two records with
different LinkedIn URLs are never merged. Every merge is reported with its reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from graphapp.identity import name_key, org_key, stable_id
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
from ingest.records import OWNER, ContactRecord, ParsedFile

STRENGTH = {"linkedin": 0, "email": 1, "rep": 1, "name": 2, "aname": 3}
REASONS = {"linkedin": "same LinkedIn profile URL", "email": "same e-mail address", "rep": "a teammate on the same team",
           "name": "same name at the same organisation", "aname": "same name within the owner's archive"}


class Known(Protocol):
    """What resolution asks of the store (``GraphStore`` provides it)."""

    def people_by_keys(self, keys: Sequence[str]) -> dict[str, list[str]]: ...
    def organizations_by_keys(self, keys: Sequence[str]) -> dict[str, list[str]]: ...
    def get_people(self, ids: Sequence[str]) -> dict[str, Person]: ...
    def sources_of_people(self, ids: Sequence[str]) -> dict[str, set[str]]: ...
    def list_reps(self) -> list[Rep]: ...


@dataclass(frozen=True)
class Merge:
    person_id: str
    name: str
    reason: str


@dataclass
class Resolution:
    batch: GraphBatch
    merges: list[Merge] = field(default_factory=list)
    people_added: int = 0
    people_merged: int = 0
    notes: list[tuple[ParsedFile, int | None, str]] = field(default_factory=list)  # (file, row, warning)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


@dataclass
class _Owner:
    email: str
    person_id: str


class Resolver:
    """Resolves one import. ``owner`` is the rep whose data the files are (None for team files)."""

    def __init__(self, known: Known, import_id: str, owner: Rep | None, default_visibility: Visibility) -> None:
        self.known = known
        self.import_id = import_id
        self.owner = owner
        self.visibility = default_visibility
        self.reps = {r.email: r for r in known.list_reps()}
        self.new_reps: dict[str, Rep] = {}
        self.org_of: dict[tuple[int, str], str] = {}  # (file index, company text) -> org id
        self.orgs: dict[str, Asserted[Organization]] = {}
        self.org_items: list[Asserted[Organization]] = []
        self.result = Resolution(GraphBatch())
        self.absorbed: dict[str, str] = {}  # known person id -> the known person id it merges into

    # -- evidence -----------------------------------------------------------------------------
    def ev(self, f: ParsedFile, row: int | None, fact: str, owner: str | None = None) -> Evidence:
        who = owner or (self.owner.email if self.owner and not f.team_file else TEAM)
        return Evidence(self.import_id, f.name, fact, owner=who, row=row, file_sha256=f.sha256)

    # -- organisations ------------------------------------------------------------------------
    def resolve_orgs(self, files: list[ParsedFile]) -> None:
        mentions: list[tuple[int, ParsedFile, int | None, Organization, str]] = []
        for i, f in enumerate(files):
            target_rows = {t.row for t in f.targets}  # a target row's company record says less than its target
            for c in f.companies:
                if c.row in target_rows:
                    continue
                mentions.append((i, f, c.row, Organization("?", c.name, domains=c.domains, is_customer=c.is_customer,
                                                           is_target=c.is_target, is_partner=c.is_partner), c.fact))
            for t in f.targets:
                owner = t.owner_rep_email
                org = Organization("?", t.account or t.domain or "", domains=(t.domain,) if t.domain else (),
                                   is_target=True, target_owner=owner, priority=t.priority)
                mentions.append((i, f, t.row, org, "target"))
            for c in f.contacts:
                if c.company:
                    domains = (c.company_domain,) if c.company_domain else ()
                    mentions.append((i, f, c.row, Organization("?", c.company, domains=domains), "employer"))
            for p in f.positions:
                mentions.append((i, f, p.row, Organization("?", p.company), "employer"))
        self._cluster_orgs(mentions)

    def _cluster_orgs(self, mentions) -> None:
        keys_of = [self._org_keys(m[3]) for m in mentions]
        existing = self.known.organizations_by_keys(sorted({k for ks in keys_of for k in ks}))
        uf, first = _UnionFind(), {}
        for n, keys in enumerate(keys_of):
            uf.find(n)
            for k in keys:
                uf.union(n, first.setdefault(k, n))
        clusters: dict[int, list[int]] = {}
        for n in range(len(mentions)):
            clusters.setdefault(uf.find(n), []).append(n)
        seen_in_file: set[tuple[str, str]] = set()
        for members in clusters.values():
            keys = sorted({k for n in members for k in keys_of[n]})
            found = [existing[k][0] for k in keys if k in existing]
            org_id = found[0] if found else stable_id("o", keys[0] if keys else f"{self.import_id}:{members[0]}")
            for n in members:
                i, f, row, org, fact = mentions[n]
                self.org_of[(i, org.name)] = org_id
                if fact == "employer" and (f.sha256, org_id) in seen_in_file:
                    continue  # one assertion of an employer per file is enough
                seen_in_file.add((f.sha256, org_id))
                value = Organization(org_id, org.name, domains=org.domains, is_customer=org.is_customer,
                                     is_target=org.is_target, is_partner=org.is_partner,
                                     target_owner=org.target_owner, priority=org.priority)
                self.org_items.append(Asserted(value, self.ev(f, row, fact)))

    @staticmethod
    def _org_keys(org: Organization) -> list[str]:
        keys = [f"domain:{d}" for d in org.domains]
        k = org_key(org.name)
        return keys + ([f"org:{k}"] if k else [])

    # -- people -------------------------------------------------------------------------------
    def person_keys(self, i: int, f: ParsedFile, c: ContactRecord) -> list[str]:
        keys = [f"linkedin:{c.linkedin_url}"] if c.linkedin_url else []
        keys += [f"email:{e}" for e in c.emails]
        nk = name_key(c.name)
        if nk and c.company and (i, c.company) in self.org_of:
            keys.append(f"name:{nk}|{self.org_of[(i, c.company)]}")
        if nk and (c.name_only_in_archive or not keys) and not f.team_file:
            keys.append(f"aname:{self.owner.email if self.owner else f.sha256}|{nk}")
        rep = self.rep_names.get(nk) if nk else None
        if rep and self._on_the_team(i, c):
            keys.append(f"rep:{rep.email}")
        return keys

    def _on_the_team(self, i: int, c: ContactRecord) -> bool:
        """A record names a teammate when it places them at the team's company: by e-mail domain, by a
        company the reps work at, or by a company named like the reps' e-mail domain (Tidewell Systems
        for tidewell.example.com)."""
        if any(e.rsplit("@", 1)[1] in self.team_domains for e in c.emails):
            return True
        if not c.company:
            return False
        key = org_key(c.company) or ""
        return self.org_of.get((i, c.company)) in self.team_orgs or key.split(" ")[0] in self.team_words

    def resolve_people(self, files: list[ParsedFile]) -> dict[tuple[int, str], str]:
        """Cluster every contact record; returns (file index, ref) -> person id."""
        mentions = [(i, f, c) for i, f in enumerate(files) for c in f.contacts]
        keys_of = [self.person_keys(i, f, c) for i, f, c in mentions]
        lookup = sorted({k for ks in keys_of for k in ks if not k.startswith(("aname:", "rep:"))})
        existing = self.known.people_by_keys(lookup)
        for rep in self.all_reps().values():
            existing[f"rep:{rep.email}"] = [rep.person_id]
            existing[f"email:{rep.email}"] = [rep.person_id]
        self._drop_url_conflicts(existing, mentions, keys_of)
        uf, first, urls = _UnionFind(), {}, {}
        order = sorted(range(len(mentions)), key=lambda n: min((STRENGTH[k.split(":")[0]] for k in keys_of[n]), default=9))
        for n in order:
            uf.find(n)
            urls.setdefault(n, {mentions[n][2].linkedin_url} - {None})
            for k in sorted(keys_of[n], key=lambda k: STRENGTH[k.split(":")[0]]):
                other = first.setdefault(k, n)
                ra, rb = uf.find(n), uf.find(other)
                if ra != rb and not (urls[ra] and urls[rb] and urls[ra] != urls[rb]):
                    uf.union(ra, rb)
                    urls[uf.find(ra)] = urls[ra] | urls[rb]
        clusters: dict[int, list[int]] = {}
        for n in range(len(mentions)):
            clusters.setdefault(uf.find(n), []).append(n)
        return self._assign_people(mentions, keys_of, existing, clusters)

    def _drop_url_conflicts(self, existing, mentions, keys_of) -> None:
        """A name key must not attach a record to a known person with another LinkedIn URL."""
        ids = sorted({pid for k, v in existing.items() if k.startswith("name:") for pid in v})
        known_urls = {pid: p.linkedin_url for pid, p in self.known.get_people(ids).items() if p.linkedin_url}
        for n, (_, _, c) in enumerate(mentions):
            if not c.linkedin_url:
                continue
            for k in keys_of[n]:
                if k.startswith("name:") and any(known_urls.get(pid, c.linkedin_url) != c.linkedin_url for pid in existing.get(k, [])):
                    keys_of[n] = [x for x in keys_of[n] if x != k]

    def _assign_people(self, mentions, keys_of, existing, clusters) -> dict[tuple[int, str], str]:
        person_of: dict[tuple[int, str], str] = {}
        matched: dict[str, list[int]] = {}
        for members in clusters.values():
            keys = sorted({k for n in members for k in keys_of[n]}, key=lambda k: (STRENGTH[k.split(":")[0]], k))
            found = [(k, existing[k][0]) for k in keys if k in existing]
            if found:
                person_id = found[0][1]
                matched.setdefault(person_id, []).extend(members)
                self._absorb(person_id, [pid for _, pid in found[1:]], mentions[members[0]][2])
            else:
                person_id = stable_id("p", keys[0] if keys else f"{self.import_id}:{members[0]}")
                self.result.people_added += 1
            shas = {mentions[n][1].sha256 for n in members}
            if len(shas) > 1 and not found:
                self._merged(person_id, mentions[members[0]][2], keys)
            for n in members:
                i, f, c = mentions[n]
                person_of[(i, c.ref)] = person_id
        for ref, pid in person_of.items():
            while pid in self.absorbed:
                pid = self.absorbed[pid]
            person_of[ref] = pid
        sources = self.known.sources_of_people(sorted(matched))
        for person_id, members in matched.items():
            shas = {mentions[n][1].sha256 for n in members}
            if shas - sources.get(person_id, set()) and sources.get(person_id):
                keys = sorted({k for n in members for k in keys_of[n]}, key=lambda k: STRENGTH[k.split(":")[0]])
                self._merged(person_id, mentions[members[0]][2], keys)
        return person_of

    def _absorb(self, keep: str, others: list[str], c: ContactRecord) -> None:
        """Known people that one record links (an e-mail here, a name at a company there) become one,
        unless their LinkedIn profiles differ or both are reps."""
        others = [o for o in dict.fromkeys(others) if o != keep and o not in self.absorbed]
        if not others:
            return
        people = self.known.get_people([keep, *others])
        reps = {r.person_id for r in self.all_reps().values()}
        url = people[keep].linkedin_url if keep in people else None
        for other in others:
            other_url = people[other].linkedin_url if other in people else None
            if (url and other_url and url != other_url) or (keep in reps and other in reps):
                continue
            url = url or other_url
            self.absorbed[other] = keep
            self.result.merges.append(Merge(keep, c.name or keep, "one record links two known people"))

    def _merged(self, person_id: str, c: ContactRecord, keys: list[str]) -> None:
        self.result.people_merged += 1
        kind = keys[0].split(":")[0] if keys else "name"
        self.result.merges.append(Merge(person_id, c.name or (c.emails[0] if c.emails else person_id), REASONS[kind]))

    def people(self, files: list[ParsedFile], person_of: dict[tuple[int, str], str]) -> list[Asserted[Person]]:
        items = []
        for i, f in enumerate(files):
            for c in f.contacts:
                pid = person_of[(i, c.ref)]
                name = c.name or (c.emails[0] if c.emails else c.linkedin_url) or pid
                person = Person(pid, name, emails=c.emails, linkedin_url=c.linkedin_url, phones=c.phones,
                                title=c.title, location=c.location)
                items.append(Asserted(person, self.ev(f, c.row, c.fact)))
        return items

    # -- the team -----------------------------------------------------------------------------
    def all_reps(self) -> dict[str, Rep]:
        return {**self.reps, **self.new_reps}

    def rep_for_email(self, f: ParsedFile, email: str, display: str | None = None) -> Rep:
        """The rep with this e-mail, created (and reported) when the team does not have them yet."""
        rep = self.all_reps().get(email)
        if rep is None:
            person_id = self.known.people_by_keys([f"email:{email}"]).get(f"email:{email}", [None])[0]
            name = display or " ".join(w.capitalize() for w in email.split("@")[0].replace("_", ".").split("."))
            rep = Rep(email=email, person_id=person_id or stable_id("p", f"email:{email}"), name=name)
            self.new_reps[email] = rep
            self.result.notes.append((f, None, f"{name} <{email}> joined the team as a rep"))
        return rep

    def prepare_team(self, files: list[ParsedFile]) -> None:
        """Reps named by team files, the owner, and how to recognise teammates in contact lists."""
        if self.owner and self.owner.email not in self.reps:
            self.new_reps[self.owner.email] = self.owner
        for f in files:
            for t in f.ties:
                for end in (t.a, t.b):
                    if end.startswith("@rep-email:"):
                        self.rep_for_email(f, end.split(":", 1)[1])
                if t.reported_by:
                    self.rep_for_email(f, t.reported_by)
            for target in f.targets:
                if target.owner_rep_email:
                    self.rep_for_email(f, target.owner_rep_email)
        self.rep_names = {name_key(r.name): r for r in self.all_reps().values() if name_key(r.name)}
        self.team_domains = {r.email.rsplit("@", 1)[1] for r in self.all_reps().values()}
        self.team_words = {d.split(".")[0] for d in self.team_domains}
        self.team_orgs = {self.org_of[(i, p.company)] for i, f in enumerate(files) for p in f.positions
                          if p.who == OWNER and p.current and (i, p.company) in self.org_of}
        domain_keys = [f"domain:{d}" for d in sorted(self.team_domains)]
        self.team_orgs |= {o for ids in self.known.organizations_by_keys(domain_keys).values() for o in ids}
        self._adopt_known_teammates()

    def _adopt_known_teammates(self) -> None:
        """A new rep who is already in the graph as a contact at the team's company becomes that person."""
        wanted = {f"name:{name_key(r.name)}|{o}": email for email, r in self.new_reps.items()
                  for o in sorted(self.team_orgs) if name_key(r.name) and r.person_id == stable_id("p", f"email:{email}")}
        for key, ids in self.known.people_by_keys(sorted(wanted)).items():
            rep = self.new_reps[wanted[key]]
            self.new_reps[rep.email] = Rep(rep.email, ids[0], rep.name, rep.role)
        self.rep_names = {name_key(r.name): r for r in self.all_reps().values() if name_key(r.name)}

    def rep_people(self, files: list[ParsedFile]) -> list[Asserted[Person]]:
        items = []
        for rep in self.new_reps.values():
            f = files[0]
            adopted = rep.person_id != stable_id("p", f"email:{rep.email}")  # keep the known person's name
            person = Person(rep.person_id, "" if adopted else rep.name, emails=(rep.email,))
            items.append(Asserted(person, self.ev(f, None, "rep", owner=TEAM)))
        for f in files:
            if f.owner and self.owner and (f.owner.linkedin_url or f.owner.name or f.owner.emails):
                name = f.owner.name or self.owner.name
                person = Person(self.owner.person_id, name, emails=f.owner.emails, linkedin_url=f.owner.linkedin_url,
                                title=f.owner.headline, location=f.owner.location)
                items.append(Asserted(person, self.ev(f, None, "owner-profile")))
        return items

    # -- ties and jobs ------------------------------------------------------------------------
    def endpoint(self, i: int, f: ParsedFile, ref: str, person_of) -> str | None:
        if ref == OWNER:
            return self.owner.person_id if self.owner else None
        if ref.startswith("@rep-email:"):
            return self.all_reps()[ref.split(":", 1)[1]].person_id
        if ref.startswith("@rep-name:"):
            rep = self.rep_names.get(name_key(ref.split(":", 1)[1]))
            return rep.person_id if rep else None
        return person_of.get((i, ref))

    def ties(self, files: list[ParsedFile], person_of) -> list[Asserted[Relationship]]:
        rep_people = {r.person_id: r.email for r in self.all_reps().values()}
        items = []
        for i, f in enumerate(files):
            for t in f.ties:
                a, b = self.endpoint(i, f, t.a, person_of), self.endpoint(i, f, t.b, person_of)
                if a is None or b is None:
                    missing = t.a if a is None else t.b
                    self.result.notes.append((f, t.row, f"{missing.split(':', 1)[-1]} is not a rep of the team; the contact is kept without this tie"))
                    continue
                if a == b:
                    continue
                owner = self._tie_owner(f, t)
                kind, visibility = t.kind, self.visibility
                if a in rep_people and b in rep_people:
                    kind, owner, visibility = RelationshipKind.TEAMMATE, TEAM, Visibility.TEAM
                rel = Relationship(a, b, kind, owner=owner, visibility=visibility, profession=t.profession,
                                   first_seen=_min(t.first_seen, t.last_interaction), last_interaction=t.last_interaction,
                                   count_out=t.count_out, count_in=t.count_in)
                items.append(Asserted(rel, self.ev(f, t.row, t.fact, owner=owner)))
        return items

    def _tie_owner(self, f: ParsedFile, t) -> str:
        if t.reported_by:
            return t.reported_by
        for end in (t.a, t.b):
            if end.startswith("@rep-email:"):
                return end.split(":", 1)[1]
            if end.startswith("@rep-name:"):
                rep = self.rep_names.get(name_key(end.split(":", 1)[1]))
                if rep:
                    return rep.email
        return self.owner.email if self.owner and not f.team_file else TEAM

    def jobs(self, files: list[ParsedFile], person_of) -> list[Asserted[Employment]]:
        items = []
        for i, f in enumerate(files):
            for c in f.contacts:
                org = self.org_of.get((i, c.company)) if c.company else None
                if org:
                    job = Employment(person_of[(i, c.ref)], org, title=c.title, current=True, as_of=c.as_of)
                    items.append(Asserted(job, self.ev(f, c.row, "employment")))
            for p in f.positions:
                who = self.endpoint(i, f, p.who, person_of)
                org = self.org_of.get((i, p.company))
                if who and org:
                    job = Employment(who, org, title=p.title, start=p.start, end=p.end, current=p.current)
                    items.append(Asserted(job, self.ev(f, p.row, "position")))
        return items


def _min(a: date | None, b: date | None) -> date | None:
    return min(d for d in (a, b) if d) if (a or b) else None


def resolve(files: list[ParsedFile], known: Known, import_id: str, *, owner: Rep | None = None,
            visibility: Visibility = Visibility.EXISTENCE) -> Resolution:
    """Resolve the parsed files of one import into one batch of asserted facts.

    Parameters:
        files: what the parsers made of each file (file-level failures left out).
        known: the store's lookups.
        import_id: the import the evidence is recorded under.
        owner: the rep whose data the non-team files are (``OWNER`` ties need one).
        visibility: the default visibility of the relationships this import brings.

    Returns:
        The batch, the merges made (with reasons), and notes to add to the file reports.
    """
    r = Resolver(known, import_id, owner, visibility)
    r.resolve_orgs(files)
    r.prepare_team(files)
    person_of = r.resolve_people(files)
    people = r.rep_people(files) + r.people(files, person_of)
    r.result.batch = GraphBatch(
        people=tuple(people),
        organizations=tuple(r.org_items),
        employments=tuple(r.jobs(files, person_of)),
        relationships=tuple(r.ties(files, person_of)),
        reps=tuple(r.new_reps.values()),
        merges=tuple(r.absorbed.items()),
    )
    return r.result
