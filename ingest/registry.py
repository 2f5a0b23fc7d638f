"""Which importer reads a file: decided from the content (header columns, vCard/iCalendar markers, ZIP),
never from the file name alone.

A CSV format declares the header columns that identify it (``signature``, lower-case); the header
row is searched for in the first lines (so preambles are skipped) and the format whose signature
matches the most columns wins.
"""

from __future__ import annotations

import csv
import io

from graphapp.errors import InputError
from ingest.files import DELIMITERS, Limits, Source, Table, decode, read_table, sniff
from ingest.formats import addressbook, calendar, crm, linkedin, team
from ingest.formats.cells import quote_value
from ingest.formats.spec import CsvFormat, TextFormat

# Every format graphapp reads, in the order ties between equally good header matches are settled.
CSV_FORMATS: tuple[CsvFormat, ...] = (*linkedin.CSV_FORMATS, *crm.CSV_FORMATS, *addressbook.CSV_FORMATS,
                                      *team.CSV_FORMATS)
TEXT_FORMATS: tuple[TextFormat, ...] = (*addressbook.TEXT_FORMATS, *calendar.TEXT_FORMATS)
# The column names that some format's signature holds: the delimiter that splits a header into the most
# of them is the file's.
KNOWN_COLUMNS = frozenset().union(*(f.signature for f in CSV_FORMATS))


def csv_format_named(name: str) -> CsvFormat:
    for fmt in CSV_FORMATS:
        if fmt.name == name:
            return fmt
    raise InputError(f"Unknown format {quote_value(name)}; known: {', '.join(f.name for f in CSV_FORMATS)}.")


def detect_csv(source: Source, limits: Limits) -> tuple[CsvFormat, Table]:
    """The CSV format of ``source`` and its table (its delimiter sniffed: see :func:`ingest.files.read_table`).

    Raises:
        InputError: no known header found; the message lists the columns seen.
    """
    try:
        table = read_table(source, lambda cells: any(f.matches(cells) for f in CSV_FORMATS), limits,
                           known=KNOWN_COLUMNS)
    except InputError as exc:
        if "no header row" not in str(exc):
            raise
        first = _first_row(source)
        raise InputError(
            f"{source.name}: unknown CSV layout; columns found: {', '.join(quote_value(c, quotes=False) for c in first) or '(none)'}. "
            "Map its columns to fields with --map 'Column=field' (fields: name, first_name, last_name, email, "
            "linkedin, company, title, phone); at least one of name, email or linkedin is required."
        ) from None
    cells = [h.strip().lower() for h in table.header]
    return max((f for f in CSV_FORMATS if f.matches(cells)), key=lambda f: len(f.signature)), table


def _first_row(source: Source) -> list[str]:
    """The first row of two or more cells, split at the delimiter that gives it the most."""
    text = decode(source).head(20000)
    rows = [next((cells for values in csv.reader(io.StringIO(text), delimiter=delimiter)
                  if len(cells := [v.strip() for v in values if v.strip()]) > 1), []) for delimiter in DELIMITERS]
    return max(rows, key=len)[:30]


def detect_text(source: Source) -> TextFormat | None:
    """A non-CSV text format (vCard, iCalendar) by its opening marker."""
    head = decode(source).head(4096).lstrip("\ufeff \r\n\t")[:200].upper()
    for fmt in TEXT_FORMATS:
        if head.startswith(fmt.marker):
            return fmt
    return None


def kind_of(source: Source) -> str:
    """``zip``, ``text`` or a refusal for other binary kinds (xlsx, images...)."""
    return sniff(source.head())
