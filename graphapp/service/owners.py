"""Whose files these are (part of the service): the owner an upload names itself (a LinkedIn archive's
``Profile.csv`` and ``Email Addresses.csv``), and the question the Import page asks before importing it as
someone else's data (issue 23: "This looks like Theo Marchbanks's archive. Import it as Theo's?").

Only the two small owner files are read (an archive's other members are left for the import), through
the importers' own format detection, so the owner found here is the one the import reads."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from graphapp.domain.archive_owner import is_owner, owner_rep
from graphapp.errors import InputError
from graphapp.model import Rep
from graphapp.service.imports import import_limits
from graphapp.store import GraphStore
from ingest import parse_file
from ingest.files import Source, zip_members
from ingest.registry import kind_of

OWNER_FILES = frozenset({"profile.csv", "email addresses.csv"})
"""The files of a LinkedIn export that say whose it is (by name; each is then read by its content)."""


@dataclass(frozen=True)
class ArchiveOwner:
    """The owner an upload names: its name (``Profile.csv``) and confirmed addresses (``Email Addresses.csv``)."""

    file: str  # the upload that names them
    name: str | None
    emails: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.name or self.emails[0]


@dataclass(frozen=True)
class OwnerQuestion:
    """An upload that names another owner than the one chosen: who it names (``owner``), the rep that is
    (``rep``; None: nobody on the team), and the owner chosen (``chosen``: a rep, or the new rep's e-mail)."""

    owner: ArchiveOwner
    rep: Rep | None
    chosen: Rep | str

    @property
    def chosen_name(self) -> str:
        return self.chosen.name if isinstance(self.chosen, Rep) else self.chosen

    @property
    def chosen_email(self) -> str:
        return self.chosen.email if isinstance(self.chosen, Rep) else self.chosen


def archive_owner(uploads: Sequence[tuple[str, bytes]]) -> ArchiveOwner | None:
    """The owner the uploads name about themselves (a LinkedIn archive, or its ``Profile.csv`` and
    ``Email Addresses.csv`` uploaded as files: the first name and the first addresses found, and the first
    upload that names them); None when no upload names one. A file that cannot be read
    names nobody (the preview and the import say why)."""
    limits = import_limits()
    name, emails, where = None, (), None
    for upload_name, data in uploads:
        source = Source(upload_name, bytes(data))
        try:
            members = zip_members(source, limits)[0] if kind_of(source) == "zip" else [source]
            for member in members:
                if member.basename.lower() not in OWNER_FILES:
                    continue
                found = parse_file(member, limits).owner
                if found is not None:
                    name, emails = name or found.name, emails or found.emails
                    where = where or upload_name
        except InputError:
            continue
    return ArchiveOwner(where, name, tuple(emails)) if where else None


def owner_question(store: GraphStore, uploads: Sequence[tuple[str, bytes]], owner: str | None) -> OwnerQuestion | None:
    """Whether to ask before importing ``uploads`` as ``owner``'s data (e-mail of a rep or of a new rep;
    None: the files name their reps, and the import recognises an archive's owner itself).

    Asked when an upload names its owner and that is another rep, or someone who is not on the team while
    a rep was chosen; not asked when the owner it names is the one chosen (one of their addresses, or the
    chosen rep's name), when it names nobody, or for a new rep when it names nobody on the team (a name
    alone cannot be told from the new rep's)."""
    if owner is None:
        return None
    found = archive_owner(uploads)
    if found is None:
        return None
    reps = store.list_reps()
    email = owner.strip().lower()
    if is_owner(email, found.name, found.emails, reps):
        return None
    rep = owner_rep(found.name, found.emails, reps)
    chosen = next((r for r in reps if r.email == email), None)
    if chosen is None and rep is None:
        return None
    return OwnerQuestion(found, rep, chosen or email)
