"""The ``graphapp`` command: a thin front end over :mod:`graphapp.service`.

Exit codes: 0 ok, 1 a user error (one line on stderr, no traceback), 2 a usage error (argparse).
Every command that reports takes ``--json``. Every command that changes something acts as the rep
``--as`` names, with that rep's role (``service.command_line_viewer``); without it, as whoever holds
the database file.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
import webbrowser
from collections.abc import Callable, Sequence
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from graphapp import service
from graphapp.cli import admin as cli_admin
from graphapp.cli import duplicates as cli_duplicates
from graphapp.cli import identity as cli_identity
from graphapp.cli import weekly as cli_weekly
from graphapp.cli.streamlit_options import streamlit_flags
from graphapp.errors import GraphAppError, InputError
from graphapp.settings import get_setting

Handler = Callable[[argparse.Namespace], int]


def _print(args: argparse.Namespace, data: Any, text: str) -> None:
    print(json.dumps(data, ensure_ascii=False) if args.json else text)


def _progress(args: argparse.Namespace) -> Callable[[str], None]:
    def say(message: str) -> None:
        if not args.json:
            print(f"... {message}", file=sys.stderr, flush=True)

    return say


def cmd_init(args: argparse.Namespace) -> int:
    location = str(get_setting("db", args.db))
    existed = Path(location).exists()
    with service.open_graph(location) as store:
        counts = service.stats(store)
    data = {"db": location, "created": not existed, "schema_version": service.SCHEMA_VERSION}
    verb = "Created" if not existed else "Ready:"
    _print(args, data, f"{verb} {location} (schema {service.SCHEMA_VERSION}, {counts.people} people).")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    with service.open_graph(args.db) as store:
        result = service.load_demo(store, force=args.force, seed=args.seed, progress=_progress(args),
                                   viewer=service.command_line_viewer(store, args.as_rep))
    counts = result.counts.as_dict()
    data = {"loaded": result.loaded, "import_id": result.record.id if result.record else None, **counts}
    lead = "Loaded the demo network" if result.loaded else "The demo network is already loaded"
    _print(args, data, f"{lead} into {store.location}: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()) + ".")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    with service.open_graph(args.db, create=False) as store:
        summary = service.summary(store)
    counts = summary.counts.as_dict()
    lines = [f"{k:>14}: {v:,}" for k, v in counts.items()]
    if summary.contributions:
        lines.append("relationships by owner:")
        lines += [f"  {c.owner}: {c.relationships:,}" for c in summary.contributions]
    _print(args, counts, "\n".join(lines))
    return 0


def cmd_reps_add(args: argparse.Namespace) -> int:
    with service.open_graph(args.db) as store:
        rep, added = service.add_rep(store, name=args.name, email=args.email, role=args.role,
                                     viewer=service.command_line_viewer(store, args.as_rep))
    data = {"email": rep.email, "name": rep.name, "person_id": rep.person_id, "role": rep.role, "added": added}
    _print(args, data, f"{'Added' if added else 'Already a rep:'} {rep.name} <{rep.email}> ({rep.role}).")
    return 0


def cmd_reps_list(args: argparse.Namespace) -> int:
    with service.open_graph(args.db, create=False) as store:
        reps = service.list_reps(store)
    data = [{"email": r.email, "name": r.name, "person_id": r.person_id, "role": r.role} for r in reps]
    text = "\n".join(f"{r.name} <{r.email}> {r.role}" for r in reps) or "No reps yet: graphapp reps add --name N --email E"
    _print(args, data, text)
    return 0


def _mapping(pairs: list[str]) -> dict[str, str] | None:
    mapping = {}
    for pair in pairs or []:
        column, sep, field = pair.rpartition("=")
        if not sep or not column.strip() or not field.strip():
            raise GraphAppError(f"--map takes 'Column=field', got {pair!r}.")
        mapping[column.strip()] = field.strip()
    return mapping or None


def cmd_import(args: argparse.Namespace) -> int:
    with service.open_graph(args.db) as store:
        report = service.import_files(
            store, args.files, owner=args.owner, mapping=_mapping(args.map), strict=args.strict,
            visibility=args.visibility or service.team_setting(store, "default_visibility"), progress=_progress(args),
            viewer=service.command_line_viewer(store, args.as_rep),
        )
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        print(_import_summary(report, all_warnings=args.all_warnings))
    return 0 if report.committed else 1


WARNINGS_SHOWN = 20  # per file, unless --all-warnings


def _import_summary(report: service.ImportReport, *, all_warnings: bool = False) -> str:
    lines = []
    for f in report.files:
        state = "refused" if not f.committed else f"{f.rows_accepted:,} accepted, {f.rows_rejected:,} rejected"
        lines.append(f"{f.path} [{f.format}]: {f.rows_read:,} rows read, {state}")
        for row, column, reason in f.errors[:20]:
            where = "file" if row is None else f"row {row}" + (f", {column}" if column else "")
            lines.append(f"  - {where}: {reason}")
        if len(f.errors) > 20:
            lines.append(f"  ... and {len(f.errors) - 20:,} more (use --json for all)")
        shown = f.warnings if all_warnings else f.warnings[:WARNINGS_SHOWN]
        for row, column, text in shown:
            where = "" if row is None else f"row {row}" + (f", {column}" if column else "") + ": "
            lines.append(f"  ! {where}{text}")
        if len(f.warnings) > len(shown):
            lines.append(f"  ! ... and {len(f.warnings) - len(shown):,} more warnings "
                         "(--all-warnings prints them all, --json lists them)")
    lines += [f"ignored: {item}" for item in report.ignored]
    lines += [f"note: {text}" for text in report.notes]
    if report.committed:
        lines.append(f"Import {report.import_id}: {report.headline()}")
        lines.append("  " + ", ".join(f"{label.lower()} {n:,}" for label, n in report.figures().items()))
        if report.people_known:
            lines.append(f"  people already known, recognised {report.known_how()}")
        shown = report.merges[:10]  # of the first merges the report lists
        lines += [f"  merged {name} ({reason})" for _pid, name, reason in shown]
        if report.merges_made > len(shown):
            listed = ("--json lists them" if len(report.merges) >= report.merges_made
                      else f"--json lists the first {len(report.merges):,}")
            lines.append(f"  ... and {report.merges_made - len(shown):,} more merges ({listed})")
    else:
        lines.append("Nothing was imported.")
    return "\n".join(lines)


def cmd_imports(args: argparse.Namespace) -> int:
    with service.open_graph(args.db, create=False) as store:
        records = service.list_imports(store)
        who = service.actor_names(store)  # the text names the rep who ran an import; --json keeps the id
    data = [
        {"import_id": r.id, "time": r.time.isoformat(), "actor": r.actor, "kind": r.kind, "status": r.status.value,
         "files": [{"name": f.name, "size": f.size, "sha256": f.sha256, "format": f.format} for f in r.files],
         "counts": dict(r.counts)}
        for r in records
    ]
    text = "\n".join(
        f"{r.id}  {r.time:%Y-%m-%d %H:%M}  {r.status.value:<9} {who.get(r.actor, r.actor):<12} "
        f"{', '.join(f.name for f in r.files) or r.kind}  "
        + ", ".join(f"{v:,} {k.removesuffix('_added')}" for k, v in r.counts if k.endswith("_added"))
        for r in records
    ) or "No imports yet: graphapp import FILE... --owner REP_EMAIL"
    _print(args, data, text)
    return 0


def cmd_undo_import(args: argparse.Namespace) -> int:
    with service.open_graph(args.db, create=False) as store:
        before = service.stats(store)
        record = service.undo_import(store, args.import_id, viewer=service.command_line_viewer(store, args.as_rep))
        after = service.stats(store)
    removed = {k: before.as_dict()[k] - after.as_dict()[k] for k in ("people", "organizations", "relationships")}
    data = {"import_id": record.id, "status": record.status.value, "removed": removed}
    _print(args, data, f"Undid import {record.id}: removed " + ", ".join(f"{v:,} {k}" for k, v in removed.items()) + ".")
    return 0


def _person_json(p) -> dict:
    return {"id": p.id, "name": p.name, "emails": list(p.emails), "linkedin_url": p.linkedin_url}


def cmd_merge(args: argparse.Namespace) -> int:
    with service.open_graph(args.db, create=False) as store:
        person = service.merge_people(store, args.keep, args.other, viewer=service.command_line_viewer(store, args.as_rep))
    _print(args, _person_json(person), f"Merged {args.other} into {person.id}: {person.name} "
           f"({', '.join(person.emails) or 'no e-mail'}).")
    return 0


def cmd_split(args: argparse.Namespace) -> int:
    with service.open_graph(args.db, create=False) as store:
        people = service.split_person(store, args.person_id, viewer=service.command_line_viewer(store, args.as_rep))
    text = f"Split {args.person_id} into {len(people)} people:\n" + "\n".join(
        f"  {p.id}  {p.name}  {', '.join(p.emails) or p.linkedin_url or ''}" for p in people)
    _print(args, [_person_json(p) for p in people], text)
    return 0


def cmd_strength(args: argparse.Namespace) -> int:
    value = None if args.value.lower() == "clear" else _fraction(args.value)
    with service.open_graph(args.db, create=False) as store:
        changed = service.set_strength(store, args.a, args.b, args.rep, value,
                                       viewer=service.command_line_viewer(store, args.as_rep))
    what = "cleared the strength of" if value is None else f"set the strength to {value:g} on"
    _print(args, {"changed": changed, "strength": value},
           f"{args.rep}: {what} {changed} relationship(s) between {args.a} and {args.b}.")
    return 0


def _fraction(text: str) -> float:
    try:
        return float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        raise InputError(f"A strength is a number in (0, 1] such as 0.8 (or 80%), or 'clear'; not {text!r}.") from None


def cmd_visibility(args: argparse.Namespace) -> int:
    with service.open_graph(args.db, create=False) as store:
        changed = service.set_person_visibility(store, args.person_id, args.rep, args.level,
                                                viewer=service.command_line_viewer(store, args.as_rep))
    _print(args, {"changed": changed, "visibility": args.level},
           f"{args.rep}: {changed} relationship(s) with {args.person_id} are now {args.level}.")
    return 0


def cmd_paths(args: argparse.Namespace) -> int:
    with service.open_graph(args.db, create=False) as store:
        result = service.account_paths(store, args.account, rep=args.rep, top=args.top, max_hops=args.max_hops,
                                       per_target=args.per_target, viewer=service.viewer_for(store, args.as_rep))
    data = result.as_dict()
    if not result.paths:
        text = (f"No warm path yet into {result.account_name}. Next: import the reps' LinkedIn exports and CRM "
                f"contacts, try --max-hops 4, or see `graphapp coverage` for who to meet next.")
    else:
        lines = [f"Warm paths into {result.account_name}:"]
        for p in result.paths:
            lines.append(f"{p['rank']:>3}. {p['score']:.2f}  {p['explanation']}")
        text = "\n".join(lines)
    _print(args, data, text)
    return 0


def cmd_coverage(args: argparse.Namespace) -> int:
    with service.open_graph(args.db, create=False) as store:
        result = service.coverage(store, max_hops=args.max_hops, limit=args.limit,
                                  viewer=service.viewer_for(store, args.as_rep))
    data = result.as_dict()
    lines = [f"{'account':<40} {'known':>6} {'best':>6}  {'tier':<6}  best-placed rep"]
    for a in data["accounts"]:
        rep = a["best_rep"] or "NO WARM PATH"
        lines.append(f"{a['name'][:40]:<40} {a['known_people']:>6} {a['best_score']:>6.2f}  {a['best_tier'] or '-':<6}  {rep}")
    if not data["accounts"]:
        lines = ["No target accounts yet: import a targets.csv (see docs/importing.md, Team file targets.csv)."]
    lines.append(f"{data['uncovered']} of {len(data['accounts'])} target accounts have no warm path.")
    if data["meet_next"]:
        lines.append("Who to meet next (one relationship from the most uncovered accounts):")
        for m in data["meet_next"]:
            known = m["known_by"]
            how = f"{known['name']} knows them: {' -> '.join(known['people'])} ({known['tier']})" if known else \
                "no one on the team knows them yet"
            lines.append(f"  {m['name']} ({m['id']}): {', '.join(m['accounts'])}; {how}")
    _print(args, data, "\n".join(lines))
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    with service.open_graph(args.source, create=False) as source:  # --as: a rep of the store copied
        viewer = service.command_line_viewer(source, args.as_rep)
    result = service.sync(args.source, args.target, progress=_progress(args), viewer=viewer)
    data = {"from": result.source, "to": result.target, **result.counts, "digest": result.digest}
    counts = ", ".join(f"{v:,} {k}" for k, v in result.counts.items())
    _print(args, data, f"Copied {result.source} to {result.target}: {counts}; the content digests match "
                       f"({result.digest[:16]}).")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    chosen = str(get_setting("db", args.db))
    location = chosen if service.is_server_location(chosen) else str(Path(chosen).resolve())  # a Neo4j URI stays as it is
    spec = find_spec("streamlit_app")
    if spec is None or spec.origin is None:
        raise GraphAppError("Cannot find streamlit_app.py; install graphapp from its source folder (pip install -e .).")
    signed_in = service.check_secrets_file(Path(spec.origin).parent / ".streamlit" / "secrets.toml")
    service.check_serve_address(args.address, signed_in, args.insecure_local_mode_on_network)  # local stays local
    service.open_graph(location).close()  # fail here, with a clear message, rather than in the browser
    env = {**os.environ, "GRAPHAPP_DB": location}
    if args.insecure_local_mode_on_network and not signed_in:
        env[service.INSECURE_FLAG] = "1"
        print(f"graphapp: WARNING: no sign-in, served at {args.address}: anyone who can reach this machine can pick "
              "any rep, admins included (every page says so).", file=sys.stderr, flush=True)
    # Always headless: Streamlit itself would otherwise ask for an e-mail address on a first run (and stop
    # when nobody can answer); graphapp opens the browser once the app answers.
    # The app's Streamlit settings on the command line: an installed package has no .streamlit/config.toml.
    command = [
        sys.executable, "-m", "streamlit", "run", spec.origin,
        "--server.port", str(args.port), "--server.address", args.address,
        *streamlit_flags(get_setting("max_file_mb")),
    ]
    url = f"http://{args.address}:{args.port}"
    print(f"graphapp: serving {location} at {url}", file=sys.stderr, flush=True)
    if not args.headless:
        threading.Thread(target=_open_browser_when_up, args=(url,), daemon=True).start()
    # Run from the app's folder (its secrets.toml, in a source checkout).
    return run_streamlit(command, cwd=Path(spec.origin).parent, env=env)


FORWARDED = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGHUP", "SIGQUIT") if hasattr(signal, name))
STOP_GRACE_SECONDS = 10.0
"""How long Streamlit has to stop after a forwarded signal before it is killed."""


def run_streamlit(command: list[str], *, cwd: Path, env: dict[str, str]) -> int:
    """Run Streamlit as a child and pass it the signals that stop a server (SIGTERM from a service manager or
    ``kill``, SIGINT, SIGHUP, SIGQUIT), so stopping ``graphapp serve`` stops the app; a child still running
    :data:`STOP_GRACE_SECONDS` after the signal is killed. A child (not ``exec``) so the browser can be
    opened once the app answers. Returns the child's exit status (128 + the signal's number when a signal
    ended it)."""
    child = subprocess.Popen(command, cwd=cwd, env=env)
    stop_by: list[float] = []

    def forward(signum: int, _frame: Any) -> None:
        if child.poll() is None:
            child.send_signal(signum)
        stop_by.append(time.monotonic() + STOP_GRACE_SECONDS)

    previous = {signum: signal.signal(signum, forward) for signum in FORWARDED}
    try:
        while True:
            try:
                code = child.wait(timeout=0.5)
                break
            except subprocess.TimeoutExpired:
                if stop_by and time.monotonic() > stop_by[0]:
                    child.kill()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return 128 - code if code < 0 else code


def _open_browser_when_up(url: str, wait_seconds: float = 60.0) -> None:
    """Open ``url`` in the user's browser once the app answers its health check (nothing where there is
    no browser, as on a server)."""
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                webbrowser.open(url)
                return
        except OSError:
            time.sleep(0.5)


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS, help="database file (default: $GRAPHAPP_DB or ./graphapp.db)")
    common.add_argument("--as", dest="as_rep", metavar="REP_EMAIL", default=argparse.SUPPRESS,
                        help="act as this rep: see what they may see (others' private relationships left out, hidden "
                             "contacts masked) and change only what their role allows")
    reporting = argparse.ArgumentParser(add_help=False, parents=[common])
    reporting.add_argument("--json", action="store_true", help="print JSON instead of text")

    parser = argparse.ArgumentParser(
        prog="graphapp",
        description="Referral and network graph explorer: warm-introduction paths into target accounts.",
        parents=[common],
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    p = sub.add_parser("init", parents=[reporting], help="create an empty graph database")
    p.set_defaults(handler=cmd_init)
    p = sub.add_parser("demo", parents=[reporting], help="load the invented demo network (8 reps, 3,000 people)")
    p.add_argument("--force", action="store_true", help="load it even though the store already holds other data")
    p.add_argument("--seed", type=int, default=None, help="random seed (default: setting demo_seed)")
    p.set_defaults(handler=cmd_demo)
    p = sub.add_parser("stats", parents=[reporting], help="what the graph holds")
    p.set_defaults(handler=cmd_stats)

    reps = sub.add_parser("reps", help="the team's reps").add_subparsers(dest="reps_command", required=True, metavar="ACTION")
    p = reps.add_parser("add", parents=[reporting], help="add a rep")
    p.add_argument("--name", required=True)
    p.add_argument("--email", required=True)
    p.add_argument("--role", default="rep", choices=("admin", "rep", "viewer"))
    p.set_defaults(handler=cmd_reps_add)
    p = reps.add_parser("list", parents=[reporting], help="list the reps")
    p.set_defaults(handler=cmd_reps_list)

    p = sub.add_parser("import", parents=[reporting], help="import exports: LinkedIn ZIP/CSVs, CRM, address books, calendars, team sheets")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--owner", metavar="REP_EMAIL", help="the rep whose data the files are (a LinkedIn archive names its own)")
    p.add_argument("--map", action="append", metavar="COLUMN=FIELD",
                   help="map a column of an unknown CSV to a field (name, first_name, last_name, email, linkedin, company, title, phone, location)")
    p.add_argument("--strict", action="store_true", help="import nothing if any row or file is rejected")
    p.add_argument("--all-warnings", action="store_true",
                   help=f"print every warning of every file (default: the first {WARNINGS_SHOWN} of each)")
    p.add_argument("--visibility", default=None, choices=("private", "existence", "team"),
                   help="who sees the relationships brought (default: existence)")
    p.set_defaults(handler=cmd_import)
    p = sub.add_parser("imports", parents=[reporting], help="list imports with their counts")
    p.set_defaults(handler=cmd_imports)
    p = sub.add_parser("undo-import", parents=[reporting], help="remove exactly what one import brought")
    p.add_argument("import_id", metavar="ID")
    p.set_defaults(handler=cmd_undo_import)

    p = sub.add_parser("merge", parents=[reporting], help="make two people one (a match the importers missed)")
    p.add_argument("keep", metavar="ID", help="the person who stays")
    p.add_argument("other", metavar="ID", help="the person merged into the first")
    p.set_defaults(handler=cmd_merge)
    p = sub.add_parser("split", parents=[reporting], help="split a person wrongly merged from several identities")
    p.add_argument("person_id", metavar="ID")
    p.set_defaults(handler=cmd_split)
    cli_duplicates.add_parsers(sub, reporting)

    p = sub.add_parser("strength", parents=[reporting],
                       help="set your own strength for a relationship you keep (replaces the computed one)")
    p.add_argument("a", metavar="ID", help="one person's id")
    p.add_argument("b", metavar="ID", help="the other person's id")
    p.add_argument("value", help="a number in (0, 1] such as 0.8, a percentage such as 80%%, or 'clear'")
    p.add_argument("--rep", metavar="EMAIL", required=True, help="the rep who keeps the relationship")
    p.set_defaults(handler=cmd_strength)
    p = sub.add_parser("visibility", parents=[reporting],
                       help="who sees the relationships a rep keeps with one person: private, existence or team")
    p.add_argument("person_id", metavar="ID", help="the person's id")
    p.add_argument("level", choices=("private", "existence", "team"))
    p.add_argument("--rep", metavar="EMAIL", required=True, help="the rep who keeps the relationships")
    p.set_defaults(handler=cmd_visibility)
    cli_weekly.add_parsers(sub, reporting)
    cli_admin.add_parsers(sub, reporting)
    cli_identity.add_parsers(sub, reporting)
    p = sub.add_parser("paths", parents=[reporting], help="ranked warm-introduction paths into one account")
    p.add_argument("--account", required=True, metavar="NAME_OR_DOMAIN", help="the account's name, domain or id")
    p.add_argument("--rep", metavar="EMAIL", help="only paths starting at this rep")
    p.add_argument("--top", type=int, default=None, help="how many paths (default: setting paths_top)")
    p.add_argument("--max-hops", type=int, default=None, help="most relationships per path (default: setting paths_max_hops)")
    p.add_argument("--per-target", type=int, default=None, help="most paths per person at the account (default: 3)")
    p.set_defaults(handler=cmd_paths)
    p = sub.add_parser("coverage", parents=[reporting], help="how well the team reaches each target account")
    p.add_argument("--max-hops", type=int, default=None, help="most relationships per path (default: setting paths_max_hops)")
    p.add_argument("--limit", type=int, default=None, help="how many people to suggest meeting (default: setting meet_next)")
    p.set_defaults(handler=cmd_coverage)

    p = sub.add_parser("sync", parents=[reporting], help="copy a whole store between SQLite and Neo4j, verified")
    p.add_argument("--from", dest="source", required=True, metavar="SRC", help="the store to copy (file or Neo4j URI)")
    p.add_argument("--to", dest="target", required=True, metavar="DST", help="an empty store to copy it into")
    p.set_defaults(handler=cmd_sync)

    p = sub.add_parser("serve", parents=[common], help="start the browser app")
    p.add_argument("--port", type=int, default=8501)
    p.add_argument("--address", default="localhost")
    p.add_argument("--headless", action="store_true", help="do not open a browser window")
    p.add_argument("--insecure-local-mode-on-network", action="store_true",
                   help="without sign-in, serve an address other than loopback anyway (anyone who reaches it "
                        "can pick any rep; every page warns)")
    p.set_defaults(handler=cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    args.db = getattr(args, "db", None)
    args.as_rep = getattr(args, "as_rep", None)
    args.json = getattr(args, "json", False)
    service.configure_process()
    try:
        with service.acting_as(service.current_actor()):  # the `actor` setting, else the OS user
            return args.handler(args)
    except GraphAppError as exc:
        print(f"graphapp: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("graphapp: interrupted; nothing was committed by the interrupted step.", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
