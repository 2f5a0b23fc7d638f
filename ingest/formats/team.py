"""Hand-kept team sheets (relationships, target accounts), plain contact lists, and user-mapped CSVs.

Team sheets name their own rep on every row (``report.team_file``); a contact list belongs to the
rep who imports it. Columns are found by name, case-insensitively, in any order; extra columns are
ignored. Cell values are stored verbatim: a value starting with ``=``, ``+``, ``-`` or ``@`` is data
here and is neutralised only when re-exported to a spreadsheet.
"""

from __future__ import annotations

import re
from datetime import date

from graphapp.errors import InputError
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
from ingest.records import (
    OWNER,
    CompanyRecord,
    ContactRecord,
    ParsedFile,
    TargetRecord,
    TieRecord,
    rep_by_email,
)

RELATIONSHIP_KINDS: dict[str, RelationshipKind] = {
    "customer": RelationshipKind.CUSTOMER,
    "client": RelationshipKind.CUSTOMER,
    "influencer": RelationshipKind.INFLUENCER,
    "partner": RelationshipKind.PARTNER,
    "referral_source": RelationshipKind.REFERRAL,
    "friend": RelationshipKind.KNOWS,
    "former_colleague": RelationshipKind.COLLEAGUE,
    "teammate": RelationshipKind.TEAMMATE,
    "knows": RelationshipKind.KNOWS,
}
PRIORITIES = ("high", "medium", "low")
FIELDS = ("name", "first_name", "last_name", "email", "linkedin", "company", "title", "phone", "location")
_IDENTIFYING = {"name", "first_name", "last_name", "email", "linkedin"}
_FORMULA_START = ("=", "+", "-", "@")

# Longest first, so "commercial real estate broker" wins over "broker"; the value is what is stored.
_PROFESSIONS = (
    ("commercial real estate broker", "commercial real estate broker"), ("real estate broker", "real estate broker"),
    ("insurance agent", "insurance agent"), ("insurance broker", "insurance broker"),
    ("mortgage broker", "mortgage broker"), ("financial advisor", "financial advisor"),
    ("financial planner", "financial planner"), ("property manager", "property manager"),
    ("cpas?", "CPA"), ("accountant", "accountant"), ("bookkeeper", "bookkeeper"), ("attorney", "attorney"),
    ("lawyer", "lawyer"), ("banker", "banker"), ("architect", "architect"), ("contractor", "contractor"),
    ("engineer", "engineer"), ("realtor", "realtor"), ("broker", "broker"), ("consultant", "consultant"),
)
_PROFESSION_RE = [(re.compile(rf"\b{pattern}\b", re.I), value) for pattern, value in _PROFESSIONS]

# Header names a plain contact list uses for each field (lower-case, as table rows are keyed).
_CONTACT_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("name", "full name", "contact name", "display name"),
    "first_name": ("first name", "first_name", "given name"),
    "last_name": ("last name", "last_name", "surname", "family name"),
    "email": ("email", "e-mail", "email address", "e-mail address", "work email"),
    "linkedin": ("linkedin", "linkedin url", "linkedin profile", "profile", "profile url", "linkedin_url"),
    "company": ("company", "organization", "organisation", "company name", "account name", "employer"),
    "title": ("title", "job title", "position", "role"),
    "phone": ("phone", "phone number", "mobile", "mobile phone", "telephone", "work phone"),
    "location": ("location", "city"),
}


def person_name(value: str | None) -> str | None:
    """A one-field person name; a formula-like value is kept verbatim.

    Parameters:
        value: the cell as written.

    Returns:
        ``display_name`` of the value ("Fitch, Harold" -> "Harold Fitch"), the cleaned value when it
        starts with ``= + - @`` (reordering it at a comma would mangle it), or None when empty.
    """
    text = clean(value)
    if text and text.startswith(_FORMULA_START):
        return text
    return display_name(text)


def profession_from_notes(notes: str | None) -> str | None:
    """The profession free-text notes name, e.g. "Architect - healthcare interiors." -> "architect".

    Parameters:
        notes: the notes cell.

    Returns:
        The first profession found (longest phrases first), or None.
    """
    text = clean(notes) or ""
    for pattern, value in _PROFESSION_RE:
        if pattern.search(text):
            return value
    return None


def _capped(name: str | None, line: int, column: str, report: ParsedFile, limits: Limits) -> str | None:
    if name and len(name) > limits.max_name_chars:
        report.warn(line, f"name over {limits.max_name_chars} characters truncated", column)
        return name[: limits.max_name_chars]
    return name


def _keyed(row: dict[str, str]) -> dict[str, str]:
    # "Rep Email", "rep-email" and "REP_EMAIL" all name the same column.
    return {re.sub(r"[\s-]+", "_", key.strip()): value for key, value in row.items()}


def _date(row: dict[str, str], column: str, line: int, report: ParsedFile) -> date | None:
    raw = row.get(column)
    try:
        return parse_date(raw)
    except ValueError:
        report.warn(line, f"{column} {quote_value(clean(raw))} is not a valid date; left empty", column)
        return None


def _person(row: dict[str, str], prefix: str, ref: str, line: int, report: ParsedFile,
            limits: Limits) -> ContactRecord | None:
    """The person named by the ``<prefix>_name/_email/_linkedin`` cells, warning about unusable values."""
    name = _capped(person_name(row.get(f"{prefix}_name")), line, f"{prefix}_name", report, limits)
    found = emails(row.get(f"{prefix}_email"))
    if clean(row.get(f"{prefix}_email")) and not found:
        report.warn(line, f"{prefix}_email {quote_value(clean(row.get(f'{prefix}_email')))} is not an e-mail address; ignored",
                    f"{prefix}_email")
    url = linkedin_url(row.get(f"{prefix}_linkedin"))
    if clean(row.get(f"{prefix}_linkedin")) and not url:
        report.warn(line, f"{prefix}_linkedin is not a LinkedIn profile URL; ignored", f"{prefix}_linkedin")
    if not (name or found or url):
        return None
    return ContactRecord(ref=ref, row=line, name=name, emails=found, linkedin_url=url, fact="relationship-sheet")


def _relationship_kind(row: dict[str, str]) -> tuple[RelationshipKind | None, str | None]:
    value = (clean(row.get("relationship")) or "").lower()
    if not value:
        return None, "empty relationship: no type"
    kind = RELATIONSHIP_KINDS.get(re.sub(r"[\s-]+", "_", value))  # "Referral source" is referral_source
    return (kind, None) if kind else (None, f"relationship {quote_value(value)} is not a known type")


def _relationship_row(line: int, row: dict[str, str], report: ParsedFile, limits: Limits) -> None:
    raw_rep = clean(row.get("rep_email"))
    if not raw_rep:
        return report.reject(line, "empty rep_email: no owner", "rep_email")
    rep = email(raw_rep)
    if not rep:
        return report.reject(line, f"rep_email {quote_value(raw_rep)} is not an e-mail address", "rep_email")
    person = _person(row, "person", f"row{line}", line, report, limits)
    if person is None:
        return report.reject(line, "no person: no name, e-mail or LinkedIn URL", "person_name")
    kind, problem = _relationship_kind(row)
    if kind is None:
        return report.reject(line, problem or "", "relationship")
    a = rep_by_email(rep)
    if any(clean(row.get(f"from_{part}")) for part in ("name", "email", "linkedin")):
        source = _person(row, "from", f"row{line}-from", line, report, limits)
        if source is None:
            return report.reject(line, "from person: no usable name, e-mail or LinkedIn URL", "from_name")
        report.contacts.append(source)
        a = source.ref
    since, last = _date(row, "since", line, report), _date(row, "last_contact", line, report)
    person.company, person.title, person.as_of = clean(row.get("company")), clean(row.get("title")), last or since
    profession = clean(row.get("profession"))
    if not profession and kind is RelationshipKind.INFLUENCER:
        # Only for influencers: a customer's notes name other people's jobs ("reports to our CPA").
        profession = profession_from_notes(row.get("notes"))
    report.contacts.append(person)
    report.ties.append(TieRecord(row=line, a=a, b=person.ref, kind=kind, fact="relationship-sheet",
                                 first_seen=since, last_interaction=last, profession=profession, reported_by=rep))


def parse_relationships(table: Table, report: ParsedFile, limits: Limits) -> None:
    """Read the team's relationship sheet (``relationships.csv``) into ``report``.

    Each row ties its rep (``rep_email``), or the ``from_*`` person when given (a CPA and their
    client), to the row's person. An exact duplicate row is accepted; the service de-duplicates.

    Parameters:
        table: the table found by its header.
        report: receives contacts, ties, issues and ``rows_read``; ``team_file`` is set.
        limits: row, cell and name caps.

    Returns:
        None; everything goes into ``report``.
    """
    report.team_file = True
    carry_table_warnings(table, report)
    for line, row in table_rows(table, report, limits):
        _relationship_row(line, _keyed(row), report, limits)


def _target_row(line: int, row: dict[str, str], report: ParsedFile) -> None:
    account, raw_domain = clean(row.get("account")), clean(row.get("domain"))
    site = domain(raw_domain)
    if raw_domain and not site:
        if not account:
            return report.reject(line, f"no account, and domain {quote_value(raw_domain)} is not a domain name", "domain")
        report.warn(line, f"domain {quote_value(raw_domain)} is not a domain name; ignored", "domain")
    if not account and not site:
        return report.reject(line, "no account and no domain", "account")
    priority = (clean(row.get("priority")) or "medium").lower()
    if priority not in PRIORITIES:
        return report.reject(line, f"priority {quote_value(priority)} is not high, medium or low", "priority")
    raw_owner = clean(row.get("owner_rep_email"))
    owner = email(raw_owner)
    if raw_owner and not owner:
        report.warn(line, f"owner_rep_email {quote_value(raw_owner)} is not an e-mail address; ignored", "owner_rep_email")
    report.targets.append(TargetRecord(row=line, account=account, domain=site, owner_rep_email=owner,
                                       priority=priority))
    report.companies.append(CompanyRecord(row=line, name=account or site or "", domains=(site,) if site else (),
                                          is_target=True, fact="target"))


def parse_targets(table: Table, report: ParsedFile, limits: Limits) -> None:
    """Read the team's target accounts (``targets.csv``) into ``report``.

    Rows sharing a domain stay separate rows here; the service merges them by domain.

    Parameters:
        table: the table found by its header.
        report: receives targets, companies, issues and ``rows_read``; ``team_file`` is set.
        limits: row and cell caps.

    Returns:
        None; everything goes into ``report``.
    """
    report.team_file = True
    carry_table_warnings(table, report)
    for line, row in table_rows(table, report, limits):
        _target_row(line, _keyed(row), report)


def _contact_row(line: int, row: dict[str, str], columns: dict[str, list[str]], report: ParsedFile,
                 limits: Limits) -> None:
    def cells(field: str) -> list[str]:
        return [row.get(c, "") for c in columns.get(field, [])]

    def first(field: str) -> str | None:
        return next((v for v in map(clean, cells(field)) if v), None)

    first_name, last_name = first("first_name"), first("last_name")
    name = person_name(first("name")) or full_name(first_name, last_name)
    name = _capped(name, line, "name", report, limits)
    found = emails(*cells("email"))
    if first("email") and not found:
        report.warn(line, f"e-mail {quote_value(first('email'))} is not an e-mail address; ignored", "email")
    url = next((u for u in map(linkedin_url, cells("linkedin")) if u), None)
    if not (name or found or url):
        return report.reject(line, "no person: no name, e-mail or LinkedIn URL", "name")
    ref = f"row{line}"
    phones = tuple(p for p in map(phone, cells("phone")) if p)
    report.contacts.append(ContactRecord(
        ref=ref, row=line, name=name, first_name=first_name, last_name=last_name, emails=found, linkedin_url=url,
        phones=phones, title=first("title"), company=first("company"), location=first("location"),
        fact="contact-list",
    ))
    report.ties.append(TieRecord(row=line, a=OWNER, b=ref, kind=RelationshipKind.KNOWS, fact="contact-list"))


def _parse_contacts(table: Table, report: ParsedFile, limits: Limits, columns: dict[str, list[str]]) -> None:
    carry_table_warnings(table, report)
    for line, row in table_rows(table, report, limits):
        _contact_row(line, row, columns, report, limits)


def contact_list_columns(table: Table) -> dict[str, list[str]]:
    """Which columns of a plain contact list hold which field, by header name.

    Parameters:
        table: the table found by its header.

    Returns:
        Field -> lower-case column names (a field may have several, e.g. two e-mail columns).
    """
    present = table.columns
    return {f: [c for c in names if c in present] for f, names in _CONTACT_ALIASES.items()}


def parse_contact_list(table: Table, report: ParsedFile, limits: Limits) -> None:
    """Read a plain contact list (``Name``, ``Email``, optional company, title, phone, LinkedIn) into ``report``.

    Parameters:
        table: the table found by its header.
        report: receives contacts, KNOWS ties from the owner, issues and ``rows_read``.
        limits: row, cell and name caps.

    Returns:
        None; everything goes into ``report``.
    """
    _parse_contacts(table, report, limits, contact_list_columns(table))


def mapped_columns(table: Table, mapping: dict[str, str]) -> dict[str, list[str]]:
    """Check a user's column mapping against the file and turn it into field -> columns.

    Parameters:
        table: the table found by its header.
        mapping: column name as written in the file (any case) -> field name.

    Returns:
        Field -> lower-case column names.

    Raises:
        InputError: an unknown field, a column the file does not have, or no identifying field.
    """
    name = table.source.name
    unknown = sorted({f for f in mapping.values() if f.strip().lower() not in FIELDS})
    if unknown:
        raise InputError(f"{name}: unknown field(s) {', '.join(map(quote_value, unknown))} in the mapping; "
                         f"fields: {', '.join(FIELDS)}.")
    missing = [c for c in mapping if c.strip().lower() not in table.columns]
    if missing:
        raise InputError(f"{name}: column(s) {', '.join(map(quote_value, missing))} not in the file; "
                         f"columns found: {', '.join(quote_value(h, quotes=False) for h in table.header)}.")
    columns: dict[str, list[str]] = {}
    for column, field in mapping.items():
        columns.setdefault(field.strip().lower(), []).append(column.strip().lower())
    if not _IDENTIFYING & set(columns):
        raise InputError(f"{name}: the mapping names none of name, first_name, last_name, email or linkedin; "
                         "map at least one column to one of them.")
    return columns


def parse_mapped(table: Table, report: ParsedFile, limits: Limits, mapping: dict[str, str]) -> None:
    """Read any CSV as a contact list, with the columns the user mapped to fields.

    Parameters:
        table: the table found by its header.
        report: receives contacts, KNOWS ties from the owner, issues and ``rows_read``.
        limits: row, cell and name caps.
        mapping: column name as written in the file (any case) -> one of :data:`FIELDS`.

    Returns:
        None; everything goes into ``report``.

    Raises:
        InputError: the mapping does not fit the file (see :func:`mapped_columns`); nothing is read then.
    """
    _parse_contacts(table, report, limits, mapped_columns(table, mapping))


def _not_a_team_sheet(cells: list[str]) -> bool:
    # A team sheet that also has name/email columns is a team sheet, whatever the registry's tie-break.
    return not {"rep_email", "owner_rep_email"} & set(cells)


CSV_FORMATS = [
    CsvFormat("team-relationships", "Team relationship sheet", frozenset({"rep_email", "relationship"}),
              parse_relationships),
    CsvFormat("team-targets", "Team target accounts", frozenset({"account", "priority"}), parse_targets),
    CsvFormat("contact-list", "Contact list (Name, Email...)", frozenset({"name", "email"}), parse_contact_list,
              accepts=_not_a_team_sheet),
]
