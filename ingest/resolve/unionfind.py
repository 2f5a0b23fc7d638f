"""A plain union-find, shared by the organisation and the people steps of resolution (``resolver``,
``people``): members are numbers 0..n-1, added one at a time or given as a size; a set's root is its
smallest member, so sets come out in a stable order."""

from __future__ import annotations

from collections.abc import Iterator


class UnionFind:
    def __init__(self, size: int = 0) -> None:
        self.parent = list(range(size))

    def add(self) -> int:
        """A new member in a set of its own; returns its number."""
        self.parent.append(len(self.parent))
        return len(self.parent) - 1

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = x = parent[parent[x]]
        return x

    def union(self, a: int, b: int) -> int:
        """Join the sets of a and b; returns the root of the joined set (the smaller root)."""
        ra, rb = self.find(a), self.find(b)
        root, child = (ra, rb) if ra <= rb else (rb, ra)
        self.parent[child] = root
        return root

    def groups(self) -> Iterator[list[int]]:
        """The sets, each in ascending order, ordered by their smallest member."""
        found: dict[int, list[int]] = {}
        for n in range(len(self.parent)):
            found.setdefault(self.find(n), []).append(n)
        yield from found.values()
