"""Import throughput and peak memory: a synthetic 100,000-row Connections.csv plus 50,000 messages,
into an empty store, again into the store that already holds them (re-import, the same bytes), and,
after them, a later export of the same network (re-export: the same rows and 1% new ones, in other
bytes, so every row is a new source: the path of a rep's quarterly re-export).

Each scenario runs in its own process so its peak resident memory (ru_maxrss) is its own; a
baseline process that only loads graphapp is measured in the same run, and memory is printed
against it. Speed is printed against a reference run on the same files in the same run (each line
read by ``csv.reader`` and written as one plain SQLite row: the least any importer does), so that
figures from a noisy machine can be compared as ratios. The CPU seconds of the import are printed
too: on a shared machine they vary less than the wall-clock time. Files are parsed one after the other,
in the importing process. ``--growth`` also imports files of half the size and prints how much the peak
grows with the rows (memory that the batch size bounds does not grow).

    python -m benchmarks.import_speed                     # 100,000 connections + 50,000 messages
    python -m benchmarks.import_speed --connections 20000 --messages 10000
    python -m benchmarks.import_speed --growth            # and at 50,000 + 25,000: MiB per 75,000 rows
    python -m benchmarks.import_speed --zip               # the same rows as a LinkedIn export archive
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import date, timedelta
from pathlib import Path

OWNER = "dana.whitfield@brightline.example.com"
PREAMBLE = ('Notes:\n"When exporting your connection data, you may notice that some of the email addresses are '
            'missing."\n\n')


def write_files(folder: Path, n_connections: int, n_messages: int, seed: int = 7, new: float = 0.0) -> list[Path]:
    """The two files; with ``new`` > 0, as a later export of the same network: the same rows, then that
    share of new connections and new messages (other bytes: every row is a new source)."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    first = [f"Given{i}" for i in range(400)]
    last = [f"Family{i}" for i in range(600)]
    companies = [f"Company {i} Inc." for i in range(8000)]
    day0 = date(2026, 11, 1)
    people = []  # the fifth of the connections that the messages are with
    connections = folder / "Connections.csv"
    # Written line by line: this process's peak is inherited by the scenarios' processes (ru_maxrss
    # survives fork and exec), so it must stay below theirs even for files at the size cap.
    with connections.open("w") as out:
        out.write(PREAMBLE + "First Name,Last Name,URL,Email Address,Company,Position,Connected On")
        for i in range(n_connections):
            given, family = rng.choice(first), rng.choice(last)
            slug = f"{given}-{family}-{i:06x}".lower()
            email = f"{given}.{family}.{i}@example.com".lower() if rng.random() < 0.1 else ""
            when = (day0 - timedelta(days=rng.randrange(3000))).strftime("%d %b %Y")
            out.write(f"\n{given},{family},https://www.linkedin.com/in/{slug},{email},{rng.choice(companies)},Manager,{when}")
            if i < max(1, n_connections // 5):
                people.append((f"{given} {family}", f"https://www.linkedin.com/in/{slug}"))
        later = random.Random(seed + 1)  # the new rows of a later export (the rng above makes the same rows)
        for i in range(n_connections, n_connections + int(n_connections * new)):
            given, family = later.choice(first), later.choice(last)
            slug = f"{given}-{family}-{i:06x}".lower()
            out.write(f"\n{given},{family},https://www.linkedin.com/in/{slug},,{later.choice(companies)},Manager,01 Nov 2026")
    header = ("CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,SUBJECT,"
              "CONTENT,FOLDER,ATTACHMENTS,IS MESSAGE DRAFT")
    me = ("Dana Whitfield", "https://www.linkedin.com/in/dana-whitfield-brightline")
    messages = folder / "messages.csv"
    with messages.open("w") as out:
        out.write(header)
        for i in range(n_messages):
            other = rng.choice(people)
            sender, to = (me, other) if rng.random() < 0.5 else (other, me)
            when = f"{(day0 - timedelta(days=rng.randrange(700))).isoformat()} 10:00:00 UTC"
            out.write(f"\n2-c{i % 5000},,{sender[0]},{sender[1]},{to[0]},{to[1]},{when},,Hello {i},INBOX,,No")
        for i in range(n_messages, n_messages + int(n_messages * new)):
            other = later.choice(people)
            out.write(f"\n2-c{i % 5000},,{other[0]},{other[1]},{me[0]},{me[1]},2026-11-02 10:00:00 UTC,,Hello {i},INBOX,,No")
    return [connections, messages]


def scenario(kind: str, db: str, files: list[str]) -> dict:
    """Run in a child process: import (once or twice) and report time and peak memory."""
    if kind == "reference":
        return reference(db, files)
    from graphapp import service

    service.configure_process()  # as the CLI and the app do
    store = service.open_graph(db)
    figures = {}
    rounds = {"baseline": 0, "empty": 1, "reimport": 2, "reexport": 2}[kind]
    first, later = (files[: len(files) // 2], files[len(files) // 2:]) if kind == "reexport" else (files, files)
    for n in range(rounds):
        cpu, started = _cpu_seconds(), time.perf_counter()
        report = service.import_files(store, [Path(f) for f in (later if n else first)], owner=OWNER)
        seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
        rows = sum(f.rows_read for f in report.files)
        figures = {"seconds": seconds, "cpu_seconds": cpu, "rows": rows, "people_added": report.people_added,
                   "relationships_added": report.relationships_added, "round": n + 1}
    figures["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    store.close()
    return figures


def reference(db: str, files: list[str]) -> dict:
    """The least any importer does with the same files, as a yardstick measured in the same run: each
    line read by ``csv.reader`` and written as one row of one table (no index), in one SQLite
    transaction. The machine is shared and noisy; the import's time over this one is what to compare."""
    import csv
    import sqlite3

    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE raw (file TEXT, line INTEGER, cells TEXT)")
    cpu, started = _cpu_seconds(), time.perf_counter()
    conn.execute("BEGIN")
    rows = 0
    for f in files:
        with open(f, newline="", encoding="utf-8") as handle:
            lines = [(f, n, "\x1f".join(cells)) for n, cells in enumerate(csv.reader(handle))]
        conn.executemany("INSERT INTO raw VALUES (?, ?, ?)", lines)
        rows += len(lines)
    conn.execute("COMMIT")
    figures = {"seconds": time.perf_counter() - started, "cpu_seconds": _cpu_seconds() - cpu, "rows": rows}
    figures["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    conn.close()
    return figures


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def as_archive(files: list[Path], folder: Path) -> list[Path]:
    """The files as the members of a LinkedIn export archive, as a rep downloads it."""
    archive = folder / "Basic_LinkedInDataExport_12-03-2026.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for f in files:
            z.write(f, f.name)
    return [archive]


def run_scenarios(folder: Path, connections: int, messages: int, archive: bool = False) -> dict[str, dict]:
    """Write the files and run the baseline, reference, empty, re-import and re-export scenarios, each in
    its own process."""
    folder.mkdir(parents=True, exist_ok=True)
    files = [str(p) for p in write_files(folder, connections, messages)]
    again = [str(p) for p in write_files(folder / "later", connections, messages, new=0.01)]
    if archive:  # the reference still reads the CSVs
        files, again = ([str(p) for p in as_archive([Path(f) for f in fs], Path(fs[0]).parent)] for fs in (files, again))
    size = sum(Path(f).stat().st_size for f in files) / 2**20
    print(f"files: {connections:,} connections + {messages:,} messages ({size:.1f} MiB); re-export: the same "
          f"rows and 1% new ones, in other bytes")
    results = {}
    csvs = [str(folder / "Connections.csv"), str(folder / "messages.csv")]
    for kind in ("baseline", "reference", "empty", "reimport", "reexport"):
        db = str(folder / f"{kind}.db")
        args = [*files, *again] if kind == "reexport" else csvs if kind == "reference" else files
        out = subprocess.run([sys.executable, "-m", "benchmarks.import_speed", "--child", kind, db, *args],
                             capture_output=True, text=True, check=True)
        results[kind] = json.loads(out.stdout.strip().splitlines()[-1])
    base = results["baseline"]["peak_mib"]
    ref = results["reference"]
    print(f"reference: csv.reader and one plain SQLite row per line: {ref['rows'] / ref['seconds']:,.0f} rows/s "
          f"({ref['seconds']:.2f} s)")
    for kind in ("empty", "reimport", "reexport"):
        r = results[kind]
        print(f"{kind:>9}: {r['rows']:,} rows in {r['seconds']:.1f} s = {r['rows'] / r['seconds']:,.0f} rows/s, "
              f"{r['seconds'] / ref['seconds']:.1f}x the reference's time "
              f"({r['cpu_seconds']:.1f} CPU s = {r['rows'] / r['cpu_seconds']:,.0f} rows per CPU s); "
              f"peak {r['peak_mib']:.0f} MiB ({r['peak_mib'] - base:.0f} MiB over the {base:.0f} MiB baseline, "
              f"{r['peak_mib'] / base:.1f}x); people added {r['people_added']:,}, "
              f"relationships added {r['relationships_added']:,}")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--connections", type=int, default=100_000)
    parser.add_argument("--messages", type=int, default=50_000)
    parser.add_argument("--growth", action="store_true", help="also import half the rows: peak MiB per 75,000 rows")
    parser.add_argument("--zip", action="store_true", help="import the files as the members of a LinkedIn archive")
    parser.add_argument("--child", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(scenario(args.child[0], args.child[1], args.child[2:])))
        return
    with tempfile.TemporaryDirectory() as d:
        full = run_scenarios(Path(d) / "full", args.connections, args.messages, args.zip)
        if not args.growth:
            return
        half = run_scenarios(Path(d) / "half", args.connections // 2, args.messages // 2, args.zip)
        for kind in ("empty", "reimport", "reexport"):
            rows = full[kind]["rows"] - half[kind]["rows"]
            grown = full[kind]["peak_mib"] - half[kind]["peak_mib"]
            print(f"{kind:>9}: peak grows {grown:.0f} MiB for {rows:,} more rows = "
                  f"{grown / rows * 75_000:.0f} MiB per 75,000 rows")


if __name__ == "__main__":
    main()
