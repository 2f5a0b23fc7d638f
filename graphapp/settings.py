"""Every setting, declared once: name, default, help. docs/settings.md is checked against this (tests/test_docs.py).

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

from graphapp.domain.scoring import DEFAULT_PERSONA, DEFAULT_SENIORITY, DEFAULT_STRENGTH, DEFAULT_WILLINGNESS
from graphapp.errors import ConfigError
from graphapp.model import KIND_ORDER, NOT_A_RELATIONSHIP


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str

    @property
    def env(self) -> str:
        return f"GRAPHAPP_{self.name.upper()}"


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "graphapp.db", "Where the graph lives: the path of the embedded SQLite file, or a Neo4j URI (`neo4j://`, `neo4j+s://`, `bolt://`, `bolt+s://`)."),
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
    Setting("neo4j_database", "", "Neo4j database to use when `db` is a Neo4j URI (empty: the server's default)."),
    Setting("neo4j_batch_size", 5000, "Rows per Cypher `UNWIND` statement when writing to Neo4j."),
    Setting("neo4j_retry_seconds", 30.0, "How long the Neo4j driver retries a transaction after a transient error."),
    Setting("neo4j_allow_insecure", 0, "1 allows an unencrypted `neo4j://` or `bolt://` connection to a host other than this machine."),
    Setting("neighbourhood_above", 200000, "Relationships above which ranking one account on Neo4j fetches only its neighbourhood (0: always)."),
    Setting("backup_keep", 10, "How many automatic backups (before undo-import, a schema migration or a restore) are kept in `backups/` next to the database file; older ones are deleted."),
    Setting("session_max_hours", 12.0, "With sign-in: hours after the identity token was issued when a session is signed out."),
    Setting("default_visibility", "existence",
            "Who sees imported relationships when the import does not say: private, existence or team."),
    Setting("paths_top", 10, "How many warm paths an account's ranking shows."),
    Setting("paths_max_hops", 3, "Most relationships on a warm path (1: only people a rep knows directly)."),
    Setting("paths_per_target", 3, "Most paths shown to one person at the account."),
    Setting("paths_repeat_discount", 0.5, "A second path into the same person is listed as if its score were this much lower, a third as if twice, so the list leads with the best path into each of the most relevant people (1: plain score order), in (0, 1]."),
    Setting("weekly_per_rep", 10, "Suggested introductions per rep in the weekly list."),
    Setting("weekly_ask_budget", 2, "Most requests to one connector per 30 days, across the team."),
    Setting("meet_next", 10, "How many people \"who should I meet next\" lists."),
    *(Setting(f"strength_{k}", DEFAULT_STRENGTH[k], f"Strength of a relationship of kind `{k}` on its own, in (0, 1].")
      for k in KIND_ORDER if k not in NOT_A_RELATIONSHIP),
    *(Setting(f"willingness_{k}", DEFAULT_WILLINGNESS[k],
              f"How willing a person tied by a relationship of kind `{k}` is to pass an introduction on, in (0, 1].")
      for k in KIND_ORDER if k not in NOT_A_RELATIONSHIP),
    Setting("half_life_days", 180.0, "Days after which an interaction counts half as much."),
    Setting("two_way_weight", 1.0, "Weight of a message in a conversation that goes both ways."),
    Setting("one_way_weight", 0.35, "Weight of a message nobody answered, and the share of its kind's strength a one-way tie earns (inbound messages only, an endorsement given only by the rep), in (0, 1]."),
    Setting("meeting_weight", 2.0, "Weight of a meeting."),
    Setting("weak_meeting_weight", 0.5, "How much a meeting that counts less (tentative, no answer recorded, 10 or more people) counts, in (0, 1]."),
    Setting("interaction_scale", 12.0, "Weighted interactions that give about two thirds of the interaction boost."),
    Setting("interaction_boost", 0.6, "Most of the gap to 1 that interactions can close, in (0, 1]."),
    Setting("age_boost", 0.15, "Most of the gap to 1 that the age of a connection can close."),
    Setting("age_full_years", 5.0, "Years after which a connection's age counts in full."),
    Setting("colleague_strength", 0.35, "Strength of an implicit colleague tie (same organisation now) in a small team."),
    Setting("colleague_small_org", 25.0, "People known at an organisation up to which implicit colleague ties keep full strength."),
    Setting("corroboration", 0.5, "How much a second source about the same two people adds to the strongest one (a CRM row and the meetings of one deal mostly describe one relationship), in (0, 1]."),
    Setting("colleague_tenure_years", 3.0, "Years at an organisation after which a colleague tie counts in full."),
    Setting("persona_keywords", DEFAULT_PERSONA, "Buyer-persona words in a target person's title (comma-separated)."),
    Setting("persona_miss", 0.7, "Relevance factor of a target person whose title has no buyer-persona word."),
    Setting("seniority_keywords", DEFAULT_SENIORITY, "Seniority words in a title and their relevance (word=weight, ...)."),
    Setting("seniority_floor", 0.4, "Relevance of a target person whose title shows no seniority."),
)
LABELS: dict[str, str] = {
    "paths_top": "Paths to show",
    "paths_max_hops": "Most relationships per path",
    "paths_per_target": "Paths per person at the account",
    "paths_repeat_discount": "Discount on another path to the same person",
    "meet_next": "People in \"who should I meet next\"",
    "half_life_days": "Days until an interaction counts half",
    "two_way_weight": "Weight of a message answered",
    "one_way_weight": "Weight of a message not answered",
    "meeting_weight": "Weight of a meeting",
    "weak_meeting_weight": "Weight of a meeting that counts less",
    "interaction_scale": "Interactions for most of the boost",
    "interaction_boost": "Most that interactions add",
    "age_boost": "Most that a connection's age adds",
    "age_full_years": "Years until a connection's age counts in full",
    "colleague_strength": "Strength of a colleague tie",
    "colleague_small_org": "People known at a small organisation",
    "corroboration": "What a second source adds",
    "colleague_tenure_years": "Years until a colleague tie counts in full",
    "persona_keywords": "Buyer-persona words in a title",
    "persona_miss": "Relevance without a buyer-persona word",
    "seniority_keywords": "Seniority words and their relevance",
    "seniority_floor": "Relevance without a seniority word",
}
"""What the app's Settings page calls a setting (its name is for files and the environment); a setting
without a label here is shown as its name in words (:func:`setting_label`)."""


def setting_label(name: str) -> str:
    """The words the app labels setting ``name`` with: "Paths to show" for ``paths_top``."""
    if name in LABELS:
        return LABELS[name]
    for prefix, what in (("strength_", "Strength"), ("willingness_", "Willingness")):
        if name.startswith(prefix):
            return f"{what} of a {name.removeprefix(prefix).replace('_', ' ')} relationship"
    return name.replace("_", " ").capitalize()


SCORING_SETTINGS = tuple(s.name for s in SETTINGS[SETTINGS.index(next(x for x in SETTINGS if x.name == "meet_next")) + 1:])
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


def get_setting(name: str, explicit: Any = None, env: Mapping[str, str] | None = None,
                saved: Mapping[str, str] | None = None) -> Any:
    """The value of setting ``name``; ``explicit`` (e.g. a CLI option) wins when not None, then the
    environment, the settings file, the values ``saved`` for the team (the app's Settings page), the default.

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
        file_values = _file_values(env)
        raw = file_values[name] if name in file_values else (saved or {}).get(name, setting.default)
    return parse_setting(name, raw)


def parse_setting(name: str, raw: Any) -> Any:
    """``raw`` as the type of setting ``name``. Raises ConfigError for a value of the wrong type."""
    setting = _BY_NAME[name]
    try:
        return type(setting.default)(raw)
    except (TypeError, ValueError):
        raise ConfigError(f"Setting {name} must be a {type(setting.default).__name__}, got {raw!r}.") from None


def fixed_by(name: str, env: Mapping[str, str] | None = None) -> str | None:
    """What fixes setting ``name`` above the team's saved value: its environment variable or the
    settings file (named), or None when the saved value or the default applies."""
    env = os.environ if env is None else env
    setting = _BY_NAME[name]
    if env.get(setting.env):
        return f"the environment variable {setting.env}"
    if name in _file_values(env):
        return f"the settings file {env.get('GRAPHAPP_CONFIG')}"
    return None


def setting_help(name: str) -> Setting:
    """The setting's definition (default and help text)."""
    return _BY_NAME[name]
