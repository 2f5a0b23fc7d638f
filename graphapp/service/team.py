"""The team and its graph as a whole (part of the service): counts, reps, the import history and the
invented demo network."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from graphapp import demo
from graphapp.domain.identity import stable_id
from graphapp.domain.privacy import Viewer
from graphapp.errors import InputError
from graphapp.model import NOT_A_RELATIONSHIP, ImportRecord, Person, RelationshipKind, Rep, StoreCounts, StoreSummary
from graphapp.service.common import new_import_record
from graphapp.service.roles import check_new_rep, rep_email, require
from graphapp.settings import get_setting
from graphapp.store import GraphStore

RELATIONSHIP_KINDS: tuple[str, ...] = tuple(k.value for k in RelationshipKind if k not in NOT_A_RELATIONSHIP)  # for the front ends


# -- reading -------------------------------------------------------------------------------------
def stats(store: GraphStore) -> StoreCounts:
    """People, organisations, relationships, reps and imports in the store."""
    return store.counts()


def summary(store: GraphStore) -> StoreSummary:
    """Counts plus each rep's (and the team's) contribution of relationships."""
    return store.summary()


def list_reps(store: GraphStore) -> list[Rep]:
    return store.list_reps()


def list_imports(store: GraphStore) -> list[ImportRecord]:
    return store.list_imports()


# -- changing ------------------------------------------------------------------------------------
def add_rep(store: GraphStore, *, name: str, email: str, role: str = "rep",
            viewer: Viewer | None = None) -> tuple[Rep, bool]:
    """Add a rep to the team (admins only); a person already known by that e-mail becomes the rep.

    The e-mail is normalised (NFKC, so a full-width ``ｄ`` is a ``d``); an address or a name that looks
    like an existing rep's without being theirs is refused, so the rep picker never shows two of one name.

    Returns:
        The rep and whether it was added (False: a rep with that e-mail already existed).

    Raises:
        InputError: an empty name, an invalid e-mail, an unknown role, or a look-alike of a rep.
        NotAllowed: the viewer is not an admin.
    """
    require(store, viewer, "add-rep")
    name = " ".join(name.split())
    if not name:
        raise InputError("A rep needs a name: --name 'Dana Whitfield'.")
    if role not in ("admin", "rep", "viewer"):
        raise InputError(f"Unknown role {role!r}; choose admin, rep or viewer.")
    email = rep_email(email)
    person_id = store.find_people(emails=[email]).get(email) or stable_id("p", f"email:{email}")
    person = store.get_people([person_id]).get(person_id) or Person(id=person_id, name=name, emails=(email,))
    rep = Rep(email=email, person_id=person_id, name=person.name, role=role)
    team = store.list_reps()
    if all(r.email != email for r in team):
        check_new_rep(team, email, rep.name)
    return rep, store.add_rep(rep, person)


@dataclass(frozen=True)
class DemoResult:
    loaded: bool  # False when the demo was already in the store
    record: ImportRecord | None
    counts: StoreCounts


def load_demo(
    store: GraphStore,
    *,
    force: bool = False,
    seed: int | None = None,
    today: date | None = None,
    progress: Callable[[str], None] | None = None,
    viewer: Viewer | None = None,
) -> DemoResult:
    """Load the invented demo network in one transaction (admins only).

    Raises:
        InputError: the store already holds other data and ``force`` is not set.
        NotAllowed: the viewer is not an admin.
    """
    require(store, viewer, "load-demo")
    imports = store.list_imports()
    if any(r.kind == "demo" and r.status.value == "committed" for r in imports) and not force:
        return DemoResult(False, None, store.counts())
    counts = store.counts()
    if (counts.people or imports) and not force:
        raise InputError(
            f"{store.location} already holds data ({counts.people} people, {counts.imports} imports); "
            "the demo is meant for an empty store. Use another --db, or add --force to load it alongside."
        )
    record = new_import_record("demo")
    say = progress or (lambda _msg: None)
    say("Generating the demo network")
    network = demo.build_demo(record.id, seed=int(get_setting("demo_seed", seed)), today=today or date.today())
    say(f"Writing {len(network.batch):,} facts")
    with store.importing(record) as writer:
        writer.write(network.batch)
    return DemoResult(True, record, store.counts())
