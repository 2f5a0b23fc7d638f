"""Introduction requests (part of the service): record a request from a ranked path, move it through
its states, list them. The states and their order live in :mod:`graphapp.domain.intros`."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime

from graphapp.domain.identity import normalize_email
from graphapp.domain.intros import connector_records, next_states
from graphapp.domain.privacy import Viewer
from graphapp.errors import InputError, NotFound
from graphapp.model import IntroEvent, IntroRequest, IntroState
from graphapp.service.common import current_actor
from graphapp.service.roles import require
from graphapp.store import GraphStore


def request_intro(store: GraphStore, path: dict, account_id: str, *, draft: str | None = None,
                  note: str | None = None, actor: str | None = None, day: date | None = None,
                  viewer: Viewer | None = None) -> IntroRequest:
    """Record that the path's rep asked its first connector for an introduction (state ``requested``).

    ``path`` is one element of ``account_paths(...).as_dict()["paths"]``.

    Raises:
        InputError: the path is malformed, or an open request for the same rep, connector and target exists.
        NotAllowed: the viewer is not the path's rep (nor an admin).
    """
    try:
        rep_email, connector, target = path["rep"]["email"], path["hops"][0]["to"]["id"], path["target"]["id"]
    except (KeyError, IndexError, TypeError):
        raise InputError("That is not a path from `graphapp paths --json`.") from None
    rep_email = normalize_email(rep_email or "")
    if not rep_email:
        raise InputError("The path's rep has no e-mail address; add the rep with `graphapp reps add`.")
    require(store, viewer, "intro", reps=[rep_email])
    for open_one in store.list_intros(rep_email=rep_email, account_id=account_id):
        if (open_one.connector_id, open_one.target_id) == (connector, target) and next_states(open_one.state):
            raise InputError(f"{rep_email} already has an open request ({open_one.state.value} since "
                             f"{open_one.updated:%Y-%m-%d}) to {path['hops'][0]['to']['name']} for "
                             f"{path['target']['name']}.")
    now = datetime.now(UTC)
    intro = IntroRequest(
        id=f"i-{now:%Y%m%d}-{secrets.token_hex(4)}", rep_email=rep_email, account_id=account_id,
        connector_id=connector, target_id=target, score=path.get("score"), path=path, draft=draft,
        state=IntroState.REQUESTED, created=now, updated=now,
        events=(IntroEvent(IntroState.REQUESTED, day or now.date(), actor or current_actor(), now, note or None),))
    store.add_intro(intro)
    return intro


def update_intro(store: GraphStore, intro_id: str, state: str, *, note: str | None = None, actor: str | None = None,
                 day: date | None = None, viewer: Viewer | None = None) -> IntroRequest:
    """Move a request to ``state`` (forwards only; see :func:`graphapp.domain.intros.next_states`).

    Raises:
        NotFound: unknown request. InputError: unknown state or a move the workflow does not allow.
        NotAllowed: the viewer is not the request's rep (nor an admin).
    """
    found = store.list_intros(ids=[intro_id])
    if not found:
        raise NotFound(f"No introduction request {intro_id!r}; `graphapp intro list` shows them.")
    require(store, viewer, "intro", reps=[found[0].rep_email])
    try:
        new = IntroState(state)
    except ValueError:
        raise InputError(f"Unknown state {state!r}; one of: {', '.join(s.value for s in IntroState)}.") from None
    allowed = next_states(found[0].state)
    if new not in allowed:
        options = ", ".join(s.value for s in allowed) or "none: it is closed"
        raise InputError(f"A {found[0].state.value} request cannot become {new.value}; next: {options}.")
    now = datetime.now(UTC)
    store.add_intro_event(intro_id, IntroEvent(new, day or now.date(), actor or current_actor(), now, note or None))
    return store.list_intros(ids=[intro_id])[0]


def list_intros(store: GraphStore, *, rep_email: str | None = None, account_id: str | None = None) -> list[IntroRequest]:
    """Requests, newest first."""
    return store.list_intros(rep_email=normalize_email(rep_email) if rep_email else None, account_id=account_id)


def connector_record(store: GraphStore, person_id: str) -> tuple[int, int, int, int]:
    """(asked, introductions made, declined, introductions that became meetings or deals) of one person
    as a connector: their referral yield, which also raises or lowers their willingness in ranking."""
    return connector_records(store.list_intros()).get(person_id, (0, 0, 0, 0))
