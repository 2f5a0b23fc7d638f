"""Address-book exports: Google Contacts CSV (current and legacy), Outlook CSV (desktop and web), vCard.

Every accepted entry gives a :class:`~ingest.records.ContactRecord` and a tie from the file's owner:
``KNOWS``, fact ``address-book``, unless the entry says more. Labels/categories such as *Customers*,
*Partners*, *Circle of influence* make it CUSTOMER, PARTNER or INFLUENCER (:func:`ingest.formats.crm.kind_from_labels`);
an Outlook ``Profession`` (legacy Google ``Occupation``) makes it INFLUENCER with that profession unless a
label says customer or partner. Outlook's ``Referred By`` is only a name, which identifies nobody: it is
reported as a hint (a row warning) and creates no person or tie. A vCard for a company (``KIND:org``,
Apple's ``X-ABShowAs:COMPANY``) gives a :class:`~ingest.records.CompanyRecord` instead.
"""

from __future__ import annotations

import quopri
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TextIO

from graphapp.errors import InputError
from graphapp.model import RelationshipKind
from ingest.files import Limits, Table, carry_table_warnings, physical_lines, table_rows
from ingest.formats.cells import clean, display_name, domain, emails, full_name, linkedin_url, phone, quote_value
from ingest.formats.crm import TieHint, add_person, cell, kind_from_labels, location, read_date, row_emails
from ingest.formats.spec import CsvFormat, TextFormat
from ingest.records import OWNER, CompanyRecord, ContactRecord, ParsedFile

ADDRESS_BOOK = "address-book"


def _split(value: str | None) -> list[str]:
    """Google's multi-value cell ``"* Work ::: Home"`` -> ``["Work", "Home"]`` (``* `` marks the primary)."""
    parts = (clean(p.strip().removeprefix("*")) for p in (value or "").split(":::"))
    return [p for p in parts if p]


def _kind(labels: list[str], profession: str | None) -> RelationshipKind:
    labelled = kind_from_labels(labels)
    if labelled in (RelationshipKind.CUSTOMER, RelationshipKind.PARTNER):
        return labelled  # a customer who is also a CPA is looked after as a customer
    if profession:
        return RelationshipKind.INFLUENCER
    return labelled or RelationshipKind.KNOWS


def _accept(report: ParsedFile, limits: Limits, contact: ContactRecord, labels: list[str],
            profession: str | None = None) -> None:
    kind = _kind(labels, profession)
    add_person(report, limits, contact, TieHint(OWNER, kind, ADDRESS_BOOK, profession=profession))


# -- Google Contacts -----------------------------------------------------------------------------

def _numbered(table: Table, what: str) -> list[str]:
    """The ``E-mail 1 - Value``, ``E-mail 2 - Value``... columns (as many as the data needed)."""
    return [c for c in table.columns if re.fullmatch(rf"{what} \d+ - value", c)]


def _google_contact(report: ParsedFile, line: int, row: dict[str, str], groups: dict[str, list[str]]) -> ContactRecord:
    first, last = cell(row, "first name", "given name"), cell(row, "last name", "family name")
    sites = [s for c in groups["website"] for s in _split(row.get(c))]
    org = _split(cell(row, "organization name", "organization 1 - name"))
    title = _split(cell(row, "organization title", "organization 1 - title"))
    return ContactRecord(
        ref=f"r{line}", row=line,
        name=full_name(first, last) or display_name(cell(row, "name", "file as", "nickname")),
        first_name=first, last_name=last,
        emails=row_emails(report, line, row, groups["e-mail"]),
        linkedin_url=next((u for s in sites if (u := linkedin_url(s))), None),
        phones=tuple(p for c in groups["phone"] for v in _split(row.get(c)) if (p := phone(v))),
        title=title[0] if title else None, company=org[0] if org else None,
        location=location(*(cell(row, f"address 1 - {k}") for k in ("city", "region", "country"))),
        fact=ADDRESS_BOOK,
    )


def parse_google_contacts(table: Table, report: ParsedFile, limits: Limits) -> None:
    """Google Contacts CSV, current ("Google CSV") or legacy header: one person per row, kept by the owner.

    Multi-valued cells (`` ::: ``) are split; a LinkedIn profile may sit in any ``Website n - Value``;
    ``Labels`` / ``Group Membership`` give the tie kind. A row with nothing but a phone number is rejected.

    Parameters:
        table: the table found by the ``google-contacts`` or ``google-contacts-legacy`` signature.
        report: receives contacts, ties (fact ``address-book``), warnings and rejections.
        limits: row, field and name caps.

    Returns:
        None; everything goes to ``report``.
    """
    carry_table_warnings(table, report)
    groups = {what: _numbered(table, what) for what in ("e-mail", "phone", "website")}
    for line, row in table_rows(table, report, limits):
        contact = _google_contact(report, line, row, groups)
        _accept(report, limits, contact, _split(cell(row, "labels", "group membership")), cell(row, "occupation"))


# -- Outlook -------------------------------------------------------------------------------------

_OUTLOOK_EMAILS = ("e-mail address", "e-mail 2 address", "e-mail 3 address")
# The person's own numbers; assistant, fax, pager and company switchboard numbers are not theirs.
_OUTLOOK_PHONES = ("primary phone", "mobile phone", "business phone", "business phone 2", "home phone",
                   "home phone 2", "other phone", "car phone")
_LOST_CHARACTER = re.compile(r"\w\?|\?\w")


def _outlook_contact(report: ParsedFile, line: int, row: dict[str, str]) -> ContactRecord:
    first, last = cell(row, "first name"), cell(row, "last name")
    place = [cell(row, f"business {k}") or cell(row, f"home {k}") for k in ("city", "state")]
    country = cell(row, "business country/region", "business country", "home country/region", "home country")
    return ContactRecord(
        ref=f"r{line}", row=line, name=full_name(first, last) or display_name(cell(row, "nickname")),
        first_name=first, last_name=last,
        emails=row_emails(report, line, row, _OUTLOOK_EMAILS),
        linkedin_url=linkedin_url(cell(row, "web page")) or linkedin_url(cell(row, "personal web page")),
        phones=tuple(p for c in _OUTLOOK_PHONES if (p := phone(row.get(c)))),
        title=cell(row, "job title"), company=cell(row, "company"),
        location=location(*place, country), fact=ADDRESS_BOOK,
    )


def _outlook_hints(report: ParsedFile, line: int, row: dict[str, str], contact: ContactRecord, encoding: str) -> None:
    if encoding == "cp1252" and contact.name and _LOST_CHARACTER.search(contact.name):
        # Outlook's ANSI export writes '?' for letters outside the code page; the e-mail still matches.
        report.warn(line, f"name {quote_value(contact.name)} has '?' where the export lost letters; kept as written",
                    column="first name")
    referrer = cell(row, "referred by")
    if referrer:
        report.warn(line, f"Referred By {quote_value(referrer)} kept as a hint only: a name alone does not identify a person "
                          "(record the referral in the team relationship sheet)", column="referred by")


def parse_outlook_contacts(table: Table, report: ParsedFile, limits: Limits) -> None:
    """Outlook contacts CSV (92-column desktop export or the 61-column web export): one person per row.

    ``Categories`` (``;``-separated) and ``Profession`` give the tie kind; ``0/0/00`` dates and
    ``?`` replacement characters are kept as the export wrote them.

    Parameters:
        table: the table found by an ``outlook-contacts`` signature.
        report: receives contacts, ties (fact ``address-book``), warnings and rejections.
        limits: row, field and name caps.

    Returns:
        None; everything goes to ``report``.
    """
    carry_table_warnings(table, report)
    for line, row in table_rows(table, report, limits):
        contact = _outlook_contact(report, line, row)
        labels = re.split(r"[;,]", cell(row, "categories") or "")
        before = len(report.contacts)
        _accept(report, limits, contact, labels, cell(row, "profession"))
        if len(report.contacts) > before:
            _outlook_hints(report, line, row, contact, table.encoding)


# -- vCard ---------------------------------------------------------------------------------------

@dataclass
class VCardProperty:
    """One unfolded content line, ``[group.]NAME;PARAM=a,b:value``; the value is decoded, not unescaped."""

    name: str  # upper-case, group prefix (``item1.``) removed
    params: dict[str, list[str]]  # upper-case keys; bare 2.1 parameters (``WORK``) are listed under TYPE
    value: str


@dataclass
class VCard:
    """One ``BEGIN:VCARD`` ... ``END:VCARD`` block and the physical line it begins on."""

    line: int
    properties: list[VCardProperty] = field(default_factory=list)
    closed: bool = False

    def values(self, name: str) -> list[str]:
        """Every value of property ``name``, unescaped (``\\,`` ``\\;`` ``\\n``)."""
        return ["".join(components(p.value, None)) for p in self.properties if p.name == name]

    def first(self, name: str) -> str | None:
        """The first non-empty unescaped value of ``name``, whitespace collapsed."""
        return next((v for raw in self.values(name) if (v := clean(raw))), None)


def components(value: str, separator: str | None = ";") -> list[str]:
    """Split a structured value on unescaped ``separator`` and unescape each part.

    Parameters:
        value: e.g. ``Fitch;Harold;;;CPA`` (N) or ``Ostrander & Vail CPAs;`` (ORG).
        separator: ``;``, ``,`` or None for no split.

    Returns:
        The parts, with ``\\n`` as a newline and other escaped characters as themselves.
    """
    parts, current, chars = [], [], iter(value)
    for ch in chars:
        if ch == "\\":
            nxt = next(chars, "")
            current.append("\n" if nxt in ("n", "N") else nxt)
        elif ch == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    return [*parts, "".join(current)]


def _unquoted(text: str, sep: str) -> list[int]:
    """Positions of ``sep`` outside double quotes (parameter values may quote ``:`` and ``;``)."""
    quoted, found = False, []
    for i, ch in enumerate(text):
        quoted = not quoted if ch == '"' else quoted
        if ch == sep and not quoted:
            found.append(i)
    return found


def _decode_qp(value: str, charset: str) -> str:
    data = quopri.decodestring(value.encode("utf-8"))
    try:
        return data.decode(charset)
    except (LookupError, UnicodeDecodeError):
        return data.decode("cp1252", errors="replace")  # an unknown or wrong CHARSET: keep what can be read


def parse_content_line(text: str) -> VCardProperty | None:
    """Parse one unfolded content line.

    Parameters:
        text: e.g. ``item1.EMAIL;type=INTERNET;type=pref:ada@example.com``.

    Returns:
        The property, its quoted-printable value decoded with its CHARSET; None without a ``:``.
    """
    colons = _unquoted(text, ":")
    if not colons:
        return None
    head, value = text[: colons[0]], text[colons[0] + 1:]
    cuts = [-1, *_unquoted(head, ";"), len(head)]
    pieces = [head[a + 1: b] for a, b in zip(cuts, cuts[1:], strict=False)]
    params: dict[str, list[str]] = {}
    for piece in pieces[1:]:
        key, eq, val = piece.partition("=")
        if not eq:  # vCard 2.1 writes bare parameters: TEL;WORK;VOICE, EMAIL;QUOTED-PRINTABLE
            key, val = ("ENCODING" if piece.upper() in ("QUOTED-PRINTABLE", "BASE64", "8BIT") else "TYPE"), piece
        params.setdefault(key.strip().upper(), []).extend(v.strip().strip('"') for v in val.split(","))
    if any(v.upper() == "QUOTED-PRINTABLE" for v in params.get("ENCODING", [])):
        value = _decode_qp(value, (params.get("CHARSET") or ["utf-8"])[0])
    return VCardProperty(pieces[0].rsplit(".", 1)[-1].strip().upper(), params, value)


def _is_qp(text: str) -> bool:
    colons = _unquoted(text, ":")
    return bool(colons) and "QUOTED-PRINTABLE" in text[: colons[0]].upper()


def unfold(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    """Join folded lines: a line starting with a space or tab continues the previous one (RFC 6350);
    a quoted-printable value ending in ``=`` continues on the next line (vCard 2.1 soft break).

    Parameters:
        lines: the file's physical lines, without their ends (``files.physical_lines``).

    Returns:
        Non-blank logical lines with the physical line number each starts on, as they complete.
    """
    start, logical = 0, None
    for number, raw in enumerate(lines, 1):
        if logical is not None and logical.endswith("=") and _is_qp(logical):
            logical = logical[:-1] + raw
        elif logical is not None and raw[:1] in (" ", "\t"):
            logical += raw[1:]
        elif raw.strip():
            if logical is not None:
                yield start, logical
            start, logical = number, raw
    if logical is not None:
        yield start, logical


def read_vcards(lines: Iterable[str]) -> Iterator[VCard]:
    """The cards of a ``.vcf`` text, one at a time; lines outside cards are ignored.

    Parameters:
        lines: the file's physical lines, without their ends (any line ends, folded or not).

    Returns:
        The cards in file order, each once it ends; a card cut off by the end of the file or by the
        next ``BEGIN:VCARD`` has ``closed`` False.
    """
    current: VCard | None = None
    for number, line in unfold(lines):
        prop = parse_content_line(line)
        if prop is None:
            continue
        tag = prop.value.strip().upper()
        if prop.name == "BEGIN" and tag == "VCARD":
            if current is not None:
                yield current
            current = VCard(number)
        elif prop.name == "END" and tag == "VCARD" and current is not None:
            current.closed = True
            yield current
            current = None
        elif current is not None:
            current.properties.append(prop)
    if current is not None:
        yield current


_BINARY = ("PHOTO", "LOGO", "SOUND", "KEY")


def _profile(card: VCard) -> str | None:
    for prop in card.properties:
        if prop.name in ("URL", "X-SOCIALPROFILE", "X-LINKEDIN"):
            value = "".join(components(prop.value, None)).strip()  # Google writes https\\://
            url = linkedin_url(value.removeprefix("x-apple:"))
            user = prop.params.get("X-USER", [""])[0]
            if not url and user and "linkedin" in " ".join(prop.params.get("TYPE", [])).lower():
                url = linkedin_url(f"linkedin.com/in/{user}")  # Apple may give only the user name
            if url:
                return url
    return None


def _card_contact(card: VCard, report: ParsedFile) -> ContactRecord:
    n = [clean(p) for p in components(card.first("N") or "")]
    last, first = (n + [None, None])[:2]
    addresses = [components(v) for v in card.values("ADR")]
    adr = (addresses[0] if addresses else []) + [""] * 7
    org = components(card.first("ORG") or "")
    rev = [p.value for p in card.properties if p.name == "REV"][:1]
    return ContactRecord(
        ref=f"r{card.line}", row=card.line,
        name=display_name(card.first("FN")) or full_name(first, last), first_name=first, last_name=last,
        emails=emails(*card.values("EMAIL")), linkedin_url=_profile(card),
        phones=tuple(p for v in card.values("TEL") if (p := phone(v.strip().removeprefix("tel:")))),
        title=card.first("TITLE"), company=clean(org[0]),
        location=location(adr[3], adr[4], adr[6]),
        as_of=read_date(report, card.line, {"rev": rev[0]} if rev else {}, "rev"), fact=ADDRESS_BOOK,
    )


def _cap(card: VCard, report: ParsedFile, limits: Limits) -> None:
    for prop in card.properties:
        if prop.name not in _BINARY and len(prop.value) > limits.max_field_chars:
            report.warn(card.line, f"value over {limits.max_field_chars:,} characters truncated", column=prop.name)
            prop.value = prop.value[: limits.max_field_chars]


def parse_vcards(open_text: Callable[[], TextIO], report: ParsedFile, limits: Limits, *,
                 owner_email: str | None = None) -> None:
    """vCard 2.1, 3.0 or 4.0 (``.vcf``): one person per card, kept by the file's owner.

    Lines are unfolded, quoted-printable values decoded with their CHARSET, ``\\,`` ``\\;`` ``\\n``
    unescaped. FN (credentials such as ", CPA" dropped) or N gives the name; ORG's first component
    the company; EMAIL, TEL (also ``tel:`` URIs), URL / X-SOCIALPROFILE (LinkedIn) and CATEGORIES
    (tie kind) are read. ``row`` is the line of ``BEGIN:VCARD``. A company card (``KIND:org``, or
    Apple's ``X-ABShowAs:COMPANY`` without a person's N) gives an organisation, not a person; a
    person's card shown as a company keeps the person (named by N: Apple's FN is then the company).

    Parameters:
        open_text: opens the decoded file as a stream; cards are read one at a time.
        report: ``rows_read`` is set to the number of cards; receives contacts, ties (fact
            ``address-book``), warnings and rejections (no name, e-mail or profile URL; not a person).
        limits: card, field and name caps.
        owner_email: not needed: an address book is its owner's whoever that is (:data:`OWNER` ties).

    Returns:
        None; everything goes to ``report``.

    Raises:
        InputError: more cards than ``limits.max_rows``.
    """
    with open_text() as stream:
        for card in read_vcards(physical_lines(stream)):
            _read_card(card, report, limits)


def _read_card(card: VCard, report: ParsedFile, limits: Limits) -> None:
    report.rows_read += 1
    if report.rows_read > limits.max_rows:
        raise InputError(f"{report.name} has more than {limits.max_rows:,} cards; split it into smaller files.")
    _cap(card, report, limits)
    kind = (card.first("KIND") or "individual").lower()
    if kind in ("group", "location"):
        report.reject(card.line, f"not a person (KIND:{kind})", column="KIND")
        return
    if not card.closed:
        report.warn(card.line, "END:VCARD missing; the card was read up to the next card or the end")
    human = any(clean(p) for p in components(card.first("N") or "")[:2])  # a family or given name
    shown_as_company = (card.first("X-ABSHOWAS") or "").upper() == "COMPANY"
    if kind == "org" or (shown_as_company and not human):
        _read_company_card(card, report)
        return
    contact = _card_contact(card, report)
    if shown_as_company:  # Apple writes the company as FN of a person's card shown as the company
        contact.name = full_name(contact.first_name, contact.last_name)
    labels = [c for p in card.properties if p.name == "CATEGORIES" for c in components(p.value, ",")]
    _accept(report, limits, contact, labels)


def _read_company_card(card: VCard, report: ParsedFile) -> None:
    """A card for an organisation (vCard 4 ``KIND:org``, Apple's ``X-ABShowAs:COMPANY`` without a
    person's name): the organisation, with its web site's domain; no person and no tie."""
    name = clean(components(card.first("ORG") or "")[0]) or card.first("FN")
    if not name:
        report.reject(card.line, "organisation card without a name (ORG or FN)", column="ORG")
        return
    sites = [d for v in card.values("URL") if not linkedin_url(v) and (d := domain(v.removeprefix("x-apple:")))]
    report.companies.append(CompanyRecord(card.line, name, domains=tuple(dict.fromkeys(sites)), fact=ADDRESS_BOOK))


def _google_current(cells: list[str]) -> bool:
    # Columns only Google's export writes (one of them, whichever a re-save or a label-less export kept).
    return bool({"labels", "phonetic first name", "file as", "e-mail 1 - value"} & set(cells))


def _outlook_desktop(cells: list[str]) -> bool:
    # LinkedIn's pre-2017 Outlook-style export has "Business Country" but none of the desktop-only columns.
    return bool({"business country/region", "business country"} & set(cells))


CSV_FORMATS = [
    # Neither ``Labels`` nor (legacy) ``Group Membership`` is required: an export of contacts without
    # labels, or a file re-saved without that column, is still Google's, told by its own name columns.
    CsvFormat("google-contacts", "Google Contacts CSV",
              frozenset({"first name", "last name", "organization name"}), parse_google_contacts,
              accepts=_google_current),
    CsvFormat("google-contacts-legacy", "Google Contacts CSV (before 2021)",
              frozenset({"name", "given name", "additional name", "family name"}), parse_google_contacts),
    CsvFormat("outlook-contacts", "Outlook contacts CSV (desktop)",
              frozenset({"first name", "last name", "company", "job title", "e-mail address", "e-mail display name",
                         "categories", "profession", "referred by"}), parse_outlook_contacts,
              accepts=_outlook_desktop),
    CsvFormat("outlook-contacts-web", "Outlook contacts CSV (Outlook.com)",
              frozenset({"first name", "middle name", "last name", "title", "suffix", "nickname", "given yomi",
                         "surname yomi", "e-mail address", "company", "job title"}), parse_outlook_contacts),
]

TEXT_FORMATS = [TextFormat("vcard", "vCard (.vcf)", "BEGIN:VCARD", parse_vcards)]
