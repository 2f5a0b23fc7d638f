"""Warm means warm, end to end: a rep's CRM export, calendar, LinkedIn messages and invitations imported
into a real SQLite file; cold evidence (a lead never reached, an unanswered meeting invitation, a cold
InMail, the rep's own pending invitation) makes nobody a path, a weekly suggestion or covered, while the
real relationships in the same files do (docs/ranking.md, "Evidence: what makes a relationship")."""

from __future__ import annotations

from datetime import date

import pytest

from graphapp import service

DANA = "dana@tidewell.example.com"
TODAY = date(2026, 12, 1)
TARGETS = b"account,domain,owner_rep_email,priority\nGlobex Freight,globex.example.com,dana@tidewell.example.com,high\n"
HUBSPOT = (b'"Record ID","First Name","Last Name","Email","Contact owner","Associated Company","Job Title",'
           b'"Lifecycle Stage","Lead Status","Last Activity Date","Create Date"\n'
           b'"1","Cora","Cold","cora.cold@globex.example.com","Dana Whit","Globex Freight","CFO","Lead","New","","2026-01-05"\n'
           b'"2","Tess","Tried","tess.tried@globex.example.com","Dana Whit","Globex Freight","VP Finance","Lead",'
           b'"Attempted to Contact","2026-10-01","2026-01-05"\n'
           b'"3","Carl","Customer","carl.customer@globex.example.com","Dana Whit","Globex Freight","Controller",'
           b'"Customer","","2026-11-02","2021-03-05"\n')


def ics(*events: str) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"X-WR-CALNAME:{DANA}"]
    for n, attendee in enumerate(events):
        lines += ["BEGIN:VEVENT", f"UID:e{n}@example.com", "DTSTART:20261015T150000Z",
                  f"ORGANIZER;CN=Dana Whit:mailto:{DANA}",
                  f"ATTENDEE;PARTSTAT=ACCEPTED;CN=Dana Whit:mailto:{DANA}", attendee, "END:VEVENT"]
    return ("\r\n".join([*lines, "END:VCALENDAR"]) + "\r\n").encode()


CALENDAR = ics("ATTENDEE;PARTSTAT=NEEDS-ACTION;CN=Nina Noanswer:mailto:nina.noanswer@globex.example.com",
               "ATTENDEE;PARTSTAT=DECLINED;CN=Dirk Declined:mailto:dirk.declined@globex.example.com",
               "ATTENDEE;PARTSTAT=ACCEPTED;CN=Ada Accepted:mailto:ada.accepted@globex.example.com")
MESSAGES = (b"CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,SUBJECT,"
            b"CONTENT,FOLDER,ATTACHMENTS,IS MESSAGE DRAFT\n"
            b"c1,,Dana Whit,https://www.linkedin.com/in/dana-whit,Ivan Inmail,https://www.linkedin.com/in/ivan-inmail,"
            b"2026-10-01 10:00:00 UTC,,Quick question,INBOX,,No\n"
            b"c2,,Dana Whit,https://www.linkedin.com/in/dana-whit,Rosa Replied,https://www.linkedin.com/in/rosa-replied,"
            b"2026-10-02 10:00:00 UTC,,Hi,INBOX,,No\n"
            b"c2,,Rosa Replied,https://www.linkedin.com/in/rosa-replied,Dana Whit,https://www.linkedin.com/in/dana-whit,"
            b"2026-10-03 10:00:00 UTC,,Hello,INBOX,,No\n")
CONNECTIONS = (b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
               b"Ivan,Inmail,https://www.linkedin.com/in/ivan-inmail,,Globex Freight,VP Operations,01 Mar 2020\n"
               b"Rosa,Replied,https://www.linkedin.com/in/rosa-replied,,Globex Freight,Director of Operations,01 Mar 2020\n"
               b"Paul,Plain,https://www.linkedin.com/in/paul-plain,,Globex Freight,Owner,01 Mar 2020\n")
INVITATIONS = (b"From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n"
               b'Dana Whit,Olga Outgoing,"9/12/26, 4:07 PM",,OUTGOING,https://www.linkedin.com/in/dana-whit,'
               b"https://www.linkedin.com/in/olga-outgoing\n"
               b'Ian Incoming,Dana Whit,"9/14/26, 9:41 AM",,INCOMING,https://www.linkedin.com/in/ian-incoming,'
               b"https://www.linkedin.com/in/dana-whit\n")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    with service.open_graph(str(tmp_path_factory.mktemp("warm") / "g.db")) as store:
        service.add_rep(store, name="Dana Whit", email=DANA)
        service.import_uploads(store, [("targets.csv", TARGETS)])
        service.import_uploads(store, [("hubspot.csv", HUBSPOT)], owner=DANA)
        service.import_uploads(store, [("calendar.ics", CALENDAR)], owner=DANA)
        # messages.csv names Ivan and Rosa with URLs only; the connections place them (and Paul) at Globex.
        service.import_uploads(store, [("Connections.csv", CONNECTIONS), ("messages.csv", MESSAGES),
                                       ("Invitations.csv", INVITATIONS)], owner=DANA)
        yield store


def person(store, name: str):
    found = [store.get_people([pid])[pid] for pid, _ in store.search_people(name)]
    return next((p for p in found if p.name == name), None)


def kinds_with_dana(store, name: str) -> set[str]:
    page = service.person_page(store, person(store, name).id, today=TODAY)
    return {t.kind for t in page.ties}


def test_cold_evidence_leaves_people_known_but_tied_by_no_relationship(store):
    # A lead never reached (status New, or Attempted to Contact): kept by its owner in the CRM, no relationship.
    assert kinds_with_dana(store, "Cora Cold") == {"owner"} and kinds_with_dana(store, "Tess Tried") == {"owner"}
    page = service.person_page(store, person(store, "Cora Cold").id, today=TODAY)
    assert page.known_by == () and [t.strength for t in page.ties] == [0.0]
    assert [t.label for t in page.ties] == ["CRM owner, no contact yet"]
    # Unanswered and declined invitations: rejected rows, nobody made of them.
    assert person(store, "Nina Noanswer") is None and person(store, "Dirk Declined") is None
    # A cold InMail: Ivan is known (a connection too), but there is no `messaged` relationship.
    assert kinds_with_dana(store, "Ivan Inmail") == {"linkedin"}
    # Dana's own pending invitation: Olga is known, tied by nothing.
    assert kinds_with_dana(store, "Olga Outgoing") == set()


def test_real_evidence_in_the_same_files_makes_relationships(store):
    assert kinds_with_dana(store, "Carl Customer") == {"customer"}
    assert kinds_with_dana(store, "Ada Accepted") == {"met"}
    assert kinds_with_dana(store, "Rosa Replied") == {"messaged", "linkedin"}
    assert kinds_with_dana(store, "Ian Incoming") == {"invited"}


def test_paths_and_weekly_lists_use_only_real_relationships(store):
    result = service.account_paths(store, "Globex Freight", today=TODAY)
    assert all(h["kind"] != "owner" for p in result.paths for h in p["hops"])
    direct = {p["target"]["name"] for p in result.paths if len(p["hops"]) == 1}
    # Ivan (whom Dana only InMailed) and Paul are connections: acquaintances, weak ties, but ties.
    assert direct == {"Carl Customer", "Ada Accepted", "Rosa Replied", "Ivan Inmail", "Paul Plain"}
    weekly = service.weekly_lists(store, rep=DANA, record=False, today=TODAY)
    intros = [i for r in weekly.reps for i in r.items if i.kind == "intro"]
    assert intros, "the week suggests someone"
    for item in intros:
        assert all(h["kind"] != "owner" for h in item.path["hops"])
        assert not ("Cora Cold" in item.reason or "Tess Tried" in item.reason) or len(item.path["hops"]) > 1
