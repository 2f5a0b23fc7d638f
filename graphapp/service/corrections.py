"""A rep corrects the graph (part of the service): merge two records of one person, split a wrong merge,
set the strength of a relationship they keep."""

from __future__ import annotations

from graphapp.domain.identity import normalize_email
from graphapp.domain.privacy import Viewer
from graphapp.errors import InputError
from graphapp.model import Person
from graphapp.service.roles import require
from graphapp.store import GraphStore


def merge_people(store: GraphStore, keep_id: str, gone_id: str, *, viewer: Viewer | None = None) -> Person:
    """Correct a missed match: ``gone_id`` becomes part of ``keep_id``. Returns the merged person.

    A rep may merge people whose every relationship they keep; a merge across reps' (or the team's)
    data needs an admin.

    Raises:
        NotAllowed: the viewer may not merge these two.
    """
    require(store, viewer, "merge", people=[keep_id, gone_id])
    store.merge_people(keep_id, gone_id)
    return store.get_people([keep_id])[keep_id]


def set_strength(store: GraphStore, a_id: str, b_id: str, rep_email: str, value: float | None, *,
                 viewer: Viewer | None = None) -> int:
    """A rep's own judgement of how strong their relationship between two people is, in (0, 1]
    (``None`` clears it); it replaces the computed strength in every ranking.

    Only the rep who keeps the relationship (whose data asserted it) may set it.

    Raises:
        InputError: a value outside (0, 1], an unknown rep, or no relationship kept by that rep.
        NotFound: an unknown person id.
        NotAllowed: the viewer is not that rep (nor an admin).
    """
    require(store, viewer, "set-strength", reps=[rep_email])
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


def split_person(store: GraphStore, person_id: str, *, viewer: Viewer | None = None) -> list[Person]:
    """Correct a wrong match: split a person back into the identities their evidence shows.

    Raises:
        NotAllowed: the viewer may not split them (as for a merge).
    """
    require(store, viewer, "merge", people=[person_id])
    ids = store.split_person(person_id)
    people = store.get_people(ids)
    return [people[i] for i in ids]
