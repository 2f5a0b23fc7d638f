"""One person per human, for the contact records of one import: records sharing a LinkedIn URL, an
e-mail, a name at the same organisation, a name within the owner's archive or a teammate's name are
one person, strongest keys first; two different LinkedIn URLs never join. Each person is a known one
(the store holds one of their keys) or a new one, whose id is made from their strongest key.

A large import has hundreds of thousands of records, spooled to disk (``ingest.spool``): they are read
a block at a time, and what resolution keeps of each is a few numbers in arrays, not strings, tuples
and dicts. A key is kept as a number: the first 64 bits of its SHA-256, the very number a person's id
is made of (``stable_id``), so two keys the number cannot tell apart would give one id anyway. The
store is asked about each block's keys as the block is read. Clustering works on the numbers (sorted
with numpy); the few decisions that need a key's text (which of two equally strong keys comes first,
the e-mail a note names, a merged person's name) read the record again.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import re
from array import array
from collections.abc import Iterable, Iterator, Set
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ingest.records import ONE_ROW_PER_PERSON, ContactRecord, ParsedFile

if TYPE_CHECKING:
    from ingest.resolve.resolver import Resolver

KINDS = ("linkedin", "email", "rep", "name", "aname")
"""The kinds of match key, by code; a key's text starts with its kind and a colon."""
STRENGTH = {"linkedin": 0, "email": 1, "rep": 1, "name": 2, "aname": 3}
REASONS = {"linkedin": "same LinkedIn profile URL", "email": "same e-mail address", "rep": "a teammate on the same team",
           "name": "same name at the same organisation", "aname": "same name within the owner's archive"}
_CODE_OF = {kind[0]: code for code, kind in enumerate(KINDS)}  # by a key's first character
_STRENGTH_OF = {kind[0]: STRENGTH[kind] for kind in KINDS}
_STRENGTHS = np.array([STRENGTH[k] for k in KINDS], dtype=np.uint8)  # by kind code
_NO_KEY = 9  # the strength of a record without keys: taken last
_ASKED = "len"  # the kinds the store is asked about, by first character (rep: and aname: keys are the import's own)
_READ = ("row", "fact", "linkedin_url", "emails", "name", "company", "name_only_in_archive", "phones")  # of each record
ASK_KEYS = 20_000
MERGES_LISTED = 1_000  # the merges an import's report lists by name (all are counted)
"""Keys the store is asked about at a time, as the records are read."""


def key_number(key: str) -> int:
    """A key as a number: the first 64 bits of its SHA-256 (``stable_id`` makes ids of the same bits)."""
    return int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big")


def _strength_and_key(key: str) -> tuple[int, str]:
    return _STRENGTH_OF[key[0]], key


def _numbers(values: array, dtype) -> np.ndarray:
    return np.frombuffer(values, dtype=dtype).copy() if len(values) else np.zeros(0, dtype=dtype)


@dataclass(frozen=True)
class Merge:
    """Two records found to be one person: who, by which name, and why (the import report lists them)."""

    person_id: str
    name: str
    reason: str


class PersonIds:
    """Person ids as numbers: an id ``stable_id`` makes (``p-`` and 16 hex digits) is the number of
    its digits; any other id is numbered from ``ODD`` up (as are the few made ids up there). 0 is none."""

    ODD = (1 << 64) - (1 << 32)
    _MADE = re.compile(r"p-[0-9a-f]{16}")

    def __init__(self) -> None:
        self._odd: list[str] = []
        self._odd_code: dict[str, int] = {}

    def code(self, pid: str) -> int:
        if self._MADE.fullmatch(pid):
            number = int(pid[2:], 16)
            if 0 < number < self.ODD:
                return number
        if pid not in self._odd_code:
            self._odd_code[pid] = self.ODD + len(self._odd)
            self._odd.append(pid)
        return self._odd_code[pid]

    def known_code(self, pid: str) -> int:
        """The code of ``pid`` if it has one already (any id ``stable_id`` makes does), else 0."""
        if self._MADE.fullmatch(pid):
            number = int(pid[2:], 16)
            if 0 < number < self.ODD:
                return number
        return self._odd_code.get(pid, 0)

    def made(self, number: int) -> int:
        """The code of the id ``stable_id`` makes of a key with this number."""
        return number if 0 < number < self.ODD else self.code(f"p-{number:016x}")

    def pid(self, code: int) -> str:
        return f"p-{code:016x}" if code < self.ODD else self._odd[code - self.ODD]


@dataclass
class People:
    """The person of every contact record of the import's files, in file and record order."""

    offsets: list[int]  # the records of file i are numbers offsets[i] to offsets[i + 1] - 1
    codes: np.ndarray  # each record's person id, as ``ids`` numbers it
    ids: PersonIds

    def of_file(self, i: int) -> Iterator[str]:
        """The person ids of file i's records, in order."""
        pid = self.ids.pid
        for code in self.codes[self.offsets[i]:self.offsets[i + 1]].tolist():
            yield pid(code)


class PeopleResolver:
    """Clusters the contact records of one import (``Resolver.resolve_people`` runs it once)."""

    def __init__(self, r: Resolver, files: list[ParsedFile]) -> None:
        self.r, self.files = r, files
        self.ids = PersonIds()
        self.offsets = [0]
        self.shas = [f.sha256 for f in files]
        # Each record's row, fact (a code: self.facts), own URL key and first key by (strength, text),
        # as numbers (0: none), and that key's kind.
        self.rows, self.fact, self.url, self.best, self.best_kind = array("L"), array("B"), array("Q"), array("Q"), array("B")
        self.facts: list[str] = []
        # Every record's keys: entry e is key number[e] of kind[e] of record[e]; a record's entries are
        # together, in the order its keys were made.
        self.number, self.record, self.kind = array("Q"), array("L"), array("B")
        self.known_number, self.known_code = array("Q"), array("Q")  # the store's answers
        self.shared_keys: dict[int, tuple[str, ...]] = {}  # keys the store gives several people (rare)
        self.dropped: set[tuple[int, int]] = set()  # (record, key number) of keys dropped for a URL conflict
        self.merges: list[tuple[tuple[int, int], int, str, str]] = []  # (order, first record, person id, reason)
        # Keys as text, read again where numbers cannot decide (see _read_texts): all of a record's, its first.
        self._texts: dict[int, list[str]] = {}
        self._first_text: dict[int, str] = {}

    # -- reading the records ------------------------------------------------------------------
    def _archive(self, f: ParsedFile) -> str | None:
        r = self.r
        return None if f.team_file else f"aname:{r.owner.email if r.owner else f.sha256}|"

    def read(self, asking: bool) -> None:
        """Read every record once: its keys as numbers; the store is asked about them a block at a time
        (``asking``), or will be read whole afterwards."""
        record_keys, sha256, from_bytes = self.r.record_keys, hashlib.sha256, int.from_bytes
        add_number, add_record, add_kind = self.number.append, self.record.append, self.kind.append
        add_url, add_best, add_best_kind, add_row, add_fact = (
            self.url.append, self.best.append, self.best_kind.append, self.rows.append, self.fact.append)
        fact_code: dict[str, int] = {}
        code_of = _CODE_OF
        asked: dict[str, int] = {}  # keys to ask the store about, with their numbers
        n = 0
        for i, f in enumerate(self.files):
            archive = self._archive(f)
            for row, fact, url_text, emails, name, company, name_only, phones in f.contacts.columns(*_READ):
                url = best = best_kind = 0
                texts = record_keys(i, url_text, emails, name, company, name_only, archive, phones)
                if texts:
                    # The first key by (strength, text): a URL when there is one (the only key of strength 0).
                    first = texts[0] if len(texts) == 1 or url_text else min(texts, key=_strength_and_key)
                    for k in texts:
                        x = from_bytes(sha256(k.encode()).digest()[:8], "big")  # key_number(k)
                        code = code_of[k[0]]
                        add_number(x)
                        add_record(n)
                        add_kind(code)
                        if code == 0:
                            url = x
                        if k is first:
                            best, best_kind = x, code
                        if asking and code != 2 and code != 4:  # neither rep: nor aname: (the import's own)
                            asked[k] = x
                add_url(url)
                add_best(best)
                add_best_kind(best_kind)
                add_row(row)
                if fact not in fact_code:
                    fact_code[fact] = len(self.facts)
                    self.facts.append(fact)
                add_fact(fact_code[fact])
                n += 1
                if asking and len(asked) >= ASK_KEYS:
                    self._ask(asked)
                    asked = {}
            self.offsets.append(n)
        self._ask(asked)

    def _scan(self, rows: Iterator[tuple[str, str]]) -> None:
        """The store's answers from every one of its keys (a large import asks about most of them: one
        pass over them all is quicker than a look-up each): the rows whose key number a record has."""
        first = list(itertools.islice(rows, 50_000))
        if not first:
            return  # an empty store: nothing to match
        number, kind = _numbers(self.number, np.uint64), _numbers(self.kind, np.uint8)
        wanted = np.unique(number[(kind == 0) | (kind == 1) | (kind == 3)])  # linkedin:, email:, name:
        del number, kind
        if not len(wanted):
            return
        sha256, from_bytes, code = hashlib.sha256, int.from_bytes, self.ids.code
        last, last_code = None, 0  # a person's keys come together: their id is coded once
        for block in itertools.chain([first], iter(lambda: list(itertools.islice(rows, 50_000)), [])):
            keys = [k for k, _ in block]
            numbers = np.fromiter((from_bytes(sha256(k.encode()).digest()[:8], "big") for k in keys),
                                  dtype=np.uint64, count=len(keys))
            hit = wanted[np.minimum(np.searchsorted(wanted, numbers), len(wanted) - 1)] == numbers
            for j in np.nonzero(hit)[0].tolist():
                pid = block[j][1]
                if pid != last:
                    last, last_code = pid, code(pid)
                self.known_number.append(int(numbers[j]))
                self.known_code.append(last_code)
        found = _numbers(self.known_number, np.uint64)
        values, counts = np.unique(found, return_counts=True)
        for x in values[counts > 1].tolist():  # a key of several people (rare): all of them, oldest first
            pids = (self.ids.pid(self.known_code[j]) for j in np.nonzero(found == x)[0].tolist())
            self.shared_keys[x] = tuple(dict.fromkeys(pids))

    def _ask(self, asked: dict[str, int]) -> None:
        if not asked:
            return
        code, codes = self.ids.code, {}  # a person's keys come together, with one id string: coded once
        for k, pids in self.r.known.people_by_keys(list(asked)).items():
            x = asked[k]
            first = pids[0]
            self.known_number.append(x)
            self.known_code.append(codes[first] if first in codes else codes.setdefault(first, code(first)))
            if len(pids) > 1:
                self.shared_keys[x] = tuple(pids)

    def _file_of(self, n: int) -> int:
        return bisect.bisect_right(self.offsets, n) - 1

    def _read_again(self, wanted: Iterable[int], *names: str) -> Iterator[tuple[int, int, tuple]]:
        """(record, its file, the values of ``names``) of these records, in record order, read in one
        pass over the files a block at a time (a record read alone reads its whole block)."""
        left = sorted(set(wanted), reverse=True)  # popped from the end: in order
        for i, f in enumerate(self.files):
            if not left or left[-1] >= self.offsets[i + 1]:
                continue  # none of this file's records
            for n, values in enumerate(f.contacts.columns(*names), start=self.offsets[i]):
                if n == left[-1]:
                    yield n, i, values
                    left.pop()
                    if not left or left[-1] >= self.offsets[i + 1]:
                        break

    def contact(self, n: int) -> tuple[ParsedFile, ContactRecord]:
        """Record n, read again."""
        i = self._file_of(n)
        f = self.files[i]
        return f, f.contacts[n - self.offsets[i]]

    # -- resolving ----------------------------------------------------------------------------
    def resolve(self) -> People:
        """Who each record is; counts, merges and notes go to the resolver's result."""
        rows = self.r.known.every_person_key(sum(len(f.contacts) for f in self.files))
        self.read(asking=rows is None)
        if rows is not None:
            self._scan(rows)
        size = len(self.rows)
        number, kind = _numbers(self.number, np.uint64), _numbers(self.kind, np.uint8)
        record = _numbers(self.record, np.uint64).astype(np.int64)
        self.number, self.record, self.kind = array("Q"), array("L"), array("B")  # now in numpy's
        known = self._known(number)
        keep = self._drop_url_conflicts(number, record, kind, known)
        if keep is not None:
            number, record, kind, known = number[keep], record[keep], kind[keep], known[keep]
        starts = np.searchsorted(record, np.arange(size + 1))  # record n's entries: starts[n] to starts[n + 1] - 1
        roots = self._cluster(size, number, record, kind)
        codes = self._assign(size, roots, number, record, kind, known, starts)
        self._name_merges()
        return People(self.offsets, codes, self.ids)

    def _known(self, number: np.ndarray) -> np.ndarray:
        """The code of the known person of each entry's key (0: none): the team's, else the store's answer."""
        reps: dict[int, int] = {}
        for rep in self.r.all_reps().values():
            code = self.ids.code(rep.person_id)
            reps[key_number(f"rep:{rep.email}")] = code
            reps[key_number(f"email:{rep.email}")] = code
        owner_code = self.ids.code(self.r.owner.person_id) if self.r.owner else 0
        for k in self.r.owner_keys:  # the owner's own profile: the rep, whoever else the store has under it
            reps[key_number(k)] = owner_code
        for x in reps:
            self.shared_keys.pop(x, None)
        keys = np.concatenate([np.array(list(reps), dtype=np.uint64), _numbers(self.known_number, np.uint64)])
        codes = np.concatenate([np.array(list(reps.values()), dtype=np.uint64), _numbers(self.known_code, np.uint64)])
        self.known_number, self.known_code = array("Q"), array("Q")
        keys, first = np.unique(keys, return_index=True)  # the first answer of each key: the team's
        codes = codes[first]
        known = np.zeros(len(number), dtype=np.uint64)
        if len(keys):
            at = np.minimum(np.searchsorted(keys, number), len(keys) - 1)
            hit = keys[at] == number
            known[hit] = codes[at[hit]]
        return known

    def _pids_of(self, x: int, code: int) -> tuple[str, ...]:
        """Every known person of a key (the store may give several)."""
        return self.shared_keys.get(x) or (self.ids.pid(code),)

    def _drop_url_conflicts(self, number, record, kind, known) -> np.ndarray | None:
        """No key (a name, an e-mail, a teammate's) may attach a record to a known person with another
        LinkedIn URL: two LinkedIn profiles are never one person. The key is dropped (returned: a mask
        of the entries kept; None when all are); when an e-mail would have joined them, its row says so
        (the same address on two profiles is worth a look)."""
        url = _numbers(self.url, np.uint64)
        own = np.zeros(len(url), dtype=np.uint64)  # the known person of each record's own URL
        linked = (kind == 0) & (known != 0)
        own[record[linked]] = known[linked]
        # A known person found under the record's URL has that URL: only other people can conflict.
        unsure = (kind != 0) & (known != 0) & (url[record] != 0)
        if self.shared_keys:
            shared = np.array(list(self.shared_keys), dtype=np.uint64)
            unsure &= (known != own[record]) | np.isin(number, shared) | np.isin(url[record], shared)
        else:
            unsure &= known != own[record]
        candidates = np.nonzero(unsure)[0].tolist()
        if not candidates:
            return None
        wanted: set[str] = set()
        for e in candidates:
            n = int(record[e])
            same = set(self._pids_of(int(url[n]), int(own[n]))) if own[n] else set()
            wanted.update(p for p in self._pids_of(int(number[e]), int(known[e])) if p not in same)
        people = {pid: p for pid, p in self.r.known.get_people(sorted(wanted)).items() if p.linkedin_url}
        if not people:
            return None  # no known person under another key has a URL: nothing can conflict
        keep = np.ones(len(number), dtype=bool)
        for e in candidates:
            n = int(record[e])
            other = next((people[pid] for pid in self._pids_of(int(number[e]), int(known[e]))
                          if pid in people and key_number("linkedin:" + people[pid].linkedin_url) != int(url[n])), None)
            if other is None:
                continue
            keep[e] = False
            self.dropped.add((n, int(number[e])))
            if kind[e] == 1:
                f, c = self.contact(n)
                self.r.result.notes.append((f, c.row, (
                    f"{_email_of(c.emails, int(number[e]))} is {other.name}'s in the graph, who has another LinkedIn profile: "
                    "kept as two people (two LinkedIn profiles are never one person)")))
        return keep

    def _cluster(self, size: int, number, record, kind) -> np.ndarray:
        """Each record's cluster, as its smallest record. Records are taken in order of their strongest
        key, each record's keys strongest first; a key joins a record to the first record that had it,
        unless the two clusters have different LinkedIn URLs."""
        strength = _STRENGTHS[kind]
        strongest = np.full(size, _NO_KEY, dtype=np.uint8)
        np.minimum.at(strongest, record, strength)
        rank = np.empty(size, dtype=np.int64)
        rank[np.argsort(strongest, kind="stable")] = np.arange(size)
        # Only keys that several entries share can join records: those entries are taken in order.
        ordered = np.sort(number)
        repeated = np.unique(ordered[1:][ordered[1:] == ordered[:-1]])
        del ordered
        if len(repeated):
            shared = np.nonzero(repeated[np.minimum(np.searchsorted(repeated, number), len(repeated) - 1)] == number)[0]
        else:
            shared = np.zeros(0, dtype=np.int64)
        order = shared[np.lexsort((shared, strength[shared], rank[record[shared]]))]  # as they are taken
        taken, by = number[order], record[order]
        if len(order):
            _, first_at, which = np.unique(taken, return_index=True, return_inverse=True)
            first = by[first_at[which.ravel()]]
        else:
            first = by
        joins = np.nonzero(first != by)[0]  # entries whose key an earlier record had
        parent = array("L", range(size))
        url_of = array("Q", self.url)  # a root's: its cluster's
        self.url = array("Q")

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = x = parent[parent[x]]
            return x

        kept_apart: list[tuple[int, int, int]] = []  # (record, the record it was kept apart from, e-mail key)
        for at, n, other in zip(joins.tolist(), by[joins].tolist(), first[joins].tolist(), strict=True):
            ra, rb = find(n), find(other)
            if ra == rb:
                continue
            url_a, url_b = url_of[ra], url_of[rb]
            if url_a and url_b and url_a != url_b:  # two different LinkedIn profiles are never one person
                if kind[order[at]] == 1:  # the same address on two profiles: worth a look
                    kept_apart.append((n, other, int(taken[at])))
                continue
            root, child = (ra, rb) if ra < rb else (rb, ra)
            parent[child] = root
            if url_a or url_b:
                url_of[root] = url_a or url_b
        self._note_kept_apart(kept_apart)
        roots = _numbers(parent, np.uint64).astype(np.int64)
        while True:  # each record's root (a parent is never larger than its child)
            up = roots[roots]
            if np.array_equal(up, roots):
                return roots
            roots = up

    def _note_kept_apart(self, kept_apart: list[tuple[int, int, int]]) -> None:
        """A note on each record whose e-mail is also on a record with another LinkedIn profile (the
        records read again in one pass)."""
        read = {n: (i, row, emails) for n, i, (row, emails) in
                self._read_again((n for pair in kept_apart for n in pair[:2]), "row", "emails")}
        for n, other, x in kept_apart:
            i, row, emails = read[n]
            j, other_row, _ = read[other]
            where = f"row {other_row}" if j == i else f"{self.files[j].name} row {other_row}"
            self.r.result.notes.append((self.files[i], row, f"{_email_of(emails, x)} is also on {where}, with another LinkedIn "
                                                            "profile: kept as two people (two LinkedIn profiles are never one person)"))

    # -- people -------------------------------------------------------------------------------
    def _assign(self, size: int, roots, number, record, kind, known, starts) -> np.ndarray:
        """Each record's person (as a code): known, or new."""
        r, ids = self.r, self.ids
        alone = np.bincount(roots, minlength=size)[roots] == 1 if size else np.zeros(0, dtype=bool)
        best, best_kind = _numbers(self.best, np.uint64), _numbers(self.best_kind, np.uint8)
        self.best, self.best_kind = array("Q"), array("B")
        # Each record's known people: how many keys name one, the smallest and the largest.
        hit = known != 0
        known_keys = np.bincount(record[hit], minlength=size) if size else np.zeros(0, np.int64)
        lowest = np.full(size, np.iinfo(np.uint64).max, dtype=np.uint64)
        highest = np.zeros(size, dtype=np.uint64)
        np.minimum.at(lowest, record[hit], known[hit])
        np.maximum.at(highest, record[hit], known[hit])
        codes = np.zeros(size, dtype=np.uint64)
        matched = np.zeros(size, dtype=np.uint64)  # the known person each record matched

        # The common case: a new person from one record, whose id is made of their first key.
        new = alone & (known_keys == 0)
        codes[new] = best[new]
        for n in np.nonzero(new & ((best == 0) | (best >= PersonIds.ODD)))[0].tolist():
            codes[n] = ids.made(int(best[n]) or key_number(f"{r.import_id}:{n}"))
        r.result.people_added += int(new.sum())
        # A known person from one record whose known keys all name them.
        plain = alone & (known_keys > 0) & (lowest == highest)
        codes[plain] = matched[plain] = lowest[plain]
        several_known = np.nonzero(alone & (known_keys > 0) & (lowest != highest))[0].tolist()
        several: dict[int, list[int]] = {}  # clusters of several records, by root
        for n, root in zip(np.nonzero(~alone)[0].tolist(), roots[~alone].tolist(), strict=True):
            several.setdefault(root, []).append(n)
        self._read_texts(several_known, several, best, best_kind, known_keys, lowest, highest)
        for n in several_known:  # one record naming several known people
            found = self._found([n])
            codes[n] = matched[n] = found[0]
            self._absorb(found[0], found[1:], n)
        self._note_duplicates(several, number, kind, starts)
        for root in sorted(several):
            members = several[root]
            people = _people_of(members, known_keys, lowest, highest)
            if not people:
                code, why = self._new_person(members, best, best_kind)
                r.result.people_added += 1
                codes[members] = code
                if any(self.shas[self._file_of(n)] != self.shas[self._file_of(members[0])] for n in members):
                    self._merged((0, root), members[0], code, why)  # records of more than one file
                continue
            if len(people) == 1:
                code = people.pop()
            else:
                found = self._found(members)
                code = found[0]
                self._absorb(code, found[1:], members[0])
            codes[members] = matched[members] = code
        self._matched(matched, record, kind, known)
        return self._absorbed(codes)

    def _new_person(self, members: list[int], best, best_kind) -> tuple[int, str]:
        """The id of a new person of several records, from the first of their first keys by (strength,
        text), and that key's kind."""
        firsts, tied = _tied(members, best, best_kind)
        if len(tied) == 1:
            [(x, code)] = tied.items()
            return self.ids.made(x), KINDS[code]
        # Equally strong first keys that differ: the smallest text decides (read again).
        text = min((self._first_text[n] for n in firsts), key=_strength_and_key)
        return self.ids.made(key_number(text)), KINDS[_CODE_OF[text[0]]]

    def _read_texts(self, several_known: list[int], several: dict[int, list[int]], best, best_kind,
                    known_keys, lowest, highest) -> None:
        """Read again, in one pass over the files, the keys as text of the records whose person the
        numbers cannot decide: every key of those naming several known people (``_found``), the first
        key of those in a new person's cluster whose first keys tie (``_new_person``). Records are read
        a block at a time: reading them one by one, out of order, would read a block for each."""
        keys_of: set[int] = set(several_known)
        first_of: set[int] = set()
        for members in several.values():
            people = _people_of(members, known_keys, lowest, highest)
            if len(people) > 1:
                keys_of.update(members)
            elif not people:
                firsts, tied = _tied(members, best, best_kind)
                if len(tied) > 1:
                    first_of.update(firsts)
        self._texts, self._first_text = {}, {}
        record_keys, archives = self.r.record_keys, [self._archive(f) for f in self.files]
        columns = ("linkedin_url", "emails", "name", "company", "name_only_in_archive", "phones")
        for n, i, (url, emails, name, company, name_only, phones) in self._read_again(keys_of | first_of, *columns):
            texts = record_keys(i, url, emails, name, company, name_only, archives[i], phones)
            if n in keys_of:
                self._texts[n] = texts
            if n in first_of:
                self._first_text[n] = min(texts, key=_strength_and_key)

    def _found(self, members: list[int]) -> list[int]:
        """The known people the keys of these records name (codes), by the (strength, text) of the key
        that first names each: read again (records naming several known people are few)."""
        texts = sorted({k for n in members for k in self._texts[n] if (n, key_number(k)) not in self.dropped},
                       key=_strength_and_key)
        code = self.ids.code
        answers = self.r.known.people_by_keys([k for k in texts if k[0] in _ASKED])
        found = {k: code(pids[0]) for k, pids in answers.items()}
        for rep in self.r.all_reps().values():
            for k in (f"rep:{rep.email}", f"email:{rep.email}"):
                found[k] = code(rep.person_id)
        for k in self.r.owner_keys:
            found[k] = code(self.r.owner.person_id)
        return [found[k] for k in texts if k in found]

    def _absorb(self, keep: int, others: list[int], n: int) -> None:
        """Known people that one record links (an e-mail here, a name at a company there) become one,
        unless their LinkedIn profiles differ or both are reps."""
        r, pid = self.r, self.ids.pid
        keep_id = pid(keep)
        gone = [o for o in dict.fromkeys(pid(x) for x in others) if o != keep_id and o not in r.absorbed]
        if not gone:
            return
        people = r.known.get_people([keep_id, *gone])
        reps = {rep.person_id for rep in r.all_reps().values()}
        url = people[keep_id].linkedin_url if keep_id in people else None
        for other in gone:
            other_url = people[other].linkedin_url if other in people else None
            if (url and other_url and url != other_url) or (keep_id in reps and other in reps):
                continue
            url = url or other_url
            r.absorbed[other] = keep_id
            r.result.merges_made += 1
            if len(r.result.merges) < MERGES_LISTED:  # named after the record (read again: listed merges are few)
                r.result.merges.append(Merge(keep_id, self.contact(n)[1].name or keep_id, "one record links two known people"))

    def _absorbed(self, codes: np.ndarray) -> np.ndarray:
        """Each id of a person absorbed into another replaced by that one's."""
        absorbed = self.r.absorbed
        for gone in absorbed:
            to = gone
            while to in absorbed:
                to = absorbed[to]
            codes[codes == self.ids.code(gone)] = self.ids.code(to)
        return codes

    def _note_duplicates(self, several: dict[int, list[int]], number, kind, starts) -> None:
        """A row of a file that lists each person once (a contact list, connections, a CRM export) that
        is the same person as an earlier row of that file is merged into it and noted on that row, with
        why: "same person as row 2 (same e-mail address)". Files where a person has many rows (meetings,
        messages, a relationships sheet) are not noted."""
        once = {code for code, fact in enumerate(self.facts) if fact in ONE_ROW_PER_PERSON}
        fact, rows = self.fact, self.rows
        for root in sorted(several):
            members = several[root]
            files = [self._file_of(n) for n in members]
            if len(set(files)) == len(members):
                continue  # one record per file: nothing to note
            by_file: dict[int, list[int]] = {}
            for n, i in zip(members, files, strict=True):
                if fact[n] in once:
                    by_file.setdefault(i, []).append(n)
            for i, same in by_file.items():
                same.sort(key=lambda n: rows[n])
                seen = set(number[starts[same[0]]:starts[same[0] + 1]].tolist())
                for n in same[1:]:
                    lo, hi = int(starts[n]), int(starts[n + 1])
                    shared = [int(kind[e]) for e in range(lo, hi) if int(number[e]) in seen]
                    why = REASONS[KINDS[min(shared, key=lambda k: _STRENGTHS[k])]] if shared else "linked through other records"
                    self.r.result.notes.append((self.files[i], rows[n], f"same person as row {rows[same[0]]} ({why}): merged into one"))
                    seen.update(number[lo:hi].tolist())

    def _matched(self, matched: np.ndarray, record, kind, known) -> None:
        """Known people the records name: how many, and a merge for each that a file asserts for the
        first time (the reason: the strongest of their records' keys that named the known person)."""
        at = np.nonzero(matched)[0]
        if not len(at):
            return
        people, which = np.unique(matched[at], return_inverse=True)
        which = which.ravel()
        self.r.result.people_known += len(people)
        source, sets = self._sources(people)
        if not sets:
            return
        # Each (person, file) once: new when the person's files do not include this one.
        files = np.searchsorted(np.array(self.offsets[1:]), at, side="right")
        pairs = np.unique(which * len(self.files) + files)
        p, i = np.divmod(pairs, len(self.files))
        has = np.array([[sha in known for sha in self.shas] for known in sets], dtype=bool)
        new_pair = (source[p] >= 0) & ~has[np.maximum(source[p], 0), i]
        new_file = np.zeros(len(people), dtype=bool)
        new_file[p[new_pair]] = True
        del pairs, p, i, new_pair, source
        merged = np.nonzero(new_file)[0]
        self.r.result.people_merged += len(merged)
        self.r.result.merges_made += len(merged)
        # Each person's first record; only the first merges by record are listed.
        first = np.full(len(people), np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(first, which, at)
        listed = merged[np.argsort(first[merged], kind="stable")][:max(MERGES_LISTED - len(self.merges), 0)]
        # ... with the strongest (strength, kind) of their records' keys.
        top = np.full(len(matched), 255, dtype=np.uint8)  # of the keys that named the known person: the rule that matched
        hit = known != 0
        np.minimum.at(top, record[hit], (_STRENGTHS[kind] * 8 + kind)[hit])
        strongest = np.full(len(people), 255, dtype=np.uint8)
        np.minimum.at(strongest, which, top[at])
        for q in listed.tolist():
            n, best = int(first[q]), int(strongest[q])
            self._list_merge((1, n), n, int(people[q]), KINDS[best % 8] if best != 255 else "name")

    def _sources(self, people: np.ndarray) -> tuple[np.ndarray, list[Set[str]]]:
        """Which files asserted each of these known people (sorted codes): for each, an index into the
        distinct sets of files returned (-1: none). Read in one pass over the store when it can, else
        asked a block of people at a time."""
        known, pid = self.r.known, self.ids.pid
        rows = known.every_person_sources(len(people))
        if rows is None:
            rows = (row for lo in range(0, len(people), ASK_KEYS)
                    for row in known.sources_of_people([pid(x) for x in people[lo:lo + ASK_KEYS].tolist()]).items())
        source = np.full(len(people), -1, dtype=np.int32)
        index: dict[Set[str], int] = {}
        code = self.ids.known_code
        for block in iter(lambda: list(itertools.islice(rows, 50_000)), []):
            codes = np.fromiter((code(person) for person, _ in block), dtype=np.uint64, count=len(block))
            at = np.minimum(np.searchsorted(people, codes), len(people) - 1)
            for j in np.nonzero(people[at] == codes)[0].tolist():
                files = block[j][1]
                if files:
                    files = files if isinstance(files, frozenset) else frozenset(files)
                    source[at[j]] = index.setdefault(files, len(index))
        return source, list(index)

    def _merged(self, order: tuple[int, int], n: int, code: int, kind: str) -> None:
        self.r.result.people_merged += 1
        self.r.result.merges_made += 1
        self._list_merge(order, n, code, kind)

    def _list_merge(self, order: tuple[int, int], n: int, code: int, kind: str) -> None:
        """Keep a merge to list by name; merges come in list order, and only the first are listed."""
        if len(self.merges) < MERGES_LISTED:
            self.merges.append((order, n, self.ids.pid(code), REASONS[kind]))

    def _name_merges(self) -> None:
        """The merges, each named after its first record (read again, in record order)."""
        self.merges.sort(key=lambda m: m[0])
        del self.merges[max(MERGES_LISTED - len(self.r.result.merges), 0):]  # after those of records linking known people
        names = {n: name or (emails[0] if emails else None)
                 for n, _, (name, emails) in self._read_again((n for _, n, _, _ in self.merges), "name", "emails")}
        self.r.result.merges.extend(Merge(pid, names[n] or pid, reason) for _, n, pid, reason in self.merges)
        self.merges = []


def _people_of(members: list[int], known_keys, lowest, highest) -> set[int]:
    """The known people (codes) the keys of a cluster's records name: at most two per record, the
    smallest and the largest; more than one in all when the cluster links several."""
    return {int(x) for n in members if known_keys[n] for x in (lowest[n], highest[n])}


def _tied(members: list[int], best, best_kind) -> tuple[list[int], dict[int, int]]:
    """The records of a cluster that have a first key, and the strongest of those keys (number -> kind
    code): one, or several that tie on strength (the smallest text then decides)."""
    firsts = [n for n in members if best[n]]  # never empty: records are joined by a key they share
    top = min(int(_STRENGTHS[best_kind[n]]) for n in firsts)
    return firsts, {int(best[n]): int(best_kind[n]) for n in firsts if _STRENGTHS[best_kind[n]] == top}


def _email_of(emails: tuple[str, ...], x: int) -> str:
    """The one of these e-mails whose key has number ``x``."""
    return next((e for e in emails if key_number(f"email:{e}") == x), emails[0] if emails else "")
