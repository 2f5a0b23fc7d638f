"""The dependency directions of ../shared/ARCHITECTURE.md, checked by parsing every module's imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PURE_DOMAIN = ("graphapp/scoring.py", "graphapp/graph.py", "graphapp/paths.py", "graphapp/path_index.py",
               "graphapp/explain.py", "graphapp/coverage.py", "graphapp/weekly.py",
               "graphapp/intros.py", "graphapp/identity.py", "graphapp/demo.py")


def imports_of(path: Path) -> set[str]:
    """Every module named by an import statement anywhere in the file (top level or inside functions)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def sources(*patterns: str) -> list[Path]:
    found = sorted({p for pattern in patterns for p in ROOT.glob(pattern)})
    assert found, patterns
    return found


def offending(path: Path, forbidden: tuple[str, ...]) -> list[str]:
    return sorted(n for n in imports_of(path) if any(n == f or n.startswith(f + ".") for f in forbidden))


@pytest.mark.parametrize("path", sources("graphapp/model.py", "graphapp/errors.py"), ids=str)
def test_model_and_errors_import_only_the_standard_library(path):
    import sys

    third_party = [n for n in imports_of(path) if n.split(".")[0] not in sys.stdlib_module_names | {"__future__"}]
    assert third_party == []


@pytest.mark.parametrize("path", [p for p in sources("graphapp/*.py") if str(p.relative_to(ROOT)) in PURE_DOMAIN], ids=str)
def test_domain_never_touches_stores_ingest_service_or_ui(path):
    forbidden = ("graphapp.store", "ingest", "graphapp.service", "streamlit", "neo4j", "pandas", "sqlite3")
    assert offending(path, forbidden) == []


def test_neo4j_is_imported_only_by_its_store():
    """The driver is imported only inside graphapp/store/neo4j*.py; and of those, only the modules that
    talk to the server (the rest, e.g. the Cypher text, stay testable without it)."""
    talking = {"driver.py"}
    for path in sources("graphapp/**/*.py", "ingest/**/*.py", "app_pages/*.py", "streamlit_app.py"):
        in_store = path.parent == ROOT / "graphapp" / "store" / "neo4j"
        if not in_store or path.name not in talking:
            assert offending(path, ("neo4j",)) == [], path
    assert any(offending(ROOT / "graphapp" / "store" / "neo4j" / name, ("neo4j",)) for name in talking)


@pytest.mark.parametrize("path", sources("ingest/**/*.py"), ids=str)
def test_ingest_uses_only_model_errors_identity_of_graphapp(path):
    used = {n for n in imports_of(path) if n.startswith("graphapp")}
    allowed = ("graphapp.model", "graphapp.errors", "graphapp.domain.identity")
    assert [n for n in used if not n.startswith(allowed)] == []


def test_graphapp_never_imports_ingest_except_the_service():
    # The service is service.py plus its import pipeline, service_import.py.
    for path in sources("graphapp/**/*.py"):
        if "service" not in path.relative_to(ROOT).parts:
            assert offending(path, ("ingest",)) == [], path


def test_streamlit_lives_only_in_the_app_and_pages_use_only_the_service_settings_errors():
    for path in sources("graphapp/**/*.py", "ingest/**/*.py"):
        assert offending(path, ("streamlit",)) == [], path
    for path in sources("app_pages/*.py", "streamlit_app.py"):
        used = {n for n in imports_of(path) if n.startswith("graphapp")}
        allowed = ("graphapp.service", "graphapp.settings", "graphapp.errors")
        assert [n for n in used if not n.startswith(allowed) and n != "graphapp"] == [], path
        assert not any(n.startswith("graphapp.") and not n.startswith(allowed) for n in used)


def test_nothing_connects_or_reads_files_at_import_time():
    """Importing every module opens no database: the working directory gains no graphapp.db."""
    import importlib
    import os
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        old = os.getcwd()
        os.chdir(d)
        try:
            for path in sources("graphapp/**/*.py", "ingest/**/*.py"):
                module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
                if not module.endswith("__main__"):
                    importlib.import_module(module)
            assert os.listdir(d) == []
        finally:
            os.chdir(old)
