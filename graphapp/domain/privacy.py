"""Who sees what (pure): the relationships a viewer's rankings may use and the people whose identity
they may see, from each relationship's owner and visibility.

- ``private``: only its owner sees it; it never enters anyone else's rankings.
- ``existence`` (the import default): teammates' rankings use it, but they see "a contact of <owner>"
  with the strength instead of who the contact is, and ask the owner.
- ``team``: fully shared. Relationships owned by ``team`` (team files) are shared too.

A person's identity is visible to a viewer when the viewer is that person, the person is a rep, or at
least one relationship of theirs is fully visible to the viewer. ``Viewer.everything()`` (the command
line without ``--as``: whoever holds the database file) sees all.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

import numpy as np

from graphapp.model import TEAM, VISIBILITY_ORDER, Visibility

_PRIVATE = VISIBILITY_ORDER.index(Visibility.PRIVATE)
_TEAM = VISIBILITY_ORDER.index(Visibility.TEAM)
ROLES = ("admin", "rep", "viewer")


@dataclass(frozen=True)
class Viewer:
    """Who is looking: a rep's e-mail and role; ``email=None`` sees everything."""

    email: str | None
    role: str = "rep"

    @classmethod
    def everything(cls) -> Viewer:
        return cls(None, "admin")

    @property
    def sees_all(self) -> bool:
        return self.email is None

    @property
    def key(self) -> str:
        return self.email or "*"


HIDDEN_PREFIX = "hidden-"
_SALT = secrets.token_hex(16)  # per process: hidden ids cannot be matched to people across runs


def is_private(view, edge: int) -> bool:
    return int(view.visibility[edge]) == _PRIVATE


def hidden_id(person_id: str) -> str:
    """An id that stands for a person the viewer may not see (stable within this process only)."""
    return HIDDEN_PREFIX + hashlib.sha256((_SALT + person_id).encode()).hexdigest()[:12]


def hidden_label(keeper_name: str | None) -> str:
    """What a viewer sees instead of a hidden person's name."""
    return f"a contact of {keeper_name}" if keeper_name else "a contact of the team"


def keeper_of_label(label: str) -> str | None:
    """The rep's name in a :func:`hidden_label`."""
    rest = label.removeprefix("a contact of ")
    return None if rest == label or rest == "the team" else rest


def _owned(view, viewer: Viewer) -> np.ndarray:
    owners = np.array([o in (viewer.email, TEAM) for o in view.owners], dtype=np.bool_)
    return owners[view.owner] if len(view.owner) else np.zeros(0, dtype=np.bool_)


def owns_private(view, viewer: Viewer) -> bool:
    """Whether the viewer keeps private relationships (their rankings then differ from the team's)."""
    if viewer.sees_all or viewer.email not in view.owners:
        return False
    return bool(np.any((view.owner == view.owners.index(viewer.email)) & (view.visibility == _PRIVATE)))


def usable_relationships(view, viewer: Viewer) -> np.ndarray | None:
    """Mask of the relationships the viewer's rankings may use (None: all of them)."""
    if viewer.sees_all:
        return None
    return _owned(view, viewer) | (view.visibility != _PRIVATE)


def shared_relationships(view) -> np.ndarray:
    """Mask of the relationships every teammate's rankings may use: all but private ones (the team's own
    included), what may change a teammate's list."""
    return (view.visibility != _PRIVATE) | _owned(view, Viewer(None))


def excluded_people(view, usable: np.ndarray | None) -> np.ndarray | None:
    """People known only through relationships the viewer may not use (another rep's private contacts):
    for the viewer they do not exist, not even as colleagues or as people at an account (None: nobody)."""
    if usable is None:
        return None
    touched = np.zeros(view.n_people, dtype=np.bool_)
    touched[view.source] = True
    touched[view.target] = True
    reachable = np.zeros(view.n_people, dtype=np.bool_)
    reachable[view.source[usable]] = True
    reachable[view.target[usable]] = True
    out = touched & ~reachable
    out[view.rep_person] = False
    return out


def open_relationships(view, viewer: Viewer) -> np.ndarray:
    """Mask of the relationships the viewer may see in full."""
    if viewer.sees_all:
        return np.ones(len(view.owner), dtype=np.bool_)
    return _owned(view, viewer) | (view.visibility == _TEAM)


def visible_people(view, viewer: Viewer) -> np.ndarray:
    """Mask of the people whose identity the viewer may see."""
    out = np.zeros(view.n_people, dtype=np.bool_)
    if viewer.sees_all:
        out[:] = True
        return out
    out[view.rep_person] = True
    shown = open_relationships(view, viewer)
    out[view.source[shown]] = True
    out[view.target[shown]] = True
    touched = np.zeros(view.n_people, dtype=np.bool_)
    touched[view.source] = True
    touched[view.target] = True
    out |= ~touched  # people no relationship mentions (known from team files only)
    return out


def rests_on_private(view, people: list[int], hop_relationships: list[list[int]]) -> bool:
    """Whether a path needs private relationships: a hop backed only by private ones, or a person on it
    (besides its rep, first) that no non-private relationship names."""
    if any(rels and all(is_private(view, r) for r in rels) for rels in hop_relationships):
        return True
    for person in people[1:]:
        edges = view.adjacency.edges_of(person)
        if len(edges) and not np.any(view.visibility[edges] != _PRIVATE):
            return True
    return False
