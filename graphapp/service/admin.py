"""Records and safety (part of the service): the audit log, "forget this person" and its suppression
list, relationship visibility changes, backups, restores and copies to another store (``graphapp sync``).

Who may forget a person: an admin, or the rep who keeps every one of that person's relationships
(their own contact, known to no one else on the team). Team-kept relationships and other reps'
relationships need an admin. The command line acts as whoever holds the database file (an admin).
Every check is :func:`graphapp.service.roles.require` (the rules: :mod:`graphapp.domain.roles`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from graphapp.audit import AuditEntry, acting_as
from graphapp.domain.privacy import Viewer
from graphapp.errors import InputError, NotFound
from graphapp.service.common import open_graph
from graphapp.service.roles import actor_of, may, require
from graphapp.store import GraphStore
from graphapp.store.base import SyncResult
from ingest.spool import Spool

SUPPRESSED_REASON = "suppressed (forgotten person)"


# -- the audit log ---------------------------------------------------------------------------------
def audit_log(store: GraphStore, *, limit: int = 100, action: str | None = None,
              viewer: Viewer | None = None) -> list[AuditEntry]:
    """The newest ``limit`` audit rows, newest first (admins only).

    Raises:
        NotAllowed: the viewer is not an admin.
    """
    require(store, viewer, "audit-log")
    if limit < 1:
        raise InputError(f"--limit is at least 1, not {limit}.")
    return store.audit_log(limit=limit, action=action)


EXPORT_KINDS = ("weekly-csv", "weekly-html", "weekly-md", "rejected-rows-csv", "intro-draft")


def record_export(store: GraphStore, kind: str, rows: int, *, viewer: Viewer | None = None) -> None:
    """Audit one export or download (AUD-1): its kind and row count, by the viewer (ids only, no content).

    Raises:
        InputError: an unknown kind.
    """
    if kind not in EXPORT_KINDS:
        raise InputError(f"Unknown export {kind!r}; one of {', '.join(EXPORT_KINDS)}.")
    with acting_as(actor_of(store, viewer) if viewer is not None else None):
        try:
            store.record_audit("export", [f"type:{kind}"], {"rows": int(rows)})
        except NotImplementedError:
            pass  # a store without an audit log (Neo4j for now)


# -- forgetting a person ---------------------------------------------------------------------------
@dataclass(frozen=True)
class ForgetResult:
    person_id: str
    counts: dict[str, int]

    def as_dict(self) -> dict:
        return {"person_id": self.person_id, **self.counts}


def may_forget(store: GraphStore, person_id: str, viewer: Viewer | None) -> bool:
    """Whether ``viewer`` may forget the person: an admin, or the rep keeping all their relationships."""
    return may(store, viewer, "forget", people=[person_id])


def forget_person(store: GraphStore, person_id: str, *, suppress: bool = False,
                  viewer: Viewer | None = None) -> ForgetResult:
    """Remove a person and everything about them for every rep (DEL-1), audited with ids and hashes only.

    Parameters:
        person_id: the person's id (``graphapp`` prints ids; the People page knows them).
        suppress: also block their re-import: the salted hashes of their e-mails and LinkedIn URL go
            on the suppression list, and importers skip rows that carry them.
        viewer: who asks (None: the command line).

    Returns:
        What was removed, by kind (relationships, employments, evidence, keys, intros, suppressed).

    Raises:
        NotFound: no such person.
        NotAllowed: the viewer is neither an admin nor the rep who keeps all their relationships.
        InputError: the person is a rep.
    """
    if not store.get_people([person_id]):
        raise NotFound(f"No person with id {person_id!r}; `graphapp` search commands and the People page show ids.")
    require(store, viewer, "forget", people=[person_id])
    return ForgetResult(person_id, store.forget_person(person_id, suppress=suppress))


def unsuppress(store: GraphStore, hash_value: str, *, viewer: Viewer | None = None) -> bool:
    """Lift one suppression (admins only), so the person can be imported again. False: no such entry."""
    require(store, viewer, "unsuppress")
    return store.unsuppress(hash_value.removeprefix("hash:"))


def drop_suppressed(store: GraphStore, files: Sequence) -> int:
    """Before resolution, drop every contact of the parsed files whose e-mail or LinkedIn URL is on the
    suppression list, with the ties and jobs that name them; each of their rows is rejected with
    "suppressed (forgotten person)". Returns how many contacts were dropped.

    Parameters:
        files: ``ingest.records.ParsedFile`` objects (changed in place).
    """
    try:
        if not store.list_suppressed():  # the common case: nobody was forgotten, no keys to make
            return 0
    except NotImplementedError:  # a store without a suppression list (yet) has nobody suppressed
        return 0
    dropped = 0
    for f in files:
        gone: set[str] = set()
        for block in f.contacts.blocks():  # a large file's contacts are read back a block at a time
            keys_of = {c.ref: [f"email:{e}" for e in c.emails] + ([f"linkedin:{c.linkedin_url}"] if c.linkedin_url else [])
                       for c in block}
            wanted = sorted({k for keys in keys_of.values() for k in keys})
            hit = store.suppressed_keys(wanted) if wanted else set()
            gone.update(ref for ref, keys in keys_of.items() if any(k in hit for k in keys))
        if not gone:
            continue
        rows = {c.row for c in f.contacts if c.ref in gone}
        rows |= {t.row for t in f.ties if t.a in gone or t.b in gone}
        f.contacts = Spool(f.contacts.kind, (c for c in f.contacts if c.ref not in gone))
        f.ties = Spool(f.ties.kind, (t for t in f.ties if t.a not in gone and t.b not in gone))
        f.positions = Spool(f.positions.kind, (p for p in f.positions if p.who not in gone))
        already = {i.row for i in f.issues if i.severity == "error"}
        for row in sorted(rows - already):
            f.reject(row, SUPPRESSED_REASON)
        dropped += len(gone)
    return dropped


# -- backups ---------------------------------------------------------------------------------------
def backup(store: GraphStore, path: str | Path, *, viewer: Viewer | None = None) -> tuple[Path, str]:
    """Write a verified copy of the store to ``path`` (a new file, or a folder to put a dated file in).

    Returns:
        The file written and its content digest.

    Raises:
        StoreError: the file exists, the folder is missing, or the copy does not verify.
    """
    require(store, viewer, "backup")
    target = Path(path)
    if target.is_dir():
        target = target / f"{Path(store.location).stem}-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.db"
    return target, store.backup(str(target))


def restore(store: GraphStore, path: str | Path, *, viewer: Viewer | None = None) -> dict[str, object]:
    """Replace the store's content with a backup; the current state is kept as an automatic backup
    first, and forgotten people stay forgotten (DEL-2).

    Returns:
        ``digest`` (of the backup as restored), ``previous`` (the automatic backup of the state
        replaced) and counts of what was re-applied.

    Raises:
        StoreError: the file is missing, not a graphapp database, damaged or from a newer graphapp.
    """
    require(store, viewer, "restore")
    return store.restore(str(path))


def backup_now(store: GraphStore, *, viewer: Viewer | None = None) -> str:
    """An automatic-style backup into the store's backup folder (the Audit page's button). Returns the file."""
    require(store, viewer, "backup")
    return store.auto_backup("manual") or ""


def suppressed(store: GraphStore, *, viewer: Viewer | None = None) -> list[tuple[str, str, str]]:
    """(hash, time, actor) of every suppression, newest first (admins only)."""
    require(store, viewer, "suppression-list")
    return store.list_suppressed()


def sync(source: str, target: str, *, progress: Callable[[str], None] | None = None,
         viewer: Viewer | None = None) -> SyncResult:
    """Copy the store at ``source`` into the empty store at ``target`` (SQLite file or Neo4j URI, either
    way round) and verify the copy by counts and content digest (admins only: ``viewer`` as the
    source store knows them).

    Raises:
        StoreError: either store cannot be opened, or the copy does not match.
        InputError: the target already holds data.
        NotAllowed: the viewer is not an admin.
    """
    from graphapp.store.neo4j.sync import sync_stores  # the Neo4j driver: imported only when it is used

    with open_graph(source, create=False) as src:
        require(src, viewer, "sync")
        with open_graph(target) as dst:
            return sync_stores(src, dst, progress)
