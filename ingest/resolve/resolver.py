"""Who the records of one import's files are, matched against what the store already knows;
:mod:`ingest.resolve.facts` then turns them into batches of asserted facts.

Organisations are resolved first (by domain, then normalised name), then the team (reps named by the
files, and how to recognise a teammate), then people (:mod:`ingest.resolve.people`: records sharing a
LinkedIn URL or an e-mail are one person; so are records with the same name at the same organisation;
within one owner's archive a name alone links files without URLs; two different LinkedIn URLs are
never merged; every merge is reported with its reason). Identity is decided over all the import's
records at once (a later record can decide an earlier one's id); the records themselves stay spooled
on disk (:mod:`ingest.spool`) and are read a block at a time.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Iterator, Sequence, Set
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from graphapp.domain.identity import (
    brand_keys,
    domain_fits,
    domain_label,
    fold_text,
    is_free_mail,
    lead_keys,
    name_key,
    org_key,
    stable_id,
)
from graphapp.model import (
    TEAM,
    Asserted,
    Evidence,
    GraphBatch,
    Organization,
    Person,
    Rep,
    Visibility,
)
from ingest.records import OWNER, ParsedFile
from ingest.resolve import rules
from ingest.resolve.facts import fact_batches
from ingest.resolve.people import Merge, People, PeopleResolver
from ingest.resolve.unionfind import UnionFind


class Known(Protocol):
    """What resolution asks of the store (``GraphStore`` provides it)."""

    def people_by_keys(self, keys: Collection[str]) -> dict[str, Sequence[str]]: ...
    def every_person_key(self, asked: int) -> Iterator[tuple[str, str]] | None: ...
    def organizations_by_keys(self, keys: Sequence[str]) -> dict[str, Sequence[str]]: ...
    def get_organizations(self, ids: Sequence[str]) -> dict[str, Organization]: ...
    def get_people(self, ids: Sequence[str]) -> dict[str, Person]: ...
    def sources_of_people(self, ids: Sequence[str]) -> dict[str, Set[str]]: ...
    def every_person_sources(self, asked: int) -> Iterator[tuple[str, Set[str]]] | None: ...
    def list_reps(self) -> list[Rep]: ...
    def archive_people(self, rep: Rep, kinds: Collection[str], *, without_url: bool = False
                       ) -> list[tuple[str, str, date | None]]: ...


@dataclass
class Resolution:
    batches: Iterator[GraphBatch]  # read once, in order, inside the import's transaction
    merges: list[Merge] = field(default_factory=list)  # the first MERGES_LISTED merges made, by name
    merges_made: int = 0  # all of them
    people_added: int = 0
    people_merged: int = 0
    people_known: int = 0  # people already in the store that the records name
    known_by: dict[str, int] = field(default_factory=dict)  # of people_known, how many by each rule (rules.HOW_KNOWN)
    notes: list[tuple[ParsedFile, int | None, str]] = field(default_factory=list)  # (file, row, warning)


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
        self.result = Resolution(iter(()))
        self.absorbed: dict[str, str] = {}  # known person id -> the known person id it merges into
        self._org_keys_of: dict[tuple[str, tuple[str, ...]], list[str]] = {}
        self.org_by_domain: dict[str, str] = {}  # a company's domain -> its organisation (this import's and the store's)
        self._bare_domains: set[str] = set()
        self._org_of_brand: dict[str, set[str]] = {}  # brand: and lead: keys -> this import's organisations with them  # work-address domains of contacts without a company
        self.archive_anchors = True  # see _archive_anchors
        self.owner_keys: dict[str, str] = {}  # the owner's keys from their own files' profiles -> their e-mail

    # -- evidence -----------------------------------------------------------------------------
    def ev(self, f: ParsedFile, row: int | None, fact: str, owner: str | None = None) -> Evidence:
        who = owner or (self.owner.email if self.owner and not f.team_file else TEAM)
        return Evidence(self.import_id, f.name, fact, owner=who, row=row, file_sha256=f.sha256)

    # -- organisations ------------------------------------------------------------------------
    def resolve_orgs(self, files: list[ParsedFile]) -> None:
        """Cluster every organisation the files mention.

        Mentions are numbered in file order: companies, targets, contacts' employers, positions. An
        employer mention identical to an earlier one of the same file (same name and domains) and with a
        match key is left out: it falls in the same cluster, maps to the same organisation and asserts
        nothing (one assertion of an employer per file), so leaving it out changes nothing but the work.
        """
        # (number, file index, file, row, fact, name, domains, match keys, the organisation as the file
        # says, None for an employer: a name and domains, nothing else)
        mentions: list[tuple] = []
        n = 0
        for i, f in enumerate(files):
            target_rows = {t.row for t in f.targets}  # a target row's company record says less than its target
            for c in f.companies:
                if c.row in target_rows:
                    continue
                org = Organization("?", c.name, domains=c.domains, is_customer=c.is_customer, is_target=c.is_target,
                                   is_partner=c.is_partner)
                mentions.append((n, i, f, c.row, c.fact, org.name, org.domains, self._org_keys(org.name, org.domains), org))
                n += 1
            for t in f.targets:
                owner = t.owner_rep_email
                org = Organization("?", t.account or t.domain or "", domains=(t.domain,) if t.domain else (),
                                   is_target=True, target_owner=owner, priority=t.priority)
                mentions.append((n, i, f, t.row, "target", org.name, org.domains, self._org_keys(org.name, org.domains), org))
                n += 1
            employers: set[tuple[str, str | None]] = set()  # (name, domain) of the employer mentions kept
            employments = itertools.chain(f.contacts.columns("row", "company", "company_domain", "emails"),
                                          ((row, company, None, ()) for row, company in f.positions.columns("row", "company")))
            for row, company, domain, emails in employments:  # read once, not kept
                if not company:  # a contact without a company: their work address may name it (below)
                    self._bare_domains.update(d for e in emails if not is_free_mail(d := e.rsplit("@", 1)[1]))
                    continue
                # The company's own domain: the row's, else a work address that spells the company's name.
                domain = domain or next((d for e in emails if domain_fits(company, d := e.rsplit("@", 1)[1])), None)
                if (company, domain) not in employers:
                    if domain and domain != domain.lower():
                        Organization("?", company, domains=(domain,))  # refused by the model, as any other would be
                    domains = (domain,) if domain else ()
                    keys = self._org_keys(company, domains)
                    if keys:  # a mention without keys is its own cluster: never left out
                        employers.add((company, domain))
                    mentions.append((n, i, f, row, "employer", company, domains, keys, None))
                n += 1
        self._cluster_orgs(mentions)
        self._place_bare_domains()

    def _place_bare_domains(self) -> None:
        """The organisation of each work domain of contacts without a company: the one with that domain,
        else the one its brand names (``bexhill.example.com``: "Bexhill") when that one has no domain of its
        own, in this import or the store."""
        left = sorted(d for d in self._bare_domains if d not in self.org_by_domain)
        if not left:
            return
        found = self.known.organizations_by_keys([f"domain:{d}" for d in left])
        labels = {d: domain_label(d) for d in left if len(domain_label(d)) >= 4}
        wanted = sorted({f"{kind}:{label}" for label in labels.values() for kind in ("brand", "lead")})
        found_named = self.known.organizations_by_keys(wanted) if wanted else {}
        named = sorted({o for ids in found_named.values() for o in ids})
        stored = self.known.get_organizations(named) if named else {}
        domains_of: dict[str, set[str]] = {}
        for domain, org in self.org_by_domain.items():
            domains_of.setdefault(org, set()).add(domain)
        for org_id, org in stored.items():
            domains_of.setdefault(org_id, set()).update(org.domains)
        for d in left:
            if f"domain:{d}" in found:
                self.org_by_domain[d] = found[f"domain:{d}"][0]
                continue
            for kind in ("brand", "lead") if d in labels else ():  # the one organisation its name spells
                key = f"{kind}:{labels[d]}"
                orgs = self._org_of_brand.get(key, set()) | set(found_named.get(key, ()))
                # A company with its own, different domain is not this address's (dunstan81.example.com is
                # not Dunstan Paper Mills of dunstan.example.com).
                orgs = {o for o in orgs if not domains_of.get(o)}
                if len(orgs) == 1:
                    self.org_by_domain[d] = orgs.pop()
                    break
                if orgs:
                    break  # several companies: the address alone cannot tell which

    def _cluster_orgs(self, mentions) -> None:
        keys_of = [m[7] for m in mentions]
        existing = self.known.organizations_by_keys(sorted({k for ks in keys_of for k in ks}))
        uf, first = UnionFind(len(mentions)), {}
        domains_of = {n: set(m[6]) for n, m in enumerate(mentions) if m[6]}  # a cluster's domains, by its root
        for n, keys in enumerate(keys_of):
            for k in keys:
                other = first.setdefault(k, n)
                if other == n or k[0] == "l":  # a lead word never joins two companies
                    continue
                a, b = uf.find(n), uf.find(other)
                if a == b:
                    continue
                if k[0] == "b" and domains_of.get(a) and domains_of.get(b) and not domains_of[a] & domains_of[b]:
                    continue  # a brand never joins two companies that have their own, different domains
                root = uf.union(a, b)
                domains_of[root] = domains_of.pop(a, set()) | domains_of.pop(b, set())
        branded = sorted({o for k, ids in existing.items() if k[0] == "b" for o in ids})
        known_orgs = self.known.get_organizations(branded) if branded else {}
        seen_in_file: set[tuple[str, str]] = set()
        org_of, org_items, ev = self.org_of, self.org_items, self.ev
        for members in uf.groups():
            keys = sorted({k for n in members for k in keys_of[n]}, key=_id_first)
            found = [existing[k][0] for k in keys if k in existing and k[0] != "l" and (k[0] != "b" or self._brand_fits(
                existing[k], {d for n in members for d in mentions[n][6]}, known_orgs))] if existing else None
            org_id = found[0] if found else stable_id("o", keys[0] if keys else f"{self.import_id}:{mentions[members[0]][0]}")
            for k in keys:
                if k.startswith("domain:"):
                    self.org_by_domain[k[7:]] = org_id
                elif k.startswith(("brand:", "lead:")):
                    self._org_of_brand.setdefault(k, set()).add(org_id)
            for n in members:
                _, i, f, row, fact, name, domains, _, org = mentions[n]
                org_of[(i, name)] = org_id
                if fact == "employer" and (f.sha256, org_id) in seen_in_file:
                    continue  # one assertion of an employer per file is enough
                seen_in_file.add((f.sha256, org_id))
                if org is None:
                    value = Organization(org_id, name, domains=domains)
                else:
                    value = Organization(org_id, name, domains=domains, is_customer=org.is_customer,
                                         is_target=org.is_target, is_partner=org.is_partner,
                                         target_owner=org.target_owner, priority=org.priority)
                org_items.append(Asserted(value, ev(f, row, fact)))

    @staticmethod
    def _brand_fits(ids: Sequence[str], domains: set[str], known_orgs: dict) -> bool:
        """Whether a brand key's known organisation is this cluster's: it names one organisation, and
        not one with its own domains when the cluster has other ones."""
        if len(ids) != 1:
            return False  # a brand that names several known organisations decides nothing
        org = known_orgs.get(ids[0])
        return not (domains and org is not None and org.domains and not domains & set(org.domains))

    def _org_keys(self, name: str, domains: tuple[str, ...]) -> list[str]:
        """Match keys of an organisation (computed once per name and domains)."""
        keys = self._org_keys_of.get((name, domains))
        if keys is None:
            keys = [f"domain:{d}" for d in domains]
            k = org_key(name)
            if k:
                keys.append(f"org:{k}")
            keys += sorted(brand_keys([name], list(domains)) | lead_keys([name]))  # last: an id is never made of one
            self._org_keys_of[(name, domains)] = keys
        return keys

    # -- people -------------------------------------------------------------------------------
    def record_keys(self, i: int, url: str | None, emails: tuple[str, ...], name: str | None, company: str | None,
                    name_only_in_archive: bool, archive: str | None, phones: tuple[str, ...] = (),
                    connected_on: date | None = None, fact: str = "contact") -> list[str]:
        """The match keys of a contact record of file i (given by its fields), by the rules of
        :mod:`ingest.resolve.rules`, strongest rule first (``rules.order``). ``archive`` is whose archive
        the file is part of (the owner's address; None for team files, whose rows name their own rep)."""
        keys = rules.linkedin_key(url) + rules.email_keys(sorted(emails) if len(emails) > 1 else emails)
        nk = name_key(name)
        if not nk:
            return keys
        in_archive = archive is not None and (name_only_in_archive or fact in rules.ARCHIVE_FACTS)
        if nk in self.rep_names and (self._on_the_team(i, emails, company)
                                     or (in_archive and not (url or emails or company))):
            # A teammate: placed at the team's company, or named alone in the owner's archive (old messages)
            keys.append(rules.teammate_key(self.rep_names[nk].email))  # as strong as an e-mail, after them by text
        org_id = self.org_of.get((i, company)) if company else self.org_of_address(emails)
        if org_id:  # a CRM contact whose company shows only as the e-mail domain counts as working there
            keys.append(rules.name_at_organization_key(nk, org_id))
        if in_archive and (url is None or self.archive_anchors):
            if connected_on:
                keys.append(rules.connection_key(archive, nk, connected_on))
            keys.append(rules.archive_name_key(archive, nk))
        elif archive and not keys:
            keys.append(rules.card_key(archive, nk, phones, fold_text(name)))
        return keys

    def org_of_address(self, emails: tuple[str, ...]) -> str | None:
        return next((o for e in emails if (o := self.org_by_domain.get(e.rsplit("@", 1)[1]))), None)

    def _on_the_team(self, i: int, emails: tuple[str, ...], company: str | None) -> bool:
        """A record names a teammate when it places them at the team's company: by e-mail domain, by a
        company the reps work at, or by a company named like the reps' e-mail domain (Tidewell Systems
        for tidewell.example.com)."""
        if any(e.rsplit("@", 1)[1] in self.team_domains for e in emails):
            return True
        if not company:
            return False
        key = org_key(company) or ""
        return self.org_of.get((i, company)) in self.team_orgs or key.split(" ")[0] in self.team_words

    def resolve_people(self, files: list[ParsedFile]) -> People:
        """Who each contact record is (see ``ingest.resolve.people``)."""
        return PeopleResolver(self, files).resolve()

    # -- the team -----------------------------------------------------------------------------
    def all_reps(self) -> dict[str, Rep]:
        return {**self.reps, **self.new_reps}

    def rep_for_email(self, f: ParsedFile, email: str, display: str | None = None) -> Rep:
        """The rep with this e-mail, created (and reported) when the team does not have them yet."""
        rep = self.all_reps().get(email)
        if rep is None:
            person_id = self.known.people_by_keys([f"email:{email}"]).get(f"email:{email}", [None])[0]
            known = self.known.get_people([person_id]).get(person_id) if person_id else None
            name = display or (known.name if known and known.name else email)  # never made up from the local part
            rep = Rep(email=email, person_id=person_id or stable_id("p", f"email:{email}"), name=name)
            self.new_reps[email] = rep
            self.result.notes.append((f, None, f"{name} <{email}> joined the team as a rep"))
        return rep

    def prepare_team(self, files: list[ParsedFile]) -> None:
        self._files = files
        """Reps named by team files, the owner, and how to recognise teammates in contact lists."""
        if self.owner and self.owner.email not in self.reps:
            self.new_reps[self.owner.email] = self.owner
        for f in files:
            for t in f.ties:
                if t.a[:11] == "@rep-email:":
                    self.rep_for_email(f, t.a.split(":", 1)[1])
                if t.b[:11] == "@rep-email:":
                    self.rep_for_email(f, t.b.split(":", 1)[1])
                if t.reported_by:
                    self.rep_for_email(f, t.reported_by)
            for target in f.targets:
                if target.owner_rep_email:
                    self.rep_for_email(f, target.owner_rep_email)
        self.rep_names = _rep_names(self.all_reps().values())
        self.team_domains = {r.email.rsplit("@", 1)[1] for r in self.all_reps().values()}
        self.team_words = {d.split(".")[0] for d in self.team_domains}
        self.team_orgs = {self.org_of[(i, p.company)] for i, f in enumerate(files) for p in f.positions
                          if p.who == OWNER and p.current and (i, p.company) in self.org_of}
        domain_keys = [f"domain:{d}" for d in sorted(self.team_domains)]
        self.team_orgs |= {o for ids in self.known.organizations_by_keys(domain_keys).values() for o in ids}
        self.team_orgs |= {self.org_by_domain[d] for d in self.team_domains if d in self.org_by_domain}
        self._never_a_target()
        self._adopt_known_teammates()
        self._bind_owner(files)
        self.archive_anchors = self._archive_anchors(files)

    def _archive_anchors(self, files: list[ParsedFile]) -> bool:
        """Whether records with a LinkedIn URL need their archive-name keys: only when something may name
        them by name alone, a record of this import's archives without a URL (old messages, an old
        export) or a person without a URL of the owner's archive in the graph. Otherwise their URL says it
        all, and the keys are not made (a re-import of a large archive makes a third of the keys)."""
        for f in files:
            if f.team_file:
                continue
            for url, fact, name_only in f.contacts.columns("linkedin_url", "fact", "name_only_in_archive"):
                if url is None and (name_only or fact in rules.ARCHIVE_FACTS):
                    return True
        if self.owner is None:
            return False
        return bool(self.known.archive_people(self.owner, rules.ARCHIVE_KINDS, without_url=True))

    def _bind_owner(self, files: list[ParsedFile]) -> None:
        """The owner of the files is the rep the user named, and exactly one person.

        Each file's own profile (Profile.csv, Email Addresses.csv, the owner's side of messages.csv)
        that agrees with the rep adds its keys to the rep: known people holding them (a teammate's
        export that named the rep by LinkedIn URL before the rep imported their own archive) become
        the rep's person. A profile that contradicts the rep (another rep's address, a LinkedIn URL
        other than the rep's, another name and no shared key) is not applied and never renames or
        rebinds the rep: the file's report says so."""
        if self.owner is None:
            return
        email = self.owner.email
        owner = self.all_reps()[email]
        person = self.known.get_people([owner.person_id]).get(owner.person_id)
        rep_name = person.name if person and person.name else owner.name
        rep_url = person.linkedin_url if person else None
        profiles = [(f, f.owner) for f in files if f.owner is not None and not f.team_file]
        keys = {f"email:{email}"}
        for _, profile in profiles:
            keys |= _profile_keys(profile)
        found = self.known.people_by_keys(sorted(keys))
        reps_by_person = {r.person_id: r for r in self.all_reps().values() if r.email != email}
        for f, profile in profiles:
            why = self._profile_conflict(profile, found, reps_by_person, rep_name, rep_url, owner)
            if why:
                f.owner = None  # neither applied to the rep nor made a person of its own
                self.result.notes.append((f, None, f"{f.name}: {why}: the file's own profile was not applied to the rep "
                                                f"{rep_name} <{email}> (import it with that person's --owner if it is theirs)"))
            elif profile.linkedin_url:
                rep_url = rep_url or profile.linkedin_url
                self.owner_keys["linkedin:" + profile.linkedin_url] = email
            for e in (profile.emails if f.owner is not None else ()):
                self.owner_keys["email:" + e] = email
        others = list(dict.fromkeys(pid for k in sorted(keys) if k in found and (k in self.owner_keys or k == f"email:{email}")
                                    for pid in found[k] if pid != owner.person_id and pid not in reps_by_person))
        if others and email in self.new_reps and owner.person_id == stable_id("p", f"email:{email}") and person is None:
            owner = self.new_reps[email] = Rep(email, others.pop(0), owner.name, owner.role)  # a new rep the graph knows
        people = self.known.get_people(others) if others else {}
        for other in others:
            url = people[other].linkedin_url if other in people else None
            if url and rep_url and url != rep_url:
                continue  # two LinkedIn profiles are never one person
            self.absorbed[other] = owner.person_id
            self.result.merges_made += 1
            self.result.merges.append(Merge(owner.person_id, rep_name, "the rep's own profile (same LinkedIn URL or e-mail)"))
        self.owner = owner
        self.rep_names = _rep_names(self.all_reps().values())

    @staticmethod
    def _profile_conflict(profile, found, reps_by_person, rep_name, rep_url, owner) -> str | None:
        """Why a file's own profile is not the rep's (None: it is, as far as the file tells)."""
        for k in sorted(_profile_keys(profile)):
            other = next((reps_by_person[p] for p in found.get(k, ()) if p in reps_by_person), None)
            if other is not None:
                return f"the file's own profile is {other.name} <{other.email}>, another rep"
        if profile.linkedin_url:
            if rep_url and profile.linkedin_url != rep_url:
                return f"the file's own LinkedIn profile {profile.linkedin_url} is not the rep's ({rep_url})"
            if owner.person_id in found.get("linkedin:" + profile.linkedin_url, ()):
                return None  # the rep's own URL: whatever the name says
        if any(owner.person_id in found.get("email:" + e, ()) for e in profile.emails):
            return None
        if profile.name and name_key(profile.name) and name_key(rep_name) and "@" not in rep_name \
                and name_key(profile.name) != name_key(rep_name):
            return f"the file's own profile names {profile.name}, not {rep_name}"
        return None

    def _never_a_target(self) -> None:
        """The team's own employer (the reps' e-mail domain) is never a target account or a customer."""
        for n, item in enumerate(self.org_items):
            org = item.value
            if org.id in self.team_orgs and (org.is_target or org.is_customer):
                self.org_items[n] = Asserted(Organization(org.id, org.name, domains=org.domains, is_partner=org.is_partner),
                                             item.evidence)
                what = "a target account" if org.is_target else "a customer"
                self.result.notes.append((self._file_named(item.evidence.file), item.evidence.row,
                                          f"{org.name} is the team's own company: not taken as {what}"))

    def _file_named(self, name: str) -> ParsedFile | None:
        return next((f for f in self._files if f.name == name), None)

    def _adopt_known_teammates(self) -> None:
        """A new rep who is already in the graph as a contact at the team's company becomes that person."""
        wanted = {f"name:{name_key(r.name)}|{o}": email for email, r in self.new_reps.items()
                  for o in sorted(self.team_orgs) if name_key(r.name) and r.person_id == stable_id("p", f"email:{email}")}
        for key, ids in self.known.people_by_keys(sorted(wanted)).items():
            rep = self.new_reps[wanted[key]]
            self.new_reps[rep.email] = Rep(rep.email, ids[0], rep.name, rep.role)
        self.rep_names = _rep_names(self.all_reps().values())

def _id_first(key: str) -> tuple[bool, str]:
    """Organisation keys in the order their id is made of the first: domains and names before brand and
    lead words (which several organisations may share)."""
    return key.startswith(("brand:", "lead:")), key


def _rep_names(reps) -> dict[str, Rep]:
    """Reps by the name key a teammate's contact list would show them under. A rep known only by their
    address (no profile yet) is looked for under the name its local part spells (ruth.okonjo@: Ruth
    Okonjo), at the team's company only; that guess is never shown as the rep's name."""
    names = {}
    for r in reps:
        name = r.name if "@" not in r.name else " ".join(r.email.split("@")[0].replace("_", ".").split("."))
        if key := name_key(name):
            names[key] = r
    return names


def _profile_keys(profile) -> set[str]:
    keys = {f"email:{e}" for e in profile.emails}
    if profile.linkedin_url:
        keys.add("linkedin:" + profile.linkedin_url)
    return keys


def resolve(files: list[ParsedFile], known: Known, import_id: str, *, owner: Rep | None = None,
            visibility: Visibility = Visibility.EXISTENCE) -> Resolution:
    """Resolve the parsed files of one import into the facts they assert.

    Parameters:
        files: what the parsers made of each file (file-level failures left out). Their records are
            consumed as ``Resolution.batches`` is read.
        known: the store's lookups.
        import_id: the import the evidence is recorded under.
        owner: the rep whose data the non-team files are (``OWNER`` ties need one).
        visibility: the default visibility of the relationships this import brings.

    Returns:
        The batches of facts (read them once, in order), the merges made (with reasons), and notes to
        add to the file reports (complete once the batches have been read).
    """
    r = Resolver(known, import_id, owner, visibility)
    r.resolve_orgs(files)
    r.prepare_team(files)
    people = r.resolve_people(files)
    r.result.batches = fact_batches(r, files, people)
    return r.result
