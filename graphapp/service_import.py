"""The import pipeline behind ``service.import_files``: parse every file, decide whose data it is,
resolve who is who against the store, write one transaction, and account for every row.

Part of the service (the one place that joins ``ingest`` and the stores).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from graphapp.errors import InputError
from graphapp.identity import name_key, normalize_email, stable_id
from graphapp.model import ImportFile, ImportRecord, Rep, Visibility
from graphapp.store import GraphStore
from ingest import ParsedSource, parse_source
from ingest.files import Limits, Source, read_source
from ingest.records import OWNER, ParsedFile
from ingest.resolve import resolve

# An import allocates hundreds of thousands of records, facts and rows that all stay alive until it
# ends, and makes no reference cycles (a collection right after one finds nothing). The cyclic
# collector would pass over them again and again as they pile up, for a third of the import's time,
# so it is paused while imports run; memory is still freed at once by reference counting.
_gc_lock = threading.Lock()
_gc_imports = 0  # imports running (in any thread)
_gc_was_enabled = False  # whether to turn the collector back on when the last one ends


@contextmanager
def _gc_paused() -> Iterator[None]:
    global _gc_imports, _gc_was_enabled
    with _gc_lock:
        if _gc_imports == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_imports += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_imports -= 1
            if _gc_imports == 0 and _gc_was_enabled:
                gc.enable()


def run_import(store: GraphStore, sources: list, *, owner: str | None, mapping: dict[str, str] | None, strict: bool,
               visibility: str, record: ImportRecord, progress: Callable[[str], None]):
    with _gc_paused():
        return _run_import(store, sources, owner=owner, mapping=mapping, strict=strict, visibility=visibility,
                           record=record, progress=progress)


def _run_import(store: GraphStore, sources: list, *, owner: str | None, mapping: dict[str, str] | None, strict: bool,
                visibility: str, record: ImportRecord, progress: Callable[[str], None]):
    from graphapp.service import FileReport, ImportReport

    try:
        default_visibility = Visibility(visibility)
    except ValueError:
        raise InputError(f"Unknown visibility {visibility!r}; choose private, existence or team.") from None
    owner_email = normalize_email(owner) if owner else None
    parsed, refused, ignored = _parse_all(sources, mapping, strict, progress)
    rep = _owner(store, parsed, owner_email)
    usable = []
    for f in parsed:
        if _needs_owner(f) and rep is None:
            refused.append(FileReport(f.name, f.format, f.rows_read, 0, f.rows_read, (
                (None, None, "whose data is this? name the rep with --owner REP_EMAIL (or choose the rep on the Import page)"),
            ), committed=False))
        else:
            usable.append(f)
    if strict:
        _refuse_on_first_problem(usable, refused)
    if not usable:
        return ImportReport(None, tuple(refused), ignored=tuple(ignored))
    progress(f"Matching {sum(len(f.contacts) for f in usable):,} records against the graph")
    resolution = resolve(usable, store, record.id, owner=rep, visibility=default_visibility)
    files = tuple(ImportFile(f.name, f.size, f.sha256, f.format) for f in usable)
    with store.importing(record.__class__(**{**record.__dict__, "files": files})) as writer:
        # Batch by batch inside the one transaction: each is made, written and let go.
        for batch in resolution.batches:
            progress(f"Writing {len(batch):,} facts")
            writer.write(batch)
            del batch
    added = writer.added()
    notes: dict[str, list] = {}  # complete now that every batch was made
    for f, row, text in resolution.notes:
        if row is not None:
            notes.setdefault(f.name, []).append((row, None, text))
    reports = tuple(_file_report(f, notes.get(f.name, [])) for f in usable) + tuple(refused)
    return ImportReport(
        record.id, reports, people_added=added["people"], people_merged=resolution.people_merged,
        organizations_added=added["organizations"], relationships_added=added["relationships"],
        merges=tuple((m.person_id, m.name, m.reason) for m in resolution.merges), ignored=tuple(ignored),
        notes=tuple(text for _, row, text in resolution.notes if row is None),
    )


def import_limits() -> Limits:
    """The input caps, from the settings (max_file_mb, max_rows, ...)."""
    from graphapp.settings import get_setting

    mb = 1024 * 1024
    return Limits(
        max_file_bytes=get_setting("max_file_mb") * mb, max_rows=get_setting("max_rows"),
        max_columns=get_setting("max_columns"), max_field_chars=get_setting("max_cell_chars"),
        max_name_chars=get_setting("max_name_chars"), max_zip_members=get_setting("max_zip_members"),
        max_zip_bytes=get_setting("max_zip_mb") * mb, max_zip_ratio=get_setting("max_zip_ratio"),
    )


def _parse_all(sources, mapping, strict, progress) -> tuple[list[ParsedFile], list, list[str]]:
    from graphapp.service import FileReport

    parsed, refused, ignored = [], [], []
    limits = import_limits()
    for item in sources:
        name = getattr(item, "name", str(item))
        progress(f"Reading {Path(name).name}")
        try:
            source = item if isinstance(item, Source) else read_source(item, limits)
            result: ParsedSource = parse_source(source, limits, mapping)
        except InputError as exc:
            if strict:
                raise
            refused.append(FileReport(name, "unknown", 0, 0, 0, ((None, None, str(exc)),), committed=False))
            continue
        parsed.extend(result.files)
        progress(f"Read {Path(name).name}: " + ", ".join(f"{f.rows_read:,} rows ({f.format})" for f in result.files))
        ignored.extend(f"{result.name}: {why}" for why in result.ignored)
    return parsed, refused, ignored


def _needs_owner(f: ParsedFile) -> bool:
    if f.team_file:
        return False
    return any(OWNER in (t.a, t.b) for t in f.ties) or any(p.who == OWNER for p in f.positions) or f.owner is not None


def _owner(store: GraphStore, files: list[ParsedFile], email: str | None) -> Rep | None:
    """The rep whose data the files are: --owner, else what the files say (archive profile, calendar owner)."""
    reps = {r.email: r for r in store.list_reps()}
    profile = next((f.owner for f in files if f.owner and (f.owner.name or f.owner.emails)), None)
    email = email or next((f.owner_email for f in files if f.owner_email), None)
    if email is None and profile:
        email = next((e for e in profile.emails), None)
        if email is None:
            by_name = {name_key(r.name): r for r in reps.values()}
            match = by_name.get(name_key(profile.name))
            email = match.email if match else None
    if email is None:
        return None
    if email in reps:
        return reps[email]
    person_id = store.find_people(emails=[email]).get(email) or stable_id("p", f"email:{email}")
    name = profile.name if profile and profile.name else " ".join(w.capitalize() for w in email.split("@")[0].split("."))
    return Rep(email=email, person_id=person_id, name=name)


def _refuse_on_first_problem(files: list[ParsedFile], refused: list) -> None:
    if refused:
        first = refused[0]
        raise InputError(f"{first.path}: {first.errors[0][2]} (--strict: nothing was imported)")
    for f in files:
        if f.errors:
            e = f.errors[0]
            where = f"row {e.row}" + (f", column {e.column}" if e.column else "")
            raise InputError(f"{f.name}, {where}: {e.reason} (--strict: nothing was imported)")


def _file_report(f: ParsedFile, notes: list):
    from graphapp.service import FileReport

    errors = tuple((i.row, i.column, i.reason) for i in f.issues if i.severity == "error")
    warnings = tuple((i.row, i.column, i.reason) for i in f.issues if i.severity == "warning") + tuple(notes)
    return FileReport(f.name, f.format, f.rows_read, f.rows_accepted, f.rows_rejected, errors, warnings)
