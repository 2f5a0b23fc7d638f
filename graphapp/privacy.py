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


def _owned(view, viewer: Viewer) -> np.ndarray:
    owners = np.array([o in (viewer.email, TEAM) for o in view.owners], dtype=np.bool_)
    return owners[view.owner] if len(view.owner) else np.zeros(0, dtype=np.bool_)


def usable_relationships(view, viewer: Viewer) -> np.ndarray | None:
    """Mask of the relationships the viewer's rankings may use (None: all of them)."""
    if viewer.sees_all:
        return None
    return _owned(view, viewer) | (view.visibility != _PRIVATE)


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
