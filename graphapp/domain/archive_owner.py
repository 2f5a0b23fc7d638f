"""Whose export is this (pure): a LinkedIn archive names its own owner (``Profile.csv``: the name;
``Email Addresses.csv``: the confirmed addresses), and that owner is matched to the team's reps the one
way the import does: an address first, else the name (accents, case and spacing aside).

The Import page asks before importing an archive as someone else's (issue 23): this module says who the
archive's owner is on the team, and whether that is the owner the user chose."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from graphapp.domain.identity import name_key
from graphapp.model import Rep


def owner_rep(name: str | None, emails: Sequence[str], reps: Iterable[Rep]) -> Rep | None:
    """The rep an archive's owner is: the rep with one of its addresses, else the one with its name (None:
    nobody on the team)."""
    reps = list(reps)
    by_email = next((r for e in emails for r in reps if r.email == e.strip().lower()), None)
    if by_email is not None or not name_key(name):
        return by_email
    return next((r for r in reps if name_key(r.name) == name_key(name)), None)


def is_owner(email: str, name: str | None, emails: Sequence[str], reps: Iterable[Rep]) -> bool:
    """Whether the archive of ``name`` / ``emails`` can be the data of the rep (or new rep) ``email``: one of its
    addresses is theirs, or it names the rep with that address. An archive that names nobody is anyone's."""
    if not name_key(name) and not emails:
        return True
    if email in (e.strip().lower() for e in emails):
        return True
    rep = next((r for r in reps if r.email == email), None)
    return rep is not None and bool(name_key(name)) and name_key(rep.name) == name_key(name)
