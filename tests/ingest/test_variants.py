"""Export variants real files take (tests/fixtures/variants, invented data): optional columns left out,
semicolon and tab delimiters, UTF-16 without a BOM. Each file is read the way an import reads it."""

from __future__ import annotations

from datetime import date

import pytest

from graphapp import service
from graphapp.errors import InputError
from graphapp.store.sqlite.store import open_sqlite
from ingest import parse_source
from ingest.files import Source, decode, read_source
from ingest.records import OWNER, OwnerProfile, ParsedFile, rep_by_name
from tests.ingest.helpers import VARIANTS


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


def test_a_preamble_full_of_commas_above_a_semicolon_header():
    """csv.Sniffer gives up on this shape (docs/importing.md): the header's known names settle it."""
    text = ('Notes:\n"When exporting, you may notice, that some, are missing, here, and, there."\n\n'
            "First Name;Last Name;URL;Email Address;Company;Position;Connected On\n"
            "Ada;Quill;;;Quill, Works;CEO;08 Jan 2024\n")
    [report] = parse_source(Source("Connections.csv", text.encode())).files
    assert report.format == "linkedin-connections"
    assert [(c.name, c.company) for c in report.contacts] == [("Ada Quill", "Quill, Works")]


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


# --- calendars: pseudo-attendees and the owner -----------------------------------------------------

CALENDAR_OWNER = "dana.whitcombe@example.com"
RELAY = "k7q2x9m4pd@privaterelay.appleid.com"


def parse_calendar(name: str, owner_email: str | None = None) -> ParsedFile:
    owner = OwnerProfile(emails=(owner_email,)) if owner_email else None
    [parsed] = parse_source(read_source(VARIANTS / name), owner=owner).files
    return parsed


def test_pseudo_attendees_are_no_people():
    report = parse_calendar("calendar_pseudo_attendees.ics", CALENDAR_OWNER)
    met = {c.name for c in report.contacts}
    assert met == {"Elif Saraç", None, "Gwen Apple", "Hollis Grieve", "Inês Quaresma"}  # None: finnian (CN = address)
    assert not any(n in met for n in ("Contacts", "Holidays", "Team calendar", "Video call", "Boardroom", "Someone"))
    assert sorted(i.reason for i in report.errors) == sorted([
        "room: CUTYPE=RESOURCE, not a person",
        # The birthday calendar's "Contacts" (its ORGANIZER line, no valid address, names no one more).
        "not a person: @group.v.calendar.google.com is a calendar or a call, not someone's address",
        "not a person: @group.v.calendar.google.com is a calendar or a call, not someone's address",  # Holidays
        "not a person: @group.calendar.google.com is a calendar or a call, not someone's address",
        "not a person: @virtual is a calendar or a call, not someone's address",
        "room: CUTYPE=ROOM, not a person",
        "group: CUTYPE=GROUP, a mailing list, not a person",
        "CUTYPE=UNKNOWN: not known to be a person",
    ])


def test_attendee_names_come_from_cn_never_from_the_address():
    report = parse_calendar("calendar_pseudo_attendees.ics", CALENDAR_OWNER)
    finnian = next(c for c in report.contacts if c.emails == ("finnian@example.net",))
    assert finnian.name is None  # CN=finnian@example.net is no name


def test_the_owner_the_user_gave_is_the_owner_in_every_event():
    report = parse_calendar("calendar_pseudo_attendees.ics", "Dana.Whitcombe@Example.com")
    assert (report.owner_email, report.owner_guessed) == (CALENDAR_OWNER, False)
    assert not any(CALENDAR_OWNER in c.emails for c in report.contacts)
    ties = ties_by_email(report)
    # The outside organiser who invited the owner (whose own line the invitation does not carry) met her.
    [hollis] = ties["hollis.grieve@example.org"]
    assert (hollis.a, hollis.first_seen) == (OWNER, date(2025, 3, 12))
    assert all(t.a == OWNER for t in report.ties)


def test_a_given_owner_overrides_the_calendar_name():
    """The calendar is named after one address; the user says it is another rep's: the named one is then
    an attendee like any other, and the given one is skipped."""
    text = (VARIANTS / "calendar_pseudo_attendees.ics").read_text(encoding="utf-8")
    text = text.replace("X-WR-CALNAME:Work", "X-WR-CALNAME:elif.sarac@example.org")
    [guessed] = parse_source(Source("c.ics", text.encode())).files
    assert (guessed.owner_email, guessed.owner_guessed) == ("elif.sarac@example.org", True)
    [given] = parse_source(Source("c.ics", text.encode()), owner=OwnerProfile(emails=(CALENDAR_OWNER,))).files
    assert (given.owner_email, given.owner_guessed) == (CALENDAR_OWNER, False)
    assert "elif.sarac@example.org" in ties_by_email(given)
    assert CALENDAR_OWNER not in ties_by_email(given)


def test_without_a_given_owner_the_guess_is_marked_and_never_a_relay_address():
    report = parse_calendar("calendar_pseudo_attendees.ics")
    # The relay address is in every event, more often than the owner: still not taken for the owner.
    assert (report.owner_email, report.owner_guessed) == (CALENDAR_OWNER, True)
    assert RELAY in ties_by_email(report)


def test_a_lone_attendee_is_never_taken_for_the_owner():
    report = parse_calendar("calendar_lone_attendee.ics")
    assert report.owner_email is None and report.owner_guessed
    assert [(c.name, c.emails) for c in report.contacts] == [("Jarvis Pell", ("jarvis.pell@example.com",))]


def test_no_guess_when_two_people_are_named_equally_often():
    text = "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "BEGIN:VEVENT", "DTSTART:20250401T100000Z",
                        "ATTENDEE;CN=Ada:mailto:ada@example.com", "ATTENDEE;CN=Bo:mailto:bo@example.com",
                        "END:VEVENT", "END:VCALENDAR"]) + "\r\n"
    [report] = parse_source(Source("two.ics", text.encode())).files
    assert report.owner_email is None
    assert sorted(c.name for c in report.contacts) == ["Ada", "Bo"]


def test_the_import_hands_the_owner_it_was_given_to_the_calendar(tmp_path):
    """End to end on a real SQLite file: the calendar is named after Elif, the user says it is Dana's:
    Elif is a person Dana met, and Dana is the rep."""
    text = (VARIANTS / "calendar_pseudo_attendees.ics").read_text(encoding="utf-8")
    path = tmp_path / "work.ics"
    path.write_text(text.replace("X-WR-CALNAME:Work", "X-WR-CALNAME:elif.sarac@example.org"), encoding="utf-8")
    store = open_sqlite(tmp_path / "g.db")
    try:
        report = service.import_files(store, [path], owner=CALENDAR_OWNER)
        assert report.committed
        assert [r.email for r in store.list_reps()] == [CALENDAR_OWNER]
        found = store.people_by_keys(["email:elif.sarac@example.org", "email:hollis.grieve@example.org"])
        assert set(found) == {"email:elif.sarac@example.org", "email:hollis.grieve@example.org"}
    finally:
        store.close()
