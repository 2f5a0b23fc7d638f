"""What a format module declares: how a CSV format is recognised by its header and how a text format
(vCard, iCalendar) by its first line, and the parser that reads it (the registry chooses among them)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TextIO

from ingest.files import Limits, Table
from ingest.records import ParsedFile

CsvParser = Callable[[Table, ParsedFile, Limits], None]


class TextParser(Protocol):
    """A text format's parser. It gets a way to open the decoded file as a stream (``Text.open``: line
    ends kept), may open it more than once, and reads it a line at a time. ``owner_email`` is the rep the
    user said the file belongs to (None: not said); a calendar's parser takes that address for its owner."""

    def __call__(self, open_text: Callable[[], TextIO], report: ParsedFile, limits: Limits, *,
                 owner_email: str | None = None) -> None: ...


@dataclass(frozen=True)
class CsvFormat:
    name: str  # stable id, e.g. "linkedin-connections"
    label: str  # for people, e.g. "LinkedIn Connections.csv"
    signature: frozenset[str]
    parse: CsvParser
    # Optional extra test on the lower-cased header cells, for formats sharing columns.
    accepts: Callable[[list[str]], bool] | None = None

    def matches(self, cells: list[str]) -> bool:
        present = set(cells)
        return self.signature <= present and (self.accepts is None or self.accepts(cells))


@dataclass(frozen=True)
class TextFormat:
    name: str
    label: str
    marker: str  # the text starts with this (after whitespace), e.g. "BEGIN:VCARD"
    parse: TextParser
