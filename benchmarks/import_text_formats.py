"""Peak memory and speed of importing the formats read line by line as text: a synthetic vCard address
book and an iCalendar export near the 100 MB file cap, and the same at half the size.

Each import runs in its own process (``benchmarks.import_speed``'s scenarios) so its peak resident
memory is its own, printed against a process that only loads graphapp, measured in the same run. The
growth from half to full size shows whether memory follows the file (it should not: both are read an
event or a card at a time, their records spooled to disk).

    python -m benchmarks.import_text_formats              # 95 MB and 47.5 MB of each
    python -m benchmarks.import_text_formats --mb 20
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.import_speed import OWNER


def write_vcards(path: Path, mb: float, seed: int = 5) -> None:
    """Invented cards (example.com addresses) until the file holds ``mb`` megabytes."""
    rnd = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as out:
        n = size = 0
        while size < mb * 1_000_000:
            n += 1
            given, family = f"Given{n % 300}", f"Family{n // 300}"
            card = (f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{given} {family}\r\nN:{family};{given};;;\r\n"
                    f"EMAIL;TYPE=INTERNET;TYPE=WORK:{given.lower()}.{family.lower()}.{n}@example.com\r\n"
                    f"TEL;TYPE=CELL:+1 555 {rnd.randint(0, 9999):04}\r\nORG:Company {rnd.randint(1, 5000)} Inc.\r\n"
                    f"TITLE:Manager\r\nNOTE:Met at the spring trade show; follow up about the renewal\r\nEND:VCARD\r\n")
            out.write(card)
            size += len(card)


def write_calendar(path: Path, mb: float, seed: int = 6) -> None:
    """Invented meetings of the owner with four of 200,000 people each, until ``mb`` megabytes."""
    rnd = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Example//Bench//EN\r\nX-WR-CALNAME:{OWNER}\r\n")
        n = size = 0
        while size < mb * 1_000_000:
            n += 1
            day = f"2025{rnd.randint(1, 12):02}{rnd.randint(1, 28):02}"
            lines = ["BEGIN:VEVENT", f"UID:event-{n}@example.com", f"DTSTART:{day}T150000Z", f"DTEND:{day}T160000Z",
                     f"SUMMARY:Meeting {n}: the quarterly plan", f"ORGANIZER;CN=Dana Whitfield:mailto:{OWNER}"]
            for _ in range(4):
                p = rnd.randint(1, 200_000)
                lines.append(f"ATTENDEE;CN=Person {p};ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:mailto:person{p}@example.com")
            event = "\r\n".join([*lines, "END:VEVENT"]) + "\r\n"
            out.write(event)
            size += len(event)
        out.write("END:VCALENDAR\r\n")


def _child(kind: str, db: Path, files: list[Path]) -> dict:
    out = subprocess.run([sys.executable, "-m", "benchmarks.import_speed", "--child", kind, str(db), *map(str, files)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=95.0, help="size of the larger files, in MB (the cap is 100)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        base = _child("baseline", folder / "baseline.db", [])["peak_mib"]
        print(f"baseline (graphapp loaded): {base:.0f} MiB")
        for label, write, suffix in (("vCard", write_vcards, "vcf"), ("iCalendar", write_calendar, "ics")):
            peaks = {}
            for mb in (args.mb / 2, args.mb):
                path = folder / f"{label}-{mb:g}.{suffix}"
                write(path, mb)
                r = _child("empty", folder / f"{label}-{mb:g}.db", [path])
                peaks[mb] = r["peak_mib"]
                print(f"{label:>9} {path.stat().st_size / 1e6:5.1f} MB: {r['rows']:,} rows in {r['seconds']:.1f} s = "
                      f"{r['rows'] / r['seconds']:,.0f} rows/s ({r['cpu_seconds']:.1f} CPU s); peak {r['peak_mib']:.0f} MiB "
                      f"({r['peak_mib'] - base:.0f} over the baseline); people added {r['people_added']:,}")
                path.unlink()
            grown = peaks[args.mb] - peaks[args.mb / 2]
            print(f"{label:>9}: peak grows {grown:.0f} MiB from {args.mb / 2:g} to {args.mb:g} MB "
                  f"({grown / (args.mb / 2) * 10:.1f} MiB per 10 MB of file)")


if __name__ == "__main__":
    main()
