"""Changing who sees a rep's relationships (part of the service); the rules are in :mod:`graphapp.domain.privacy`."""

from __future__ import annotations

from graphapp.domain.identity import normalize_email
from graphapp.domain.privacy import Viewer
from graphapp.errors import InputError
from graphapp.model import Visibility
from graphapp.service.roles import require
from graphapp.store import GraphStore


def set_person_visibility(store: GraphStore, person_id: str, rep_email: str, visibility: str, *,
                          viewer: Viewer | None = None) -> int:
    """Who sees the relationships a rep keeps with one person: ``private`` (only the rep), ``existence``
    (teammates see a path exists and ask the rep) or ``team``. Takes effect on every page's next run.

    Only that rep (or an admin, or the command line: ``viewer`` None) may change it.

    Raises:
        NotAllowed: another rep or a viewer asks.
        InputError: an unknown visibility or rep, or no relationship of that rep with the person.
        NotFound: an unknown person.
    """
    try:
        level = Visibility(visibility)
    except ValueError:
        raise InputError(f"Visibility is private, existence or team, not {visibility!r}.") from None
    email = normalize_email(rep_email)
    require(store, viewer, "set-visibility", reps=[email])
    if email is None or email not in {r.email for r in store.list_reps()}:
        raise InputError(f"No rep has the e-mail {rep_email}; `graphapp reps list` shows the team.")
    changed = store.set_person_visibility(person_id, email, level.value)
    if not changed:
        raise InputError(f"{email} keeps no relationship with {person_id}.")
    return changed
