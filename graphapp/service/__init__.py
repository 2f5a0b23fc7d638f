"""The API the front ends call (CLI, Streamlit pages, tests): the one place that joins stores, ingest and domain.

Functions take an open store as their first argument; the front ends open it once (the app per
process, the CLI per command) with :func:`open_graph`.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from graphapp import demo
from graphapp.audit import default_actor
from graphapp.domain.graph import GraphCache, GraphView
from graphapp.domain.identity import normalize_email, stable_id
from graphapp.domain.intros import (
    draft_request,  # noqa: F401  (re-exported for the app)
    next_states,  # noqa: F401  (re-exported for the app)
)
from graphapp.domain.privacy import Viewer  # noqa: F401  (re-exported: the front ends name who is looking)
from graphapp.domain.weekly import week_of  # noqa: F401  (re-exported for the app)
from graphapp.errors import InputError
from graphapp.export.dot import paths_dot  # noqa: F401  (re-exported for the app)
from graphapp.export.weekly import weekly_csv, weekly_html, weekly_markdown  # noqa: F401
from graphapp.model import ImportRecord, Person, RelationshipKind, Rep, StoreCounts, StoreSummary
from graphapp.service.imports import (  # noqa: F401  (re-exported: the Import page calls service.*)
    MAPPING_FIELDS,
    FilePreview,
    Match,
    Step,
    describe_merges,
    import_uploads,
    preview_upload,
    rejected_rows_csv,
)
from graphapp.service.intros import connector_record, list_intros, request_intro, update_intro  # noqa: F401
from graphapp.service.paths import (  # noqa: F401  (re-exported: the front ends call service.*)
    CoverageResult,
    PathsResult,
    account_paths,
    coverage,
    path_index,
    scoring_weights,
    team_setting,
    viewer_for,
)
from graphapp.service.people import (  # noqa: F401  (re-exported: the People and Organisations pages)
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
from graphapp.service.privacy import set_person_visibility  # noqa: F401
from graphapp.service.settings import TeamSetting, check_settings, save_team_settings, team_settings  # noqa: F401
from graphapp.service.targets import PRIORITIES, TargetRow, add_target, set_target, target_rows  # noqa: F401
from graphapp.service.weekly import RepWeek, WeeklyResult, weekly_lists  # noqa: F401
from graphapp.settings import get_setting
from graphapp.store import GraphStore, open_store

RELATIONSHIP_KINDS: tuple[str, ...] = tuple(k.value for k in RelationshipKind)  # for the front ends

def open_graph(location: str | None = None, *, create: bool = True) -> GraphStore:
    """Open the store at ``location`` (default: the ``db`` setting, ``GRAPHAPP_DB``).

    Raises:
        StoreError: the store cannot be opened; the message names the location.
    """
    return open_store(str(get_setting("db", location)), create=create)


def current_actor() -> str:
    """Who is acting, for the import history: the ``actor`` setting, else the OS user."""
    return default_actor()


def new_import_record(kind: str, actor: str | None = None, now: datetime | None = None) -> ImportRecord:
    now = now or datetime.now(UTC)
    import_id = f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"
    return ImportRecord(id=import_id, time=now, actor=actor or current_actor(), kind=kind)


# -- reading -------------------------------------------------------------------------------------
def stats(store: GraphStore) -> StoreCounts:
    """People, organisations, relationships, reps and imports in the store."""
    return store.counts()


def summary(store: GraphStore) -> StoreSummary:
    """Counts plus each rep's (and the team's) contribution of relationships."""
    return store.summary()


def list_reps(store: GraphStore) -> list[Rep]:
    return store.list_reps()


def list_imports(store: GraphStore) -> list[ImportRecord]:
    return store.list_imports()


_caches: dict[str, GraphCache] = {}
_caches_lock = threading.Lock()


def graph_view(store: GraphStore) -> GraphView:
    """The in-memory view of the store's current version, built once per version and shared."""
    with _caches_lock:
        cache = _caches.setdefault(store.location, GraphCache())
    return cache.current(store.data_version(), store.read_snapshot)


# -- changing ------------------------------------------------------------------------------------
def add_rep(store: GraphStore, *, name: str, email: str, role: str = "rep") -> tuple[Rep, bool]:
    """Add a rep to the team; a person already known by that e-mail becomes the rep.

    Returns:
        The rep and whether it was added (False: a rep with that e-mail already existed).

    Raises:
        InputError: an empty name, an invalid e-mail or an unknown role.
    """
    name = " ".join(name.split())
    if not name:
        raise InputError("A rep needs a name: --name 'Dana Whitfield'.")
    if role not in ("admin", "rep", "viewer"):
        raise InputError(f"Unknown role {role!r}; choose admin, rep or viewer.")
    email = normalize_email(email)
    person_id = store.find_people(emails=[email]).get(email) or stable_id("p", f"email:{email}")
    person = store.get_people([person_id]).get(person_id) or Person(id=person_id, name=name, emails=(email,))
    rep = Rep(email=email, person_id=person_id, name=person.name, role=role)
    return rep, store.add_rep(rep, person)


@dataclass(frozen=True)
class DemoResult:
    loaded: bool  # False when the demo was already in the store
    record: ImportRecord | None
    counts: StoreCounts


def load_demo(
    store: GraphStore,
    *,
    force: bool = False,
    seed: int | None = None,
    today: date | None = None,
    progress: Callable[[str], None] | None = None,
) -> DemoResult:
    """Load the invented demo network in one transaction.

    Raises:
        InputError: the store already holds other data and ``force`` is not set.
    """
    imports = store.list_imports()
    if any(r.kind == "demo" and r.status.value == "committed" for r in imports) and not force:
        return DemoResult(False, None, store.counts())
    counts = store.counts()
    if (counts.people or imports) and not force:
        raise InputError(
            f"{store.location} already holds data ({counts.people} people, {counts.imports} imports); "
            "the demo is meant for an empty store. Use another --db, or add --force to load it alongside."
        )
    record = new_import_record("demo")
    say = progress or (lambda _msg: None)
    say("Generating the demo network")
    network = demo.build_demo(record.id, seed=int(get_setting("demo_seed", seed)), today=today or date.today())
    say(f"Writing {len(network.batch):,} facts")
    with store.importing(record) as writer:
        writer.write(network.batch)
    return DemoResult(True, record, store.counts())


# -- importing -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class FileReport:
    """What happened to one file: its format, rows read, accepted and rejected, and why."""

    path: str
    format: str
    rows_read: int
    rows_accepted: int
    rows_rejected: int
    errors: tuple[tuple[int | None, str | None, str], ...]  # (row, column, reason); row None: the file
    warnings: tuple[tuple[int | None, str | None, str], ...] = ()
    committed: bool = True

    def as_dict(self) -> dict:
        return {
            "path": self.path, "format": self.format, "rows_read": self.rows_read,
            "rows_accepted": self.rows_accepted, "rows_rejected": self.rows_rejected,
            "errors": [{"row": r, "column": c, "reason": why} for r, c, why in self.errors],
        }


@dataclass(frozen=True)
class ImportReport:
    import_id: str | None  # None: nothing was committed
    files: tuple[FileReport, ...]
    people_added: int = 0
    people_merged: int = 0
    organizations_added: int = 0
    relationships_added: int = 0
    merges: tuple[tuple[str, str, str], ...] = ()  # (person id, name, reason): the first of them (see merges_made)
    merges_made: int = 0  # every merge, listed or not
    people_known: int = 0  # people already in the graph that the files name (not in --json: its shape is fixed)
    ignored: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def committed(self) -> bool:
        return self.import_id is not None

    @property
    def added_nothing(self) -> bool:
        """Committed, and every person, organisation and relationship was in the graph already (a re-import)."""
        return self.committed and not (self.people_added or self.organizations_added or self.relationships_added)

    def as_dict(self) -> dict:
        return {
            "import_id": self.import_id or "", "files": [f.as_dict() for f in self.files],
            "people_added": self.people_added, "people_merged": self.people_merged,
            "organizations_added": self.organizations_added, "relationships_added": self.relationships_added,
        }


def import_files(
    store: GraphStore,
    sources: list,
    *,
    owner: str | None = None,
    mapping: dict[str, str] | None = None,
    strict: bool = False,
    visibility: str = "existence",
    actor: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> ImportReport:
    """Import files in one all-or-nothing transaction and report exactly what happened.

    Parameters:
        sources: ``ingest.Source`` objects or paths.
        owner: e-mail of the rep whose data the files are (a LinkedIn archive names its own owner).
        mapping: {column: field} for CSVs of unknown layout.
        strict: refuse the whole import at the first rejected row or file.
        visibility: default visibility of the relationships brought (private, existence, team).
        progress: called with each step, a :class:`Step`: its text, and in ``share`` how far the whole
            import has got (0 to 1).

    Returns:
        The report; ``import_id`` is None when nothing could be committed.

    Raises:
        InputError: with ``strict``, the first problem; also a bad owner e-mail or visibility.
    """
    from graphapp.service.imports import run_import

    return run_import(store, sources, owner=owner, mapping=mapping, strict=strict, visibility=visibility,
                      record=new_import_record("file", actor), progress=progress or (lambda _m: None))


def undo_import(store: GraphStore, import_id: str) -> ImportRecord:
    """Remove what one import brought; facts also asserted by other imports stay."""
    return store.undo_import(import_id)


def merge_people(store: GraphStore, keep_id: str, gone_id: str) -> Person:
    """Correct a missed match: ``gone_id`` becomes part of ``keep_id``. Returns the merged person."""
    store.merge_people(keep_id, gone_id)
    return store.get_people([keep_id])[keep_id]


def set_strength(store: GraphStore, a_id: str, b_id: str, rep_email: str, value: float | None) -> int:
    """A rep's own judgement of how strong their relationship between two people is, in (0, 1]
    (``None`` clears it); it replaces the computed strength in every ranking.

    Only the rep who keeps the relationship (whose data asserted it) may set it.

    Raises:
        InputError: a value outside (0, 1], an unknown rep, or no relationship kept by that rep.
        NotFound: an unknown person id.
    """
    if value is not None and not 0 < value <= 1:
        raise InputError(f"A strength lies in (0, 1] (e.g. 0.8), not {value:g}.")
    email = normalize_email(rep_email)
    if email is None or email not in {r.email for r in store.list_reps()}:
        raise InputError(f"No rep has the e-mail {rep_email}; `graphapp reps list` shows the team.")
    changed = store.set_strength(a_id, b_id, email, value)
    if not changed:
        raise InputError(f"{email} keeps no relationship between {a_id} and {b_id}; only the rep whose data "
                         "asserted a relationship can set its strength.")
    return changed


def split_person(store: GraphStore, person_id: str) -> list[Person]:
    """Correct a wrong match: split a person back into the identities their evidence shows."""
    ids = store.split_person(person_id)
    people = store.get_people(ids)
    return [people[i] for i in ids]
