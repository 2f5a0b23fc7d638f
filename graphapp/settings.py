"""Every setting, declared once: name, default, help. The README's settings table is checked against this.

A setting's value comes from, in order: an explicit value (a CLI option), the environment variable
``GRAPHAPP_<NAME>``, the ``[graphapp]`` table of the TOML file named by ``GRAPHAPP_CONFIG``, the default.
Nothing is read at import time.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphapp.errors import ConfigError


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str

    @property
    def env(self) -> str:
        return f"GRAPHAPP_{self.name.upper()}"


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "graphapp.db", "Where the graph lives: the path of the embedded SQLite file."),
    Setting("actor", "", "Who runs CLI imports and changes, as recorded in the import history (default: the OS user)."),
    Setting("demo_seed", 2026, "Seed of the invented demo network (`graphapp demo`)."),
    Setting("max_file_mb", 100, "Largest file an import accepts, in MB; larger files are refused before parsing."),
    Setting("max_rows", 2_000_000, "Most data rows in one file."),
    Setting("max_columns", 256, "Most columns in one CSV file."),
    Setting("max_cell_chars", 100_000, "Longest cell kept; longer cells are truncated with a report line."),
    Setting("max_name_chars", 500, "Longest name kept; longer names are truncated with a report line."),
    Setting("max_zip_members", 1000, "Most members in one ZIP archive."),
    Setting("max_zip_mb", 100, "Most bytes one ZIP archive may expand to, in MB."),
    Setting("max_zip_ratio", 100, "Highest compression ratio of a ZIP member (a zip bomb expands far more)."),
)
_BY_NAME = {s.name: s for s in SETTINGS}


def _file_values(env: Mapping[str, str]) -> dict[str, Any]:
    path = env.get("GRAPHAPP_CONFIG")
    if not path:
        return {}
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"Cannot read the settings file {path} (GRAPHAPP_CONFIG): {exc}.") from None
    table = data.get("graphapp", {})
    unknown = sorted(set(table) - set(_BY_NAME))
    if unknown:
        raise ConfigError(f"Unknown settings in {path}: {', '.join(unknown)}; known: {', '.join(_BY_NAME)}.")
    return table


def get_setting(name: str, explicit: Any = None, env: Mapping[str, str] | None = None) -> Any:
    """The value of setting ``name``; ``explicit`` (e.g. a CLI option) wins when not None.

    Raises:
        ConfigError: unknown setting, or a value of the wrong type.
    """
    if name not in _BY_NAME:
        raise ConfigError(f"Unknown setting {name!r}.")
    setting = _BY_NAME[name]
    if explicit is not None:
        return explicit
    env = os.environ if env is None else env
    if setting.env in env and env[setting.env] != "":
        raw: Any = env[setting.env]
    else:
        raw = _file_values(env).get(name, setting.default)
    try:
        return type(setting.default)(raw)
    except (TypeError, ValueError):
        raise ConfigError(f"Setting {name} must be a {type(setting.default).__name__}, got {raw!r}.") from None
