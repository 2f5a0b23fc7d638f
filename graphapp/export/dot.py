"""Warm paths as Graphviz DOT text, for the app to draw (pure; the browser renders the DOT).

Each person appears once; reps on the left, the account's people on the right; every edge is labelled
with its tier (strong, medium, weak) on the line and shows why on hover (a path recorded before tiers:
the tier of its strength), and a weak tie is drawn dashed. A legend says what the colours and the dashes
mean; the viewer's own node reads "(you)". Nodes are named ``n1``, ``n2``… in the DOT: a person's id never
reaches the drawing (a browser shows a node's name on hover). Every value is a quoted, escaped DOT string
(:mod:`graphapp.export.text_safety`): a name cannot add an attribute, an HTML-like label, a link or an
image to the drawing.
"""

from __future__ import annotations

from graphapp.domain.tie_labels import tier_of
from graphapp.export.text_safety import dot_label
from graphapp.export.text_safety import dot_string as _q

REP = 'fillcolor="#dbeafe", color="#2563eb"'
TARGET = 'fillcolor="#dcfce7", color="#16a34a"'
CONNECTOR = 'fillcolor="#f1f5f9", color="#94a3b8"'
YOU = 'penwidth=2.5'
LEGEND = ("Legend", "Rep", "Connector", "At the account", "strong or medium tie", "weak tie: warm it up first")


def _legend(you: bool) -> list[str]:
    """A one-row cluster: the three colours, joined by a solid line (a strong or medium tie) and a dashed
    one (a weak tie)."""
    rep = "You and the other reps" if you else LEGEND[1]
    return [
        f'  subgraph cluster_legend {{ label={_q(LEGEND[0])}; style="rounded"; color="#cbd5e1"; fontname="Helvetica"; '
        'fontsize=10;',
        f'    legend_rep [label={_q(rep)}, {REP}, fontsize=9];',
        f'    legend_connector [label={_q(LEGEND[2])}, fontsize=9];',
        f'    legend_target [label={_q(LEGEND[3])}, {TARGET}, fontsize=9];',
        f'    legend_rep -> legend_connector [label={_q(LEGEND[4])}, fontsize=9];',
        f'    legend_connector -> legend_target [label={_q(LEGEND[5])}, style=dashed, fontsize=9];',
        '  }']


def paths_dot(paths: list[dict], account_name: str = "", you: str | None = None) -> str:
    """DOT for paths as ``graphapp paths --json`` prints them (the ``"paths"`` list); ``you``: the viewer's
    e-mail, whose own node is marked "(you)".

    Example:
        >>> dot = paths_dot([{"rep": {"id": "a", "name": "Dana"}, "target": {"id": "b", "name": "Mei"},
        ...                   "hops": [{"from": {"id": "a", "name": "Dana"}, "to": {"id": "b", "name": "Mei"},
        ...                             "kind": "customer", "strength": 0.8}]}])
        >>> '"n1" -> "n2" [label="strong"' in dot
        True
    """
    lines = ["digraph paths {", "  rankdir=LR; bgcolor=transparent; nodesep=0.3; ranksep=0.9;",
             f'  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11, {CONNECTOR}];',
             '  edge [fontname="Helvetica", fontsize=10, color="#475569", fontcolor="#334155"];']
    names: dict[str, str] = {}  # person id -> n1, n2…: ids stay out of the drawing
    nodes: dict[str, str] = {}
    edges: dict[tuple[str, str], str] = {}
    reps, targets, mine = set(), set(), set()
    for path in paths:
        reps.add(path["rep"]["id"])
        targets.add(path["target"]["id"])
        if you and (path["rep"].get("email") or "").casefold() == you.casefold():
            mine.add(path["rep"]["id"])
        for hop in path["hops"]:
            for person in (hop["from"], hop["to"]):
                names.setdefault(person["id"], f"n{len(names) + 1}")
                lines_of = (person["name"], person["title"]) if person.get("title") else (person["name"],)
                nodes.setdefault(person["id"], dot_label(*lines_of) if person["id"] not in mine else
                                 dot_label(f"{person['name']} (you)", *lines_of[1:]))
            tier = hop.get("tier") or tier_of(hop["strength"])  # a path recorded before tiers: its strength's
            style = ", style=dashed" if tier in ("weak", "none") else ""
            # The tier on the line, and why on hover (paths from `graphapp paths --json` carry both).
            attrs = f"label={_q(tier)}, tooltip={_q(hop.get('label') or tier)}"
            edges.setdefault((hop["from"]["id"], hop["to"]["id"]), f"{attrs}{style}")
    for pid, label in nodes.items():
        colour = f", {REP}" if pid in reps else (f", {TARGET}" if pid in targets else "")
        lines.append(f"  {_q(names[pid])} [label={label}, tooltip={label}{colour}{', ' + YOU if pid in mine else ''}];")
    if account_name and targets:
        lines.append(f'  subgraph cluster_account {{ label={_q(account_name)}; style="rounded,dashed"; '
                     f'color="#16a34a"; fontname="Helvetica"; {" ".join(_q(names[t]) for t in sorted(targets))} }}')
    for (a, b), attrs in edges.items():
        lines.append(f"  {_q(names[a])} -> {_q(names[b])} [{attrs}];")
    if nodes:
        lines += _legend(bool(mine))
    lines.append("}")
    return "\n".join(lines)
