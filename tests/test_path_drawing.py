"""The path drawing (DOT): a legend on every drawing, tiers on the lines, weak ties dashed, the viewer marked,
and no person id anywhere in it (invented paths)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from graphapp.export.dot import paths_dot


def person(pid: str, name: str, **extra) -> dict:
    return {"id": pid, "name": name, **extra}


DANA = person("p-dana-1", "Dana Whitfield", email="dana@example.com", title="Account Executive")
MABEL = person("p-mabel-2", "Mabel Wainscott")
WREN = person("p-wren-3", "Wren Barrowman", title="CFO")
LEE = person("p-lee-4", "Lee Park", email="lee@example.com")


def hop(a: dict, b: dict, tier: str, strength: float, label: str) -> dict:
    return {"from": a, "to": b, "kind": "partner", "tier": tier, "strength": strength, "label": label}


PATHS = [{"rep": DANA, "target": WREN, "hops": [hop(DANA, MABEL, "strong", 0.8, "partner since 2025"),
                                                hop(MABEL, WREN, "weak", 0.2, "messages, last in May 2026")]},
         {"rep": LEE, "target": WREN, "hops": [hop(LEE, WREN, "medium", 0.5, "LinkedIn connection only")]}]


def test_every_drawing_has_a_legend_of_colours_and_lines():
    dot = paths_dot(PATHS, "Globex")
    legend = dot[dot.index("subgraph cluster_legend"):]
    for words in ('label="Legend"', '"Rep"', '"Connector"', '"At the account"', '"strong or medium tie"',
                  '"weak tie: warm it up first"'):
        assert words in legend, words
    assert legend.count("style=dashed") == 1  # the dashed sample is the weak tie's
    assert paths_dot(PATHS[1:]).count("cluster_legend") == 1 and paths_dot([]).count("cluster_legend") == 0


def test_lines_carry_their_tier_as_their_label_and_a_weak_tie_is_dashed():
    edges = [line for line in paths_dot(PATHS, "Globex").splitlines() if " -> " in line and "legend" not in line]
    assert [re.search(r'label="(\w+)"', e).group(1) for e in edges] == ["strong", "weak", "medium"]
    assert ["dashed" in e for e in edges] == [False, True, False]
    assert 'tooltip="messages, last in May 2026"' in edges[1]  # the why on hover


def test_the_viewer_is_marked_and_no_id_reaches_the_drawing():
    dot = paths_dot(PATHS, "Globex", you="DANA@example.com")
    assert '"Dana Whitfield (you)\\nAccount Executive"' in dot and "Lee Park (you)" not in dot
    assert '"You and the other reps"' in dot
    assert not any(p["id"] in dot for p in (DANA, MABEL, WREN, LEE))  # nodes are n1, n2…
    assert "(you)" not in paths_dot(PATHS, "Globex", you="someone@example.com")


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_graphviz_places_each_tier_label_beside_its_own_line():
    """With ``label`` (not ``xlabel``), dot lays each label out next to the middle of its own edge."""
    out = subprocess.run(["dot", "-Tplain"], input=paths_dot(PATHS, "Globex"), capture_output=True, text=True,
                         check=True).stdout
    for line in (x.split() for x in out.splitlines() if x.startswith("edge n")):
        n = int(line[3])
        xs, ys = [float(v) for v in line[4:4 + 2 * n:2]], [float(v) for v in line[5:5 + 2 * n:2]]
        lx, ly = float(line[4 + 2 * n + 1]), float(line[4 + 2 * n + 2])
        assert min(xs) <= lx <= max(xs) and min(abs(ly - y) for y in ys) < 0.5, line
