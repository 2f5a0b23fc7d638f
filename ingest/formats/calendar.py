"""iCalendar (``.ics``) exports: every person at a meeting that took place is met by the calendar's owner.

One *attendee entry* (an ``ATTENDEE`` line of a non-cancelled event, or its ``ORGANIZER``, other than
the owner) that did not decline or leave the invitation unanswered, in an event the owner did not
decline or leave unanswered, gives a contact and a ``MET`` tie from the owner, dated by the event's
``DTSTART``: ``count_out=1`` when the meeting counts in full (both accepted, fewer than
:data:`LARGE_MEETING` people), else ``count_in=1`` (tentative, no answer recorded, large meeting;
``weak_meeting_weight`` in scoring). People at the owner's company domain in a recurring event are
``TEAMMATE`` ties instead. Rows are the physical line each entry starts on, so a report points at the line a user can
find in the file. The owner is the address the user gave for the file; without one, the parser's guess
(``ParsedFile.owner_guessed``). Names come from ``CN`` only.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from graphapp.domain.identity import is_free_mail, normalize_email
from graphapp.errors import InputError
from graphapp.model import RelationshipKind
from ingest.files import Limits, physical_lines
from ingest.formats.cells import clean, display_name, email, quote_value
from ingest.formats.spec import TextFormat
from ingest.records import OWNER, ContactRecord, ParsedFile, TieRecord

_ROOM_TYPES = ("RESOURCE", "ROOM")
# Addresses that are calendars, rooms or call links, not people: Google's rooms and shared, birthday
# ("Contacts") and holiday calendars, and the ``@virtual`` addresses some clients give a video call.
_NOT_A_PERSON_HOSTS = ("resource.calendar.google.com", "group.calendar.google.com", "group.v.calendar.google.com",
                       "virtual")
_RELAY_HOST = "privaterelay.appleid.com"  # an iCloud "Hide My Email" address: it names nobody's own mailbox


@dataclass
class Property:
    """One unfolded content line: ``NAME;PARAM=value:value``, with the line it starts on."""

    name: str  # upper-case
    params: dict[str, str]  # upper-case keys, quotes removed
    value: str
    line: int


@dataclass
class Event:
    """The properties directly inside one ``VEVENT`` (not those of a nested ``VALARM``)."""

    line: int
    props: list[Property] = field(default_factory=list)

    def first(self, name: str) -> Property | None:
        """The first property called ``name`` (upper-case), or None."""
        return next((p for p in self.props if p.name == name), None)

    def all(self, name: str) -> list[Property]:
        """Every property called ``name`` (upper-case), in file order."""
        return [p for p in self.props if p.name == name]


@dataclass
class Calendar:
    """The calendar-level properties of one ``.ics`` text, known once its events have all been read."""

    props: dict[str, str] = field(default_factory=dict)
    truncated: bool = False


@dataclass
class Entry:
    """One person (or room) an event names, as the ATTENDEE or ORGANIZER line writes them."""

    line: int
    email: str | None
    name: str | None
    cutype: str
    partstat: str  # ACCEPTED, TENTATIVE, DECLINED, NEEDS-ACTION, DELEGATED...; "" when the line has none
    column: str  # ATTENDEE or ORGANIZER
    host: str = ""  # the address's domain as written (lower-case), also when it is no valid e-mail address


def unfold(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    """Logical content lines with the physical line each starts on (RFC 5545 §3.1).

    Parameters:
        lines: the file's physical lines without their ends (``files.physical_lines``: CRLF, LF or
            CR end a line; a form feed or U+2028 inside a value does not).

    Returns:
        ``(line number, logical line)`` pairs, as they complete; a line starting with a space or tab
        continues the previous one.
    """
    start, logical = 0, None
    for number, physical in enumerate(lines, start=1):
        if physical[:1] in (" ", "\t") and logical is not None:
            logical += physical[1:]
        elif physical.strip():
            if logical is not None:
                yield start, logical
            start, logical = number, physical
    if logical is not None:
        yield start, logical


def parse_property(text: str, line: int) -> Property | None:
    """Split a content line into name, parameters and value; None when it has no ``:`` outside quotes.

    Parameters:
        text: one unfolded content line.
        line: the physical line it starts on.

    Returns:
        The property, or None for a line that is not one.
    """
    if '"' not in text:  # no quoted parameter value: the first colon ends name and parameters
        colon = text.find(":")
        if colon < 0:
            return None
        name, *params = text[:colon].split(";")
        return Property(name.strip().upper(), _params(params), text[colon + 1:], line)
    parts: list[str] = []
    start, quoted = 0, False
    for i, ch in enumerate(text):
        if ch == '"':
            quoted = not quoted  # a quoted parameter value may hold ; : and , (CN="Doe, John")
        elif not quoted and ch in ";:":
            parts.append(text[start:i])
            start = i + 1
            if ch == ":":
                return Property(parts[0].strip().upper(), _params(parts[1:]), text[i + 1 :], line)
    return None


def _params(raw: list[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in raw:
        key, _, value = item.partition("=")
        # RFC 6868 escapes (^' ^n ^^) are the only way a parameter value can hold a quote or newline.
        value = value.replace('"', "")
        if "^" in value:
            value = re.sub(r"\^([\^n'])", lambda m: {"^": "^", "n": "\n", "'": '"'}[m.group(1)], value)
        params[key.strip().upper()] = value
    return params


def read_events(lines: Iterable[str], calendar: Calendar) -> Iterator[Event]:
    """The events of an iCalendar text, one at a time; the calendar-level properties go to ``calendar``.

    Parameters:
        lines: the file's physical lines, without their ends.
        calendar: receives the calendar's own properties, and ``truncated`` when the text ends
            inside a component (both complete once every event has been read).

    Returns:
        Each ``VEVENT`` as it ends (one cut off by the end of the text, last).
    """
    stack: list[str] = []
    event: Event | None = None
    for line, raw in unfold(lines):
        prop = parse_property(raw, line)
        if prop is None:
            continue
        if prop.name in ("BEGIN", "END"):
            component = prop.value.strip().upper()
            if prop.name == "BEGIN":
                stack.append(component)
                if component == "VEVENT":
                    event = Event(line)
            elif component in stack:
                while stack and stack.pop() != component:
                    pass  # an END that closes unclosed inner components closes them too
                if component == "VEVENT" and event is not None:
                    yield event
                    event = None
        elif stack == ["VCALENDAR"]:
            calendar.props.setdefault(prop.name, prop.value)
        elif event is not None and stack[-1:] == ["VEVENT"]:
            event.props.append(prop)  # properties of a nested VALARM (its e-mail ATTENDEE) are not the event's
    calendar.truncated = bool(stack)
    if event is not None:
        yield event


def _entry(prop: Property) -> Entry:
    cn = display_name(prop.params.get("CN"))
    return Entry(
        line=prop.line,
        email=email(prop.value),  # normalize_email drops the mailto: scheme
        # Google writes the address as CN when it knows no name: that is no name (nor is its local part).
        name=None if cn and "@" in cn and email(cn) else cn,
        cutype=prop.params.get("CUTYPE", "INDIVIDUAL").strip().upper(),
        partstat=prop.params.get("PARTSTAT", "").strip().upper(),  # "": the file records no answer
        column=prop.name,
        host=prop.value.strip().rpartition("@")[2].rstrip(">").lower() if "@" in prop.value else "",
    )


def event_entries(event: Event) -> list[Entry]:
    """Everyone the event names: its attendees, plus the organizer when not also listed as an attendee.

    Google lists the organizer among the attendees; other exports (Outlook) often do not, and an
    outside organizer who invited the owner was at the meeting all the same.

    Parameters:
        event: one VEVENT.

    Returns:
        The entries in file order.
    """
    entries = [_entry(p) for p in event.all("ATTENDEE")]
    organizer = event.first("ORGANIZER")
    if organizer is not None:
        entry = _entry(organizer)
        if entry.email and entry.email not in {e.email for e in entries}:
            entries.insert(0, entry)
    return entries


def calendar_owner(calendar: Calendar, people: Counter[str]) -> str | None:
    """The owner's e-mail as far as the file tells: ``X-WR-CALNAME`` when it is an address, else the
    person most events name, when one is named more often than anyone else. A guess, used only when the
    user did not say whose calendar it is.

    Parameters:
        calendar: the calendar's own properties.
        people: how many events with two or more people name each person's e-mail (see
            :func:`owner_candidates`), over every event.

    Returns:
        A normalised e-mail address, or None when the file names nobody or nobody first.
    """
    named = email(calendar.props.get("X-WR-CALNAME"))
    if named and not named.endswith("@" + _RELAY_HOST):
        return named
    top = people.most_common(2)
    if not top or (len(top) == 2 and top[0][1] == top[1][1]):
        return None  # nobody, or a tie: no one stands out as the calendar's owner
    return top[0][0]


def owner_candidates(entries: list[Entry]) -> list[str]:
    """The addresses of an event that may be its calendar's owner: people (no rooms or pseudo-attendees,
    no relay addresses) of an event that names two or more of them; a lone attendee is the owner's guest.

    Parameters:
        entries: everyone the event names (:func:`event_entries`).

    Returns:
        Normalised e-mail addresses, each once.
    """
    people = {e.email for e in entries if e.email and _not_a_person(e) is None and e.host != _RELAY_HOST}
    return sorted(people) if len(people) >= 2 else []


def event_date(prop: Property | None, zone: str | None) -> date | None:
    """The calendar date an event starts on.

    ``TZID=`` and floating times are dated as written (the local day); a UTC time (``Z``) is moved
    to the calendar's own time zone when it is known, so an evening meeting keeps its day.

    Parameters:
        prop: the DTSTART property (None when the event has none).
        zone: the calendar's ``X-WR-TIMEZONE``, if any.

    Returns:
        The date, or None without DTSTART.

    Raises:
        ValueError: DTSTART is not a date or date-time.
    """
    if prop is None:
        return None
    match = re.fullmatch(r"(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?(Z?))?", prop.value.strip())
    if not match:
        raise ValueError(f"DTSTART {quote_value(prop.value)} is not a date")
    year, month, day, hour, minute, second, utc = match.groups()
    day_of = date(int(year), int(month), int(day))  # ValueError for 20250230
    if not utc:
        return day_of
    moment = datetime(day_of.year, day_of.month, day_of.day, int(hour), int(minute), int(second or 0), tzinfo=UTC)
    try:
        return moment.astimezone(ZoneInfo(zone)).date() if zone else moment.date()
    except (ZoneInfoNotFoundError, ValueError):
        return moment.date()


def _not_a_person(entry: Entry) -> str | None:
    """Why an entry is a room, a calendar or a list rather than a person (None: it may be one)."""
    if entry.cutype in _ROOM_TYPES:
        return f"room: CUTYPE={entry.cutype}, not a person"
    if entry.host.startswith("resource.calendar."):  # Google's rooms, even where CUTYPE is missing
        return "room: CUTYPE=RESOURCE, not a person"
    if entry.host in _NOT_A_PERSON_HOSTS or entry.host.endswith(".calendar.google.com"):
        return f"not a person: {quote_value('@' + entry.host, quotes=False)} is a calendar or a call, not someone's address"
    if entry.cutype == "GROUP":
        return "group: CUTYPE=GROUP, a mailing list, not a person"
    if entry.cutype == "UNKNOWN":
        return "CUTYPE=UNKNOWN: not known to be a person"
    return None


LARGE_MEETING = 10
"""An event naming this many people or more (the owner included) is a large meeting: each person in it
counts as a meeting that counts less (``weak_meeting_weight``)."""

_OWNER_ABSENT = {"DECLINED": "the calendar's owner declined the meeting",
                 "NEEDS-ACTION": "the calendar's owner did not answer the invitation: no meeting is known to have taken place",
                 "DELEGATED": "the calendar's owner delegated the meeting to someone else"}


def _rejection(entry: Entry, cancelled: bool, owner_status: str) -> str | None:
    not_a_person = _not_a_person(entry)
    if not_a_person and not_a_person.startswith("room"):
        return not_a_person
    if cancelled:
        return "attendee of the cancelled event: no meeting took place"
    if not_a_person:
        return not_a_person
    if owner_status in _OWNER_ABSENT:
        return _OWNER_ABSENT[owner_status]
    if entry.partstat == "DECLINED":
        return "declined the meeting"
    if entry.partstat == "NEEDS-ACTION":
        return "did not answer the invitation: no meeting is known to have taken place"
    if entry.partstat == "DELEGATED":
        return "delegated the meeting to someone else"
    if not entry.email and not entry.name:
        return "no person: no name or e-mail address"
    return None


def _counts_fully(entry: Entry, owner_status: str, people: int) -> bool:
    """Whether the meeting counts in full with this person: both accepted (an organiser's acceptance is
    the owner's: the organiser was there if the owner was) and fewer than :data:`LARGE_MEETING` people.
    Tentative answers, lines that record no answer and large meetings count less."""
    answer = owner_status if entry.column == "ORGANIZER" and not entry.partstat else entry.partstat
    return answer == "ACCEPTED" and owner_status in ("ACCEPTED", "") and people < LARGE_MEETING


def _dated(event: Event, zone: str | None, report: ParsedFile) -> date | None:
    start = event.first("DTSTART")
    try:
        day = event_date(start, zone)
    except ValueError as exc:
        report.warn(start.line if start else event.line, f"{exc}; the meeting is kept without a date", "DTSTART")
        return None
    if start is None:
        report.warn(event.line, "event without DTSTART; the meeting is kept without a date", "DTSTART")
    return day


def _accept(entry: Entry, day: date | None, report: ParsedFile, limits: Limits, *, full: bool,
            kind: RelationshipKind) -> None:
    name = entry.name
    if name and len(name) > limits.max_name_chars:
        report.warn(entry.line, f"name over {limits.max_name_chars} characters truncated", entry.column)
        name = name[: limits.max_name_chars]
    ref = f"attendee-{entry.line}"  # one line per entry, so unique within the file
    report.contacts.append(
        ContactRecord(ref=ref, row=entry.line, name=name, emails=(entry.email,) if entry.email else (),
                      as_of=day, fact="meeting")
    )
    report.ties.append(
        TieRecord(row=entry.line, a=OWNER, b=ref, kind=kind, fact="meeting", count_out=1 if full else 0,
                  count_in=0 if full else 1, first_seen=day, last_interaction=day)
    )


def parse_icalendar(open_text: Callable[[], TextIO], report: ParsedFile, limits: Limits, *,
                    owner_email: str | None = None) -> None:
    """Read meetings from an iCalendar export into ``report``.

    A recurring event counts as one meeting at its DTSTART; changed instances of a series
    (``RECURRENCE-ID``) are not counted again. The owner is skipped and not counted; everyone else an
    event names (its organiser too) is met by the owner, unless either of them declined or left the
    invitation unanswered (module docstring: which meetings count less). Rooms, calendars (Google's birthday "Contacts",
    holidays, shared calendars), call links, groups and CUTYPE=UNKNOWN are no people.

    The text is read twice, an event at a time: first for what the whole calendar decides (its time
    zone; its owner, when not given; whether it is cut short), then for the meetings.

    Parameters:
        open_text: opens the decoded ``.ics`` file as a stream (called twice).
        report: receives contacts, ties, ``owner_email`` (with ``owner_guessed``), ``rows_read`` and issues.
        limits: ``max_rows`` and ``max_name_chars`` apply.
        owner_email: whose calendar the user said it is. Without it the owner is guessed (see
            :func:`calendar_owner`) and ``report.owner_guessed`` says so.

    Returns:
        None; everything goes into ``report``.

    Raises:
        InputError: more attendee entries than ``limits.max_rows``; an ``owner_email`` that is no address.
    """
    given = normalize_email(owner_email) if owner_email else None
    calendar, people, instances = Calendar(), Counter(), 0
    with open_text() as stream:
        for event in read_events(physical_lines(stream), calendar):
            if event.first("RECURRENCE-ID"):
                instances += 1
            if given is None and not email(calendar.props.get("X-WR-CALNAME")):  # who it names most may own it
                people.update(owner_candidates(event_entries(event)))
    owner = given or calendar_owner(calendar, people)
    del people
    report.owner_email, report.owner_guessed = owner, given is None
    zone = clean(calendar.props.get("X-WR-TIMEZONE"))
    if calendar.truncated:
        report.warn(None, "the file ends inside an event or calendar; it may be cut short")
    if instances:
        report.warn(None, f"{instances} changed instance(s) of recurring events not counted as separate meetings")
    with open_text() as stream:
        for event in read_events(physical_lines(stream), Calendar()):
            if not event.first("RECURRENCE-ID"):
                _read_event(event, owner, zone, report, limits)


def _read_event(event: Event, owner: str | None, zone: str | None, report: ParsedFile, limits: Limits) -> None:
    everyone = event_entries(event)
    entries = [e for e in everyone if not (owner and e.email == owner)]
    if not entries:
        return  # the owner's own appointments: nobody met
    mine = [e for e in everyone if owner and e.email == owner]
    # The owner's answer: as an attendee; as the organiser (no answer of their own), it is their meeting.
    owner_status = next((e.partstat for e in mine if e.column == "ATTENDEE"), "ACCEPTED" if mine else "")
    status = event.first("STATUS")
    cancelled = status is not None and status.value.strip().upper() == "CANCELLED"
    people = sum(1 for e in everyone if _not_a_person(e) is None)
    internal = _internal_domain(owner) if event.first("RRULE") else None
    day = _dated(event, zone, report)
    for entry in entries:
        report.rows_read += 1
        if report.rows_read > limits.max_rows:
            raise InputError(f"{report.name} has more than {limits.max_rows:,} attendees; split the calendar.")
        reason = _rejection(entry, cancelled, owner_status)
        if reason:
            report.reject(entry.line, reason, entry.column)
        else:
            teammate = internal is not None and entry.host == internal
            _accept(entry, day, report, limits, full=_counts_fully(entry, owner_status, people),
                    kind=RelationshipKind.TEAMMATE if teammate else RelationshipKind.MET)


def _internal_domain(owner: str | None) -> str | None:
    """The owner's company domain, whose people at a recurring meeting are teammates (None: free mail)."""
    host = owner.rpartition("@")[2] if owner else ""
    return host if host and not is_free_mail(host) else None


TEXT_FORMATS = [TextFormat("icalendar", "iCalendar (.ics)", "BEGIN:VCALENDAR", parse_icalendar)]
