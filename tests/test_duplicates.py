"""Possible duplicates (item 5 of "who is who"): people of one name that no deciding key joined are listed
for a person to decide, never merged on their own; "different people" is remembered across re-imports,
undone imports and merges; "same person" merges them (audited, undone by a split); another rep's private
contact never shows. Real SQLite files, the invented contacts in tests/fixtures/duplicates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graphapp import service
from graphapp.cli import main
from graphapp.domain.duplicates import Candidate, likelihood, may_be_one, title_similarity
from graphapp.errors import InputError, NotFound

FIXTURES = Path(__file__).parent / "fixtures" / "duplicates"
DANA, RUTH = "dana@example.com", "ruth@example.com"


def load(store, name: str, owner: str = DANA, visibility: str = "existence") -> str:
    report = service.import_files(store, [FIXTURES / name], owner=owner, visibility=visibility)
    assert report.as_dict()["files"][0]["errors"] == [], report.as_dict()
    return report.import_id


def sam_ids(store) -> dict[str, str]:
    """Each Sam Reed's id, by where they work ("" for the one with no organisation)."""
    rows = service.search_people(store, "Reed")
    return {r.organization or "": r.id for r in rows}


def pairs_of(result) -> list[tuple[str, str]]:
    return [tuple(sorted((p.first.id, p.second.id))) for p in result.pairs]


def pair(a: str, b: str) -> tuple[str, str]:
    return tuple(sorted((a, b)))


@pytest.fixture
def store(tmp_path):
    with service.open_graph(str(tmp_path / "g.db")) as s:
        yield s


@pytest.fixture
def sams(store):
    """Dana's Sam Reed at Acme, Ruth's at Globex (another e-mail, the same phone and city), and a team
    file's Samuel Reed at Initech and Sam Reed with no organisation (no e-mail either)."""
    load(store, "dana_contacts.csv", DANA)
    load(store, "ruth_contacts.csv", RUTH)
    team = load(store, "team_contacts.csv", DANA)
    return sam_ids(store), team


def test_two_sam_reeds_at_different_companies_are_listed_side_by_side_not_merged(store):
    load(store, "dana_contacts.csv", DANA)
    load(store, "ruth_contacts.csv", RUTH)
    ids = sam_ids(store)
    assert sorted(ids) == ["Acme Logistics", "Globex"]  # two people: no key decides they are one
    result = service.possible_duplicates(store)
    assert result.total == 1 and result.kept_apart == 0
    [found] = result.pairs
    by_org = {s.organizations: s for s in (found.first, found.second)}
    acme, globex = by_org[("Acme Logistics",)], by_org[("Globex",)]
    assert (acme.id, acme.name, acme.emails, acme.title, acme.location) == (
        ids["Acme Logistics"], "Sam Reed", ("sam.reed@acme.example.com",), "VP Operations", "Boston, MA")
    assert (globex.id, globex.emails, globex.phones) == (ids["Globex"], ("sreed@globex.example.com",), ("(617) 555-0100",))
    assert [e.split(" (")[0] for e in acme.evidence] == ["dana_contacts.csv row 2"]
    assert [e.split(" (")[0] for e in globex.evidence] == ["ruth_contacts.csv row 2"]
    assert found.reasons[:2] == ("same phone number", "same location (Boston, MA)")
    assert "the same title (VP Operations / Vice President of Operations)" in found.reasons
    assert found.splittable  # each has an e-mail of their own
    assert store.counts().people == 6  # two reps, Lena, Kim and the two Sams


def test_pairs_come_likeliest_first_and_the_limit_keeps_the_first(store, sams):
    ids, _ = sams
    result = service.possible_duplicates(store)
    assert result.total == 6  # four people named Sam (or Samuel) Reed
    assert pairs_of(result)[0] == pair(ids["Acme Logistics"], ids["Globex"])  # a phone, a city, a title in common
    scores = [p.score for p in result.pairs]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[1] > scores[-1] == 0
    assert pair(ids["Initech"], ids[""]) in pairs_of(result)[1:4]  # "only one of them has an organisation"
    limited = service.possible_duplicates(store, limit=2)
    assert (limited.total, pairs_of(limited)) == (6, pairs_of(result)[:2])
    with pytest.raises(InputError, match="at least one pair"):
        service.possible_duplicates(store, limit=0)


def test_different_people_is_audited_and_remembered_across_reimports_and_undo(store, sams):
    ids, team = sams
    acme, nobody = ids["Acme Logistics"], ids[""]
    service.decide_different(store, acme, nobody)
    service.decide_different(store, ids["Globex"], ids["Initech"])

    def listed():
        result = service.possible_duplicates(store)
        return set(pairs_of(result)), result.kept_apart

    decided = {pair(acme, nobody), pair(ids["Globex"], ids["Initech"])}
    pairs, kept = listed()
    assert kept == 2 and not pairs & decided and len(pairs) == 4
    load(store, "team_contacts.csv", DANA)  # the same bytes again
    load(store, "dana_contacts.csv", DANA)
    assert listed() == (pairs, 2)
    for record in service.list_imports(store):  # every file undone, then imported again
        service.undo_import(store, record.id)
    assert store.counts().people == 0
    load(store, "team_contacts.csv", DANA)
    load(store, "ruth_contacts.csv", RUTH)
    load(store, "dana_contacts.csv", DANA)
    now = sam_ids(store)
    assert listed() == ({pair(*(now[o] for o in p)) for p in (("Acme Logistics", "Globex"), ("Acme Logistics", "Initech"),
                                                                   ("Globex", ""), ("Initech", ""))}, 2)


def test_different_people_still_holds_after_one_of_them_is_merged_under_another_id(store, sams):
    ids, _ = sams
    service.decide_different(store, ids["Acme Logistics"], ids["Initech"])
    merged = service.decide_same(store, ids["Globex"], ids["Acme Logistics"])  # Acme's id is gone now
    assert merged.id == ids["Globex"] and ids["Acme Logistics"] not in service.graph_view(store).person_index
    assert pair(ids["Globex"], ids["Initech"]) not in pairs_of(service.possible_duplicates(store))


def test_same_person_merges_and_a_split_undoes_it(store, sams):
    ids, _ = sams
    acme, globex = ids["Acme Logistics"], ids["Globex"]
    before = service.possible_duplicates(store)
    person = service.decide_same(store, acme, globex)
    assert person.id == acme and sorted(person.emails) == ["sam.reed@acme.example.com", "sreed@globex.example.com"]
    after = service.possible_duplicates(store)
    assert after.total == 3 and not any(globex in p for p in pairs_of(after))
    assert sorted(j.org_name for j in service.person_page(store, acme).jobs) == ["Acme Logistics", "Globex"]

    people = service.split_person(store, acme)  # the undo: the two identities their e-mails show
    assert [p.id for p in people][0] == acme and len(people) == 2
    assert sorted(e for p in people for e in p.emails) == ["sam.reed@acme.example.com", "sreed@globex.example.com"]
    back = sam_ids(store)
    assert back["Acme Logistics"] == acme and back["Globex"] == people[1].id
    assert service.possible_duplicates(store).total == before.total  # undecided again, so listed again


def test_a_merge_of_a_person_known_by_no_key_cannot_be_split_and_says_so(store, sams):
    """The merge is the correction ``merge_people``; its undo, ``split_person``, regroups by e-mail and
    LinkedIn profile, so a merged person without either cannot be split out again (a backup can)."""
    ids, _ = sams
    [listed] = [p for p in service.possible_duplicates(store).pairs if {p.first.id, p.second.id} == {ids["Initech"], ids[""]}]
    assert not listed.splittable  # and the list says so
    service.decide_same(store, ids["Initech"], ids[""])
    with pytest.raises(InputError, match="only one identity"):
        service.split_person(store, ids["Initech"])


def test_both_decisions_are_audited_with_the_two_ids(store, sams):
    ids, _ = sams
    acme, globex, initech = ids["Acme Logistics"], ids["Globex"], ids["Initech"]
    service.decide_different(store, acme, initech)
    service.decide_same(store, acme, globex)
    assert [e.objects for e in service.audit_log(store, action="keep-apart")] == [(acme, initech)]
    assert [e.objects for e in service.audit_log(store, action="merge")] == [(acme, globex)]


def test_deciding_needs_two_known_people(store, sams):
    ids, _ = sams
    with pytest.raises(InputError, match="two different people"):
        service.decide_different(store, ids["Globex"], ids["Globex"])
    with pytest.raises(NotFound, match="p-nobody"):
        service.decide_same(store, ids["Globex"], "p-nobody")
    with pytest.raises(NotFound, match="p-nobody"):
        service.decide_different(store, "p-nobody", ids["Globex"])
    assert service.audit_log(store, action="keep-apart") == []


def test_another_reps_private_contact_is_not_shown_nor_decidable(store):
    load(store, "dana_contacts.csv", DANA)
    load(store, "ruth_contacts.csv", RUTH, visibility="private")
    ids = sam_ids(store)
    dana, ruth = service.viewer_for(store, DANA), service.viewer_for(store, RUTH)
    assert service.possible_duplicates(store, viewer=dana).pairs == ()  # Ruth's Sam does not exist for Dana
    assert len(service.possible_duplicates(store, viewer=ruth).pairs) == 0  # nor Dana's (existence only) for Ruth
    assert len(service.possible_duplicates(store).pairs) == 1  # the command line sees everything
    for decide in (service.decide_same, service.decide_different):
        with pytest.raises(NotFound):
            decide(store, ids["Acme Logistics"], ids["Globex"], viewer=dana)
    assert len(store.get_people(list(ids.values()))) == 2 and store.kept_apart() == []


def test_a_shared_contact_is_shown_with_only_the_evidence_the_viewer_may_see(store):
    load(store, "dana_contacts.csv", DANA, visibility="team")
    load(store, "ruth_contacts.csv", RUTH, visibility="team")
    load(store, "team_contacts.csv", RUTH, visibility="private")  # Ruth's private Sam and Samuel
    dana = service.viewer_for(store, DANA)
    [shown] = service.possible_duplicates(store, viewer=dana).pairs
    assert {shown.first.organizations, shown.second.organizations} == {("Acme Logistics",), ("Globex",)}
    assert all(e.startswith(("dana_contacts.csv", "ruth_contacts.csv")) for s in (shown.first, shown.second)
               for e in s.evidence)
    assert service.possible_duplicates(store, viewer=service.viewer_for(store, RUTH)).total == 6


# -- the rules (pure) ------------------------------------------------------------------------------------
def test_two_linkedin_profiles_or_two_reps_are_never_proposed():
    a = Candidate("p-1", "Sam Reed", linkedin_url="https://www.linkedin.com/in/sam-reed")
    assert not may_be_one(a, Candidate("p-2", "Sam Reed", linkedin_url="https://www.linkedin.com/in/sam-reed-2"))
    assert may_be_one(a, Candidate("p-2", "Sam Reed"))
    assert not may_be_one(Candidate("p-1", "Sam Reed", is_rep=True), Candidate("p-2", "Sam Reed", is_rep=True))


def test_likelihood_counts_a_shared_phone_most_and_explains_itself():
    a = Candidate("p-1", "Sam Reed", phones=("+1 617-555-0100",), organizations=("o-a",), title="CFO")
    b = Candidate("p-2", "Sam Reed", phones=("617.555.0100",), organizations=("o-b",), past_organizations=("o-a",))
    score, reasons = likelihood(a, b, {"o-a": "Acme"})
    assert score == 6 and reasons == ("same phone number", "both worked at Acme")
    assert likelihood(a, Candidate("p-3", "Sam Reed", organizations=("o-c",))) == (0, ())
    assert title_similarity("Sr. Mgr, Sales Ops", "Senior Manager of Sales Operations") == 1
    assert title_similarity("Buyer", None) == 0


# -- the command line ------------------------------------------------------------------------------------
def test_the_duplicates_command_lists_and_decides(tmp_path, capsys, sams):
    ids, _ = sams
    db = str(tmp_path / "g.db")
    assert main(["--db", db, "duplicates", "--json", "--limit", "1"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["total"], len(data["pairs"])) == (6, 1)
    assert {data["pairs"][0]["first"]["id"], data["pairs"][0]["second"]["id"]} == {ids["Acme Logistics"], ids["Globex"]}
    assert main(["--db", db, "duplicates", "different", ids["Acme Logistics"], ids["Globex"]]) == 0
    assert "will not be proposed as duplicates again" in capsys.readouterr().out
    assert main(["--db", db, "duplicates"]) == 0
    text = capsys.readouterr().out
    assert "1 pair(s) decided to be different people are not listed." in text and "Samuel Reed" in text
    assert main(["--db", db, "duplicates", "same", ids["Initech"], ids[""], "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == ids["Initech"]
    assert main(["--db", db, "duplicates", "same", ids["Initech"], "p-nobody"]) == 1
    assert "No person with id 'p-nobody'" in capsys.readouterr().err


def test_a_synced_copy_keeps_the_decisions(tmp_path, store, sams):
    ids, _ = sams
    service.decide_different(store, ids["Acme Logistics"], ids["Globex"])
    service.sync(str(tmp_path / "g.db"), str(tmp_path / "copy.db"))
    with service.open_graph(str(tmp_path / "copy.db")) as copy:
        assert copy.kept_apart() == store.kept_apart()
        assert service.possible_duplicates(copy).kept_apart == 1


def test_a_schema_7_file_migrates_to_8_and_keeps_its_people_apart_from_then_on(tmp_path):
    """Schema 7 -> 8 adds the ``kept_apart`` table and changes nothing else."""
    from tests.test_sqlite_store import at_schema

    path = tmp_path / "v7.db"
    conn = at_schema(path, 7)
    conn.executemany("INSERT INTO people (pk, id, name, lists) VALUES (?, ?, ?, '{}')",
                     [(1, "p-sam1", "Sam Reed"), (2, "p-sam2", "Samuel Reed")])
    conn.close()
    with service.open_graph(str(path)) as store:
        assert store.pragma("user_version") == 8 and store.kept_apart() == []
        assert pairs_of(service.possible_duplicates(store)) == [("p-sam1", "p-sam2")]
        service.decide_different(store, "p-sam1", "p-sam2")
        assert service.possible_duplicates(store).as_dict() == {"total": 0, "kept_apart": 1, "pairs": []}
