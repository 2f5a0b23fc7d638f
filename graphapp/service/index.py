"""The search index of a store's graph for a viewer, and finding accounts and reps in it (shared by the
ranking, neighbourhood, people and weekly parts of the service)."""

from __future__ import annotations

import difflib
import threading
from collections import OrderedDict
from datetime import date

import numpy as np

from graphapp.domain.explain import name_of
from graphapp.domain.identity import normalize_email, org_key
from graphapp.domain.intros import connector_records, willingness_factor
from graphapp.domain.path_index import ALL_REPS, PathIndex
from graphapp.domain.privacy import Viewer, hidden_id, owns_private
from graphapp.domain.scoring import ScoringWeights, weights_from_settings
from graphapp.errors import NotFound
from graphapp.model import Person, RelationshipKind
from graphapp.service.common import graph_view
from graphapp.service.seen import index_as_seen
from graphapp.settings import SCORING_SETTINGS, get_setting
from graphapp.store import GraphStore


def team_setting(store: GraphStore | None, name: str, explicit=None):
    """A setting's value: ``explicit``, the environment, the settings file, the team's saved value, the default."""
    return get_setting(name, explicit, saved=store.saved_settings() if store is not None else None)


def scoring_weights(store: GraphStore | None = None, changes: dict[str, str] | None = None) -> ScoringWeights:
    """The weights the settings say (environment, settings file, the team's saved values, defaults);
    ``changes`` (setting name -> value) replace saved values, for a preview before saving."""
    saved = {**(store.saved_settings() if store is not None else {}), **(changes or {})}
    return weights_from_settings({name: get_setting(name, saved=saved) for name in SCORING_SETTINGS})


_indexes: OrderedDict[tuple, PathIndex] = OrderedDict()


_indexes_lock = threading.Lock()


_INDEXES_PER_STORE = 8  # the team's weights, reps with private relationships, a preview, filtered rankings


def path_index(store: GraphStore, *, weights: ScoringWeights | None = None, today: date | None = None,
               kinds: frozenset[RelationshipKind] | None = None, min_strength: float = 0.0,
               viewer: Viewer | None = None) -> PathIndex:
    """The weighted search arrays of the store's current version for ``viewer`` (default: everything),
    built once per (version, weights, day, filters, relationships the viewer may use); a few are kept
    per store, least recently used dropped first. Viewers whose rankings use the same relationships
    (every rep without private relationships of their own) share the arrays."""
    view = graph_view(store)
    viewer = viewer or Viewer.everything()
    weights = weights or scoring_weights(store)
    day = (today or date.today()).toordinal()
    key = (store.location, view.version, day, weights, kinds, float(min_strength), _search_key(view, viewer))
    with _indexes_lock:
        found = _indexes.get(key)
        if found is not None and found.view is view:
            _indexes.move_to_end(key)
            return index_as_seen(store, found.for_viewer(viewer))
    index = PathIndex(view, weights, day, kinds=kinds, min_strength=min_strength,
                      willingness_factor=willingness_factors(store, view), viewer=viewer)
    with _indexes_lock:
        for old in [k for k in _indexes if k[0] == store.location and (k[1], k[2]) != (view.version, day)]:
            del _indexes[old]  # older versions and days are never asked for again
        _indexes[key] = index
        mine = [k for k in _indexes if k[0] == store.location]
        for old in mine[:-_INDEXES_PER_STORE]:
            del _indexes[old]
    return index_as_seen(store, index)


def viewer_for(store: GraphStore, email: str | None) -> Viewer:
    """The viewer a rep's e-mail stands for (None: everything, as whoever holds the database file).

    Raises:
        NotFound: no rep has that e-mail.
    """
    if not email:
        return Viewer.everything()
    wanted = normalize_email(email)
    for rep in store.list_reps():
        if rep.email == wanted:
            return Viewer(rep.email, rep.role)
    raise NotFound(f"No rep has the e-mail {email}; `graphapp reps list` shows the team.")


def _search_key(view, viewer: Viewer) -> str:
    """Which relationships the viewer's rankings use: all ("*"), every non-private one ("public"), or
    those plus the viewer's own private ones (their e-mail)."""
    if viewer.sees_all:
        return "*"
    return viewer.email if owns_private(view, viewer) else "public"


def willingness_factors(store: GraphStore, view) -> np.ndarray:
    """Per person in the view, the factor their record as a connector puts on their willingness."""
    factors = np.ones(view.n_people)
    for person, (_, made, declined, yielded) in connector_records(store.list_intros()).items():
        position = view.person_index.get(person)
        if position is not None:
            factors[position] = willingness_factor(made, declined, yielded)
    return factors


def find_account(index: PathIndex, store: GraphStore, text: str) -> int:
    """The organisation named by ``text``: its id, a domain, or its name in any usual spelling.

    Raises:
        NotFound: nothing matches; the message suggests the closest account names.
    """
    text = text.strip()
    view = index.view
    if text in view.org_index:
        return view.org_index[text]
    domain = text.lower().removeprefix("https://").removeprefix("http://").removeprefix("www.").split("/")[0]
    keys = [f"domain:{domain}"] + ([f"org:{org_key(text)}"] if org_key(text) else [])
    found = {oid for ids in store.organizations_by_keys(keys).values() for oid in ids if oid in view.org_index}
    if found:
        positions = sorted(view.org_index[o] for o in found)
        targets = [p for p in positions if p in set(view.target_accounts().tolist())]
        return (targets or positions)[0]
    close = closest_names(text, [view.org_names[int(o)] for o in view.target_accounts()] or list(view.org_names))
    hint = f" Did you mean: {', '.join(close)}?" if close else ""
    raise NotFound(f"No account matches {text!r}.{hint} `graphapp coverage` lists the target accounts.")


def closest_names(text: str, names: list[str], n: int = 3) -> list[str]:
    """The names most like ``text``, whole or by their beginning (``"Iron Papr"`` ~ ``"Iron Paper Mills"``)."""
    wanted = text.casefold()

    def likeness(name: str) -> float:
        folded = name.casefold()
        return max(difflib.SequenceMatcher(None, wanted, folded).ratio(),
                   difflib.SequenceMatcher(None, wanted, folded[: len(wanted) + 2]).ratio())

    scored = sorted(((likeness(name), name) for name in set(names)), key=lambda x: (-x[0], x[1]))
    return [name for score, name in scored[:n] if score >= 0.6]


def find_rep(index: PathIndex, email: str | None) -> int:
    """The person position of the rep with this e-mail, or ``ALL_REPS`` for None.

    Raises:
        NotFound: no rep has that e-mail.
    """
    if not email:
        return ALL_REPS
    email = normalize_email(email)
    view = index.view
    if email not in view.rep_emails:
        raise NotFound(f"No rep has the e-mail {email}; `graphapp reps list` shows the team.")
    return int(view.rep_person[view.rep_emails.index(email)])


def target_title(index: PathIndex, org: int, person: int) -> str | None:
    """The person's title at the organisation, else their own title."""
    view = index.view
    rows = view.employees.edges_of(org)
    for r in rows[view.emp_person[rows] == person].tolist():
        if view.emp_current[r] and view.emp_titles[r]:
            return view.emp_titles[r]
    return view.person_titles[person]


def person_dict(index: PathIndex, position: int, people: dict[str, Person], title: str | None) -> dict:
    """A person on a path as the front ends show it: hidden behind a stable id when the viewer may not see them."""
    pid = index.view.person_ids[position]
    if not (index.viewer.sees_all or index.shown[position]):
        return {"id": hidden_id(pid), "name": name_of(index, position), "linkedin_url": None, "email": None,
                "title": None}
    person = index.seen_people.get(pid) or people.get(pid)  # as the viewer may see them
    return {"id": pid, "name": index.view.person_names[position],
            "linkedin_url": person.linkedin_url if person else None,
            "email": person.emails[0] if person and person.emails else None,
            "title": title if title is not None else index.view.person_titles[position]}
