"""The import pipeline behind ``service.import_files``: parse every file, decide whose data it is,
resolve who is who against the store, write one transaction, and account for every row. Also the
browser's upload flow: ``preview_upload`` (format, archive members and first rows, nothing imported),
``import_uploads`` (bytes instead of paths, a column mapping per file) and ``describe_merges``.

Part of the service (the one place that joins ``ingest`` and the stores).
"""

from __future__ import annotations

import gc
import itertools
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from graphapp.domain.identity import name_key, normalize_email, stable_id
from graphapp.errors import InputError
from graphapp.model import ImportFile, ImportRecord, Rep, Visibility
from graphapp.store import GraphStore
from ingest import ParsedSource, parse_file
from ingest.files import Limits, Source, Table, decode, read_table, table_records, text_lines, zip_members
from ingest.formats.team import FIELDS, mapped_columns
from ingest.parallel import parse_sources
from ingest.records import OWNER, ParsedFile
from ingest.registry import detect_csv, detect_text, kind_of
from ingest.resolve.resolver import resolve

# An import allocates hundreds of thousands of records, facts and rows that all stay alive until it
# ends, and makes no reference cycles (a collection right after one finds nothing). The cyclic
# collector would pass over them again and again as they pile up, for a third of the import's time,
# so it is paused while imports run; memory is still freed at once by reference counting.
_gc_lock = threading.Lock()
_gc_imports = 0  # imports running (in any thread)
_gc_was_enabled = False  # whether to turn the collector back on when the last one ends


@contextmanager
def _gc_paused() -> Iterator[None]:
    global _gc_imports, _gc_was_enabled
    with _gc_lock:
        if _gc_imports == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_imports += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_imports -= 1
            if _gc_imports == 0 and _gc_was_enabled:
                gc.enable()


class Step(str):
    """A progress message of an import that also says how far the whole import has got: ``share``,
    from 0 to 1, by the time each part takes (reading about a tenth, matching about a tenth, writing
    the rest but the commit). Callers that only print messages use it as the text it is."""

    share: float

    def __new__(cls, text: str, share: float) -> Step:
        step = super().__new__(cls, text)
        step.share = max(0.0, min(1.0, share))
        return step


_READ, _MATCHED, _WRITTEN = 0.12, 0.24, 0.94  # the shares reached when each part ends


def run_import(store: GraphStore, sources: list, *, owner: str | None, mapping: dict[str, str] | None, strict: bool,
               visibility: str, record: ImportRecord, progress: Callable[[str], None],
               mappings: dict[str, dict[str, str]] | None = None):
    """Run one import; ``mappings`` ({file name: {column: field}}) overrides ``mapping`` per file."""
    with _gc_paused():
        return _run_import(store, sources, owner=owner, mapping=mapping, strict=strict, visibility=visibility,
                           record=record, progress=progress, mappings=mappings or {})


def _run_import(store: GraphStore, sources: list, *, owner: str | None, mapping: dict[str, str] | None, strict: bool,
                visibility: str, record: ImportRecord, progress: Callable[[str], None],
                mappings: dict[str, dict[str, str]]):
    from graphapp.service import FileReport, ImportReport

    try:
        default_visibility = Visibility(visibility)
    except ValueError:
        raise InputError(f"Unknown visibility {visibility!r}; choose private, existence or team.") from None
    owner_email = normalize_email(owner) if owner else None
    parsed, refused, ignored = _parse_all(sources, mapping, mappings, strict, progress)
    rep = _owner(store, parsed, owner_email)
    usable = []
    for f in parsed:
        if _needs_owner(f) and rep is None:
            refused.append(FileReport(f.name, f.format, f.rows_read, 0, f.rows_read, (
                (None, None, "whose data is this? name the rep with --owner REP_EMAIL (or choose the rep on the Import page)"),
            ), committed=False))
        else:
            usable.append(f)
    if strict:
        _refuse_on_first_problem(usable, refused)
    # Forgotten people stay forgotten: their rows are rejected, see graphapp/service_admin.py (DEL-1).
    from graphapp.service.admin import drop_suppressed

    drop_suppressed(store, usable)
    if not usable:
        return ImportReport(None, tuple(refused), ignored=tuple(ignored))
    progress(Step(f"Matching {sum(len(f.contacts) for f in usable):,} records against the graph", _READ))
    total = sum(len(f.contacts) + len(f.ties) + len(f.positions) for f in usable) or 1  # read before resolve empties them
    resolution = resolve(usable, store, record.id, owner=rep, visibility=default_visibility)
    files = tuple(ImportFile(f.name, f.size, f.sha256, f.format) for f in usable)
    with store.importing(record.__class__(**{**record.__dict__, "files": files})) as writer:
        # Batch by batch inside the one transaction: each is made, written and let go.
        done = 0
        for batch in resolution.batches:
            progress(_writing(batch, done, total))
            done += _records_in(batch)
            writer.write(batch)
            del batch
        progress(Step("Saving the import", _WRITTEN))
    added = writer.added()
    notes: dict[str, list] = {}  # complete now that every batch was made
    for f, row, text in resolution.notes:
        if row is not None:
            notes.setdefault(f.name, []).append((row, None, text))
    reports = tuple(_file_report(f, notes.get(f.name, [])) for f in usable) + tuple(refused)
    return ImportReport(
        record.id, reports, people_added=added["people"], people_merged=resolution.people_merged,
        people_known=resolution.people_known,
        organizations_added=added["organizations"], relationships_added=added["relationships"],
        merges=tuple((m.person_id, m.name, m.reason) for m in resolution.merges), merges_made=resolution.merges_made,
        ignored=tuple(ignored),
        notes=tuple(text for _, row, text in resolution.notes if row is None),
    )


def _records_in(batch) -> int:
    """How many of the files' records a batch writes: a contact's person and job come together, a
    tie is one relationship, a position one job (the first batch, of organisations and reps, none)."""
    if batch.organizations or batch.reps or batch.merges:
        return 0
    return len(batch.people) + len(batch.relationships) + (0 if batch.people else len(batch.employments))


def _writing(batch, done: int, total: int) -> Step:
    n = _records_in(batch)
    if not n:
        return Step(f"Writing {len(batch):,} organisations, reps and links between people", _MATCHED)
    last = min(done + n, total)
    text = f"Writing records {min(done + 1, last):,}-{last:,} of {total:,}"
    return Step(text, _MATCHED + (_WRITTEN - _MATCHED) * min(done, total) / total)


def import_limits() -> Limits:
    """The input caps, from the settings (max_file_mb, max_rows, ...)."""
    from graphapp.settings import get_setting

    mb = 1024 * 1024
    return Limits(
        max_file_bytes=get_setting("max_file_mb") * mb, max_rows=get_setting("max_rows"),
        max_columns=get_setting("max_columns"), max_field_chars=get_setting("max_cell_chars"),
        max_name_chars=get_setting("max_name_chars"), max_zip_members=get_setting("max_zip_members"),
        max_zip_bytes=get_setting("max_zip_mb") * mb, max_zip_ratio=get_setting("max_zip_ratio"),
    )


def _parse_all(sources, mapping, mappings, strict, progress) -> tuple[list[ParsedFile], list, list[str]]:
    """Parse every source (several at once where that pays, see ``ingest.parallel``); the results are
    taken in the order of the sources, whichever finished first."""
    from graphapp.service import FileReport

    parsed, refused, ignored = [], [], []
    limits = import_limits()
    names = [Path(getattr(item, "name", str(item))).name for item in sources]
    full_names = [getattr(item, "name", str(item)) for item in sources]
    results: dict[int, ParsedSource | InputError] = {}
    progress(Step(f"Reading {names[0]}" + (f" and {len(names) - 1} more" if len(names) > 1 else ""), 0.0))
    for n, result in parse_sources(sources, limits, [mappings.get(name, mapping) for name in full_names]):
        results[n] = result
        if isinstance(result, ParsedSource):
            rows = ", ".join(f"{f.rows_read:,} rows ({f.format})" for f in result.files)
            progress(Step(f"Read {names[n]}: {rows}", _READ * len(results) / len(sources)))
        else:
            progress(Step(f"Refused {names[n]}: {result}", _READ * len(results) / len(sources)))
    for n in range(len(sources)):
        result = results[n]
        if isinstance(result, InputError):
            if strict:
                raise result
            refused.append(FileReport(full_names[n], "unknown", 0, 0, 0, ((None, None, str(result)),), committed=False))
            continue
        parsed.extend(result.files)
        ignored.extend(f"{result.name}: {why}" for why in result.ignored)
    return parsed, refused, ignored


def _needs_owner(f: ParsedFile) -> bool:
    if f.team_file:
        return False
    return any(OWNER in (t.a, t.b) for t in f.ties) or any(p.who == OWNER for p in f.positions) or f.owner is not None


def _owner(store: GraphStore, files: list[ParsedFile], email: str | None) -> Rep | None:
    """The rep whose data the files are: --owner, else what the files say (archive profile, calendar owner)."""
    reps = {r.email: r for r in store.list_reps()}
    profile = next((f.owner for f in files if f.owner and (f.owner.name or f.owner.emails)), None)
    email = email or next((f.owner_email for f in files if f.owner_email), None)
    if email is None and profile:
        email = next((e for e in profile.emails), None)
        if email is None:
            by_name = {name_key(r.name): r for r in reps.values()}
            match = by_name.get(name_key(profile.name))
            email = match.email if match else None
    if email is None:
        return None
    if email in reps:
        return reps[email]
    person_id = store.find_people(emails=[email]).get(email) or stable_id("p", f"email:{email}")
    name = profile.name if profile and profile.name else " ".join(w.capitalize() for w in email.split("@")[0].split("."))
    return Rep(email=email, person_id=person_id, name=name)


def _refuse_on_first_problem(files: list[ParsedFile], refused: list) -> None:
    if refused:
        first = refused[0]
        raise InputError(f"{first.path}: {first.errors[0][2]} (--strict: nothing was imported)")
    for f in files:
        if f.errors:
            e = f.errors[0]
            where = f"row {e.row}" + (f", column {e.column}" if e.column else "")
            raise InputError(f"{f.name}, {where}: {e.reason} (--strict: nothing was imported)")


def _file_report(f: ParsedFile, notes: list):
    from graphapp.service import FileReport

    errors = tuple((i.row, i.column, i.reason) for i in f.issues if i.severity == "error")
    warnings = tuple((i.row, i.column, i.reason) for i in f.issues if i.severity == "warning") + tuple(notes)
    return FileReport(f.name, f.format, f.rows_read, f.rows_accepted, f.rows_rejected, errors, warnings)


# -- the browser's upload flow: look before importing ----------------------------------------------
MAPPING_FIELDS: tuple[str, ...] = FIELDS
"""The fields a column of an unknown CSV can be mapped to (``graphapp import --map COLUMN=FIELD``)."""


@dataclass(frozen=True)
class FilePreview:
    """What one uploaded file holds, read without importing anything.

    ``problem`` says why the file cannot be imported as it is (None: it can); ``needs_mapping`` marks
    a CSV of unknown layout whose columns the user can map to :data:`MAPPING_FIELDS`. An archive
    lists the members that will be read (``members``) and those that will not (``ignored``).
    """

    name: str
    size: int
    format: str | None = None  # the importer's id (e.g. "linkedin-connections"); None: not recognised
    label: str = ""  # the format in words
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()  # the first data rows, in column order
    problem: str | None = None
    needs_mapping: bool = False
    members: tuple[FilePreview, ...] = ()
    ignored: tuple[str, ...] = ()

    @property
    def importable(self) -> bool:
        return self.problem is None


def preview_upload(name: str, data: bytes, *, mapping: dict[str, str] | None = None, rows: int = 5) -> FilePreview:
    """Detect an uploaded file's format and show its first rows, without importing anything.

    Uses the importers' own detection (``ingest``), so what the preview says is what an import does.

    Parameters:
        name: the file's name (a label only: the format is decided from the content).
        data: the file's bytes.
        mapping: for a CSV of unknown layout, {column: field}; checked against the file.
        rows: how many data rows to show.

    Returns:
        The preview; a file-level problem (empty, binary, damaged archive, unknown layout, a mapping
        that does not fit) is its ``problem``, never an exception.
    """
    source, limits = Source(name, data), import_limits()
    if source.size > limits.max_file_bytes:
        return FilePreview(name, source.size, problem=f"{name} is {source.size / (1024 * 1024):.0f} MB; files over "
                                                      f"{limits.max_file_bytes // (1024 * 1024)} MB are refused.")
    try:
        if kind_of(source) == "zip":
            return _preview_archive(source, limits, rows)
        return _preview_text(source, limits, mapping, rows)
    except InputError as exc:
        return FilePreview(name, source.size, problem=str(exc))


def _preview_archive(source: Source, limits: Limits, rows: int) -> FilePreview:
    members, ignored = zip_members(source, limits)
    read, ignored = [], list(ignored)
    for member in members:
        # As ingest.parse_source reads an archive: CSV members only, unreadable ones ignored with the reason.
        if not member.basename.lower().endswith(".csv"):
            ignored.append(f"{member.basename}: not a CSV file")
            continue
        try:
            read.append(_preview_text(member, limits, None, rows, strict=True))
        except InputError as exc:
            ignored.append(f"{member.basename}: {str(exc).removeprefix(f'{member.name}: ').split(';')[0]}")
    problem = None if read else f"{source.name}: no export files found in the archive."
    return FilePreview(source.name, source.size, "zip", "ZIP archive", problem=problem, members=tuple(read),
                       ignored=tuple(ignored))


PREVIEW_CHARS = 1 << 22
"""A vCard or iCalendar file is previewed from its first this many characters (4 Mi: cards with
photos are large), read whole only when those hold fewer cards or meetings than the preview shows."""


def _first_of_text(source: Source, text_format, limits: Limits, rows: int) -> ParsedFile:
    """The file parsed far enough to show its first ``rows`` contacts."""
    text = decode(source)
    head = text.head(PREVIEW_CHARS)
    if len(head) == PREVIEW_CHARS:  # the file goes on: its start may do
        report = ParsedFile(source.name, source.size, source.sha256, text_format.name)
        text_format.parse(lambda: text_lines(head), report, limits)
        if len(report.contacts) > rows:  # the last may be cut off by the head's end: not shown
            return report
    return parse_file(source, limits)


def _preview_text(source: Source, limits: Limits, mapping: dict[str, str] | None, rows: int,
                  strict: bool = False) -> FilePreview:
    decode(source)  # empty, binary and undecodable files are refused here, as the import would
    text_format = detect_text(source)
    if text_format:
        parsed = _first_of_text(source, text_format, limits, rows)
        shown = tuple((c.name or " ".join(filter(None, (c.first_name, c.last_name))), ", ".join(c.emails),
                       c.company or "", c.title or "") for c in parsed.contacts[:rows])
        return FilePreview(source.name, source.size, text_format.name, text_format.label,
                           ("name", "email", "company", "title"), shown)
    try:
        if mapping:
            return _table_preview(_mapped_table(source, limits, mapping), "mapped-csv", "CSV with your column mapping",
                                  rows)
        fmt, table = detect_csv(source, limits)
        return _table_preview(table, fmt.name, fmt.label, rows)
    except InputError as exc:
        if strict:
            raise
        table = _first_table(source, limits)
        if table is None:
            raise
        return _table_preview(table, None, "Unknown CSV layout", rows, problem=str(exc), needs_mapping=True)


def _mapped_table(source: Source, limits: Limits, mapping: dict[str, str]) -> Table:
    """The table an import with ``mapping`` reads (as ``ingest.parse_file`` finds it), the mapping checked."""
    wanted = {c.strip().lower() for c in mapping}
    try:
        table = read_table(source, lambda cells: wanted <= set(cells), limits)
    except InputError:
        first = _first_table(source, limits)
        if first is None:
            raise
        table = first  # no row has every mapped column: say which are missing from the header
    mapped_columns(table, mapping)
    return table


def _first_table(source: Source, limits: Limits) -> Table | None:
    """The table under the first row with two or more cells (one for a one-column file), or None."""
    for least in (2, 1):
        try:
            return read_table(source, lambda cells, n=least: sum(1 for c in cells if c) >= n, limits)
        except InputError:
            continue
    return None


def _table_preview(table: Table, fmt: str | None, label: str, rows: int, **extra) -> FilePreview:
    scratch = ParsedFile(table.source.name, table.source.size, "", fmt or "")
    shown = tuple(tuple(values) for _, values in itertools.islice(table_records(table, scratch, import_limits()), rows))
    return FilePreview(table.source.name, table.source.size, fmt, label, tuple(table.header), shown, **extra)


@dataclass(frozen=True)
class Match:
    """A person in the imported files who was recognised as someone already known, and why."""

    person_id: str
    name_in_file: str
    name_in_graph: str
    reason: str


def import_uploads(store: GraphStore, uploads: Sequence[tuple[str, bytes]], *, owner: str | None = None,
                   mappings: dict[str, dict[str, str]] | None = None, strict: bool = False,
                   visibility: str = "existence", actor: str | None = None,
                   progress: Callable[[str], None] | None = None):
    """Import uploaded files (name, bytes) in one all-or-nothing transaction, as ``import_files`` does.

    Parameters:
        uploads: (file name, bytes) pairs, e.g. from a browser upload.
        owner: e-mail of the rep whose data the files are; None: the files name their reps.
        mappings: {file name: {column: field}} for the CSVs of unknown layout.
        strict, visibility, actor, progress: as :func:`graphapp.service.import_files`.

    Returns:
        The :class:`graphapp.service.ImportReport`.

    Raises:
        InputError: with ``strict``, the first problem; also a bad owner e-mail or visibility.
    """
    from graphapp.service import new_import_record

    sources = [Source(name, bytes(data)) for name, data in uploads]
    return run_import(store, sources, owner=owner, mapping=None, mappings=mappings, strict=strict,
                      visibility=visibility, record=new_import_record("file", actor),
                      progress=progress or (lambda _m: None))


def describe_merges(store: GraphStore, report) -> list[Match]:
    """The matches an import made, each with the name the graph now holds for that person.

    Parameters:
        report: an :class:`graphapp.service.ImportReport`.

    Returns:
        One :class:`Match` per merge, in the report's order.
    """
    people = store.get_people(sorted({pid for pid, _, _ in report.merges}))
    return [Match(pid, name, people[pid].name if pid in people else name, reason) for pid, name, reason in report.merges]


REJECTED_COLUMNS = ("file", "row", "column", "reason")


def rejected_rows_csv(report) -> str:
    """The rejected rows (and refused files) of an import report as spreadsheet-safe CSV text.

    Parameters:
        report: an :class:`graphapp.service.ImportReport`.

    Returns:
        CSV text with the columns :data:`REJECTED_COLUMNS`, one line per rejected row (row empty: the
        whole file); cells a spreadsheet would run as formulas are neutralised (:mod:`graphapp.export.csv_safe`).
    """
    from graphapp.export.csv_safe import to_csv

    return to_csv(((f.path, row, column, reason) for f in report.files for row, column, reason in f.errors),
                  header=REJECTED_COLUMNS)
