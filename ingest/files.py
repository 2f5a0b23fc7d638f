"""Safe reading of uploaded files: size caps, content sniffing, encodings, ZIP members, CSV tables.

Nothing here writes to disk: ZIP members are read into memory with streamed byte counting, and
member names are only ever labels, never paths. A file named on the command line is not read into
memory whole: it is checked and decoded as a stream, and its CSV rows are read a block of text at a time.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import itertools
import zipfile
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from operator import methodcaller
from pathlib import Path, PurePosixPath
from typing import BinaryIO, TextIO

from graphapp.errors import InputError
from ingest.formats.cells import quote_value

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Every input cap, configurable (``graphapp.settings`` feeds them)."""

    max_file_bytes: int = 100 * MB
    max_rows: int = 2_000_000
    max_columns: int = 256
    max_field_chars: int = 100_000
    max_name_chars: int = 500
    max_zip_members: int = 1000
    max_zip_bytes: int = 100 * MB
    max_zip_ratio: int = 100


CHUNK_BYTES = 1 << 20
"""Bytes read at a time from a file that is checked, hashed or decoded as a stream."""


@dataclass(frozen=True)
class Source:
    """One file under a display name (an archive member is ``archive.zip/Connections.csv``): its bytes
    (an upload, an archive member), or the file on disk they are read from as needed (``path``)."""

    name: str
    data: bytes | None = None
    path: Path | None = None

    @cached_property
    def size(self) -> int:
        return len(self.data) if self.data is not None else self.path.stat().st_size  # type: ignore[union-attr]

    @cached_property
    def sha256(self) -> str:
        digest = hashlib.sha256()
        for chunk in self.chunks():
            digest.update(chunk)
        return digest.hexdigest()

    @property
    def basename(self) -> str:
        return self.name.rsplit("/", 1)[-1]

    def open(self) -> BinaryIO:
        """The bytes as a stream (close it)."""
        return io.BytesIO(self.data) if self.data is not None else self.path.open("rb")  # type: ignore[union-attr]

    def chunks(self, size: int = CHUNK_BYTES) -> Iterator[bytes]:
        """The bytes a chunk at a time."""
        with self.open() as fh:
            while chunk := fh.read(size):
                yield chunk

    def head(self, size: int = 65536) -> bytes:
        """The first ``size`` bytes."""
        if self.data is not None:
            return self.data[:size]
        with self.open() as fh:
            return fh.read(size)

    @cached_property
    def decoded(self) -> Text:
        """How the bytes decode, checked once (see :func:`decode`)."""
        return _decode(self)


def read_source(path: str | Path, limits: Limits = Limits()) -> Source:
    """A file on disk as a source (read as needed), refused before reading when it is over the size cap.

    Raises:
        InputError: missing, unreadable, a directory, or too large.
    """
    p = Path(path)
    if p.is_dir():
        raise InputError(f"{p} is a folder; give the files inside it.")
    try:
        size = p.stat().st_size
        if size > limits.max_file_bytes:
            raise InputError(f"{p.name} is {size / MB:.0f} MB; files over {limits.max_file_bytes // MB} MB are refused.")
        with p.open("rb"):  # readable now: a clear message here rather than half-way through the import
            pass
        return Source(p.name, path=p)
    except FileNotFoundError:
        raise InputError(f"{p} does not exist.") from None
    except PermissionError:
        raise InputError(f"{p} cannot be read (permission denied).") from None


_MAGIC = (
    (b"PK\x03\x04", "zip"), (b"PK\x05\x06", "zip"), (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
    (b"%PDF", "a PDF document"), (b"\x1f\x8b", "a gzip archive"), (b"\xd0\xcf\x11\xe0", "an old Excel/Office file"),
    (b"SQLite format 3", "an SQLite database"), (b"Rar!", "a RAR archive"), (b"7z\xbc\xaf", "a 7-Zip archive"),
)


def sniff(data: bytes) -> str:
    """What the bytes are: ``zip``, ``xlsx``, ``text``, or a description of a binary kind."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            if kind == "zip" and b"[Content_Types].xml" in data[:4096] and b"xl/" in data[:65536]:
                return "xlsx"
            return kind
    return "text"


@dataclass(frozen=True)
class Text:
    """How a source decodes: its encoding (a warning when it is not UTF-8 or UTF-16), and what a CSV
    reader needs to know of the whole file, found while checking it: whether it has a CR or NUL, and
    the line of its last double quote (1-based; 0: none)."""

    source: Source
    encoding: str  # "utf-8" (BOM or not), "utf-16" (with BOM), "utf-16-le" / "utf-16-be" (without) or "cp1252"
    warning: str | None = None
    has_cr_or_nul: bool = True
    last_quote_line: int = 0

    @property
    def text(self) -> str:
        """The whole text in memory (small texts and tests; importers read ``open()`` as a stream)."""
        with self.open() as stream:
            return stream.read()

    def open(self) -> TextIO:
        """The text as a stream, line endings as they are (close it)."""
        codec, errors = _CODECS[self.encoding]
        return io.TextIOWrapper(self.source.open(), encoding=codec, errors=errors, newline="")

    def head(self, chars: int) -> str:
        with self.open() as stream:
            return stream.read(chars)


def text_lines(text: str) -> TextIO:
    """A text already in memory as the stream ``Text.open`` gives (for tests and small texts)."""
    return io.StringIO(text, newline="")


def physical_lines(stream: Iterable[str]) -> Iterator[str]:
    """The lines of a text stream opened with ``newline=""`` without their ends (CRLF, LF or CR, the
    ends ``re.split(r"\r\n|\n|\r")`` knows): a form feed or U+2028 inside a line is not an end."""
    for line in stream:
        if line[-1:] == "\n":
            yield line[:-2] if line[-2:-1] == "\r" else line[:-1]
        elif line[-1:] == "\r":
            yield line[:-1]
        else:
            yield line


_CODECS = {"utf-8": ("utf-8-sig", "strict"), "utf-16": ("utf-16", "strict"), "utf-16-le": ("utf-16-le", "strict"),
           "utf-16-be": ("utf-16-be", "strict"), "cp1252": ("cp1252", "replace")}


def decode(source: Source) -> Text:
    """How a source decodes (checked once per source: see :func:`_decode`).

    Raises:
        InputError: empty, binary, or not decodable as text.
    """
    return source.decoded


def _decode(source: Source) -> Text:
    """Check that a source is text and how it decodes: UTF-8 (with or without BOM), UTF-16 with BOM or
    without (told by its NUL bytes), else Windows-1252 with a warning. The bytes are read as a stream, a chunk at a time.

    Raises:
        InputError: empty, binary, or not decodable as text.
    """
    if not source.size:
        raise InputError(f"{source.name}: the file is empty.")
    head = source.head()
    kind = sniff(head)
    if kind == "xlsx":
        raise InputError(f"{source.name} is an Excel workbook (XLSX), not a CSV; open it in Excel and save it as 'CSV UTF-8'.")
    if kind != "text":
        raise InputError(f"{source.name} is {kind if kind != 'zip' else 'a ZIP archive'}, not a text/CSV file.")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        if not _decodes(source, "utf-16"):
            raise InputError(f"{source.name}: not a text/CSV file (broken UTF-16).")
        return Text(source, "utf-16")  # its bytes are not ASCII's: read with the csv module
    bare = _utf16_without_bom(head)
    if bare:
        if not _decodes(source, bare):
            raise InputError(f"{source.name}: not a text/CSV file (broken UTF-16).")
        return Text(source, bare)  # as UTF-16 with a BOM: read with the csv module
    if b"\x00" in head[:8192]:
        raise InputError(f"{source.name}: not a text/CSV file (it contains binary bytes).")
    # One pass over the bytes: UTF-8 or not, and the facts a CSV reader needs (the same bytes in
    # UTF-8 and Windows-1252: ASCII's).
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8, cr_or_nul, lines, last_quote = True, False, 0, 0
    for chunk in source.chunks():
        if utf8:
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                utf8 = False
        cr_or_nul = cr_or_nul or b"\r" in chunk or b"\x00" in chunk
        quote = chunk.rfind(b'"')
        if quote >= 0:
            last_quote = lines + chunk.count(b"\n", 0, quote) + 1
        lines += chunk.count(b"\n")
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    if utf8:
        return Text(source, "utf-8", None, cr_or_nul, last_quote)
    text = Text(source, "cp1252", f"{source.name} is not UTF-8; it was read as Windows-1252 (check accented names).",
                cr_or_nul, last_quote)
    start = text.head(20000)
    if not _decodes(source, "cp1252") or sum(1 for ch in start if ord(ch) < 32 and ch not in "\r\n\t") > 5:
        raise InputError(f"{source.name}: not a text/CSV file (neither UTF-8 nor Windows-1252).")
    return text


def _utf16_without_bom(head: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when the bytes look like mostly-ASCII text in UTF-16 without a BOM
    (Excel's "Unicode Text", old Google Contacts exports): a NUL as nearly every second byte, on one side.

    Binary files have NULs too, but scattered over both sides; text in UTF-8 or Windows-1252 has none.
    """
    sample = head[: 8192 - 8192 % 2]
    pairs = len(sample) // 2
    if pairs < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= 0.5 * pairs and even <= 0.05 * pairs:
        return "utf-16-le"  # "N\0a\0m\0e\0": the high byte of each ASCII character is the second
    if even >= 0.5 * pairs and odd <= 0.05 * pairs:
        return "utf-16-be"
    return None


def _decodes(source: Source, encoding: str) -> bool:
    """Whether every byte decodes (in Windows-1252: to a character it defines)."""
    replaced = encoding == "cp1252"
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace" if replaced else "strict")
    try:
        for chunk in source.chunks():
            if "\ufffd" in decoder.decode(chunk) and replaced:
                return False
        return "\ufffd" not in decoder.decode(b"", final=True) or not replaced
    except UnicodeDecodeError:
        return False


def zip_members(source: Source, limits: Limits = Limits()) -> tuple[list[Source], list[str]]:
    """The readable members of a ZIP archive, in memory, and the ignored ones with reasons.

    Nested archives, folders, links and members with unsafe names are ignored (reported);
    an encrypted member, a member expanding more than ``max_zip_ratio`` times, or an archive
    expanding past ``max_zip_bytes`` refuse the whole archive.

    Raises:
        InputError: damaged, encrypted, too many members, or expanding too much.
    """
    with source.open() as fh:
        return _zip_members(source, fh, limits)


def _zip_members(source: Source, fh: BinaryIO, limits: Limits) -> tuple[list[Source], list[str]]:
    try:
        archive = zipfile.ZipFile(fh)
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(f"{source.name}: the archive is damaged ({exc}); download it again.") from None
    if len(infos) > limits.max_zip_members:
        raise InputError(f"{source.name} has {len(infos)} members; archives over {limits.max_zip_members} are refused.")
    members, ignored, total = [], [], 0
    for info in infos:
        name = info.filename
        reason = _unsafe_member(info)
        if reason:
            ignored.append(f"{quote_value(name, quotes=False)}: {reason}")
            continue
        if info.flag_bits & 0x1:
            raise InputError(f"{source.name}: member {quote_value(name, quotes=False)} is encrypted; export the archive again without a password.")
        if info.compress_size and info.file_size / info.compress_size > limits.max_zip_ratio:
            raise InputError(f"{source.name}: the archive expands too much (member {quote_value(name, quotes=False)}); it looks like a zip bomb.")
        data = _read_member(archive, info, limits.max_zip_bytes - total, source.name)
        total += len(data)
        members.append(Source(f"{source.name}/{name}", data))
    return members, ignored


def _unsafe_member(info: zipfile.ZipInfo) -> str | None:
    name = info.filename
    if info.is_dir():
        return "a folder"
    if name.startswith(("/", "\\")) or "\\" in name or ".." in PurePosixPath(name).parts or (len(name) > 1 and name[1] == ":"):
        return "unsafe member name, not read"
    if (info.external_attr >> 16) & 0o170000 == 0o120000:
        return "a symbolic link, not read"
    if name.lower().endswith((".zip", ".gz", ".7z", ".rar", ".tar")):
        return "a nested archive, not read"
    return None


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int, label: str) -> bytes:
    """Read a member counting bytes as they come, whatever size its header declares."""
    chunks, total = [], 0
    try:
        with archive.open(info) as fh:
            while chunk := fh.read(1 << 16):
                total += len(chunk)
                if total > budget:
                    raise InputError(f"{label}: the archive expands too much (over the {Limits.max_zip_bytes // MB} MB cap).")
                chunks.append(chunk)
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        raise InputError(f"{label}: the archive is damaged ({exc}); download it again.") from None
    return b"".join(chunks)


@dataclass
class Table:
    """A CSV table found by its header: ``rows`` yields (line number, row dict keyed by header name)."""

    source: Source
    header: list[str]
    header_line: int
    decoded: Text
    encoding: str
    warnings: list[str] = field(default_factory=list)
    chars: int | None = None  # the text ends after this many characters (a Salesforce report's footer cut off)
    delimiter: str = ","  # or ";" or a tab (see read_table)

    @property
    def columns(self) -> dict[str, str]:
        """Lower-cased header name -> header name as written."""
        return {h.strip().lower(): h for h in self.header}

    def open_text(self) -> TextIO:
        """The table's text as a stream, from the file's first line (close it)."""
        stream = self.decoded.open()
        return stream if self.chars is None else _TextPrefix(stream, self.chars)


class _TextPrefix(io.TextIOBase):
    """The first ``chars`` characters of a text stream, read as a stream (lines, blocks)."""

    def __init__(self, stream: TextIO, chars: int) -> None:
        super().__init__()
        self._stream, self._left = stream, chars

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> str:
        text = self._stream.read(self._left if size is None or size < 0 else min(size, self._left))
        self._left -= len(text)
        return text

    def readline(self, size: int | None = -1) -> str:
        line = self._stream.readline(self._left if size is None or size < 0 else min(size, self._left))
        self._left -= len(line)
        return line

    def close(self) -> None:
        self._stream.close()
        super().close()


def _records(stream: TextIO, delimiter: str = ",", start_line: int = 1) -> Iterator[tuple[int, list[str]]]:
    """CSV records with the physical line each starts on (quoted fields may span lines)."""
    reader = csv.reader(stream, delimiter=delimiter, strict=False)
    line = start_line
    for values in reader:
        yield line, values
        line = reader.line_num + start_line


DELIMITERS = (",", ";", "\t")
"""The delimiters a CSV may use: Excel writes ``;`` where the decimal mark is a comma (most of Europe)
and a tab in "Unicode Text"; in this order ties between them are settled (the comma first)."""


def read_table(source: Source, is_header, limits: Limits = Limits(), scan: int = 30,
               known: Collection[str] | None = None) -> Table:
    """Find the header row by its content (skipping preambles such as LinkedIn's ``Notes:``) and the
    delimiter that splits it (``,``, ``;`` or a tab; quotes respected).

    Parameters:
        source: the file.
        is_header: gets the lower-cased, stripped cells of each of the first ``scan`` records, as each
            delimiter splits them; True for the header row.
        limits: ``max_columns`` caps the header.
        scan: how many records are searched for the header.
        known: lower-case column names: the delimiter whose header row holds the most of them wins.
            Without it, the one whose header row has the most non-empty cells wins.

    Returns:
        The table (``delimiter`` set).

    Raises:
        InputError: undecodable, or no header row among the first records.
    """
    decoded = decode(source)
    csv.field_size_limit(max(limits.max_file_bytes, 1 << 20))  # deliberate: cells are capped per field below
    best: tuple[int, str, int, list[str]] | None = None
    for delimiter in DELIMITERS:
        found = _header_row(decoded, is_header, delimiter, scan)
        if found is None:
            continue
        line, header = found
        names = {h.lower() for h in header if h}
        score = len(names & set(known)) if known is not None else len(names)
        if best is None or score > best[0]:
            best = (score, delimiter, line, header)
    if best is None:
        raise InputError(f"{source.name}: no header row found in the first {scan} lines.")
    _, delimiter, line, header = best
    if len(header) > limits.max_columns:
        raise InputError(f"{source.name} has {len(header)} columns; the cap is {limits.max_columns}.")
    warnings = [decoded.warning] if decoded.warning else []
    return Table(source, header, line, decoded, decoded.encoding, warnings, delimiter=delimiter)


def _header_row(decoded: Text, is_header, delimiter: str, scan: int) -> tuple[int, list[str]] | None:
    """The line and cells (stripped, trailing empty cells dropped) of the first of the first ``scan``
    records, split at ``delimiter``, that ``is_header`` takes for the header; None when none is."""
    with decoded.open() as stream:
        for line, values in _records(stream, delimiter):
            if is_header([v.strip().lstrip("\ufeff").lower() for v in values]):
                header = [v.strip().lstrip("\ufeff") for v in values]
                while header and header[-1] == "":
                    header.pop()  # Excel pads short rows with commas
                return line, header
            if line > scan:
                break
    return None


def column_names(table: Table) -> list[str]:
    """The lower-cased header names, in order."""
    return [h.strip().lower() for h in table.header]


def column_positions(table: Table) -> dict[str, int]:
    """Lower-cased header name -> its position in :func:`table_records` values (the last one of a
    repeated name, as in :func:`table_rows` dicts)."""
    return {name: n for n, name in enumerate(column_names(table))}


def table_records(table: Table, report, limits: Limits = Limits()) -> Iterator[tuple[int, list[str]]]:
    """Data rows after the header as lists of values in header order (see :func:`table_rows`).

    Blank lines are skipped; rows with more or fewer fields than the header are rejected in
    ``report`` (a :class:`ingest.records.ParsedFile`) with their line number; fields over the cap
    are truncated with a warning. Counts every data row in ``report.rows_read``.
    """
    names = column_names(table)
    width = len(names)
    max_rows, max_chars = limits.max_rows, limits.max_field_chars
    for records, long_cells in _record_blocks(table, max_chars):
        for start, values in records:
            if not values or not (values[0] or any(values)):  # blank line (or only empty cells)
                continue
            report.rows_read += 1
            if report.rows_read > max_rows:
                raise InputError(f"{table.source.name} has more than {limits.max_rows:,} rows; split it into smaller files.")
            if len(values) != width:
                if len(values) > width and not any(values[width:]):
                    values = values[:width]  # trailing empty padding
                else:
                    report.reject(start, f"expected {width} fields, saw {len(values)} (line {start})")
                    continue
            if long_cells and max(map(len, values)) > max_chars:
                for n, (name, value) in enumerate(zip(names, values, strict=True)):
                    if len(value) > max_chars:
                        report.warn(start, f"cell over {limits.max_field_chars:,} characters truncated", column=name)
                        values[n] = value[:max_chars]
            yield start, values


_BLOCK_CHARS = 1 << 20
"""Plain lines are split a block of about this many characters at a time: a list of every line of a
large file takes longer to build than the rest of its reading and one and a half times the file's size."""


def _record_blocks(table: Table, max_chars: int) -> Iterator[tuple[Iterator[tuple[int, list[str]]], bool]]:
    """The records after the header as blocks of (line number, values), each with whether a value in
    it may be over ``max_chars``: one block from the csv module, or, for plain lines, one per block of
    text read from the source (each line one record, its values split at commas; no value is longer
    than its line)."""
    if not _plain_lines(table):
        yield _csv_records_after(table), True
        return
    with table.open_text() as stream:
        for _ in range(table.header_line):  # the preamble and the header row: a line each (no quote in them)
            stream.readline()
        number, carry = table.header_line + 1, ""
        while True:
            block = stream.read(_BLOCK_CHARS)
            end = block.rfind("\n")
            if block and end < 0:  # no line ends in it: read on
                carry += block
                continue
            text, carry = (carry + block[:end], block[end + 1:]) if block else (carry, None)
            lines = text.split("\n")
            records = zip(itertools.count(number), map(methodcaller("split", table.delimiter), lines), strict=False)
            yield records, max(map(len, lines)) > max_chars
            if carry is None:
                return
            number += len(lines)


def _plain_lines(table: Table) -> bool:
    """Whether the lines after the header row can be read without the csv module: no quote in them or
    in the header row (each line is then one record), no CR and no NUL in the file."""
    decoded = table.decoded  # of the whole file (a cut footer's quotes and CRs count too: the csv path is always right)
    if decoded.encoding.startswith("utf-16") or decoded.has_cr_or_nul:
        return False
    return decoded.last_quote_line < table.header_line


_BEHIND_LINES = 4096
"""Lines the copy of the text kept for the last record may lag behind the csv reader (see below)."""


def _csv_records_after(table: Table) -> Iterator[tuple[int, list[str]]]:
    """The CSV records after the header row, with the physical line each starts on.

    Raises:
        InputError: the text ends inside a quoted value (a quote opened and never closed): the csv
            module would give everything after that quote as one cell of one row, silently.
    """
    with table.open_text() as stream:
        # A copy of the lines, kept from the start of the last record read: when the reader stops,
        # they tell whether it stopped inside a quote, and where that quote opened.
        feed, behind = itertools.tee(stream)
        reader = csv.reader(feed, delimiter=table.delimiter, strict=False)
        line = 1  # the physical line the next record starts on (quoted fields may span lines)
        for _ in reader:
            start, line = line, reader.line_num + 1
            if start >= table.header_line:
                break
        passed, start = 0, 0  # lines the copy has gone past; the start of the last record
        for values in reader:
            start, line = line, reader.line_num + 1
            if start - passed > _BEHIND_LINES:  # catch up now and then: the copy holds only what it lags by
                passed += _skip_lines(behind, start - 1 - passed)
            yield start, values
        if start:
            _skip_lines(behind, start - 1 - passed)
            _refuse_unclosed_quote(table, behind, start, line)


def _skip_lines(lines: Iterator[str], n: int) -> int:
    """Advance ``lines`` by ``n``; returns ``n``."""
    if n > 0:
        next(itertools.islice(lines, n - 1, None), None)
    return max(n, 0)


def _refuse_unclosed_quote(table: Table, lines: Iterable[str], start: int, end: int) -> None:
    """Refuse the file when the record starting on line ``start`` (the last, read up to ``end``) ends
    inside a quote; ``lines`` are its lines. The same states as the csv module's non-strict reader.

    Raises:
        InputError: naming the line where the quote opened and, when known, its column.
    """
    delimiter, quoted, field, opened = table.delimiter, False, 0, None
    state = "start"  # at the start of a field; "plain": inside an unquoted field; "closed": just after a quote
    for number, text in enumerate(lines, start):
        i, size = 0, len(text)
        while i < size:
            if quoted:
                j = text.find('"', i)
                if j < 0:
                    break
                quoted, state, i = False, "closed", j + 1
                continue
            ch = text[i]
            if state == "closed" and ch == '"':  # a doubled quote inside the quoted value
                quoted = True
            elif state == "start" and ch == '"':
                quoted, opened = True, (number, field)
            elif ch == delimiter:
                state, field = "start", field + 1
            elif ch in "\r\n":
                state, field = "start", 0  # only a record's end: a record's lines hold no other line end
            else:
                state = "plain"
            i += 1
    if not quoted or opened is None:
        return
    line, column = opened
    names = column_names(table)
    where = f"line {line}" + (f", column {quote_value(names[column], quotes=False)}" if column < len(names) else "")
    raise InputError(
        f"{table.source.name}, {where}: a quoted value opens there and is never closed, so the rest of the file "
        f"(lines {line}-{max(end - 1, line)}) would be read as one cell; nothing of this file was imported. "
        f"Close the quote on line {line} (or remove it) and import the file again."
    )


def table_rows(table: Table, report, limits: Limits = Limits()) -> Iterator[tuple[int, dict[str, str]]]:
    """Data rows after the header as dicts keyed by lower-cased header name.

    Blank lines are skipped; rows with more or fewer fields than the header are rejected in
    ``report`` (a :class:`ingest.records.ParsedFile`) with their line number; fields over the cap
    are truncated with a warning. Counts every data row in ``report.rows_read``.
    """
    names = column_names(table)
    for line, values in table_records(table, report, limits):
        yield line, dict(zip(names, values, strict=True))


def carry_table_warnings(table: Table, report) -> None:
    """Copy warnings from reading the table (e.g. decoded as Windows-1252) into ``report`` once, as
    file-level warnings (row None); calling it again adds nothing."""
    for warning in table.warnings:
        if not any(i.row is None and i.reason == warning for i in report.issues):
            report.warn(None, warning)
