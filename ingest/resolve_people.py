"""One person per human, for the contact records of one import: records sharing a LinkedIn URL, an
e-mail, a name at the same organisation, a name within the owner's archive or a teammate's name are
one person, strongest keys first; two different LinkedIn URLs never join. Each person is a known one
(the store holds one of their keys) or a new one, whose id is made from their strongest key.

A large import has hundreds of thousands of records, spooled to disk (``ingest.spool``): they are read
a block at a time, and what resolution keeps of each is a few numbers in arrays, not strings and
tuples. A key is kept as a number: the first 64 bits of its SHA-256, the very number a person's id is
made of (``stable_id``), so two keys the number cannot tell apart would be one id anyway. The store is
asked about each block's keys as it is read. Clustering works on the numbers (sorted with numpy); the
few decisions that need a key's text (which of two equally strong keys comes first, the e-mail a note
names, a merged person's name) read the record again.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from graphapp.identity import name_key
from ingest.records import ONE_ROW_PER_PERSON, ContactRecord, ParsedFile

if TYPE_CHECKING:
    from ingest.resolve import Resolver

KINDS = ("linkedin", "email", "rep", "name", "aname")
"""The kinds of match key, by code; a key's text starts with its kind and a colon."""
STRENGTH = {"linkedin": 0, "email": 1, "rep": 1, "name": 2, "aname": 3}
REASONS = {"linkedin": "same LinkedIn profile URL", "email": "same e-mail address", "rep": "a teammate on the same team",
           "name": "same name at the same organisation", "aname": "same name within the owner's archive"}
_CODE_OF = {kind[0]: code for code, kind in enumerate(KINDS)}  # by a key's first character
_STRENGTH_OF_CODE = np.array([STRENGTH[k] for k in KINDS], dtype=np.uint8)
_NO_KEY = 9  # the "strength" of a record without keys: taken last
_LOOKED_UP = frozenset("le")  # the kinds asked of the store (by first character); reps are the team's, archive names the file's
# name: keys are asked too; aname: and rep: keys are not (they are this import's own)


def key_number(key: str) -> int:
    """A key as a number: the first 64 bits of its SHA-256 (``stable_id`` makes ids of the same bits)."""
    return int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big")


def _strength_and_key(key: str) -> tuple[int, str]:
    return STRENGTH[KINDS[_CODE_OF[key[0]]]], key


class PersonIds:
    """Person ids as numbers: ``p-`` and 16 hex digits (every id ``stable_id`` makes) is its number;
    any other id is numbered from ``ODD`` up. 0 is no id."""

    ODD = (1 << 64) - (1 << 32)
    _STANDARD = re.compile(r"p-[0-9a-f]{16}")

    def __init__(self) -> None:
        self._odd: list[str] = []
        self._odd_code: dict[str, int] = {}

    def code(self, pid: str) -> int:
        if self._STANDARD.fullmatch(pid):
            number = int(pid[2:], 16)
            if 0 < number < self.ODD:
                return number
        if pid not in self._odd_code:
            self._odd_code[pid] = self.ODD + len(self._odd)
            self._odd.append(pid)
        return self._odd_code[pid]

    def new(self, number: int) -> int:
        """The code of the id made of a key's number (``stable_id``)."""
        return number if 0 < number < self.ODD else self.code(f"p-{number:016x}")

    def pid(self, code: int) -> str:
        return f"p-{code:016x}" if code < self.ODD else self._odd[code - self.ODD]


@dataclass
class People:
    """The person of every contact record of the import's files, in file and record order."""

    offsets: list[int]  # the records of file i are numbers offsets[i] to offsets[i + 1] - 1
    codes: np.ndarray  # the person id of each record, as ``ids`` numbers it
    ids: PersonIds

    def of_file(self, i: int) -> Iterator[str]:
        """The person ids of file i's records, in order."""
        pid = self.ids.pid
        for code in self.codes[self.offsets[i]:self.offsets[i + 1]].tolist():
            yield pid(code)

    def release(self, i: int) -> None:
        """File i's facts are out: its ids are not needed (the array is let go with the last file)."""
        if i == len(self.offsets) - 2:
            self.codes = np.zeros(0, dtype=np.uint64)


@dataclass
class _Keys:
    """Every record's match keys, as numbers: entry e is key ``number[e]`` of kind ``kind[e]`` of record
    ``record[e]``; the entries of a record are together, in the order its keys were made."""

    number: array = field(default_factory=lambda: array("Q"))
    record: array = field(default_factory=lambda: array("L"))
    kind: array = field(default_factory=lambda: array("B"))


class PeopleResolver:
    """Clusters the contact records of one import (``Resolver.resolve_people`` runs it)."""

    def __init__(self, r: Resolver, files: list[ParsedFile]) -> None:
        self.r, self.files = r, files
        self.ids = PersonIds()
        self.offsets = [0]
        self.rows = array("L")  # each record's row
        self.facts: list[str] = []  # each distinct fact, by code
        self.fact = array("B")  # each record's fact code
        self.url = array("Q")  # the number of each record's linkedin: key (0: none)
        self.best = array("Q")  # the number of each record's first key by (strength, text) (0: no keys)
        self.keys = _Keys()
        self.known_number = array("Q")  # store answers: key number -> the code of its first person
        self.known_code = array("Q")
        self.shared_keys: dict[int, tuple[str, ...]] = {}  # keys the store gives several people (rare)
        self.merges: list[list] = []  # [record, person id, reason or None, name]: names filled at the end

    # -- reading the records ------------------------------------------------------------------
    def read(self) -> None:
        """Read every record once, a block at a time: its keys as numbers, and the store's answer for them."""
        r, keys = self.r, self.keys
        fact_code: dict[str, int] = {}
        n = 0
        for i, f in enumerate(self.files):
            archive = None if f.team_file else f"aname:{r.owner.email if r.owner else f.sha256}|"
            for block in f.contacts.blocks():
                asked: dict[str, int] = {}  # the block's keys to ask the store, each with its number
                for c in block:
                    texts = r.record_keys(i, c, archive)
                    url = best = 0
                    if texts:
                        first = texts[0] if len(texts) == 1 else min(texts, key=_strength_and_key)
                        for k in texts:
                            number = asked.get(k) or key_number(k)
                            code = _CODE_OF[k[0]]
                            keys.number.append(number)
                            keys.record.append(n)
                            keys.kind.append(code)
                            if code == 0:
                                url = number
                            if k is first:
                                best = number
                            if k[0] in "len":
                                asked[k] = number
                    self.url.append(url)
                    self.best.append(best)
                    self.rows.append(c.row)
                    if c.fact not in fact_code:
                        fact_code[c.fact] = len(self.facts)
                        self.facts.append(c.fact)
                    self.fact.append(fact_code[c.fact])
                    n += 1
                self._ask(asked)
            self.offsets.append(n)

    def _ask(self, asked: dict[str, int]) -> None:
        if not asked:
            return
        code = self.ids.code
        for k, pids in self.r.known.people_by_keys(asked).items():
            number = asked[k]
            self.known_number.append(number)
            self.known_code.append(code(pids[0]))
            if len(pids) > 1:
                self.shared_keys[number] = tuple(pids)

    def record(self, n: int) -> tuple[int, ParsedFile, ContactRecord]:
        """Record n read again: (file index, file, record)."""
        i = bisect.bisect_right(self.offsets, n) - 1
        f = self.files[i]
        return i, f, f.contacts[n - self.offsets[i]]

    def texts(self, n: int) -> list[str]:
        """Record n's keys as text, as ``read`` made them (before any was dropped)."""
        i, f, c = self.record(n)
        archive = None if f.team_file else f"aname:{self.r.owner.email if self.r.owner else f.sha256}|"
        return self.r.record_keys(i, c, archive)

    # -- clustering ---------------------------------------------------------------------------
    def resolve(self) -> People:
        self.read()
        size = len(self.rows)
        number = np.frombuffer(self.keys.number, dtype=np.uint64) if self.keys.number else np.zeros(0, np.uint64)
        record = np.frombuffer(self.keys.record, dtype=np.uint32 if self.keys.record.itemsize == 4 else np.uint64)
        record = record.astype(np.int64) if len(record) else np.zeros(0, np.int64)
        kind = np.frombuffer(self.keys.kind, dtype=np.uint8) if self.keys.kind else np.zeros(0, np.uint8)
        self.keys = _Keys()
        known = self._known_of(number)
        keep = self._drop_url_conflicts(number, record, kind, known)
        if keep is not None:
            number, record, kind, known = number[keep], record[keep], kind[keep], known[keep]
        starts = np.searchsorted(record, np.arange(size + 1))  # record n's entries: starts[n] to starts[n + 1] - 1
        roots = self._cluster(size, number, record, kind)
        codes = self._assign(size, roots, number, record, kind, known, starts)
        self._name_merges()
        return People(self.offsets, codes, self.ids)

    def _known_of(self, number: np.ndarray) -> np.ndarray:
        """The code of the known person of each entry's key (0: none): the store's answers, then the team's."""
        reps = {}
        for rep in self.r.all_reps().values():
            code = self.ids.code(rep.person_id)
            reps[key_number(f"rep:{rep.email}")] = code
            reps[key_number(f"email:{rep.email}")] = code
        for k in reps:
            self.shared_keys.pop(k, None)
        numbers = np.array(list(reps), dtype=np.uint64)
        keys = np.concatenate([numbers, np.frombuffer(self.known_number, dtype=np.uint64) if self.known_number else numbers[:0]])
        codes = np.concatenate([np.array(list(reps.values()), dtype=np.uint64),
                                np.frombuffer(self.known_code, dtype=np.uint64) if self.known_code else numbers[:0]])
        self.known_number, self.known_code = array("Q"), array("Q")
        keys, first = np.unique(keys, return_index=True)  # the team's answer first, so it wins
        codes = codes[first]
        known = np.zeros(len(number), dtype=np.uint64)
        if len(keys):
            at = np.minimum(np.searchsorted(keys, number), len(keys) - 1)
            hit = keys[at] == number
            known[hit] = codes[at[hit]]
        return known

    def _pids_of(self, number: int, code: int) -> tuple[str, ...]:
        """Every known person of a key (the store may give several)."""
        return self.shared_keys.get(number) or (self.ids.pid(code),)

    def _drop_url_conflicts(self, number, record, kind, known) -> np.ndarray | None:
        """No key (a name, an e-mail, a teammate's) may attach a record to a known person with another
        LinkedIn URL: two LinkedIn profiles are never one person. The key is dropped (a mask of the
        entries kept is returned, None when all are); when an e-mail would have joined them, its row
        says so (the same address on two profiles is worth a look)."""
        url = np.frombuffer(self.url, dtype=np.uint64) if self.url else np.zeros(0, np.uint64)
        own = np.zeros(len(url), dtype=np.uint64)  # the known person of each record's own URL
        linked = (kind == 0) & (known != 0)
        own[record[linked]] = known[linked]
        candidates = np.nonzero((kind != 0) & (known != 0) & (url[record] != 0) & (known != own[record]))[0]
        candidates = np.union1d(candidates, [e for e in np.nonzero((kind != 0) & (url[record] != 0))[0].tolist()
                                             if int(number[e]) in self.shared_keys or int(own[record[e]]) and
                                             key_number_of_url_shared(self, record[e])]) if self.shared_keys else candidates
        if not len(candidates):
            return None
        unsure: set[str] = set()
        same_of: dict[int, set[str]] = {}
        for e in candidates.tolist():
            n = int(record[e])
            same = same_of.setdefault(n, set(self._pids_of(int(url[n]), int(own[n])) if own[n] else ()))
            unsure.update(p for p in self._pids_of(int(number[e]), int(known[e])) if p not in same)
        people = {pid: p for pid, p in self.r.known.get_people(sorted(unsure)).items() if p.linkedin_url}
        if not people:
            return None
        keep = np.ones(len(number), dtype=bool)
        for e in candidates.tolist():
            n = int(record[e])
            other = next((people[pid] for pid in self._pids_of(int(number[e]), int(known[e]))
                          if pid in people and key_number("linkedin:" + people[pid].linkedin_url) != int(url[n])), None)
            if other is None:
                continue
            keep[e] = False
            if KINDS[kind[e]] == "email":
                _, f, c = self.record(n)
                email = self._email_of(c, int(number[e]))
                self.r.result.notes.append((f, c.row, (
                    f"{email} is {other.name}'s in the graph, who has another LinkedIn profile: "
                    "kept as two people (two LinkedIn profiles are never one person)")))
        return keep

    @staticmethod
    def _email_of(c: ContactRecord, number: int) -> str:
        return next((e for e in c.emails if key_number(f"email:{e}") == number), c.emails[0] if c.emails else "?")

    def _cluster(self, size: int, number, record, kind) -> np.ndarray:
        """Each record's cluster, by its smallest record. Records are taken in order of their strongest
        key, each record's keys strongest first; a key joins a record to the first record that had it,
        unless the two clusters have different LinkedIn URLs."""
        strength = _STRENGTH_OF_CODE[kind]
        weakest = np.full(size, _NO_KEY, dtype=np.uint8)
        if len(record):
            np.minimum.at(weakest, record, strength)  # each record's strongest key (the smallest number)
        rank = np.empty(size, dtype=np.int64)
        rank[np.argsort(weakest, kind="stable")] = np.arange(size)
        order = np.lexsort((np.arange(len(record)), strength, rank[record]))  # entries in the order they are taken
        taken_number, taken_record = number[order], record[order]
        if len(order):
            _, first_at, which = np.unique(taken_number, return_index=True, return_inverse=True)
            first = taken_record[first_at[which]]
        else:
            first = taken_record
        joins = np.nonzero(first != taken_record)[0]
        parent = array("L", range(size))
        url_of = array("Q", self.url)  # a root's: its cluster's
        self.url = array("Q")

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = x = parent[parent[x]]
            return x

        taken_kind = kind[order]
        for at, n, other in zip(joins.tolist(), taken_record[joins].tolist(), first[joins].tolist(), strict=True):
            ra, rb = find(n), find(other)
            if ra == rb:
                continue
            url_a, url_b = url_of[ra], url_of[rb]
            if url_a and url_b and url_a != url_b:  # two different LinkedIn profiles are never one person
                if taken_kind[at] == 1:  # the same address on two profiles: worth a look
                    self._note_kept_apart(n, other, int(taken_number[at]))
                continue
            root, child = (ra, rb) if ra < rb else (rb, ra)
            parent[child] = root
            if url_a or url_b:
                url_of[root] = url_a or url_b
        roots = np.frombuffer(parent, dtype=np.uint32 if parent.itemsize == 4 else np.uint64).astype(np.int64)
        while True:  # each record's root: a parent is never larger than its child
            up = roots[roots]
            if np.array_equal(up, roots):
                return roots
            roots = up

    def _note_kept_apart(self, n: int, other: int, number: int) -> None:
        _, f, c = self.record(n)
        _, g, d = self.record(other)
        where = f"row {d.row}" if g is f else f"{g.name} row {d.row}"
        self.r.result.notes.append((f, c.row, f"{self._email_of(c, number)} is also on {where}, with another LinkedIn "
                                              "profile: kept as two people (two LinkedIn profiles are never one person)"))

    # -- people -------------------------------------------------------------------------------
    def _assign(self, size: int, roots, number, record, kind, known, starts) -> np.ndarray:
        """Give each record its person: known, or new."""
        r, ids = self.r, self.ids
        result = r.result
        strength = _STRENGTH_OF_CODE[kind]
        counts = np.bincount(roots, minlength=size) if size else np.zeros(0, np.int64)
        alone = counts[roots] == 1
        best = np.frombuffer(self.best, dtype=np.uint64) if self.best else np.zeros(0, np.uint64)
        self.best = array("Q")
        # Per record: how many of its keys are known, and the smallest and largest known person.
        is_known = known != 0
        known_count = np.bincount(record[is_known], minlength=size) if size else np.zeros(0, np.int64)
        lowest = np.full(size, np.iinfo(np.uint64).max, dtype=np.uint64)
        highest = np.zeros(size, dtype=np.uint64)
        np.minimum.at(lowest, record[is_known], known[is_known])
        np.maximum.at(highest, record[is_known], known[is_known])
        codes = np.zeros(size, dtype=np.uint64)

        # A new person from one record, the common case: the id of their strongest key.
        new_alone = alone & (known_count == 0)
        codes[new_alone] = best[new_alone]
        for n in np.nonzero(new_alone & ((best == 0) | (best >= PersonIds.ODD)))[0].tolist():
            codes[n] = ids.new(int(best[n]) or key_number(f"{r.import_id}:{n}"))
        added = int(new_alone.sum())
        matched = np.zeros(size, dtype=np.uint64)  # the known person each matched record is
        # A known person from one record whose known keys all name them.
        plain = alone & (known_count > 0) & (lowest == highest)
        codes[plain] = lowest[plain]
        matched[plain] = lowest[plain]
        for n in np.nonzero(alone & (known_count > 0) & (lowest != highest))[0].tolist():  # several known people
            found = self._found(n, [n])
            codes[n] = matched[n] = found[0][1]
            self._absorb(found[0][1], [c for _, c in found[1:]], n)
        # Clusters of several records.
        several: dict[int, list[int]] = {}
        for n, root in zip(np.nonzero(~alone)[0].tolist(), roots[~alone].tolist(), strict=True):
            several.setdefault(root, []).append(n)
        self._note_duplicates(several, number, kind, starts)
        fact_sha = [f.sha256 for f in self.files]
        for root in sorted(several):
            members = several[root]
            knowns = {int(c) for n in members if known_count[n] for c in (lowest[n], highest[n])}
            if not knowns:
                # A new person from several records: the first of their keys by (strength, text).
                with_keys = [n for n in members if best[n]]
                if not with_keys:
                    code = ids.new(key_number(f"{r.import_id}:{members[0]}"))
                    key_kind = None
                else:
                    top = min(_STRENGTH_OF_CODE[self._kind_of_best(n, number, kind, starts)] for n in with_keys)
                    tied = {int(best[n]) for n in with_keys if _STRENGTH_OF_CODE[self._kind_of_best(n, number, kind, starts)] == top}
                    if len(tied) == 1:
                        chosen = tied.pop()
                    else:  # equally strong first keys: the smallest text decides (read again)
                        text = min((min(self.texts(n), key=_strength_and_key) for n in with_keys), key=_strength_and_key)
                        chosen = key_number(text)
                    code = ids.new(chosen)
                    key_kind = KINDS[int(kind[starts[with_keys[0]] + int(np.nonzero(number[starts[with_keys[0]]:starts[with_keys[0] + 1]] == chosen)[0][0])])] \
                        if chosen in number[starts[with_keys[0]]:starts[with_keys[0] + 1]] else self._kind_of_number(chosen, with_keys, number, kind, starts)
                added += 1
                for n in members:
                    codes[n] = code
                if any(fact_sha[self._file_of(n)] != fact_sha[self._file_of(members[0])] for n in members):
                    self._merged(members[0], code, key_kind or "name")
                continue
            if len(knowns) == 1:
                code = knowns.pop()
            else:
                found = self._found(members[0], members)
                code = found[0][1]
                self._absorb(code, [c for _, c in found[1:]], members[0])
            for n in members:
                codes[n] = code
                matched[n] = code
        result.people_added += added
        codes = self._absorbed(codes)
        matched = self._absorbed(matched)
        self._matched(matched, number, kind, starts)
        return codes

    def _kind_of_best(self, n: int, number, kind, starts) -> int:
        lo, hi = starts[n], starts[n + 1]
        at = np.nonzero(number[lo:hi] == self._best_of(n, number, kind, starts))[0]
        return int(kind[lo + at[0]]) if len(at) else int(kind[lo:hi].min())

    def _best_of(self, n: int, number, kind, starts) -> int:
        lo, hi = starts[n], starts[n + 1]
        strengths = _STRENGTH_OF_CODE[kind[lo:hi]]
        return int(number[lo + int(np.argmin(strengths))])

    def _kind_of_number(self, chosen: int, members, number, kind, starts) -> str:
        for n in members:
            lo, hi = starts[n], starts[n + 1]
            at = np.nonzero(number[lo:hi] == chosen)[0]
            if len(at):
                return KINDS[int(kind[lo + at[0]])]
        return "name"

    def _file_of(self, n: int) -> int:
        return bisect.bisect_right(self.offsets, n) - 1

    def _found(self, n: int, members: list[int]) -> list[tuple[str, int]]:
        """The known keys of these records as (key text, person code), by (strength, text): read again."""
        texts = sorted({k for m in members for k in self.texts(m)}, key=_strength_and_key)
        known = self._known_texts(texts)
        return [(k, known[k]) for k in texts if k in known]

    def _known_texts(self, texts: list[str]) -> dict[str, int]:
        code, reps = self.ids.code, self.r.all_reps()
        found = {k: code(pids[0]) for k, pids in self.r.known.people_by_keys([k for k in texts if k[0] in "len"]).items()}
        for rep in reps.values():
            for k in (f"rep:{rep.email}", f"email:{rep.email}"):
                if k in texts:
                    found[k] = code(rep.person_id)
        return found

    def _absorb(self, keep: int, others: list[int], n: int) -> None:
        """Known people that one record links (an e-mail here, a name at a company there) become one,
        unless their LinkedIn profiles differ or both are reps."""
        r, pid = self.r, self.ids.pid
        keep_id = pid(keep)
        gone = [o for o in dict.fromkeys(pid(c) for c in others) if o != keep_id and o not in r.absorbed]
        if not gone:
            return
        people = r.known.get_people([keep_id, *gone])
        reps = {rep.person_id for rep in r.all_reps().values()}
        url = people[keep_id].linkedin_url if keep_id in people else None
        c = self.record(n)[2]
        for other in gone:
            other_url = people[other].linkedin_url if other in people else None
            if (url and other_url and url != other_url) or (keep_id in reps and other in reps):
                continue
            url = url or other_url
            r.absorbed[other] = keep_id
            from ingest.resolve import Merge

            r.result.merges.append(Merge(keep_id, c.name or keep_id, "one record links two known people"))

    def _absorbed(self, codes: np.ndarray) -> np.ndarray:
        """Ids of people absorbed into others replaced by theirs."""
        absorbed = self.r.absorbed
        if not absorbed:
            return codes
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
                    lo, hi = starts[n], starts[n + 1]
                    shared = [int(kind[e]) for e in range(lo, hi) if int(number[e]) in seen]
                    why = REASONS[KINDS[min(shared, key=lambda k: _STRENGTH_OF_CODE[k])]] if shared else "linked through other records"
                    self.r.result.notes.append((self.files[i], rows[n], f"same person as row {rows[same[0]]} ({why}): merged into one"))
                    seen.update(number[lo:hi].tolist())

    def _matched(self, matched: np.ndarray, number, kind, starts) -> None:
        """Known people the records name: how many, and a merge for each that a new file asserts."""
        result = self.r.result
        at = np.nonzero(matched)[0]
        if not len(at):
            return
        people, first_at = np.unique(matched[at], return_index=True)
        result.people_known += len(people)
        pid = self.ids.pid
        sources = self.r.known.sources_of_people(sorted(pid(c) for c in people.tolist()))
        if not sources:
            return
        files = np.searchsorted(np.array(self.offsets[1:]), at, side="right")  # each matched record's file
        shas = [f.sha256 for f in self.files]
        order = np.argsort(matched[at], kind="stable")
        bounds = np.searchsorted(matched[at][order], people)
        ends = np.append(bounds[1:], len(order))
        strength = _STRENGTH_OF_CODE[kind]
        merged = []
        for code, lo, hi in zip(people.tolist(), bounds.tolist(), ends.tolist(), strict=True):
            known = sources.get(pid(code))
            if not known:
                continue
            members = order[lo:hi]
            if any(shas[i] not in known for i in set(files[members].tolist())):  # a file that did not assert them before
                records = at[members]
                merged.append((int(records.min()), code, records))
        for n, code, records in sorted(merged, key=lambda m: self._cluster_order(m)):
            entries = np.concatenate([np.arange(starts[m], starts[m + 1]) for m in records.tolist()])
            if len(entries):
                e = entries[np.lexsort((kind[entries], strength[entries]))[0]]
                self._merged(n, code, KINDS[int(kind[e])])
            else:
                self._merged(n, code, "name")

    @staticmethod
    def _cluster_order(m) -> int:
        return m[0]

    def _merged(self, n: int, code: int, kind: str) -> None:
        self.r.result.people_merged += 1
        self.merges.append([n, self.ids.pid(code), REASONS[kind], None])

    def _name_merges(self) -> None:
        """The merges, named after their first record (read again, in order)."""
        from ingest.resolve import Merge

        result = self.r.result
        for m in sorted(self.merges, key=lambda m: m[0]):
            c = self.record(m[0])[2]
            m[3] = c.name or (c.emails[0] if c.emails else m[1])
        result.merges.extend(Merge(pid, name, reason) for _, pid, reason, name in self.merges)
        self.merges = []


def key_number_of_url_shared(resolver: PeopleResolver, n) -> bool:
    """Whether record n's own URL key is one the store gives several people."""
    url = int(np.frombuffer(resolver.url, dtype=np.uint64)[n]) if resolver.url else 0
    return url in resolver.shared_keys


__all__: Sequence[str] = ("KINDS", "REASONS", "STRENGTH", "People", "PeopleResolver", "PersonIds", "key_number")
_unused: Callable | None = None
