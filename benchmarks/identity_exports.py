"""The files of the identity benchmark's team, each row labelled with the real person and company it
names: team sheets, and per rep a LinkedIn archive, a HubSpot export, a vCard address book and a
calendar, with the quirks real exports have (see docs/performance.md, "Who is who").

A label names a row the way the store's evidence does (the import, the file name as imported, the
line the row starts on), so the benchmark can find the person and organisation each row ended up on.
"""

from __future__ import annotations

import csv
import io
import random
import zipfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from benchmarks.identity_world import TEAM_COMPANY, Human, World

PREAMBLE = ('Notes:\n"When exporting your connection data, you may notice that some of the email addresses are '
            'missing. You will only see email addresses for connections who have allowed their connections to see '
            'or download their email address using this setting https://www.linkedin.com/psettings/privacy/email. '
            'You can learn more here https://www.linkedin.com/help/linkedin/answer/261"\n\n')
MESSAGES = ("CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,SUBJECT,"
            "CONTENT,FOLDER,ATTACHMENTS,IS MESSAGE DRAFT").split(",")
HUBSPOT = ["Record ID", "First Name", "Last Name", "Email", "Phone Number", "Contact owner",
           "Primary Associated Company ID", "Last Activity Date", "Lead Status", "Marketing contact status",
           "Create Date", "Associated Company", "LinkedIn URL"]
EXPORTED = date(2026, 11, 2)
# Era of each rep's Connections.csv: modern (URL column) but for the last two reps: old (6 columns, no
# preamble: 2018-2021) and old re-saved by Excel (BOM, CRLF, padded preamble, 7-Feb-22 dates); the middle
# rep's HubSpot export is re-saved by Excel in cp1252. Eras are numbered 0 (modern), OLD_ERA, EXCEL_ERA.
OLD_ERA, EXCEL_ERA = 1, 2


@dataclass(frozen=True)
class Label:
    """One generated row: the import it is in, the file as imported, its first line, and the truth."""

    batch: int  # index into Exports.batches
    file: str
    row: int
    human: str | None  # the real person the row names (None: the row names only a company)
    company: str | None  # the real company it names as the person's employer
    keys: tuple[str, ...] = ()  # the exact e-mails and profile URLs it carries (for the baseline)
    shown: str = ""  # the name and company as the row writes them (for the examples printed)
    tags: tuple[str, ...] = ()  # the variations the row carries ("nickname", "stale-company"...)
    employer: str = ""  # the company as the row writes it (an import keeps one mention per spelling and file)


@dataclass
class Batch:
    """One ``graphapp import`` call: its files and the rep it belongs to (None: team files)."""

    files: list[Path]
    owner: str | None


@dataclass
class Exports:
    batches: list[Batch] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)


class Sheet:
    """Rows of one CSV with the line each starts on (no value holds a line break)."""

    def __init__(self, header: list[str], preamble: str = "") -> None:
        self.first_line = preamble.count("\n") + 2  # the line of the first data row
        self.out = io.StringIO()
        self.writer = csv.writer(self.out, lineterminator="\n")
        self.writer.writerow(header)
        self.n = 0

    def add(self, cells: list[str]) -> int:
        self.writer.writerow(cells)
        self.n += 1
        return self.first_line + self.n - 1

    def text(self, preamble: str = "") -> str:
        return preamble + self.out.getvalue().rstrip("\n")  # no newline after the last row, as LinkedIn


def _keys(*values: str | None) -> tuple[str, ...]:
    found = []
    for v in values:
        if v and "linkedin.com/in/" in v:
            found.append("url:" + v.rstrip("/").rsplit("/", 1)[1].lower())
        elif v and "@" in v:
            found.append("email:" + v.lower())
    return tuple(found)


def _case(rnd: random.Random, address: str, share: float) -> str:
    """The address as some systems keep it: "Kate.Ashdown@Northpine.example.com"."""
    if rnd.random() >= share:
        return address
    local, _, host = address.partition("@")
    return ".".join(p.capitalize() for p in local.split(".")) + "@" + host.capitalize()


def _tags(p: Human, given: str, company: str | None = None, mail: str | None = None, *extra: str) -> tuple[str, ...]:
    """The variations a row carries, to sort the resolver's misses by cause."""
    tags = [t for t in extra if t]
    if p.is_rep:
        tags.append("rep")
    if p.latin and given == p.given:
        tags.append("native-script")
    elif p.latin:
        tags.append("latin-of-native")
    elif p.short_given and given == p.short_given:
        tags.append("nickname" if p.given.isascii() else "unaccented")
    elif not given.isascii():
        tags.append("accented")
    if company and p.company.short and company == p.company.short:
        tags.append("brand-only-company")
    elif company and " and " in company:
        tags.append("and-for-ampersand")
    if mail and mail != mail.lower():
        tags.append("mixed-case-email")
    if mail and p.personal_email and mail == p.personal_email:
        tags.append("personal-email")
    return tuple(tags)


def _typo(rnd: random.Random, address: str) -> str:
    local, _, host = address.partition("@")
    i = rnd.randrange(1, max(2, len(local) - 1))
    return local[: i - 1] + local[i] + local[i - 1] + local[i + 1 :] + "@" + host if len(local) > 2 else "x" + address


def write_exports(world: World, folder: Path) -> Exports:
    """Write every file of the team into ``folder`` and label their rows.

    Parameters:
        world: the truth (:func:`benchmarks.identity_world.build_world`).
        folder: an empty folder; one sub-folder per rep.

    Returns:
        The imports to make, in order (team files first), and one label per generated row.
    """
    rnd = random.Random(world.seed * 7919 + 1)
    out = Exports()
    _team_files(world, folder, out, rnd)
    known: list[list[Human]] = [[] for _ in world.reps]
    for person in world.people[world.n_reps :]:
        for r in person.knowers:
            known[r].append(person)
    namesake_keys = {k for pair in world.namesakes for k in pair}
    for r, rep in enumerate(world.reps):
        rep_dir = folder / f"rep{r}"
        rep_dir.mkdir()
        teammates = [p for p in world.reps if p is not rep]
        people = known[r]
        li = [p for p in people if rnd.random() < 0.75 and p.key not in namesake_keys] + teammates
        crm = [p for p in people if rnd.random() < 0.3 or p.latin or (p.past and rnd.random() < 0.8)]
        cards = [p for p in people if rnd.random() < 0.2 or p.key in namesake_keys]
        met = [p for p in people if rnd.random() < 0.25]
        covered = {p.key for p in li + crm + cards + met}
        li += [p for p in people if p.key not in covered]  # everyone a rep knows is in one file at least
        out.batches.append(Batch(_linkedin(world, r, rep, li, rep_dir, out, rnd), rep.work_email))
        files = [_hubspot(r == len(world.reps) // 2, rep, crm, rep_dir, out, rnd), _vcards(cards, rep_dir, out, rnd, namesake_keys),
                 _calendar(rep, met, teammates, {p.key for p in cards}, rep_dir, out, rnd)]
        out.batches.append(Batch(files, rep.work_email))
    return out


def _team_files(world: World, folder: Path, out: Exports, rnd: random.Random) -> None:
    batch = len(out.batches)
    cols = ["rep_email", "person_name", "person_email", "person_linkedin", "company", "relationship", "since",
            "last_contact"]
    team = Sheet(cols)
    reps = world.reps
    for i, rep in enumerate(reps):
        mate = reps[(i + 1) % len(reps)]
        given, family = mate.crm_name(rnd)
        row = team.add([rep.work_email, f"{given} {family}", mate.work_email, mate.url, TEAM_COMPANY,
                        "teammate", "2021", ""])
        out.labels.append(Label(batch, "team.csv", row, mate.key, "team", _keys(mate.work_email, mate.url),
                                f"{given} {family}", _tags(mate, given), TEAM_COMPANY))
    rel = Sheet(cols)
    kinds = ("customer", "partner", "influencer", "referral_source", "friend", "knows")
    for person in world.people[world.n_reps :]:
        if rnd.random() >= 0.05:
            continue
        mail = person.work_email if rnd.random() < 0.7 else ""
        url = person.url if not mail or rnd.random() < 0.4 else ""
        company = person.company.spelling(rnd)
        given, family = person.crm_name(rnd)
        row = rel.add([reps[person.knowers[0]].work_email, f"{given} {family}", mail, url, company,
                       rnd.choice(kinds), f"{rnd.randint(2015, 2025)}", f"2026-{rnd.randint(1, 10):02}-15"])
        out.labels.append(Label(batch, "relationships.csv", row, person.key, person.company.key, _keys(mail, url),
                                f"{given} {family} / {company}", _tags(person, given, company, mail), company))
    targets = Sheet(["account", "domain", "owner_rep_email", "priority"])
    chosen = [c for c in world.companies[1:] if c.short or c.amp] + world.companies[1:30]
    for company in {c.key: c for c in chosen}.values():
        domain = company.domain if company.short or rnd.random() < 0.8 else ""
        row = targets.add([company.name, domain, rnd.choice(reps).work_email, rnd.choice(("high", "medium", "low"))])
        out.labels.append(Label(batch, "targets.csv", row, None, company.key, (), company.name, (), company.name))
    for name, sheet in (("team.csv", team), ("relationships.csv", rel), ("targets.csv", targets)):
        (folder / name).write_text(sheet.text() + "\n", encoding="utf-8")
    out.batches.append(Batch([folder / "team.csv", folder / "relationships.csv", folder / "targets.csv"], None))


def _connected(rnd: random.Random, era: int) -> str:
    day = EXPORTED - timedelta(days=rnd.randrange(30, 2500))
    return f"{day.day}-{day:%b-%y}" if era == EXCEL_ERA else f"{day:%d %b %Y}"


def _linkedin(world: World, r: int, rep: Human, people: list[Human], rep_dir: Path, out: Exports,
              rnd: random.Random) -> list[Path]:
    """The rep's archive (a ZIP; the Excel-era rep's re-saved Connections.csv is imported on its own)."""
    batch = len(out.batches)
    era = max(0, r - len(world.reps) + 3)  # 0 but for the last two reps
    stamp = f"{(EXPORTED - timedelta(days=r)):%m-%d-%Y}"
    archive = f"Basic_LinkedInDataExport_{stamp}.zip"
    prefix = "" if era == EXCEL_ERA else f"{archive}/"
    header = ["First Name", "Last Name"] + (["URL"] if not era else []) + ["Email Address", "Company", "Position",
                                                                           "Connected On"]
    preamble = "" if era == OLD_ERA else PREAMBLE
    sheet = Sheet(header, preamble)
    rnd.shuffle(people)
    for i, p in enumerate(people):
        if i % 97 == 5:  # a hidden profile: only a date
            sheet.add([""] * (len(header) - 1) + [_connected(rnd, era)])
        mail = _case(rnd, p.work_email, 0.3) if rnd.random() < 0.12 or (era and p.latin) else ""
        given, family = p.linkedin_name  # (a name in another script in a URL-less export: its e-mail links it)
        cells = [given, family] + ([p.url] if not era else []) + [mail, p.li_company, p.title, _connected(rnd, era)]
        row = sheet.add(cells)
        company = "team" if p.is_rep else p.company.key
        out.labels.append(Label(batch, f"{prefix}Connections.csv", row, p.key, company,
                                _keys(mail, p.url if not era else None), f"{given} {family} / {p.li_company}",
                                _tags(p, given, p.li_company, mail, "no-url-export" if era else "",
                                      "excel-resave" if era == EXCEL_ERA else ""), p.li_company))
    files: dict[str, str] = {}
    if era == EXCEL_ERA:
        text = sheet.text(preamble).replace("Notes:\n", "Notes:,,,,,\n", 1).replace("\n", "\r\n")
        (rep_dir / "Connections.csv").write_bytes("\ufeff".encode() + text.encode("utf-8") + b"\r\n")
    else:
        files["Connections.csv"] = sheet.text(preamble)
        files["messages.csv"] = _messages(rep, people, era == OLD_ERA, f"{prefix}messages.csv", batch, out, rnd)
    files["Profile.csv"] = ("First Name,Last Name,Maiden Name,Address,Birth Date,Headline,Summary,Industry,Zip Code,"
                            f"Geo Location,Twitter Handles,Websites,Instant Messengers\n{rep.given},{rep.family},,,,"
                            f"Account Executive at {TEAM_COMPANY},,Renewables,,Greater Boston,,,\n")
    personal = f"\n{rep.slug.replace('-', '')}@mail.example.com,Yes,No,2019-04-01" if r % 2 else ""
    files["Email Addresses.csv"] = (f"Email Address,Confirmed,Primary,Updated On\n{rep.work_email},Yes,Yes,"
                                    f"2021-06-01{personal}\n")
    positions = Sheet(["Company Name", "Title", "Description", "Location", "Started On", "Finished On"])
    for company, title, start, end in ((TEAM_COMPANY, "Account Executive", "Apr 2021", ""),
                                       (rep.past.spelling(rnd), "Account Manager", "Jul 2016", "Mar 2021")):
        row = positions.add([company, title, "", "Boston, Massachusetts, United States", start, end])
        key = "team" if company == TEAM_COMPANY else rep.past.key
        out.labels.append(Label(batch, f"{prefix}Positions.csv", row, None, key, (), company, (), company))
    files["Positions.csv"] = positions.text() + "\n"
    if era == EXCEL_ERA:
        for name, text in files.items():
            (rep_dir / name).write_text(text, encoding="utf-8")
        return [rep_dir / "Connections.csv", *(rep_dir / n for n in files)]
    with zipfile.ZipFile(rep_dir / archive, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            z.writestr(name, text)
    return [rep_dir / archive]


def _messages(rep: Human, people: list[Human], old: bool, name: str, batch: int, out: Exports,
              rnd: random.Random) -> str:
    """One or two messages with a sixth of the connections; the first row of each exchange is labelled."""
    me = " ".join(rep.linkedin_name)
    if old:
        sheet = Sheet(["FROM", "TO", "DATE", "SUBJECT", "CONTENT", "DIRECTION", "FOLDER"])
    else:
        sheet = Sheet(MESSAGES)
    for n, p in enumerate(q for q in people if q.is_rep or rnd.random() < 0.16):  # teammates write each other
        them = " ".join(p.linkedin_name)
        for k in range(rnd.randint(1, 2)):
            outgoing = (n + k) % 2 == 0
            when = EXPORTED - timedelta(days=rnd.randrange(1, 700), minutes=k)
            if old:
                cells = [me if outgoing else them, them if outgoing else me, f"{when:%Y-%m-%d}T10:0{k}:00", "",
                         f"Hello {n}", "OUTGOING" if outgoing else "INCOMING", "INBOX"]
            else:
                a, b = ((me, rep.url), (them, p.url)) if outgoing else ((them, p.url), (me, rep.url))
                cells = [f"2-conv{n}", "", a[0], a[1], b[0], b[1], f"{when:%Y-%m-%d} 10:0{k}:00 UTC", "",
                         f"Hello {n}", "INBOX", "", "No"]
            row = sheet.add(cells)
            if k == 0:
                out.labels.append(Label(batch, name, row, p.key, None, _keys(None if old else p.url), them,
                                        _tags(p, p.given, None, None, "no-url-messages" if old else "")))
    return sheet.text()


def _hubspot(resaved: bool, rep: Human, people: list[Human], rep_dir: Path, out: Exports, rnd: random.Random) -> Path:
    """The contacts the rep owns; job changers still at their old company and address."""
    batch = len(out.batches)
    sheet = Sheet(HUBSPOT)
    for i, p in enumerate(people):
        stale = p.past is not None
        company = p.past if stale else p.company
        mail = p.past_email if stale else p.work_email
        roll = rnd.random()
        mail = _typo(rnd, mail) if roll < 0.03 else _case(rnd, mail, 0.3)
        url = p.url if stale or p.latin or rnd.random() < 0.3 else ""
        given, family = p.crm_name(rnd)
        created = EXPORTED - timedelta(days=rnd.randrange(100, 1500))
        activity = created + timedelta(days=rnd.randrange(1, 90))
        stamp = (lambda d: f"{d.month}/{d.day}/{d.year} 9:14") if resaved else (lambda d: f"{d:%Y-%m-%d} 09:14")
        sheet_company = company.spelling(rnd)
        row = sheet.add([str(61200340000 + i), given, family, mail, "", " ".join(rep.crm_name(rnd)),
                         str(3100482000 + int(company.key[1:] or 0)), stamp(activity), "Connected",
                         "Marketing contact", stamp(created), sheet_company, url])
        written = sheet_company
        out.labels.append(Label(batch, "hubspot-crm-exports-all-contacts.csv", row, p.key, company.key,
                                _keys(mail if roll >= 0.03 else None, url), f"{given} {family} / {written} <{mail}>",
                                _tags(p, given, written, mail, "stale-company" if stale else "",
                                      "mistyped-email" if roll < 0.03 else "", "cp1252-resave" if resaved else ""),
                                written))
    path = rep_dir / "hubspot-crm-exports-all-contacts.csv"
    if resaved:  # Excel's "CSV" save: Windows-1252 (what it cannot write becomes "?"), CRLF
        path.write_bytes(sheet.text().replace("\n", "\r\n").encode("cp1252", errors="replace") + b"\r\n")
    else:
        path.write_text(sheet.text() + "\n", encoding="utf-8")
    return path


def _vcards(people: list[Human], rep_dir: Path, out: Exports, rnd: random.Random, namesakes: set[str]) -> Path:
    """An address book: personal addresses, nicknames, company spellings; namesakes by personal address only."""
    batch = len(out.batches)
    lines: list[str] = []
    for p in people:
        given, family = p.crm_name(rnd)
        start = len(lines) + 1
        company = p.company.spelling(rnd)
        lines += ["BEGIN:VCARD", "VERSION:3.0", f"FN:{given} {family}", f"N:{family};{given};;;",
                  f"ORG:{company};", f"TITLE:{p.title}"]
        mails = [] if p.key in namesakes else [p.work_email] if rnd.random() < 0.6 else []
        if p.personal_email:
            mails.insert(0, p.personal_email)
        elif not mails:
            mails = [p.work_email]
        lines += [f"EMAIL;TYPE=INTERNET:{m}" for m in mails]
        url = p.url if rnd.random() < 0.1 and p.key not in namesakes else None
        if url:
            lines.append(f"X-SOCIALPROFILE;type=linkedin:{url}")
        lines.append("END:VCARD")
        out.labels.append(Label(batch, "contacts.vcf", start, p.key, p.company.key, _keys(*mails, url),
                                f"{given} {family} / {company} <{', '.join(mails)}>",
                                _tags(p, given, company, mails[0], "namesake" if p.key in namesakes else ""), company))
    path = rep_dir / "contacts.vcf"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    return path


def _fold(line: str) -> list[str]:
    """RFC 5545 folding at 75 characters (the attendee lines here are ASCII but for some names)."""
    parts = [line[:75]]
    rest = line[75:]
    while rest:
        parts.append(" " + rest[:74])
        rest = rest[74:]
    return parts


def _calendar(rep: Human, people: list[Human], teammates: list[Human], in_book: set[str], rep_dir: Path,
              out: Exports, rnd: random.Random) -> Path:
    """Meetings with one to three of the rep's contacts (and sometimes a teammate), one to three times each."""
    batch = len(out.batches)
    lines = ["BEGIN:VCALENDAR", "PRODID:-//Google Inc//Google Calendar 70.9054//EN", "VERSION:2.0",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH", f"X-WR-CALNAME:{rep.work_email}", "X-WR-TIMEZONE:UTC"]
    pool = [p for p in people for _ in range(rnd.randint(1, 3))]
    rnd.shuffle(pool)
    n = 0
    while pool:
        guests = list(dict.fromkeys(pool[: rnd.randint(1, 3)]))
        del pool[: len(guests)]
        if rnd.random() < 0.2:
            guests.append(rnd.choice(teammates))
        n += 1
        day = EXPORTED - timedelta(days=rnd.randrange(1, 700))
        lines += ["BEGIN:VEVENT", f"DTSTART:{day:%Y%m%d}T150000Z", f"DTEND:{day:%Y%m%d}T160000Z",
                  f"UID:bench-{n}@calendar.example.com", f"SUMMARY:Review {n}", "STATUS:CONFIRMED",
                  f"ORGANIZER;CN={' '.join(rep.crm_name(rnd))}:mailto:{rep.work_email}",
                  f"ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN={' '.join(rep.crm_name(rnd))}"
                  f":mailto:{rep.work_email}"]
        for g in guests:
            personal = g.personal_email and g.key in in_book and rnd.random() < 0.3  # the rep's book has it too
            mail = g.personal_email if personal else _case(rnd, g.work_email, 0.2)
            start = len(lines) + 1
            given, family = g.crm_name(rnd)
            lines += _fold(f"ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;"
                           f"CN={given} {family};X-NUM-GUESTS=0:mailto:{mail}")
            out.labels.append(Label(batch, "calendar.ics", start, g.key, None, _keys(mail), f"{given} {family} <{mail}>",
                                    _tags(g, given, None, mail)))
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    path = rep_dir / "calendar.ics"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    return path
