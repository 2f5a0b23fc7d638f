"""Champions who moved (graphapp.domain.champions): who counts, which reps had the relationship, the old
organisation and year, on hand-made graph views."""

from __future__ import annotations

from datetime import date

from graphapp.domain.champions import champion_draft, champion_sentence, moved_champions
from graphapp.domain.graph import GraphView
from graphapp.domain.privacy import Viewer, open_relationships
from graphapp.model import (
    KIND_ORDER,
    ORG_CUSTOMER,
    ORG_PARTNER,
    ORG_TARGET,
    VISIBILITY_ORDER,
    GraphSnapshot,
    RelationshipKind,
    Visibility,
)

K = RelationshipKind
ORGS = {"globex": ORG_TARGET, "initech": ORG_CUSTOMER, "umbrella": 0, "hooli": ORG_PARTNER, "acme": ORG_TARGET}


def d(year: int, month: int = 6, day: int = 1) -> int:
    return date(year, month, day).toordinal()


def view_of(ties: list[tuple], jobs: list[tuple], reps=("dana", "ruth")) -> GraphView:
    """``ties``: (a, b, kind, owner, visibility, last interaction ordinal); owner and the rest optional.
    ``jobs``: (person, org, current, title, start, end)."""
    names = list(dict.fromkeys([*reps, *(t[0] for t in ties), *(t[1] for t in ties), *(j[0] for j in jobs)]))
    pos = {n: i for i, n in enumerate(names)}
    orgs = list(ORGS)
    ties = [(*t, *(None, "existence", 0)[len(t) - 3:]) for t in ties]
    owners = sorted({t[3] or "team" for t in ties} | {"team"})
    jobs = [(*j, *(True, None, 0, 0)[len(j) - 2:]) for j in jobs]
    snap = GraphSnapshot(
        version=1, person_ids=[f"p-{n}" for n in names], person_names=[n.title() + " Example" for n in names],
        person_titles=[None] * len(names), org_ids=[f"o-{o}" for o in orgs], org_names=[o.title() for o in orgs],
        org_flags=[ORGS[o] for o in orgs], rep_person=[pos[r] for r in reps],
        rep_emails=[f"{r}@example.com" for r in reps], owners=owners,
        rel_source=[pos[t[0]] for t in ties], rel_target=[pos[t[1]] for t in ties],
        rel_kind=[KIND_ORDER.index(K(t[2])) for t in ties], rel_owner=[owners.index(t[3] or "team") for t in ties],
        rel_visibility=[VISIBILITY_ORDER.index(Visibility(t[4])) for t in ties], rel_first_seen=[0] * len(ties),
        rel_last_interaction=[t[5] for t in ties], rel_count_out=[1] * len(ties), rel_count_in=[1] * len(ties),
        rel_override=[0.0] * len(ties),
        emp_person=[pos[j[0]] for j in jobs], emp_org=[orgs.index(j[1]) for j in jobs],
        emp_current=[int(j[2]) for j in jobs], emp_start=[j[4] for j in jobs], emp_end=[j[5] for j in jobs],
        emp_titles=[j[3] for j in jobs],
    )
    return GraphView(snap)


def found(view: GraphView, **kw) -> list[tuple]:
    return [(view.person_names[c.person], view.org_names[c.account], c.title, view.org_names[c.old_org], c.until,
             [(rep, kind.value) for rep, kind in c.ties]) for c in moved_champions(view, **kw)]


RAJ_JOBS = [("raj", "initech", False, "Controller"), ("raj", "globex", True, "VP Operations", d(2025, 3))]


def test_a_customer_contact_now_at_a_target_is_a_champion_with_the_year_of_the_last_interaction():
    view = view_of([("dana", "raj", "customer", "dana@example.com", "existence", d(2024, 9))], RAJ_JOBS)
    assert found(view) == [("Raj Example", "Globex", "VP Operations", "Initech", 2024,
                            [("dana@example.com", "customer")])]


def test_the_old_jobs_end_decides_the_year_and_the_warmest_kind_of_each_rep_is_kept():
    jobs = [("raj", "initech", False, "Controller", d(2019), d(2023, 2)), ("raj", "umbrella", False, None, d(2015), d(2018)),
            ("raj", "globex", True, "VP Operations")]
    view = view_of([("dana", "raj", "influencer"), ("raj", "dana", "customer"), ("ruth", "raj", "partner"),
                    ("ruth", "raj", "linkedin")], jobs)
    [(_, _, _, old, until, ties)] = found(view)
    assert (old, until) == ("Initech", 2023)  # the customer organisation, for a customer contact
    assert ties == [("dana@example.com", "customer"), ("ruth@example.com", "partner")]
    [champion] = moved_champions(view)
    assert champion.kind is K.CUSTOMER and champion.kind_for("ruth@example.com") is K.PARTNER
    assert champion.reps == ("dana@example.com", "ruth@example.com")


def test_an_earlier_job_at_a_customer_makes_a_champion_of_someone_a_rep_knows_by_any_relationship():
    jobs = [("mei", "hooli", False, None, 0, d(2022, 1)), ("mei", "acme", True, "CFO")]
    view = view_of([("ruth", "mei", "met")], jobs)
    assert found(view) == [("Mei Example", "Acme", "CFO", "Hooli", 2022, [("ruth@example.com", "partner")])]


def test_who_is_no_champion():
    view = view_of([
        ("dana", "raj", "customer"),  # customer contact, but still at the customer: no move
        ("dana", "zoe", "met"),  # moved from an organisation that is neither customer nor partner, known only as met
        ("dana", "ivy", "owner"), ("ruth", "ivy", "invited"),  # earlier at a customer, but no relationship yet
        ("dana", "max", "customer"),  # at a target, but no earlier job anywhere else
        ("bob", "eve", "customer"),  # a customer of someone who is not a rep
        ("dana", "ann", "customer"),  # left the customer for an organisation that is no target
    ], [("raj", "initech"), ("zoe", "umbrella", False), ("zoe", "globex"), ("ivy", "initech", False), ("ivy", "globex"),
        ("max", "globex"), ("max", "globex", False), ("eve", "initech", False), ("eve", "globex"),
        ("ann", "initech", False), ("ann", "umbrella")])
    assert found(view) == []


def test_only_the_relationships_allowed_count():
    view = view_of([("dana", "raj", "customer", "dana@example.com", "private"),
                    ("ruth", "raj", "referral", "ruth@example.com", "existence")], RAJ_JOBS)
    assert [c[5] for c in found(view)] == [[("dana@example.com", "customer"), ("ruth@example.com", "referral")]]
    ruth = open_relationships(view, Viewer("ruth@example.com"))
    assert [c[5] for c in found(view, usable=ruth)] == [[("ruth@example.com", "referral")]]
    assert [c[5] for c in found(view, reps=[0])] == [[("dana@example.com", "customer")]]  # dana is person 0
    dana_private_only = view_of([("dana", "raj", "customer", "dana@example.com", "private")], RAJ_JOBS)
    assert found(dana_private_only, usable=open_relationships(dana_private_only, Viewer("ruth@example.com"))) == []


def test_the_sentence_and_the_draft():
    assert champion_sentence("Raj Patel", K.CUSTOMER, "Initech", 2024, "VP Operations", "Globex") == (
        "Raj Patel, your customer contact at Initech until 2024, is now VP Operations at Globex, one of your targets.")
    assert champion_sentence("Mei Lin", K.PARTNER, "Hooli", None, None, "Acme", whose="Ruth Example's", where=None) == (
        "Mei Lin, Ruth Example's partner contact at Hooli, is now at Acme.")
    draft = champion_draft("Dana Whitfield", "Raj Patel", "Globex", "VP Operations")
    assert draft.startswith("Hi Raj,\n\nCongratulations on your new role as VP Operations at Globex!")
    assert draft.endswith("Best,\nDana")
