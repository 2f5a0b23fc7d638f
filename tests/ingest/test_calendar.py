"""The iCalendar importer on the real sample calendar and on small invented calendars."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pytest

from graphapp.model import RelationshipKind
from ingest.files import Limits, Source, decode, physical_lines, read_source, text_lines
from ingest.formats.calendar import TEXT_FORMATS, event_date, parse_property, unfold
from ingest.records import OWNER, ParsedFile
from tests.ingest.helpers import SAMPLES

FMT = {f.name: f for f in TEXT_FORMATS}["icalendar"]
OWNER_EMAIL = "dana.owner@example.com"


def parse_source(source: Source) -> ParsedFile:
    report = ParsedFile(source.name, source.size, source.sha256, FMT.name)
    text = decode(source)
    assert text.text.lstrip("\ufeff \r\n\t").upper().startswith(FMT.marker)
    FMT.parse(text.open, report, Limits())
    return report


def fold(line: str) -> str:
    """Fold a content line at 75 octets the way exporters do (CRLF + one space)."""
    out, current = [], b""
    for ch in line:
        encoded = ch.encode("utf-8")
        if len(current) + len(encoded) > 75:
            out.append(current.decode("utf-8"))
            current = b" "
        current += encoded
    out.append(current.decode("utf-8"))
    return "\r\n".join(out)


def ics(*events: list[str], calname: str | None = OWNER_EMAIL, zone: str | None = None) -> ParsedFile:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Example//Test//EN"]
    if calname:
        lines.append(f"X-WR-CALNAME:{calname}")
    if zone:
        lines.append(f"X-WR-TIMEZONE:{zone}")
    for body in events:
        lines += ["BEGIN:VEVENT", *body, "END:VEVENT"]
    lines.append("END:VCALENDAR")
    text = "\r\n".join(fold(line) for line in lines) + "\r\n"
    return parse_source(Source("test.ics", text.encode("utf-8")))


def attendee(address: str, cn: str | None = None, partstat: str = "ACCEPTED", cutype: str = "INDIVIDUAL") -> str:
    name = f";CN={cn}" if cn else ""
    return f"ATTENDEE;CUTYPE={cutype};ROLE=REQ-PARTICIPANT;PARTSTAT={partstat}{name};X-NUM-GUESTS=0:mailto:{address}"


ME = attendee(OWNER_EMAIL, "Dana Owner")


def reasons(report: ParsedFile) -> list[str]:
    return [i.reason for i in report.errors]


# --- the sample calendar -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample() -> ParsedFile:
    return parse_source(read_source(SAMPLES / "calendar.ics"))


def test_sample_counts_and_reasons(sample):
    assert (sample.rows_read, sample.rows_accepted, sample.rows_rejected) == (12, 8, 4)
    assert sorted(reasons(sample)) == [
        "attendee of the cancelled event: no meeting took place",
        "did not answer the invitation: no meeting is known to have taken place",
        "did not answer the invitation: no meeting is known to have taken place",
        "room: CUTYPE=RESOURCE, not a person",
    ]
    assert [i for i in sample.issues if i.severity == "warning"] == []


def test_sample_owner_is_the_calendar_name_and_is_skipped(sample):
    assert sample.owner_email == "theo.marchbanks@tidewell.example.com"
    assert all(sample.owner_email not in c.emails for c in sample.contacts)


def test_sample_room_is_rejected_on_its_attendee_line(sample):
    room = next(i for i in sample.errors if i.reason.startswith("room"))
    text = (SAMPLES / "calendar.ics").read_text(encoding="utf-8").splitlines()
    assert text[room.row - 1].startswith("ATTENDEE;CUTYPE=RESOURCE")
    assert not any("resource.calendar" in e for c in sample.contacts for e in c.emails)


def test_sample_contacts_and_met_ties(sample):
    by_email = {c.emails[0]: c for c in sample.contacts}
    assert len(by_email) == 8 and len(sample.ties) == 8
    assert "nick.penrose@pemaquidtextiles.example.net" not in by_email  # cancelled
    assert by_email["hfitch@ostrandervail.example.com"].name == "Harold Fitch"  # CN="Fitch, Harold", folded
    assert by_email["jihyun.kim@hanul-semi.example.com"].name == "김지현"  # folded between UTF-8 characters
    assert by_email["kate.ashdown@brackenridge.example.com"].as_of == date(2025, 9, 18)
    # The monthly coffee counts once, at its DTSTART.
    assert by_email["magnus@keystoneridge.example.com"].as_of == date(2025, 1, 9)
    tentative = {"ignatius.sayle@brackenridge.example.com"}
    assert tentative <= set(by_email)
    for contact, tie in zip(sample.contacts, sample.ties, strict=True):
        full = contact.emails[0] not in tentative  # a tentative answer counts less (count_in)
        assert (tie.a, tie.b, tie.kind, tie.fact, tie.count_out, tie.count_in) == (
            OWNER, contact.ref, RelationshipKind.MET, "meeting", int(full), int(not full))
        assert tie.first_seen == tie.last_interaction == contact.as_of
        assert contact.fact == "meeting"
    assert len({c.ref for c in sample.contacts}) == 8


# --- small calendars -----------------------------------------------------------------------------


def test_quoted_cn_with_comma_semicolon_and_colon():
    report = ics(["DTSTART:20250301T100000", ME,
                  attendee("jane.doe@example.com", '"Doe, Jane"'),
                  attendee("lee@example.com", '"Lee; Acme: Sales"')])
    names = {c.emails[0]: c.name for c in report.contacts}
    assert names == {"jane.doe@example.com": "Jane Doe", "lee@example.com": "Lee; Acme: Sales"}


def test_all_day_event_with_value_date():
    report = ics(["DTSTART;VALUE=DATE:20250415", ME, attendee("pat@example.com", "Pat Example")])
    assert report.contacts[0].as_of == date(2025, 4, 15)
    assert report.ties[0].first_seen == date(2025, 4, 15)


def test_tzid_date_is_the_local_day_as_written():
    report = ics(["DTSTART;TZID=Asia/Seoul:20250102T083000", ME, attendee("kim@example.com", "Kim")])
    assert report.contacts[0].as_of == date(2025, 1, 2)


def test_utc_time_is_moved_to_the_calendar_time_zone():
    try:
        ZoneInfo("America/New_York")
    except ZoneInfoNotFoundError:
        pytest.skip("no time zone data on this machine")
    report = ics(["DTSTART:20250103T020000Z", ME, attendee("kim@example.com", "Kim")], zone="America/New_York")
    assert report.contacts[0].as_of == date(2025, 1, 2)
    report = ics(["DTSTART:20250103T020000Z", ME, attendee("kim@example.com", "Kim")])
    assert report.contacts[0].as_of == date(2025, 1, 3)


def test_declined_attendee_is_rejected():
    report = ics(["DTSTART:20250301T100000", ME,
                  attendee("no@example.com", "Noah No", partstat="DECLINED"),
                  attendee("maybe@example.com", "May Be", partstat="TENTATIVE")])
    assert (report.rows_read, report.rows_accepted) == (2, 1)
    assert reasons(report) == ["declined the meeting"]
    assert report.contacts[0].emails == ("maybe@example.com",)


def test_cancelled_event_rejects_every_attendee_but_the_owner():
    report = ics(["DTSTART:20250301T100000", "STATUS:CANCELLED", ME,
                  attendee("a@example.com", "A"), attendee("b@example.com", "B", partstat="DECLINED")])
    assert (report.rows_read, report.rows_rejected) == (2, 2)
    assert set(reasons(report)) == {"attendee of the cancelled event: no meeting took place"}


def test_rooms_by_cutype_or_google_resource_address():
    report = ics(["DTSTART:20250301T100000", ME,
                  attendee("room-1@example.com", "Room 1", cutype="ROOM"),
                  "ATTENDEE;CN=Big Room:mailto:c_123@resource.calendar.example.com",
                  attendee("pat@example.com", "Pat")])
    assert reasons(report) == ["room: CUTYPE=ROOM, not a person", "room: CUTYPE=RESOURCE, not a person"]
    assert report.rows_accepted == 1


def test_organizer_not_listed_as_attendee_was_at_the_meeting():
    report = ics(["DTSTART:20250301T100000", "ORGANIZER;CN=Olga Outside:mailto:olga@example.org", ME])
    assert [(c.name, c.emails) for c in report.contacts] == [("Olga Outside", ("olga@example.org",))]
    # The owner organising his own meeting adds nobody.
    report = ics(["DTSTART:20250301T100000", f"ORGANIZER;CN=Dana:mailto:{OWNER_EMAIL}",
                  attendee("pat@example.com", "Pat")])
    assert [c.emails for c in report.contacts] == [("pat@example.com",)]


def test_owner_is_the_most_frequent_person_when_calname_is_not_an_address():
    report = ics(["DTSTART:20250301T100000", ME, attendee("a@example.com", "A")],
                 ["DTSTART:20250302T100000", ME, attendee("b@example.com", "B")], calname="Work")
    assert report.owner_email == OWNER_EMAIL
    assert report.rows_read == 2


def test_calendar_properties_after_the_events_apply_to_every_event():
    """The file is read twice, an event at a time: what the calendar says of itself (its owner, its
    time zone) applies to the events before it too."""
    try:
        ZoneInfo("America/New_York")
    except ZoneInfoNotFoundError:
        pytest.skip("no time zone data on this machine")
    events = [["DTSTART:20250103T020000Z", ME, attendee("kim@example.com", "Kim")],
              ["DTSTART:20250104T150000Z", ME, attendee("lee@example.com", "Lee"), attendee("kim@example.com", "Kim")]]
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0"]
    for body in events:
        lines += ["BEGIN:VEVENT", *body, "END:VEVENT"]
    lines += ["X-WR-CALNAME:dana.owner@example.com", "X-WR-TIMEZONE:America/New_York", "END:VCALENDAR"]
    report = parse_source(Source("late.ics", ("\r\n".join(lines) + "\r\n").encode("utf-8")))
    assert report.owner_email == OWNER_EMAIL and report.rows_read == 3  # the owner is never an attendee
    assert [(c.emails[0], c.as_of) for c in report.contacts] == [
        ("kim@example.com", date(2025, 1, 2)), ("lee@example.com", date(2025, 1, 4)), ("kim@example.com", date(2025, 1, 4))]


def test_alarm_attendee_is_not_a_meeting_attendee():
    report = ics(["DTSTART:20250301T100000", ME, attendee("pat@example.com", "Pat"),
                  "BEGIN:VALARM", "ACTION:EMAIL", "ATTENDEE:mailto:reminder@example.com", "END:VALARM"])
    assert [c.emails for c in report.contacts] == [("pat@example.com",)]


def test_changed_instance_of_a_series_is_not_a_second_meeting():
    report = ics(["UID:1@example.com", "DTSTART:20250301T100000", "RRULE:FREQ=WEEKLY;COUNT=5", ME,
                  attendee("pat@example.com", "Pat")],
                 ["UID:1@example.com", "RECURRENCE-ID:20250308T100000", "DTSTART:20250309T100000", ME,
                  attendee("pat@example.com", "Pat")])
    assert report.rows_read == 1 and report.contacts[0].as_of == date(2025, 3, 1)
    assert any("recurring" in i.reason for i in report.issues if i.severity == "warning")


def test_bad_or_missing_dtstart_keeps_the_meeting_without_a_date():
    report = ics(["DTSTART:20250230T100000", ME, attendee("pat@example.com", "Pat")], [ME, attendee("b@example.com")])
    assert report.rows_accepted == 2
    assert [c.as_of for c in report.contacts] == [None, None]
    assert len([i for i in report.issues if i.severity == "warning" and i.column == "DTSTART"]) == 2


def test_attendee_without_name_or_address_is_rejected():
    report = ics(["DTSTART:20250301T100000", ME, "ATTENDEE;PARTSTAT=ACCEPTED:invalid:nomail",
                  "ATTENDEE;CN=Only A Name:invalid:nomail"])
    assert reasons(report) == ["no person: no name or e-mail address"]
    assert report.contacts[0].name == "Only A Name" and report.contacts[0].emails == ()


# --- the pieces ----------------------------------------------------------------------------------


def test_unfold_joins_space_and_tab_continuations_and_keeps_start_lines():
    text = "A:one\r\n two\r\n\tthree\nB:x\rC:y\r\n"
    assert list(unfold(physical_lines(text_lines(text)))) == [(1, "A:onetwothree"), (4, "B:x"), (5, "C:y")]


def test_parse_property_params_and_rfc6868_escapes():
    prop = parse_property('ATTENDEE;CN="Doe, J^\'Jo^\'";PARTSTAT=ACCEPTED:mailto:j@example.com', 7)
    assert prop is not None
    assert (prop.name, prop.value, prop.line) == ("ATTENDEE", "mailto:j@example.com", 7)
    assert prop.params == {"CN": 'Doe, J"Jo"', "PARTSTAT": "ACCEPTED"}
    assert parse_property("no colon here", 1) is None


def test_event_date_rejects_garbage():
    prop = parse_property("DTSTART:tomorrow", 1)
    with pytest.raises(ValueError):
        event_date(prop, None)
    assert event_date(None, None) is None


# --- what counts as a meeting (docs/ranking.md, "Evidence") -------------------------------------------


def met(report: ParsedFile) -> dict[str, tuple[RelationshipKind, int, int]]:
    """Each accepted person's e-mail -> (tie kind, meetings that count fully, meetings that count less)."""
    return {c.emails[0]: (t.kind, t.count_out, t.count_in) for c, t in zip(report.contacts, report.ties, strict=True)}


def test_declined_and_unanswered_invitations_count_nothing_accepted_counts_tentative_less():
    report = ics(["DTSTART:20250301T100000", ME,
                  attendee("acc@example.com", "Acc"), attendee("tent@example.com", "Tent", "TENTATIVE"),
                  attendee("dec@example.com", "Dec", "DECLINED"), attendee("na@example.com", "Na", "NEEDS-ACTION"),
                  attendee("del@example.com", "Del", "DELEGATED"),
                  "ATTENDEE;CN=Quiet:mailto:quiet@example.com"])  # no PARTSTAT: no answer recorded
    assert met(report) == {"acc@example.com": (RelationshipKind.MET, 1, 0), "tent@example.com": (RelationshipKind.MET, 0, 1),
                           "quiet@example.com": (RelationshipKind.MET, 0, 1)}
    assert sorted(reasons(report)) == ["declined the meeting", "delegated the meeting to someone else",
                                       "did not answer the invitation: no meeting is known to have taken place"]


def test_the_organiser_counts_as_the_owner_answered():
    organiser = "ORGANIZER;CN=Olga Org:mailto:olga@example.com"
    accepted = ics(["DTSTART:20250301T100000", organiser, ME])
    tentative = ics(["DTSTART:20250301T100000", organiser, attendee(OWNER_EMAIL, "Dana Owner", "TENTATIVE")])
    unanswered = ics(["DTSTART:20250301T100000", organiser, attendee(OWNER_EMAIL, "Dana Owner", "NEEDS-ACTION"),
                      attendee("other@example.com", "Other")])
    declined = ics(["DTSTART:20250301T100000", organiser, attendee(OWNER_EMAIL, "Dana Owner", "DECLINED")])
    assert met(accepted) == {"olga@example.com": (RelationshipKind.MET, 1, 0)}
    assert met(tentative) == {"olga@example.com": (RelationshipKind.MET, 0, 1)}
    assert met(unanswered) == {} and set(reasons(unanswered)) == {
        "the calendar's owner did not answer the invitation: no meeting is known to have taken place"}
    assert met(declined) == {} and reasons(declined) == ["the calendar's owner declined the meeting"]


def test_a_large_meeting_counts_less_for_everyone_in_it():
    guests = [attendee(f"guest{i}@example.com", f"Guest {i}") for i in range(9)]
    large = ics(["DTSTART:20250301T100000", ME, *guests])  # 10 people with the owner
    small = ics(["DTSTART:20250301T100000", ME, *guests[:8]])
    assert {v for v in met(large).values()} == {(RelationshipKind.MET, 0, 1)} and len(met(large)) == 9
    assert {v for v in met(small).values()} == {(RelationshipKind.MET, 1, 0)}


def test_people_of_the_owners_company_at_a_recurring_meeting_are_teammates():
    me = attendee("dana@tidewell.example.com", "Dana Owner")
    weekly = ["DTSTART:20250301T100000", "RRULE:FREQ=WEEKLY;COUNT=10", me,
              attendee("mate@tidewell.example.com", "Mate"), attendee("guest@client.example.net", "Guest")]
    once = ["DTSTART:20250301T100000", me, attendee("mate2@tidewell.example.com", "Mate Two")]
    assert met(ics(weekly, once, calname="dana@tidewell.example.com")) == {
        "mate@tidewell.example.com": (RelationshipKind.TEAMMATE, 1, 0),
        "guest@client.example.net": (RelationshipKind.MET, 1, 0),
        "mate2@tidewell.example.com": (RelationshipKind.MET, 1, 0)}
    free_mail = ics(["DTSTART:20250301T100000", "RRULE:FREQ=WEEKLY", attendee("me@gmail.com", "Me"),
                     attendee("pal@gmail.com", "Pal")], calname="me@gmail.com")
    assert met(free_mail) == {"pal@gmail.com": (RelationshipKind.MET, 1, 0)}
