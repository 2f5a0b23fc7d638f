"""The `audit`, `forget`, `backup` and `restore` commands (records and safety; see graphapp/service.py).

The command line acts as whoever holds the database file, so it may do what an admin may; with
``--as REP_EMAIL`` it acts as that rep, with their role.
"""

from __future__ import annotations

import argparse
import json

from graphapp import service


def _print(args: argparse.Namespace, data, text: str) -> None:
    print(json.dumps(data, ensure_ascii=False) if args.json else text)


def cmd_audit(args: argparse.Namespace) -> int:
    with service.open_graph(args.db, create=False) as store:
        entries = service.audit_log(store, limit=args.limit, action=args.action,
                                    viewer=service.command_line_viewer(store, args.as_rep))
        who = service.actor_names(store)  # the text names the rep who acted; --json keeps the id
    lines = [f"{e.seq:>6}  {e.time:%Y-%m-%d %H:%M:%S}  {who.get(e.actor, e.actor):<16} {e.action:<16} {' '.join(e.objects)}"
             + (f"  ({', '.join(f'{k} {v:,}' for k, v in e.counts.items())})" if e.counts else "")
             for e in entries] or ["Nothing recorded yet."]
    _print(args, [e.as_dict() for e in entries], "\n".join(lines))
    return 0


def cmd_forget(args: argparse.Namespace) -> int:
    with service.open_graph(args.db, create=False) as store:
        result = service.forget_person(store, args.person_id, suppress=args.suppress,
                                       viewer=service.command_line_viewer(store, args.as_rep))
    c = result.counts
    text = (f"Forgot {result.person_id}: removed {c['relationships']:,} relationship(s), {c['employments']:,} job(s), "
            f"{c['evidence']:,} evidence row(s), {c['keys']:,} lookup key(s), {c['intros']:,} intro request(s)"
            + (f"; {c['suppressed']} key(s) suppressed, so imports skip them." if args.suppress else "."))
    _print(args, result.as_dict(), text)
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    with service.open_graph(args.db, create=False) as store:
        path, digest = service.backup(store, args.path, viewer=service.command_line_viewer(store, args.as_rep))
    _print(args, {"path": str(path), "digest": digest}, f"Backed up {store.location} to {path} (digest {digest[:16]}, verified).")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    with service.open_graph(args.db, create=False) as store:
        result = service.restore(store, args.path, viewer=service.command_line_viewer(store, args.as_rep))
    text = (f"Restored {args.path} into {store.location} (digest {str(result['digest'])[:16]}); the previous state "
            f"is kept in {result['previous']}. Kept {result['audit_rows_kept']} newer audit row(s) and "
            f"{result['suppressed_kept']} suppression(s); forgot {result['forgotten_again']} person(s) again.")
    _print(args, result, text)
    return 0


def add_parsers(sub, reporting: argparse.ArgumentParser) -> None:
    p = sub.add_parser("audit", parents=[reporting], help="the audit log, newest first")
    p.add_argument("--limit", type=int, default=50, help="how many rows (default: 50)")
    p.add_argument("--action", help="only this action (import, undo-import, forget, sign-in, ...)")
    p.set_defaults(handler=cmd_audit)
    p = sub.add_parser("forget", parents=[reporting], help="remove a person and everything about them, for every rep")
    p.add_argument("person_id", metavar="PERSON_ID")
    p.add_argument("--suppress", action="store_true",
                   help="also block their re-import (salted hashes of their e-mails and LinkedIn URL)")
    p.set_defaults(handler=cmd_forget)
    p = sub.add_parser("backup", parents=[reporting], help="a verified copy of the database (online backup API)")
    p.add_argument("path", metavar="PATH", help="a new file, or a folder to put a dated file in")
    p.set_defaults(handler=cmd_backup)
    p = sub.add_parser("restore", parents=[reporting], help="replace the database with a backup (the current one is kept)")
    p.add_argument("path", metavar="PATH", help="a backup written by `graphapp backup` or an automatic one")
    p.set_defaults(handler=cmd_restore)
