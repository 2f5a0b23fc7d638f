"""Every sample file end to end (parse, resolve, write to a real SQLite store): the counts its README
states, one person per human across files, re-imports that add nothing, exact undo."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphapp import service
from graphapp.model import RelationshipKind
from graphapp.store.sqlite.store import open_sqlite
from tests.ingest.helpers import SAMPLES

THEO, RUTH, SAM = (f"{n}@tidewell.example.com" for n in ("theo.marchbanks", "ruth.okonjo", "sam.petrakis"))
LINKEDIN_FILES = ["Connections.csv", "messages.csv", "Invitations.csv", "Endorsement_Received_Info.csv",
                  "Recommendations_Received.csv", "Positions.csv", "Profile.csv", "Company Follows.csv"]

# (file, owner, accepted, rejected) from samples/README.md, in the order a team would import them.
PLAN = [
    ("relationships.csv", None, 28, 3),
    ("targets.csv", None, 10, 2),
    *[(f"linkedin/{name}", THEO, n, r) for name, n, r in zip(
        LINKEDIN_FILES, (395, 11, 4, 6, 3, 3, 1, 4), (5, 2, 0, 0, 0, 0, 0, 0), strict=True)],
    ("linkedin_second_rep/Connections.csv", RUTH, 248, 2),
    ("hubspot_contacts.csv", THEO, 12, 0),
    ("salesforce_contacts.csv", THEO, 9, 0),
    ("salesforce_accounts.csv", THEO, 12, 0),
    ("google_contacts.csv", THEO, 7, 1),
    ("outlook_contacts.csv", SAM, 8, 0),
    ("contacts.vcf", THEO, 5, 0),
    ("calendar.ics", THEO, 8, 4),
    ("edge/bom_crlf_connections.csv", SAM, 29, 1),
    ("edge/latin1.csv", THEO, 6, 0),
    ("edge/ragged.csv", THEO, 3, 2),
    ("edge/formula_cells.csv", THEO, 5, 0),
    ("edge/long_cell.csv", THEO, 2, 0),
    ("edge/header_only.csv", None, 0, 0),
]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    store = open_sqlite(tmp_path_factory.mktemp("samples") / "team.db")
    reports = {}
    for name, owner, _, _ in PLAN:
        reports[name] = service.import_files(store, [SAMPLES / name], owner=owner)
    yield store, reports
    store.close()


@pytest.mark.parametrize("name,owner,accepted,rejected", PLAN, ids=[p[0] for p in PLAN])
def test_each_sample_imports_with_the_counts_its_readme_states(world, name, owner, accepted, rejected):
    _, reports = world
    report = reports[name]
    assert report.committed, report
    [f] = report.files
    assert (f.rows_accepted, f.rows_rejected) == (accepted, rejected), f.errors


def test_rejections_name_row_and_reason(world):
    _, reports = world
    [f] = reports["edge/ragged.csv"].files
    assert [(row, reason) for row, _, reason in f.errors] == [
        (3, "expected 5 fields, saw 6 (line 3)"), (5, "expected 5 fields, saw 2 (line 5)")]
    [f] = reports["relationships.csv"].files
    reasons = [reason for _, _, reason in f.errors]
    assert "relationship 'vendor' is not a known type" in reasons
    assert "empty rep_email: no owner" in reasons


@pytest.mark.parametrize("name", ["edge/empty.csv", "edge/not_a_csv.csv"])
def test_file_level_problems_refuse_the_file_and_commit_nothing(tmp_path, name):
    store = open_sqlite(tmp_path / "g.db")
    report = service.import_files(store, [SAMPLES / name], owner=THEO)
    assert not report.committed and store.counts().people == 0
    [f] = report.files
    assert not f.committed and f.errors[0][0] is None
    assert ("empty" if "empty" in name else "not a text/CSV file") in f.errors[0][2]


def ids_for(store, *keys: str) -> set[str]:
    found = store.people_by_keys(list(keys))
    assert set(found) == set(keys), f"missing keys: {set(keys) - set(found)}"
    return {pid for ids in found.values() for pid in ids}


@pytest.mark.parametrize("keys", [
    ("linkedin:https://www.linkedin.com/in/katherine-ashdown-bcs", "email:kate.ashdown@brackenridge.example.com"),
    ("linkedin:https://www.linkedin.com/in/josenunez-hdg", "email:jose.nunez@halvorsendental.example.org"),
    ("linkedin:https://www.linkedin.com/in/renata-hargreaves-tmp", "email:r.hargreaves@tavistockmedical.example.net"),
    ("linkedin:https://www.linkedin.com/in/anais-lefevre-cb", "email:anais.lefevre@cremerie-beaulieu.example.net"),
    ("linkedin:https://www.linkedin.com/in/harold-fitch-cpa", "email:hfitch@ostrandervail.example.com"),
    ("linkedin:https://www.linkedin.com/in/magnusfeatherstone", "email:magnus@keystoneridge.example.com",
     "email:magnus.featherstone@example.org"),
    ("linkedin:https://www.linkedin.com/in/gideon-mayhew-builds", "email:gideon@bramblewood.example.com"),
    ("linkedin:https://www.linkedin.com/in/jasper-hensley-voltaris", "email:jasper.hensley@voltaris.example.com"),
    ("linkedin:https://www.linkedin.com/in/lachlan-merriman", "email:lachlan.merriman@example.net",
     "email:lachlan@hartwellorchards.example.com"),
    ("linkedin:https://www.linkedin.com/in/kwame-asante-9c2", "email:kwame.asante@example.org"),
    ("linkedin:https://www.linkedin.com/in/malgorzata-wisniewska", "email:m.wisniewska@grishamfoods.example.com"),
    ("linkedin:https://www.linkedin.com/in/jihyun-kim-hanul", "email:jihyun.kim@hanul-semi.example.com"),
    ("linkedin:https://www.linkedin.com/in/nicholas-penrose-7b21c9e4", "email:nick.penrose@pemaquidtextiles.example.net"),
    ("linkedin:https://www.linkedin.com/in/thaddeus-pilbeam", "email:tpilbeam@eastgate-sd.example.org"),
    ("linkedin:https://www.linkedin.com/in/rowena-kilbride-84", "email:rkilbride@tenfoldcs.example.org"),
    ("linkedin:https://www.linkedin.com/in/desmond-yardley-6f0a13b2", "email:dyardley@larkspurliving.example.org"),
])
def test_strong_keys_of_one_human_lead_to_one_person(world, keys):
    store, _ = world
    assert len(ids_for(store, *keys)) == 1


def person(store, key: str) -> str:
    [pid] = ids_for(store, key)
    return pid


def rep_person(store, email: str) -> str:
    return next(r.person_id for r in store.list_reps() if r.email == email)


@pytest.mark.parametrize("key,rep", [
    ("email:kate.ashdown@brackenridge.example.com", RUTH),  # "Kate Ashdown" / "Brackenridge Cold Storage Inc"
    ("email:jose.nunez@halvorsendental.example.org", RUTH),  # "Jose Nunez", no accents
    ("linkedin:https://www.linkedin.com/in/deborah-quayle-cpa", RUTH),  # "Debbie Quayle"
    ("linkedin:https://www.linkedin.com/in/patricia-langridge", RUTH),  # "Trish Langridge"
    ("linkedin:https://www.linkedin.com/in/nicholas-penrose-7b21c9e4", RUTH),  # "Nick Penrose" / "Inc."
    ("email:ignatius.sayle@brackenridge.example.com", RUTH),
    ("email:imogen@studioortolan.example.net", RUTH),
    ("email:eleanor.blackwood@larkspurliving.example.org", RUTH),
])
def test_name_and_company_matches_from_a_file_without_urls(world, key, rep):
    store, _ = world
    pid, rep_id = person(store, key), rep_person(store, rep)
    ties = {(r.source_id, r.target_id, r.kind, r.owner) for r in store.relationships_of(pid)}
    assert (rep_id, pid, RelationshipKind.LINKEDIN, rep) in ties


def test_recommendations_link_by_name_within_the_owners_archive(world):
    store, _ = world
    fitch = person(store, "linkedin:https://www.linkedin.com/in/harold-fitch-cpa")
    kinds = {r.kind for r in store.relationships_of(fitch)}
    assert RelationshipKind.RECOMMENDED in kinds and RelationshipKind.ENDORSED in kinds


def test_teammates_in_a_connection_list_are_the_team_not_contacts(world):
    store, _ = world
    theo, ruth = rep_person(store, THEO), rep_person(store, RUTH)
    ruth_ties = store.relationships_of(ruth)
    assert any(r.kind is RelationshipKind.TEAMMATE and {r.source_id, r.target_id} == {theo, ruth} for r in ruth_ties)
    assert len(ids_for(store, "linkedin:https://www.linkedin.com/in/ruth-okonjo-4417")) == 1
    assert person(store, "linkedin:https://www.linkedin.com/in/ruth-okonjo-4417") == ruth


def test_same_name_at_different_companies_stays_two_people(world):
    store, _ = world
    grisham = person(store, "linkedin:https://www.linkedin.com/in/evander-holcombe-grisham")
    oxbow = person(store, "email:evander.holcombe@oxbowauto.example.com")
    assert grisham != oxbow


def test_target_accounts_deduplicated_by_domain(world):
    store, _ = world
    targets = [o for o in store.list_organizations() if o.is_target]
    assert len(targets) == 9
    pemaquid = [o for o in targets if "pemaquidtextiles.example.net" in o.domains]
    assert len(pemaquid) == 1 and pemaquid[0].priority == "high" and pemaquid[0].target_owner == THEO


def test_reimporting_the_archive_and_its_csvs_adds_nothing(world):
    store, _ = world
    before = store.counts()
    digest = store.digest()
    report = service.import_files(store, [SAMPLES / "Basic_LinkedInDataExport_09-16-2025.zip"], owner=THEO)
    assert report.committed and len(report.files) == 8 and not report.ignored
    assert (report.people_added, report.organizations_added, report.relationships_added) == (0, 0, 0)
    assert store.digest() == digest
    assert store.counts().people == before.people and store.counts().relationships == before.relationships
    service.undo_import(store, report.import_id)
    assert store.digest() == digest


def test_undo_removes_only_what_that_import_alone_brought(tmp_path):
    store = open_sqlite(tmp_path / "g.db")
    first = service.import_files(store, [SAMPLES / "linkedin_second_rep/Connections.csv"], owner=RUTH)
    after_first = store.digest()
    second = service.import_files(store, [SAMPLES / "hubspot_contacts.csv"], owner=THEO)
    assert second.people_merged > 0
    service.undo_import(store, second.import_id)
    assert store.digest() == after_first
    service.undo_import(store, first.import_id)
    assert store.counts().relationships == 0 and store.counts().organizations == 0


SMALL = [("relationships.csv", None), ("hubspot_contacts.csv", THEO), ("linkedin_second_rep/Connections.csv", RUTH),
         ("google_contacts.csv", THEO), ("contacts.vcf", THEO), ("calendar.ics", THEO)]


def shape(store) -> tuple:
    """The graph without ids or display names: who (by their keys) knows whom, how."""
    keys: dict[str, frozenset] = {}
    for p in store.get_people([pid for pid in store.read_snapshot().person_ids]).values():
        keys[p.id] = frozenset((*p.emails, p.linkedin_url or ""))
    ties = set()
    for pid in keys:
        for r in store.relationships_of(pid):
            ties.add((keys[r.source_id], keys[r.target_id], r.kind, r.owner, r.count_out, r.count_in))
    orgs = frozenset(frozenset(o.domains) | {o.is_target} for o in store.list_organizations())
    return frozenset(keys.values()), frozenset(ties), orgs


def team_store(path):
    """A store whose roster is set up first, as a team starts (CRM exports name their reps by name)."""
    store = open_sqlite(path)
    for name, email in (("Theo Marchbanks", THEO), ("Ruth Okonjo", RUTH), ("Sam Petrakis", SAM)):
        service.add_rep(store, name=name, email=email)
    return store


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.permutations(SMALL))
def test_any_import_order_gives_the_same_graph(tmp_path_factory, order):
    store = team_store(tmp_path_factory.mktemp("order") / "g.db")
    for name, owner in order:
        service.import_files(store, [SAMPLES / name], owner=owner)
    reference = team_store(tmp_path_factory.mktemp("ref") / "g.db")
    for name, owner in SMALL:
        service.import_files(reference, [SAMPLES / name], owner=owner)
    assert shape(store) == shape(reference)
    assert store.counts() == reference.counts()


THEOS = [name for name, owner in SMALL if owner == THEO] + [f"linkedin/{n}" for n in ("Connections.csv", "messages.csv")]


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.permutations(THEOS), st.lists(st.booleans(), min_size=len(THEOS), max_size=len(THEOS)))
def test_one_owners_files_in_any_order_and_any_split_into_imports_give_the_same_graph(tmp_path_factory, order, cuts):
    """The same files, in any order, one import each or several in one import (cut where ``cuts`` says),
    give the same people, organisations and relationships as all of them in one import."""
    store = team_store(tmp_path_factory.mktemp("split") / "g.db")
    service.import_files(store, [SAMPLES / "relationships.csv"])
    batch: list = []
    for name, cut in zip(order, cuts, strict=True):
        batch.append(SAMPLES / name)
        if cut:
            service.import_files(store, batch, owner=THEO)
            batch = []
    if batch:
        service.import_files(store, batch, owner=THEO)
    reference = team_store(tmp_path_factory.mktemp("whole") / "g.db")
    service.import_files(reference, [SAMPLES / "relationships.csv"])
    service.import_files(reference, [SAMPLES / n for n in THEOS], owner=THEO)
    assert shape(store) == shape(reference)
    assert store.counts().people == reference.counts().people
    assert store.counts().relationships == reference.counts().relationships
