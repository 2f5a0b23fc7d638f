"""LinkedIn archive parsers over the real-shaped samples (tests/fixtures/samples) and small inline files."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from graphapp.errors import InputError
from graphapp.model import RelationshipKind
from ingest.files import Limits, Source, read_table
from ingest.formats.linkedin import CSV_FORMATS, OUTLOOK_STYLE_HEADER
from ingest.records import OWNER, OwnerProfile, ParsedFile
from tests.ingest.helpers import SAMPLES

HIDDEN = "only a date: hidden profile"
PREAMBLE = (
    'Notes:\n"When exporting your connection data, you may notice that some of the email addresses are missing."\n\n'
)
CONNECTIONS_7 = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
MESSAGES_12 = (
    "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,SUBJECT,CONTENT,"
    "FOLDER,ATTACHMENTS,IS MESSAGE DRAFT\n"
)


def formats_matching(cells: list[str]) -> list[str]:
    return [f.name for f in CSV_FORMATS if f.matches(cells)]


def parse(source: Source) -> ParsedFile:
    """Find the header among the LinkedIn formats (exactly one must match) and parse the file."""
    table = read_table(source, lambda cells: bool(formats_matching(cells)))
    matched = formats_matching([h.lower() for h in table.header])
    assert len(matched) == 1, matched  # signatures must not collide
    fmt = next(f for f in CSV_FORMATS if f.name == matched[0])
    report = ParsedFile(source.name, source.size, source.sha256, fmt.name)
    fmt.parse(table, report, Limits())
    return report


def parse_sample(relative: str) -> ParsedFile:
    path = SAMPLES / relative
    return parse(Source(path.name, path.read_bytes()))


def parse_text(name: str, text: str) -> ParsedFile:
    return parse(Source(name, text.encode("utf-8")))


def contact_named(report: ParsedFile, name: str):
    return next(c for c in report.contacts if c.name == name)


def tie_of(report: ParsedFile, ref: str):
    return next(t for t in report.ties if ref in (t.a, t.b))


COLD_INMAILS = ("{:,} person(s) only received messages from the owner and never wrote back (cold InMails): they "
                "are kept, but make no relationship and no warm path")


def errors(report: ParsedFile) -> Counter[str]:
    return Counter(i.reason for i in report.errors)


# --- the samples: exact counts from samples/README.md -------------------------------------------------

@pytest.mark.parametrize(
    ("relative", "fmt", "read", "accepted", "rejected", "reasons"),
    [
        ("linkedin/Connections.csv", "linkedin-connections", 400, 395, 5, {HIDDEN: 5}),
        ("linkedin_second_rep/Connections.csv", "linkedin-connections", 250, 248, 2, {HIDDEN: 2}),
        ("edge/bom_crlf_connections.csv", "linkedin-connections", 30, 29, 1, {HIDDEN: 1}),
        ("linkedin/messages.csv", "linkedin-messages", 13, 11, 2,
         {"draft never sent": 1, "sponsored message from 'LinkedIn Member': no person": 1}),
        ("linkedin/Invitations.csv", "linkedin-invitations", 4, 4, 0, {}),
        ("linkedin/Endorsement_Received_Info.csv", "linkedin-endorsements-received", 6, 6, 0, {}),
        ("linkedin/Recommendations_Received.csv", "linkedin-recommendations", 3, 3, 0, {}),
        ("linkedin/Positions.csv", "linkedin-positions", 3, 3, 0, {}),
        ("linkedin/Profile.csv", "linkedin-profile", 1, 1, 0, {}),
        ("linkedin/Company Follows.csv", "linkedin-company-follows", 4, 4, 0, {}),
    ],
)
def test_samples_give_the_documented_counts(relative, fmt, read, accepted, rejected, reasons):
    report = parse_sample(relative)
    assert report.format == fmt
    assert (report.rows_read, report.rows_accepted, report.rows_rejected) == (read, accepted, rejected)
    assert errors(report) == Counter(reasons)
    # The only warning: messages.csv names Jasper, whom Theo wrote to and who never wrote back.
    assert [i.reason for i in report.issues if i.severity == "warning"] == (
        [COLD_INMAILS.format(1)] if fmt == "linkedin-messages" else [])


def test_current_connections_give_a_contact_and_a_linkedin_tie_per_accepted_row():
    report = parse_sample("linkedin/Connections.csv")
    assert len(report.contacts) == len(report.ties) == 395
    assert sorted(i.row for i in report.errors) == [33, 45, 100, 182, 279]
    kate = contact_named(report, "Katherine Ashdown")
    assert kate.ref == "r103" and kate.row == 103
    assert kate.linkedin_url == "https://www.linkedin.com/in/katherine-ashdown-bcs"
    # Company and Position are as of the export, dated by the newest connection in the file.
    assert (kate.company, kate.title, kate.as_of, kate.fact) == (
        "Brackenridge Cold Storage", "Director of Facilities", None, "connection")
    assert report.employers_as_of == date(2025, 9, 6)
    tie = tie_of(report, kate.ref)
    assert (tie.a, tie.b, tie.kind, tie.fact, tie.first_seen) == (
        OWNER, "r103", RelationshipKind.LINKEDIN, "connection", date(2022, 5, 12))
    assert contact_named(report, "Ruth Okonjo").company == "Tidewell Systems"  # teammates are plain rows here


def test_connections_keep_non_latin_names_emails_and_credentials_out_of_names():
    report = parse_sample("linkedin/Connections.csv")
    kim = contact_named(report, "지현 김")
    assert (kim.first_name, kim.last_name, kim.company) == ("지현", "김", "하늘반도체")
    assert kim.emails == ("jihyun.kim@hanul-semi.example.com",)
    assert contact_named(report, "Søren Kjærgaard").company == "Nørregaard Emballage A/S"
    harold = contact_named(report, "Harold Fitch")
    assert (harold.last_name, harold.linkedin_url) == ("Fitch", "https://www.linkedin.com/in/harold-fitch-cpa")


def test_six_column_connections_without_urls_keep_emails():
    report = parse_sample("linkedin_second_rep/Connections.csv")
    cormac = contact_named(report, "Cormac Delahunt")
    assert cormac.linkedin_url is None
    assert cormac.emails == ("cormac.delahunt@summitline.example.org",)
    assert tie_of(report, cormac.ref).first_seen == date(2019, 3, 3)
    assert contact_named(report, "Theo Marchbanks").company == "Tidewell Systems"


def test_excel_resaved_connections_parse_short_dates_behind_bom_and_padding():
    report = parse_sample("edge/bom_crlf_connections.csv")
    magnus = contact_named(report, "Magnus Featherstone")
    assert tie_of(report, magnus.ref).first_seen == date(2022, 2, 7)
    assert magnus.title == "Senior Vice President, Office & Industrial"
    assert tie_of(report, magnus.ref).first_seen == date(2022, 2, 7)
    assert contact_named(report, "Matthew Inglewood").row == 5  # BOM-prefixed preamble: header is line 4
    assert contact_named(report, "Kwame Asante").emails == ("kwame.asante@example.org",)


def test_messages_are_aggregated_per_counterpart_of_the_detected_owner():
    report = parse_sample("linkedin/messages.csv")
    assert report.owner.name == "Theo Marchbanks"
    assert report.owner.linkedin_url == "https://www.linkedin.com/in/theo-marchbanks-tidewell"
    names = [c.name for c in report.contacts]
    assert names == ["Katherine Ashdown", "Ottilie Brannigan", "Magnus Featherstone", "Jasper Hensley",
                     "Anaïs Lefèvre", "Florian Villiers", "지현 김"]
    # Jasper only ever got a message from the owner: he is known, but there is no relationship.
    assert len(report.ties) == 6 and all(c.fact == "message" for c in report.contacts)
    assert contact_named(report, "Jasper Hensley").ref not in {t.b for t in report.ties}
    kate = contact_named(report, "Katherine Ashdown")
    tie = tie_of(report, kate.ref)
    assert (tie.a, tie.kind, tie.fact, tie.row) == (OWNER, RelationshipKind.MESSAGED, "message", 3)
    assert (tie.count_out, tie.count_in) == (1, 2)
    assert (tie.first_seen, tie.last_interaction) == (date(2025, 8, 19), date(2025, 9, 3))


def test_group_chat_counts_the_owners_message_for_each_recipient_and_skips_others_pairs():
    report = parse_sample("linkedin/messages.csv")
    magnus = tie_of(report, contact_named(report, "Magnus Featherstone").ref)
    assert (magnus.count_out, magnus.count_in) == (1, 2)
    # Jasper never wrote to the owner (Magnus -> Jasper is not the owner's tie): known, no relationship.
    assert all(t.b != contact_named(report, "Jasper Hensley").ref for t in report.ties)
    assert contact_named(report, "Jasper Hensley").linkedin_url == "https://www.linkedin.com/in/jasper-hensley-voltaris"
    assert "Desmond Yardley" not in [c.name for c in report.contacts]  # only in the draft


def test_invitations_name_the_other_party_and_only_incoming_ones_make_a_weak_tie():
    report = parse_sample("linkedin/Invitations.csv")
    by_name = {c.name: c for c in report.contacts}
    incoming = {c.name for c in report.contacts if (c.ref in {t.b for t in report.ties})}
    assert incoming == {"Ottilie Brannigan", "Barnaby Stanhope"}  # the owner's own pending requests make none
    assert {(t.a, t.kind, t.count_out, t.count_in) for t in report.ties} == {(OWNER, RelationshipKind.INVITED, 0, 1)}
    assert set(by_name) == {"Thaddeus Pilbeam", "Silas Crowther", "Ottilie Brannigan", "Barnaby Stanhope"}
    assert by_name["Ottilie Brannigan"].linkedin_url == "https://www.linkedin.com/in/ottilie-brannigan-talent"
    assert by_name["Thaddeus Pilbeam"].linkedin_url == "https://www.linkedin.com/in/thaddeus-pilbeam"
    assert all(c.fact == "invitation" for c in report.contacts)


def test_endorsements_received_tie_each_endorser_to_the_owner():
    report = parse_sample("linkedin/Endorsement_Received_Info.csv")
    assert len(report.contacts) == len(report.ties) == 6
    florian = report.contacts[0]
    assert (florian.name, florian.linkedin_url) == ("Florian Villiers", "https://www.linkedin.com/in/florian-villiers-aia")
    tie = report.ties[0]
    # Given by the other person: count_in (in full); the owner's own endorsements are count_out (less).
    assert (tie.a, tie.b, tie.kind, tie.count_out, tie.count_in, tie.fact) == (
        OWNER, florian.ref, RelationshipKind.ENDORSED, 0, 1, "endorsement")
    assert tie.first_seen == tie.last_interaction == date(2025, 3, 14)
    assert contact_named(report, "Harold Fitch").last_name == "Fitch"
    assert contact_named(report, "Roderick Venkatesan").row == 7  # HIDDEN is still a tie


def test_recommendations_link_by_name_and_take_the_direction_from_the_file_name():
    report = parse_sample("linkedin/Recommendations_Received.csv")
    harold = report.contacts[0]
    assert (harold.name, harold.company, harold.title) == ("Harold Fitch", "Ostrander & Vail CPAs", "Partner")
    assert harold.name_only_in_archive and harold.linkedin_url is None and harold.fact == "recommendation"
    assert [c.name for c in report.contacts] == ["Harold Fitch", "Desmond Yardley", "Philippa Gorringe"]
    assert report.contacts[2].row == 5  # after a two-line Text
    tie = report.ties[0]
    assert (tie.a, tie.b, tie.kind, tie.first_seen, tie.count_out, tie.count_in) == (
        OWNER, harold.ref, RelationshipKind.RECOMMENDED, date(2024, 3, 11), 0, 1)
    given = parse(Source("Recommendations_Given.csv", (SAMPLES / "linkedin/Recommendations_Received.csv").read_bytes()))
    assert (given.ties[0].a, given.ties[0].b, given.ties[0].count_out, given.ties[0].count_in) == (
        OWNER, given.contacts[0].ref, 1, 0)


def test_positions_profile_and_follows_describe_the_owner():
    positions = parse_sample("linkedin/Positions.csv").positions
    assert [(p.company, p.current) for p in positions] == [
        ("Tidewell Systems", True), ("Corvane Office Furniture", False), ("Ledgerline Payroll", False)]
    assert (positions[1].start, positions[1].end, positions[0].end) == (date(2016, 7, 1), date(2019, 3, 1), None)
    assert all(p.who == OWNER for p in positions)
    owner = parse_sample("linkedin/Profile.csv").owner
    assert (owner.name, owner.first_name, owner.last_name, owner.location) == (
        "Theo Marchbanks", "Theo", "Marchbanks", "Greater Boston")
    assert owner.headline.startswith("Senior Account Executive at Tidewell Systems")
    follows = parse_sample("linkedin/Company Follows.csv").companies
    assert [c.name for c in follows][:2] == ["Larkspur Senior Living", "Pemaquid Textiles Incorporated"]
    assert all(c.fact == "company-follow" for c in follows)


# --- inline variants ---------------------------------------------------------------------------------

def test_six_column_era_without_preamble():
    report = parse_text("Connections.csv", "First Name,Last Name,Email Address,Company,Position,Connected On\n"
                                           "Ada,Quill,ada@example.com,Quill Works,Owner,03 Mar 2019\n,,,,,20 Jan 2017\n")
    assert (report.rows_accepted, report.rows_rejected) == (1, 1)
    assert report.contacts[0].emails == ("ada@example.com",) and report.contacts[0].linkedin_url is None


@pytest.mark.parametrize("notes", ['"Notes:"', "Notes:.", "Notes:,,,,,,"])
def test_preamble_variants_are_skipped(notes):
    text = f'{notes}\n"Some text, with a comma."\n\n{CONNECTIONS_7}Ada,Quill,www.linkedin.com/in/ada-q/,,,,08 Jan 2024'
    report = parse_text("Connections.csv", text)
    assert report.rows_read == 1
    assert report.contacts[0].linkedin_url == "https://www.linkedin.com/in/ada-q"


def test_names_na_and_none_stay_verbatim_and_bad_values_only_warn():
    text = PREAMBLE + CONNECTIONS_7 + "NA,None,,not-an-email,Acme,,someday\nJo,Bloggs,https://example.com/jo,,,,\n"
    report = parse_text("Connections.csv", text)
    assert report.rows_accepted == 2 and report.rows_rejected == 0
    na = report.contacts[0]
    assert (na.name, na.first_name, na.last_name, na.emails, na.as_of) == ("NA None", "NA", "None", (), None)
    assert {(i.row, i.column) for i in report.issues if i.severity == "warning"} == {
        (5, "email address"), (5, "connected on"), (6, "url")}


def test_a_row_with_only_a_company_is_rejected_for_naming_nobody():
    report = parse_text("Connections.csv", PREAMBLE + CONNECTIONS_7 + ",,,,Acme,Owner,08 Jan 2024\n")
    assert errors(report) == Counter({"no name, e-mail or profile URL": 1})


def test_outlook_style_linkedin_export_is_taken_and_an_outlook_address_book_is_not():
    header = ",".join(f'"{h.title()}"' for h in OUTLOOK_STYLE_HEADER)
    values = ["" for _ in OUTLOOK_STYLE_HEADER]
    values[1:4] = ["Ada", "", "Quill"]
    values[5], values[29], values[31] = "ada@example.com", "Quill Works", "Owner"
    report = parse_text("linkedin_connections_export_microsoft_outlook.csv",
                        header + "\n" + ",".join(f'"{v}"' for v in values) + "\n")
    assert report.format == "linkedin-connections-outlook" and len(OUTLOOK_STYLE_HEADER) == 59
    ada = report.contacts[0]
    assert (ada.name, ada.emails, ada.company, ada.title) == ("Ada Quill", ("ada@example.com",), "Quill Works", "Owner")
    assert report.ties[0].kind == RelationshipKind.LINKEDIN
    desktop = (SAMPLES / "outlook_contacts.csv").read_text(encoding="cp1252").splitlines()[0]
    cells = [c.strip('"').lower() for c in desktop.split(",")]
    assert len(cells) == 92 and formats_matching(cells) == []
    assert formats_matching([*OUTLOOK_STYLE_HEADER, "profession"]) == []


def test_messages_before_2020_use_direction_and_names():
    text = ("FROM,TO,DATE,SUBJECT,CONTENT,DIRECTION,FOLDER\n"
            "Ada Quill,Bo Lind,2019-11-06T02:08:20,,Hi,OUTGOING,INBOX\n"
            "Bo Lind,Ada Quill,2019-11-07T09:00:00,,Hello,INCOMING,INBOX\n"
            "Cy Moss,Ada Quill,2019-12-01T10:00:00,,Hey,INCOMING,INBOX\n")
    report = parse_text("messages.csv", text)
    assert report.owner.name == "Ada Quill" and report.owner.linkedin_url is None
    bo = contact_named(report, "Bo Lind")
    tie = tie_of(report, bo.ref)
    assert (tie.count_out, tie.count_in, tie.first_seen, tie.last_interaction) == (
        1, 1, date(2019, 11, 6), date(2019, 11, 7))
    assert bo.name_only_in_archive and bo.linkedin_url is None


def test_nine_column_messages_fold_name_only_recipients_into_sender_urls():
    text = ("CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,DATE,SUBJECT,CONTENT,FOLDER\n"
            "c1,,Ada Quill,https://www.linkedin.com/in/ada-q,\"Harold Fitch, CPA\",2022-01-01 10:00:00 UTC,,Hi,INBOX\n"
            "c1,,\"Harold Fitch, CPA\",https://www.linkedin.com/in/hfitch,Ada Quill,2022-01-02 10:00:00 UTC,,Yo,INBOX\n"
            "c2,,Cy Moss,https://www.linkedin.com/in/cymoss,Ada Quill,2022-01-03 10:00:00 UTC,,Hey,INBOX\n")
    report = parse_text("messages.csv", text)
    assert report.owner.linkedin_url == "https://www.linkedin.com/in/ada-q"
    assert [(c.name, c.linkedin_url) for c in report.contacts] == [
        ("Harold Fitch", "https://www.linkedin.com/in/hfitch"), ("Cy Moss", "https://www.linkedin.com/in/cymoss")]
    assert [(t.count_out, t.count_in) for t in report.ties] == [(1, 1), (0, 1)]


def test_messages_between_other_people_make_no_tie_and_closed_accounts_are_rejected():
    text = MESSAGES_12 + (
        "c1,Trio,Ada Q,https://www.linkedin.com/in/ada-q,\"Bo L, Cy M\","
        "\"https://www.linkedin.com/in/bo-l,https://www.linkedin.com/in/cy-m\",2024-05-01 10:00:00 UTC,,Hi,INBOX,,No\n"
        "c1,Trio,Bo L,https://www.linkedin.com/in/bo-l,\"Ada Q, Cy M\","
        "\"https://www.linkedin.com/in/ada-q,https://www.linkedin.com/in/cy-m\",2024-05-02 10:00:00 UTC,,Yo,INBOX,,No\n"
        "c3,,Ada Q,https://www.linkedin.com/in/ada-q,Bo L,https://www.linkedin.com/in/bo-l,2024-05-04 10:00:00 UTC,,Ok,INBOX,,No\n"
        "c4,,Ada Q,https://www.linkedin.com/in/ada-q,Cy M,https://www.linkedin.com/in/cy-m,2024-05-05 10:00:00 UTC,,Ok,INBOX,,No\n"
        "c2,,LinkedIn Member,,Ada Q,https://www.linkedin.com/in/ada-q,2024-05-03 10:00:00 UTC,,Hello,INBOX,,No\n"
    )
    report = parse_text("messages.csv", text)
    assert errors(report) == Counter({"message from 'LinkedIn Member' (a closed or hidden account): no person": 1})
    assert [c.name for c in report.contacts] == ["Bo L", "Cy M"]
    # Cy never wrote to Ada: known from the messages, but no relationship.
    assert [(t.b, t.count_out, t.count_in) for t in report.ties] == [(report.contacts[0].ref, 2, 1)]
    assert [i.reason for i in report.issues if i.severity == "warning"] == [COLD_INMAILS.format(1)]


UNCLEAR = "c1,,Ada Q,https://www.linkedin.com/in/ada-q,Bo L,https://www.linkedin.com/in/bo-l,2024-05-01,,Hi,INBOX,,No\n"


def parse_expecting(name: str, text: str, owner: OwnerProfile | None) -> ParsedFile:
    source = Source(name, text.encode())
    table = read_table(source, lambda cells: bool(formats_matching(cells)))
    fmt = next(f for f in CSV_FORMATS if f.name == formats_matching([h.lower() for h in table.header])[0])
    report = ParsedFile(source.name, source.size, source.sha256, fmt.name, expected_owner=owner)
    fmt.parse(table, report, Limits())
    return report


def test_an_unclear_owner_is_never_guessed_the_file_is_refused_and_says_what_to_do():
    with pytest.raises(InputError, match="the file's owner is unclear: 'Ada Q' and 'Bo L' are in as many "
                                         "conversations; import it with --owner"):
        parse_text("messages.csv", MESSAGES_12 + UNCLEAR)


@pytest.mark.parametrize("expected", [OwnerProfile(linkedin_url="https://www.linkedin.com/in/bo-l"),
                                      OwnerProfile(name="Bo L", emails=("bo@example.com",))])
def test_an_unclear_owner_is_the_rep_the_user_named(expected):
    report = parse_expecting("messages.csv", MESSAGES_12 + UNCLEAR, expected)
    assert report.owner.name == "Bo L" and [c.name for c in report.contacts] == ["Ada Q"]
    assert not report.issues


def test_invitations_without_url_columns_are_name_only():
    report = parse_text("Invitations.csv", 'From,To,Sent At,Message,Direction\n'
                                           'Ada Quill,Bo Lind,"1/29/26, 2:37 PM",,OUTGOING\n'
                                           'Cy Moss,Ada Quill,"1/30/26, 9:00 AM",,SIDEWAYS\n')
    assert [(c.name, c.name_only_in_archive) for c in report.contacts] == [("Bo Lind", True)]
    assert report.rows_rejected == 1 and report.errors[0].column == "direction"


def test_endorsements_given_tie_the_owner_to_each_endorsee():
    report = parse_text("Endorsement Given Info.csv",
                        "Endorsement Date,Skill Name,Endorsee First Name,Endorsee Last Name,Endorsee Public Url,"
                        "Endorsement Status\n2024/02/01 15:02:55 UTC,Sales,Bo,Lind,www.linkedin.com/in/bo-l,ACCEPTED\n")
    assert report.format == "linkedin-endorsements-given"
    assert (report.ties[0].a, report.ties[0].b) == (OWNER, report.contacts[0].ref)
    assert report.contacts[0].linkedin_url == "https://www.linkedin.com/in/bo-l"


def test_email_addresses_give_the_owners_confirmed_emails_primary_first():
    report = parse_text("Email Addresses.csv", "Email Address,Confirmed,Primary,Updated On\n"
                                               "old@example.com,Yes,No,1/1/20\n"
                                               "ada@example.com,Yes,Yes,1/1/21\n"
                                               "maybe@example.com,No,No,1/1/22\n"
                                               "broken,Yes,No,1/1/22\n")
    assert report.format == "linkedin-email-addresses"
    assert report.owner.emails == ("ada@example.com", "old@example.com")
    assert (report.rows_accepted, report.rows_rejected) == (3, 1)


def test_profile_with_a_second_row_uses_the_first():
    header = "First Name,Last Name,Maiden Name,Address,Birth Date,Headline,Summary,Industry,Zip Code,Geo Location\n"
    report = parse_text("Profile.csv", header + "Ada,Quill,,,,Maker,,,,Here\nBo,Lind,,,,Other,,,,There\n")
    assert report.owner.name == "Ada Quill" and report.rows_rejected == 1


def test_the_archive_name_dates_the_companies_of_connections():
    """Company and Position are the values at export time: an archive named for its export day dates them
    by that day, so an older CRM row cannot put a person back at their previous company."""
    from ingest.formats.linkedin import export_date
    assert export_date("Basic_LinkedInDataExport_09-16-2025.zip/Connections.csv") == date(2025, 9, 16)
    assert export_date("Complete_LinkedInDataExport_12-05-2022.zip/Connections.csv") == date(2022, 12, 5)
    assert export_date("LinkedInDataExport_13-45-2015/Connections.csv") is None  # not a date
    assert export_date("Connections.csv") is None
    text = (SAMPLES / "linkedin/Connections.csv").read_bytes()
    loose = parse(Source("Connections.csv", text))
    archived = parse(Source("Basic_LinkedInDataExport_11-30-2026.zip/Connections.csv", text))
    assert loose.employers_as_of is not None and loose.employers_as_of < date(2026, 11, 30)
    assert archived.employers_as_of == date(2026, 11, 30)


def test_a_group_thread_counts_less_per_person_than_a_conversation_of_two():
    """A message to four people counts a quarter for each (rounded up per person): eight messages from Ada to
    a group of four are two each; Bo, who answered, is a two-way tie; the others, who never wrote, none."""
    group = ["bo", "cy", "di", "ed"]
    urls = ",".join(f"https://www.linkedin.com/in/{g}" for g in group)
    names = ", ".join(f"{g.title()} X" for g in group)
    rows = "".join(f'g1,Team,Ada Q,https://www.linkedin.com/in/ada-q,"{names}","{urls}",2024-05-0{d} 10:00:00 UTC,,Hi,INBOX,,No\n'
                   for d in range(1, 9))
    others = ",".join(f"https://www.linkedin.com/in/{g}" for g in ["ada-q", "cy", "di", "ed"])
    rows += f'g1,Team,Bo X,https://www.linkedin.com/in/bo,"Ada Q, Cy X, Di X, Ed X","{others}",2024-05-09 10:00:00 UTC,,Yo,INBOX,,No\n'
    rows += "d1,,Ada Q,https://www.linkedin.com/in/ada-q,Bo X,https://www.linkedin.com/in/bo,2024-05-10 10:00:00 UTC,,Hi,INBOX,,No\n"
    rows += "d2,,Ada Q,https://www.linkedin.com/in/ada-q,Cy X,https://www.linkedin.com/in/cy,2024-05-11 10:00:00 UTC,,Hi,INBOX,,No\n"
    report = parse_text("messages.csv", MESSAGES_12 + rows)
    assert report.owner.linkedin_url == "https://www.linkedin.com/in/ada-q"
    assert sorted(c.name for c in report.contacts) == ["Bo X", "Cy X", "Di X", "Ed X"]
    [tie] = report.ties
    assert tie.b == contact_named(report, "Bo X").ref
    assert (tie.count_out, tie.count_in) == (3, 1)  # 8 x 1/4 in the group + 1 direct; 1 x 1/4 back, rounded up
