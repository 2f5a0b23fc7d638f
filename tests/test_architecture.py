"""The shape of the code, checked by parsing every module's imports (docs/architecture.md).

Rules are stated per folder, not per module: a new module in ``graphapp/domain/`` obeys the domain's rules
without being listed here. Imports inside functions count as imports; an ``if TYPE_CHECKING:`` block does
not (it never runs).
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("graphapp", "ingest", "app_pages")
FRONT_ENDS = ("app_pages", "streamlit_app")
# Imported inside a function on purpose: a dependency only some users need (the Neo4j driver).
OPTIONAL = ("neo4j", "graphapp.store.neo4j")


@dataclass(frozen=True)
class Import:
    target: str  # the module imported (for ``from package import module``, the module)
    inside_function: bool
    line: int


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES: dict[str, Path] = {
    module_name(p): p for pattern in ("graphapp/**/*.py", "ingest/**/*.py", "app_pages/*.py", "streamlit_app.py")
    for p in sorted(ROOT.glob(pattern))
}


def _type_checking_lines(tree: ast.AST) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING"):
            for inner in node.body:
                lines.update(range(inner.lineno, (inner.end_lineno or inner.lineno) + 1))
    return lines


@cache
def imports_of(module: str) -> tuple[Import, ...]:
    """Every import of ``module``, resolved to the module it loads (``from a import b``: ``a.b`` when that
    is a module of ours, else ``a``). Parsed once per test process: most tests here read every module."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    skipped = _type_checking_lines(tree)
    found: list[Import] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            nested = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            if isinstance(child, ast.Import | ast.ImportFrom) and child.lineno not in skipped:
                for target in _targets(child, module):
                    found.append(Import(target, in_function, child.lineno))
            visit(child, nested)

    visit(tree, False)
    return tuple(found)


def _targets(node: ast.Import | ast.ImportFrom, module: str) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:  # relative: from the importing module's package
        package = module.split(".") if MODULES[module].name == "__init__.py" else module.split(".")[:-1]
        base = ".".join(package[: len(package) - node.level + 1] + ([node.module] if node.module else []))
    return [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]


def ours(name: str) -> bool:
    return name.split(".")[0] in (*PACKAGES, "streamlit_app")


def under(name: str, *prefixes: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def modules_in(*prefixes: str) -> list[str]:
    found = [m for m in MODULES if under(m, *prefixes)]
    assert found, prefixes
    return found


def import_graph() -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_nodes_from(MODULES)
    for module in MODULES:
        graph.add_edges_from((module, i.target) for i in imports_of(module) if i.target in MODULES)
    return graph


def test_there_is_no_import_cycle_not_even_through_an_import_inside_a_function():
    cycles = [sorted(c) for c in nx.strongly_connected_components(import_graph()) if len(c) > 1]
    assert cycles == []


def test_the_cycle_check_finds_a_cycle_when_there_is_one():
    graph = import_graph()
    graph.add_edge("graphapp.model", "graphapp.service")  # as if the vocabulary imported the facade
    assert any(len(c) > 1 for c in nx.strongly_connected_components(graph))


def test_imports_inside_functions_are_only_for_optional_dependencies():
    inside = [(m, i.target, i.line) for m in MODULES for i in imports_of(m)
              if i.inside_function and not under(i.target, *OPTIONAL)]
    assert inside == []


def test_no_part_of_the_service_imports_its_facade():
    for module in modules_in("graphapp.service"):
        if module != "graphapp.service":
            assert "graphapp.service" not in {i.target for i in imports_of(module)}, module


@pytest.mark.parametrize("module", ["graphapp.model", "graphapp.errors"])
def test_model_and_errors_import_only_the_standard_library(module):
    outside = [i.target for i in imports_of(module) if i.target.split(".")[0] not in sys.stdlib_module_names]
    assert outside == []


@pytest.mark.parametrize("module", modules_in("graphapp.domain"))
def test_the_domain_imports_only_model_errors_numpy_and_itself(module):
    allowed = ("graphapp.model", "graphapp.errors", "graphapp.domain", "numpy")
    wrong = [i.target for i in imports_of(module)
             if not under(i.target, *allowed) and i.target.split(".")[0] not in sys.stdlib_module_names]
    assert wrong == []


@pytest.mark.parametrize("module", modules_in("graphapp.domain"))
def test_the_domain_reads_no_clock_environment_or_file(module):
    """Pure functions: ``today=`` and ``week=`` are arguments (an argument's default is no excuse)."""
    text = MODULES[module].read_text(encoding="utf-8")
    for call in ("date.today(", "datetime.now(", "time.time(", "os.environ", "getenv(", "open(", "read_text("):
        assert call not in text, (module, call)


@pytest.mark.parametrize("module", modules_in("ingest"))
def test_ingest_uses_only_model_errors_and_identity_of_graphapp(module):
    used = [i.target for i in imports_of(module) if under(i.target, "graphapp")]
    assert [n for n in used if not under(n, "graphapp.model", "graphapp.errors", "graphapp.domain.identity")] == []


def test_only_the_service_joins_ingest_to_graphapp():
    for module in modules_in("graphapp"):
        if not under(module, "graphapp.service"):
            assert [i.target for i in imports_of(module) if under(i.target, "ingest")] == [], module


@pytest.mark.parametrize("module", modules_in("graphapp.store"))
def test_stores_are_given_their_configuration_and_know_nothing_above_them(module):
    above = ("graphapp.service", "graphapp.cli", "graphapp.settings", "graphapp.export", "ingest", "app_pages",
             "streamlit")
    assert [i.target for i in imports_of(module) if under(i.target, *above)] == []
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    names = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    names |= {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    assert names & {"environ", "getenv", "get_setting"} == set()
    assert "tomllib" not in {i.target for i in imports_of(module)}


def test_the_neo4j_driver_is_imported_only_by_the_neo4j_store_module_that_talks_to_the_server():
    importers = sorted({m for m in MODULES for i in imports_of(m) if under(i.target, "neo4j")})
    assert importers == ["graphapp.store.neo4j.driver"]


def test_streamlit_lives_only_in_the_app():
    importers = {m for m in MODULES for i in imports_of(m) if under(i.target, "streamlit")}
    assert importers and all(under(m, *FRONT_ENDS) for m in importers)


@pytest.mark.parametrize("module", [m for m in MODULES if under(m, *FRONT_ENDS)])
def test_the_app_calls_only_the_service_facade_settings_and_errors(module):
    used = [i.target for i in imports_of(module) if under(i.target, "graphapp")]
    allowed = {"graphapp", "graphapp.service", "graphapp.settings", "graphapp.errors"}
    assert [n for n in used if n not in allowed] == []


@pytest.mark.parametrize("module", modules_in("graphapp.cli"))
def test_the_cli_calls_only_the_service_facade_settings_errors_and_exports(module):
    used = [i.target for i in imports_of(module) if under(i.target, "graphapp")]
    wrong = [n for n in used if n not in {"graphapp", "graphapp.service", "graphapp.settings", "graphapp.errors"}
             and not under(n, "graphapp.cli", "graphapp.export")]
    assert wrong == []


def test_tests_never_import_the_benchmarks():
    for path in ROOT.glob("tests/**/*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        assert not [n for n in names if under(n, "benchmarks")], path


def test_nothing_connects_or_reads_files_at_import_time(tmp_path, monkeypatch):
    """Importing every module opens no database: the working directory gains no graphapp.db."""
    import importlib

    monkeypatch.chdir(tmp_path)
    for module in MODULES:
        if module.startswith(("graphapp", "ingest")) and not module.endswith("__main__"):
            importlib.import_module(module)
    assert list(tmp_path.iterdir()) == []
