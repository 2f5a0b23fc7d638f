"""A file's records kept on disk as they are parsed, so that an import holds one block of them at a time.

A parser appends records (``ContactRecord``, ``TieRecord``, ``PositionRecord``) one by one, as to a
list. Every ``BLOCK_ROWS`` records the block is written, column by column, to an anonymous temporary
file (deleted when closed, never named: nothing of the upload stays on disk). Reading goes a block at
a time, or a few fields of every record at a time (``columns``). Small files (every sample, most
uploads) never leave memory. The records are read back in the order they were appended; a spool is a
sequence (``len``, iteration, indexing and slicing) that only grows, until ``clear``.
"""

from __future__ import annotations

import bisect
import dataclasses
import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from operator import attrgetter
from typing import IO, Any, Generic, TypeVar, overload

from graphapp.errors import InputError
from graphapp.model import RelationshipKind

BLOCK_ROWS = 20_000
"""Records kept in memory before they are written to the spool's file (a large file's records are
read back a block at a time)."""

T = TypeVar("T")


class Spool(Generic[T]):
    """An append-only sequence of records of one dataclass ``kind``, written to disk a block at a time."""

    def __init__(self, kind: type[T], records: Iterable[T] = ()) -> None:
        self.kind = kind
        fields = dataclasses.fields(kind)  # type: ignore[arg-type]
        self._names = [f.name for f in fields]
        self._fields = attrgetter(*self._names)
        # Dates as day numbers, relationship kinds as their values: pickle writes either object an order
        # of magnitude slower than a number or a string.
        self._coded = tuple((n, _CODECS[t]) for n, f in enumerate(fields) for t in _CODECS if t in str(f.type))
        self._tail: list[T] = []  # the records not written yet
        self._blocks: list[tuple[int, int]] = []  # (offset in the file, records) of each written block
        self._starts: list[int] = []  # the number of each written block's first record
        self._written = 0
        self._file: IO[bytes] | None = None
        self._cached: tuple[int, list[T]] | None = None  # the last block read back (indexing reads in order)
        for r in records:
            self.append(r)

    # -- writing ------------------------------------------------------------------------------
    def append(self, record: T) -> None:
        tail = self._tail
        tail.append(record)
        if len(tail) >= BLOCK_ROWS:
            self._write_block()

    def extend(self, records: Iterable[T]) -> None:
        for r in records:
            self.append(r)

    def clear(self) -> None:
        """Let go of every record (and the file)."""
        self._tail, self._blocks, self._starts, self._written, self._cached = [], [], [], 0, None
        if self._file is not None:
            file, self._file = self._file, None
            try:
                file.close()
            except OSError:  # a full disk: the bytes not written are let go all the same
                pass

    def _write_block(self) -> None:
        try:
            self._write_tail()
        except OSError as exc:  # a full or unwritable temporary folder: the file cannot be imported now
            self.clear()
            raise InputError(f"no room to hold this file's records while importing it ({exc.strerror or exc}) in "
                             f"{tempfile.gettempdir()}; free some space there, or point TMPDIR at a larger disk, "
                             "and import it again (nothing of it was imported)") from None

    def _write_tail(self) -> None:
        if self._file is None:
            self._file = tempfile.TemporaryFile(prefix="graphapp-import-")
        fields = self._fields
        columns = list(zip(*[fields(r) for r in self._tail], strict=True))  # by column: a pass may read only some
        for n, (encode, _) in self._coded:
            columns[n] = [None if v is None else encode(v) for v in columns[n]]
        offset = self._file.seek(0, 2)
        pickle.dump(columns, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self._file.flush()  # a full disk says so now, not when the block is read back
        self._blocks.append((offset, len(self._tail)))
        self._starts.append(self._written)
        self._written += len(self._tail)
        self._tail = []

    # -- reading ------------------------------------------------------------------------------
    def blocks(self) -> Iterator[list[T]]:
        """The records, a block at a time, in order."""
        for n in range(len(self._blocks)):
            yield self._read_block(n)
        if self._tail:
            yield self._tail

    def columns(self, *names: str) -> Iterator[tuple]:
        """The values of these fields of each record, in order, as tuples: quicker than the records
        when a pass needs a few fields of many records."""
        at = [self._names.index(name) for name in names]
        codecs = dict(self._coded)
        for n in range(len(self._blocks)):
            columns = self._load(n)
            picked = [columns[i] if i not in codecs else [None if v is None else codecs[i][1](v) for v in columns[i]]
                      for i in at]
            yield from zip(*picked, strict=True)
        if self._tail:
            fields = attrgetter(*names)
            yield from (fields(r) if len(names) > 1 else (fields(r),) for r in self._tail)

    def __iter__(self) -> Iterator[T]:
        for block in self.blocks():
            yield from block

    def __len__(self) -> int:
        return self._written + len(self._tail)

    def __bool__(self) -> bool:
        return bool(self._written or self._tail)

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> list[T]: ...
    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[n] for n in range(*index.indices(len(self)))]
        size = len(self)
        if index < 0:
            index += size
        if not 0 <= index < size:
            raise IndexError("spool index out of range")
        if index >= self._written:
            return self._tail[index - self._written]
        n = bisect.bisect_right(self._starts, index) - 1
        return self._read_block(n)[index - self._starts[n]]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Spool | list):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable, as a list

    def __repr__(self) -> str:
        return f"Spool({self.kind.__name__}, {len(self)} records, {len(self._blocks)} on disk)"

    def _load(self, n: int) -> list[list]:
        assert self._file is not None
        self._file.seek(self._blocks[n][0])
        return pickle.load(self._file)

    def _read_block(self, n: int) -> list[T]:
        if self._cached is not None and self._cached[0] == n:
            return self._cached[1]
        columns = self._load(n)
        for i, (_, decode) in self._coded:
            columns[i] = [None if v is None else decode(v) for v in columns[i]]
        records = list(map(self.kind, *columns))
        self._cached = (n, records)
        return records


_KINDS = RelationshipKind._value2member_map_
_CODECS: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {
    "date": (date.toordinal, date.fromordinal),
    "RelationshipKind": (str, _KINDS.__getitem__),
}
"""A field's type (as its annotation names it) -> how its values are written and read back."""
