"""The audit log's vocabulary: its entries, its actions, and who is acting (no I/O).

Every change a store makes is recorded with an audit row in the same transaction (see
:mod:`graphapp.store.sqlite.audit`). A row holds the UTC time, the actor, the action, the ids of the
objects it touched and counts: never names, e-mails or other contact details (a value that would
identify someone who is not in the graph, such as an e-mail at a refused sign-in, is kept as a
salted hash).

The actor is whoever the front end says is acting (:func:`acting_as`): the signed-in rep in the
app (``rep:<person id>``), the ``actor`` setting on the command line (set by the CLI), else the OS user.
"""

from __future__ import annotations

import getpass
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime

# The actions written to the audit log, one name each (the audit page and `graphapp audit` show them).
ACTIONS: tuple[str, ...] = (
    "import", "import-failed", "import-refused", "undo-import", "merge", "split", "set-strength", "set-target", "settings",
    "intro-request", "intro-update", "set-visibility", "forget", "unsuppress", "add-rep", "backup", "restore",
    "sign-in", "sign-in-refused", "keep-apart", "refused",
)

_ACTOR: ContextVar[str | None] = ContextVar("graphapp_audit_actor", default=None)


@dataclass(frozen=True)
class AuditEntry:
    """One row of the append-only audit log."""

    seq: int
    time: datetime
    actor: str
    action: str
    objects: tuple[str, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"seq": self.seq, "time": self.time.isoformat(), "actor": self.actor, "action": self.action,
                "objects": list(self.objects), "counts": dict(self.counts)}


def default_actor() -> str:
    """The OS user, the actor of changes when no front end said who acts (see :func:`acting_as`)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in some containers
        return "unknown"


def audit_actor(fallback: str | None = None) -> str:
    """The actor of the current context (:func:`acting_as`), else ``fallback``, else :func:`default_actor`."""
    return _ACTOR.get() or fallback or default_actor()


@contextmanager
def acting_as(actor: str | None) -> Iterator[None]:
    """Record the changes made inside the block as ``actor``'s (None: the default actor)."""
    token = _ACTOR.set(actor)
    try:
        yield
    finally:
        _ACTOR.reset(token)


def set_actor(actor: str | None) -> None:
    """Make ``actor`` the actor of the rest of the current context (a Streamlit script run sets it first thing)."""
    _ACTOR.set(actor)


# The lookup keys of a person that identify them across files: what the suppression list matches on import.
SUPPRESSIBLE = ("email:", "linkedin:")


def suppressible_keys(keys, emails) -> set[str]:
    """A person's keys the suppression list keeps (their e-mail and LinkedIn keys, and every e-mail they have)."""
    return {k for k in keys if k.startswith(SUPPRESSIBLE)} | {f"email:{e}" for e in emails}


def hash_with(salt_value: str, value: str) -> str:
    """A salted SHA-256 of a value kept in the audit log or the suppression list instead of the value."""
    return hashlib.sha256(f"{salt_value}\x00{value}".encode()).hexdigest()
