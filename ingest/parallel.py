"""Several uploaded files parsed at once, one per core.

A rep's LinkedIn export (the archive's ``Connections.csv`` and ``messages.csv``), or a CRM export and an
address book uploaded together, are read in the time of the largest file rather than the sum: this
process parses the largest file (or archive member) while helper processes parse the others. Parsing a
file depends on nothing but its bytes, so the results are those of parsing them one after the other.

A helper is a fresh interpreter running this module (``python -m ingest.parallel FD``), given one end
of a socket pair: it reads its files' jobs from it and writes back each file's result. The records a
helper spooled come back as its spool files themselves: their descriptors are passed over the socket
(``SCM_RIGHTS``), so the records are neither copied nor pickled. A helper is not a fork of this process
(the app imports in a thread of a multi-threaded server) and does not import the program that started
it (``multiprocessing`` would, and run an unguarded script again).

Helpers are started only where they pay: with more than one core, and when the files beyond the
largest hold at least :data:`PARALLEL_MIN_BYTES` (starting one takes about a tenth of a second). If one
cannot start or dies, this process parses its files itself.
"""

from __future__ import annotations

import io
import os
import pickle
import socket
import struct
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from graphapp.errors import InputError
from ingest import ParsedSource, archive_result, open_archive, parse_member, parse_source
from ingest.files import Limits, Source, read_source
from ingest.records import ParsedFile
from ingest.spool import SpoolFile

PARALLEL_MIN_BYTES = 2 * 2**20
"""Helpers parse files only when the files other than the largest hold at least this many bytes."""

Item = str | Path | Source
Job = tuple[str, Source, Limits, dict[str, str] | None]  # ("file" or "member", the file, caps, column mapping)
_HEADER = struct.Struct("!QI")  # a message: its length and how many descriptors come with it
_MAX_FDS = 4096  # descriptors one result may pass: three spools per file of an archive


def parse_sources(items: Sequence[Item], limits: Limits, mappings: Sequence[dict[str, str] | None],
                  cores: int | None = None) -> Iterator[tuple[int, ParsedSource | InputError]]:
    """Parse each item (a path or an uploaded ``Source``) with its column mapping.

    Yields (index of the item, what it gave), in the order of the items: its ``ParsedSource``, or the
    ``InputError`` that refused it. The files parsed are the items, and the members of the items that
    are archives (a LinkedIn export's CSVs). ``cores``: how many may be used (default: those this
    process may run on); with one, or with files too small to be worth a helper, they are parsed here,
    one after the other.
    """
    cores = _cores() if cores is None else cores
    if cores < 2:  # each item read and parsed in turn: an archive's members are not held ahead of its parse
        for n, item in enumerate(items):
            yield n, parse_one(item, limits, mappings[n])
        return
    refused: dict[int, InputError] = {}
    archives: dict[int, tuple[Source, list[Source], list[str]]] = {}
    units: list[tuple[tuple[int, int | None], Job]] = []  # ((item, member or None), what to parse)
    for n, item in enumerate(items):
        try:
            source = item if isinstance(item, Source) else read_source(item, limits)
            archive = open_archive(source, limits)
        except InputError as exc:
            refused[n] = exc
            continue
        if archive is None:
            units.append(((n, None), ("file", source, limits, mappings[n])))
            continue
        archives[n] = (source, *archive)
        units.extend(((n, m), ("member", member, limits, None)) for m, member in enumerate(archive[0])
                     if member.basename.lower().endswith(".csv"))
    parsed = _parse_units(units, cores)
    for n in range(len(items)):
        if n in refused:
            yield n, refused[n]
        elif n in archives:
            source, members, ignored = archives[n]
            try:
                yield n, archive_result(source, members, ignored, [parsed.get((n, m)) for m in range(len(members))])
            except InputError as exc:
                yield n, exc
        else:
            yield n, parsed[(n, None)]


def parse_one(item: Item, limits: Limits, mapping: dict[str, str] | None) -> ParsedSource | InputError:
    """One item's parse, or the error that refused it (returned, as a helper returns it)."""
    try:
        source = item if isinstance(item, Source) else read_source(item, limits)
        return parse_source(source, limits, mapping)
    except InputError as exc:
        return exc


def _parse_units(units: list[tuple[tuple[int, int | None], Job]], cores: int) -> dict[tuple[int, int | None], Any]:
    """Each unit's parse, by its key: the largest here, the others by helpers when they pay."""
    sizes = [job[1].size for _, job in units]
    helpers = _helpers(sizes, cores)
    if not helpers:
        return {key: _run(job) for key, job in units}
    largest = max(range(len(units)), key=sizes.__getitem__)
    others = sorted((k for k in range(len(units)) if k != largest), key=lambda k: -sizes[k])
    shares = [others[h::helpers] for h in range(helpers)]  # the next largest to each helper in turn
    started = [(share, _Helper.start([units[k][1] for k in share])) for share in shares]
    try:
        parsed = {units[largest][0]: _run(units[largest][1])}
        for share, helper in started:
            results = helper.results() if helper is not None else []
            for i, k in enumerate(share):  # what a helper did not send back (it died) is parsed here
                parsed[units[k][0]] = results[i] if i < len(results) else _run(units[k][1])
        return parsed
    finally:  # an error here: no helper is left working for nobody
        for _, helper in started:
            if helper is not None:
                helper.stop()


def _run(job: Job) -> ParsedFile | ParsedSource | InputError | None:
    """A file's parse (see :func:`parse_one`), or an archive member's (see ``ingest.parse_member``)."""
    kind, source, limits, mapping = job
    return parse_member(source, limits) if kind == "member" else parse_one(source, limits, mapping)


class _Helper:
    """One helper process and this end of its socket."""

    def __init__(self, process: subprocess.Popen, sock: socket.socket, jobs: int) -> None:
        self._process, self._sock, self._jobs = process, sock, jobs

    @classmethod
    def start(cls, jobs: list[Job]) -> _Helper | None:
        """Start a helper on these jobs (None: it could not be started; parse them here)."""
        ours, theirs = socket.socketpair()
        try:
            process = subprocess.Popen([sys.executable, "-m", "ingest.parallel", str(theirs.fileno())],
                                       pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, env=_helper_env())
        except OSError:
            ours.close()
            return None
        finally:
            theirs.close()
        helper = cls(process, ours, len(jobs))
        try:
            _send(ours, pickle.dumps(jobs, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:  # it died at once
            helper.results()
            return None
        return helper

    def results(self) -> list[ParsedSource | InputError]:
        """Its jobs' results, in order; fewer when it died before finishing (the rest are not lost: the
        caller parses them)."""
        results: list[ParsedSource | InputError] = []
        try:
            for _ in range(self._jobs):
                data, fds = _receive(self._sock)
                results.append(_Unpickler(io.BytesIO(data), fds).load())
        except (OSError, EOFError, pickle.UnpicklingError):
            pass
        finally:
            self._sock.close()
            self._process.wait()
        return results


    def stop(self) -> None:
        """End the helper if it is still working (its results were not wanted)."""
        if self._process.poll() is None:
            self._process.kill()
        self._sock.close()
        self._process.wait()


class _Pickler(pickle.Pickler):
    """Pickles a result, passing each spool's file as a descriptor (see ``Spool.__reduce__``)."""

    def __init__(self, out: io.BytesIO) -> None:
        super().__init__(out, protocol=pickle.HIGHEST_PROTOCOL)
        self.fds: list[int] = []

    def persistent_id(self, obj: Any) -> Any:
        if isinstance(obj, SpoolFile):
            obj.file.flush()
            self.fds.append(obj.file.fileno())
            return len(self.fds) - 1
        return None


class _Unpickler(pickle.Unpickler):
    def __init__(self, data: io.BytesIO, fds: list[int]) -> None:
        super().__init__(data)
        self._fds = fds

    def persistent_load(self, pid: Any) -> Any:
        return os.fdopen(self._fds[pid], "w+b")  # the helper's own open file: nothing is read or copied


def _send(sock: socket.socket, data: bytes, fds: Sequence[int] = ()) -> None:
    socket.send_fds(sock, [_HEADER.pack(len(data), len(fds))], list(fds))
    sock.sendall(data)


def _receive(sock: socket.socket) -> tuple[bytes, list[int]]:
    header, fds, _, _ = socket.recv_fds(sock, _HEADER.size, _MAX_FDS)
    header += _exactly(sock, _HEADER.size - len(header))
    size, count = _HEADER.unpack(header)
    if len(fds) != count:
        for fd in fds:
            os.close(fd)
        raise EOFError("a helper's message lost its descriptors")
    return _exactly(sock, size), fds


def _exactly(sock: socket.socket, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = sock.recv(min(left, 1 << 20))
        if not chunk:
            raise EOFError("the helper stopped")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _helpers(sizes: Sequence[int], cores: int) -> int:
    """How many helper processes to start for files of these sizes (0: parse them here)."""
    if cores < 2 or len(sizes) < 2:
        return 0
    if sum(sorted(sizes, reverse=True)[1:]) < PARALLEL_MIN_BYTES:
        return 0
    return min(cores - 1, len(sizes) - 1)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _helper_env() -> dict[str, str]:
    """This process's environment, with its import path first: the helper imports ``ingest`` from where
    this process did, installed or not."""
    root = str(Path(__file__).resolve().parents[1])
    paths = [root, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(dict.fromkeys(paths))}


def _serve(fd: int) -> None:
    """A helper's work: parse the jobs read from the socket, and send back each result as it is done."""
    with socket.socket(fileno=fd) as sock:
        jobs: list[Job] = pickle.loads(_receive(sock)[0])
        for job in jobs:
            result = _run(job)
            out = io.BytesIO()
            pickler = _Pickler(out)
            pickler.dump(result)
            _send(sock, out.getvalue(), pickler.fds)
            del result, pickler  # its spools' files close here; the receiver has its own


if __name__ == "__main__":
    _serve(int(sys.argv[1]))
