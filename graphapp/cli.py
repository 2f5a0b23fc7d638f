"""The ``graphapp`` command: a thin front end over :mod:`graphapp.service`.

Exit codes: 0 ok, 1 a user error (one line on stderr, no traceback), 2 a usage error (argparse).
Every command that reports takes ``--json``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from graphapp import service
from graphapp.errors import GraphAppError
from graphapp.settings import get_setting
from graphapp.store.sqlite_schema import SCHEMA_VERSION

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
    data = {"db": location, "created": not existed, "schema_version": SCHEMA_VERSION}
    verb = "Created" if not existed else "Ready:"
    _print(args, data, f"{verb} {location} (schema {SCHEMA_VERSION}, {counts.people} people).")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    with service.open_graph(args.db) as store:
        result = service.load_demo(store, force=args.force, seed=args.seed, progress=_progress(args))
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
        rep, added = service.add_rep(store, name=args.name, email=args.email, role=args.role)
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


def cmd_serve(args: argparse.Namespace) -> int:
    location = str(Path(get_setting("db", args.db)).resolve())
    service.open_graph(location).close()  # fail here, with a clear message, rather than in the browser
    spec = find_spec("streamlit_app")
    if spec is None or spec.origin is None:
        raise GraphAppError("Cannot find streamlit_app.py; install graphapp from its source folder (pip install -e .).")
    command = [
        sys.executable, "-m", "streamlit", "run", spec.origin,
        "--server.port", str(args.port), "--server.address", args.address,
        "--server.headless", "true" if args.headless else "false",
    ]
    print(f"graphapp: serving {location} at http://{args.address}:{args.port}", file=sys.stderr, flush=True)
    # Run from the app's folder so its .streamlit/config.toml (XSRF on, error details hidden) applies.
    return subprocess.call(command, cwd=Path(spec.origin).parent, env={**os.environ, "GRAPHAPP_DB": location})


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS, help="database file (default: $GRAPHAPP_DB or ./graphapp.db)")
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

    p = sub.add_parser("serve", parents=[common], help="start the browser app")
    p.add_argument("--port", type=int, default=8501)
    p.add_argument("--address", default="localhost")
    p.add_argument("--headless", action="store_true", help="do not open a browser window")
    p.set_defaults(handler=cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    args.db = getattr(args, "db", None)
    args.json = getattr(args, "json", False)
    try:
        return args.handler(args)
    except GraphAppError as exc:
        print(f"graphapp: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("graphapp: interrupted; nothing was committed by the interrupted step.", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
