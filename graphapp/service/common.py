"""What the parts of the service share: opening a store with the configuration the settings give it, who is
acting, a new import record, and the in-memory view of a store's current version (built once per version,
shared by every session)."""

from __future__ import annotations

import gc
import os
import secrets
import threading
import tomllib
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from graphapp.audit import audit_actor, default_actor
from graphapp.domain.graph import GraphCache, GraphView
from graphapp.errors import ConfigError
from graphapp.model import ImportRecord
from graphapp.settings import get_setting
from graphapp.store import GraphStore, StoreConfig, is_server_location, open_store

T = TypeVar("T")

YOUNG_OBJECTS = 500_000
"""How many more container objects may be alive than at the garbage collector's last pass before it runs
again (Python's default: 700). An import makes hundreds of thousands of records and facts that live for
one batch: with the default, each is scanned, survives, is promoted, and the older generations are then
walked again and again (a fifth to a third of an import's time, measured on 150,000 rows). Counted net
of objects freed, the threshold is reached only when memory really grows, so an import of bounded memory
runs with few or no passes; cycles are still collected."""


def configure_process() -> None:
    """Set up the running process for graphapp's work; the front ends (the CLI, the app) call it once at
    start. The one setting is the garbage collector's youngest-generation threshold (:data:`YOUNG_OBJECTS`)."""
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_OBJECTS, middle, oldest)


def open_graph(location: str | None = None, *, create: bool = True) -> GraphStore:
    """Open the store at ``location`` (default: the ``db`` setting, ``GRAPHAPP_DB``).

    Raises:
        StoreError: the store cannot be opened; the message names the location.
    """
    chosen = str(get_setting("db", location))
    return open_store(chosen, create=create, config=store_config(chosen))


def current_actor() -> str:
    """Who acts when no front end said: the ``actor`` setting (``GRAPHAPP_ACTOR``), else the OS user."""
    try:
        actor = str(get_setting("actor") or "")
    except (ConfigError, OSError, ValueError):  # a broken settings file must not stop the audit
        actor = os.environ.get("GRAPHAPP_ACTOR", "")
    return actor or default_actor()


def new_import_record(kind: str, actor: str | None = None, now: datetime | None = None) -> ImportRecord:
    """A record for an import about to start: a sortable, unguessable id, the time and who acts (the
    front end's acting person, ``rep:<person id>`` in the app or with ``--as``, else :func:`current_actor`):
    a rep may undo the imports they ran (:mod:`graphapp.service.roles`)."""
    now = now or datetime.now(UTC)
    import_id = f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"
    return ImportRecord(id=import_id, time=now, actor=actor or audit_actor(current_actor()), kind=kind)


_caches: dict[str, GraphCache] = {}  # store location -> its graph view, one version at a time
_answers: dict[tuple[str, str], tuple[int, object]] = {}  # (store location, what) -> (version, answer)
_caches_lock = threading.Lock()


def graph_view(store: GraphStore) -> GraphView:
    """The in-memory view of the store's current version, built once per version and shared."""
    with _caches_lock:
        cache = _caches.setdefault(store.location, GraphCache())
    return cache.current(store.data_version(), store.read_snapshot)


def has_graph_view(store: GraphStore) -> bool:
    """Whether the view of the store's current version is already in memory (nothing is read or built)."""
    with _caches_lock:
        cache = _caches.get(store.location)
    return cache is not None and cache.holds(store.data_version())


def per_version(store: GraphStore, what: str, read: Callable[[], T]) -> T:
    """``read()``'s answer for the store's current version: read once per version and shared by every
    session of the process (``what`` names the answer)."""
    version = store.data_version()
    with _caches_lock:
        found = _answers.get((store.location, what))
    if found is not None and found[0] == version:
        return found[1]  # type: ignore[return-value]
    answer = read()
    with _caches_lock:
        _answers[(store.location, what)] = (version, answer)
    return answer


def drop_caches() -> None:
    """Forget every graph view and per-version answer the process holds; each is read again from its store
    when next asked for (as in a new process)."""
    with _caches_lock:
        _caches.clear()
        _answers.clear()


def neo4j_credentials(env: Mapping[str, str] | None = None, secrets: Path | None = None) -> tuple[str, str]:
    """(user, password) from the environment, else ``.streamlit/secrets.toml``.

    Raises:
        ConfigError: no password anywhere, or an unreadable secrets file.
    """
    env = os.environ if env is None else env
    user, password = env.get("NEO4J_USER"), env.get("NEO4J_PASSWORD")
    path = secrets or Path(".streamlit") / "secrets.toml"
    if password is None and path.is_file():
        try:
            table = tomllib.loads(path.read_text(encoding="utf-8")).get("neo4j", {})
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"Cannot read {path}: {exc}.") from None
        user, password = user or table.get("user"), table.get("password")
    if not password:
        raise ConfigError("No Neo4j password: set NEO4J_USER and NEO4J_PASSWORD (or [neo4j] user and password "
                          "in .streamlit/secrets.toml for the app).")
    return user or "neo4j", password


def store_config(location: str) -> StoreConfig:
    """The configuration the settings give the store at ``location`` (the Neo4j login only for a server)."""
    user, password = neo4j_credentials() if is_server_location(location) else ("neo4j", None)
    return StoreConfig(
        backup_keep=int(get_setting("backup_keep")), neo4j_database=str(get_setting("neo4j_database")),
        neo4j_batch_size=int(get_setting("neo4j_batch_size")),
        neo4j_retry_seconds=float(get_setting("neo4j_retry_seconds")),
        neo4j_allow_insecure=bool(get_setting("neo4j_allow_insecure")), neo4j_user=user, neo4j_password=password)
