"""A CSV whose quote never closes is refused naming the line, never folded into one cell; messages that
quote a value from a file repeat at most 80 characters of it (issue 20, the smaller items)."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from graphapp.errors import InputError
from ingest import parse_source
from ingest.files import Source
from ingest.formats.cells import quote_value

HEADER = "Name,Email,Company\n"


def contacts(n: int, first: int = 1) -> str:
    return "".join(f"Person {i},person{i}@example.com,Initech\n" for i in range(first, first + n))


# -- an unclosed quote ---------------------------------------------------------------------------------
@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_a_quote_that_never_closes_refuses_the_file_naming_its_line_and_column(ending):
    # Line 1 is the header; the quote opens in the Company cell of line 5; 5,000 rows follow it.
    text = HEADER + contacts(3) + 'Jane Doe,jane@example.com,"Initech\n' + contacts(5000, first=10)
    source = Source("contacts.csv", text.replace("\n", ending).encode())
    with pytest.raises(InputError) as caught:
        parse_source(source)
    message = str(caught.value)
    assert message.startswith("contacts.csv, line 5, column company: a quoted value opens there and is never closed")
    assert "(lines 5-5005)" in message and "nothing of this file was imported" in message
    assert "Close the quote on line 5" in message


def test_a_quote_opened_on_the_last_line_without_an_end_is_refused_too():
    source = Source("contacts.csv", (HEADER + contacts(2) + 'Jane Doe,"jane@example.com,Initech').encode())
    with pytest.raises(InputError, match=r"line 4, column email: a quoted value opens there and is never closed"):
        parse_source(source)


def test_a_second_quote_in_the_same_row_opens_the_cell_named():
    # A value spanning lines, closed, then an unclosed one on a later line of the same record.
    text = HEADER + contacts(1) + '"Jane\nDoe",jane@example.com,"Initech\n' + contacts(10, first=5)
    with pytest.raises(InputError, match=r"line 4, column company: a quoted value opens there"):
        parse_source(Source("contacts.csv", text.encode()))


@pytest.mark.parametrize("last_row", [
    '"Jane ""JD"" Doe",jane@example.com,"Initech,\nLondon"\n',  # quoted cells, a doubled quote, a line end inside
    'Jane Doe,jane@example.com,5\'10" tall\n',  # a quote inside an unquoted cell is a character
    '"Jane Doe",jane@example.com,"Initech"',  # no line end after the last row
])
def test_closed_quotes_and_quotes_inside_cells_are_read_as_before(last_row):
    result = parse_source(Source("contacts.csv", (HEADER + contacts(2) + last_row).encode()))
    [report] = result.files
    assert report.rows_read == 3 and report.rows_accepted == 3 and not report.errors


def test_a_large_file_with_quoted_cells_reads_every_row():
    rows = "".join(f'"Person {i}",person{i}@example.com,"Initech, Ltd"\n' for i in range(12_000))
    [report] = parse_source(Source("contacts.csv", (HEADER + rows).encode())).files
    assert report.rows_read == report.rows_accepted == 12_000


# -- long values in messages ---------------------------------------------------------------------------
LONG = "x" * 100_000


def test_quote_value_cuts_after_80_characters_and_says_how_long_the_value_was():
    assert quote_value("dana") == "'dana'"
    assert quote_value("a" * 80) == repr("a" * 80)
    assert quote_value(LONG) == repr("x" * 80) + "… (100,000 characters)"
    assert quote_value(LONG, quotes=False) == "x" * 80 + "… (100,000 characters)"


def messages(result) -> list[str]:
    return [i.reason for f in result.files for i in f.issues] + list(result.ignored)


def assert_cut(texts: list[str], expected: int) -> None:
    quoting = [t for t in texts if "x" * 20 in t]
    assert len(quoting) == expected, texts
    for text in quoting:
        assert "x" * 81 not in text and "(100,000 characters)" in text
        assert len(text) < 300


@pytest.mark.parametrize(("name", "text", "expected"), [
    # CRM exports: an e-mail, a date and a website that are not ones.
    ("hubspot.csv", f"Record ID,First Name,Last Name,Email,Last Activity Date\n1,Dana,Whit,{LONG},{LONG}\n", 2),
    ("accounts.csv", f"Account Owner,Account Name,Website,Type\nDana,Initech,{LONG},Customer\n", 1),
    ("contacts.csv", f"Name,Email\nDana Whit,{LONG}\n", 1),
    # LinkedIn: an e-mail and a profile URL that are not ones, a date that is not one.
    ("Connections.csv", f"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
                        f"Ann,Lee,{LONG},{LONG},Initech,CTO,{LONG}\n", 3),
    ("Invitations.csv", f"From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n"
                        f"Ann Lee,Bo Chen,\"01/05/24, 10:00 AM\",,{LONG},,\n", 1),
    # Team sheets: a relationship type, a rep e-mail, a date, a priority, a domain.
    ("relationships.csv", f"rep_email,person_name,relationship,since\n{LONG},Ann Lee,colleague,2020-01-01\n", 1),
    ("relationships.csv", f"rep_email,person_name,relationship,since\ndana@example.com,Ann Lee,{LONG},2020-01-01\n", 1),
    ("relationships.csv", f"rep_email,person_name,relationship,since\ndana@example.com,Ann Lee,friend,{LONG}\n", 1),
    ("targets.csv", f"account,domain,owner_rep_email,priority\nInitech,{LONG},{LONG},high\n", 2),
    ("targets.csv", f"account,domain,owner_rep_email,priority\nInitech,,,{LONG}\n", 1),
])
def test_a_100000_character_value_is_quoted_cut_in_every_warning_and_error(name, text, expected):
    result = parse_source(Source(name, text.encode()))
    assert_cut(messages(result), expected)


def test_an_unknown_layout_lists_its_columns_cut():
    with pytest.raises(InputError) as caught:
        parse_source(Source("odd.csv", f"Colour,{LONG}\nred,blue\n".encode()))
    message = str(caught.value)
    assert re.search(r"unknown CSV layout; columns found: Colour, x{80}… \([0-9,]+ characters\)\. Map its", message)
    assert "x" * 81 not in message


def test_a_mapping_to_a_long_unknown_field_is_refused_with_the_field_cut():
    with pytest.raises(InputError, match="unknown field") as caught:
        parse_source(Source("odd.csv", b"Colour,Shade\nred,blue\n"), mapping={"Colour": "name", "Shade": LONG})
    assert "x" * 81 not in str(caught.value) and "(100,000 characters)" in str(caught.value)


def test_an_archive_member_with_a_long_name_is_listed_cut():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("Connections.csv", "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
                                            "Ann,Lee,,ann@example.com,Initech,CTO,08 Jan 2024\n")
        archive.writestr("../" + "x" * 1000 + ".csv", "a,b\n")
    result = parse_source(Source("export.zip", buffer.getvalue()))
    [ignored] = result.ignored
    assert "x" * 81 not in ignored and "(1,007 characters): unsafe member name" in ignored
