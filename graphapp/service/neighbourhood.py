"""Ranking one account on a large server store from its neighbourhood only (part of the service).

On a store that pushes the neighbourhood fetch down (Neo4j) and holds more relationships than the
``neighbourhood_above`` setting, ``service.account_paths`` does not read the whole graph: it asks the
store for what paths of at most ``max_hops`` relationships into that account can use
(:mod:`graphapp.store.neighbourhood`), builds a small view of it and ranks there, in Python, with the
same code and the same results as on the whole graph. Everything else (coverage, weekly lists) keeps
the whole-graph view.

A neighbourhood that reaches more than :data:`MOST_OF_THE_GRAPH` of the graph's people (three hops from
an account often reach nearly everyone) is not worth fetching row by row: the search stops at the level
that crosses it and the account is ranked on the whole-graph view, read at once and cached per store
version. While that view is in memory, every account ranks on it (the same answers, in milliseconds), and
no neighbourhood is fetched.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import date

from graphapp.domain.graph import GraphView, build_view
from graphapp.domain.identity import normalize_email, org_key
from graphapp.domain.path_index import ALL_REPS, PathIndex
from graphapp.domain.privacy import Viewer
from graphapp.domain.scoring import ScoringWeights
from graphapp.errors import NotFound
from graphapp.model import RelationshipKind
from graphapp.service.common import has_graph_view
from graphapp.service.index import (
    closest_names,
    find_account,
    find_rep,
    path_index,
    scoring_weights,
    team_setting,
    willingness_factors,
)
from graphapp.service.seen import index_as_seen
from graphapp.store import GraphStore

_views: OrderedDict[tuple, GraphView | None] = OrderedDict()
_views_lock = threading.Lock()
_VIEWS_KEPT = 16  # a few accounts' neighbourhoods per store version
MOST_OF_THE_GRAPH = 0.5  # a neighbourhood above this share of the people: rank on the whole-graph view


def uses_neighbourhood(store: GraphStore) -> bool:
    """Whether ranking one account on ``store`` should fetch only its neighbourhood."""
    if not store.pushes_down_neighbourhood:
        return False
    above = int(team_setting(store, "neighbourhood_above"))
    return above <= 0 or store.counts().relationships > above


def account_index(store: GraphStore, account: str, hops: int, *, weights: ScoringWeights | None = None,
                  today: date | None = None, kinds: frozenset[RelationshipKind] | None = None,
                  min_strength: float = 0.0, viewer: Viewer | None = None) -> tuple[PathIndex, int]:
    """The search arrays to rank ``account`` on, and the account's position in their view: the whole
    graph's (shared, cached) or, on a large server store, the account's neighbourhood's.

    Raises:
        NotFound: nothing matches ``account``.
    """
    if not uses_neighbourhood(store) or has_graph_view(store):
        index = path_index(store, weights=weights, today=today, kinds=kinds, min_strength=min_strength,
                           viewer=viewer)
        return index, find_account(index, store, account)
    org_id = find_account_id(store, account)
    view = neighbourhood_view(store, org_id, hops)
    if view is None:  # most of the graph: the whole-graph view (cached) is cheaper
        index = path_index(store, weights=weights, today=today, kinds=kinds, min_strength=min_strength,
                           viewer=viewer)
        return index, find_account(index, store, org_id)
    index = PathIndex(view, weights or scoring_weights(store), (today or date.today()).toordinal(), kinds=kinds,
                      min_strength=min_strength, willingness_factor=willingness_factors(store, view), viewer=viewer)
    return index_as_seen(store, index), view.org_index[org_id]


def neighbourhood_view(store: GraphStore, org_id: str, hops: int) -> GraphView | None:
    """The view of one account's neighbourhood, built once per (store version, account, hops); None (also
    remembered) when it holds more than :data:`MOST_OF_THE_GRAPH` of the people."""
    key = (store.location, store.data_version(), org_id, hops)
    with _views_lock:
        if key in _views:
            _views.move_to_end(key)
            return _views[key]
    most = int(store.counts().people * MOST_OF_THE_GRAPH)
    snapshot = store.read_neighbourhood(org_id, hops, most_people=most)
    view = build_view(snapshot) if snapshot is not None else None
    with _views_lock:
        _views[key] = view
        while len(_views) > _VIEWS_KEPT:
            _views.popitem(last=False)
    return view


def find_account_id(store: GraphStore, text: str) -> str:
    """The id of the organisation named by ``text`` (its id, a domain, or its name), asked of the store.

    Raises:
        NotFound: nothing matches; the message suggests the closest target account names.
    """
    text = text.strip()
    if store.get_organizations([text]):
        return text
    domain = text.lower().removeprefix("https://").removeprefix("http://").removeprefix("www.").split("/")[0]
    keys = [f"domain:{domain}"] + ([f"org:{org_key(text)}"] if org_key(text) else [])
    found = list(dict.fromkeys(oid for ids in store.organizations_by_keys(keys).values() for oid in ids))
    if found:
        orgs = store.get_organizations(found)
        targets = [o for o in found if o in orgs and orgs[o].is_target]
        return (targets or found)[0]
    names = [o.name for o in store.list_organizations() if o.is_target]
    close = closest_names(text, names)
    hint = f" Did you mean: {', '.join(close)}?" if close else ""
    raise NotFound(f"No account matches {text!r}.{hint} `graphapp coverage` lists the target accounts.")


def rep_position(index: PathIndex, store: GraphStore, email: str | None) -> int | None:
    """Where the paths may start: the rep's position, ``ALL_REPS``, or None for a rep of the team who is
    not in this (neighbourhood) view and so has no path into the account.

    Raises:
        NotFound: no rep has that e-mail.
    """
    if not email or normalize_email(email) in index.view.rep_emails:
        return find_rep(index, email) if email else ALL_REPS
    if normalize_email(email) in {r.email for r in store.list_reps()}:
        return None
    return find_rep(index, email)  # raises NotFound with the usual message
