"""The `duplicates` command: possible duplicates listed for a person to decide, and their decisions
(`same` merges, `different` is remembered); see :mod:`graphapp.service.duplicates`."""

from __future__ import annotations

import argparse
import json

from graphapp import service


def _print(args: argparse.Namespace, data, text: str) -> None:
    print(json.dumps(data, ensure_ascii=False) if args.json else text)


def _side_text(side: service.DuplicateSide) -> str:
    where = ", ".join(side.organizations) or "no organisation known"
    facts = [f for f in (side.title, side.location, ", ".join(side.emails), ", ".join(side.phones), side.linkedin_url) if f]
    return f"    {side.id}  {side.name}, {where}" + (f" ({'; '.join(facts)})" if facts else "")


def cmd_list(args: argparse.Namespace) -> int:
    with service.open_graph(args.db, create=False) as store:
        result = service.possible_duplicates(store, limit=args.limit, viewer=service.viewer_for(store, args.as_rep))
    lines = []
    for n, pair in enumerate(result.pairs, start=1):
        lines.append(f"{n:>3}. {pair.first.name} / {pair.second.name}: "
                     + ("; ".join(pair.reasons) or "the same name, nothing else in common"))
        lines += [_side_text(pair.first), _side_text(pair.second)]
    if not result.pairs:
        lines.append("No possible duplicates: no two people of one name are left to decide.")
    elif result.total > len(result.pairs):
        lines.append(f"... {result.total - len(result.pairs):,} more pairs (--limit N shows more).")
    if result.kept_apart:
        lines.append(f"{result.kept_apart:,} pair(s) decided to be different people are not listed.")
    if result.pairs:
        lines.append("Decide: graphapp duplicates same ID ID (merge; the first id stays) "
                     "or graphapp duplicates different ID ID.")
    _print(args, result.as_dict(), "\n".join(lines))
    return 0


def cmd_same(args: argparse.Namespace) -> int:
    with service.open_graph(args.db, create=False) as store:
        person = service.decide_same(store, args.first, args.second,
                                     viewer=service.command_line_viewer(store, args.as_rep))
    data = {"id": person.id, "name": person.name, "emails": list(person.emails), "linkedin_url": person.linkedin_url}
    _print(args, data, f"Merged {args.second} into {person.id}: {person.name} "
           f"({', '.join(person.emails) or 'no e-mail'}). `graphapp split {person.id}` undoes it.")
    return 0


def cmd_different(args: argparse.Namespace) -> int:
    with service.open_graph(args.db, create=False) as store:
        decision = service.decide_different(store, args.first, args.second,
                                            viewer=service.command_line_viewer(store, args.as_rep))
    data = {"first_id": decision.first_id, "second_id": decision.second_id, "time": decision.time.isoformat(),
            "actor": decision.actor}
    _print(args, data, f"Kept {args.first} and {args.second} apart: they will not be proposed as duplicates again.")
    return 0


def add_parsers(sub, reporting: argparse.ArgumentParser) -> None:
    p = sub.add_parser("duplicates", parents=[reporting],
                       help="people of one name that no key joined, likeliest first, for you to decide")
    p.add_argument("--limit", type=int, default=service.DUPLICATES_LIMIT, help="how many pairs (default: 50)")
    p.set_defaults(handler=cmd_list)
    decide = p.add_subparsers(dest="duplicates_command", required=False, metavar="ACTION")
    for name, handler, what in (("same", cmd_same, "one human: merge the second into the first"),
                                ("different", cmd_different, "two humans: never propose them again")):
        q = decide.add_parser(name, parents=[reporting], help=what)
        q.add_argument("first", metavar="ID")
        q.add_argument("second", metavar="ID")
        q.set_defaults(handler=handler)
