"""Address-book parsers (Google Contacts, Outlook, vCard) on the samples and small inline files."""

from __future__ import annotations

from datetime import date

import pytest

from graphapp.model import RelationshipKind
from ingest.files import Limits, Source, decode, physical_lines, read_source, read_table, text_lines
from ingest.formats.addressbook import CSV_FORMATS, TEXT_FORMATS, components, parse_content_line, read_vcards, unfold
from ingest.records import OWNER, ParsedFile
from tests.ingest.helpers import SAMPLES, VARIANTS

FORMATS = {f.name: f for f in CSV_FORMATS}
VCARD = {f.name: f for f in TEXT_FORMATS}["vcard"]
KIND = RelationshipKind

OUTLOOK_WEB_HEADER = (
    "First Name,Middle Name,Last Name,Title,Suffix,Nickname,Given Yomi,Surname Yomi,E-mail Address,E-mail 2 Address,"
    "E-mail 3 Address,Home Phone,Home Phone 2,Business Phone,Business Phone 2,Mobile Phone,Car Phone,Other Phone,"
    "Primary Phone,Pager,Business Fax,Home Fax,Other Fax,Company Main Phone,Callback,Radio Phone,Telex,TTY/TDD Phone,"
    "IMAddress,Job Title,Department,Company,Office Location,Manager's Name,Assistant's Name,Assistant's Phone,"
    "Company Yomi,Business Street,Business City,Business State,Business Postal Code,Business Country/Region,"
    "Home Street,Home City,Home State,Home Postal Code,Home Country/Region,Other Street,Other City,Other State,"
    "Other Postal Code,Other Country/Region,Personal Web Page,Spouse,Schools,Hobby,Location,Web Page,Birthday,"
    "Anniversary,Notes")
LINKEDIN_OUTLOOK_HEADER = (
    "Title,First Name,Middle Name,Last Name,Suffix,E-mail Address,E-mail 2 Address,E-mail 3 Address,Business Street,"
    "Business Street 2,Business Street 3,Business City,Business State,Business Postal Code,Business Country,"
    "Home Street,Home Street 2,Home Street 3,Home City,Home State,Home Postal Code,Home Country,Other Street,"
    "Other Street 2,Other Street 3,Other City,Other State,Other Postal Code,Other Country,Company,Department,Job Title,"
    "Assistant's Phone,Business Fax,Business Phone,Business Phone 2,Callback,Car Phone,Company Main Phone,Home Fax,"
    "Home Phone,Home Phone 2,ISDN,Mobile Phone,Other Fax,Other Phone,Pager,Primary Phone,Radio Phone,TTY/TDD Phone,"
    "Telex,Assistant's Name,Birthday,Manager's Name,Notes,Other Address PO Box,Spouse,Web Page,Personal Web Page")
GOOGLE_LEGACY_HEADER = (
    "Name,Given Name,Additional Name,Family Name,Yomi Name,Given Name Yomi,Additional Name Yomi,Family Name Yomi,"
    "Name Prefix,Name Suffix,Initials,Nickname,Short Name,Maiden Name,Birthday,Gender,Location,Billing Information,"
    "Directory Server,Mileage,Occupation,Hobby,Sensitivity,Priority,Subject,Notes,Language,Photo,Group Membership,"
    "E-mail 1 - Type,E-mail 1 - Value,E-mail 2 - Type,E-mail 2 - Value,Phone 1 - Type,Phone 1 - Value,"
    "Organization 1 - Type,Organization 1 - Name,Organization 1 - Title,Website 1 - Type,Website 1 - Value")


def parse_csv(source: Source, name: str) -> ParsedFile:
    fmt = FORMATS[name]
    table = read_table(source, fmt.matches)
    report = ParsedFile(source.name, source.size, source.sha256, fmt.name)
    fmt.parse(table, report, Limits())
    return report


def parse_vcf(source: Source) -> ParsedFile:
    report = ParsedFile(source.name, source.size, source.sha256, VCARD.name)
    text = decode(source)
    assert text.text.lstrip("\ufeff \r\n\t").upper().startswith(VCARD.marker)
    VCARD.parse(text.open, report, Limits())
    return report


def row(header: str, **values: str) -> str:
    """A CSV row for ``header`` with the named columns set (keys: column names, spaces as underscores)."""
    cells = {k.replace("_", " ").lower(): v for k, v in values.items()}
    return ",".join(f'"{cells.get(h.lower(), "")}"' for h in header.split(","))


def people(report: ParsedFile) -> dict[str, tuple]:
    ties = {t.b: t for t in report.ties}
    return {c.name: (c, ties[c.ref]) for c in report.contacts}


def matching(cells: list[str]) -> list[str]:
    return [f.name for f in CSV_FORMATS if f.matches([c.lower() for c in cells])]


# --- Google Contacts ------------------------------------------------------------------------------

def test_google_sample_gives_7_accepted_and_the_phone_only_row_rejected():
    report = parse_csv(read_source(SAMPLES / "google_contacts.csv"), "google-contacts")
    assert (report.rows_read, report.rows_accepted, report.rows_rejected) == (8, 7, 1)
    assert [(i.row, i.reason) for i in report.errors] == [(13, "phone number only: no name, e-mail or profile URL")]
    assert all(t.a == OWNER and t.fact == "address-book" for t in report.ties)
    # Multi-line Notes and Address do not shift the rows: Magnus starts on line 10, Noor on 12.
    assert [c.row for c in report.contacts] == [2, 3, 4, 5, 6, 10, 12]


def test_google_splits_multi_values_and_finds_linkedin_in_websites():
    found = people(parse_csv(read_source(SAMPLES / "google_contacts.csv"), "google-contacts"))
    lachlan, _ = found["Lachlan Merriman"]
    assert lachlan.emails == ("lachlan.merriman@example.net", "lachlan@hartwellorchards.example.com")
    assert lachlan.phones == ("+1 508-555-0131", "+1 508-555-0132")
    magnus, _ = found["Magnus Featherstone"]
    assert magnus.emails == ("magnus@keystoneridge.example.com", "magnus.featherstone@example.org")
    assert magnus.linkedin_url == "https://www.linkedin.com/in/magnusfeatherstone"
    jose, _ = found["José Núñez"]  # UTF-8 with a BOM
    assert jose.linkedin_url == "https://www.linkedin.com/in/josenunez-hdg"  # written without a scheme
    assert found["Thaddeus Pilbeam"][0].linkedin_url == "https://www.linkedin.com/in/thaddeus-pilbeam"
    anais, _ = found["Anaïs Lefèvre"]
    assert (anais.company, anais.title, anais.location) == ("Crémerie Beaulieu SARL", "Directrice des opérations",
                                                           "Lyon, France")


def test_google_labels_give_the_tie_kind():
    found = people(parse_csv(read_source(SAMPLES / "google_contacts.csv"), "google-contacts"))
    kinds = {name: tie.kind for name, (_, tie) in found.items()}
    assert kinds == {"Verity Lockhart": KIND.PARTNER, "Lachlan Merriman": KIND.KNOWS, "José Núñez": KIND.CUSTOMER,
                     "Thaddeus Pilbeam": KIND.KNOWS, "Anaïs Lefèvre": KIND.CUSTOMER,
                     "Magnus Featherstone": KIND.INFLUENCER, "Noor Chaudhry": KIND.PARTNER}


def test_google_legacy_header():
    text = "\n".join([
        GOOGLE_LEGACY_HEADER,
        row(GOOGLE_LEGACY_HEADER, Name="Ada Quill", Given_Name="Ada", Family_Name="Quill",
            Group_Membership="* My Contacts ::: Clients", **{"E-mail 1 - Type": "* Work", "E-mail 1 - Value":
                                                           "Ada@Quill.example.com ::: ada@home.example.org",
                                                           "Organization 1 - Name": "Quill Works",
                                                           "Organization 1 - Title": "Buyer",
                                                           "Website 1 - Value": "http://linkedin.com/in/ada-q"}),
        row(GOOGLE_LEGACY_HEADER, Name="Fitch, Harold", Occupation="CPA", Group_Membership="* My Contacts",
            **{"E-mail 1 - Value": "hf@example.com"}),
    ])
    cells = [c.lower() for c in GOOGLE_LEGACY_HEADER.split(",")]
    assert matching(cells) == ["google-contacts-legacy"]
    report = parse_csv(Source("google.csv", text.encode("utf-8")), "google-contacts-legacy")
    (ada, ada_tie), (harold, harold_tie) = people(report).values()
    assert ada.emails == ("ada@quill.example.com", "ada@home.example.org") and ada.company == "Quill Works"
    assert ada.linkedin_url == "https://www.linkedin.com/in/ada-q" and ada_tie.kind is KIND.CUSTOMER
    assert harold.name == "Harold Fitch" and (harold_tie.kind, harold_tie.profession) == (KIND.INFLUENCER, "CPA")


# --- Outlook --------------------------------------------------------------------------------------

def test_outlook_sample_decodes_cp1252_and_accepts_every_row():
    report = parse_csv(read_source(SAMPLES / "outlook_contacts.csv"), "outlook-contacts")
    assert (report.rows_read, report.rows_accepted, report.rows_rejected) == (8, 8, 0)
    found = people(report)
    soren, _ = found["Søren Kjærgaard"]
    assert soren.company == "Nørregaard Emballage A/S" and soren.location == "Vejle, Denmark"
    # '?' written by the ANSI export stays as written; the e-mail identifies her.
    wisniewska, _ = found["Ma?gorzata Wi?niewska"]
    assert wisniewska.emails == ("m.wisniewska@grishamfoods.example.com",)
    assert any(i.row == wisniewska.row and "'?'" in i.reason for i in report.issues)
    assert found["Anaïs Lefèvre"][0].title == "Directrice des opérations"


def test_outlook_profession_categories_and_referred_by_hints():
    report = parse_csv(read_source(SAMPLES / "outlook_contacts.csv"), "outlook-contacts")
    found = people(report)
    harold, tie = found["Harold Fitch"]  # Suffix "CPA" is not part of the name
    assert (tie.kind, tie.profession, tie.a, tie.fact) == (KIND.INFLUENCER, "CPA", OWNER, "address-book")
    assert harold.phones == ("+1 (617) 555-0168",) and harold.emails == ("hfitch@ostrandervail.example.com",)
    assert (found["Gideon Mayhew"][1].kind, found["Gideon Mayhew"][1].profession) == (KIND.INFLUENCER,
                                                                                      "General contractor")
    assert found["Rowena Kilbride"][1].profession == "Contractor"
    # "Prospects" is no kind; Referred By names someone only by name: a hint, no extra person or tie.
    yvette, yvette_tie = found["Yvette Northcott"]
    assert yvette_tie.kind is KIND.KNOWS and len(report.contacts) == len(report.ties) == 8
    assert any(i.row == yvette.row and i.column == "referred by" and "Magnus Featherstone" in i.reason
               for i in report.issues)


def test_outlook_web_61_column_variant():
    assert len(OUTLOOK_WEB_HEADER.split(",")) == 61
    text = "\r\n".join([
        OUTLOOK_WEB_HEADER,
        row(OUTLOOK_WEB_HEADER, First_Name="Ada", Last_Name="Quill", **{"E-mail Address": "ada@quill.example.com",
            "Job Title": "Buyer", "Company": "Quill Works", "Mobile Phone": "+1 555-0100",
            "Web Page": "www.linkedin.com/in/ada-quill", "Business City": "Boston"}),
        row(OUTLOOK_WEB_HEADER, Home_Phone="+1 555-0101"),
    ])
    assert matching(OUTLOOK_WEB_HEADER.split(",")) == ["outlook-contacts-web"]
    report = parse_csv(Source("contacts.csv", text.encode("utf-8")), "outlook-contacts-web")
    assert (report.rows_read, report.rows_accepted) == (2, 1)
    ada = report.contacts[0]
    assert (ada.name, ada.company, ada.title, ada.location) == ("Ada Quill", "Quill Works", "Buyer", "Boston")
    assert ada.linkedin_url == "https://www.linkedin.com/in/ada-quill" and ada.phones == ("+1 555-0100",)
    assert report.errors[0].reason == "phone number only: no name, e-mail or profile URL"


def test_linkedin_outlook_style_export_is_not_taken_for_an_outlook_address_book():
    assert len(LINKEDIN_OUTLOOK_HEADER.split(",")) == 59
    assert matching(LINKEDIN_OUTLOOK_HEADER.split(",")) == []


def test_outlook_desktop_header_with_old_business_country_column():
    table = read_table(read_source(SAMPLES / "outlook_contacts.csv"), FORMATS["outlook-contacts"].matches)
    cells = [h.lower().replace("country/region", "country") for h in table.header]
    assert matching(cells) == ["outlook-contacts"]
    assert matching([c for c in cells if not c.startswith("business country")]) == []


# --- vCard ----------------------------------------------------------------------------------------

def test_vcard_sample_gives_5_cards():
    report = parse_vcf(read_source(SAMPLES / "contacts.vcf"))
    assert (report.rows_read, report.rows_accepted, report.rows_rejected, report.issues) == (5, 5, 0, [])
    assert [c.row for c in report.contacts] == [1, 14, 23, 35, 46]  # the BEGIN:VCARD lines
    assert all(t.a == OWNER and t.kind is KIND.KNOWS and t.fact == "address-book" for t in report.ties)


def test_vcard_apple_card_drops_the_credential_and_reads_grouped_email():
    harold = parse_vcf(read_source(SAMPLES / "contacts.vcf")).contacts[0]
    assert (harold.name, harold.first_name, harold.last_name) == ("Harold Fitch", "Harold", "Fitch")
    assert harold.emails == ("hfitch@ostrandervail.example.com",)  # item1.EMAIL
    assert harold.company == "Ostrander & Vail CPAs" and harold.title == "Partner"
    assert harold.linkedin_url == "https://www.linkedin.com/in/harold-fitch-cpa"  # X-SOCIALPROFILE


def test_vcard_40_cards():
    report = parse_vcf(read_source(SAMPLES / "contacts.vcf"))
    kim, anais, gideon = report.contacts[1:4]
    assert (kim.name, kim.first_name, kim.last_name, kim.company) == ("김지현", "지현", "김", "하늘반도체")
    assert anais.name == "Anaïs Lefèvre" and anais.linkedin_url == "https://www.linkedin.com/in/anais-lefevre-cb"
    assert anais.emails == ("anais.lefevre@cremerie-beaulieu.example.net",) and anais.as_of == date(2025, 5, 20)
    assert gideon.phones == ("+1-508-555-0114",)  # TEL;VALUE=uri:tel:...
    assert gideon.title == "Owner / General Contractor"


def test_vcard_folded_note_is_unfolded_and_unescaped():
    with decode(read_source(SAMPLES / "contacts.vcf")).open() as stream:
        cards = list(read_vcards(physical_lines(stream)))
    assert cards[3].first("NOTE") == ("General contractor. Built the 2023 Marlowe Precision Castings plant expansion, "
                                      "knows the plant manager (Silas Crowther). Quarterly coffee.")
    assert cards[1].first("NOTE") == "Hanul Semiconductor – facilities lead, Icheon fab"
    assert all(card.closed for card in cards)


def test_vcard_21_quoted_printable_with_soft_breaks_and_charset():
    text = ("BEGIN:VCARD\r\nVERSION:2.1\r\n"
            "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=D0=9C=D0=B0=D1=80=D0=B8=D1=8F;=D0=90=\r\n"
            "=D0=BD=D0=BD=D0=B0;;;\r\n"
            "FN;CHARSET=ISO-8859-1;QUOTED-PRINTABLE:Ren=E9e Dubois\r\n"
            "TEL;WORK;VOICE:+1 555-0102\r\n"
            "EMAIL;PREF;INTERNET:renee@example.com\r\n"
            "NOTE;ENCODING=QUOTED-PRINTABLE:Line one=0D=0ALine=\r\n two\r\n"
            "END:VCARD\r\n")
    report = parse_vcf(Source("old.vcf", text.encode("ascii")))
    contact = report.contacts[0]
    assert (contact.name, contact.first_name, contact.last_name) == ("Renée Dubois", "Анна", "Мария")
    assert contact.phones == ("+1 555-0102",) and contact.emails == ("renee@example.com",)
    card = next(read_vcards(physical_lines(text_lines(text))))
    assert card.values("NOTE") == ["Line one\r\nLine two"]
    assert next(p for p in card.properties if p.name == "TEL").params == {"TYPE": ["WORK", "VOICE"]}


def test_vcard_rejects_cards_without_a_person_and_reads_categories():
    text = "\n".join([
        "BEGIN:VCARD", "VERSION:3.0", "TEL:+1 555-0103", "END:VCARD",
        "BEGIN:VCARD", "VERSION:3.0", "NOTE:nothing", "END:VCARD",
        "BEGIN:VCARD", "VERSION:4.0", "KIND:org", "FN:Quill Works", "END:VCARD",
        "BEGIN:VCARD", "VERSION:3.0", "FN:Ada Quill", "CATEGORIES:Clients,VIP", "END:VCARD",
        "BEGIN:VCARD", "VERSION:3.0", "N:Hart;Bea", "URL:https\\://www.linkedin.com/in/bea-hart", "CATEGORIES:Partners",
    ])
    report = parse_vcf(Source("x.vcf", text.encode("utf-8")))
    assert report.rows_read == 5
    assert [(i.row, i.reason) for i in report.errors] == [
        (1, "phone number only: no name, e-mail or profile URL"), (5, "no name, e-mail or profile URL")]
    assert [(c.row, c.name) for c in report.companies] == [(9, "Quill Works")]  # KIND:org: an organisation
    assert [t.kind for t in report.ties] == [KIND.CUSTOMER, KIND.PARTNER]
    bea = report.contacts[1]
    assert bea.name == "Bea Hart" and bea.linkedin_url == "https://www.linkedin.com/in/bea-hart"
    assert any(i.row == 19 and "END:VCARD missing" in i.reason for i in report.issues)


def test_apple_company_card_is_the_organisation_and_a_person_shown_as_company_stays_a_person():
    report = parse_vcf(read_source(VARIANTS / "apple_company_cards.vcf"))
    assert (report.rows_read, report.rows_accepted, report.errors) == (3, 3, [])
    assert [(c.row, c.name, c.domains, c.fact) for c in report.companies] == [
        (1, "Quillfeather Stationers", ("quillfeather.example.com",), "address-book")]
    beatrix, cosmo = report.contacts
    # Apple writes the company as FN of a person's card shown as the company: the name is N's.
    assert (beatrix.name, beatrix.first_name, beatrix.last_name) == ("Beatrix Hartigan", "Beatrix", "Hartigan")
    assert (beatrix.company, beatrix.title) == ("Hartigan Surveying", "Principal")
    assert (cosmo.name, cosmo.company) == ("Cosmo Ingleby", "Quillfeather Stationers")
    assert not any("orders@quillfeather.example.com" in c.emails for c in report.contacts)
    assert [t.b for t in report.ties] == [beatrix.ref, cosmo.ref]


def test_vcard_helpers():
    assert components(r"Fitch;Harold;;;CPA") == ["Fitch", "Harold", "", "", "CPA"]
    assert components(r"Smith\, Jones\; Co;Sales") == ["Smith, Jones; Co", "Sales"]
    assert components(r"a\nb\\c", None) == ["a\nb\\c"]
    prop = parse_content_line('item2.EMAIL;TYPE="work,pref";X-NOTE="a:b":ada@example.com')
    assert (prop.name, prop.params, prop.value) == ("EMAIL", {"TYPE": ["work", "pref"], "X-NOTE": ["a:b"]},
                                                    "ada@example.com")
    assert parse_content_line("no colon here") is None
    assert list(unfold(physical_lines(text_lines("A:1\r\n 2\r\n\t3\r\nB:4")))) == [(1, "A:123"), (4, "B:4")]


@pytest.mark.parametrize("value", ["=1+1", "+Quill", "-Works", "@Ada"])
def test_formula_like_values_are_kept_verbatim(value):
    text = f"BEGIN:VCARD\nVERSION:3.0\nFN:{value}\nORG:{value}\nEMAIL:ada@example.com\nEND:VCARD\n"
    contact = parse_vcf(Source("x.vcf", text.encode("utf-8"))).contacts[0]
    assert contact.name == value and contact.company == value


def test_vcard_caps_long_values_and_names():
    text = f"BEGIN:VCARD\nVERSION:3.0\nFN:{'A' * 30}\nNOTE:{'n' * 50}\nEMAIL:ada@example.com\nEND:VCARD\n"
    report = ParsedFile("x.vcf", len(text), "", VCARD.name)
    VCARD.parse(lambda: text_lines(text), report, Limits(max_field_chars=40, max_name_chars=20))
    assert report.contacts[0].name == "A" * 20 and report.rows_accepted == 1
    assert {i.column for i in report.issues if i.severity == "warning"} == {"NOTE", "name"}
