"""What a parser makes of one file: plain records with the file's own references, plus an exact report.

Parsers do not know the store or each other. They describe people as the file shows them
(``ContactRecord``), ties between those people or the file's owner (``TieRecord``), organisations,
target accounts and jobs; ``graphapp.service`` resolves who is who across files and the store and
writes the result. Every record carries the line number it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from graphapp.model import RelationshipKind
from ingest.spool import Spool

OWNER = "@owner"
"""A tie endpoint or job holder meaning the file's owner (the rep whose data it is)."""


ONE_ROW_PER_PERSON = frozenset({"connection", "contact", "contact-list", "crm-contact", "address-book", "invitation"})
"""The facts of files that list each person once (connections, contact lists, CRM and address-book
exports, invitations): two rows of one such file that are one person are a duplicate row, noted in the
report. In other files (meetings, messages, relationship sheets) a person has a row per event or tie."""


def rep_by_email(email: str) -> str:
    """A tie endpoint naming a rep by e-mail (team files: ``rep_email``, ``owner_rep_email``)."""
    return f"@rep-email:{email}"


def rep_by_name(name: str) -> str:
    """A tie endpoint naming a rep by name (CRM exports: ``Contact owner``)."""
    return f"@rep-name:{name}"


def is_rep_ref(ref: str) -> bool:
    return ref == OWNER or ref.startswith(("@rep-email:", "@rep-name:"))


@dataclass(slots=True)  # one per row: no per-object dict
class ContactRecord:
    """A person as one row of a file describes them. ``ref`` is unique within the file."""

    ref: str
    row: int
    name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    emails: tuple[str, ...] = ()  # normalised, lower-case
    linkedin_url: str | None = None  # canonical: https://www.linkedin.com/in/<slug>
    phones: tuple[str, ...] = ()
    title: str | None = None
    company: str | None = None  # current organisation as this row says
    company_domain: str | None = None
    location: str | None = None
    as_of: date | None = None  # when the row says this was true (the newest source's employer wins)
    fact: str = "contact"
    # Within one owner's archive a name alone may identify a person (files without URLs):
    name_only_in_archive: bool = False
    connected_on: date | None = None  # a LinkedIn connection's date: with the name, the same connection in any export


@dataclass(slots=True)  # one per row: no per-object dict
class TieRecord:
    """A relationship between two contacts (refs) or a contact and the owner (:data:`OWNER`)."""

    row: int
    a: str
    b: str
    kind: RelationshipKind
    fact: str
    count_out: int = 0  # interactions from a to b
    count_in: int = 0  # from b to a
    first_seen: date | None = None
    last_interaction: date | None = None
    profession: str | None = None
    reported_by: str | None = None  # the rep whose sheet says so, when neither end is that rep (e-mail)


@dataclass(slots=True)  # one per row: no per-object dict
class CompanyRecord:
    """An organisation a file names on its own (accounts, follows, targets)."""

    row: int
    name: str
    domains: tuple[str, ...] = ()
    is_customer: bool = False
    is_target: bool = False
    is_partner: bool = False
    fact: str = "organization"


@dataclass
class TargetRecord:
    """A target account from ``targets.csv``."""

    row: int
    account: str | None
    domain: str | None
    owner_rep_email: str | None
    priority: str = "medium"


@dataclass(slots=True)  # one per row: no per-object dict
class PositionRecord:
    """A job: the owner's (``who=OWNER``, from Positions.csv) or a contact's past or present one."""

    row: int
    who: str
    company: str
    title: str | None = None
    start: date | None = None
    end: date | None = None
    current: bool = True


@dataclass
class OwnerProfile:
    """Who the file's owner is, as far as the file tells (Profile.csv, messages' sender, vCard owner)."""

    name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    emails: tuple[str, ...] = ()
    linkedin_url: str | None = None
    headline: str | None = None
    location: str | None = None


@dataclass
class RowIssue:
    """A problem with one row (``row`` set) or the whole file (``row`` None)."""

    row: int | None
    column: str | None
    reason: str
    severity: str = "error"  # "error": the row was rejected; "warning": accepted with a change


@dataclass
class ParsedFile:
    """Everything one file contributed, and the exact account of what was accepted and rejected."""

    name: str
    size: int
    sha256: str
    format: str
    rows_read: int = 0
    issues: list[RowIssue] = field(default_factory=list)
    # Per-row records are spooled: a large file's are kept on disk, a block at a time (ingest.spool).
    contacts: Spool[ContactRecord] = field(default_factory=lambda: Spool(ContactRecord))
    ties: Spool[TieRecord] = field(default_factory=lambda: Spool(TieRecord))
    companies: list[CompanyRecord] = field(default_factory=list)
    targets: list[TargetRecord] = field(default_factory=list)
    positions: Spool[PositionRecord] = field(default_factory=lambda: Spool(PositionRecord))
    # The date the company and title of contacts without their own ``as_of`` were true (a Connections.csv:
    # the export's, known once the whole file is read; its rows' dates are when each connection was made).
    employers_as_of: date | None = None
    owner: OwnerProfile | None = None
    owner_email: str | None = None  # the rep the file belongs to, when the file itself says (calendar owner...)
    expected_owner: OwnerProfile | None = None  # who the user said the owner is, as far as known (a parser's hint)
    # Whether ``owner_email`` is the parser's guess (a calendar's name, the address it names most) rather
    # than the address the user gave for the file (``parse_source(..., owner=...)``): a guess is no
    # ground to create a rep.
    owner_guessed: bool = True
    team_file: bool = False  # rows name their own rep (relationships.csv, targets.csv): no single owner
    ignored: list[str] = field(default_factory=list)  # archive members not read, with the reason

    def reject(self, row: int | None, reason: str, column: str | None = None) -> None:
        self.issues.append(RowIssue(row, column, reason, "error"))

    def warn(self, row: int | None, reason: str, column: str | None = None) -> None:
        self.issues.append(RowIssue(row, column, reason, "warning"))

    @property
    def rows_rejected(self) -> int:
        return len({i.row for i in self.issues if i.severity == "error" and i.row is not None})

    @property
    def rows_accepted(self) -> int:
        return self.rows_read - self.rows_rejected

    @property
    def errors(self) -> list[RowIssue]:
        return [i for i in self.issues if i.severity == "error"]
