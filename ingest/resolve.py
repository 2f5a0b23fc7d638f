"""One person per human: decide who the records of one import's files are, matched against what the
store already knows; :mod:`ingest.resolve_facts` then turns them into batches of asserted facts.

Organisations are resolved first (by domain, then normalised name), then people: records sharing
a LinkedIn URL or an e-mail are one person; so are records with the same name at the same
organisation; within one owner's archive a name alone links files without URLs. Two records with
different LinkedIn URLs are never merged. Every merge is reported with its reason. Identity is
decided over all the import's records at once (a later record can decide an earlier one's id), so
only the facts are streamed.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence, Set
from dataclasses import dataclass, field
from typing import Protocol

from graphapp.identity import name_key, org_key, stable_id
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
from ingest.records import ONE_ROW_PER_PERSON, OWNER, ContactRecord, ParsedFile
from ingest.resolve_facts import fact_batches

STRENGTH = {"linkedin": 0, "email": 1, "rep": 1, "name": 2, "aname": 3}
REASONS = {"linkedin": "same LinkedIn profile URL", "email": "same e-mail address", "rep": "a teammate on the same team",
           "name": "same name at the same organisation", "aname": "same name within the owner's archive"}


class Known(Protocol):
    """What resolution asks of the store (``GraphStore`` provides it)."""

    def people_by_keys(self, keys: Collection[str]) -> dict[str, Sequence[str]]: ...
    def organizations_by_keys(self, keys: Sequence[str]) -> dict[str, Sequence[str]]: ...
    def get_people(self, ids: Sequence[str]) -> dict[str, Person]: ...
    def sources_of_people(self, ids: Sequence[str]) -> dict[str, Set[str]]: ...
    def list_reps(self) -> list[Rep]: ...


@dataclass(frozen=True)
class Merge:
    person_id: str
    name: str
    reason: str


@dataclass
class Resolution:
    batches: Iterator[GraphBatch]  # read once, in order, inside the import's transaction
    merges: list[Merge] = field(default_factory=list)
    people_added: int = 0
    people_merged: int = 0
    people_known: int = 0  # people already in the store that the records name
    notes: list[tuple[ParsedFile, int | None, str]] = field(default_factory=list)  # (file, row, warning)


# STRENGTH by a key's first character (linkedin:, email:, rep:, name:, aname: start differently).
_STRENGTH_OF = {kind[0]: strength for kind, strength in STRENGTH.items()}


def _strength(key: str) -> int:
    return _STRENGTH_OF[key[0]]


def _strength_and_key(key: str) -> tuple[int, str]:
    return _STRENGTH_OF[key[0]], key


def _by_strength(keys: list[str]) -> list[str]:
    """``sorted(keys, key=_strength)``; the list itself when already in that order (most are)."""
    previous = -1
    for k in keys:
        strength = _STRENGTH_OF[k[0]]
        if strength < previous:
            return sorted(keys, key=_strength)
        previous = strength
    return keys


def _by_strength_and_key(keys: list[str]) -> list[str]:
    """``sorted(set(keys), key=_strength_and_key)``; the list itself when its strengths strictly increase."""
    previous = -1
    for k in keys:
        strength = _STRENGTH_OF[k[0]]
        if strength <= previous:
            return sorted(set(keys), key=_strength_and_key)
        previous = strength
    return keys


class _UnionFind:
    """Union-find over 0..size-1; a set's root is its smallest member."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = x = parent[parent[x]]
        return x

    def union(self, a: int, b: int) -> int:
        """Join the sets of a and b; returns the root of the joined set."""
        ra, rb = self.find(a), self.find(b)
        if ra < rb:
            self.parent[rb] = ra
            return ra
        self.parent[ra] = rb
        return rb

    def clusters(self) -> _Clusters:
        """The sets, each in ascending order, ordered by their smallest member (this union-find is done with)."""
        return _Clusters(self.parent)


class _Clusters:
    """The sets of a finished union-find, ordered by their smallest member. A set of one member, which
    most records of an import are, is made as it is read: a list for each would be a tenth of a large
    import's memory."""

    def __init__(self, parent: list[int]) -> None:
        # A parent is never larger than its child (roots are smallest members, halving skips to a
        # grandparent), so walking up the members in order finds each parent's root known already;
        # each entry becomes its root in place.
        roots, several = parent, {}
        for n, up in enumerate(roots):
            if up != n:
                roots[n] = root = roots[up]
                if root in several:
                    several[root].append(n)
                else:
                    several[root] = [root, n]
        self._roots, self._several = roots, several

    def __iter__(self) -> Iterator[list[int]]:
        several = self._several
        for n, root in enumerate(self._roots):
            if root == n:
                yield several.get(n) or [n]

    def several(self) -> list[list[int]]:
        """The sets of more than one member, in the same order."""
        return [self._several[root] for root in sorted(self._several)]


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
            employments = [(c.row, c.company, c.company_domain or None) for c in f.contacts if c.company]
            employments += [(p.row, p.company, None) for p in f.positions]
            for row, company, domain in employments:
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

    def _cluster_orgs(self, mentions) -> None:
        keys_of = [m[7] for m in mentions]
        existing = self.known.organizations_by_keys(sorted({k for ks in keys_of for k in ks}))
        uf, first = _UnionFind(len(mentions)), {}
        for n, keys in enumerate(keys_of):
            for k in keys:
                other = first.setdefault(k, n)
                if other != n:
                    uf.union(n, other)
        seen_in_file: set[tuple[str, str]] = set()
        org_of, org_items, ev = self.org_of, self.org_items, self.ev
        for members in uf.clusters():
            keys = sorted({k for n in members for k in keys_of[n]}) if len(members) > 1 else sorted(keys_of[members[0]])
            found = [existing[k][0] for k in keys if k in existing] if existing else None
            org_id = found[0] if found else stable_id("o", keys[0] if keys else f"{self.import_id}:{mentions[members[0]][0]}")
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

    def _org_keys(self, name: str, domains: tuple[str, ...]) -> list[str]:
        """Match keys of an organisation (computed once per name and domains)."""
        keys = self._org_keys_of.get((name, domains))
        if keys is None:
            keys = [f"domain:{d}" for d in domains]
            k = org_key(name)
            if k:
                keys.append(f"org:{k}")
            self._org_keys_of[(name, domains)] = keys
        return keys

    # -- people -------------------------------------------------------------------------------
    def person_keys(self, files: list[ParsedFile]) -> tuple[list[tuple], list[tuple[str, ...]]]:
        """Every contact record as a mention ``(file index, file, record)``,
        and its match keys: LinkedIn URL, e-mails, name at organisation, name within the owner's archive,
        teammate."""
        org_of, rep_names = self.org_of, self.rep_names
        mentions, keys_of = [], []
        for i, f in enumerate(files):
            archive = None if f.team_file else f"aname:{self.owner.email if self.owner else f.sha256}|"
            for c in f.contacts:
                url = c.linkedin_url
                mentions.append((i, f, c))
                keys = ["linkedin:" + url] if url else []
                if c.emails:
                    keys += ["email:" + e for e in c.emails]
                nk = name_key(c.name)
                if nk:
                    if c.company and (org := (i, c.company)) in org_of:
                        keys.append(f"name:{nk}|{org_of[org]}")
                    if archive and (c.name_only_in_archive or not keys):
                        keys.append(archive + nk)
                    if nk in rep_names and self._on_the_team(i, c):
                        keys.append("rep:" + rep_names[nk].email)
                keys_of.append(tuple(keys))  # a tuple: a third of the list's size, for each record
        return mentions, keys_of

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

    def resolve_people(self, files: list[ParsedFile]) -> list[dict[str, str]]:
        """Cluster every contact record; returns each file's ref -> person id (by file index)."""
        mentions, keys_of = self.person_keys(files)
        # Each key once, not aname: or rep: (in first-seen order: the answer does not depend on it).
        lookup = {k: k for ks in keys_of for k in ks if k[0] not in "ar"}  # each once, mapped to itself
        existing = self.known.people_by_keys(lookup)
        del lookup  # as large as the keys: not kept while the records are clustered
        for rep in self.all_reps().values():
            existing[f"rep:{rep.email}"] = [rep.person_id]
            existing[f"email:{rep.email}"] = [rep.person_id]
        self._drop_url_conflicts(existing, mentions, keys_of)
        # Strongest keys first: records are taken in order of their strongest key, each record's keys
        # strongest first. A cluster's LinkedIn URL (at most one: two URLs never join) is kept by its root.
        uf, first = _UnionFind(len(mentions)), {}
        url_of = [c.linkedin_url for _, _, c in mentions]  # a root's: its cluster's
        by_strength: dict[int, list[int]] = {s: [] for s in sorted({*STRENGTH.values(), 9})}
        strength_of = _STRENGTH_OF
        strongest: list[str | None] = []  # each record's first key by (strength, key) when plain to see
        for n, keys in enumerate(keys_of):
            if len(keys) == 2:  # most records: no need to sort when already in order
                s0, s1 = strength_of[keys[0][0]], strength_of[keys[1][0]]
                if s0 > s1:
                    keys = keys_of[n] = (keys[1], keys[0])
                strongest.append(keys[0] if s0 != s1 else None)
            elif len(keys) > 2:
                keys = keys_of[n] = _by_strength(keys)
                strongest.append(None)
            else:
                strongest.append(keys[0] if keys else None)
            by_strength[strength_of[keys[0][0]] if keys else 9].append(n)
        find, parent = uf.find, uf.parent
        for n in [n for group in by_strength.values() for n in group]:
            for k in keys_of[n]:
                other = first.setdefault(k, n)
                if other == n:
                    continue  # the key's first record: nothing to join
                ra, rb = find(n), find(other)
                if ra == rb:
                    continue
                url_a, url_b = url_of[ra], url_of[rb]
                if url_a and url_b and url_a != url_b:  # two different LinkedIn profiles are never one person
                    if k[0] == "e":  # the same address on two profiles: worth a look
                        self._note_kept_apart(mentions[n], mentions[other], k)
                    continue
                root, child = (ra, rb) if ra < rb else (rb, ra)
                parent[child] = root
                if url_a or url_b:
                    url_of[root] = url_a or url_b
        del by_strength, first, url_of
        clusters = uf.clusters()
        self._note_duplicates(mentions, keys_of, clusters)
        person_of: list[dict[str, str]] = [{} for _ in files]
        self._assign_people(mentions, keys_of, existing, clusters, strongest, person_of)
        return person_of

    def _note_kept_apart(self, mention: tuple, other: tuple, key: str) -> None:
        _, f, c = mention
        _, g, d = other
        where = f"row {d.row}" if g is f else f"{g.name} row {d.row}"
        self.result.notes.append((f, c.row, f"{key.split(':', 1)[1]} is also on {where}, with another LinkedIn profile: "
                                            "kept as two people (two LinkedIn profiles are never one person)"))

    def _note_duplicates(self, mentions, keys_of, clusters) -> None:
        """A row of a file that lists each person once (a contact list, connections, a CRM export) that
        is the same person as an earlier row of that file is merged into it and noted on that row, with
        why: "same person as row 2 (same e-mail address)". Files where a person has many rows (meetings,
        messages, a relationships sheet) are not noted."""
        for members in clusters.several():
            if len({mentions[n][0] for n in members}) == len(members):
                continue  # one record per file: nothing to note
            by_file: dict[int, list[int]] = {}
            for n in members:
                if mentions[n][2].fact in ONE_ROW_PER_PERSON:
                    by_file.setdefault(mentions[n][0], []).append(n)
            for same in by_file.values():
                same.sort(key=lambda n: mentions[n][2].row)
                seen: set[str] = set(keys_of[same[0]])
                for n in same[1:]:
                    shared = [k for k in keys_of[n] if k in seen]
                    why = REASONS[min(shared, key=_strength).split(":")[0]] if shared else "linked through other records"
                    f, c, first = mentions[n][1], mentions[n][2], mentions[same[0]][2]
                    self.result.notes.append((f, c.row, f"same person as row {first.row} ({why}): merged into one"))
                    seen.update(keys_of[n])

    def _drop_url_conflicts(self, existing, mentions, keys_of) -> None:
        """No key (a name, an e-mail, a teammate's) may attach a record to a known person with another
        LinkedIn URL: two LinkedIn profiles are never one person. The record is kept apart; when an
        e-mail would have joined them, its row says so (the same address on two profiles is worth a look)."""
        # Only records with a URL can conflict, and a known person found under that URL's own key has
        # that URL (the key is made from it): the URLs of the others are looked up.
        unsure: set[str] = set()
        for n, (_, _, c) in enumerate(mentions):
            if url := c.linkedin_url:
                same = existing.get("linkedin:" + url, ())
                for k in keys_of[n]:
                    if k[0] != "l" and k in existing:  # all but the record's own linkedin: key
                        unsure.update(pid for pid in existing[k] if pid not in same)
        known = {pid: p for pid, p in self.known.get_people(sorted(unsure)).items() if p.linkedin_url}
        if not known:
            return  # no known person under another key has a URL: nothing can conflict
        for n, (_, f, c) in enumerate(mentions):
            url = c.linkedin_url
            if not url:
                continue
            dropped = set()
            for k in keys_of[n]:
                if k[0] == "l":
                    continue
                other = next((known[pid] for pid in existing.get(k, ()) if pid in known
                              and known[pid].linkedin_url != url), None)
                if other is not None:
                    dropped.add(k)
                    if k[0] == "e":
                        self.result.notes.append((f, c.row, (
                            f"{k.split(':', 1)[1]} is {other.name}'s in the graph, who has another LinkedIn profile: "
                            "kept as two people (two LinkedIn profiles are never one person)")))
            if dropped:
                keys_of[n] = tuple(x for x in keys_of[n] if x not in dropped)

    def _assign_people(self, mentions, keys_of, existing, clusters, strongest, person_of: list[dict[str, str]]) -> None:
        """Give each record its person (``person_of[file index][ref]``): known, or new."""
        matched: dict[str, list[int]] = {}
        added = 0
        known_keys = existing.keys()
        for members in clusters:
            if len(members) == 1:
                n = members[0]
                keys = keys_of[n]
                if known_keys.isdisjoint(keys):  # the common case: a new person from one record
                    key = strongest[n] or (_by_strength_and_key(keys)[0] if keys else f"{self.import_id}:{n}")
                    person_of[mentions[n][0]][mentions[n][2].ref] = stable_id("p", key)
                    added += 1
                    continue
                if len(keys) > 1:
                    keys = _by_strength_and_key(keys)
                found = [(k, existing[k][0]) for k in keys if k in existing]
                if found:
                    person_id = found[0][1]
                    matched.setdefault(person_id, []).append(n)
                    others = [pid for _, pid in found[1:] if pid != person_id]
                    if others:  # else _absorb has nothing to do
                        self._absorb(person_id, others, mentions[n][2])
                else:
                    person_id = stable_id("p", keys[0] if keys else f"{self.import_id}:{n}")
                    added += 1
                person_of[mentions[n][0]][mentions[n][2].ref] = person_id
                continue
            if not any(not known_keys.isdisjoint(keys_of[n]) for n in members):
                # A new person from several records: only the first of their keys matters (the id, the
                # reason of the merge), the first of each record's first keys.
                firsts = [strongest[n] or _by_strength_and_key(keys_of[n])[0] for n in members if keys_of[n]]
                key = min(firsts, key=_strength_and_key) if firsts else f"{self.import_id}:{members[0]}"
                person_id = stable_id("p", key)
                added += 1
                sha = mentions[members[0]][1].sha256
                if any(mentions[n][1].sha256 != sha for n in members):  # records of more than one file
                    self._merged(person_id, mentions[members[0]][2], [key] if firsts else [])
                for n in members:
                    person_of[mentions[n][0]][mentions[n][2].ref] = person_id
                continue
            keys = sorted({k for n in members for k in keys_of[n]}, key=_strength_and_key)
            found = [(k, existing[k][0]) for k in keys if k in existing]
            if found:
                person_id = found[0][1]
                matched.setdefault(person_id, []).extend(members)
                self._absorb(person_id, [pid for _, pid in found[1:]], mentions[members[0]][2])
            else:
                person_id = stable_id("p", keys[0] if keys else f"{self.import_id}:{members[0]}")
                added += 1
            shas = {mentions[n][1].sha256 for n in members}
            if len(shas) > 1 and not found:
                self._merged(person_id, mentions[members[0]][2], keys)
            for n in members:
                person_of[mentions[n][0]][mentions[n][2].ref] = person_id
        self.result.people_added += added
        self.result.people_known = len(matched)
        if self.absorbed:
            for of_file in person_of:
                for ref, pid in of_file.items():
                    while pid in self.absorbed:
                        pid = self.absorbed[pid]
                    of_file[ref] = pid
        sources = self.known.sources_of_people(sorted(matched))
        for person_id, members in matched.items():
            known = sources.get(person_id)
            if not known:
                continue
            if len(members) == 1:
                new_file = mentions[members[0]][1].sha256 not in known
            else:
                new_file = bool({mentions[n][1].sha256 for n in members} - known)
            if new_file:  # a file that did not assert this person before
                keys = sorted({k for n in members for k in keys_of[n]}, key=_strength)
                self._merged(person_id, mentions[members[0]][2], keys)

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
                if t.a[:11] == "@rep-email:":
                    self.rep_for_email(f, t.a.split(":", 1)[1])
                if t.b[:11] == "@rep-email:":
                    self.rep_for_email(f, t.b.split(":", 1)[1])
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
    person_of = r.resolve_people(files)
    r.result.batches = fact_batches(r, files, person_of)
    return r.result
