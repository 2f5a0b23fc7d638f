"""Export variants real files take (tests/fixtures/variants, invented data): optional columns left out,
semicolon and tab delimiters, UTF-16 without a BOM. Each file is read the way an import reads it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from graphapp.errors import InputError
from ingest import parse_source
from ingest.files import Source, decode, read_source
from ingest.records import OWNER, ParsedFile, rep_by_name

VARIANTS = Path(__file__).resolve().parents[1] / "fixtures" / "variants"


def parse(name: str) -> ParsedFile:
    [parsed] = parse_source(read_source(VARIANTS / name)).files
    return parsed


def errors(report: ParsedFile) -> list[tuple[int | None, str]]:
    return [(i.row, i.reason) for i in report.errors]


def ties_by_email(report: ParsedFile) -> dict[str, list]:
    emails = {c.ref: c.emails for c in report.contacts}
    found: dict[str, list] = {}
    for tie in report.ties:
        for address in emails[tie.b]:
            found.setdefault(address, []).append(tie)
    return found


# --- optional columns left out -------------------------------------------------------------------

def test_legacy_google_contacts_without_group_membership_is_read():
    report = parse("google_contacts_legacy_no_groups.csv")
    assert report.format == "google-contacts-legacy"
    assert (report.rows_read, report.rows_accepted) == (3, 2)
    assert errors(report) == [(4, "phone number only: no name, e-mail or profile URL")]
    odile, piet = report.contacts
    assert (odile.name, odile.company, odile.title) == ("Odile Brassard", "Brassard Millworks", "Owner")
    assert odile.linkedin_url == "https://www.linkedin.com/in/odile-brassard"
    assert piet.emails == ("piet.v@example.org", "piet@example.net")
    assert [(t.a, t.b) for t in report.ties] == [(OWNER, odile.ref), (OWNER, piet.ref)]


def test_current_google_contacts_without_labels_is_read():
    report = parse("google_contacts_no_labels.csv")
    assert report.format == "google-contacts"
    assert (report.rows_read, report.rows_accepted) == (2, 2)
    assert [(c.name, c.emails, c.company, c.phones) for c in report.contacts] == [
        ("Rosalind Achterberg", ("rosalind@achterberg.example.com",), "Achterberg Dairy", ()),
        ("Stellan Okafor", (), None, ("+1 555-0143",))]


def test_hubspot_export_without_contact_owner_gives_people_and_no_ties():
    report = parse("hubspot_contacts_no_owner.csv")
    assert report.format == "hubspot-contacts"
    assert (report.rows_read, report.rows_accepted) == (3, 2)
    assert errors(report) == [(4, "phone number only: no name, e-mail or profile URL")]
    assert [(c.name, c.company, c.as_of) for c in report.contacts] == [
        ("Tamsin Oyelaran", "Oyelaran Textiles", date(2025, 3, 4)), ("Ulric Fenwick", None, date(2025, 1, 20))]
    assert len(report.ties) == 0


# --- delimiters ----------------------------------------------------------------------------------

def test_semicolon_hubspot_export_from_a_german_excel():
    report = parse("hubspot_contacts_semicolon.csv")
    assert report.format == "hubspot-contacts"
    assert (report.rows_read, report.rows_accepted, report.errors) == (2, 2, [])
    juergen, elodie = report.contacts
    assert (juergen.name, juergen.company) == ("Jürgen Haßelbach", "Haßelbach; Söhne GmbH")  # quoted ';' kept
    assert elodie.company == "Marchetti, Costa & Figli"  # a comma is no delimiter here
    assert juergen.as_of == date(2024, 3, 15) and elodie.as_of == date(2024, 3, 4)  # 04.03.2024: 4 March
    ties = ties_by_email(report)
    assert ties["juergen.hasselbach@example.com"][0].a == rep_by_name("Theo Marchbanks")
    assert ties["elodie.marchetti@example.net"][0].first_seen == date(2024, 2, 1)
    assert any("Windows-1252" in i.reason for i in report.issues if i.row is None)


def test_semicolon_connections_resaved_by_excel():
    report = parse("connections_semicolon.csv")
    assert report.format == "linkedin-connections"
    assert (report.rows_read, report.rows_accepted, report.rows_rejected) == (3, 2, 1)
    wilhelmina, xavier = report.contacts
    assert (wilhelmina.company, wilhelmina.title) == ("Drost, Beek & Partners", "Director, Sales")
    assert xavier.emails == ("xavier@lindqvist.example.com",)
    assert xavier.linkedin_url == "https://www.linkedin.com/in/xavier-lindqvist"


def test_tab_separated_salesforce_report_without_its_footer():
    report = parse("salesforce_contacts_tab.csv")
    assert report.format == "salesforce-contacts"
    assert (report.rows_read, report.rows_accepted, report.errors) == (2, 2, [])
    yusuf = report.contacts[0]
    assert (yusuf.company, yusuf.as_of) == ("Halloran Castings, Inc.", date(2024, 11, 4))
    assert report.ties[0].first_seen == date(2024, 3, 15)  # 3/15/2024 2:30 PM
    assert report.ties[0].a == rep_by_name("Ruth Okonjo")


@pytest.mark.parametrize(("header", "delimiter"), [
    ("Name,Email,Company", ","), ("Name;Email;Company", ";"), ("Name\tEmail\tCompany", "\t"),
    # A comma inside a quoted cell of a semicolon header does not make the comma the delimiter.
    ('"Name";"Email";"Company, Inc."', ";"),
])
def test_the_delimiter_is_the_one_that_splits_the_header_into_known_columns(header, delimiter):
    row = delimiter.join(["Ada Quill", "ada@example.com", "Quill, Works; Ltd" if delimiter == "\t" else "Quill"])
    [report] = parse_source(Source("list.csv", f"{header}\n{row}\n".encode())).files
    assert report.format == "contact-list" and report.errors == []
    assert [(c.name, c.emails) for c in report.contacts] == [("Ada Quill", ("ada@example.com",))]


def test_a_mapped_semicolon_file_is_split_at_its_semicolons():
    text = "Who;Mail;Firm\nAda Quill;ada@example.com;Quill, Works\n"
    [report] = parse_source(Source("odd.csv", text.encode()), mapping={"Who": "name", "Mail": "email",
                                                                       "Firm": "company"}).files
    assert [(c.name, c.emails, c.company) for c in report.contacts] == [
        ("Ada Quill", ("ada@example.com",), "Quill, Works")]


def test_unknown_semicolon_layout_lists_its_columns():
    with pytest.raises(InputError) as caught:
        parse_source(Source("odd.csv", b"Who;Mail;Firm\nAda;ada@example.com;Quill\n"))
    assert "columns found: Who, Mail, Firm" in str(caught.value)


# --- UTF-16 without a BOM ------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "encoding", "people"), [
    ("contacts_utf16le_no_bom.txt", "utf-16-le", ["Abigail Nakashima", "Bartholomew Øster"]),
    ("contacts_utf16be_no_bom.csv", "utf-16-be", ["Celeste Arbuthnot"]),
])
def test_utf16_without_a_bom_is_read_as_text(name, encoding, people):
    source = read_source(VARIANTS / name)
    assert decode(source).encoding == encoding
    report = parse(name)
    assert report.format == "contact-list" and report.issues == []
    assert [c.name for c in report.contacts] == people


def test_binary_with_nul_bytes_on_both_sides_is_still_binary():
    data = bytes(range(256)) * 8 + b"\x00\x00" * 100
    with pytest.raises(InputError, match="binary bytes"):
        parse_source(Source("blob.csv", data))
