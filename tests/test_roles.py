"""Who may do what, checked in the service whatever the front end (issue 20, items 1 and 5): every write
driven as a viewer, as a rep on someone else's data and on their own, and as an admin, on a real SQLite
file; every refusal is one message and one ``refused`` audit row. Also the look-alike reps."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from graphapp import service
from graphapp.domain.lookalike import look_alike, skeleton
from graphapp.domain.privacy import Viewer
from graphapp.domain.roles import RULES, allowed, refusal
from graphapp.errors import InputError, NotAllowed
from graphapp.model import GraphBatch
from graphapp.store.sqlite.store import open_sqlite
from tests.conftest import BatchMaker, record, small_batch

DANA, ZED, ADA, VIC = "dana@example.com", "zed@example.com", "ada@example.com", "vic@example.com"
AS_DANA, AS_ZED, AS_ADA, AS_VIC = Viewer(DANA, "rep"), Viewer(ZED, "rep"), Viewer(ADA, "admin"), Viewer(VIC, "viewer")
CONTACTS = "Name,Email,Company\nNia Okafor,nia@acme.example.com,Acme Corp\nOwen Pryce,owen@acme.example.com,Acme Corp\n"
PATH = {"rep": {"email": DANA}, "hops": [{"to": {"id": "p-raj", "name": "Raj Patel"}}],
        "target": {"id": "p-mei", "name": "Mei Lin"}}


@pytest.fixture
def db(tmp_path):
    """Dana (rep) keeps Raj and Mei (import i1, run from the command line); Zed (rep), Ada (admin) and Vic
    (viewer) are on the team; Dana imported a contact list herself (``dana_import``)."""
    store = open_sqlite(tmp_path / "roles.db")
    with store.importing(record("i1")) as writer:
        writer.write(small_batch("i1"))
    service.add_rep(store, name="Zed Other", email=ZED)
    service.add_rep(store, name="Ada Admin", email=ADA, role="admin")
    service.add_rep(store, name="Vic Viewer", email=VIC, role="viewer")
    store.dana_import = _import(store, tmp_path, AS_DANA, owner=DANA).import_id
    yield store
    store.close()


def _import(store, tmp_path: Path, viewer: Viewer | None, *, owner: str | None, text: str = CONTACTS,
            name: str = "contacts.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with service.acting_as(_actor(store, viewer) if viewer else None):  # as a front end says who acts
        return service.import_files(store, [path], owner=owner, viewer=viewer)


def _actor(store, viewer: Viewer) -> str:
    return next(f"rep:{r.person_id}" for r in store.list_reps() if r.email == viewer.email)


def state(store) -> tuple:
    """Everything a write could change: the content digest and what it leaves out."""
    return (store.digest(), store.saved_settings(), [(i.id, i.state) for i in store.list_intros()],
            store.kept_apart(), store.list_suppressed(), [(r.id, r.status) for r in store.list_imports()])


# -- the table --------------------------------------------------------------------------------------
def test_a_viewer_may_do_nothing_an_admin_everything_and_a_rep_their_own():
    for action in RULES:
        assert not allowed("viewer", action, own=True) and not allowed("viewer", action, own=False), action
        assert allowed("admin", action, own=True) and allowed("admin", action, own=False), action
    rep_own = {a for a in RULES if allowed("rep", a, own=True)}
    rep_any = {a for a in RULES if allowed("rep", a, own=False)}
    assert rep_any == {"keep-apart", "target"}
    assert rep_own == rep_any | {"import", "undo-import", "merge", "set-strength", "set-visibility", "mark-person",
                                 "intro", "forget"}


def test_each_refusal_says_who_can_do_it():
    assert refusal("viewer", "import") == ("A viewer cannot import files: viewers look but change nothing. Ask a rep "
                                           "or an admin. Nothing was changed.")
    assert refusal("rep", "restore") == "Only an admin can restore a backup; you are signed in as a rep. Nothing was changed."
    assert refusal("rep", "undo-import").startswith("A rep can undo only the imports they ran; only an admin")


# -- every write, as a viewer -------------------------------------------------------------------------
WRITES: dict[str, Callable] = {
    "import": lambda s, v, tmp: _import(s, tmp, v, owner=VIC),
    "import-for-someone-new": lambda s, v, tmp: _import(s, tmp, v, owner="mallory@evil.example.com"),
    "undo-import": lambda s, v, tmp: service.undo_import(s, "i1", viewer=v),
    "add-rep": lambda s, v, tmp: service.add_rep(s, name="Mallory", email="mallory@evil.example.com", viewer=v),
    "merge": lambda s, v, tmp: service.merge_people(s, "p-raj", "p-mei", viewer=v),
    "split": lambda s, v, tmp: service.split_person(s, "p-raj", viewer=v),
    "decide-same": lambda s, v, tmp: service.decide_same(s, "p-raj", "p-mei", viewer=v),
    "decide-different": lambda s, v, tmp: service.decide_different(s, "p-raj", "p-mei", viewer=v),
    "set-strength": lambda s, v, tmp: service.set_strength(s, "p-dana", "p-raj", DANA, 0.5, viewer=v),
    "set-visibility": lambda s, v, tmp: service.set_person_visibility(s, "p-raj", DANA, "private", viewer=v),
    "mark-person": lambda s, v, tmp: service.mark_person(s, "p-mei", DANA, "partner", viewer=v),
    "set-target": lambda s, v, tmp: service.set_target(s, "o-initech", True, viewer=v),
    "add-target": lambda s, v, tmp: service.add_target(s, "Umbrella", domain="umbrella.example.com", viewer=v),
    "request-intro": lambda s, v, tmp: service.request_intro(s, PATH, "o-globex", viewer=v),
    "settings": lambda s, v, tmp: service.save_team_settings(s, {"paths_top": 3}, viewer=v),
    "forget": lambda s, v, tmp: service.forget_person(s, "p-raj", viewer=v),
    "backup": lambda s, v, tmp: service.backup(s, tmp / "copy.db", viewer=v),
    "restore": lambda s, v, tmp: service.restore(s, tmp / "copy.db", viewer=v),
    "load-demo": lambda s, v, tmp: service.load_demo(s, force=True, viewer=v),
    "weekly-record": lambda s, v, tmp: service.weekly_lists(s, week="2026-W10", viewer=v),
    "sync": lambda s, v, tmp: service.sync(s.location, str(tmp / "copy.db"), viewer=v),
}


@pytest.mark.parametrize("write", sorted(WRITES))
def test_a_viewer_writes_nothing_and_each_refusal_is_audited(db, tmp_path, write):
    before, refused = state(db), len(db.audit_log(action="refused"))
    with pytest.raises(NotAllowed, match="Nothing was changed"):
        WRITES[write](db, AS_VIC, tmp_path)
    assert state(db) == before
    assert not (tmp_path / "copy.db").exists()
    [row] = db.audit_log(action="refused")[: len(db.audit_log(action="refused")) - refused]
    assert row.actor == _actor(db, AS_VIC) and row.objects[1] == "role:viewer"
    assert "@" not in " ".join(row.objects)  # ids and hashes, never an address


def test_the_attack_of_the_issue_a_viewer_can_no_longer_bring_in_an_outsider_or_wipe_an_import(db, tmp_path):
    reps = len(db.list_reps())
    with pytest.raises(NotAllowed, match="A viewer cannot import files"):
        _import(db, tmp_path, AS_VIC, owner="mallory@evil.example.com")
    with pytest.raises(NotAllowed, match="A viewer cannot undo an import"):
        service.undo_import(db, "i1", viewer=AS_VIC)
    assert len(db.list_reps()) == reps and db.get_people(["p-raj", "p-mei"]).keys() == {"p-raj", "p-mei"}
    rows = db.audit_log(action="refused")
    assert [r.objects[0] for r in rows] == ["action:undo-import", "action:import"]
    assert rows[0].objects[2] == "import:i1"
    assert rows[1].objects[2].startswith("hash:")  # the outside address, salted and hashed
    assert db.audit_log(action="import")[0].actor == _actor(db, AS_DANA)  # the last import is still Dana's own


# -- a rep: their own, not someone else's --------------------------------------------------------------
@pytest.mark.parametrize("write", ["import-for-someone-new", "undo-import", "add-rep", "merge", "split",
                                   "set-strength", "set-visibility", "mark-person", "request-intro", "settings",
                                   "forget", "backup", "restore", "load-demo", "weekly-record", "sync"])
def test_a_rep_cannot_touch_another_reps_data_or_the_team_as_a_whole(db, tmp_path, write):
    before = state(db)
    with pytest.raises(NotAllowed, match="admin"):
        WRITES[write](db, AS_ZED, tmp_path)
    assert state(db) == before
    assert db.audit_log(action="refused")[0].objects[:2] == (f"action:{_action(write)}", "role:rep")


def _action(write: str) -> str:
    return {"import-for-someone-new": "import", "split": "merge", "decide-same": "merge", "request-intro": "intro",
            "set-target": "target"}.get(write, write)


def test_a_rep_deciding_that_two_shared_contacts_of_another_rep_are_one_is_refused(db):
    service.set_person_visibility(db, "p-raj", DANA, "team")  # Zed now sees both, yet they are Dana's to merge
    before = state(db)
    with pytest.raises(NotAllowed, match="a merge across reps'"):
        service.decide_same(db, "p-raj", "p-mei", viewer=AS_ZED)
    assert state(db) == before
    assert db.audit_log(action="refused")[0].objects == ("action:merge", "role:rep", "p-raj", "p-mei")
    service.decide_different(db, "p-raj", "p-mei", viewer=AS_ZED)  # keeping two apart: any rep who sees them
    assert len(db.kept_apart()) == 1


def test_a_rep_imports_only_as_themself(db, tmp_path):
    with pytest.raises(NotAllowed, match="A rep imports only their own data"):
        _import(db, tmp_path, AS_ZED, owner=DANA)
    sheet = ("rep_email,person_name,person_email,company,relationship\n"
             f"{DANA},Pia Quist,pia@quist.example.com,Quist Ltd,customer\n")
    with pytest.raises(NotAllowed, match="A rep imports only their own data"):  # a team sheet naming Dana
        _import(db, tmp_path, AS_ZED, owner=None, text=sheet, name="relationships.csv")
    assert db.find_people(emails=["pia@quist.example.com", "nia@acme.example.com"]) == {
        "nia@acme.example.com": db.find_people(emails=["nia@acme.example.com"])["nia@acme.example.com"]}
    own = _import(db, tmp_path, AS_ZED, owner=ZED)
    assert own.committed and own.relationships_added == 2
    own_sheet = _import(db, tmp_path, AS_ZED, owner=None, text=sheet.replace(DANA, ZED), name="relationships.csv")
    assert own_sheet.committed and db.find_people(emails=["pia@quist.example.com"])


def test_a_rep_undoes_the_imports_they_ran_and_only_those(db, tmp_path):
    mine = _import(db, tmp_path, AS_ZED, owner=ZED).import_id
    with pytest.raises(NotAllowed, match="only the imports they ran"):
        service.undo_import(db, db.dana_import, viewer=AS_ZED)
    assert service.undo_import(db, mine, viewer=AS_ZED).status.value == "undone"
    assert service.undo_import(db, db.dana_import, viewer=AS_DANA).status.value == "undone"
    assert service.may(db, AS_ADA, "undo-import", import_id="i1")
    assert not service.may(db, AS_DANA, "undo-import", import_id="i1")  # run from the command line, not by Dana


def test_a_rep_merges_only_people_known_only_from_their_data(db):
    # Nia and Owen came only from Dana's contact list: hers to merge; Raj and Mei also from Dana's data.
    nia, owen = (db.find_people(emails=[e])[e] for e in ("nia@acme.example.com", "owen@acme.example.com"))
    assert not service.may(db, AS_ZED, "merge", people=[nia, owen])
    assert service.merge_people(db, nia, owen, viewer=AS_DANA).id == nia
    service.add_rep(db, name="Kai Team", email="kai@example.com")
    with db.importing(record("i2", minute=5)) as writer:  # Kai also knows Mei: splitting her is across reps' data
        writer.write(GraphBatch(relationships=(BatchMaker("i2", sha="sha-2", owner="kai@example.com").tie("p-mei", "p-raj"),)))
    with pytest.raises(NotAllowed, match="across reps'"):
        service.split_person(db, "p-mei", viewer=AS_DANA)
    assert service.may(db, AS_ADA, "merge", people=["p-mei", "p-raj"])


def test_strength_visibility_marks_and_intros_are_the_keeping_reps(db):
    assert service.set_strength(db, "p-dana", "p-raj", DANA, 0.5, viewer=AS_DANA) == 1
    assert service.set_person_visibility(db, "p-raj", DANA, "team", viewer=AS_DANA) >= 1
    assert service.mark_person(db, "p-mei", DANA, "partner", viewer=AS_DANA).kind == "app"
    intro = service.request_intro(db, PATH, "o-globex", viewer=AS_DANA)
    with pytest.raises(NotAllowed, match="only their own introductions"):
        service.update_intro(db, intro.id, "accepted", viewer=AS_ZED)
    assert service.update_intro(db, intro.id, "accepted", viewer=AS_ADA).state.value == "accepted"
    service.set_target(db, "o-initech", True, viewer=AS_ZED)  # target accounts: any rep
    assert db.get_organizations(["o-initech"])["o-initech"].is_target


def test_an_admin_acts_for_anyone(db, tmp_path):
    report = _import(db, tmp_path, AS_ADA, owner="new.rep@example.com")
    assert report.committed and "new.rep@example.com" in {r.email for r in db.list_reps()}
    assert service.undo_import(db, db.dana_import, viewer=AS_ADA).status.value == "undone"
    service.save_team_settings(db, {"paths_top": 3}, viewer=AS_ADA)
    assert db.saved_settings() == {"paths_top": "3"}
    assert db.audit_log(action="refused") == []


def test_the_command_line_without_as_acts_as_whoever_holds_the_file(db, tmp_path):
    assert _import(db, tmp_path, None, owner="someone@example.com").committed
    assert service.undo_import(db, "i1").status.value == "undone"
    assert db.audit_log(action="refused") == []


# -- look-alike reps -------------------------------------------------------------------------------------
def test_the_skeleton_folds_look_alikes_and_keeps_what_a_reader_can_tell_apart():
    assert skeleton("Dana Whitfield") == skeleton("D\u0430na Whitfield") == skeleton("\uff24ana WhitfieId")
    assert look_alike("dana@example.com", "d\u0430na@example.com")  # Cyrillic а
    assert look_alike("dana@example.com", "dana@examp1e.com") and look_alike("dana@example.com", "dana@exarnple.com")
    assert not look_alike("dana@example.com", "dana@example.com")  # the same text is not a look-alike
    assert not look_alike("Dana Whitfield", "Dána Whitfield") and not look_alike("dana@example.com", "dan@example.com")


def test_a_new_rep_whose_e_mail_looks_like_a_reps_is_refused(db):
    reps = db.list_reps()
    for email in ("d\u0430na@example.com", "dana@examp1e.com", "dana@ex\u0430mple.com"):
        with pytest.raises(InputError, match="looks like Dana Whitfield's"):
            service.add_rep(db, name="Dana W.", email=email)
    assert db.list_reps() == reps


def test_a_full_width_e_mail_is_the_rep_already_there_not_a_second_one(db):
    rep, added = service.add_rep(db, name="Dana Whitfield", email="\uff44ana@example.com")
    assert (rep.email, added) == (DANA, False)
    assert [r.name for r in db.list_reps()].count("Dana Whitfield") == 1


def test_a_second_dana_whitfield_is_refused_whatever_the_letters(db):
    for name in ("Dana Whitfield", "D\u0430na Whitfield", "Dana WhitfieId"):
        with pytest.raises(InputError, match="could not be told apart in the rep picker"):
            service.add_rep(db, name=name, email="dana.w@elsewhere.example.com")
    assert service.add_rep(db, name="Dana Whitfield-Ortiz", email="dana.w@elsewhere.example.com")[1]


def test_an_import_cannot_bring_in_a_look_alike_rep_either(db, tmp_path):
    with pytest.raises(InputError, match="looks like Dana Whitfield's"):
        _import(db, tmp_path, AS_ADA, owner="d\u0430na@example.com")
    sheet = "rep_email,person_name,person_email,company,relationship\nd\u0430na@example.com,Pia Quist,pia@quist.example.com,Quist,customer\n"
    with pytest.raises(InputError, match="looks like Dana Whitfield's"):
        _import(db, tmp_path, None, owner=None, text=sheet, name="relationships.csv")
    assert len(db.list_reps()) == 4 and not db.find_people(emails=["pia@quist.example.com"])
    full_width = _import(db, tmp_path, AS_DANA, owner="\uff44ana@example.com")  # NFKC: Dana herself
    assert full_width.committed and len(db.list_reps()) == 4


def test_docs_privacy_has_the_table_of_who_may_do_what_as_the_code_says():
    from graphapp.domain.roles import ROLES, cell

    text = (Path(__file__).resolve().parents[1] / "docs" / "privacy.md").read_text(encoding="utf-8")
    section = text.split("## Who may do what", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and "(`" in line]
    expected = [f"| {r.what} (`{r.action}`) | " + " | ".join(cell(r, role) for role in ROLES) + " |"
                for r in RULES.values()]
    assert rows == expected
