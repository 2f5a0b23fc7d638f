"""Warm paths as Graphviz DOT text, for the app to draw (pure; the browser renders the DOT).

Each person appears once; reps on the left, the account's people on the right; every edge is labelled
with its tier (strong, medium, weak) and shows why on hover (a path recorded before tiers: kind and
strength), and the weakest hop of each path is drawn dashed. Every value is a quoted, escaped DOT string
(:mod:`graphapp.export.text_safety`): a name cannot add an attribute, an HTML-like label, a link or an
image to the drawing.
"""

from __future__ import annotations

from graphapp.export.text_safety import dot_label
from graphapp.export.text_safety import dot_string as _q


def paths_dot(paths: list[dict], account_name: str = "") -> str:
    """DOT for paths as ``graphapp paths --json`` prints them (the ``"paths"`` list).

    Example:
        >>> dot = paths_dot([{"rep": {"id": "a", "name": "Dana"}, "target": {"id": "b", "name": "Mei"},
        ...                   "hops": [{"from": {"id": "a", "name": "Dana"}, "to": {"id": "b", "name": "Mei"},
        ...                             "kind": "customer", "strength": 0.8}]}])
        >>> '"a" -> "b" [label="customer 0.80"' in dot
        True
    """
    lines = ["digraph paths {", "  rankdir=LR; bgcolor=transparent;",
             '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11, fillcolor="#f1f5f9", '
             'color="#94a3b8"];', '  edge [fontname="Helvetica", fontsize=10, color="#475569"];']
    nodes: dict[str, str] = {}
    edges: dict[tuple[str, str], str] = {}
    reps, targets = set(), set()
    for path in paths:
        reps.add(path["rep"]["id"])
        targets.add(path["target"]["id"])
        weakest = min(range(len(path["hops"])), key=lambda i: path["hops"][i]["strength"])
        for i, hop in enumerate(path["hops"]):
            for person in (hop["from"], hop["to"]):
                lines_of = (person["name"], person["title"]) if person.get("title") else (person["name"],)
                nodes.setdefault(person["id"], dot_label(*lines_of))
            style = ', style=dashed' if i == weakest and len(path["hops"]) > 1 else ""
            # The tier, and its label on hover (paths from `graphapp paths --json` carry both); a path recorded
            # before tiers existed: kind and strength.
            if hop.get("tier"):
                attrs = f"label={_q(hop['tier'])}, tooltip={_q(hop.get('label') or hop['tier'])}"
            else:
                attrs = "label=" + _q(f"{hop['kind']} {hop['strength']:.2f}")
            edges.setdefault((hop["from"]["id"], hop["to"]["id"]), f"{attrs}{style}")
    for pid, label in nodes.items():
        colour = ', fillcolor="#dbeafe", color="#2563eb"' if pid in reps else \
            (', fillcolor="#dcfce7", color="#16a34a"' if pid in targets else "")
        lines.append(f"  {_q(pid)} [label={label}{colour}];")
    if account_name and targets:
        lines.append(f'  subgraph cluster_account {{ label={_q(account_name)}; style="rounded,dashed"; '
                     f'color="#16a34a"; fontname="Helvetica"; {" ".join(_q(t) for t in sorted(targets))} }}')
    for (a, b), attrs in edges.items():
        lines.append(f"  {_q(a)} -> {_q(b)} [{attrs}];")
    lines.append("}")
    return "\n".join(lines)
