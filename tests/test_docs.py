"""The README stays true: its settings table matches graphapp/settings.py, its commands exist."""

from __future__ import annotations

import re
from pathlib import Path

from graphapp.cli import build_parser
from graphapp.settings import SETTINGS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def readme_settings() -> dict[str, tuple[str, str, str]]:
    section = README.split("## Settings", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(\w+)` \| `(\w+)` \| (.+?) \| (.+?) \|$", section, flags=re.M)
    return {name: (env, default, meaning) for name, env, default, meaning in rows}


def test_every_setting_is_documented_with_its_variable_default_and_help():
    documented = readme_settings()
    assert sorted(documented) == sorted(s.name for s in SETTINGS)
    for s in SETTINGS:
        env, default, meaning = documented[s.name]
        assert env == s.env
        assert default == (f"`{s.default}`" if s.default != "" else "(empty)")
        assert meaning == s.help


def test_readme_starts_with_the_two_commands_and_ci_runs_the_test_one():
    first_block = README.split("```bash", 1)[1].split("```", 1)[0].strip().splitlines()
    assert [line.split("#")[0].strip() for line in first_block] == ["bash scripts/start", "bash scripts/test"]
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text()
    assert "bash scripts/test" in ci


def _subcommands(parser) -> dict:
    import argparse

    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return action.choices


def test_every_cli_command_in_the_readme_exists_and_every_command_is_documented():
    parser = build_parser()
    documented = re.findall(r"^\| `graphapp ([a-z-]+)(?: ([a-z]+))?", README, flags=re.M)
    assert documented
    commands = _subcommands(parser)
    for command, action in documented:
        assert command in commands, command
        if action:
            assert action in _subcommands(commands[command]), (command, action)
    assert set(commands) == {c for c, _ in documented}


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
