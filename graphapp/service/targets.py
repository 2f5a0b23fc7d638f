"""Target accounts from the app and the CLI: the coverage table with owner and priority, adding an
account by name or domain, changing or ending a target (part of the service)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from graphapp.domain.identity import org_key, stable_id
from graphapp.domain.privacy import Viewer
from graphapp.errors import InputError
from graphapp.model import Asserted, Evidence, GraphBatch, Organization
from graphapp.service.common import new_import_record
from graphapp.service.paths import coverage
from graphapp.service.roles import require
from graphapp.store import GraphStore

PRIORITIES = ("high", "medium", "low")


@dataclass(frozen=True)
class TargetRow:
    """One target account as the coverage table shows it."""

    id: str
    name: str
    domains: tuple[str, ...]
    owner: str | None  # the owning rep's e-mail; None: the whole team
    priority: str | None
    known_people: int
    best_score: float
    best_rep: str | None  # e-mail
    covered: bool
    best_tier: str | None = None  # the tier of the best path's weakest link (strong, medium, weak); None: no path


def target_rows(store: GraphStore, *, max_hops: int | None = None, today: date | None = None,
                viewer: Viewer | None = None) -> list[TargetRow]:
    """Every target account with its coverage as ``viewer``'s rankings see it, best covered first, then by name."""
    result = coverage(store, max_hops=max_hops, today=today, viewer=viewer).as_dict()
    orgs = store.get_organizations([a["id"] for a in result["accounts"]])
    rows = [TargetRow(a["id"], a["name"], orgs[a["id"]].domains, orgs[a["id"]].target_owner, orgs[a["id"]].priority,
                      a["known_people"], a["best_score"], a["best_rep"], a["covered"], a.get("best_tier"))
            for a in result["accounts"] if a["id"] in orgs]
    return sorted(rows, key=lambda r: (-r.best_score, r.name.lower(), r.id))


def _check(owner: str | None, priority: str | None, store: GraphStore) -> None:
    if priority not in (None, *PRIORITIES):
        raise InputError(f"A priority is high, medium or low, not {priority!r}.")
    if owner and owner not in {r.email for r in store.list_reps()}:
        raise InputError(f"No rep has the e-mail {owner}; `graphapp reps list` shows the team.")


def set_target(store: GraphStore, org_id: str, is_target: bool, *, owner: str | None = None,
               priority: str | None = None, viewer: Viewer | None = None) -> None:
    """Make a known organisation a target account (or change its owner and priority), or end it.

    Raises:
        NotFound: unknown organisation. InputError: unknown owner or priority.
        NotAllowed: a viewer changes nothing.
    """
    require(store, viewer, "target")
    _check(owner, priority, store)
    store.set_target(org_id, is_target, owner=owner or None, priority=priority or None)


def add_target(store: GraphStore, name: str, *, domain: str | None = None, owner: str | None = None,
               priority: str | None = None, viewer: Viewer | None = None) -> Organization:
    """Make the organisation named ``name`` (or with ``domain``) a target account; one the graph does
    not know yet is added, as an import of kind ``app`` (undoable like any import).

    Raises:
        InputError: no name and no domain, an unknown owner or priority. NotAllowed: a viewer.
    """
    require(store, viewer, "target")
    name = " ".join(name.split())
    domain = (domain or "").strip().lower().removeprefix("https://").removeprefix("http://").removeprefix("www.")
    domain = domain.split("/")[0]
    if not name and not domain:
        raise InputError("Name the account (and, if you know it, its web domain).")
    _check(owner, priority, store)
    keys = ([f"domain:{domain}"] if domain else []) + ([f"org:{org_key(name)}"] if org_key(name) else [])
    found = sorted({oid for ids in store.organizations_by_keys(keys).values() for oid in ids})
    if found:
        set_target(store, found[0], True, owner=owner, priority=priority, viewer=viewer)
        return store.get_organizations(found[:1])[found[0]]
    org = Organization(stable_id("o", keys[0]), name or domain, domains=(domain,) if domain else (), is_target=True,
                       target_owner=owner or None, priority=priority or None)
    record = new_import_record("app")
    with store.importing(record) as writer:
        writer.write(GraphBatch(organizations=(Asserted(org, Evidence(record.id, "app", "target-account")),)))
    return org
