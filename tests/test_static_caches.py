"""Static scans of the app's code (PRIV-5 / case 33, EXP-4): Streamlit caches only on an allow-list of
process-wide resources, never ``persist="disk"``; the pages write no files (exports go to download buttons).

Streamlit's caches are shared by every session: a viewer-dependent function cached globally hands one rep's
contacts to the next. AppTest cannot show that (every AppTest shares one session id), so the build fails
here, and tests/e2e/test_privacy.py checks the running app with two browser contexts.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CACHES = {"cache_data", "cache_resource", "experimental_memo", "experimental_singleton", "cache"}
# (file, function) -> why it may be cached for the whole process. Nothing per viewer may be added here.
ALLOWED = {("app_pages/common.py", "_open_store"): "the store: a thread-safe connection keyed by its location"}


def sources() -> list[Path]:
    files = [ROOT / "streamlit_app.py", *sorted((ROOT / "app_pages").glob("*.py")),
             *sorted((ROOT / "graphapp").rglob("*.py")), *sorted((ROOT / "ingest").rglob("*.py"))]
    assert len(files) > 40
    return files


def cache_uses(path: Path) -> list[tuple[str, int, str | None]]:
    """Every use of a Streamlit cache in a file as a decorator or a wrapper: (cache, line, decorated
    function or None). ``st.cache_data.clear()`` and the like are not uses."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    aliases = {a.asname or a.name: a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)
               and (n.module or "").startswith("streamlit") for a in n.names if a.name in CACHES}
    parents = {id(child): node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    decorated = {id(d.func if isinstance(d, ast.Call) else d): node.name for node in ast.walk(tree)
                 if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) for d in node.decorator_list}
    uses = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in CACHES and ast.unparse(node.value) in {"st", "streamlit"}:
            name = node.attr
        elif isinstance(node, ast.Name) and node.id in aliases:
            name = aliases[node.id]
        else:
            continue
        if isinstance(parents.get(id(node)), ast.Attribute):
            continue  # st.cache_data.clear()
        uses.append((name, node.lineno, decorated.get(id(node))))
    return uses


def test_only_the_allow_listed_process_wide_resources_are_cached():
    found = {}
    for path in sources():
        rel = path.relative_to(ROOT).as_posix()
        for name, line, function in cache_uses(path):
            found[(rel, function or f"line {line}")] = name
    assert set(found) == set(ALLOWED), found
    assert found[("app_pages/common.py", "_open_store")] == "cache_resource"


def test_no_cache_persists_to_disk():
    for path in sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and any(k.arg == "persist" for k in node.keywords):
                pytest.fail(f"{path.relative_to(ROOT)}:{node.lineno}: persist= on a cache ({ast.unparse(node)})")


def test_the_cached_store_opener_takes_no_viewer():
    tree = ast.parse((ROOT / "app_pages" / "common.py").read_text(encoding="utf-8"))
    [opener] = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == "_open_store"]
    assert [a.arg for a in opener.args.args] == ["location"]


def test_the_scan_catches_a_viewer_dependent_cached_function(tmp_path):
    bad = tmp_path / "page.py"
    bad.write_text("import streamlit as st\n\n@st.cache_data(persist='disk')\ndef my_contacts(viewer):\n    return []\n"
                   "\nst.cache_data.clear()\nrows = st.cache_data(lambda v: v)\n")
    assert cache_uses(bad) == [("cache_data", 3, "my_contacts"), ("cache_data", 8, None)]
    aliased = tmp_path / "aliased.py"
    aliased.write_text("from streamlit import cache_resource as keep\n\n@keep\ndef f():\n    pass\n")
    assert cache_uses(aliased) == [("cache_resource", 3, "f")]


WRITES = {"write_text", "write_bytes", "mkdir", "makedirs", "NamedTemporaryFile", "mkstemp"}


def test_pages_write_no_files_exports_are_built_in_memory():  # EXP-4
    for path in [ROOT / "streamlit_app.py", *sorted((ROOT / "app_pages").glob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                assert called not in WRITES and called != "open", f"{path.name}:{node.lineno}: {ast.unparse(node)}"
