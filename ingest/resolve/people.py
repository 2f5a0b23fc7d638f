"""One person per human, for the contact records of one import.

Each record has match keys (:mod:`ingest.resolve.rules`: LinkedIn URL, e-mails, name at an organisation,
name within the owner's archive, a teammate's name); the store says which people it already holds under
them. Records and those known people are clustered with a plain union-find, one key at a time, strongest
rule first (then by the key's text, so the outcome does not depend on the order of the files): everyone
sharing a key is joined, unless :func:`rules.never_one_person` forbids it (two LinkedIn profiles, two
reps); a key that could not join is not asserted for that record, so that no two people ever share one.

Each cluster is then one person: the known one (several known people a cluster links become one, the
others absorbed into it and reported), or a new one whose id is made of the cluster's first key. Every
merge is reported with the rule that made it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from graphapp.domain.identity import name_key, stable_id
from ingest.records import ONE_ROW_PER_PERSON, ParsedFile
from ingest.resolve import rules
from ingest.resolve.unionfind import UnionFind

if TYPE_CHECKING:
    from ingest.resolve.resolver import Resolver

ASK_KEYS = 20_000
"""Keys the store is asked about at a time."""
MERGES_LISTED = 1_000
"""The merges an import's report lists by name (all are counted)."""
_READ = ("ref", "row", "fact", "linkedin_url", "emails", "name", "company", "name_only_in_archive", "phones",
         "connected_on")


@dataclass(frozen=True)
class Merge:
    """Two records found to be one person: who, by which name, and why (the import report lists them)."""

    person_id: str
    name: str
    reason: str


@dataclass
class People:
    """The person of every contact record of the import's files, in file and record order."""

    ids: list[list[str]]  # file i's records' person ids, in record order
    dropped: dict[tuple[int, str], frozenset[str]] = field(default_factory=dict)  # (file, ref) -> keys not asserted

    def of_file(self, i: int) -> Iterator[str]:
        """The person ids of file i's records, in order."""
        return iter(self.ids[i])

    def dropped_keys(self, i: int, ref: str) -> frozenset[str]:
        """Keys of a record that are another person's (see the module): its facts leave them out."""
        return self.dropped.get((i, ref), frozenset())


@dataclass(slots=True)
class _Record:
    file: int
    ref: str
    row: int
    fact: str
    name: str | None
    emails: tuple[str, ...]
    url: str | None
    keys: list[str]  # strongest rule first
    name_only: bool  # a record that only names someone within the owner's archive (old messages, recommendations)


class _Clusters(UnionFind):
    """The union-find of records (0..n-1) and known people (n..); each root knows its cluster's LinkedIn
    URL and rep, so that a join :func:`rules.never_one_person` forbids is refused."""

    def __init__(self) -> None:
        super().__init__()
        self.url: list[str | None] = []
        self.rep: list[str | None] = []

    def add(self, url: str | None = None, rep: str | None = None) -> int:
        self.url.append(url)
        self.rep.append(rep)
        return super().add()

    def join(self, a: int, b: int) -> bool:
        """Join the clusters of a and b; False (and nothing joined) when they cannot be one person."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if rules.never_one_person(self.url[ra], self.url[rb], self.rep[ra], self.rep[rb]):
            return False
        root = self.union(ra, rb)
        child = rb if root == ra else ra
        self.url[root] = self.url[root] or self.url[child]
        self.rep[root] = self.rep[root] or self.rep[child]
        return True


class PeopleResolver:
    """Clusters the contact records of one import (``Resolver.resolve_people`` runs it once)."""

    def __init__(self, r: Resolver, files: list[ParsedFile]) -> None:
        self.r, self.files = r, files
        self.records: list[_Record] = []
        self.known: dict[str, list[str]] = {}  # key -> the known people under it (ids, absorbed ones replaced)
        self.known_people: dict[str, object] = {}  # id -> Person, of known people found other than by URL
        self.node_of: dict[str, int] = {}  # known person id -> union-find node
        self.dropped: dict[int, set[str]] = {}  # record -> keys that could not join (another person's)
        self.merges: list[tuple[int, str, str, str]] = []  # (first record, person id, name, reason)

    # -- reading ------------------------------------------------------------------------------
    def _archive(self, f: ParsedFile) -> str | None:
        """Whose archive the file is part of: the owner's (a file without one: its own), None for team files."""
        r = self.r
        return None if f.team_file else (r.owner.email if r.owner else f.sha256)

    def read(self) -> None:
        """Every record once, with its keys (strongest rule first)."""
        record_keys = self.r.record_keys
        for i, f in enumerate(self.files):
            archive = self._archive(f)
            for ref, row, fact, url, emails, name, company, name_only, phones, connected in f.contacts.columns(*_READ):
                keys = record_keys(i, url, emails, name, company, name_only, archive, phones, connected, fact)
                self.records.append(_Record(i, ref, row, fact, name, emails, url, keys, name_only))

    def ask_store(self) -> None:
        """The people the store holds under the records' keys, and the team's own (reps, the owner)."""
        wanted_set = {k for rec in self.records for k in rec.keys if rules.kind(k) in rules.STORED}
        known: dict[str, list[str]] = {}
        rows = self.r.known.every_person_key(len(wanted_set)) if wanted_set else None
        if rows is not None:  # most of the store is asked about: one pass over it
            for key, pid in rows:
                if key in wanted_set:
                    known.setdefault(key, []).append(pid)
        else:  # asked in order, block by block
            wanted = sorted(wanted_set)
            for lo in range(0, len(wanted), ASK_KEYS):
                for key, pids in self.r.known.people_by_keys(wanted[lo:lo + ASK_KEYS]).items():
                    known[key] = list(pids)
        for rep in self.r.all_reps().values():  # the team's answer comes first
            for key in (rules.teammate_key(rep.email), f"email:{rep.email}"):
                known[key] = [rep.person_id]
        for key in self.r.owner_keys:
            known[key] = [self.r.owner.person_id]
        self._known_connections(known)
        absorbed = self.r.absorbed
        self.known = {k: list(dict.fromkeys(_final(absorbed, p) for p in pids)) for k, pids in known.items()}
        found_by_url = {p for k, pids in self.known.items() if rules.kind(k) == "linkedin" for p in pids}
        others = sorted({p for pids in self.known.values() for p in pids} - found_by_url)
        for lo in range(0, len(others), ASK_KEYS):  # their URLs (if any): two profiles are never one person
            self.known_people.update(self.r.known.get_people(others[lo:lo + ASK_KEYS]))
        self._urls = {p: k[9:] for k, pids in self.known.items() if rules.kind(k) == "linkedin" for p in pids}

    def _known_connections(self, known: dict[str, list[str]]) -> None:
        """The people of the owner's LinkedIn archive the graph holds (the owner's connections, messages,
        endorsements, recommendations), by name and by name and ``Connected On`` date, for the records no
        stronger key found: an old export without URLs names the same people as a newer one (the store
        keeps names and dates, not these keys). Read only when such records exist (a re-import of known
        connections finds them all by URL), and when all of them have a URL only the people without one
        (two LinkedIn profiles are never one person)."""
        owner = self.r.owner
        if owner is None:
            return
        mine = (f"aname:{owner.email}|", f"conn:{owner.email}|")
        wanted = {k for rec in self.records for k in rec.keys if k.startswith(mine)
                  and not any(other in known for other in rec.keys if not other.startswith(mine))}
        if not wanted:
            return
        without_url = all(rec.url for rec in self.records if any(k in wanted for k in rec.keys))
        dated: dict[str, tuple[str, set]] = {}  # person -> (name, the days the owner connected with them)
        for pid, name, day in self.r.known.archive_people(owner, rules.ARCHIVE_KINDS, without_url=without_url):
            days = dated.setdefault(pid, (name, set()))[1]
            if day is not None:
                days.add(day)
        for pid, (name, days) in dated.items():
            nk = name_key(name)
            if not nk:
                continue
            for key in [rules.archive_name_key(owner.email, nk)] + [rules.connection_key(owner.email, nk, d) for d in days]:
                if key in wanted:
                    known.setdefault(key, []).append(pid)

    # -- clustering ---------------------------------------------------------------------------
    def cluster(self) -> _Clusters:
        """Join everyone sharing a key, one key at a time, strongest rule first."""
        c = _Clusters()
        for rec in self.records:
            c.add(rec.url)
        reps = {rep.person_id: rep.email for rep in self.r.all_reps().values()}
        by_key: dict[str, list[int]] = {}
        for n, rec in enumerate(self.records):
            for k in rec.keys:
                by_key.setdefault(k, []).append(n)
        known = self.known
        joining = [k for k, records in by_key.items() if len(records) > 1 or k in known]  # a key of one record alone joins nothing
        for key in sorted(joining, key=rules.order):
            records = by_key[key]
            nodes = [self._node(c, p, reps) for p in known.get(key, ())] + records
            if key[0] == "a" and self._ambiguous(c, nodes):
                continue  # a name several people of the archive have: it cannot tell which
            anchor = nodes[0]
            for node in nodes[1:]:
                if not c.join(anchor, node) and node < len(self.records):
                    self._kept_apart(node, anchor, key)
        return c

    def _ambiguous(self, c: _Clusters, nodes: list[int]) -> bool:
        """Whether a name within the owner's archive names more than one person: several LinkedIn
        profiles, or several people the archive lists in their own right (connections of different
        dates, people the graph holds). Records that only name someone (old messages, recommendations)
        join the one such person there is."""
        size = len(self.records)
        urls = {u for n in nodes if (u := c.url[c.find(n)])}
        listed = {c.find(n) for n in nodes if n >= size or not self.records[n].name_only}
        return len(urls) > 1 or len(listed) > 1

    def _node(self, c: _Clusters, pid: str, reps: dict[str, str]) -> int:
        if pid not in self.node_of:
            person = self.known_people.get(pid)
            url = self._urls.get(pid) or (person.linkedin_url if person is not None else None)
            self.node_of[pid] = c.add(url, reps.get(pid))
        return self.node_of[pid]

    def _kept_apart(self, n: int, anchor: int, key: str) -> None:
        """Record n shares ``key`` with someone it cannot be: the key is not asserted for it, and an
        e-mail's row says so (the same address on two profiles is worth a look)."""
        self.dropped.setdefault(n, set()).add(key)
        if rules.kind(key) != "email":
            return
        rec, email = self.records[n], key[6:]
        if anchor >= len(self.records):  # a known person
            pid = next(p for p, node in self.node_of.items() if node == anchor)
            other = self.known_people.get(pid)
            text = f"{email} is {other.name if other else pid}'s in the graph, who has another LinkedIn profile"
        else:
            first = self.records[anchor]
            where = f"row {first.row}" if first.file == rec.file else f"{self.files[first.file].name} row {first.row}"
            text = f"{email} is also on {where}, with another LinkedIn profile"
        self.r.result.notes.append((self.files[rec.file], rec.row,
                                    f"{text}: kept as two people (two LinkedIn profiles are never one person)"))

    # -- people -------------------------------------------------------------------------------
    def resolve(self) -> People:
        """Who each record is; counts, merges and notes go to the resolver's result."""
        self.read()
        self.ask_store()
        c = self.cluster()
        size = len(self.records)
        members: dict[int, list[int]] = {}
        for n in range(size):
            members.setdefault(c.find(n), []).append(n)
        known_in: dict[int, list[str]] = {}  # root -> the known people of the cluster, in the order they joined
        for pid, node in self.node_of.items():
            known_in.setdefault(c.find(node), []).append(pid)
        ids = [""] * size
        matched: dict[str, list[int]] = {}  # known person -> the records that are them
        for root, group in members.items():
            people = known_in.get(root)
            if people:
                pid = self._one_of(people, group)
                matched.setdefault(pid, []).extend(group)
            else:
                pid = self._new_person(group)
            for n in group:
                ids[n] = pid
        self._note_duplicates(members)
        self._count_known(matched)
        self._list_merges()
        out: list[list[str]] = [[] for _ in self.files]
        for n, rec in enumerate(self.records):
            out[rec.file].append(ids[n])
        dropped = {(self.records[n].file, self.records[n].ref): frozenset(keys) for n, keys in self.dropped.items()}
        return People(out, dropped)

    def _keys_of(self, n: int) -> list[str]:
        dropped = self.dropped.get(n)
        keys = self.records[n].keys
        return [k for k in keys if k not in dropped] if dropped else keys

    def _one_of(self, people: list[str], group: list[int]) -> str:
        """The person a cluster naming known people is: a rep, else the one its first key names; the
        others are absorbed into them (a record linked them: "one record links two known people")."""
        if len(people) == 1:
            return people[0]  # most clusters: one known person, nobody to absorb
        reps = {rep.person_id for rep in self.r.all_reps().values()}
        ordered = sorted({k for n in group for k in self._keys_of(n) if k in self.known}, key=rules.order)
        first = [p for k in ordered for p in self.known[k] if p in people]
        keep = next((p for p in people if p in reps), None) or (first[0] if first else people[0])
        r = self.r
        for other in dict.fromkeys(people):
            if other != keep and other not in r.absorbed:
                r.absorbed[other] = keep
                r.result.merges_made += 1
                name = next((self.records[n].name for n in group if self.records[n].name), None) or keep
                self.merges.append((-1, keep, name, "one record links two known people"))
        return keep

    def _new_person(self, group: list[int]) -> str:
        """A new person: their id is made of the cluster's first key (strongest rule, then text); a
        cluster of records of several files is reported as a merge, with the rule that joined them."""
        r = self.r
        r.result.people_added += 1
        if len(group) == 1:  # most people: one record
            keys = self._keys_of(group[0])
            return stable_id("p", keys[0] if keys else f"{r.import_id}:{group[0]}")
        first = min((k for n in group for k in self._keys_of(n)[:1]), key=rules.order, default=None)
        pid = stable_id("p", first or f"{r.import_id}:{group[0]}")
        if len({self.records[n].file for n in group}) > 1 and \
                len({self.files[self.records[n].file].sha256 for n in group}) > 1:
            r.result.people_merged += 1
            r.result.merges_made += 1
            self.merges.append((group[0], pid, self._name(group), rules.reason(self._joining_key(group))))
        return pid

    def _joining_key(self, group: list[int]) -> str:
        """The strongest key records of more than one file of the cluster share (the rule that joined them)."""
        files_of: dict[str, set[int]] = {}
        for n in group:
            for k in self._keys_of(n):
                files_of.setdefault(k, set()).add(self.records[n].file)
        shared = [k for k, files in files_of.items() if len(files) > 1] or [k for k in files_of]
        return min(shared, key=rules.order)

    def _name(self, group: list[int]) -> str:
        rec = self.records[group[0]]
        return rec.name or (rec.emails[0] if rec.emails else "") or rec.ref

    def _count_known(self, matched: dict[str, list[int]]) -> None:
        """Known people the records name: how many, and a merge for each that a file asserts for the
        first time (the reason: the strongest of their records' keys that named them)."""
        r = self.r
        r.result.people_known += len(matched)
        if not matched:
            return
        how = r.result.known_by
        first_key: dict[str, str | None] = {}
        for pid, group in matched.items():  # every known person, by the strongest key that named them
            key = min((k for n in group for k in self._keys_of(n) if pid in self.known.get(k, ())),
                      key=rules.order, default=None)
            first_key[pid] = key
            kind = rules.kind(key) if key else "linked"
            how[kind] = how.get(kind, 0) + 1
        sources = self._sources(sorted(matched))
        for pid, group in matched.items():
            known = sources.get(pid)
            if known is None:
                continue  # a person the store holds without evidence of a file (a rep added by hand)
            if all(self.files[self.records[n].file].sha256 in known for n in group):
                continue
            r.result.people_merged += 1
            r.result.merges_made += 1
            key = first_key[pid]
            why = rules.reason(key) if key else rules.REASONS["name"]
            self.merges.append((min(group), pid, self._name([min(group)]), why))

    def _sources(self, ids: Sequence[str]) -> dict[str, frozenset[str]]:
        """Which files (SHA-256) asserted each of these known people."""
        known, out = self.r.known, {}
        rows = known.every_person_sources(len(ids))
        if rows is not None:
            wanted = set(ids)
            for pid, files in rows:
                if pid in wanted and files:
                    out[pid] = frozenset(files)
            return out
        for lo in range(0, len(ids), ASK_KEYS):
            out.update({p: frozenset(f) for p, f in known.sources_of_people(list(ids[lo:lo + ASK_KEYS])).items() if f})
        return out

    def _note_duplicates(self, members: dict[int, list[int]]) -> None:
        """A row of a file that lists each person once (a contact list, connections, a CRM export) that
        is the same person as an earlier row of that file is merged into it and noted on that row, with
        why: "same person as row 2 (same e-mail address)". Files where a person has many rows (meetings,
        messages, a relationships sheet) are not noted."""
        for root in sorted(members):
            group = members[root]
            by_file: dict[int, list[int]] = {}
            for n in group:
                rec = self.records[n]
                if rec.fact in ONE_ROW_PER_PERSON:
                    by_file.setdefault(rec.file, []).append(n)
            for i, same in by_file.items():
                if len(same) < 2:
                    continue
                same.sort(key=lambda n: self.records[n].row)
                first = self.records[same[0]]
                seen = set(self._keys_of(same[0]))
                for n in same[1:]:
                    shared = [k for k in self._keys_of(n) if k in seen]
                    why = rules.reason(min(shared, key=rules.order)) if shared else "linked through other records"
                    self.r.result.notes.append((self.files[i], self.records[n].row,
                                                f"same person as row {first.row} ({why}): merged into one"))
                    seen.update(self._keys_of(n))

    def _list_merges(self) -> None:
        """The first ``MERGES_LISTED`` merges by name: those linking known people, then by first record."""
        result = self.r.result
        self.merges.sort(key=lambda m: m[0])
        room = max(MERGES_LISTED - len(result.merges), 0)
        result.merges.extend(Merge(pid, name, why) for _, pid, name, why in itertools.islice(self.merges, room))
        self.merges = []


def _final(absorbed: dict[str, str], pid: str) -> str:
    """The person a known person now is (absorbed ones replaced by whom they were absorbed into)."""
    seen = {pid}
    while pid in absorbed and absorbed[pid] not in seen:
        pid = absorbed[pid]
        seen.add(pid)
    return pid
