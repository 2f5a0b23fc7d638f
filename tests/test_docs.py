"""The docs stay true: the README starts with the two commands and stays short; the command tables of
the README and docs/cli.md name exactly the parser's commands; docs/settings.md matches
graphapp/settings.py; every relative link in the README and docs/ leads to a file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graphapp.cli import build_parser
from graphapp.settings import SETTINGS

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
README = (ROOT / "README.md").read_text(encoding="utf-8")
CLI_DOC = (DOCS / "cli.md").read_text(encoding="utf-8")
SETTINGS_DOC = (DOCS / "settings.md").read_text(encoding="utf-8")


def documented_settings() -> dict[str, tuple[str, str, str]]:
    section = SETTINGS_DOC.split("## Every setting", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(\w+)` \| `(\w+)` \| (.+?) \| (.+?) \|$", section, flags=re.M)
    return {name: (env, default, meaning) for name, env, default, meaning in rows}


def test_every_setting_is_documented_with_its_variable_default_and_help():
    documented = documented_settings()
    assert sorted(documented) == sorted(s.name for s in SETTINGS)
    for s in SETTINGS:
        env, default, meaning = documented[s.name]
        assert env == s.env
        assert default == (f"`{s.default}`" if s.default != "" else "(empty)")
        assert meaning == s.help


def test_readme_starts_with_the_two_commands_and_ci_runs_the_test_one():
    first_block = README.split("```bash", 1)[1].split("```", 1)[0].strip().splitlines()
    assert [line.split("#")[0].strip() for line in first_block] == ["bash scripts/start", "bash scripts/test"]
    ci = (ROOT / ".ci" / "run").read_text()
    assert "bash scripts/test" in ci


def test_readme_is_a_short_users_readme():
    assert len(README.splitlines()) <= 150


def _subcommands(parser) -> dict:
    import argparse

    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return action.choices


@pytest.mark.parametrize("name, text", [("README.md", README), ("docs/cli.md", CLI_DOC)])
def test_every_cli_command_in_the_docs_exists_and_every_command_is_documented(name, text):
    """Rows ``| `graphapp CMD [ACTION] ...` | ... |`` of the command tables: each names a real command
    (and action), and together they name every top-level command of the parser."""
    parser = build_parser()
    documented = re.findall(r"^\| `graphapp ([a-z-]+)(?: ([a-z]+))?", text, flags=re.M)
    assert documented, name
    commands = _subcommands(parser)
    for command, action in documented:
        assert command in commands, (name, command)
        if action:
            assert action in _subcommands(commands[command]), (name, command, action)
    assert set(commands) == {c for c, _ in documented}, name


def test_relative_links_lead_to_files():
    for path in [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]:
        text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
                continue
            assert (path.parent / target.split("#", 1)[0]).exists(), (path.name, target)


def test_streamlit_config_hardening():
    import tomllib

    config = tomllib.loads((Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml").read_text())
    assert config["server"]["enableXsrfProtection"] is True
    assert config["server"]["maxUploadSize"] == 100
    assert config["server"]["fileWatcherType"] == "none"  # no "source file changed" prompt under a running app
    assert config["client"]["showErrorDetails"] == "none"
    assert config["browser"]["gatherUsageStats"] is False
    gitignore = (Path(__file__).resolve().parents[1] / ".gitignore").read_text().splitlines()
    assert ".streamlit/secrets.toml" in gitignore


def test_streamlit_is_new_enough_for_cve_2026_33682():
    from importlib.metadata import version

    major, minor = (int(x) for x in version("streamlit").split(".")[:2])
    assert (major, minor) >= (1, 54)


def test_neo4j_md_lists_every_constraint_index_and_label_graphapp_creates():
    from graphapp.store.neo4j import cypher as cy

    text = (DOCS / "neo4j.md").read_text(encoding="utf-8")
    section = text.split("## What graphapp creates on the server", 1)[1].split("\n## ", 1)[0]
    for statement in cy.SCHEMA:
        label = re.search(r"FOR \(\w*:(\w+)\)|FOR \(\)-\[\w*:(\w+)\]-\(\)", statement)
        name = label.group(1) or label.group(2)
        props = re.findall(r"\b\w+\.(\w+)", statement.split(" ON ", 1)[-1].split(" REQUIRE ", 1)[-1])
        wanted = f"{name}({', '.join(props)})" if len(props) > 1 else f"{name}.{props[0]}"
        assert wanted in section or (len(props) == 1 and f"{name}.{props[0]}" in section), (wanted, statement)
    for label in cy.LABELS:
        assert f"`{label}`" in section, label
