"""The in-memory graph view that ranking runs on: compressed (CSR) numpy arrays, built once per store version.

Why arrays and not ``networkx.Graph``: at one million relationships a CSR adjacency builds in well
under a second and costs tens of bytes per tie, where an ``nx.Graph`` of the same ties takes seconds
and about 450 bytes per tie (``benchmarks/graph_view.py`` measures both in one run). networkx stays
the tool for drawing small path subgraphs and for reference implementations in tests.

The view is undirected: every relationship appears in the adjacency of both its people; per-tie
attributes are looked up by relationship index (``edge_ids``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from graphapp.model import KIND_ORDER, ORG_TARGET, GraphSnapshot, RelationshipKind


@dataclass(frozen=True, eq=False)
class Adjacency:
    """A compressed sparse row adjacency: the neighbours of ``i`` are ``indices[indptr[i]:indptr[i+1]]``."""

    indptr: np.ndarray
    indices: np.ndarray
    edge_ids: np.ndarray

    def neighbours(self, i: int) -> np.ndarray:
        return self.indices[self.indptr[i] : self.indptr[i + 1]]

    def edges_of(self, i: int) -> np.ndarray:
        return self.edge_ids[self.indptr[i] : self.indptr[i + 1]]


def _csr(rows: np.ndarray, cols: np.ndarray, ids: np.ndarray, n_rows: int) -> Adjacency:
    order = np.argsort(rows, kind="stable")
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n_rows), out=indptr[1:])
    return Adjacency(indptr=indptr, indices=cols[order].astype(np.int32), edge_ids=ids[order].astype(np.int32))


class GraphView:
    """The whole graph of one store version as arrays. Read-only; share it between threads freely."""

    def __init__(self, snap: GraphSnapshot) -> None:
        self.version = snap.version
        self.person_ids = snap.person_ids
        self.person_names = snap.person_names
        self.person_titles = snap.person_titles
        self.org_ids = snap.org_ids
        self.org_names = snap.org_names
        self.org_flags = np.asarray(snap.org_flags, dtype=np.int8)
        self.rep_person = np.asarray(snap.rep_person, dtype=np.int32)
        self.rep_emails = snap.rep_emails
        self.owners = snap.owners
        self.source = np.asarray(snap.rel_source, dtype=np.int32)
        self.target = np.asarray(snap.rel_target, dtype=np.int32)
        self.kind = np.asarray(snap.rel_kind, dtype=np.int8)
        self.owner = np.asarray(snap.rel_owner, dtype=np.int32)
        self.visibility = np.asarray(snap.rel_visibility, dtype=np.int8)
        self.first_seen = np.asarray(snap.rel_first_seen, dtype=np.int32)
        self.last_interaction = np.asarray(snap.rel_last_interaction, dtype=np.int32)
        self.count_out = np.asarray(snap.rel_count_out, dtype=np.int32)
        self.count_in = np.asarray(snap.rel_count_in, dtype=np.int32)
        self.override = np.asarray(snap.rel_override, dtype=np.float32)
        self.emp_person = np.asarray(snap.emp_person, dtype=np.int32)
        self.emp_org = np.asarray(snap.emp_org, dtype=np.int32)
        self.emp_current = np.asarray(snap.emp_current, dtype=np.bool_)
        self.emp_start = np.asarray(snap.emp_start, dtype=np.int32)
        self.emp_end = np.asarray(snap.emp_end, dtype=np.int32)
        self.emp_titles = snap.emp_titles
        m = len(self.source)
        ids = np.arange(m, dtype=np.int32)
        self.adjacency = _csr(
            np.concatenate([self.source, self.target]),
            np.concatenate([self.target, self.source]),
            np.concatenate([ids, ids]),
            self.n_people,
        )
        self.employees = _csr(self.emp_org, self.emp_person, np.arange(len(self.emp_org), dtype=np.int32), self.n_orgs)
        self.jobs = _csr(self.emp_person, self.emp_org, np.arange(len(self.emp_org), dtype=np.int32), self.n_people)

    @property
    def n_people(self) -> int:
        return len(self.person_ids)

    @property
    def n_orgs(self) -> int:
        return len(self.org_ids)

    @property
    def n_relationships(self) -> int:
        return len(self.source)

    @cached_property
    def person_index(self) -> dict[str, int]:
        """Person id -> position (built on first use)."""
        return {pid: i for i, pid in enumerate(self.person_ids)}

    @cached_property
    def org_index(self) -> dict[str, int]:
        return {oid: i for i, oid in enumerate(self.org_ids)}

    def degree(self, i: int) -> int:
        return int(self.adjacency.indptr[i + 1] - self.adjacency.indptr[i])

    def current_employees(self, org: int) -> np.ndarray:
        """Positions of the people currently employed at organisation ``org`` (sorted, unique)."""
        rows = self.employees.edges_of(org)
        return np.unique(self.emp_person[rows[self.emp_current[rows]]])

    def target_accounts(self) -> np.ndarray:
        return np.flatnonzero(self.org_flags & ORG_TARGET)

    def kind_of(self, edge: int) -> RelationshipKind:
        return KIND_ORDER[int(self.kind[edge])]

    def nbytes(self) -> int:
        """Bytes held in the numpy arrays (the lists of ids and names come on top)."""
        arrays = [v for v in vars(self).values() if isinstance(v, np.ndarray)]
        arrays += [a for adj in (self.adjacency, self.employees, self.jobs) for a in (adj.indptr, adj.indices, adj.edge_ids)]
        return sum(a.nbytes for a in arrays)


def build_view(snapshot: GraphSnapshot) -> GraphView:
    """Build the in-memory view of one snapshot (what ``GraphCache`` calls once per store version)."""
    return GraphView(snapshot)


class GraphCache:
    """Holds the view of the latest store version; rebuilds only when the version changes.

    ``current(version, load)`` returns the cached view when ``version`` matches, otherwise calls
    ``load()`` (which reads a snapshot) and builds a new one. Thread-safe: concurrent callers of a
    new version wait for one build.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._view: GraphView | None = None
        self.builds = 0

    def holds(self, version: int) -> bool:
        """Whether the view of ``version`` is built (asking builds nothing)."""
        view = self._view
        return view is not None and view.version == version

    def current(self, version: int, load: Callable[[], GraphSnapshot]) -> GraphView:
        view = self._view
        if view is not None and view.version == version:
            return view
        with self._lock:
            if self._view is None or self._view.version != version:
                self._view = build_view(load())
                self.builds += 1
            return self._view
