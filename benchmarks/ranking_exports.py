"""The files the ranking benchmark's team exports, rendered from its hidden world
(:mod:`benchmarks.ranking_world`): per rep a LinkedIn archive (Connections, messages, Invitations), a
HubSpot export (lifecycle stage, lead status, last activity) and a calendar (PARTSTAT), and the team's
relationships.csv and targets.csv.

True ties show the way they do in real exports (a customer as a CRM customer with recent activity,
someone met as accepted meetings, a correspondent as messages both ways, an acquaintance as a bare
connection), and a stronger tie shows more meetings and messages and a more recent last one, with
noise (:func:`_volume`, :func:`_recent`); the noise shows with no tie behind it: cold leads (lifecycle ``lead``, status ``New``,
``Attempted to Contact`` or ``Unqualified``, no activity), invitations the guest left ``NEEDS-ACTION`` or
``DECLINED``, one-way InMails, pending outgoing invitations. Job changers sometimes keep their old
company and address in the CRM. A champion who moved shows as an older CRM row at the old company
(lifecycle ``customer``, last activity in the year they left, their profile URL) and a newer LinkedIn
connection at the target; these rows are drawn from a random stream of their own, after the others, so
the rest of the files are what they were without them. The export writers' helpers are the identity
benchmark's.
"""

from __future__ import annotations

import random
import zipfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from benchmarks.identity_exports import EXPORTED, MESSAGES, PREAMBLE, Batch, Sheet, _fold
from benchmarks.identity_world import TEAM_COMPANY, Human
from benchmarks.ranking_world import RankWorld

HUBSPOT = ["Record ID", "First Name", "Last Name", "Email", "Contact owner", "Associated Company", "Job Title",
           "Lifecycle Stage", "Lead Status", "Last Activity Date", "Create Date", "LinkedIn URL"]
INVITATIONS = ["From", "To", "Sent At", "Message", "Direction", "inviterProfileUrl", "inviteeProfileUrl"]
COLD_STATUSES = ("New", "Attempted to Contact", "Unqualified")


@dataclass
class RankExports:
    batches: list[Batch] = field(default_factory=list)
    domains: dict[str, str] = field(default_factory=dict)  # target company key -> domain in targets.csv
    shown: set[frozenset] = field(default_factory=set)  # true ties some export shows (the oracle's graph)
    # Every pair an export puts together, true or not, with its interactions (the baselines' graph).
    observed: dict[frozenset, int] = field(default_factory=dict)
    appears: set[str] = field(default_factory=set)  # people named in some export (colleague ties show)


def _day(rnd: random.Random, most: int, least: int = 1):
    return EXPORTED - timedelta(days=rnd.randrange(least, most))


def _volume(rnd: random.Random, strength: float, low: int, high: int) -> int:
    """How many interactions a tie of this true strength shows: more for stronger ties, with noise (real
    exports carry the strength of a relationship in its volume and recency, never exactly)."""
    return max(low, min(high, round(low + (high - low) * strength * rnd.uniform(0.5, 1.5))))


def _recent(rnd: random.Random, strength: float, most: int):
    """The day of a tie's last interaction: more recent for stronger ties, with noise."""
    return EXPORTED - timedelta(days=max(1, min(most, round(most * (1 - strength) * rnd.uniform(0.3, 1.3)))))


def _name(p: Human, rnd: random.Random) -> tuple[str, str]:
    return p.crm_name(rnd)


def write_rank_exports(world: RankWorld, folder: Path) -> RankExports:
    """Write every file of the team into ``folder`` (one sub-folder per rep) and note what they show.

    Parameters:
        world: the truth (:func:`benchmarks.ranking_world.build_rank_world`).
        folder: an empty folder.

    Returns:
        The imports to run, in order, and the graphs the exports show (for the oracle and baselines).
    """
    rnd = random.Random(world.base.seed * 104729 + 3)
    moved_rnd = random.Random(world.base.seed * 104729 + 17)  # the champions' rows: every other draw stays
    out = RankExports()
    people = world.people
    out.batches.append(Batch(_team_files(world, folder, out, rnd), None))
    for r, rep in enumerate(world.base.reps):
        ties = [t for t in world.ties.values() if t.rep == r and t.kind not in ("connector",)]
        mine = {kind: [people[t.b if t.a == rep.key else t.a] for t in ties if t.kind == kind]
                for kind in ("customer", "opportunity", "met", "messaged", "acquaintance")}
        noise = {kind: [people[k] for rr, k, kind2 in world.noise if rr == r and kind2 == kind]
                 for kind in ("cold-lead", "needs-action", "declined", "inmail", "pending-out")}
        strength = {t.b if t.a == rep.key else t.a: t.strength for t in ties}
        mine["strength"] = strength  # type: ignore[assignment]  # person key -> true strength with the rep
        rep_dir = folder / f"rep{r}"
        rep_dir.mkdir()
        moved = [(people[m.person], m) for m in world.moves if m.rep == r]
        out.batches.append(Batch([_linkedin(rep, mine, noise, rep_dir, out, rnd, moved, moved_rnd)], rep.work_email))
        out.batches.append(Batch([_hubspot(rep, mine, noise, rep_dir, out, rnd, moved, moved_rnd),
                                  _calendar(rep, mine, noise, rep_dir, out, rnd)], rep.work_email))
    return out


def _see(out: RankExports, rep: Human, p: Human, interactions: int, true: bool) -> None:
    key = frozenset((rep.key, p.key))
    out.observed[key] = out.observed.get(key, 0) + interactions
    out.appears.add(p.key)
    if true:
        out.shown.add(key)


def _team_files(world: RankWorld, folder: Path, out: RankExports, rnd: random.Random) -> list[Path]:
    people, reps = world.people, world.base.reps
    rel = Sheet(["rep_email", "from_name", "from_email", "person_name", "person_email", "person_linkedin", "company",
                 "title", "relationship", "since", "last_contact"])
    for i, rep in enumerate(reps):
        mate = reps[(i + 1) % len(reps)]
        rel.add([rep.work_email, "", "", " ".join(_name(mate, rnd)), mate.work_email, mate.url, TEAM_COMPANY,
                 mate.title, "teammate", "2021", ""])
    for tie in world.ties.values():
        if tie.kind == "customer" and rnd.random() < 0.4:
            rep, p = (people[tie.a], people[tie.b]) if people[tie.a].is_rep else (people[tie.b], people[tie.a])
            rel.add([rep.work_email, "", "", " ".join(_name(p, rnd)), p.work_email, "", p.company.spelling(rnd), p.title,
                     "customer", str(rnd.randint(2016, 2025)), f"{_day(rnd, 200):%Y-%m-%d}"])
            _see(out, rep, p, 1, True)
        elif tie.kind == "connector":
            a, b = people[tie.a], people[tie.b]
            rel.add([reps[tie.rep].work_email, " ".join(_name(a, rnd)), a.work_email, " ".join(_name(b, rnd)),
                     b.work_email, b.url if rnd.random() < 0.5 else "", b.company.spelling(rnd), b.title,
                     rnd.choice(("influencer", "partner", "knows", "friend")), str(rnd.randint(2012, 2024)), ""])
            _see(out, a, b, 1, True)
            out.appears.add(a.key)
    targets = Sheet(["account", "domain", "owner_rep_email", "priority"])
    for company in world.targets:
        out.domains[company.key] = company.domain
        targets.add([company.name, company.domain, rnd.choice(reps).work_email, rnd.choice(("high", "medium", "low"))])
    files = []
    for name, sheet in (("relationships.csv", rel), ("targets.csv", targets)):
        (folder / name).write_text(sheet.text() + "\n", encoding="utf-8")
        files.append(folder / name)
    return files


def _linkedin(rep: Human, mine: dict, noise: dict, rep_dir: Path, out: RankExports, rnd: random.Random,
              moved: list, moved_rnd: random.Random) -> Path:
    """Connections (acquaintances, correspondents, half of the rest, the champions who moved at their new
    company), messages both ways and one-way InMails, pending outgoing invitations."""
    connections = Sheet(["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"],
                        PREAMBLE)
    linked = mine["acquaintance"] + mine["messaged"] + [p for k in ("customer", "opportunity", "met")
                                                        for p in mine[k] if rnd.random() < 0.5]
    for p in linked:
        given, family = p.linkedin_name
        connections.add([given, family, p.url, "", p.li_company or p.company.spelling(rnd), p.title,
                         f"{_day(rnd, 2500, 30):%d %b %Y}"])
        _see(out, rep, p, 0, True)
    for p, _ in moved:
        given, family = p.linkedin_name
        connections.add([given, family, p.url, "", p.li_company or p.company.spelling(moved_rnd), p.title,
                         f"{_day(moved_rnd, 300, 30):%d %b %Y}"])
        _see(out, rep, p, 0, True)
    messages = Sheet(MESSAGES)
    me = " ".join(rep.linkedin_name)
    for n, p in enumerate(mine["messaged"]):
        them = " ".join(p.linkedin_name)
        last = _recent(rnd, mine["strength"][p.key], 400)
        for k in range(_volume(rnd, mine["strength"][p.key], 2, 14)):
            a, b = ((me, rep.url), (them, p.url)) if k % 2 == 0 else ((them, p.url), (me, rep.url))
            when = last - timedelta(days=3 * k, minutes=k)
            messages.add([f"2-conv{n}", "", a[0], a[1], b[0], b[1], f"{when:%Y-%m-%d} 10:{k:02}:00 UTC", "",
                          f"Hello {n}", "INBOX", "", "No"])
            _see(out, rep, p, 1, True)
    for n, p in enumerate(noise["inmail"]):  # cold InMail: one message out, no answer
        messages.add([f"2-inmail{n}", "", me, rep.url, " ".join(p.linkedin_name), p.url,
                       f"{_day(rnd, 300):%Y-%m-%d} 11:00:00 UTC", "Quick question", f"Hi {p.given}", "INBOX", "", "No"])
        _see(out, rep, p, 1, False)
    invitations = Sheet(INVITATIONS)
    for p in noise["pending-out"]:
        when = _day(rnd, 60)
        invitations.add([me, " ".join(p.linkedin_name), f"{when.month}/{when.day}/{when:%y}, 2:37 PM", "",
                         "OUTGOING", rep.url, p.url])
        _see(out, rep, p, 0, False)
    stamp = f"{EXPORTED:%m-%d-%Y}"
    files = {"Connections.csv": connections.text(PREAMBLE), "messages.csv": messages.text(),
             "Invitations.csv": invitations.text(),
             "Profile.csv": ("First Name,Last Name,Maiden Name,Address,Birth Date,Headline,Summary,Industry,Zip Code,"
                             f"Geo Location,Twitter Handles,Websites,Instant Messengers\n{rep.given},{rep.family},,,,"
                             f"Account Executive at {TEAM_COMPANY},,Renewables,,Greater Boston,,,\n"),
             "Email Addresses.csv": f"Email Address,Confirmed,Primary,Updated On\n{rep.work_email},Yes,Yes,2021-06-01\n"}
    path = rep_dir / f"Basic_LinkedInDataExport_{stamp}.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            z.writestr(name, text)
    return path


def _hubspot(rep: Human, mine: dict, noise: dict, rep_dir: Path, out: RankExports, rnd: random.Random,
             moved: list, moved_rnd: random.Random) -> Path:
    """Customers and open deals with recent activity, a third of the people met as worked leads, the cold
    leads (owned, never reached), and the champions who moved, still at their old company."""
    sheet = Sheet(HUBSPOT)
    owner = " ".join(rep.crm_name(rnd))
    rows = ([(p, "customer", "", True) for p in mine["customer"]]
            + [(p, "opportunity", "Open Deal", True) for p in mine["opportunity"]]
            + [(p, "salesqualifiedlead", "Connected", True) for p in mine["met"] if rnd.random() < 0.33]
            + [(p, "lead", rnd.choice(COLD_STATUSES), False) for p in noise["cold-lead"]])
    for i, (p, stage, status, active) in enumerate(rows):
        stale = p.past is not None and rnd.random() < 0.5  # the CRM has not caught up with a job change
        company, mail = (p.past, p.past_email) if stale else (p.company, p.work_email)
        given, family = _name(p, rnd)
        created = _day(rnd, 900, 100)
        activity = f"{_recent(rnd, mine['strength'].get(p.key, 0.5), 240):%Y-%m-%d} 09:14" if active else ""
        sheet.add([str(71200340000 + i), given, family, mail, owner, company.spelling(rnd), p.title, stage, status,
                   activity, f"{created:%Y-%m-%d} 09:14", p.url if rnd.random() < 0.3 else ""])
        _see(out, rep, p, 1 if active else 0, active)
    for i, (p, move) in enumerate(moved):
        given, family = _name(p, moved_rnd)
        activity = date(move.until, moved_rnd.randint(1, 9), moved_rnd.randint(1, 28))
        created = activity - timedelta(days=moved_rnd.randrange(200, 900))
        sheet.add([str(71200390000 + i), given, family, move.email, owner, move.old.spelling(moved_rnd), p.title,
                   "customer", "", f"{activity:%Y-%m-%d} 09:14", f"{created:%Y-%m-%d} 09:14", p.url])
        _see(out, rep, p, 1, True)
    path = rep_dir / "hubspot-crm-exports-all-contacts.csv"
    path.write_text(sheet.text() + "\n", encoding="utf-8")
    return path


def _calendar(rep: Human, mine: dict, noise: dict, rep_dir: Path, out: RankExports, rnd: random.Random) -> Path:
    """Accepted meetings with the people met and the open deals (some tentative); invitations to strangers
    left unanswered or declined."""
    lines = ["BEGIN:VCALENDAR", "PRODID:-//Google Inc//Google Calendar 70.9054//EN", "VERSION:2.0",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH", f"X-WR-CALNAME:{rep.work_email}", "X-WR-TIMEZONE:UTC"]
    strength = mine["strength"]
    events = [(p, "ACCEPTED" if rnd.random() < 0.85 else "TENTATIVE", True, _recent(rnd, strength[p.key], 500))
              for p in mine["met"] + mine["opportunity"] for _ in range(_volume(rnd, strength[p.key], 1, 6))]
    events += [(p, "NEEDS-ACTION", False, _day(rnd, 500)) for p in noise["needs-action"]]
    events += [(p, "DECLINED", False, _day(rnd, 500)) for p in noise["declined"]]
    rnd.shuffle(events)
    me = " ".join(rep.crm_name(rnd))
    for n, (p, partstat, true, day) in enumerate(events, 1):
        given, family = _name(p, rnd)
        lines += ["BEGIN:VEVENT", f"DTSTART:{day:%Y%m%d}T150000Z", f"DTEND:{day:%Y%m%d}T160000Z",
                  f"UID:rank-{rep.key}-{n}@calendar.example.com", f"SUMMARY:Intro {n}", "STATUS:CONFIRMED",
                  f"ORGANIZER;CN={me}:mailto:{rep.work_email}",
                  f"ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN={me}:mailto:{rep.work_email}",
                  *_fold(f"ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT={partstat};CN={given} {family}"
                         f";X-NUM-GUESTS=0:mailto:{p.work_email}"), "END:VEVENT"]
        _see(out, rep, p, 1, true)
    lines.append("END:VCALENDAR")
    path = rep_dir / "calendar.ics"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    return path
