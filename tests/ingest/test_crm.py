"""CRM parsers (HubSpot contacts, Salesforce contact and account reports) on the samples and inline files."""

from __future__ import annotations

from datetime import date

import pytest

from graphapp.model import RelationshipKind
from ingest.files import Limits, Source, read_source, read_table
from ingest.formats.crm import CSV_FORMATS, kind_from_labels
from ingest.records import OWNER, ParsedFile, rep_by_email, rep_by_name
from tests.ingest.helpers import SAMPLES, parse_csv

FORMATS = {f.name: f for f in CSV_FORMATS}

SF_CONTACT_HEADER = ('"Contact Owner","First Name","Last Name","Title","Account Name","Email","Phone","Mobile",'
                     '"Mailing Street","Mailing City","Mailing State/Province","Mailing Zip/Postal Code",'
                     '"Mailing Country","Lead Source","Created Date","Last Activity","Contact ID","Account ID"')
SF_ROW = ('"Theo Rep","Ada","Quill","Buyer","Quill Works","ada@quill.example.com","","","1 Example Way","Boston",'
          '"MA","02110","United States","Web","1/9/2024","3/15/2025","003Hs0000000001","001Hs0000000001"')
HS_HEADER = ('"Record ID","First Name","Last Name","Email","Phone Number","Contact owner",'
             '"Primary Associated Company ID","Last Activity Date","Lead Status","Marketing contact status",'
             '"Create Date","Associated Company"')


def parse(source: Source, name: str) -> ParsedFile:
    return parse_csv(source, FORMATS[name])


def parse_sample(file: str, name: str) -> ParsedFile:
    return parse(read_source(SAMPLES / file), name)


def parse_text(text: str, name: str, encoding: str = "utf-8") -> ParsedFile:
    return parse(Source("inline.csv", text.encode(encoding)), name)


def errors(report: ParsedFile) -> list[tuple[int | None, str]]:
    return [(i.row, i.reason) for i in report.errors]


def by_email(report: ParsedFile) -> dict[str, tuple]:
    ties = {t.b: t for t in report.ties}
    return {c.emails[0]: (c, ties[c.ref]) for c in report.contacts if c.emails}


# --- samples: exact counts from samples/README.md -------------------------------------------------

@pytest.mark.parametrize(("file", "name", "read"), [
    ("hubspot_contacts.csv", "hubspot-contacts", 12),
    ("salesforce_contacts.csv", "salesforce-contacts", 9),
    ("salesforce_accounts.csv", "salesforce-accounts", 12),
])
def test_samples_give_the_documented_counts(file, name, read):
    report = parse_sample(file, name)
    assert (report.rows_read, report.rows_accepted, report.rows_rejected) == (read, read, 0)
    assert report.errors == []


def test_each_sample_header_matches_only_its_own_format():
    for file, name in [("hubspot_contacts.csv", "hubspot-contacts"), ("salesforce_contacts.csv", "salesforce-contacts"),
                       ("salesforce_accounts.csv", "salesforce-accounts")]:
        table = read_table(read_source(SAMPLES / file), FORMATS[name].matches)
        cells = [h.lower() for h in table.header]
        assert [f.name for f in CSV_FORMATS if f.matches(cells)] == [name]


def test_hubspot_rows_become_people_kept_by_the_contact_owner():
    report = parse_sample("hubspot_contacts.csv", "hubspot-contacts")
    people = by_email(report)
    kate, tie = people["kate.ashdown@brackenridge.example.com"]  # written Kate.Ashdown@Brackenridge...
    assert (kate.name, kate.first_name, kate.last_name) == ("Kate Ashdown", "Kate", "Ashdown")
    assert kate.company == "Brackenridge Cold Storage" and kate.phones == ("+1 (617) 555-0123",)
    assert kate.fact == "crm-contact" and kate.ref == "r2" and kate.row == 2
    assert (tie.a, tie.b, tie.kind, tie.fact) == (rep_by_name("Theo Marchbanks"), "r2", RelationshipKind.PROSPECT,
                                                  "crm-contact")  # lead status Connected, with activity
    assert (tie.first_seen, tie.last_interaction, kate.as_of) == (date(2022, 5, 11), date(2025, 9, 3), date(2025, 9, 3))
    # No lifecycle or type column in the default view: the lead status and the last activity decide. Leads
    # never reached (New, Attempted to Contact, or no activity) are kept by their owner but no relationship.
    kinds = {c.emails[0].split("@")[0]: t.kind.value for c, t in people.values()}
    assert sorted(k for k, v in kinds.items() if v == "prospect") == [
        "jihyun.kim", "kate.ashdown", "r.hargreaves", "scrowther", "tobias.wetherby"]
    assert set(kinds.values()) == {"prospect", "owner"} and len(kinds) == 12
    assert {t.a for t in report.ties} == {rep_by_name(n) for n in ("Theo Marchbanks", "Ruth Okonjo", "Sam Petrakis")}


def test_hubspot_keeps_a_row_with_an_email_but_no_name():
    renata, _ = by_email(parse_sample("hubspot_contacts.csv", "hubspot-contacts"))["r.hargreaves@tavistockmedical.example.net"]
    assert renata.name is None and renata.first_name is None and renata.company == "Tavistock Medical Plaza"


def test_hubspot_without_last_activity_dates_the_row_by_its_creation():
    eleanor, tie = by_email(parse_sample("hubspot_contacts.csv", "hubspot-contacts"))[
        "eleanor.blackwood@larkspurliving.example.org"]
    assert eleanor.as_of == date(2025, 1, 14) and tie.last_interaction is None and tie.first_seen == date(2025, 1, 14)


def test_salesforce_contacts_decode_latin1_and_keep_the_street_with_a_line_feed():
    report = parse_sample("salesforce_contacts.csv", "salesforce-contacts")
    # Katherine's and Ignatius's streets span two lines, so the rows start on lines 2, 4 and 6.
    assert [c.row for c in report.contacts][:4] == [2, 4, 6, 7]
    jose = report.contacts[2]
    assert (jose.name, jose.first_name, jose.last_name) == ("José Núñez", "José", "Núñez")
    kate, tie = by_email(report)["kate.ashdown@brackenridge.example.com"]  # written in capitals
    assert kate.name == "Katherine Ashdown" and kate.title == "Director of Facilities"
    assert kate.company == "Brackenridge Cold Storage, Inc." and kate.location == "Boston, MA, United States"
    assert (tie.a, tie.first_seen, tie.last_interaction) == (rep_by_name("Theo Marchbanks"), date(2022, 5, 11),
                                                             date(2025, 9, 3))
    assert any("Windows-1252" in i.reason for i in report.issues if i.row is None)


def test_salesforce_footer_is_neither_counted_nor_rejected():
    report = parse_sample("salesforce_contacts.csv", "salesforce-contacts")
    assert report.rows_read == 9 and len(report.contacts) == 9
    assert all(i.severity == "warning" and i.row is None for i in report.issues)


def test_salesforce_accounts_give_companies_with_domains_and_types():
    report = parse_sample("salesforce_accounts.csv", "salesforce-accounts")
    assert report.contacts == [] and report.ties == [] and len(report.companies) == 12
    companies = {c.name: c for c in report.companies}
    assert companies["Brackenridge Cold Storage, Inc."].domains == ("brackenridge.example.com",)  # www.
    assert companies["Halvorsen Dental Group"].domains == ("halvorsendental.example.org",)  # https://
    assert companies["Larkspur Senior Living"].domains == ("larkspurliving.example.org",)  # http://www.../
    assert companies["Tavistock Medical Plaza"].domains == ("tavistockmedical.example.net",)  # bare
    assert "Crémerie Beaulieu SARL" in companies
    assert sorted(c.name for c in report.companies if c.is_customer) == [
        "Brackenridge Cold Storage, Inc.", "Crémerie Beaulieu SARL", "Halvorsen Dental Group", "Tavistock Medical Plaza"]
    assert sorted(c.name for c in report.companies if c.is_partner) == ["Ridgeback Access Control", "Voltaris Lighting"]
    assert all(c.fact == "crm-account" and not c.is_target for c in report.companies)


# --- Salesforce footer variants -------------------------------------------------------------------

FOOTERS = {
    "one blank line, (c)": '\n"My Contacts"\n"Copyright (c) 2000-2025 salesforce.com, inc. All rights reserved."\n'
                           '"Confidential Information - Do Not Distribute"\n"Generated By:  Theo Rep  9/16/2025 2:18 PM"\n'
                           '"Example Org"\n',
    "two blank lines, ©": '\n\n"My Contacts"\n"Copyright © 2000-2025 salesforce.com, inc. All rights reserved."\n'
                          '"Confidential Information - Do Not Distribute"\n"Generated By:  Theo Rep  9/16/2025 2:18 PM"\n'
                          '"Example Org"\n',
    "grand totals": '\n"Grand Totals (2 records)"\n\n"My Contacts"\n'
                    '"Copyright (c) 2000-2025 salesforce.com, inc. All rights reserved."\n'
                    '"Confidential Information - Do Not Distribute"\n"Generated By:  Theo Rep  9/16/2025 2:18 PM"\n',
    "no blank line": '"My Contacts"\n"Copyright (c) 2000-2025 salesforce.com, inc. All rights reserved."\n'
                     '"Confidential Information - Do Not Distribute"\n',
    "unquoted, no final newline": '\nMy Contacts\nCopyright (c) 2000-2025 salesforce.com, inc. All rights reserved.\n'
                                  'Confidential Information - Do Not Distribute\nGenerated By:  Theo Rep  9/16/2025',
    "CRLF": '\r\n"My Contacts"\r\n"Copyright © 2000-2025 salesforce.com, inc. All rights reserved."\r\n',
}


@pytest.mark.parametrize("footer", FOOTERS.values(), ids=FOOTERS.keys())
def test_salesforce_footer_variants_are_ignored(footer):
    second = SF_ROW.replace("Ada", "Bea").replace("ada@", "bea@")
    report = parse_text(f"{SF_CONTACT_HEADER}\n{SF_ROW}\n{second}\n{footer}", "salesforce-contacts", "cp1252")
    assert (report.rows_read, report.rows_accepted, report.errors) == (2, 2, [])
    assert [c.name for c in report.contacts] == ["Ada Quill", "Bea Quill"]


@pytest.mark.parametrize("tail_lines", [2, 4, 6, 1_000])
@pytest.mark.parametrize("footer", FOOTERS.values(), ids=FOOTERS.keys())
def test_the_footer_is_found_in_the_lines_kept_at_the_end_or_in_the_whole_text(footer, tail_lines, monkeypatch):
    """The report streams by once, its last ``TAIL_LINES`` lines kept; a trailing run of blank or
    one-field lines that fills them is looked at whole. The rows are the same either way."""
    from ingest.formats import crm

    monkeypatch.setattr(crm, "TAIL_LINES", tail_lines)
    rows = [SF_ROW.replace("Ada", f"Ada{n}").replace("ada@", f"ada{n}@") for n in range(5)]
    report = parse_text(f"{SF_CONTACT_HEADER}\n" + "\n".join(rows) + f"\n{footer}", "salesforce-contacts", "cp1252")
    assert (report.rows_read, report.rows_accepted, report.errors) == (5, 5, [])
    assert [c.name for c in report.contacts] == [f"Ada{n} Quill" for n in range(5)]


def test_a_table_cut_before_its_footer_streams_exactly_its_text():
    from ingest.formats.crm import strip_report_footer

    footer = FOOTERS["one blank line, (c)"]
    text = f"{SF_CONTACT_HEADER}\r\n{SF_ROW}\r\n\"A, multi\nline\"\r\n{footer}"
    table = strip_report_footer(read_table(Source("r.csv", text.encode("utf-8")), lambda cells: len(cells) > 5))
    data = text[:text.index(footer)]
    assert table.chars == len(data)
    with table.open_text() as stream:
        assert stream.read() == data
    with table.open_text() as stream:
        assert list(stream) == [f"{SF_CONTACT_HEADER}\r\n", f"{SF_ROW}\r\n", "\"A, multi\n", "line\"\r\n"]
    with table.open_text() as stream:
        blocks = iter(lambda: stream.read(7), "")
        assert "".join(blocks) == data


def test_without_a_footer_every_row_counts_and_a_ragged_one_is_still_rejected():
    report = parse_text(f"{SF_CONTACT_HEADER}\n{SF_ROW}\n\"just one field\"\n", "salesforce-contacts")
    assert report.rows_read == 2 and errors(report) == [(3, "expected 18 fields, saw 1 (line 3)")]


def test_salesforce_account_footer_with_grand_totals():
    text = ('"Account Owner","Account Name","Type","Website"\n"Theo Rep","Quill Works","Customer - Direct","quill.example.com"\n'
            '"Theo Rep","Hart Ltd","Technology Partner",""\n"Grand Totals (2 records)"\n\n\n"Accounts"\n'
            '"Copyright © 2000-2025 salesforce.com, inc. All rights reserved."\n')
    report = parse_text(text, "salesforce-accounts")
    assert (report.rows_read, report.rows_accepted) == (2, 2)
    quill, hart = report.companies
    assert quill.is_customer and not quill.is_partner and hart.is_partner and hart.domains == ()


def test_salesforce_account_without_a_name_is_rejected_and_a_bad_website_is_dropped():
    text = '"Account Owner","Account Name","Website"\n"Theo Rep","","x.example.com"\n"Theo Rep","Quill","not a site"\n'
    report = parse_text(text, "salesforce-accounts")
    assert errors(report) == [(2, "no account name")]
    assert report.companies[0].domains == () and any(i.column == "website" for i in report.issues)


def test_salesforce_account_type_column_on_a_contact_report_makes_customers():
    header = '"Contact Owner","First Name","Last Name","Account Name","Account Type","Email"\n'
    rows = ('"Theo Rep","Ada","Quill","Quill Works","Customer - Channel","ada@quill.example.com"\n'
            '"","Bea","Hart","Hart Ltd","Channel Partner / Reseller","bea@hart.example.com"\n'
            '"","Cy","Lund","Lund AB","Prospect","cy@lund.example.com"\n')
    report = parse_text(header + rows, "salesforce-contacts")
    # A prospect account with no activity column: the owner field alone makes no relationship.
    assert [t.kind for t in report.ties] == [RelationshipKind.CUSTOMER, RelationshipKind.PARTNER, RelationshipKind.OWNER]
    assert [t.a for t in report.ties] == [rep_by_name("Theo Rep"), OWNER, OWNER]  # no owner: the file's owner


# --- HubSpot variants -----------------------------------------------------------------------------

def test_hubspot_all_properties_export_reads_lifecycle_title_and_linkedin():
    header = ('Record ID,First Name,Last Name,Became a Customer Date,City,Company Domain Name,Company Name,Contact owner,'
              'Country/Region,Create Date,Email,Job Title,Last Activity Date,Last Modified Date,Lifecycle Stage,'
              'LinkedIn URL,Mobile Phone Number,Phone Number,State/Region\n')
    rows = ('1,Ada,Quill,,Boston,www.quill.example.com,Quill Works,theo.rep@example.com,United States,2024-01-02 10:00,'
            'ADA@quill.example.com,Buyer,2025-01-05 09:00,2025-03-01 08:00,Customer,linkedin.com/in/ada-quill/,'
            '+1 555-0100,,MA\n'
            '2,Bea,Hart,2024-06-01,,,Hart Ltd,,,2024-01-02 10:00,bea@hart.example.com,,,,Lead,,,,\n'
            '3,Cy,Lund,,,,Lund AB,,,2024-01-02 10:00,cy@lund.example.com,,,,Lead,,,,\n')
    report = parse_text(header + rows, "hubspot-contacts")
    assert (report.rows_read, report.rows_accepted) == (3, 3)
    ada, bea, cy = report.contacts
    assert ada.emails == ("ada@quill.example.com",) and ada.linkedin_url == "https://www.linkedin.com/in/ada-quill"
    assert (ada.title, ada.company, ada.company_domain) == ("Buyer", "Quill Works", "quill.example.com")
    assert ada.location == "Boston, MA, United States" and ada.phones == ("+1 555-0100",)
    assert ada.as_of == date(2025, 3, 1)  # last modified is fresher than last activity
    assert [t.kind for t in report.ties] == [RelationshipKind.CUSTOMER, RelationshipKind.CUSTOMER, RelationshipKind.OWNER]
    assert report.ties[0].a == rep_by_email("theo.rep@example.com") and report.ties[1].a == OWNER


def test_hubspot_bad_values_are_warned_and_a_row_with_no_person_is_rejected():
    rows = ('"1","Ada","Quill","not-an-email","","Theo Rep","","someday","","","2024-01-02 10:00",""\n'
            '"2","","","","+1 555-0100","Theo Rep","","","","","",""\n'
            '"3","","","","","Theo Rep","","","","","","Quill Works"\n')
    report = parse_text(f"{HS_HEADER}\n{rows}", "hubspot-contacts")
    assert errors(report) == [(3, "phone number only: no name, e-mail or profile URL"),
                              (4, "no name, e-mail or profile URL")]
    warnings = {(i.row, i.column) for i in report.issues if i.severity == "warning" and i.row is not None}
    assert warnings == {(2, "email"), (2, "last activity date")}
    assert report.contacts[0].emails == () and report.ties[0].last_interaction is None


def test_hubspot_activity_before_creation_does_not_make_an_impossible_tie():
    row = '"1","Ada","Quill","ada@quill.example.com","","Theo Rep","","2023-05-01 09:00","","","2024-01-02 10:00",""\n'
    tie = parse_text(f"{HS_HEADER}\n{row}", "hubspot-contacts").ties[0]
    assert tie.first_seen == tie.last_interaction == date(2023, 5, 1)


def test_formula_like_cells_are_stored_verbatim():
    row = '"1","=HYPERLINK(""x"")","+Quill","ada@quill.example.com","","@Theo","","","","","","-Works"\n'
    report = parse_text(f"{HS_HEADER}\n{row}", "hubspot-contacts")
    contact, tie = report.contacts[0], report.ties[0]
    assert (contact.first_name, contact.last_name, contact.company) == ('=HYPERLINK("x")', "+Quill", "-Works")
    assert tie.a == rep_by_name("@Theo")


def test_hubspot_header_is_not_taken_for_a_salesforce_report():
    cells = [c.strip('"').lower() for c in HS_HEADER.split(",")]
    assert FORMATS["hubspot-contacts"].matches(cells)
    assert not FORMATS["salesforce-contacts"].matches(cells) and not FORMATS["salesforce-accounts"].matches(cells)


@pytest.mark.parametrize(("labels", "kind"), [
    (["Customers", "* myContacts"], RelationshipKind.CUSTOMER),
    (["Clients"], RelationshipKind.CUSTOMER),
    (["Customer - Direct"], RelationshipKind.CUSTOMER),
    (["Partners", "Customers"], RelationshipKind.CUSTOMER),
    (["Installation Partner"], RelationshipKind.PARTNER),
    (["Circle of influence"], RelationshipKind.INFLUENCER),
    (["Referrals"], RelationshipKind.REFERRAL),
    (["Prospects", "Friends", "* starred", ""], None),
    ([], None),
])
def test_kind_from_labels(labels, kind):
    assert kind_from_labels(labels) is kind


def test_file_warnings_already_copied_by_the_caller_are_not_repeated():
    source = read_source(SAMPLES / "salesforce_contacts.csv")
    fmt = FORMATS["salesforce-contacts"]
    table = read_table(source, fmt.matches)
    report = ParsedFile(source.name, source.size, source.sha256, fmt.name)
    report.warn(None, table.warnings[0])
    fmt.parse(table, report, Limits())
    assert [i.reason for i in report.issues if not i.reason.endswith(COLD_LEADS)] == table.warnings


# --- what a CRM row says about the tie (docs/ranking.md, "Evidence") -----------------------------------

COLD_LEADS = ("are leads nobody has reached (lead status New, Attempted to Contact, Unqualified or Bad Timing, or no "
              "last activity): the people are kept, with their owner in the CRM, but make no relationship and no warm "
              "path")


def test_the_report_says_how_many_leads_nobody_reached():
    report = parse_sample("hubspot_contacts.csv", "hubspot-contacts")
    assert [i.reason for i in report.issues if i.row is None] == [f"7 contact(s) {COLD_LEADS}"]

HUBSPOT_SEMANTICS = ('"Record ID","First Name","Last Name","Email","Contact owner","Lifecycle Stage","Lead Status",'
                     '"Last Activity Date","Became a Customer Date"\n')


@pytest.mark.parametrize("stage,status,activity,since,kind", [
    ("Lead", "New", "", "", RelationshipKind.OWNER),
    ("Lead", "Attempted to Contact", "2025-06-01", "", RelationshipKind.OWNER),  # tried, never reached
    ("Lead", "Unqualified", "2025-06-01", "", RelationshipKind.OWNER),
    ("Marketing Qualified Lead", "Bad Timing", "2025-06-01", "", RelationshipKind.OWNER),
    ("Lead", "", "", "", RelationshipKind.OWNER),  # no activity
    ("", "", "", "", RelationshipKind.OWNER),  # the owner field alone
    ("Opportunity", "Open Deal", "2025-06-01", "", RelationshipKind.PROSPECT),
    ("Sales Qualified Lead", "Connected", "2025-06-01", "", RelationshipKind.PROSPECT),
    ("Lead", "In Progress", "2025-06-01", "", RelationshipKind.PROSPECT),
    ("", "", "2025-06-01", "", RelationshipKind.KNOWS),  # activity, nothing else said
    ("Customer", "", "", "", RelationshipKind.CUSTOMER),
    ("Lead", "New", "", "2021-04-01", RelationshipKind.CUSTOMER),  # became a customer
    ("Evangelist", "", "2025-06-01", "", RelationshipKind.CUSTOMER),
])
def test_lifecycle_stage_lead_status_and_last_activity_decide_the_tie(stage, status, activity, since, kind):
    row = f'"1","Ada","Quill","ada@quill.example.com","Theo Rep","{stage}","{status}","{activity}","{since}"\n'
    report = parse_text(HUBSPOT_SEMANTICS + row, "hubspot-contacts")
    assert len(report.contacts) == 1 and [t.kind for t in report.ties] == [kind]
