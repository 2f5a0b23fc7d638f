"""Safe reading: encodings, content sniffing, ZIP hazards, header detection, row and cell caps."""

from __future__ import annotations

import io
import zipfile

import pytest

from graphapp.errors import InputError
from ingest import files, parse_source
from ingest.files import Limits, Source, decode, read_table, table_records, table_rows, zip_members
from ingest.records import ParsedFile

CONNECTIONS = (
    "Notes:\n\"When exporting your connection data, you may notice that some of the email addresses are missing.\"\n\n"
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    "Ada,Quill,https://www.linkedin.com/in/ada-quill,,Initech,CFO,08 Jan 2024\n"
)


def zip_bytes(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize("data,encoding,warned", [
    ("Name,Email\nJosé,jose@example.com\n".encode(), "utf-8", False),
    ("\ufeffName,Email\nJosé,jose@example.com\n".encode(), "utf-8", False),
    ("Name,Email\nJosé,jose@example.com\n".encode("utf-16"), "utf-16", False),
    ("Name,Email\nJosé,jose@example.com\n".encode("cp1252"), "cp1252", True),
])
def test_encodings_read_right_and_a_fallback_is_said(data, encoding, warned):
    text = decode(Source("x.csv", data))
    assert "José" in text.text and not text.text.startswith("\ufeff")
    assert text.encoding == encoding and (text.warning is not None) == warned


@pytest.mark.parametrize("data,message", [
    (b"", "the file is empty"),
    (b"\x89PNG\r\n\x1a\n" + bytes(100), "is a PNG image, not a text/CSV file"),
    (zip_bytes({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<x/>"}), r"Excel workbook \(XLSX\)"),
    (zip_bytes({"a.csv": b"x"}), "is a ZIP archive, not a text/CSV file"),
    (b"Name\x00,Email\x00\n" * 10, "binary bytes"),
])
def test_file_level_refusals_name_what_was_found(data, message):
    with pytest.raises(InputError, match=message):
        decode(Source("upload.csv", data))


def test_header_found_after_a_preamble_and_names_kept_verbatim():
    text = CONNECTIONS + "NA,None,,,0123 Holdings,=1+1,08 Jan 2024\n"
    source = Source("Connections.csv", text.encode())
    table = read_table(source, lambda cells: "first name" in cells and "connected on" in cells)
    assert table.header_line == 4
    report = ParsedFile("c", 1, "s", "f")
    rows = list(table_rows(table, report))
    assert [line for line, _ in rows] == [5, 6]
    assert rows[1][1]["first name"] == "NA" and rows[1][1]["last name"] == "None"
    assert rows[1][1]["company"] == "0123 Holdings" and rows[1][1]["position"] == "=1+1"


def test_no_header_in_a_preamble_only_file():
    source = Source("Connections.csv", CONNECTIONS.split("First Name")[0].encode())
    with pytest.raises(InputError, match="no header row found"):
        read_table(source, lambda cells: "first name" in cells)


def test_ragged_rows_rejected_with_line_numbers_and_cells_capped():
    text = "Name,Email,Notes\nA,a@example.com,x\nB,b@example.com,y,extra\nC\nD,d@example.com," + "n" * 50 + "\n"
    table = read_table(Source("c.csv", text.encode()), lambda cells: "name" in cells)
    report = ParsedFile("c", 1, "s", "f")
    rows = list(table_rows(table, report, Limits(max_field_chars=20)))
    assert [line for line, _ in rows] == [2, 5] and len(rows[1][1]["notes"]) == 20
    assert [(i.row, i.reason) for i in report.errors] == [(3, "expected 3 fields, saw 4 (line 3)"), (4, "expected 3 fields, saw 1 (line 4)")]
    assert report.rows_read == 4 and report.rows_accepted == 2
    assert any("truncated" in i.reason for i in report.issues if i.severity == "warning")


@pytest.mark.parametrize("ending", ["", "\n", "\n\n"])
def test_lines_read_block_by_block_are_the_same_records_as_in_one_block(monkeypatch, ending):
    """Plain lines are split a block of text at a time: block edges change no row, number or warning."""
    rows = [f"Given{n},Family{n},{'x' * (25 if n == 17 else n % 7)}" for n in range(40)]
    rows[11] = ""  # a blank line
    rows[23] = "Short,row"  # one field too few
    text = "Notes:\nexported today\n\nFirst,Last,Note\n" + "\n".join(rows) + ending

    def read(block_chars: int):
        monkeypatch.setattr(files, "_BLOCK_CHARS", block_chars)
        table = read_table(Source("c.csv", text.encode()), lambda cells: "first" in cells)
        report = ParsedFile("c", 1, "s", "f")
        records = list(table_records(table, report, Limits(max_field_chars=20)))
        return records, [(i.row, i.severity, i.reason) for i in report.issues], report.rows_read

    whole = read(1 << 20)
    assert len(whole[0]) == 38 and whole[0][0] == (5, ["Given0", "Family0", ""]) and whole[2] == 39
    assert (28, "error", "expected 3 fields, saw 2 (line 28)") in whole[1]
    assert any(row == 22 and "truncated" in reason for row, _, reason in whole[1])
    for block_chars in (1, 7, 30, 100):
        assert read(block_chars) == whole


def test_row_and_column_caps_refuse_the_file():
    text = "Name,Email\n" + "A,a@example.com\n" * 11
    table = read_table(Source("c.csv", text.encode()), lambda cells: "name" in cells)
    with pytest.raises(InputError, match="more than 10 rows"):
        list(table_rows(table, ParsedFile("c", 1, "s", "f"), Limits(max_rows=10)))
    wide = ",".join(f"c{i}" for i in range(300)) + ",name\n"
    with pytest.raises(InputError, match="300|301 columns; the cap is 256"):
        read_table(Source("w.csv", wide.encode()), lambda cells: "name" in cells)


def test_a_large_upload_is_refused_before_parsing():
    big = Source("big.csv", b"Name,Email\n" + b"x" * 2048)
    with pytest.raises(InputError, match="over the 0 MB cap"):
        parse_source(big, Limits(max_file_bytes=1024))


def test_zip_bomb_refused():
    bomb = zip_bytes({"Connections.csv": b"0" * 5_000_000})
    with pytest.raises(InputError, match="expands too much"):
        zip_members(Source("Basic_LinkedInDataExport.zip", bomb))


def test_zip_hostile_names_nested_archives_and_folders_are_ignored_and_reported():
    archive = zip_bytes({
        "../../evil.csv": b"x", "/etc/passwd.csv": b"x", "C:\\x.csv": b"x", "inner.zip": zip_bytes({"a.csv": b"x"}),
        "Connections.csv": CONNECTIONS.encode(), "Jobs/": b"",
    })
    members, ignored = zip_members(Source("export.zip", archive))
    assert [m.basename for m in members] == ["Connections.csv"]
    reasons = " | ".join(ignored)
    assert "../../evil.csv: unsafe member name" in reasons and "inner.zip: a nested archive" in reasons
    assert "/etc/passwd.csv: unsafe" in reasons and "C:\\x.csv: unsafe" in reasons


def test_encrypted_and_damaged_archives_refused():
    archive = bytearray(zip_bytes({"Connections.csv": CONNECTIONS.encode()}, zipfile.ZIP_STORED))
    header = archive.index(b"PK\x01\x02")  # mark the member encrypted in its central directory entry
    archive[header + 8] |= 0x1
    with pytest.raises(InputError, match="encrypted"):
        zip_members(Source("e.zip", bytes(archive)))
    good = zip_bytes({"Connections.csv": CONNECTIONS.encode() * 50})
    with pytest.raises(InputError, match="archive is damaged"):
        zip_members(Source("d.zip", good[: len(good) // 2]))


def test_an_archive_reads_known_members_and_lists_the_rest():
    archive = zip_bytes({"Connections.csv": CONNECTIONS.encode(), "Skills.csv": b"Name\nSelling\n", "README.txt": b"hi"})
    parsed = parse_source(Source("Basic_LinkedInDataExport_01-02-2026.zip", archive))
    assert [f.format for f in parsed.files] == ["linkedin-connections"]
    assert parsed.files[0].rows_accepted == 1
    assert any(i.startswith("README.txt") for i in parsed.ignored)
    assert any(i.startswith("Skills.csv") for i in parsed.ignored)


def test_unknown_csv_lists_columns_found_and_fields_needed():
    with pytest.raises(InputError, match="unknown CSV layout; columns found: Work Email, Org.*--map"):
        parse_source(Source("export.csv", b"Work Email,Org\nx@example.com,Acme\n"))
    parsed = parse_source(Source("export.csv", b"Work Email,Org\nx@example.com,Acme\n"),
                          mapping={"Work Email": "email", "Org": "company"})
    [f] = parsed.files
    assert f.format == "mapped-csv" and f.contacts[0].emails == ("x@example.com",) and f.contacts[0].company == "Acme"


STREAMED = ('Notes:\n"When exporting your connection data, you may notice..."\n\nFirst Name,Last Name,URL,Email Address,'
            'Company,Position,Connected On\n')


@pytest.mark.parametrize("body,encoding", [
    ("Ada,Quill,https://www.linkedin.com/in/ada-q,,Initech,CTO,01 Feb 2024\nJo,Émile,,,Acme,,02 Feb 2024\n", "utf-8"),
    ("Ada,Quill,,,\"Initech, Inc.\",CTO,01 Feb 2024\r\nJo,Émile,,,Acme,,02 Feb 2024\r\n", "utf-8-sig"),
    ("Ada,Quill,,,Initech,CTO,01 Feb 2024\nJo,Émile,,,Acme,,02 Feb 2024\nbad,row\n", "cp1252"),
])
def test_a_file_on_disk_is_read_as_a_stream_with_the_same_records_as_its_bytes(tmp_path, monkeypatch, body, encoding):
    """A file named on the command line is never read whole: checked, hashed and decoded a chunk at a
    time (chunks of 7 bytes here, so characters and lines straddle them), it gives exactly what its
    bytes give in memory: format, rows, records, warnings, hash."""
    data = (STREAMED + body).encode(encoding)
    path = tmp_path / "Connections.csv"
    path.write_bytes(data)
    monkeypatch.setattr(files, "CHUNK_BYTES", 7)
    monkeypatch.setattr(files, "_BLOCK_CHARS", 16)
    on_disk = files.read_source(path)
    assert on_disk.data is None and on_disk.size == len(data)
    [streamed] = parse_source(on_disk).files
    [whole] = parse_source(Source("Connections.csv", data)).files
    assert streamed.sha256 == whole.sha256 == __import__("hashlib").sha256(data).hexdigest()
    assert (streamed.format, streamed.rows_read, streamed.issues) == (whole.format, whole.rows_read, whole.issues)
    assert list(streamed.contacts) == list(whole.contacts) and len(streamed.contacts) == 2
    assert [c.last_name for c in streamed.contacts] == ["Quill", "Émile"]
    assert (decode(on_disk).encoding, decode(on_disk).warning is not None) == (
        ("cp1252", True) if encoding == "cp1252" else ("utf-8", False))


def test_a_file_that_stops_being_utf8_late_is_read_as_windows_1252(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "CHUNK_BYTES", 64)
    path = tmp_path / "c.csv"
    path.write_bytes(b"Name,Email\n" + b"Ada Quill,ada@example.com\n" * 20 + "Zoë Lind,zoe@example.com\n".encode("cp1252"))
    text = decode(files.read_source(path))
    assert text.encoding == "cp1252" and text.text.endswith("Zoë Lind,zoe@example.com\n")


@pytest.mark.parametrize("name, text", [
    ("c.vcf", "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë Öst\r\nEMAIL:zoe@example.com\r\nEND:VCARD\r\n"),
    ("c.ics", "BEGIN:VCALENDAR\r\nX-WR-CALNAME:dana@example.com\r\nBEGIN:VEVENT\r\nDTSTART:20250301T100000\r\n"
              "ATTENDEE;CN=Zoë Öst:mailto:zoe@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"),
])
def test_address_books_and_calendars_in_each_encoding_read_the_same_and_report_windows_1252(name, text):
    """vCard and iCalendar files are read as a stream in the encoding found for them, like CSV files:
    UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252 with a warning."""
    from ingest import parse_file

    for encoding, warned in (("utf-8", False), ("utf-8-sig", False), ("utf-16", False), ("cp1252", True)):
        report = parse_file(Source(name, text.encode(encoding)))
        assert [(c.name, c.emails) for c in report.contacts] == [("Zoë Öst", ("zoe@example.com",))], encoding
        warnings = [i.reason for i in report.issues if i.severity == "warning"]
        assert warnings == ([f"{name} is not UTF-8; it was read as Windows-1252 (check accented names)."] if warned else [])
