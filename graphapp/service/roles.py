"""The one check every write makes (part of the service): may this viewer take this action on this
subject? The rules are the table of :mod:`graphapp.domain.roles`; here the subject is looked up (whose
import, whose relationships, which rep) and a refusal is written to the audit log before it is raised.

Who acts reaches the service as a :class:`~graphapp.domain.privacy.Viewer`: the signed-in rep in the app
(or the rep picked in local mode), ``--as REP_EMAIL`` on the command line. ``None`` or
``Viewer.everything()`` is whoever holds the database file (the command line without ``--as``, the
app's first run on an empty store): they could change the file anyway, so nothing is checked.

A new rep is also checked here: their e-mail address is normalised (NFKC) and refused when it, or their
name, looks like an existing rep's (:mod:`graphapp.domain.lookalike`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

from graphapp.audit import acting_as, set_actor
from graphapp.domain.identity import normalize_email
from graphapp.domain.lookalike import look_alike
from graphapp.domain.privacy import Viewer
from graphapp.domain.roles import allowed, refusal
from graphapp.errors import InputError, NotAllowed
from graphapp.model import Rep
from graphapp.service.index import viewer_for
from graphapp.store import GraphStore

REFUSED = "refused"  # the audit action of a refusal


def actor_of(store: GraphStore, viewer: Viewer) -> str | None:
    """The audit actor for a signed-in viewer: ``rep:<person id>`` (never their e-mail); None: the default."""
    if viewer.sees_all:
        return None
    rep = next((r for r in store.list_reps() if r.email == viewer.email), None)
    return f"rep:{rep.person_id}" if rep else None


def actor_names(store: GraphStore) -> dict[str, str]:
    """The team's audit actors by name, ``rep:<person id>`` -> the rep's name: the history, the audit log and
    reports name who acted (any other actor, the OS user or the ``actor`` setting, is shown as it is)."""
    return {f"rep:{r.person_id}": r.name for r in store.list_reps()}


def command_line_viewer(store: GraphStore, email: str | None) -> Viewer:
    """Who acts on the command line: the rep ``--as`` names (checked as that rep and audited as
    ``rep:<person id>`` for the rest of the command), else whoever holds the database file.

    Raises:
        NotFound: no rep has that e-mail.
    """
    viewer = viewer_for(store, email)
    if email:
        set_actor(actor_of(store, viewer))
    return viewer


def unchecked(viewer: Viewer | None) -> bool:
    """Whether ``viewer`` holds the database file (None, or ``Viewer.everything()``): nothing is checked."""
    return viewer is None or viewer.sees_all


def is_own(store: GraphStore, viewer: Viewer, *, reps: Iterable[str | None] = (), import_id: str | None = None,
           people: Sequence[str] = ()) -> bool:
    """Whether the subject is the viewer's own: every rep named is the viewer, the import was run by
    them, and each person is known only from their data (every relationship of the person kept by them,
    every row that asserted the person from their files; at least one). No subject: own."""
    if any((normalize_email(r) if r else None) != viewer.email for r in reps):
        return False
    if import_id is not None:
        record = next((r for r in store.list_imports() if r.id == import_id), None)
        if record is None or record.actor != actor_of(store, viewer):
            return False
    files = store.evidence_files("person", list(people)) if people else {}
    for person_id in people:
        owners = {r.owner for r in store.relationships_of(person_id)} | {owner for _, owner in files.get(person_id, ())}
        if owners != {viewer.email}:
            return False
    return True


def may(store: GraphStore, viewer: Viewer | None, action: str, *, reps: Iterable[str | None] = (),
        import_id: str | None = None, people: Sequence[str] = ()) -> bool:
    """Whether ``viewer`` may take ``action`` on the subject (the app greys out what it may not).

    Parameters:
        action: a key of :data:`graphapp.domain.roles.RULES`.
        reps: e-mails of the reps acted for (the import's owner, the relationship's keeper...).
        import_id: the import acted on (undo).
        people: the people acted on (merge, split, forget).
    """
    if unchecked(viewer):
        return True
    reps = tuple(reps)
    if allowed(viewer.role, action, own=True) and is_own(store, viewer, reps=reps, import_id=import_id, people=people):
        return True
    return allowed(viewer.role, action, own=False)


def require(store: GraphStore, viewer: Viewer | None, action: str, *, reps: Iterable[str | None] = (),
            import_id: str | None = None, people: Sequence[str] = ()) -> None:
    """Refuse ``action`` unless ``viewer`` may take it on the subject (as :func:`may` decides). A refusal is
    audited (action ``refused``: the action refused, the role, and the subject as ids or salted hashes).

    Raises:
        NotAllowed: one message that says what was refused and who can do it; nothing was changed.
    """
    reps = tuple(reps)
    if may(store, viewer, action, reps=reps, import_id=import_id, people=people):
        return
    assert viewer is not None
    _audit_refusal(store, viewer, action, reps, import_id, people)
    raise NotAllowed(refusal(viewer.role, action))


def _audit_refusal(store: GraphStore, viewer: Viewer, action: str, reps: Sequence[str | None],
                   import_id: str | None, people: Sequence[str]) -> None:
    known = {r.email: r.person_id for r in store.list_reps()}
    emails = [normalize_email(r) for r in reps if r]
    objects = [f"action:{action}", f"role:{viewer.role}", *(f"rep:{known[e]}" for e in emails if e in known),
               *([f"import:{import_id}"] if import_id else []), *people]
    with acting_as(actor_of(store, viewer)):
        try:
            store.record_audit(REFUSED, objects, hashed=[e for e in emails if e not in known])
        except NotImplementedError:
            pass  # a store without an audit log (Neo4j for now)


# -- new reps --------------------------------------------------------------------------------------
def rep_email(value: str) -> str:
    """A rep's e-mail address as it is kept: compatibility forms folded (NFKC: a full-width ``ｄ`` is a
    ``d``), trimmed and lower-cased.

    Raises:
        InputError: not an e-mail address.
    """
    return normalize_email(unicodedata.normalize("NFKC", value))


def check_new_rep(reps: Iterable[Rep], email: str, name: str | None = None) -> None:
    """Refuse a new rep whose e-mail (or name) looks like, but is not, an existing rep's.

    Parameters:
        reps: the team (and the reps an import brings before this one).
        email: the new rep's address, as :func:`rep_email` gives it.
        name: the new rep's name, when known.

    Raises:
        InputError: naming the rep it looks like, and what to do.
    """
    for rep in reps:
        if look_alike(email, rep.email):
            raise InputError(f"The new rep's e-mail {email!r} looks like {rep.name}'s ({rep.email}) but is not the "
                             "same address (letters of another script, or look-alike characters). Nothing was "
                             f"changed; use {rep.email} if it is them, else check the address.")
        if name and rep.email != email and (name == rep.name or look_alike(name, rep.name)):
            raise InputError(f"A rep named {rep.name!r} ({rep.email}) is already on the team; a second one "
                             f"named {name!r} could not be told apart in the rep picker. Nothing was changed; "
                             "add a middle initial or another distinguishing word to the name.")
