"""Importers: read uploaded exports (LinkedIn, CRM, address books, calendars, team sheets) into records.

``parse_source`` is the entry point: it decides the format from the content, reads a LinkedIn
archive's members in memory, and returns what each file contributed with an exact report.
This package may import ``graphapp.model``, ``graphapp.errors`` and ``graphapp.identity``, never
the other way round; ``graphapp.service`` joins it to the stores.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graphapp.errors import InputError
from ingest.files import Limits, Source, carry_table_warnings, decode, zip_members
from ingest.records import ParsedFile
from ingest.registry import csv_format_named, detect_csv, detect_text, kind_of


@dataclass
class ParsedSource:
    """One uploaded file: the files it yielded (an archive yields several) and what was not read."""

    name: str
    files: list[ParsedFile] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)


def parse_source(source: Source, limits: Limits | None = None, mapping: dict[str, str] | None = None) -> ParsedSource:
    """Parse one uploaded file (CSV, vCard, iCalendar or a LinkedIn ZIP archive).

    Parameters:
        source: the file's name and bytes.
        limits: size, row, column and cell caps.
        mapping: for a CSV of unknown layout, {column: field}; see ``ingest.team.parse_mapped``.

    Returns:
        The parsed file(s) with their reports.

    Raises:
        InputError: a file-level problem (empty, binary, XLSX, unknown layout, damaged archive...).
    """
    limits = limits or Limits()
    if source.size > limits.max_file_bytes:
        raise InputError(f"{source.name} is over the {limits.max_file_bytes // (1024 * 1024)} MB cap.")
    kind = kind_of(source)
    if kind == "zip":
        return _parse_archive(source, limits)
    return ParsedSource(source.name, [parse_file(source, limits, mapping)])


def parse_file(source: Source, limits: Limits | None = None, mapping: dict[str, str] | None = None) -> ParsedFile:
    """Parse one text file; raises InputError for file-level problems."""
    limits = limits or Limits()
    decode(source)  # empty, binary and undecodable files are refused here with a clear message
    text_format = detect_text(source)
    if text_format:
        report = ParsedFile(source.name, source.size, source.sha256, text_format.name)
        text = decode(source)
        if text.warning:  # decoded as Windows-1252: said first, as for a table
            report.warn(None, text.warning)
        text_format.parse(text.open, report, limits)  # vCard, iCalendar: read as a stream
        return report
    if mapping:
        from ingest.files import read_table
        from ingest.team import parse_mapped

        wanted = {c.strip().lower() for c in mapping}
        table = read_table(source, lambda cells: wanted <= set(cells), limits)
        report = ParsedFile(source.name, source.size, source.sha256, "mapped-csv")
        carry_table_warnings(table, report)
        parse_mapped(table, report, limits, mapping)
        return report
    fmt, table = detect_csv(source, limits)
    report = ParsedFile(source.name, source.size, source.sha256, fmt.name)
    carry_table_warnings(table, report)
    fmt.parse(table, report, limits)
    return report


def _parse_archive(source: Source, limits: Limits) -> ParsedSource:
    members, ignored = zip_members(source, limits)
    result = ParsedSource(source.name, ignored=list(ignored))
    for member in members:
        if not member.basename.lower().endswith(".csv"):
            result.ignored.append(f"{member.basename}: not a CSV file")
            continue
        try:
            parsed = parse_file(member, limits)
        except InputError as exc:
            result.ignored.append(f"{member.basename}: {_short(exc, member)}")
            continue
        result.files.append(parsed)
    if not result.files:
        raise InputError(f"{source.name}: no LinkedIn export files found in the archive (ignored: {'; '.join(result.ignored[:5])}).")
    return result


def _short(exc: InputError, member: Source) -> str:
    text = str(exc)
    return text.removeprefix(f"{member.name}: ").split(";")[0]


__all__ = ["Limits", "ParsedSource", "Source", "csv_format_named", "parse_file", "parse_source"]
