"""Parsers for the files of LinkedIn's "Get a copy of your data" archive (FORMATS.md section 1).

Each file is recognised by its header columns, never its name (names change by era), and columns
are read by name, so every header variant of an era parses with the same code. ``read_table``
already skips the ``Notes:`` preamble, a BOM and Excel's comma padding; dates in every shape the
archive writes go through :func:`ingest.formats.cells.parse_date`.

``CSV_FORMATS`` is what :mod:`ingest.registry` imports; ``messages.csv`` lives in
:mod:`ingest.formats.linkedin_messages`.
"""

from __future__ import annotations

import re
from datetime import date
from operator import itemgetter
from sys import intern

from graphapp.model import RelationshipKind
from ingest.files import Limits, Table, column_positions, table_records, table_rows
from ingest.formats.cells import (
    NameParts,
    clean,
    clean_all,
    display_name,
    email,
    emails,
    full_name,
    linkedin_url,
    linkedin_url_of_clean,
    quote_value,
    split_credentials,
)
from ingest.formats.linkedin_messages import MESSAGES_FORMAT, capped_name, kept_date, profile_url, row_date
from ingest.formats.spec import CsvFormat
from ingest.records import (
    OWNER,
    CompanyRecord,
    ContactRecord,
    OwnerProfile,
    ParsedFile,
    PositionRecord,
    TieRecord,
)

HIDDEN_PROFILE = "only a date: hidden profile"
NO_PERSON = "no name, e-mail or profile URL"


def _surname(last: str | None) -> str | None:
    """A last name without the credentials people type into it ("Fitch, CPA" -> "Fitch")."""
    text = clean(last)
    return split_credentials(text)[0] if text else None


def _emails(report: ParsedFile, line: int, row: dict[str, str], *columns: str) -> tuple[str, ...]:
    """Valid e-mails of ``columns``; a non-empty cell holding none is reported, the row kept."""
    found: list[str] = []
    for column in columns:
        valid = emails(row.get(column))
        if clean(row.get(column)) and not valid:
            report.warn(line, f"{quote_value(clean(row.get(column)))} is not an e-mail address; ignored", column)
        found.extend(e for e in valid if e not in found)
    return tuple(found)


def _cell_emails(report: ParsedFile, line: int, value: str, column: str) -> tuple[str, ...]:
    """:func:`_emails` of one cell."""
    valid = emails(value)
    if not valid and clean(value):
        report.warn(line, f"{quote_value(clean(value))} is not an e-mail address; ignored", column)
    return valid


def _add_connection(report: ParsedFile, contact: ContactRecord) -> bool:
    """Append a 1st-degree connection and its LINKEDIN tie to the owner; False (rejected) when nobody is named."""
    if not (contact.name or contact.emails or contact.linkedin_url):
        report.reject(contact.row, NO_PERSON)
        return False
    report.contacts.append(contact)
    report.ties.append(TieRecord(row=contact.row, a=OWNER, b=contact.ref, kind=RelationshipKind.LINKEDIN,
                                 fact="connection", first_seen=contact.as_of))
    return True


_CONNECTION_COLUMNS = ("first name", "last name", "url", "email address", "company", "position")


def parse_connections(table: Table, report: ParsedFile, limits: Limits) -> None:
    """Read ``Connections.csv`` of any era since 2018 (6 or 7 columns, with or without the preamble).

    Parameters:
        table: the file's table.
        report: receives one contact and one LINKEDIN tie per connection, and row issues.
        limits: row, field and name caps.

    Returns:
        None. Rows of hidden profiles (only ``Connected On`` filled) are rejected; an unreadable date
        is dropped with a warning.
    """
    # Each cell is read and cleaned once; checks and warnings are those of the shared helpers, in their
    # order. Last names and dates repeat, so their readings are kept.
    max_name = limits.max_name_chars
    positions = column_positions(table)
    width = len(table.header)  # a column the file lacks: past the end of each row, where an empty cell is added
    lacks = not all(c in positions for c in (*_CONNECTION_COLUMNS, "connected on"))
    cells = itemgetter(*(positions.get(c, width) for c in _CONNECTION_COLUMNS))
    connected_at, email_at = positions.get("connected on", width), positions.get("email address", width)
    surnames: dict[str, str] = {}
    dates: dict[str, date] = {}
    names = NameParts()
    newest: date | None = None
    contacts, ties, linkedin = report.contacts, report.ties, RelationshipKind.LINKEDIN
    for line, values in table_records(table, report, limits):
        if lacks:
            values.append("")  # a column the file lacks reads as an empty cell
        first, last, url_text, email_text, company, title = clean_all(cells(values))
        if company:  # companies, titles and first names repeat: one string each, not one per row
            company = intern(company)
        if title:
            title = intern(title)
        if first:
            first = intern(first)
        connected = values[connected_at]
        if not (first or last or url_text or email_text or company or title):
            report.reject(line, HIDDEN_PROFILE if clean(connected) else NO_PERSON)
            continue
        name = names.full_name(first, last)
        if name and name[max_name:]:  # over the cap
            name = capped_name(report, line, limits, name, "first name")
        found = _cell_emails(report, line, values[email_at], "email address") if email_text else ()
        url = linkedin_url_of_clean(url_text) if url_text else None
        if url_text and not url:
            report.warn(line, f"{quote_value(url_text)} is not a LinkedIn profile URL; ignored", "url")
        if not (name or found or url):
            report.reject(line, NO_PERSON)
            continue
        if not last:
            surname = None
        elif last in surnames:
            surname = surnames[last]
        else:
            surname = surnames[last] = split_credentials(last)[0]
        if connected in dates:
            as_of = dates[connected]
        else:  # a date not seen yet (each passes here at least once): is it the newest?
            as_of = kept_date(dates, report, line, connected, "connected on")
            if as_of and (newest is None or as_of > newest):
                newest = as_of
        ref = f"r{line}"
        contacts.append(ContactRecord(ref=ref, row=line, name=name, first_name=first, last_name=surname, emails=found,
                                      linkedin_url=url, company=company, title=title, fact="connection",
                                      connected_on=as_of))
        ties.append(TieRecord(row=line, a=OWNER, b=ref, kind=linkedin, fact="connection", first_seen=as_of))
    # Company and Position are the values at export time, not at connection time: date them all by the
    # export (the archive's name says when), else the newest connection (the export is no older), so a
    # CRM row beats them only when it is newer.
    exported = export_date(table.source.name)
    report.employers_as_of = max(d for d in (newest, exported) if d) if (newest or exported) else None


_EXPORT_NAME = re.compile(r"LinkedInDataExport_(\d{2})-(\d{2})-(\d{4})", re.I)


def export_date(name: str) -> date | None:
    """The day a LinkedIn archive was exported, from its name (``Basic_LinkedInDataExport_09-16-2025.zip``,
    ``Complete_...``, ``Initial_...``, or the bare 2015 folder name); None when the name does not say.

    Parameters:
        name: the file's display name (an archive member's name starts with the archive's).
    """
    found = _EXPORT_NAME.search(name)
    if not found:
        return None
    month, day, year = (int(g) for g in found.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


# The pre-2017 "Export connections" file (linkedin_connections_export_microsoft_outlook.csv): Outlook's
# field names, but its own 59-column set (akitten/csv-linkedin-parser test/fixtures/testerN.csv).
OUTLOOK_STYLE_HEADER = (
    "title", "first name", "middle name", "last name", "suffix", "e-mail address", "e-mail 2 address",
    "e-mail 3 address", "business street", "business street 2", "business street 3", "business city",
    "business state", "business postal code", "business country", "home street", "home street 2",
    "home street 3", "home city", "home state", "home postal code", "home country", "other street",
    "other street 2", "other street 3", "other city", "other state", "other postal code", "other country",
    "company", "department", "job title", "assistant's phone", "business fax", "business phone",
    "business phone 2", "callback", "car phone", "company main phone", "home fax", "home phone", "home phone 2",
    "isdn", "mobile phone", "other fax", "other phone", "pager", "primary phone", "radio phone", "tty/tdd phone",
    "telex", "assistant's name", "birthday", "manager's name", "notes", "other address po box", "spouse",
    "web page", "personal web page",
)
# Columns only Outlook desktop's own 92-column export has: such a file is an address book, not connections.
_OUTLOOK_DESKTOP_ONLY = frozenset({
    "business country/region", "home country/region", "categories", "profession", "e-mail type",
    "e-mail display name", "keywords", "sensitivity", "priority", "gender", "referred by", "account",
})


def accepts_outlook_style(cells: list[str]) -> bool:
    """Whether a header holding the 59 LinkedIn columns is LinkedIn's export and not an Outlook address book.

    Parameters:
        cells: the lower-cased header cells.

    Returns:
        True when no Outlook-desktop-only column is present.
    """
    return not _OUTLOOK_DESKTOP_ONLY.intersection(cells)


def parse_outlook_style_connections(table: Table, report: ParsedFile, limits: Limits) -> None:
    """Read the pre-2017 Outlook-style LinkedIn connections export (no connection dates, with e-mails).

    Parameters:
        table: the file's table.
        report: receives one contact and one LINKEDIN tie per connection, and row issues.
        limits: row, field and name caps.

    Returns:
        None.
    """
    for line, row in table_rows(table, report, limits):
        first, last = row.get("first name"), row.get("last name")
        pages = (linkedin_url(row.get(c)) for c in ("web page", "personal web page"))
        _add_connection(report, ContactRecord(
            ref=f"r{line}", row=line, name=capped_name(report, line, limits, full_name(first, last), "first name"),
            first_name=clean(first), last_name=_surname(last),
            emails=_emails(report, line, row, "e-mail address", "e-mail 2 address", "e-mail 3 address"),
            linkedin_url=next((p for p in pages if p), None),
            company=clean(row.get("company")), title=clean(row.get("job title")), fact="connection",
        ))


def parse_invitations(table: Table, report: ParsedFile, limits: Limits) -> None:
    """Read ``Invitations.csv`` (5 columns, or 7 with profile URLs): the other party of each invitation.

    Parameters:
        table: the file's table.
        report: receives one contact per row, an INVITED tie (weak) per incoming invitation, and row
            issues.
        limits: row, field and name caps.

    Returns:
        None. Invitations are pending, not connections: one the owner sent makes no tie (nobody
        answered it); one the owner received says the other person wants to connect: a weak tie.
    """
    for line, row in table_rows(table, report, limits):
        direction = (clean(row.get("direction")) or "").upper()
        if direction not in ("INCOMING", "OUTGOING"):
            report.reject(line, f"direction {quote_value(clean(row.get('direction')))} is not INCOMING or OUTGOING", "direction")
            continue
        name_column, url_column = ("from", "inviterprofileurl") if direction == "INCOMING" else ("to", "inviteeprofileurl")
        name = capped_name(report, line, limits, display_name(row.get(name_column)), name_column)
        url = profile_url(report, line, row, url_column)
        if not (name or url):
            report.reject(line, "no name or profile URL for the other party", name_column)
            continue
        report.contacts.append(ContactRecord(ref=f"r{line}", row=line, name=name, linkedin_url=url,
                                             fact="invitation", name_only_in_archive=url is None))
        if direction == "INCOMING":  # they asked to connect: a weak tie; the owner's own request is none
            when = row_date(report, line, row, "sent at")
            report.ties.append(TieRecord(row=line, a=OWNER, b=f"r{line}", kind=RelationshipKind.INVITED,
                                         fact="invitation", count_in=1, first_seen=when, last_interaction=when))


def _parse_endorsements(table: Table, report: ParsedFile, limits: Limits, role: str) -> None:
    """Endorsement rows; ``role`` is ``endorser`` (received) or ``endorsee`` (given)."""
    for line, row in table_rows(table, report, limits):
        first, last = row.get(f"{role} first name"), row.get(f"{role} last name")
        name = capped_name(report, line, limits, full_name(first, last), f"{role} first name")
        url = profile_url(report, line, row, f"{role} public url")
        if not (name or url):
            report.reject(line, f"no {role}: no name or profile URL")
            continue
        ref, when = f"r{line}", row_date(report, line, row, "endorsement date")
        report.contacts.append(ContactRecord(
            ref=ref, row=line, name=name, first_name=clean(first), last_name=_surname(last), linkedin_url=url,
            fact="endorsement", name_only_in_archive=url is None,
        ))
        theirs = role == "endorser"  # given by the other person: counts in full; by the owner: less
        report.ties.append(TieRecord(row=line, a=OWNER, b=ref, kind=RelationshipKind.ENDORSED, fact="endorsement",
                                     count_out=int(not theirs), count_in=int(theirs), first_seen=when,
                                     last_interaction=when))


def parse_endorsements_received(table: Table, report: ParsedFile, limits: Limits) -> None:
    """Read ``Endorsement_Received_Info.csv``: an ENDORSED tie between the owner and each endorser
    (``count_in=1``: given by the other person, which counts in full).

    Parameters:
        table: the file's table (``Endorser Public Url`` is optional: it dates from mid-2023).
        report: receives contacts, ties and row issues. HIDDEN and PENDING rows are real ties.
        limits: row, field and name caps.

    Returns:
        None.
    """
    _parse_endorsements(table, report, limits, "endorser")


def parse_endorsements_given(table: Table, report: ParsedFile, limits: Limits) -> None:
    """Read ``Endorsement_Given_Info.csv``: an ENDORSED tie from the owner to each endorsee
    (``count_out=1``: given by the owner, which counts less: scoring's ``one_way_weight``).

    Parameters:
        table: the file's table.
        report: receives contacts, ties and row issues.
        limits: row, field and name caps.

    Returns:
        None.
    """
    _parse_endorsements(table, report, limits, "endorsee")


def parse_recommendations(table: Table, report: ParsedFile, limits: Limits) -> None:
    """Read ``Recommendations_Received.csv`` or ``Recommendations_Given.csv`` (identical headers).

    Parameters:
        table: the file's table. The direction comes from the file name: "Given" in it means given,
            anything else received (the content cannot tell them apart).
        report: receives one name-only contact (no URL in the file) and one RECOMMENDED tie per row
            (``count_in=1`` received: in full; ``count_out=1`` given by the owner: counts less).
        limits: row, field and name caps.

    Returns:
        None. PENDING and HIDDEN recommendations are accepted.
    """
    given = "given" in table.source.basename.lower()
    for line, row in table_rows(table, report, limits):
        first, last = row.get("first name"), row.get("last name")
        name = capped_name(report, line, limits, full_name(first, last), "first name")
        if not name:
            report.reject(line, "no name: recommendations carry no profile URL", "first name")
            continue
        ref, when = f"r{line}", row_date(report, line, row, "creation date")
        report.contacts.append(ContactRecord(
            ref=ref, row=line, name=name, first_name=clean(first), last_name=_surname(last),
            company=clean(row.get("company")), title=clean(row.get("job title")), as_of=when,
            fact="recommendation", name_only_in_archive=True,
        ))
        report.ties.append(TieRecord(row=line, a=OWNER, b=ref, kind=RelationshipKind.RECOMMENDED, fact="recommendation",
                                     count_out=int(given), count_in=int(not given), first_seen=when,
                                     last_interaction=when))


def parse_positions(table: Table, report: ParsedFile, limits: Limits) -> None:
    """Read ``Positions.csv``: the owner's own jobs (the former-colleague signal).

    Parameters:
        table: the file's table (dates like ``Jan 2024``; an empty ``Finished On`` means current).
        report: receives one owner position per row and row issues.
        limits: row and field caps.

    Returns:
        None.
    """
    for line, row in table_rows(table, report, limits):
        company = clean(row.get("company name"))
        if not company:
            report.reject(line, "no company name", "company name")
            continue
        report.positions.append(PositionRecord(
            row=line, who=OWNER, company=company, title=clean(row.get("title")),
            start=row_date(report, line, row, "started on"), end=row_date(report, line, row, "finished on"),
            current=not clean(row.get("finished on")),
        ))


def parse_profile(table: Table, report: ParsedFile, limits: Limits) -> None:
    """Read ``Profile.csv``: who the archive's owner is.

    Parameters:
        table: the file's table (one row).
        report: its ``owner`` is set from the first row; any further row is rejected.
        limits: row and field caps.

    Returns:
        None.
    """
    for line, row in table_rows(table, report, limits):
        if report.owner is not None:
            report.reject(line, "Profile.csv has one row; only the first is used")
            continue
        first, last = row.get("first name"), row.get("last name")
        report.owner = OwnerProfile(
            name=full_name(first, last), first_name=clean(first), last_name=_surname(last),
            headline=clean(row.get("headline")), location=clean(row.get("geo location")),
        )


def parse_company_follows(table: Table, report: ParsedFile, limits: Limits) -> None:
    """Read ``Company Follows.csv``: organisations the owner follows (no people).

    Parameters:
        table: the file's table.
        report: receives one company per row and row issues.
        limits: row and field caps.

    Returns:
        None.
    """
    for line, row in table_rows(table, report, limits):
        name = clean(row.get("organization"))
        if not name:
            report.reject(line, "no organization name", "organization")
            continue
        report.companies.append(CompanyRecord(row=line, name=name, fact="company-follow"))


def parse_email_addresses(table: Table, report: ParsedFile, limits: Limits) -> None:
    """Read ``Email Addresses.csv``: the owner's confirmed addresses, primary first.

    Parameters:
        table: the file's table.
        report: its ``owner`` gets the confirmed e-mails; unconfirmed ones are accepted with a warning.
        limits: row and field caps.

    Returns:
        None.
    """
    primary: list[str] = []
    others: list[str] = []
    for line, row in table_rows(table, report, limits):
        address = email(row.get("email address"))
        if not address:
            report.reject(line, f"{quote_value(clean(row.get('email address')))} is not an e-mail address", "email address")
        elif (clean(row.get("confirmed")) or "").lower() != "yes":
            report.warn(line, "unconfirmed address; not used as the owner's", "confirmed")
        elif (clean(row.get("primary")) or "").lower() == "yes":
            primary.append(address)
        else:
            others.append(address)
    if primary or others:
        report.owner = OwnerProfile(emails=tuple(dict.fromkeys(primary + others)))


CSV_FORMATS: list[CsvFormat] = [
    CsvFormat("linkedin-connections", "LinkedIn Connections.csv",
              frozenset({"first name", "last name", "company", "position", "connected on"}), parse_connections),
    CsvFormat("linkedin-connections-outlook", "LinkedIn connections (pre-2017 Outlook-style export)",
              # The whole column set: the largest signature wins, so Outlook-shaped formats cannot take it.
              frozenset(OUTLOOK_STYLE_HEADER), parse_outlook_style_connections, accepts_outlook_style),
    MESSAGES_FORMAT,
    CsvFormat("linkedin-invitations", "LinkedIn Invitations.csv",
              frozenset({"from", "to", "sent at", "direction"}), parse_invitations),
    CsvFormat("linkedin-endorsements-received", "LinkedIn Endorsement_Received_Info.csv",
              frozenset({"endorsement date", "skill name", "endorser first name", "endorser last name"}),
              parse_endorsements_received),
    CsvFormat("linkedin-endorsements-given", "LinkedIn Endorsement_Given_Info.csv",
              frozenset({"endorsement date", "skill name", "endorsee first name", "endorsee last name"}),
              parse_endorsements_given),
    CsvFormat("linkedin-recommendations", "LinkedIn Recommendations_Received.csv / Recommendations_Given.csv",
              frozenset({"first name", "last name", "company", "job title", "text", "creation date", "status"}),
              parse_recommendations),
    CsvFormat("linkedin-positions", "LinkedIn Positions.csv",
              frozenset({"company name", "title", "started on", "finished on"}), parse_positions),
    CsvFormat("linkedin-profile", "LinkedIn Profile.csv",
              frozenset({"first name", "last name", "maiden name", "headline"}), parse_profile),
    CsvFormat("linkedin-company-follows", "LinkedIn Company Follows.csv",
              frozenset({"organization", "followed on"}), parse_company_follows),
    CsvFormat("linkedin-email-addresses", "LinkedIn Email Addresses.csv",
              frozenset({"email address", "confirmed", "primary"}), parse_email_addresses),
]
