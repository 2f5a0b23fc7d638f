"""The import pipeline behind ``service.import_files``: parse every file, decide whose data it is,
resolve who is who against the store, write one transaction, and account for every row. Also the
browser's upload flow: ``import_uploads`` (bytes instead of paths, a column mapping per file) and
``describe_merges``; its preview is :mod:`graphapp.service.preview`.

Part of the service (the one place that joins ``ingest`` and the stores).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from graphapp.audit import acting_as
from graphapp.domain.archive_owner import owner_rep
from graphapp.domain.identity import stable_id
from graphapp.domain.privacy import Viewer, visible_people
from graphapp.errors import GraphAppError, GraphChanged, InputError
from graphapp.export.csv_safe import to_csv
from graphapp.model import ImportFile, ImportRecord, Person, Rep, Visibility
from graphapp.service.admin import drop_suppressed
from graphapp.service.common import current_actor, graph_view, new_import_record
from graphapp.service.roles import actor_of, check_new_rep, rep_email, require
from graphapp.service.seen import NOTHING_SHARED, people_as_seen
from graphapp.settings import get_setting
from graphapp.store import GraphStore
from ingest import parse_source
from ingest.files import Limits, Source, read_source
from ingest.records import OWNER, OwnerProfile, ParsedFile
from ingest.resolve.resolver import resolve
from ingest.resolve.rules import HOW_KNOWN, REASONS


class Step(str):
    """A progress message of an import that also says how far the whole import has got: ``share``,
    from 0 to 1, by the time each part takes (reading about a tenth, matching about a tenth, writing
    the rest but the commit). Callers that only print messages use it as the text it is."""

    share: float

    def __new__(cls, text: str, share: float) -> Step:
        step = super().__new__(cls, text)
        step.share = max(0.0, min(1.0, share))
        return step


_READ, _MATCHED, _WRITTEN = 0.12, 0.24, 0.94  # the shares reached when each part ends


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
    sha256: str | None = None  # of a refused file, when it could be read (its audit row names it so)

    def as_dict(self) -> dict:
        return {
            "path": self.path, "format": self.format, "rows_read": self.rows_read,
            "rows_accepted": self.rows_accepted, "rows_rejected": self.rows_rejected,
            "errors": [{"row": r, "column": c, "reason": why} for r, c, why in self.errors],
            "warnings": [{"row": r, "column": c, "text": text} for r, c, text in self.warnings],
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
    # Not in --json either: how the people already known were recognised ((how, count), most first), and
    # how many relationships the files name that the graph held already (this import's evidence was added).
    people_known_by: tuple[tuple[str, int], ...] = ()
    relationships_known: int = 0

    @property
    def committed(self) -> bool:
        return self.import_id is not None

    @property
    def added_nothing(self) -> bool:
        """Committed, and every person, organisation and relationship was in the graph already (a re-import)."""
        return self.committed and not (self.people_added or self.organizations_added or self.relationships_added)

    @property
    def rows_read(self) -> int:
        """Data rows of the files that were read (a refused file's rows are not counted)."""
        return sum(f.rows_read for f in self.files if f.committed)

    @property
    def rows_accepted(self) -> int:
        return sum(f.rows_accepted for f in self.files if f.committed)

    @property
    def rows_rejected(self) -> int:
        return sum(f.rows_rejected for f in self.files if f.committed)

    def figures(self) -> dict[str, int]:
        """What the import did, under the words the app and the CLI both show, in this order."""
        return {"Rows read": self.rows_read, "Rows rejected": self.rows_rejected, "New people": self.people_added,
                "People already known": self.people_known, "New relationships": self.relationships_added,
                "Relationships already known": self.relationships_known,
                "New organisations": self.organizations_added}

    def known_how(self) -> str:
        """How the people already in the graph were recognised: "397 by LinkedIn profile, 30 by name and
        company" ("" when none was)."""
        return ", ".join(f"{n:,} {how}" for how, n in self.people_known_by if n)

    def headline(self) -> str:
        """The report in one sentence, the same in the app and the CLI."""
        if not self.committed:
            return "Nothing was imported."
        n = self.rows_rejected
        rejected = f" {n:,} row{' was' if n == 1 else 's were'} rejected." if n else ""
        if self.added_nothing:
            return (f"Nothing new: the {self.rows_accepted:,} rows imported name {_people(self.people_known)} and "
                    f"{_relationships(self.relationships_known)} the graph already held; this import added its "
                    f"evidence to them.{rejected}")
        return (f"Imported {self.rows_accepted:,} of {self.rows_read:,} rows: {_people(self.people_added, 'new')} "
                f"and {self.people_known:,} already known, {_relationships(self.relationships_added, 'new')} "
                f"and {self.relationships_known:,} already known, "
                f"{self.organizations_added:,} new organisation{'' if self.organizations_added == 1 else 's'}."
                + rejected)

    def as_dict(self) -> dict:
        return {
            "import_id": self.import_id or "", "files": [f.as_dict() for f in self.files],
            "people_added": self.people_added, "people_merged": self.people_merged,
            "organizations_added": self.organizations_added, "relationships_added": self.relationships_added,
            "merges": [{"person_id": pid, "name": name, "reason": why} for pid, name, why in self.merges],
            "merges_made": self.merges_made,
        }


def _people(n: int, what: str = "") -> str:
    return f"{n:,} {what + ' ' if what else ''}{'person' if n == 1 else 'people'}"


def _relationships(n: int, what: str = "") -> str:
    return f"{n:,} {what + ' ' if what else ''}relationship{'' if n == 1 else 's'}"


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
    viewer: Viewer | None = None,
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
        viewer: who imports (None: whoever holds the database file). A rep imports only their own data;
            importing for another rep, or bringing in a new rep, needs an admin; a viewer imports nothing.

    Returns:
        The report; ``import_id`` is None when nothing could be committed.

    Raises:
        InputError: with ``strict``, the first problem; also a bad owner e-mail or visibility, or a new
            rep whose e-mail or name looks like an existing rep's.
        NotAllowed: the viewer may not import these files as they name their owners.
    """
    return run_import(store, sources, owner=owner, mapping=mapping, strict=strict, visibility=visibility,
                      record=new_import_record("file", actor or _acting(store, viewer)),
                      progress=progress or (lambda _m: None), viewer=viewer)


def _acting(store: GraphStore, viewer: Viewer | None) -> str | None:
    """Who runs an import for the history and the audit log: the viewer who imports, as ``rep:<person id>``
    (the rep signed in or picked in the app, ``--as`` on the command line), so an import made in the browser
    never falls back to the server's OS user; None: the front end's actor, else the OS user."""
    return actor_of(store, viewer) if viewer is not None else None


def undo_import(store: GraphStore, import_id: str, *, viewer: Viewer | None = None) -> ImportRecord:
    """Remove what one import brought; facts also asserted by other imports stay.

    Raises:
        NotAllowed: the viewer did not run that import and is not an admin (or is a viewer).
    """
    require(store, viewer, "undo-import", import_id=import_id)
    return store.undo_import(import_id)


IMPORT_ATTEMPTS = 3
"""How often an import is matched again when another import was saved while it was being matched."""


def run_import(store: GraphStore, sources: list, *, owner: str | None, mapping: dict[str, str] | None, strict: bool,
               visibility: str, record: ImportRecord, progress: Callable[[str], None],
               mappings: dict[str, dict[str, str]] | None = None, viewer: Viewer | None = None):
    """Run one import; ``mappings`` ({file name: {column: field}}) overrides ``mapping`` per file."""
    try:
        default_visibility = Visibility(visibility)
    except ValueError:
        raise InputError(f"Unknown visibility {visibility!r}; choose private, existence or team.") from None
    owner_email = rep_email(owner) if owner else None
    require(store, viewer, "import", reps=[owner_email] if owner_email else [])  # before reading: the role, the owner named
    refused: list[FileReport] = []
    try:
        parsed, ignored = _parse_all(sources, mapping, mappings or {}, strict, progress,
                                     _expected_owner(store, owner_email), refused)
        rep = _owner(store, parsed, owner_email)
        _check_team(store, viewer, rep, parsed)  # after reading: every rep the files name, and the new ones
        usable = []
        for f in parsed:
            if _needs_owner(f) and rep is None:
                refused.append(FileReport(f.name, f.format, f.rows_read, 0, f.rows_read, (
                    (None, None, "whose data is this? name the rep with --owner REP_EMAIL (or choose the rep on the Import page)"),
                ), committed=False, sha256=f.sha256))
            else:
                usable.append(f)
        if strict:
            _refuse_on_first_problem(usable, refused)
    except InputError:  # with strict: the refusal is audited all the same
        with suppress(GraphAppError):  # ... unless the store cannot say it (the refusal's error says what matters)
            _audit_refused(store, record, refused)
        raise
    _audit_refused(store, record, refused)  # also when nothing at all is imported
    # Forgotten people stay forgotten: their rows are rejected, see graphapp/service/admin.py (DEL-1).
    drop_suppressed(store, usable)
    if not usable:
        return ImportReport(None, tuple(refused), ignored=tuple(ignored))
    files = tuple(ImportFile(f.name, f.size, f.sha256, f.format) for f in usable)
    for attempt in range(1, IMPORT_ATTEMPTS + 1):
        progress(Step(f"Matching {sum(len(f.contacts) for f in usable):,} records against the graph", _READ))
        total = sum(len(f.contacts) + len(f.ties) + len(f.positions) for f in usable) or 1  # before resolve empties them
        read_at = store.data_version()  # another import saved after this is matched again: never two of one person
        resolution = resolve(usable, store, record.id, owner=rep, visibility=default_visibility)
        unseen = _unseen(store, viewer, {m.person_id for m in resolution.merges})  # asked before this import shows them
        try:
            with store.importing(record.__class__(**{**record.__dict__, "files": files}), read_at=read_at) as writer:
                # Batch by batch inside the one transaction: each is made, written and let go.
                done = 0
                for batch in resolution.batches:
                    progress(_writing(batch, done, total))
                    done += _records_in(batch)
                    writer.write(batch)
                    del batch
                progress(Step("Saving the import", _WRITTEN))
            break
        except GraphChanged:
            if attempt == IMPORT_ATTEMPTS:
                raise
            progress(Step("Another import was saved meanwhile: matching the files again", _READ))
            kept = {f.name for f in usable}  # read them again: matching used their records up
            again, _ = _parse_all(sources, mapping, mappings or {}, strict, lambda _step: None,
                                  _expected_owner(store, owner_email), [])
            usable = [f for f in again if f.name in kept]
            drop_suppressed(store, usable)
    added, relationships_known = writer.added(), writer.relationships_known()
    notes: dict[str, list] = {}  # complete now that every batch was made
    for f, row, text in resolution.notes:
        if row is not None:
            notes.setdefault(f.name, []).append((row, None, text))
    reports = tuple(_file_report(f, notes.get(f.name, [])) for f in usable) + tuple(refused)
    merges = tuple((m.person_id, m.name, m.reason) for m in resolution.merges if m.person_id not in unseen)
    hidden_merges = {m.person_id: m.reason for m in resolution.merges if m.person_id in unseen}
    hidden = len(hidden_merges)  # new people, for this viewer
    return ImportReport(
        record.id, reports, people_added=added["people"] + hidden, people_merged=max(0, resolution.people_merged - hidden),
        people_known=max(0, resolution.people_known - hidden),
        organizations_added=added["organizations"], relationships_added=added["relationships"],
        merges=merges, merges_made=resolution.merges_made - (len(resolution.merges) - len(merges)),
        ignored=tuple(ignored),
        notes=tuple(text for _, row, text in resolution.notes if row is None),
        people_known_by=_known_by(resolution.known_by, hidden_merges.values()),
        relationships_known=relationships_known,
    )


_KIND_OF_REASON = {why: kind for kind, why in REASONS.items()}


def _known_by(counts: dict[str, int], hidden_reasons) -> tuple[tuple[str, int], ...]:
    """(how, count) of the people already known, most first: the resolver's counts by rule, less the
    people the viewer may not see (the report calls them new; see :func:`_unseen`)."""
    counts = dict(counts)
    for why in hidden_reasons:
        kind = _KIND_OF_REASON.get(why)
        if kind in counts:
            counts[kind] = max(0, counts[kind] - 1)
    ordered = sorted(((n, kind) for kind, n in counts.items() if n), key=lambda x: (-x[0], x[1]))
    return tuple((HOW_KNOWN[kind], n) for n, kind in ordered)


def _unseen(store: GraphStore, viewer: Viewer | None, ids: set[str]) -> set[str]:
    """Of the known people an import matched, those the importing viewer may not see (another rep's private
    or existence-only contacts): the report calls them new people, so it never confirms a guess."""
    if viewer is None or viewer.sees_all or not ids:
        return set()
    view = graph_view(store)
    shown = visible_people(view, viewer)
    seen = people_as_seen(store, sorted(ids), viewer, view)
    return {pid for pid in ids if pid in view.person_index and (
        not shown[view.person_index[pid]] or seen.get(pid, Person(pid, NOTHING_SHARED)).name == NOTHING_SHARED)}


def _records_in(batch) -> int:
    """How many of the files' records a batch writes: a contact's person and job come together, a
    tie is one relationship, a position one job (the first batch, of organisations and reps, none)."""
    if batch.organizations or batch.reps or batch.merges:
        return 0
    return len(batch.people) + len(batch.relationships) + (0 if batch.people else len(batch.employments))


def _writing(batch, done: int, total: int) -> Step:
    n = _records_in(batch)
    if not n:
        return Step(f"Writing {len(batch):,} organisations, reps and links between people", _MATCHED)
    last = min(done + n, total)
    text = f"Writing records {min(done + 1, last):,}-{last:,} of {total:,}"
    return Step(text, _MATCHED + (_WRITTEN - _MATCHED) * min(done, total) / total)


def import_limits() -> Limits:
    """The input caps, from the settings (max_file_mb, max_rows, ...)."""
    mb = 1024 * 1024
    return Limits(
        max_file_bytes=get_setting("max_file_mb") * mb, max_rows=get_setting("max_rows"),
        max_columns=get_setting("max_columns"), max_field_chars=get_setting("max_cell_chars"),
        max_name_chars=get_setting("max_name_chars"), max_zip_members=get_setting("max_zip_members"),
        max_zip_bytes=get_setting("max_zip_mb") * mb, max_zip_ratio=get_setting("max_zip_ratio"),
    )


def _expected_owner(store: GraphStore, email: str | None) -> OwnerProfile | None:
    """The rep the user named, as far as the graph knows them (the parsers' hint: a calendar's owner, the
    owner of a messages file in which two people are in as many conversations)."""
    if email is None:
        return None
    rep = next((r for r in store.list_reps() if r.email == email), None)
    person_id = rep.person_id if rep else store.find_people(emails=[email]).get(email)
    person = store.get_people([person_id]).get(person_id) if person_id else None
    if person is None:
        return OwnerProfile(name=rep.name if rep else None, emails=(email,))
    return OwnerProfile(name=person.name, emails=(email,), linkedin_url=person.linkedin_url)


def _parse_all(sources, mapping, mappings, strict, progress, owner: OwnerProfile | None,
               refused: list[FileReport]) -> tuple[list[ParsedFile], list[str]]:
    """Parse every source, one after the other: the files read and what was not read; the files
    refused are added to ``refused`` (with ``strict``, the first before its error is raised).

    A file's records are spooled to disk as it is parsed (``ingest.spool``), so memory stays bounded by
    a spool block, not by the size of the files."""
    parsed, ignored = [], []
    limits = import_limits()
    for n, item in enumerate(sources):
        full_name = getattr(item, "name", str(item))
        name = Path(full_name).name
        progress(Step(f"Reading {name}" + (f" ({n + 1} of {len(sources)})" if len(sources) > 1 else ""),
                      _READ * n / len(sources)))
        source = None
        try:
            source = item if isinstance(item, Source) else read_source(item, limits)
            result = parse_source(source, limits, mappings.get(full_name, mapping), owner=owner)
        except InputError as exc:
            refused.append(FileReport(full_name, "unknown", 0, 0, 0, ((None, None, str(exc)),), committed=False,
                                      sha256=_sha256_of(source)))
            if strict:
                raise
            progress(Step(f"Refused {name}: {exc}", _READ * (n + 1) / len(sources)))
            continue
        rows = ", ".join(f"{f.rows_read:,} rows ({f.format})" for f in result.files)
        progress(Step(f"Read {name}: {rows}", _READ * (n + 1) / len(sources)))
        parsed.extend(result.files)
        ignored.extend(f"{result.name}: {why}" for why in result.ignored)
    return parsed, ignored


def _sha256_of(source: Source | None) -> str | None:
    """The SHA-256 of a source that could be opened (None: missing, unreadable, or a folder)."""
    try:
        return source.sha256 if source is not None else None
    except OSError:
        return None


def _audit_refused(store: GraphStore, record: ImportRecord, refused: list[FileReport]) -> None:
    """One "import-refused" audit row for the files of an import that were refused (AUD-1): the
    import's id and each file's SHA-256, as the "import" row names the files it brought; never a file
    name or a message, which may hold contact details."""
    if not refused:
        return
    objects = [record.id, *(f"sha256:{f.sha256}" for f in refused if f.sha256)]
    with acting_as(record.actor):
        try:
            store.record_audit("import-refused", objects, {"files": len(refused)})
        except NotImplementedError:
            pass  # a store without an audit log (Neo4j for now)


def audit_refused_uploads(store: GraphStore, contents: list[bytes], *, viewer: Viewer | None = None) -> None:
    """One "import-refused" audit row for uploads refused before any import was tried (the Import page's
    preview refuses an empty, binary or unreadable file): each file's SHA-256, never its name or content."""
    if not contents:
        return
    objects = ["preview", *(f"sha256:{hashlib.sha256(data).hexdigest()}" for data in contents)]
    actor = actor_of(store, viewer) if viewer is not None else None
    with acting_as(actor or current_actor()):
        try:
            store.record_audit("import-refused", objects, {"files": len(contents)})
        except NotImplementedError:
            pass  # a store without an audit log (Neo4j for now)


def _needs_owner(f: ParsedFile) -> bool:
    if f.team_file:
        return False
    return any(OWNER in (t.a, t.b) for t in f.ties) or any(p.who == OWNER for p in f.positions) or f.owner is not None


def _owner(store: GraphStore, files: list[ParsedFile], email: str | None) -> Rep | None:
    """The rep whose data the files are: the one the user named (``--owner``, the app's choice).

    Without a name, only a rep the team already has can own the files, recognised by the archive's own
    profile (its e-mail addresses, else its name); a calendar's owner is never guessed from its most
    frequent address, and no rep is ever created from what a file suggests: the import then asks for
    ``--owner``. A new rep is named after the person the graph already holds under that e-mail, else
    the files' own profile, else the address itself (never a name made up from its local part).
    """
    reps = {r.email: r for r in store.list_reps()}
    profile = next((f.owner for f in files if f.owner and not f.team_file and (f.owner.name or f.owner.emails)), None)
    if email is None:
        if profile is None:
            return None
        return owner_rep(profile.name, profile.emails, reps.values())
    if email in reps:
        return reps[email]
    person_id = store.find_people(emails=[email]).get(email)
    known = store.get_people([person_id]).get(person_id) if person_id else None
    name = (known.name if known and known.name else None) or (profile.name if profile and profile.name else None) or email
    return Rep(email=email, person_id=person_id or stable_id("p", f"email:{email}"), name=name)


def _named_reps(rep: Rep | None, files: list[ParsedFile]) -> list[str]:
    """The e-mails of every rep an import acts for: its owner, and the reps team sheets name on their rows
    (as the resolver reads them: tie ends, ``reported_by``, target owners)."""
    named = {rep.email} if rep else set()
    for f in files:
        if not f.team_file:
            continue
        for t in f.ties:
            named.update(end.split(":", 1)[1] for end in (t.a, t.b) if end.startswith("@rep-email:"))
            if t.reported_by:
                named.add(t.reported_by)
        named.update(target.owner_rep_email for target in f.targets if target.owner_rep_email)
    return sorted(named)


def _check_team(store: GraphStore, viewer: Viewer | None, rep: Rep | None, files: list[ParsedFile]) -> None:
    """Refuse an import for other reps than the viewer, one that brings new reps without an admin, and
    any new rep whose e-mail (or, for the owner, name) looks like an existing rep's."""
    named = _named_reps(rep, files)
    require(store, viewer, "import", reps=named)
    team = store.list_reps()
    new = [e for e in named if all(r.email != e for r in team)]
    if new:
        require(store, viewer, "add-rep", reps=new)
    for email in new:
        check_new_rep(team, email, rep.name if rep and rep.email == email and rep.name != email else None)
        team.append(Rep(email=email, person_id="", name=email))  # two new look-alikes in one import


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
    errors = tuple((i.row, i.column, i.reason) for i in f.issues if i.severity == "error")
    warnings = tuple((i.row, i.column, i.reason) for i in f.issues if i.severity == "warning") + tuple(notes)
    return FileReport(f.name, f.format, f.rows_read, f.rows_accepted, f.rows_rejected, errors, warnings)


"""The fields a column of an unknown CSV can be mapped to (``graphapp import --map COLUMN=FIELD``)."""


"""A vCard or iCalendar file is previewed from its first this many characters (4 Mi: cards with
photos are large), read whole only when those hold fewer cards or meetings than the preview shows."""


@dataclass(frozen=True)
class Match:
    """A person in the imported files who was recognised as someone already known, and why."""

    person_id: str
    name_in_file: str
    name_in_graph: str
    reason: str


def import_uploads(store: GraphStore, uploads: Sequence[tuple[str, bytes]], *, owner: str | None = None,
                   mappings: dict[str, dict[str, str]] | None = None, strict: bool = False,
                   visibility: str = "existence", actor: str | None = None,
                   progress: Callable[[str], None] | None = None, viewer: Viewer | None = None):
    """Import uploaded files (name, bytes) in one all-or-nothing transaction, as ``import_files`` does.

    Parameters:
        uploads: (file name, bytes) pairs, e.g. from a browser upload.
        owner: e-mail of the rep whose data the files are; None: the files name their reps.
        mappings: {file name: {column: field}} for the CSVs of unknown layout.
        strict, visibility, actor, progress, viewer: as :func:`graphapp.service.import_files`.

    Returns:
        The :class:`graphapp.service.ImportReport`.

    Raises:
        InputError: with ``strict``, the first problem; also a bad owner e-mail or visibility.
    """
    sources = [Source(name, bytes(data)) for name, data in uploads]
    return run_import(store, sources, owner=owner, mapping=None, mappings=mappings, strict=strict,
                      visibility=visibility, record=new_import_record("file", actor or _acting(store, viewer)),
                      progress=progress or (lambda _m: None), viewer=viewer)


def describe_merges(store: GraphStore, report, *, viewer: Viewer | None = None) -> list[Match]:
    """The matches an import made, each with the name the graph now holds for that person as ``viewer``
    may see it (default: everything).

    Parameters:
        report: an :class:`graphapp.service.ImportReport`.

    Returns:
        One :class:`Match` per merge, in the report's order.
    """
    people = people_as_seen(store, sorted({pid for pid, _, _ in report.merges}), viewer)
    return [Match(pid, name, people[pid].name if pid in people else name, reason) for pid, name, reason in report.merges]


REJECTED_COLUMNS = ("file", "row", "column", "reason")


def rejected_rows_csv(report) -> str:
    """The rejected rows (and refused files) of an import report as spreadsheet-safe CSV text.

    Parameters:
        report: an :class:`graphapp.service.ImportReport`.

    Returns:
        CSV text with the columns :data:`REJECTED_COLUMNS`, one line per rejected row (row empty: the
        whole file); cells a spreadsheet would run as formulas are neutralised (:mod:`graphapp.export.csv_safe`).
    """
    return to_csv(((f.path, row, column, reason) for f in report.files for row, column, reason in f.errors),
                  header=REJECTED_COLUMNS)
