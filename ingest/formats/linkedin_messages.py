"""LinkedIn ``messages.csv``: whom the archive's owner wrote to and heard from, one tie per person.

Every header variant is read by column name: the 12/11/10/9-column files of 2021 onwards
(``FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,...``) and the 2020-and-earlier file
(``FROM,TO,DATE,SUBJECT,CONTENT,DIRECTION,FOLDER``, names only). The file does not say who its
owner is, so the owner is the participant present in the most rows (``DIRECTION`` decides when the
file has it). Messages are folded into per-pair counts while reading, so memory grows with the
number of people, not of messages.

Also holds the cell helpers :mod:`ingest.formats.linkedin` shares (dates, names, profile URLs).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter
from typing import NamedTuple

from graphapp.domain.identity import name_key
from graphapp.errors import InputError
from graphapp.model import RelationshipKind
from ingest.files import Limits, Table, column_names, column_positions, table_records
from ingest.formats.cells import clean, display_name, linkedin_url, parse_date, quote_value, split_credentials
from ingest.formats.spec import CsvFormat
from ingest.records import OWNER, ContactRecord, OwnerProfile, ParsedFile, TieRecord

DRAFT = "draft never sent"
SPONSORED = "sponsored message from 'LinkedIn Member': no person"
CLOSED_ACCOUNT = "message from 'LinkedIn Member' (a closed or hidden account): no person"
_MEMBER = "linkedin member"  # LinkedIn's stand-in for senders without a profile
_NAME = "name:"  # key prefix for participants known by name only


def row_date(report: ParsedFile, line: int, row: dict[str, str], column: str) -> date | None:
    """The date in ``row[column]``, or None; an unreadable date is dropped with a warning.

    Parameters:
        report: receives the warning.
        line: the row's line number.
        row: the row, keyed by lower-cased column name.
        column: the lower-cased column name.

    Returns:
        The date, or None when the cell is empty or not a date (the row is still accepted).
    """
    return cell_date(report, line, row.get(column), column)


def cell_date(report: ParsedFile, line: int, value: str | None, column: str) -> date | None:
    """:func:`row_date` of the cell ``value`` of ``column``."""
    try:
        return parse_date(value)
    except ValueError as exc:
        report.warn(line, f"{exc}; the row is kept without this date", column)
        return None


_KEPT_DATES = 4096


def kept_date(kept: dict[str, date], report: ParsedFile, line: int, value: str, column: str) -> date | None:
    """:func:`cell_date`, keeping a date read in ``kept`` (cell -> date: a file repeats its dates, so a
    reader looks there first). An unreadable cell is not kept: each row reports it."""
    found = cell_date(report, line, value, column)
    if found is not None:
        if len(kept) >= _KEPT_DATES:
            kept.clear()
        kept[value] = found
    return found


def capped_name(report: ParsedFile, line: int, limits: Limits, name: str | None, column: str | None) -> str | None:
    """``name`` cut to ``limits.max_name_chars`` (with a warning) so one odd cell cannot bloat the graph.

    Parameters:
        report: receives the warning.
        line: the row's line number.
        limits: ``max_name_chars`` applies.
        name: a cleaned name, or None.
        column: the column it came from, for the warning.

    Returns:
        The name, truncated when too long.
    """
    if name and len(name) > limits.max_name_chars:
        report.warn(line, f"name over {limits.max_name_chars} characters truncated", column)
        return name[: limits.max_name_chars]
    return name


def profile_url(report: ParsedFile, line: int, row: dict[str, str], column: str) -> str | None:
    """The canonical LinkedIn profile URL in ``row[column]``; anything else is dropped with a warning.

    Parameters:
        report: receives the warning.
        line: the row's line number.
        row: the row, keyed by lower-cased column name.
        column: the lower-cased column name.

    Returns:
        ``https://www.linkedin.com/in/<slug>``, or None.
    """
    text = clean(row.get(column))
    url = linkedin_url(text)
    if text and not url:
        report.warn(line, f"{quote_value(text)} is not a LinkedIn profile URL; ignored", column)
    return url


class _Person(NamedTuple):
    key: str  # the canonical URL, else "name:<name>"
    name: str | None
    url: str | None


def _person(name: str | None, url: str | None) -> _Person | None:
    """A participant, or None for nobody or for 'LinkedIn Member' without a profile (not a person)."""
    name, url = clean(name), linkedin_url(url)
    if url:
        return _Person(url, name, url)
    if not name or name.casefold() == _MEMBER:
        return None
    return _Person(_NAME + name, name, None)


def _recipient_names(text: str | None) -> list[str]:
    """``TO`` split on ``", "``, re-joining credential fragments ("Harold Fitch, CPA") to their name."""
    names: list[str] = []
    for part in (text or "").split(", "):
        part = clean(part) or ""
        rest, found = split_credentials(part)
        if names and found and rest == part:  # the whole fragment is a credential
            names[-1] = f"{names[-1]}, {part}"
        elif part:
            names.append(part)
    return names


def _split_recipients(names: str | None, urls: str | None, person=_person) -> list[_Person]:
    """The recipients of one message, pairing ``TO`` names with ``RECIPIENT PROFILE URLS`` in order.

    Parameters:
        names: the ``TO`` cell (names joined by ``", "``).
        urls: the ``RECIPIENT PROFILE URLS`` cell (joined by ``","``), or None when the file has none.
        person: :func:`_person` (or a function remembering its answers).

    Returns:
        The identifiable recipients; names are dropped when they cannot be paired with the URLs.
    """
    name_list = _recipient_names(names)
    url_list = [u.strip() for u in (urls or "").split(",") if u.strip()]
    if not url_list:
        pairs: list[tuple[str | None, str | None]] = [(n, None) for n in name_list]
    elif len(url_list) == len(name_list):
        pairs = list(zip(name_list, url_list, strict=True))
    elif len(url_list) == 1:
        pairs = [(clean(names), url_list[0])]  # one person whose name held an unexpected comma
    else:
        pairs = [(None, u) for u in url_list]  # the URLs identify; names come from their own messages
    found = [person(n, u) for n, u in pairs]
    return [p for p in found if p is not None]


@dataclass(slots=True)
class _Exchange:
    """Messages one participant sent another: how many (a message to n people counts 1/n for each), the
    date range, and the first line."""

    count: float = 0
    first: date | None = None
    last: date | None = None
    line: int = 0

    def merge(self, count: float, line: int, first: date | None, last: date | None) -> None:
        self.count += count
        self.line = min(self.line, line) if self.line and line else self.line or line
        if first:
            self.first = min(self.first, first) if self.first else first
        if last:
            self.last = max(self.last, last) if self.last else last

    def add(self, other: _Exchange) -> None:
        self.merge(other.count, other.line, other.first, other.last)


@dataclass
class _Conversations:
    """Per-pair message counts and per-participant row counts, built row by row."""

    exchanges: dict[tuple[str, str], _Exchange] = field(default_factory=dict)
    votes: Counter[str] = field(default_factory=Counter)  # rows each participant is the owner candidate in
    names: dict[str, str] = field(default_factory=dict)  # key -> name as written
    urls_of_name: dict[str, set[str]] = field(default_factory=dict)

    def add(self, line: int, sender: _Person, recipients: list[_Person], when: date | None, direction: str) -> None:
        names, urls_of_name, exchanges, votes = self.names, self.urls_of_name, self.exchanges, self.votes
        sender_key, name, url = sender
        if name:
            names[sender_key] = name  # a sender's name is never a split fragment: it wins
            if url:
                if name in urls_of_name:
                    urls_of_name[name].add(url)
                else:
                    urls_of_name[name] = {url}
        share = 1 / len(recipients) if len(recipients) > 1 else 1  # a group message counts less per person
        for key, name, url in recipients:
            if name:
                if key not in names:
                    names[key] = name
                if url:
                    if name in urls_of_name:
                        urls_of_name[name].add(url)
                    else:
                        urls_of_name[name] = {url}
            if key != sender_key:
                if (pair := (sender_key, key)) in exchanges:
                    exchanges[pair].merge(share, line, when, when)
                else:
                    exchanges[pair] = _Exchange(share, when, when, line)  # _Exchange().merge(share, line, when, when)
        if direction == "OUTGOING":
            votes[sender_key] += 1
            return
        if direction == "INCOMING":
            voters = [p.key for p in recipients]
        elif len(recipients) == 1:  # the common case: two participants (never the same key)
            votes[sender_key] += 1
            votes[recipients[0].key] += 1
            return
        else:
            voters = [sender_key, *(p.key for p in recipients)]
        for key in dict.fromkeys(voters):  # once per row; ordered, so ties break the same way every run
            votes[key] += 1

    def resolved(self) -> tuple[dict[tuple[str, str], _Exchange], Counter[str]]:
        """Exchanges and votes with name-only keys folded into the one profile URL seen with that name.

        The 9-column variant gives URLs for senders only, so the same person appears both ways.
        """
        alias = {_NAME + n: next(iter(u)) for n, u in self.urls_of_name.items() if len(u) == 1}
        if alias.keys().isdisjoint(self.names):
            # No participant key is aliased (a name-only key always has its name in ``names``): nothing
            # to fold. The exchanges are only read from here on.
            return self.exchanges, self.votes
        exchanges: dict[tuple[str, str], _Exchange] = {}
        for (a, b), exchange in self.exchanges.items():
            a, b = alias.get(a, a), alias.get(b, b)
            if a != b:
                exchanges.setdefault((a, b), _Exchange()).add(exchange)
        votes: Counter[str] = Counter()
        for key, count in self.votes.items():
            votes[alias.get(key, key)] += count
        return exchanges, votes


def _rejection(row: dict[str, str]) -> str | None:
    """Why a message row describes no exchange between people, or None."""
    if any((clean(row.get(c)) or "").lower() == "yes" for c in ("is message draft", "is conversation draft")):
        return DRAFT
    if (clean(row.get("from")) or "").casefold() == _MEMBER and not linkedin_url(row.get("sender profile url")):
        content = (row.get("content") or "").lower()
        sponsored = "sponsored" in (row.get("conversation title") or "").lower() or "spinmail" in content
        return SPONSORED if sponsored or "%firstname%" in content else CLOSED_ACCOUNT
    return None


_UNSEEN = _Person("", None, None)  # a cache answer meaning "not seen yet" (None is an answer)

# The cells parse_messages reads; a column the file lacks reads as empty, as a missing key does.
_MESSAGE_COLUMNS = ("is message draft", "is conversation draft", "from", "sender profile url", "to",
                    "recipient profile urls", "date", "direction")


class _Reader:
    """Reads the participants of a file's messages. The same people write row after row, so the people
    read from a (name, URL) pair and from a (``TO``, ``RECIPIENT PROFILE URLS``) pair are kept."""

    def __init__(self) -> None:
        self.people: dict[tuple[str | None, str | None], _Person | None] = {}
        self.senders: dict[tuple[str, str], tuple[bool, _Person | None]] = {}
        self.recipients: dict[tuple[str, str], list[_Person]] = {}
        self.yes: dict[str, bool] = {}

    def _is_yes(self, value: str) -> bool:
        """Whether a cell says yes (the answer kept for the next row)."""
        found = self.yes[value] = (clean(value) or "").lower() == "yes"
        return found

    def person(self, name: str | None, url: str | None) -> _Person | None:
        """:func:`_person`, remembered (a participant is sender and recipient alike)."""
        found = self.people.get((name, url), _UNSEEN)
        if found is _UNSEEN:
            found = self.people[(name, url)] = _person(name, url)
        return found

    def message(self, draft: str, conversation_draft: str, name: str, url: str, to: str, to_urls: str,
                names: list[str], values: list[str]) -> tuple[_Person, list[_Person]] | str:
        """The sender and recipients of one message row, or why the row is rejected.

        ``draft`` ... ``to_urls`` are the row's cells; ``names`` and ``values`` the whole row (for the
        rare rejections that read more of it).
        """
        yes = self.yes
        if (yes[draft] if draft in yes else self._is_yes(draft)) or (
                yes[conversation_draft] if conversation_draft in yes else self._is_yes(conversation_draft)):
            return DRAFT
        known = self.senders[pair] if (pair := (name, url)) in self.senders else None
        if known is None:
            member = (clean(name) or "").casefold() == _MEMBER and not linkedin_url(url)
            known = self.senders[(name, url)] = (member, None if member else self.person(name, url))
        member, sender = known
        if member:
            return _rejection(dict(zip(names, values, strict=False))) or CLOSED_ACCOUNT  # values may end with an added ""
        if sender is None:
            return "no sender: no name or profile URL"
        split = self.recipients[pair] if (pair := (to, to_urls)) in self.recipients else None
        if split is None:
            split = self.recipients[(to, to_urls)] = _split_recipients(to, to_urls, self.person)
        key = sender.key
        recipients = [p for p in split if p.key != key]
        if not recipients:
            return "no recipient with a name or profile URL"
        return sender, recipients


def parse_messages(table: Table, report: ParsedFile, limits: Limits) -> None:
    """Read ``messages.csv`` into one contact and one MESSAGED tie per person the owner exchanged with.

    Parameters:
        table: the file's table (any header variant).
        report: receives contacts, ties, the detected ``owner`` and row issues.
        limits: row and field caps.

    Returns:
        None. Drafts and 'LinkedIn Member' mail are rejected; messages between two people other than
        the owner (group chats) are accepted but make no tie.
    """
    conversations = _Conversations()
    reader = _Reader()
    names = column_names(table)
    positions = column_positions(table)
    cells = itemgetter(*(positions.get(c, len(names)) for c in _MESSAGE_COLUMNS))  # past the end: the "" added
    dates: dict[str, date] = {}
    for line, values in table_records(table, report, limits):
        values.append("")
        draft, conversation_draft, name, url, to, to_urls, when, direction = cells(values)
        message = reader.message(draft, conversation_draft, name, url, to, to_urls, names, values)
        if isinstance(message, str):
            report.reject(line, message)
            continue
        sender, recipients = message
        day = dates.get(when) or kept_date(dates, report, line, when, "date")
        conversations.add(line, sender, recipients, day, (clean(direction) or "").upper() if direction else "")
    _emit(conversations, report, limits)


def _url(key: str) -> str | None:
    return None if key.startswith(_NAME) else key


def _pick_owner(votes: Counter[str], report: ParsedFile, names: dict[str, str]) -> str:
    """The file's owner: the one participant in the most conversations. When two or more tie, the one who
    is the rep the user named (by LinkedIn URL, else by name); else nobody: the file is refused rather
    than read as someone else's (that would rebind the rep and make the real owner a contact).

    Raises:
        InputError: the owner is unclear and none of those who tie is the rep the user named.
    """
    (owner, top), *_ = votes.most_common(1)
    tied = [key for key, n in votes.items() if n == top]
    if len(tied) == 1:
        return owner
    expected = report.expected_owner
    if expected is not None:
        by_url = [k for k in tied if expected.linkedin_url and _url(k) == expected.linkedin_url]
        wanted = name_key(expected.name) if expected.name and "@" not in expected.name else None
        by_name = [k for k in tied if wanted and name_key(display_name(names.get(k))) == wanted]
        if len(by_url) == 1 or (not by_url and len(by_name) == 1):
            return (by_url or by_name)[0]
    shown = " and ".join(quote_value(display_name(names.get(k)) or _url(k) or k) for k in sorted(tied)[:3])
    raise InputError(f"{report.name}: the file's owner is unclear: {shown} are in as many conversations; import it "
                     "with --owner naming the rep whose file it is (a rep whose name or LinkedIn profile the graph knows)")


def _by_counterpart(exchanges: dict[tuple[str, str], _Exchange], owner: str) -> tuple[dict[str, _Exchange], ...]:
    """Messages the owner sent to, and received from, each other person; pairs without the owner drop out."""
    sent: dict[str, _Exchange] = {}
    received: dict[str, _Exchange] = {}
    overall: dict[str, _Exchange] = {}
    for (a, b), exchange in exchanges.items():
        if owner not in (a, b):
            continue  # two other people in a group chat: not the owner's tie
        other, side = (b, sent) if a == owner else (a, received)
        total = side.get(other)
        if total is None:  # _Exchange().add(exchange)
            side[other] = _Exchange(exchange.count, exchange.first, exchange.last, exchange.line)
        else:
            total.add(exchange)
        total = overall.get(other)
        if total is None:
            overall[other] = _Exchange(exchange.count, exchange.first, exchange.last, exchange.line)
        else:
            total.add(exchange)
    return sent, received, overall


def _messages(exchange: _Exchange | None) -> int:
    """Whole messages: group messages (1/n each) rounded up, so one group message counts as one."""
    return math.ceil(round(exchange.count, 6)) if exchange else 0


def _emit(conversations: _Conversations, report: ParsedFile, limits: Limits) -> None:
    """Owner profile, then a contact for every person the owner exchanged messages with, and a MESSAGED tie
    for those who wrote to the owner: messages both ways make a relationship, inbound only a weak one
    (scoring's ``one_way_weight``); messages only from the owner (a cold InMail) make none."""
    exchanges, votes = conversations.resolved()
    if not votes:
        return
    names = conversations.names
    owner = _pick_owner(votes, report, names)
    report.owner = OwnerProfile(name=display_name(names.get(owner)), linkedin_url=_url(owner))
    sent, received, overall = _by_counterpart(exchanges, owner)
    contacts, ties, messaged, max_name = report.contacts, report.ties, RelationshipKind.MESSAGED, limits.max_name_chars
    unanswered = 0
    for n, (line, key) in enumerate(sorted([(both.line, key) for key, both in overall.items()]), start=1):
        both, ref, url = overall[key], f"m{n}", _url(key)
        name = display_name(names.get(key))
        if name and len(name) > max_name:
            name = capped_name(report, line, limits, name, "from")
        contacts.append(ContactRecord(ref=ref, row=line, name=name, linkedin_url=url, fact="message",
                                      name_only_in_archive=url is None))
        out, back = sent.get(key), received.get(key)
        if back is None:
            unanswered += 1
            continue  # only the owner wrote (a cold InMail): the person is known, there is no relationship
        ties.append(TieRecord(
            row=line, a=OWNER, b=ref, kind=messaged, fact="message",
            count_out=_messages(out), count_in=_messages(back),
            first_seen=both.first, last_interaction=both.last,
        ))
    if unanswered:
        report.warn(None, f"{unanswered:,} person(s) only received messages from the owner and never wrote back (cold "
                          "InMails): they are kept, but make no relationship and no warm path")


MESSAGES_FORMAT = CsvFormat(
    name="linkedin-messages",
    label="LinkedIn messages.csv",
    # Common to every era; URL, draft and attachment columns come and go.
    signature=frozenset({"from", "to", "date", "subject", "content", "folder"}),
    parse=parse_messages,
)
