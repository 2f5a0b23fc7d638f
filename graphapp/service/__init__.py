"""The API the front ends call (CLI, Streamlit pages, tests): the one place that joins stores, ingest and domain.

This module only gathers the service's parts; each capability has its module and none of them imports
this one. Functions take an open store as their first argument; the front ends open it once (the app per
process, the CLI per command) with :func:`open_graph`.

- :mod:`~graphapp.service.common`: opening a store, who is acting, the shared graph view
- :mod:`~graphapp.service.team`: counts, reps, the import history, the demo network
- :mod:`~graphapp.service.imports` and :mod:`~graphapp.service.preview`: importing files and uploads
- :mod:`~graphapp.service.paths`, :mod:`~graphapp.service.index`, :mod:`~graphapp.service.neighbourhood`:
  ranked warm paths and coverage
- :mod:`~graphapp.service.people`, :mod:`~graphapp.service.corrections`, :mod:`~graphapp.service.privacy`:
  people and organisations, corrections, visibility
- :mod:`~graphapp.service.duplicates`: possible duplicates, decided by a person
- :mod:`~graphapp.service.identity_audit`: who is who, checked and listed (doctor, people, orgs)
- :mod:`~graphapp.service.targets`, :mod:`~graphapp.service.weekly`, :mod:`~graphapp.service.intros`,
  :mod:`~graphapp.service.champions` (champions who moved)
- :mod:`~graphapp.service.settings`, :mod:`~graphapp.service.admin`, :mod:`~graphapp.service.auth`
"""

from __future__ import annotations

from graphapp.audit import AuditEntry, acting_as, set_actor
from graphapp.domain.intros import draft_request, next_states
from graphapp.domain.privacy import Viewer
from graphapp.domain.tie_labels import MEDIUM_FROM, STRONG_FROM, kind_name, tier_bar
from graphapp.domain.weekly import week_of
from graphapp.export.dot import paths_dot
from graphapp.export.text_safety import markdown_link, markdown_text, safe_url
from graphapp.export.weekly import weekly_csv, weekly_html, weekly_html_name, weekly_markdown
from graphapp.service.admin import (
    ForgetResult,
    audit_log,
    backup,
    backup_now,
    forget_person,
    may_forget,
    record_export,
    restore,
    suppressed,
    sync,
    unsuppress,
)
from graphapp.service.auth import (
    INSECURE_FLAG,
    NOT_AUTHORISED,
    TEST_FLAG,
    act_as,
    auth_mode,
    authorise,
    check_auth_section,
    check_secrets_file,
    check_serve_address,
    default_local_rep,
    identity_shim_enabled,
    local_mode_on_network,
    local_pick,
    local_viewer,
    record_sign_in,
    remember_local_rep,
    remembered_local_rep,
    session_expired,
)
from graphapp.service.champions import Champion, moved_champions
from graphapp.service.common import (
    configure_process,
    current_actor,
    drop_caches,
    graph_view,
    is_server_location,
    new_import_record,
    open_graph,
)
from graphapp.service.corrections import merge_people, set_strength, split_person
from graphapp.service.duplicates import DEFAULT_LIMIT as DUPLICATES_LIMIT
from graphapp.service.duplicates import (
    DuplicatePair,
    DuplicateSide,
    DuplicatesResult,
    decide_different,
    decide_same,
    possible_duplicates,
)
from graphapp.service.identity_audit import (
    Listing,
    OrgEntry,
    PersonEntry,
    check_identity,
    list_organizations,
    list_people,
)
from graphapp.service.imports import (
    FileReport,
    ImportReport,
    Match,
    Step,
    audit_refused_uploads,
    describe_merges,
    import_files,
    import_uploads,
    rejected_rows_csv,
    undo_import,
)
from graphapp.service.index import path_index, scoring_weights, team_setting, viewer_for
from graphapp.service.intros import connector_record, list_intros, request_intro, update_intro
from graphapp.service.owners import ArchiveOwner, OwnerQuestion, archive_owner, owner_question
from graphapp.service.paths import CoverageResult, PathsResult, account_paths, coverage, own_paths_first
from graphapp.service.people import (
    MARK_KINDS,
    OrgPage,
    OrgRow,
    PersonPage,
    PersonRow,
    mark_person,
    organization_page,
    person_page,
    search_organizations,
    search_people,
    target_organizations,
)
from graphapp.service.preview import MAPPING_FIELDS, FilePreview, format_label, preview_upload
from graphapp.service.privacy import set_person_visibility
from graphapp.service.roles import actor_names, command_line_viewer, may
from graphapp.service.settings import TeamSetting, check_settings, save_team_settings, team_settings
from graphapp.service.targets import PRIORITIES, TargetRow, add_target, set_target, target_rows
from graphapp.service.team import (
    RELATIONSHIP_KINDS,
    DemoResult,
    add_rep,
    list_imports,
    list_reps,
    load_demo,
    stats,
    summary,
)
from graphapp.service.weekly import RepWeek, WeeklyResult, weekly_lists
from graphapp.store.sqlite.schema import SCHEMA_VERSION  # the CLI shows it after `graphapp init`

__all__ = [
    "MAPPING_FIELDS", "MARK_KINDS", "SCHEMA_VERSION", "NOT_AUTHORISED", "PRIORITIES", "RELATIONSHIP_KINDS", "TEST_FLAG",
    "AuditEntry", "Champion", "CoverageResult", "Listing", "OrgEntry", "PersonEntry", "DemoResult", "FilePreview", "FileReport", "ForgetResult", "ImportReport", "Match",
    "OrgPage", "OrgRow", "PathsResult", "PersonPage", "PersonRow", "RepWeek", "Step", "TargetRow", "TeamSetting",
    "Viewer", "WeeklyResult",
    "DUPLICATES_LIMIT", "DuplicatePair", "DuplicateSide", "DuplicatesResult", "decide_different", "decide_same", "possible_duplicates",
    "account_paths", "act_as", "audit_refused_uploads", "check_identity", "list_organizations", "list_people", "acting_as", "add_rep", "add_target", "audit_log", "auth_mode", "authorise", "backup",
    "backup_now", "check_auth_section", "check_secrets_file", "check_settings", "configure_process", "connector_record", "coverage", "drop_caches",
    "current_actor", "describe_merges", "draft_request", "forget_person", "graph_view", "identity_shim_enabled", "is_server_location",
    "import_files", "import_uploads", "list_imports", "list_intros", "list_reps", "load_demo", "local_viewer",
    "mark_person", "may_forget", "merge_people", "moved_champions", "new_import_record", "next_states", "open_graph",
    "organization_page", "path_index", "paths_dot", "person_page", "preview_upload", "record_export",
    "record_sign_in", "rejected_rows_csv", "request_intro", "restore", "save_team_settings", "scoring_weights",
    "search_organizations", "search_people", "session_expired", "set_actor", "set_person_visibility", "set_strength",
    "set_target", "split_person", "stats", "summary", "suppressed", "sync", "target_organizations", "target_rows",
    "team_setting", "team_settings", "undo_import", "unsuppress", "update_intro", "viewer_for", "week_of",
    "weekly_csv", "weekly_html", "weekly_html_name", "weekly_lists", "weekly_markdown",
    "command_line_viewer", "may",  # who may do what: graphapp/service/roles.py
]
# Local mode kept local; imported text shown as text (issue 20, items 3 and 4).
__all__ += ["INSECURE_FLAG", "check_serve_address", "default_local_rep", "local_mode_on_network",
            "markdown_link", "markdown_text", "safe_url"]
# Plain words on the pages (issue 23, item 3): tiers as bars, kinds as words, the viewer's own paths first.
__all__ += ["MEDIUM_FROM", "STRONG_FROM", "kind_name", "own_paths_first", "tier_bar", "number"]


def number(value: float | None) -> str:
    """Every score and strength a page shows, in the one format the pages use: two decimals ("" for none)."""
    return "" if value is None else f"{value:.2f}"
# Who is looking sticks to the browser; an archive names its owner (issue 23, items 1 and 2).
__all__ += ["ArchiveOwner", "OwnerQuestion", "actor_names", "archive_owner", "local_pick", "owner_question",
            "remember_local_rep", "remembered_local_rep"]
# What an import did, in words (issue 23, point 5).
__all__ += ["format_label"]
