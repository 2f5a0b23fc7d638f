"""The `doctor`, `people` and `orgs` commands: auditing who is who (see graphapp/service/identity_audit.py).

The command line acts as whoever holds the database file, so it sees everything unless ``--as REP_EMAIL``
asks for what that rep may see (an admin rep still sees everything).
"""

from __future__ import annotations

import argparse
import json

from graphapp import service


def _print(args: argparse.Namespace, data, text: str) -> None:
    print(json.dumps(data, ensure_ascii=False) if args.json else text)


def _viewer(store, args: argparse.Namespace):
    return service.viewer_for(store, args.as_rep) if args.as_rep else None


def cmd_doctor(args: argparse.Namespace) -> int:
    with service.open_graph(args.db, create=False) as store:
        violations = service.check_identity(store, viewer=_viewer(store, args))
    data = {"ok": not violations, "violations": [v.as_dict() for v in violations]}
    _print(args, data, "\n".join(v.line() for v in violations) or "No problems found")
    return 1 if violations else 0


def _cut_note(listing, what: str) -> list[str]:
    if not listing.cut:
        return []
    if not listing.exact:
        return [f"... the first {len(listing.entries):,} {what} shown, and more match; raise --limit to see more."]
    return [f"... {len(listing.entries):,} of {listing.total:,} {what} shown; raise --limit to see more."]


def _files(entry) -> str:
    names = ", ".join(entry.files) or "no file"
    return names + (f" (+{entry.files_hidden} of other reps)" if entry.files_hidden else "")


def cmd_people(args: argparse.Namespace) -> int:
    with service.open_graph(args.db, create=False) as store:
        listing = service.list_people(store, search=args.search, limit=args.limit, viewer=_viewer(store, args))
    lines = []
    for p in listing.entries:
        keys = ", ".join([*p.emails, *([p.linkedin_url] if p.linkedin_url else [])]) or "no e-mail or LinkedIn URL"
        lines.append(f"{p.id}  {p.name}  [{p.organization or 'no current organisation'}]")
        lines.append(f"    keys: {keys}")
        lines.append(f"    files: {_files(p)}")
    lines += _cut_note(listing, "people")
    empty = f"Nobody matches {args.search!r}." if args.search else "No people yet: graphapp import FILE... --owner REP_EMAIL"
    _print(args, listing.as_dict(), "\n".join(lines) or empty)
    return 0


def cmd_orgs(args: argparse.Namespace) -> int:
    with service.open_graph(args.db, create=False) as store:
        listing = service.list_organizations(store, limit=args.limit, viewer=_viewer(store, args))
    lines = []
    for o in listing.entries:
        lines.append(f"{o.id}  {o.name}  [{', '.join(o.domains) or 'no domain'}]  "
                     f"{o.people:,} people, {o.people_now:,} there now")
        lines.append(f"    files: {_files(o)}")
    lines += _cut_note(listing, "organisations")
    _print(args, listing.as_dict(), "\n".join(lines) or "No organisations yet: graphapp import FILE... --owner REP_EMAIL")
    return 0


def add_parsers(sub, reporting: argparse.ArgumentParser) -> None:
    p = sub.add_parser("doctor", parents=[reporting],
                       help="check who is who: shared e-mails or LinkedIn URLs, reps, evidence (exit 1 on a problem)")
    p.set_defaults(handler=cmd_doctor)
    p = sub.add_parser("people", parents=[reporting],
                       help="people with their e-mails, LinkedIn URL, current organisation and files")
    p.add_argument("--search", metavar="TEXT", help="part of a name, e-mail or organisation")
    p.add_argument("--limit", type=int, default=50, help="how many people (default: 50)")
    p.set_defaults(handler=cmd_people)
    p = sub.add_parser("orgs", parents=[reporting], help="organisations with their domains, people and files")
    p.add_argument("--limit", type=int, default=50, help="how many organisations (default: 50)")
    p.set_defaults(handler=cmd_orgs)
