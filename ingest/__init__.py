"""Importers: read uploaded exports (LinkedIn, CRM, address books, calendars, team sheets) into records.

``parse_source`` is the entry point: it decides the format from the content, reads a LinkedIn
archive's members in memory, and returns what each file contributed with an exact report.
This package may import ``graphapp.model``, ``graphapp.errors`` and ``graphapp.domain.identity``, never
the other way round; ``graphapp.service`` joins it to the stores.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graphapp.errors import InputError
from ingest.files import Limits, Source, carry_table_warnings, decode, read_table, zip_members
from ingest.formats.team import parse_mapped
from ingest.records import OwnerProfile, ParsedFile
from ingest.registry import csv_format_named, detect_csv, detect_text, kind_of


@dataclass
class ParsedSource:
    """One uploaded file: the files it yielded (an archive yields several) and what was not read."""

    name: str
    files: list[ParsedFile] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)


def parse_source(source: Source, limits: Limits | None = None, mapping: dict[str, str] | None = None,
                 owner: OwnerProfile | None = None) -> ParsedSource:
    """Parse one uploaded file (CSV, vCard, iCalendar or a LinkedIn ZIP archive).

    Parameters:
        source: the file's name and bytes.
        limits: size, row, column and cell caps.
        mapping: for a CSV of unknown layout, {column: field}; see ``ingest.formats.team.parse_mapped``.
        owner: the rep the user said the file belongs to (``--owner``), as far as the graph knows them
            (address, name, LinkedIn URL): a calendar takes the address for its owner in every event
            instead of guessing (``ParsedFile.owner_guessed`` False); a messages file whose owner is
            unclear takes the participant who is this rep.

    Returns:
        The parsed file(s) with their reports.

    Raises:
        InputError: a file-level problem (empty, binary, XLSX, unknown layout, damaged archive...).
    """
    limits = limits or Limits()
    archive = _open_archive(source, limits)
    if archive is not None:
        members, ignored = archive
        return _archive_result(source, members, ignored, [_parse_member(m, limits, owner) for m in members])
    return ParsedSource(source.name, [parse_file(source, limits, mapping, owner)])


def _open_archive(source: Source, limits: Limits) -> tuple[list[Source], list[str]] | None:
    """A ZIP archive's members and what was not read of it (None: the source is not an archive).

    Raises:
        InputError: over the size cap, or a damaged or dangerous archive.
    """
    if source.size > limits.max_file_bytes:
        raise InputError(f"{source.name} is over the {limits.max_file_bytes // (1024 * 1024)} MB cap.")
    if kind_of(source) != "zip":
        return None
    members, ignored = zip_members(source, limits)
    return list(members), list(ignored)


def _parse_member(member: Source, limits: Limits, owner: OwnerProfile | None = None) -> ParsedFile | InputError | None:
    """One archive member's parse: None for a member that is not a CSV, the error of one refused."""
    if not member.basename.lower().endswith(".csv"):
        return None
    try:
        return parse_file(member, limits, owner=owner)
    except InputError as exc:
        return exc


def _archive_result(source: Source, members: list[Source], ignored: list[str],
                   parsed: list[ParsedFile | InputError | None]) -> ParsedSource:
    """What an archive gave, from its members' parses (in member order; see :func:`_parse_member`).

    Raises:
        InputError: no member was a LinkedIn export file.
    """
    result = ParsedSource(source.name, ignored=list(ignored))
    for member, outcome in zip(members, parsed, strict=True):
        if outcome is None:
            result.ignored.append(f"{member.basename}: not a CSV file")
        elif isinstance(outcome, InputError):
            result.ignored.append(f"{member.basename}: {_short(outcome, member)}")
        else:
            result.files.append(outcome)
    if not result.files:
        raise InputError(f"{source.name}: no LinkedIn export files found in the archive (ignored: {'; '.join(result.ignored[:5])}).")
    return result


def parse_file(source: Source, limits: Limits | None = None, mapping: dict[str, str] | None = None,
               owner: OwnerProfile | None = None) -> ParsedFile:
    """Parse one text file; raises InputError for file-level problems (see :func:`parse_source`)."""
    limits = limits or Limits()
    decode(source)  # empty, binary and undecodable files are refused here with a clear message
    text_format = detect_text(source)
    if text_format:
        report = ParsedFile(source.name, source.size, source.sha256, text_format.name)
        text = decode(source)
        if text.warning:  # decoded as Windows-1252: said first, as for a table
            report.warn(None, text.warning)
        owner_email = owner.emails[0] if owner and owner.emails else None
        text_format.parse(text.open, report, limits, owner_email=owner_email)  # vCard, iCalendar: read as a stream
        return report
    if mapping:
        wanted = {c.strip().lower() for c in mapping}
        table = read_table(source, lambda cells: wanted <= set(cells), limits, known=wanted)
        report = ParsedFile(source.name, source.size, source.sha256, "mapped-csv")
        carry_table_warnings(table, report)
        parse_mapped(table, report, limits, mapping)
        return report
    fmt, table = detect_csv(source, limits)
    report = ParsedFile(source.name, source.size, source.sha256, fmt.name, expected_owner=owner)
    carry_table_warnings(table, report)
    fmt.parse(table, report, limits)
    return report


def _short(exc: InputError, member: Source) -> str:
    text = str(exc)
    return text.removeprefix(f"{member.name}: ").split(";")[0]


__all__ = ["Limits", "ParsedSource", "Source", "csv_format_named", "parse_file", "parse_source"]
