"""The store contract: every GraphStore implementation must pass these (parametrised by the ``store`` fixture)."""

from __future__ import annotations

from datetime import date

import pytest

from graphapp.errors import InputError, NotFound
from graphapp.model import GraphBatch, ImportStatus, Person, RelationshipKind, Rep, StoreCounts
from tests.conftest import BatchMaker, record, small_batch


def write(store, import_id, batch, minute=0):
    with store.importing(record(import_id, minute=minute)) as w:
        w.write(batch)
    return w.added()


def test_empty_store_counts_zero(store):
    assert store.counts() == StoreCounts(0, 0, 0, 0, 0)
    assert store.list_reps() == [] and store.list_imports() == []


def test_write_batch_then_read_everything_back(store):
    added = write(store, "i1", small_batch("i1"))
    assert added == {"people": 3, "organizations": 2, "employments": 3, "relationships": 2}
    assert store.counts() == StoreCounts(people=3, organizations=2, relationships=2, reps=1, imports=1)
    assert [r.email for r in store.list_reps()] == ["dana@example.com"]
    raj = store.get_people(["p-raj"])["p-raj"]
    assert raj.emails == ("raj@initech.example.com",) and raj.linkedin_url == "https://www.linkedin.com/in/rajpatel"
    assert store.find_people(emails=["mei@globex.example.com", "nobody@x.example.com"]) == {"mei@globex.example.com": "p-mei"}
    assert store.find_people(linkedin_urls=["https://www.linkedin.com/in/rajpatel"]) == {"https://www.linkedin.com/in/rajpatel": "p-raj"}
    rels = store.relationships_of("p-raj")
    assert {(r.source_id, r.target_id, r.kind) for r in rels} == {
        ("p-dana", "p-raj", RelationshipKind.CUSTOMER), ("p-raj", "p-mei", RelationshipKind.COLLEAGUE)}
    customer = next(r for r in rels if r.kind is RelationshipKind.CUSTOMER)
    assert (customer.count_out, customer.count_in, customer.last_interaction) == (8, 6, date(2026, 10, 30))
    assert customer.owner == "dana@example.com"
    jobs = store.employments_of("p-mei")
    assert [(j.org_id, j.current) for j in jobs] == [("o-globex", True), ("o-initech", False)]
    assert store.get_organizations(["o-globex"])["o-globex"].is_target
    [imp] = store.list_imports()
    assert imp.id == "i1" and imp.status is ImportStatus.COMMITTED and dict(imp.counts)["people_added"] == 3


def test_every_fact_has_evidence_naming_its_import_file_and_row(store):
    write(store, "i1", small_batch("i1"))
    [ev] = store.evidence_of("relationship", ("p-dana", "p-raj", "customer", "dana@example.com"))
    assert (ev.import_id, ev.file, ev.owner, ev.fact) == ("i1", "contacts.csv", "dana@example.com", "connection")
    assert ev.row is not None
    assert [e.import_id for e in store.evidence_of("person", ("p-mei",))] == ["i1"]
    assert len(store.evidence_of("employment", ("p-mei", "o-initech", "2018-01-01"))) == 1
    with pytest.raises(NotFound):
        store.evidence_of("person", ("p-nobody",))


def test_reimporting_the_same_bytes_changes_nothing(store):
    write(store, "i1", small_batch("i1"))
    before, digest = store.counts(), store.digest()
    added = write(store, "i2", small_batch("i2"), minute=1)
    assert added == {"people": 0, "organizations": 0, "employments": 0, "relationships": 0}
    assert store.digest() == digest
    assert store.counts() == StoreCounts(**{**before.as_dict(), "imports": 2})
    # Counts were not doubled: the same source rows count once.
    customer = next(r for r in store.relationships_of("p-dana") if r.kind is RelationshipKind.CUSTOMER)
    assert (customer.count_out, customer.count_in) == (8, 6)


def test_interactions_from_different_files_add_up(store):
    write(store, "i1", small_batch("i1"))
    m = BatchMaker("i2", file="messages.csv", sha="sha-2")
    more = GraphBatch(relationships=(m.tie("p-dana", "p-raj", RelationshipKind.CUSTOMER, count_out=2, count_in=1,
                                           last_interaction=date(2026, 11, 20)),))
    write(store, "i2", more, minute=1)
    customer = next(r for r in store.relationships_of("p-dana") if r.kind is RelationshipKind.CUSTOMER)
    assert (customer.count_out, customer.count_in, customer.last_interaction) == (10, 7, date(2026, 11, 20))
    assert customer.first_seen == date(2023, 5, 1)


def test_failed_import_leaves_store_unchanged(store):
    write(store, "i1", small_batch("i1"))
    digest, counts, version = store.digest(), store.counts(), store.data_version()
    m = BatchMaker("i2", sha="sha-2")
    with pytest.raises(RuntimeError, match="boom"):
        with store.importing(record("i2", minute=1)) as w:
            w.write(GraphBatch(people=(m.person("p-new", "New Person", "new@example.com"),)))
            raise RuntimeError("boom")
    assert store.digest() == digest and store.counts() == counts and store.data_version() == version
    assert [r.id for r in store.list_imports()] == ["i1"]


def test_batch_referring_to_unknown_people_is_refused_whole(store):
    m = BatchMaker("i1")
    with pytest.raises(InputError, match="p-ghost"):
        with store.importing(record("i1")) as w:
            w.write(GraphBatch(people=(m.person("p-a", "A Person", "a@example.com"),),
                               relationships=(m.tie("p-a", "p-ghost"),)))
    assert store.counts() == StoreCounts()


def test_data_version_changes_on_every_commit(store):
    v0 = store.data_version()
    write(store, "i1", small_batch("i1"))
    v1 = store.data_version()
    store.undo_import("i1")
    assert v0 < v1 < store.data_version()


def test_undo_removes_exactly_what_only_that_import_brought(store):
    empty = store.digest()
    write(store, "i1", small_batch("i1"))
    only_first = store.digest()
    m = BatchMaker("i2", file="crm.csv", sha="sha-2")
    second = GraphBatch(
        people=(m.person("p-raj", "Raj Patel", "raj.patel@personal.example.net", title="Finance Director"),
                m.person("p-ola", "Ola Nordmann", "ola@example.com")),
        relationships=(m.tie("p-dana", "p-ola"), m.tie("p-dana", "p-raj", RelationshipKind.CUSTOMER, count_out=1)),
    )
    write(store, "i2", second, minute=1)
    assert store.get_people(["p-raj"])["p-raj"].emails == ("raj@initech.example.com", "raj.patel@personal.example.net")
    undone = store.undo_import("i2")
    assert undone.status is ImportStatus.UNDONE
    assert store.digest() == only_first
    assert store.get_people(["p-raj"])["p-raj"].emails == ("raj@initech.example.com",)
    assert store.get_people(["p-raj"])["p-raj"].title is None
    assert store.find_people(emails=["raj.patel@personal.example.net", "ola@example.com"]) == {}
    store.undo_import("i1")
    # The rep stays on the team (reps are the roster, not an import's facts); all else is gone.
    assert store.counts() == StoreCounts(people=1, organizations=0, relationships=0, reps=1, imports=0)
    assert store.digest() != empty
    with pytest.raises(InputError, match="already undone"):
        store.undo_import("i1")
    with pytest.raises(NotFound):
        store.undo_import("nope")


def test_undo_keeps_what_another_import_also_asserts(store):
    write(store, "i1", small_batch("i1"))
    m = BatchMaker("i2", file="other.csv", sha="sha-9")
    write(store, "i2", GraphBatch(people=(m.person("p-mei", "Mei Lin", "mei@globex.example.com"),),
                                  relationships=(m.tie("p-raj", "p-mei", RelationshipKind.COLLEAGUE),)), minute=1)
    store.undo_import("i1")
    assert store.get_people(["p-mei"])["p-mei"].name == "Mei Lin"
    assert [(r.source_id, r.target_id) for r in store.relationships_of("p-mei")] == [("p-raj", "p-mei")]
    assert store.counts().relationships == 1


def test_add_rep_is_idempotent_and_reuses_a_known_person(store):
    write(store, "i1", small_batch("i1"))
    raj = store.get_people(["p-raj"])["p-raj"]
    assert store.add_rep(Rep("raj@initech.example.com", "p-raj", "Raj Patel"), raj) is True
    assert store.add_rep(Rep("raj@initech.example.com", "p-raj", "Raj Patel"), raj) is False
    assert store.counts().people == 3 and store.counts().reps == 2
    new = Person("p-new", "Ny Rep", emails=("ny@example.com",))
    assert store.add_rep(Rep("ny@example.com", "p-new", "Ny Rep"), new) is True
    assert [r.email for r in store.list_reps()] == ["dana@example.com", "ny@example.com", "raj@initech.example.com"]


def test_snapshot_columns_describe_the_graph(store):
    write(store, "i1", small_batch("i1"))
    snap = store.read_snapshot()
    assert sorted(snap.person_ids) == ["p-dana", "p-mei", "p-raj"]
    pairs = {(snap.person_ids[s], snap.person_ids[t]) for s, t in zip(snap.rel_source, snap.rel_target, strict=True)}
    assert pairs == {("p-dana", "p-raj"), ("p-raj", "p-mei")}
    assert [snap.person_ids[i] for i in snap.rep_person] == ["p-dana"]
    last = {snap.person_ids[s]: d for s, d in zip(snap.rel_source, snap.rel_last_interaction, strict=True)}
    assert last["p-dana"] == date(2026, 10, 30).toordinal() and last["p-raj"] == 0
    assert len(snap.emp_person) == 3 and sum(snap.emp_current) == 2
    assert snap.version == store.data_version()


def test_digest_ignores_history_but_not_content(store, tmp_path):
    write(store, "i1", small_batch("i1"))
    d1 = store.digest()
    m = BatchMaker("i2", sha="sha-2")
    write(store, "i2", GraphBatch(people=(m.person("p-x", "X", "x@example.com"),)), minute=1)
    assert store.digest() != d1
    store.undo_import("i2")
    assert store.digest() == d1


def two_raj_batch(import_id: str):
    """The same Raj under two ids (a work and a personal e-mail), both customers of Dana."""
    m = BatchMaker(import_id, file="crm.csv", sha="sha-raj")
    return GraphBatch(
        people=(m.person("p-raj2", "Raj Patel", "raj.patel@personal.example.net", row=5),),
        relationships=(m.tie("p-dana", "p-raj2", RelationshipKind.CUSTOMER, count_out=3, row=5),
                       m.tie("p-raj2", "p-mei", RelationshipKind.KNOWS, row=5)),
    )


def test_merge_moves_evidence_ties_and_keys_and_split_undoes_it(store):
    write(store, "i1", small_batch("i1"))
    write(store, "i2", two_raj_batch("i2"), minute=1)
    assert store.counts().people == 4
    store.merge_people("p-raj", "p-raj2")
    assert store.counts().people == 3 and store.get_people(["p-raj2"]) == {}
    raj = store.get_people(["p-raj"])["p-raj"]
    assert set(raj.emails) == {"raj@initech.example.com", "raj.patel@personal.example.net"}
    assert store.find_people(emails=["raj.patel@personal.example.net"]) == {"raj.patel@personal.example.net": "p-raj"}
    customer = [r for r in store.relationships_of("p-raj") if r.kind is RelationshipKind.CUSTOMER]
    assert len(customer) == 1 and customer[0].count_out == 8 + 3  # the two ties became one, counts add up
    assert len(store.evidence_of("relationship", ("p-dana", "p-raj", "customer", "dana@example.com"))) == 2

    kept, other = store.split_person("p-raj")
    assert kept == "p-raj" and store.counts().people == 4
    people = store.get_people([kept, other])
    assert people[kept].emails == ("raj@initech.example.com",)
    assert people[other].emails == ("raj.patel@personal.example.net",)
    assert [r.kind for r in store.relationships_of(other) if r.target_id == "p-mei"] == [RelationshipKind.KNOWS]
    with pytest.raises(InputError, match="nothing to split"):
        store.split_person("p-mei")


def test_merge_refuses_two_linkedin_profiles_and_unknown_ids(store):
    write(store, "i1", small_batch("i1"))
    m = BatchMaker("i2", sha="sha-2")
    write(store, "i2", GraphBatch(people=(m.person("p-raj3", "Raj Patel", linkedin_url="https://www.linkedin.com/in/other-raj"),)), minute=1)
    digest = store.digest()
    with pytest.raises(InputError, match="different LinkedIn profiles"):
        store.merge_people("p-raj", "p-raj3")
    with pytest.raises(NotFound):
        store.merge_people("p-raj", "p-nobody")
    assert store.digest() == digest


def test_undo_after_merge_keeps_the_rest_consistent(store):
    write(store, "i1", small_batch("i1"))
    write(store, "i2", two_raj_batch("i2"), minute=1)
    store.merge_people("p-raj", "p-raj2")
    store.undo_import("i2")
    raj = store.get_people(["p-raj"])["p-raj"]
    assert raj.emails == ("raj@initech.example.com",)
    customer = [r for r in store.relationships_of("p-raj") if r.kind is RelationshipKind.CUSTOMER]
    assert customer[0].count_out == 8 and store.counts().people == 3


# -- who is who: the identity rules (docs/identity.md) ----------------------------------------------------
def test_a_store_written_by_imports_keeps_every_identity_rule(store):
    write(store, "i1", small_batch("i1"))
    assert store.identity_violations() == []


def test_an_import_giving_a_known_e_mail_to_another_person_is_refused_and_nothing_is_committed(store):
    from graphapp.errors import IdentityConflict

    write(store, "i1", small_batch("i1"))
    before, counts = store.digest(), store.counts()
    m = BatchMaker("i2", file="crm.csv", sha="sha-2")
    batch = GraphBatch(people=(m.person("p-raj-2", "R. Patel", "raj@initech.example.com"),
                               m.person("p-new", "Noor Haddad", "noor@example.com")),
                       relationships=(m.tie("p-dana", "p-new"),))
    with pytest.raises(IdentityConflict) as refused:
        write(store, "i2", batch, minute=1)
    text = str(refused.value)
    assert "shared-email" in text and "raj@initech.example.com" in text and "p-raj (Raj Patel)" in text
    assert "p-raj-2 (R. Patel)" in text and "nothing was committed" in text
    assert store.digest() == before and store.counts() == counts and [i.id for i in store.list_imports()] == ["i1"]


def test_an_import_giving_a_known_linkedin_profile_to_another_person_is_refused(store):
    from graphapp.errors import IdentityConflict

    write(store, "i1", small_batch("i1"))
    before = store.digest()
    m = BatchMaker("i2", sha="sha-2")
    twin = m.person("p-raj-2", "Raj Patel", linkedin_url="https://www.linkedin.com/in/rajpatel")
    with pytest.raises(IdentityConflict, match="shared-linkedin: LinkedIn URL https://www.linkedin.com/in/rajpatel"):
        write(store, "i2", GraphBatch(people=(twin,)), minute=1)
    assert store.digest() == before and store.identity_violations() == []


def test_two_new_people_of_one_import_with_one_e_mail_are_refused(store):
    from graphapp.errors import IdentityConflict

    write(store, "i1", small_batch("i1"))
    before = store.digest()
    m = BatchMaker("i2", sha="sha-2")
    batch = GraphBatch(people=(m.person("p-noor", "Noor Haddad", "noor@example.com"),
                               m.person("p-noor-2", "N. Haddad", "noor@example.com")))
    with pytest.raises(IdentityConflict, match="shared-email: e-mail noor@example.com is on 2 people: "
                                               r"p-noor \(Noor Haddad\), p-noor-2 \(N. Haddad\)"):
        write(store, "i2", batch, minute=1)
    assert store.digest() == before


def test_doctor_finds_a_rep_added_with_someone_elses_e_mail(store):
    write(store, "i1", small_batch("i1"))
    assert store.add_rep(Rep("mei.rep@example.com", "p-mei-rep", "Mei Lin"),
                         Person("p-mei-rep", "Mei Lin", emails=("mei@globex.example.com",)))
    [found] = store.identity_violations()
    assert (found.rule, found.subject, found.ids) == ("shared-email", "person", ("p-mei", "p-mei-rep"))
    assert found.line().startswith("shared-email: e-mail mei@globex.example.com is on 2 people: p-mei (Mei Lin), "
                                   "p-mei-rep (Mei Lin); merge them with `graphapp merge")


def test_the_files_behind_people_and_organisations(store):
    write(store, "i1", small_batch("i1"))
    m = BatchMaker("i2", file="li.csv", sha="sha-2", owner="li@example.com")
    write(store, "i2", GraphBatch(people=(m.person("p-raj", "Raj Patel", "raj@initech.example.com"),)), minute=1)
    assert store.evidence_files("person", ["p-raj", "p-mei", "p-nobody"]) == {
        "p-raj": [("contacts.csv", "dana@example.com"), ("li.csv", "li@example.com")],
        "p-mei": [("contacts.csv", "dana@example.com")]}
    assert store.evidence_files("organization", ["o-globex"]) == {"o-globex": [("contacts.csv", "dana@example.com")]}


def test_archive_people_are_the_reps_own_ties_of_the_kinds_asked(store):
    write(store, "i1", small_batch("i1"))
    dana = Rep(email="dana@example.com", person_id="p-dana", name="Dana")
    [(pid, name, _)] = store.archive_people(dana, {RelationshipKind.CUSTOMER})
    assert (pid, name) == ("p-raj", store.get_people(["p-raj"])["p-raj"].name)
    assert store.archive_people(dana, {RelationshipKind.CUSTOMER}, without_url=True) == []  # Raj has a LinkedIn URL
    assert store.archive_people(dana, {RelationshipKind.LINKEDIN}) == []
    assert store.archive_people(Rep(email="mei@example.com", person_id="p-mei", name="Mei"),
                                {RelationshipKind.COLLEAGUE}) == []  # Raj's tie to Mei is not hers to own


def test_a_persons_evidence_is_read_owner_by_owner(store):
    """What the service folds per viewer (graphapp/service/seen.py): each row's owner and values, once per
    source row, in import order; and the people whose evidence has several owners."""
    dana, grace = BatchMaker("i1", sha="sha-1"), BatchMaker("i2", file="g.csv", sha="sha-2", owner="grace@example.com")
    write(store, "i1", GraphBatch(people=(dana.person("p-1", "Pia Private", "pia@example.com", title="VP"),
                                          dana.person("p-2", "Only Dana", "only@example.com"))))
    write(store, "i2", GraphBatch(people=(grace.person("p-1", "Paula Guess", "pia@example.com", title="Intern"),)),
          minute=1)
    write(store, "i3", GraphBatch(people=(BatchMaker("i3", sha="sha-1").person("p-1", "Pia Private", "pia@example.com",
                                                                               title="VP"),)), minute=2)  # same bytes
    assert store.people_of_several_owners() == {"p-1": frozenset({"dana@example.com", "grace@example.com"})}
    found = store.person_evidence(["p-1", "p-2", "p-unknown"])
    assert [(owner, p.name, p.title) for owner, p in found["p-1"]] == [
        ("dana@example.com", "Pia Private", "VP"), ("grace@example.com", "Paula Guess", "Intern")]
    assert [p.id for _, p in found["p-2"]] == ["p-2"] and "p-unknown" not in found


def test_the_audit_log_keeps_rows_newest_first_with_hashed_values(store):
    store.record_audit("refused", ["action:import", "role:viewer"], {"files": 2}, hashed=["mallory@example.com"])
    store.record_audit("export", ["type:weekly-csv"], {"rows": 3})
    newest, first = store.audit_log(limit=10)
    assert (newest.action, newest.objects, newest.counts) == ("export", ("type:weekly-csv",), {"rows": 3})
    assert first.action == "refused" and first.objects[:2] == ("action:import", "role:viewer")
    assert first.objects[2].startswith("hash:") and "mallory" not in first.objects[2]
    assert newest.seq > first.seq and [e.action for e in store.audit_log(action="refused")] == ["refused"]


def test_forgetting_a_person_removes_them_audits_it_and_can_block_their_keys(store):
    """DEL-1 on every store: the person, their ties and jobs go in one change with its audit row; with
    suppression their e-mail and LinkedIn keys are kept only as salted hashes, which an import then
    matches, until an admin lifts one (audited too)."""
    write(store, "i1", small_batch("i1"))
    before = store.counts()
    counts = store.forget_person("p-raj", suppress=True)
    assert (counts["relationships"], counts["employments"], counts["suppressed"]) == (2, 1, 2)
    assert store.get_people(["p-raj"]) == {} and store.relationships_of("p-dana") == []
    assert store.counts().people == before.people - 1 and store.counts().relationships == before.relationships - 2
    raj_keys = ["email:raj@initech.example.com", "linkedin:https://www.linkedin.com/in/rajpatel"]
    assert store.suppressed_keys([*raj_keys, "email:mei@globex.example.com"]) == set(raj_keys)
    [entry] = store.audit_log(action="forget")
    hashes = sorted(h for h, _, _ in store.list_suppressed())
    assert entry.objects == ("p-raj", *(f"hash:{h}" for h in hashes)) and entry.counts["relationships"] == 2
    assert "initech" not in " ".join(entry.objects).lower() and "rajpatel" not in " ".join(entry.objects)
    assert store.unsuppress(hashes[0]) and not store.unsuppress(hashes[0])
    assert len(store.list_suppressed()) == 1 and len(store.suppressed_keys(raj_keys)) == 1
    assert [e.objects for e in store.audit_log(action="unsuppress")] == [(f"hash:{hashes[0]}",)]
    with pytest.raises(InputError, match="is a rep on the team"):
        store.forget_person("p-dana")
    with pytest.raises(NotFound):
        store.forget_person("p-raj")
