"""The `weekly` and `intro` commands (the weekly lists and the introduction workflow)."""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

from graphapp import service
from graphapp.errors import InputError
from graphapp.export.weekly import weekly_csv, weekly_html, weekly_markdown

FORMATS = ("csv", "html", "md")


def _print(args: argparse.Namespace, data, text: str) -> None:
    print(json.dumps(data, ensure_ascii=False) if args.json else text)


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        raise InputError(f"A date is written like 2026-11-30, not {text!r}.") from None


def cmd_weekly(args: argparse.Namespace) -> int:
    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise InputError(f"Unknown format {', '.join(unknown)}; choose from {', '.join(FORMATS)}.")
    with service.open_graph(args.db, create=False) as store:
        result = service.weekly_lists(store, week=args.week, rep=args.rep, record=not args.dry_run,
                                      viewer=service.command_line_viewer(store, args.as_rep))
        data = result.as_dict()
        written = []
        if args.out:
            out = Path(args.out)
            out.mkdir(parents=True, exist_ok=True)
            shown = sum(len(r["items"]) for r in data["reps"])
            if "csv" in formats:
                written.append(out / f"weekly-{data['week']}.csv")
                written[-1].write_text(weekly_csv(data), encoding="utf-8")
                service.record_export(store, "weekly-csv", shown)
            if "md" in formats:
                written.append(out / f"weekly-{data['week']}.md")
                written[-1].write_text(weekly_markdown(data), encoding="utf-8")
                service.record_export(store, "weekly-md", shown)
            if "html" in formats:
                for r in data["reps"]:
                    slug = (r["rep"]["email"] or r["rep"]["id"]).split("@")[0].replace(".", "-")
                    written.append(out / f"weekly-{data['week']}-{slug}.html")
                    written[-1].write_text(weekly_html(data, r["rep"], r["items"]), encoding="utf-8")
                    service.record_export(store, "weekly-html", len(r["items"]))
    text = weekly_markdown(data) + "".join(f"\nwrote {p}" for p in written)
    _print(args, data, text)
    return 0


def cmd_intro_request(args: argparse.Namespace) -> int:
    with service.open_graph(args.db, create=False) as store:
        result = service.account_paths(store, args.account, rep=args.rep, top=max(args.rank, 1),
                                       viewer=service.viewer_for(store, args.as_rep))
        paths = result.as_dict()["paths"]
        if not 1 <= args.rank <= len(paths):
            raise InputError(f"{result.account_name} has {len(paths)} warm path(s); choose --rank 1 to {len(paths)}."
                             if paths else f"No warm path yet into {result.account_name}.")
        path = paths[args.rank - 1]
        draft = service.draft_request(path, result.account_name)
        intro = service.request_intro(store, path, result.account_id, draft=draft, note=args.note, day=_day(args.date),
                                      viewer=service.command_line_viewer(store, args.as_rep))
    _print(args, _intro_json(intro), f"Recorded {intro.id}: {intro.rep_email} asked "
           f"{path['hops'][0]['to']['name']} about {path['target']['name']} at {result.account_name}.\n\n{draft}")
    return 0


def cmd_intro_update(args: argparse.Namespace) -> int:
    with service.open_graph(args.db, create=False) as store:
        intro = service.update_intro(store, args.id, args.state, note=args.note, day=_day(args.date),
                                     viewer=service.command_line_viewer(store, args.as_rep))
    _print(args, _intro_json(intro), f"{intro.id} is now {intro.state.value}.")
    return 0


def cmd_intro_list(args: argparse.Namespace) -> int:
    with service.open_graph(args.db, create=False) as store:
        intros = service.list_intros(store, rep_email=args.rep)
    if args.state:
        intros = [i for i in intros if i.state.value == args.state]
    lines = [f"{i.id}  {i.state.value:<11} {i.updated:%Y-%m-%d}  {i.rep_email}: {i.path['hops'][0]['to']['name']} -> "
             f"{i.path['target']['name']}" for i in intros] or ["No introduction requests yet."]
    _print(args, [_intro_json(i) for i in intros], "\n".join(lines))
    return 0


def _intro_json(i) -> dict:
    return {"id": i.id, "rep": i.rep_email, "account_id": i.account_id, "connector_id": i.connector_id,
            "target_id": i.target_id, "score": i.score, "state": i.state.value,
            "events": [{"state": e.state.value, "day": e.day.isoformat(), "note": e.note} for e in i.events]}


def add_parsers(sub, reporting: argparse.ArgumentParser) -> None:
    p = sub.add_parser("weekly", parents=[reporting], help="each rep's suggested introductions and cadence reminders")
    p.add_argument("--week", help="ISO week such as 2026-W48 (default: this week)")
    p.add_argument("--rep", metavar="EMAIL", help="only this rep's list")
    p.add_argument("--out", metavar="DIR", help="also write the lists as files into DIR")
    p.add_argument("--format", default="csv,html,md", help="files to write with --out: csv, html, md (default: all)")
    p.add_argument("--dry-run", action="store_true", help="do not record this week's suggestions")
    p.set_defaults(handler=cmd_weekly)
    p = sub.add_parser("intro", help="introduction requests: request, update, list")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    a = actions.add_parser("request", parents=[reporting], help="record that a rep asked for an introduction")
    a.add_argument("--account", required=True, help="target account (name, domain or id)")
    a.add_argument("--rank", type=int, default=1, help="which of the account's ranked paths (default: 1)")
    a.add_argument("--rep", metavar="EMAIL", help="the rep's paths only")
    a.add_argument("--note", help="a note kept with the request")
    a.add_argument("--date", help="when it was asked (default: today)")
    a.set_defaults(handler=cmd_intro_request)
    a = actions.add_parser("update", parents=[reporting], help="move a request on: accepted, declined, introduced, ...")
    a.add_argument("id", help="the request's id (`graphapp intro list`)")
    a.add_argument("state", help="accepted, declined, introduced, meeting, opportunity, won or lost")
    a.add_argument("--note", help="a note kept with the change")
    a.add_argument("--date", help="when it happened (default: today)")
    a.set_defaults(handler=cmd_intro_update)
    a = actions.add_parser("list", parents=[reporting], help="introduction requests, newest first")
    a.add_argument("--rep", metavar="EMAIL", help="one rep's")
    a.add_argument("--state", help="only requests in this state")
    a.set_defaults(handler=cmd_intro_list)
