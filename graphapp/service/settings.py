"""The team's ranking settings as the app's Settings page edits them (part of the service): what each
is, its value and where that value comes from; validation; saving into the store."""

from __future__ import annotations

from dataclasses import dataclass

from graphapp.domain.privacy import Viewer
from graphapp.domain.scoring import weights_from_settings
from graphapp.errors import ConfigError, InputError
from graphapp.service.roles import require
from graphapp.settings import SCORING_SETTINGS, fixed_by, get_setting, parse_setting, setting_help, setting_label
from graphapp.store import GraphStore

TEAM_SETTINGS = ("paths_top", "paths_max_hops", "paths_per_target", "paths_repeat_discount", "meet_next",
                 *SCORING_SETTINGS)


@dataclass(frozen=True)
class TeamSetting:
    name: str
    value: object
    default: object
    help: str
    fixed_by: str | None  # an environment variable or the settings file, which the app cannot change
    label: str = ""  # what the Settings page calls it (graphapp.settings.LABELS)


def team_settings(store: GraphStore) -> list[TeamSetting]:
    """Every setting the Settings page shows, with its value for this team."""
    saved = store.saved_settings()
    return [TeamSetting(n, get_setting(n, saved=saved), setting_help(n).default, setting_help(n).help, fixed_by(n),
                        setting_label(n)) for n in TEAM_SETTINGS]


def check_settings(values: dict[str, object]) -> dict[str, str]:
    """``values`` as the text the store keeps, after checking types and ranges.

    Raises:
        InputError: an unknown setting, or a value of the wrong type or out of range (all named).
    """
    out: dict[str, str] = {}
    for name, value in values.items():
        if name not in TEAM_SETTINGS:
            raise InputError(f"{name} cannot be set from the app.")
        try:
            out[name] = str(parse_setting(name, value))
        except ConfigError as exc:
            raise InputError(str(exc)) from None
    typed = {n: parse_setting(n, v) for n, v in out.items()}
    for name in ("paths_top", "paths_per_target", "meet_next"):
        if name in typed and typed[name] < 1:
            raise InputError(f"{setting_label(name)} must be at least 1.")
    if "paths_max_hops" in typed and not 1 <= typed["paths_max_hops"] <= 6:
        raise InputError(f"{setting_label('paths_max_hops')} must be between 1 and 6.")
    if "paths_repeat_discount" in typed and not 0 < typed["paths_repeat_discount"] <= 1:
        raise InputError(f"{setting_label('paths_repeat_discount')} must be more than 0 and at most 1.")
    try:
        weights_from_settings({n: v for n, v in typed.items() if n in SCORING_SETTINGS})
    except ConfigError as exc:
        raise InputError(str(exc)) from None
    return out


def save_team_settings(store: GraphStore, values: dict[str, object], *, viewer: Viewer | None = None) -> None:
    """Check and save settings for the whole team (admins only); a value equal to the default is removed instead.

    Raises:
        InputError: as :func:`check_settings`. NotAllowed: the viewer is not an admin.
    """
    require(store, viewer, "settings")
    checked = check_settings(values)
    store.save_settings({n: (None if parse_setting(n, v) == setting_help(n).default else v)
                         for n, v in checked.items()})
