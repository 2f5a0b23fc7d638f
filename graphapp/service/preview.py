"""The Import page's preview of an upload (part of the service): its format, an archive's members and a file's
first rows, with nothing imported."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from graphapp.errors import InputError
from graphapp.service.imports import import_limits
from ingest import parse_file
from ingest.files import Limits, Source, Table, decode, read_table, table_records, text_lines, zip_members
from ingest.formats.team import FIELDS, mapped_columns
from ingest.records import ParsedFile
from ingest.registry import CSV_FORMATS, TEXT_FORMATS, detect_csv, detect_text, kind_of

# -- the browser's upload flow: look before importing ----------------------------------------------
# The fields a column of a CSV of unknown layout can be mapped to (the Import page offers them).
MAPPING_FIELDS: tuple[str, ...] = FIELDS


_FORMAT_LABELS = {f.name: f.label for f in (*CSV_FORMATS, *TEXT_FORMATS)} | {"mapped-csv": "CSV with your column mapping"}


def format_label(name: str) -> str:
    """A format's name in words, as the preview shows it (``linkedin-connections``: "LinkedIn
    Connections.csv"); a name no format has (``unknown``: a file not read) as "not read"."""
    return _FORMAT_LABELS.get(name, "not read" if name == "unknown" else name)


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
