"""Several uploaded files parsed at once, one per core.

A rep's LinkedIn ``Connections.csv`` and ``messages.csv``, or a CRM export and an address book uploaded
together, are read in the time of the largest rather than the sum: this process parses the largest
file while helper processes parse the others. Parsing a file depends on nothing but its bytes, so the
results are the ones of parsing them one after the other; a helper's records on disk come back as the
file itself (see ``Spool.__reduce__``), not as a copy.

Helpers are started only where they pay: with more than one core, and when the files beyond the
largest hold at least :data:`PARALLEL_MIN_BYTES` (starting one takes about a tenth of a second). They
are started by a fork server, never by forking this process: the app runs imports in a thread of a
multi-threaded server.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from graphapp.errors import InputError
from ingest import ParsedSource, parse_source
from ingest.files import Limits, Source, read_source

PARALLEL_MIN_BYTES = 2 * 2**20
"""Helpers parse files only when the files other than the largest hold at least this many bytes."""

Item = str | Path | Source


def parse_sources(items: Sequence[Item], limits: Limits, mappings: Sequence[dict[str, str] | None],
                  cores: int | None = None) -> Iterator[tuple[int, ParsedSource | InputError]]:
    """Parse each item (a path or an uploaded ``Source``) with its column mapping.

    Yields (index of the item, what it gave) as each is done: its ``ParsedSource``, or the
    ``InputError`` that refused it. ``cores``: how many may be used (default: those this process may
    run on); with one, or with files too small to be worth a helper, they are parsed here, in order.
    """
    helpers = _helpers(items, _cores() if cores is None else cores)
    if not helpers:
        for n, item in enumerate(items):
            yield n, parse_one(item, limits, mappings[n])
        return
    largest = max(range(len(items)), key=lambda n: _size(items[n]))
    try:
        pool = ProcessPoolExecutor(max_workers=helpers, mp_context=_context())
    except (OSError, ValueError):  # no processes to be had here (a sandbox, no shared memory): in order, here
        for n, item in enumerate(items):
            yield n, parse_one(item, limits, mappings[n])
        return
    with pool:
        futures = {pool.submit(parse_one, item, limits, mappings[n]): n for n, item in enumerate(items) if n != largest}
        yield largest, parse_one(items[largest], limits, mappings[largest])
        for future in as_completed(futures):
            n = futures[future]
            try:
                result = future.result()
            except BrokenProcessPool:  # the helper died (killed, out of memory): read the file here instead
                result = parse_one(items[n], limits, mappings[n])
            yield n, result


def parse_one(item: Item, limits: Limits, mapping: dict[str, str] | None) -> ParsedSource | InputError:
    """One item's parse, or the error that refused it (returned, so that it comes back from a helper
    as a value)."""
    try:
        source = item if isinstance(item, Source) else read_source(item, limits)
        return parse_source(source, limits, mapping)
    except InputError as exc:
        return exc


def _helpers(items: Sequence[Item], cores: int) -> int:
    """How many helper processes to start (0: parse here)."""
    if cores < 2 or len(items) < 2:
        return 0
    sizes = sorted((_size(item) for item in items), reverse=True)
    if sum(sizes[1:]) < PARALLEL_MIN_BYTES:
        return 0
    return min(cores - 1, len(items) - 1)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _size(item: Item) -> int:
    try:
        return item.size if isinstance(item, Source) else Path(item).stat().st_size
    except OSError:  # missing or unreadable: parse_one says so
        return 0


def _context() -> multiprocessing.context.BaseContext:
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        # The server imports the program once (a helper then need not: the app's or the CLI's own modules
        # take longer to import than a helper's work on a few megabytes) and the parsers.
        context.set_forkserver_preload(["__main__", "ingest.parallel"])
        return context
    return multiprocessing.get_context("spawn")
