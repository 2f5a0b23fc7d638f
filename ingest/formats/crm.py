"""CRM exports: HubSpot contacts, Salesforce contact and account reports.

Every accepted contact row gives one :class:`~ingest.records.ContactRecord` and one tie from the rep
named in the owner column (the file's owner when the cell is empty) to that person, of the kind
:func:`crm_tie_kind` reads from the lifecycle stage, lead status and last activity: a lead nobody
reached is kind OWNER, which makes the person known and is no relationship. An export without the
owner column gives the people only. The helpers
that turn a row into a person (:func:`cell`, :func:`read_date`, :func:`row_emails`,
:func:`kind_from_labels`, :func:`add_person`) are shared with :mod:`ingest.formats.addressbook`.
"""

from __future__ import annotations

import csv
import dataclasses
import re
from collections import deque
from collections.abc import Iterable
from datetime import date

from graphapp.model import RelationshipKind
from ingest.files import Limits, Table, carry_table_warnings, table_rows
from ingest.formats.cells import (
    clean,
    display_name,
    domain,
    email,
    emails,
    full_name,
    linkedin_url,
    parse_date,
    phone,
    quote_value,
)
from ingest.formats.spec import CsvFormat
from ingest.records import OWNER, CompanyRecord, ContactRecord, ParsedFile, TieRecord, rep_by_email, rep_by_name

CRM_FACT = "crm-contact"
NO_PERSON = "no name, e-mail or profile URL"
PHONE_ONLY = "phone number only: no name, e-mail or profile URL"

# Values of CRM "Type"/lifecycle fields and address-book labels that say what a tie is. Keys are
# lower-case and singular (see _label_key); the first kind found in this order wins, so a contact
# tagged both "Customers" and "Partners" is a customer.
_LABEL_KINDS: tuple[tuple[RelationshipKind, frozenset[str]], ...] = (
    (RelationshipKind.CUSTOMER, frozenset({"customer", "client", "customer - direct", "customer - channel",
                                           "evangelist", "current customer"})),
    (RelationshipKind.PARTNER, frozenset({"partner", "channel partner / reseller", "reseller", "channel partner",
                                          "installation partner", "technology partner"})),
    (RelationshipKind.REFERRAL, frozenset({"referral", "referral source", "referrer"})),
    (RelationshipKind.INFLUENCER, frozenset({"circle of influence", "influencer", "center of influence",
                                             "centre of influence", "centers of influence", "coi"})),
)


def cell(row: dict[str, str], *columns: str) -> str | None:
    """The first non-empty value among ``columns``, whitespace collapsed.

    Parameters:
        row: a row from :func:`ingest.files.table_rows` (lower-case keys).
        columns: lower-case column names, most specific first; missing columns count as empty.

    Returns:
        The cleaned value (kept verbatim otherwise, formula-like cells included) or None.
    """
    for column in columns:
        value = clean(row.get(column))
        if value:
            return value
    return None


def read_date(report: ParsedFile, line: int, row: dict[str, str], *columns: str) -> date | None:
    """The first date among ``columns``; a value that is not a date is dropped with a warning.

    Parameters:
        report: where the warning goes.
        line: the row's line number.
        row: the row (lower-case keys).
        columns: candidate columns, most specific first.

    Returns:
        The date, or None when every candidate is empty or unreadable.
    """
    for column in columns:
        raw = clean(row.get(column))
        if not raw:
            continue
        try:
            return parse_date(raw)
        except ValueError:
            report.warn(line, f"{quote_value(raw)} is not a date; left empty", column=column)
    return None


def row_emails(report: ParsedFile, line: int, row: dict[str, str], columns: Iterable[str]) -> tuple[str, ...]:
    """Every valid e-mail in ``columns`` (each cell may hold several), lower-cased, without repeats.

    Parameters:
        report: a cell with text but no valid address is reported there as a warning.
        line: the row's line number.
        row: the row (lower-case keys).
        columns: the e-mail columns.

    Returns:
        The addresses in column order.
    """
    found: list[str] = []
    for column in columns:
        value = clean(row.get(column))
        if not value:
            continue
        got = emails(value)
        if not got:
            report.warn(line, f"{quote_value(value)} is not an e-mail address; left out", column=column)
        found.extend(e for e in got if e not in found)
    return tuple(found)


def _label_key(label: str) -> str:
    key = " ".join(label.strip().lstrip("*").lower().split())
    return key[:-1] if len(key) > 3 and key.endswith("s") and not key.endswith("ss") else key


def kind_from_labels(labels: Iterable[str]) -> RelationshipKind | None:
    """The tie kind that labels, categories or a CRM type field say, if any.

    Parameters:
        labels: values such as ``Customers``, ``* myContacts``, ``Customer - Direct``, ``Partners``.

    Returns:
        CUSTOMER, PARTNER, REFERRAL or INFLUENCER (in that order of precedence), else None.
    """
    keys = {_label_key(label) for label in labels if label and label.strip()}
    for kind, names in _LABEL_KINDS:
        if keys & names or (kind is RelationshipKind.PARTNER and any(k.endswith(" partner") for k in keys)):
            return kind
    return None


# Lead statuses (HubSpot's defaults) that say the owner has not reached the person, or gave up.
COLD_STATUSES = frozenset({"new", "attempted to contact", "unqualified", "bad timing"})


def _stage_key(value: str) -> str:
    return " ".join(value.strip().lower().split())


def crm_tie_kind(customer: bool, labels: list[str], status: str | None, activity: date | None) -> RelationshipKind:
    """What a CRM row says about the tie between its owner and the person (docs/ranking.md, "Evidence").

    The owner field alone never makes a relationship:

    - a customer (``Became a Customer Date``, lifecycle stage or type ``Customer``/``Evangelist``) is a
      CUSTOMER; a partner, referral source or circle-of-influence label makes that kind;
    - a cold lead status (``New``, ``Attempted to Contact``, ``Unqualified``, ``Bad Timing``) or no last
      activity: OWNER (the person is known, "owner in the CRM", but no path uses it);
    - with activity: PROSPECT when a lifecycle stage or an open lead status (``Open Deal``, ``In
      Progress``, ``Connected``...) puts the person in the sales process, else KNOWS.

    Parameters:
        customer: the row has a became-a-customer date.
        labels: the lifecycle stage and type cells.
        status: the lead status cell.
        activity: the last activity date.
    """
    labelled = RelationshipKind.CUSTOMER if customer else kind_from_labels(labels)
    if labelled is not None:
        return labelled
    status_key = _stage_key(status or "")
    if status_key in COLD_STATUSES or activity is None:
        return RelationshipKind.OWNER
    if status_key or any(_stage_key(v) for v in labels):
        return RelationshipKind.PROSPECT
    return RelationshipKind.KNOWS


@dataclasses.dataclass(frozen=True)
class TieHint:
    """What a row says about the tie between its rep and the person."""

    rep: str
    kind: RelationshipKind
    fact: str
    first_seen: date | None = None
    last_interaction: date | None = None
    profession: str | None = None


def add_person(report: ParsedFile, limits: Limits, contact: ContactRecord, tie: TieHint | None) -> bool:
    """Accept a person and their tie to the rep, or reject the row when nothing identifies the person.

    Parameters:
        report: receives the contact and the tie, or the rejection.
        limits: ``max_name_chars`` caps the name (with a warning).
        contact: the person as the row describes them (``row`` is the line reported).
        tie: who keeps the person and how; None: the row names nobody who keeps them (no tie).

    Returns:
        True when the row was accepted.
    """
    if not (contact.name or contact.emails or contact.linkedin_url):
        report.reject(contact.row, PHONE_ONLY if contact.phones else NO_PERSON)
        return False
    if contact.name and len(contact.name) > limits.max_name_chars:
        report.warn(contact.row, f"name over {limits.max_name_chars} characters truncated", column="name")
        contact.name = contact.name[: limits.max_name_chars]
    report.contacts.append(contact)
    if tie is None:
        return True
    first_seen = tie.first_seen
    if first_seen and tie.last_interaction and tie.last_interaction < first_seen:
        first_seen = tie.last_interaction  # CRMs back-date activity on imported records; a tie cannot end before it starts
    report.ties.append(TieRecord(contact.row, tie.rep, contact.ref, tie.kind, tie.fact, first_seen=first_seen,
                                 last_interaction=tie.last_interaction, profession=tie.profession))
    return True


def location(*parts: str | None) -> str | None:
    """Join place parts into one location.

    Parameters:
        parts: city, region, country... (empty ones are skipped).

    Returns:
        ``"Boston, MA, United States"``, or None when every part is empty.
    """
    return ", ".join(p for p in (clean(x) for x in parts) if p) or None


# -- Salesforce report footer --------------------------------------------------------------------

_FOOTER_MARK = re.compile(r"copyright|©|\(c\)|confidential information|generated by|grand totals?\b", re.I)


def _footer_like(line: str, delimiter: str) -> bool:
    if not line.strip() or _FOOTER_MARK.search(line):
        return True
    return len(next(csv.reader([line], delimiter=delimiter), [])) <= 1


def _trailing_run(lines: list[str], first: int, delimiter: str) -> int:
    """Index of the first of the blank or one-field lines that end ``lines``, at ``first`` at the earliest."""
    start = len(lines)
    while start > first and _footer_like(lines[start - 1], delimiter):
        start -= 1
    return start


def _footer_start(lines: list[str], first: int, delimiter: str) -> int | None:
    """Index of the first footer line: within the trailing run of blank or one-field lines that holds
    a footer mark, the first blank line, the first marked line, or the report name just before it."""
    start = _trailing_run(lines, first, delimiter)
    marks = [i for i in range(start, len(lines)) if _FOOTER_MARK.search(lines[i])]
    if not marks:
        return None
    candidates = [marks[0]] + [i for i in range(start, len(lines)) if not lines[i].strip()][:1]
    if marks[0] > start and lines[marks[0] - 1].strip():
        candidates.append(marks[0] - 1)  # the report name, when no blank line separates it from the data
    return min(candidates)


TAIL_LINES = 1_000
"""A report's footer is looked for in its last lines: this many are kept as the text streams by (a
trailing run of blank or one-field lines longer than that is looked for in the whole text)."""


def strip_report_footer(table: Table) -> Table:
    """The table without a Salesforce report footer (blank line, report name, copyright...).

    Parameters:
        table: as :func:`ingest.files.read_table` found it.

    Returns:
        The same table when there is no footer, else one whose text ends before it, so the footer
        lines are neither counted as rows nor rejected as ragged. The text streams by once; its last
        ``TAIL_LINES`` lines are kept.
    """
    tail: deque[tuple[int, str]] = deque(maxlen=TAIL_LINES)  # (characters before the line, the line)
    count = chars = 0
    with table.open_text() as stream:
        for line in stream:
            tail.append((chars, line))
            chars += len(line)
            count += 1
    lines = [line for _, line in tail]
    first = table.header_line - (count - len(tail))  # the header row's next line, as an index into the tail
    if first < 0 and _trailing_run(lines, 0, table.delimiter) == 0:  # the run may go on before the tail: look at it all
        with table.open_text() as stream:
            every = stream.readlines()
        cut = _footer_start(every, table.header_line, table.delimiter)
        return table if cut is None else dataclasses.replace(table, chars=sum(map(len, every[:cut])))
    cut = _footer_start(lines, max(first, 0), table.delimiter)
    return table if cut is None else dataclasses.replace(table, chars=tail[cut][0])


# -- Contacts ------------------------------------------------------------------------------------

_HUBSPOT = {
    "first": ("first name",), "last": ("last name",), "name": ("full name", "name"),
    "email": ("email", "additional email addresses"), "phone": ("phone number", "mobile phone number"),
    "owner": ("contact owner",), "company": ("associated company", "company name"),
    "domain": ("company domain name", "website url"), "title": ("job title",),
    "place": ("city", "state/region", "country/region"), "activity": ("last activity date",),
    "created": ("create date",), "modified": ("last modified date",),
    "type": ("lifecycle stage", "type", "contact type"), "customer_since": ("became a customer date",),
    "status": ("lead status",),
}
_SALESFORCE = {
    "first": ("first name",), "last": ("last name",), "name": ("full name", "contact name", "name"),
    "email": ("email",), "phone": ("phone", "mobile"), "owner": ("contact owner",), "company": ("account name",),
    "domain": ("website", "account website"), "title": ("title",),
    "place": ("mailing city", "mailing state/province", "mailing country"), "activity": ("last activity",),
    "created": ("created date",), "modified": ("last modified date",),
    "type": ("account type", "account: type", "type", "contact type"), "customer_since": (),
    "status": ("lead status",),
}


def _rep(owner: str | None) -> str:
    if not owner:
        return OWNER
    address = email(owner) if "@" in owner else None
    return rep_by_email(address) if address else rep_by_name(owner)


def _profile(row: dict[str, str]) -> str | None:
    # CRMs name the LinkedIn property differently ("LinkedIn URL", "LinkedIn Profile"...): any such column.
    return next((u for c, v in row.items() if "linkedin" in c and (u := linkedin_url(v))), None)


def _crm_contact(report: ParsedFile, line: int, row: dict[str, str], cols: dict[str, tuple[str, ...]],
                 as_of: date | None) -> ContactRecord:
    first, last = cell(row, *cols["first"]), cell(row, *cols["last"])
    return ContactRecord(
        ref=f"r{line}", row=line,
        name=full_name(first, last) or display_name(cell(row, *cols["name"])),
        first_name=first, last_name=last,
        emails=row_emails(report, line, row, cols["email"]),
        linkedin_url=_profile(row),
        phones=tuple(p for c in cols["phone"] if (p := phone(row.get(c)))),
        title=cell(row, *cols["title"]), company=cell(row, *cols["company"]),
        company_domain=domain(cell(row, *cols["domain"])),
        location=location(*(row.get(c) for c in cols["place"])),
        as_of=as_of, fact=CRM_FACT,
    )


def _crm_rows(table: Table, report: ParsedFile, limits: Limits, cols: dict[str, tuple[str, ...]]) -> None:
    carry_table_warnings(table, report)
    owned = any(c in table.columns for c in cols["owner"])  # a view without the owner column names no rep
    cold = 0
    for line, row in table_rows(table, report, limits):
        activity, modified, created = (read_date(report, line, row, *cols[k]) for k in ("activity", "modified", "created"))
        # The freshest date the row carries decides which employer is current across files.
        as_of = max((d for d in (activity, modified, created) if d), default=None)
        contact = _crm_contact(report, line, row, cols, as_of)
        customer = bool(cols["customer_since"]) and bool(cell(row, *cols["customer_since"]))
        kind = crm_tie_kind(customer, [row.get(c, "") for c in cols["type"]], cell(row, *cols["status"]), activity)
        tie = TieHint(_rep(cell(row, *cols["owner"])), kind, CRM_FACT, first_seen=created, last_interaction=activity)
        if add_person(report, limits, contact, tie if owned else None) and owned and kind is RelationshipKind.OWNER:
            cold += 1
    if cold:
        report.warn(None, f"{cold:,} contact(s) are leads nobody has reached (lead status New, Attempted to Contact, "
                          "Unqualified or Bad Timing, or no last activity): the people are kept, with their owner "
                          "in the CRM, but make no relationship and no warm path")


def parse_hubspot_contacts(table: Table, report: ParsedFile, limits: Limits) -> None:
    """HubSpot contacts export (default view or all properties): one person per row, kept by ``Contact owner``.

    An export whose view has no ``Contact owner`` column gives the people and no ties: the CRM holds a
    record, but nobody on the team is said to know the person.

    Parameters:
        table: the table found by the ``hubspot-contacts`` signature.
        report: receives contacts, ties (of the kind :func:`crm_tie_kind` reads from ``Lifecycle Stage``,
            ``Lead Status``, ``Last Activity Date`` and ``Became a Customer Date``; fact ``crm-contact``),
            warnings and rejections.
        limits: row, field and name caps.

    Returns:
        None; everything goes to ``report``.
    """
    _crm_rows(table, report, limits, _HUBSPOT)


def parse_salesforce_contacts(table: Table, report: ParsedFile, limits: Limits) -> None:
    """Salesforce contact report ("Details Only"): one person per row, kept by ``Contact Owner``.

    The report footer after the data is ignored. An account ``Type`` column, when the report has
    one, makes customers (``Customer - Direct``...) and partners.

    Parameters:
        table: the table found by the ``salesforce-contacts`` signature.
        report: receives contacts, ties (fact ``crm-contact``), warnings and rejections.
        limits: row, field and name caps.

    Returns:
        None; everything goes to ``report``.
    """
    _crm_rows(strip_report_footer(table), report, limits, _SALESFORCE)


def parse_salesforce_accounts(table: Table, report: ParsedFile, limits: Limits) -> None:
    """Salesforce account report: organisations only, with website domains and customer/partner type.

    Parameters:
        table: the table found by the ``salesforce-accounts`` signature (footer ignored).
        report: receives one :class:`~ingest.records.CompanyRecord` per row (fact ``crm-account``);
            a row without an account name is rejected.
        limits: row and field caps.

    Returns:
        None; everything goes to ``report``.
    """
    table = strip_report_footer(table)
    carry_table_warnings(table, report)
    for line, row in table_rows(table, report, limits):
        name = cell(row, "account name")
        if not name:
            report.reject(line, "no account name", column="account name")
            continue
        website = cell(row, "website")
        site = domain(website)
        if website and not site:
            report.warn(line, f"{quote_value(website)} is not a web address; left out", column="website")
        kind = kind_from_labels([row.get("type", "")])
        report.companies.append(CompanyRecord(
            line, name, domains=(site,) if site else (), is_customer=kind is RelationshipKind.CUSTOMER,
            is_partner=kind is RelationshipKind.PARTNER, fact="crm-account"))


def _not_hubspot(cells: list[str]) -> bool:
    return "record id" not in cells


def _no_person_columns(cells: list[str]) -> bool:
    # A contact report can carry "Account Owner"/"Account Name" too; it is read as contacts.
    return not {"first name", "last name", "contact owner"} & set(cells)


CSV_FORMATS = [
    # "Contact owner" is only in exports whose view has that column: without it no row has an owner tie.
    CsvFormat("hubspot-contacts", "HubSpot contacts export",
              frozenset({"record id", "first name", "last name", "email"}), parse_hubspot_contacts),
    CsvFormat("salesforce-contacts", "Salesforce contact report",
              frozenset({"contact owner", "first name", "last name", "account name"}), parse_salesforce_contacts,
              accepts=_not_hubspot),
    CsvFormat("salesforce-accounts", "Salesforce account report",
              frozenset({"account owner", "account name"}), parse_salesforce_accounts, accepts=_no_person_columns),
]
