"""Contact details follow the privacy of the evidence they came from (issue 20, item 2): rep B (Grace)
imports rows that collide with rep A's (Dana's) private and existence-only contacts by e-mail, by
LinkedIn URL and by name at a company, with invented names and titles. Grace then sees none of Dana's
values anywhere (service, import report, CLI), and Dana still sees hers, under her own names."""

from __future__ import annotations

import dataclasses
import json

import pytest

from graphapp import service
from graphapp.domain.privacy import Viewer
from graphapp.export.weekly import weekly_csv, weekly_html, weekly_markdown
from graphapp.model import GraphBatch, RelationshipKind, Visibility
from graphapp.store.sqlite.store import open_sqlite
from tests.cli import run
from tests.conftest import BatchMaker, record
from tests.test_privacy import DANA, GRACE, build, everything_grace_sees

# Dana's values that Grace's rows do not carry: none may reach Grace.
CANARIES = ("Zqxprivate", "Zqx Secret Title", "VP Finance", "Zqxexist", "zqx-exist@canary.example.com",
            "zqx-nina@canary.example.com", "Zqx Nina Title", "linkedin.com/in/zqx-nina", "zqx-pia-2@canary.example.com")

# Grace's LinkedIn connections: Pia by her e-mail, Eve by her LinkedIn URL, Nina by name at Globex.
GRACES_FILE = (
    b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    b"Paula,Guessed,,zqx-private@canary.example.com,Guessco,Intern,01 Oct 2026\n"
    b"Evan,Guessed,https://www.linkedin.com/in/zqx-exist,,Guessco,Trainee,01 Oct 2026\n"
    b"Nina,Collide,,,Globex,Guessed Role,01 Oct 2026\n")


def _add_nina_and_a_second_email(path) -> None:
    """Dana's private Nina Collide at Globex, and a second e-mail of Pia's in another of Dana's files."""
    m = BatchMaker("i2", file="more.csv", sha="sha-2")
    batch = GraphBatch(
        people=(m.person("p-nina", "Nina Collide", "zqx-nina@canary.example.com", title="Zqx Nina Title",
                         linkedin_url="https://www.linkedin.com/in/zqx-nina"),
                m.person("p-pia", "Pia Zqxprivate", "zqx-pia-2@canary.example.com")),
        employments=(m.job("p-nina", "o-globex", title="Zqx Nina Title"),),
        relationships=(m.tie("p-dana", "p-nina", RelationshipKind.CUSTOMER, visibility=Visibility.PRIVATE),))
    with open_sqlite(path) as store, store.importing(record("i2", minute=1)) as w:
        w.write(batch)


@pytest.fixture
def collided(tmp_path):
    """The store after Grace's import, and her import's report (as the app shows it)."""
    db = build(tmp_path / "g.db")
    _add_nina_and_a_second_email(db)
    with service.open_graph(db, create=False) as store:
        report = service.import_uploads(store, [("Connections.csv", GRACES_FILE)], owner=GRACE, visibility="team",
                                        viewer=Viewer(GRACE, "rep"))
        matches = service.describe_merges(store, report, viewer=Viewer(GRACE, "rep"))
    return db, report, matches


def _grace_ids(db) -> dict[str, str]:
    with service.open_graph(db, create=False) as store:
        grace = service.viewer_for(store, GRACE)
        return {r.name: r.id for r in service.search_people(store, "guessed", viewer=grace)}


def everything_grace_sees_after(db, report, matches) -> str:
    out = [everything_grace_sees(db), json.dumps(report.as_dict()), json.dumps([m.__dict__ for m in matches])]
    with service.open_graph(db, create=False) as store:
        grace = service.viewer_for(store, GRACE)
        for text in ("guessed", "collide", "nina", "zqx", "guessco", "globex", "initech"):
            out.append(json.dumps([r.__dict__ for r in service.search_people(store, text, viewer=grace)], default=str))
        out.append(json.dumps([e.as_dict() for e in service.list_people(store, viewer=grace).entries], default=str))
        out.append(json.dumps(service.list_people(store, viewer=grace, search="zqx").as_dict(), default=str))
        for org in ("o-globex", "o-initech"):
            page = service.organization_page(store, org, viewer=grace)
            out.append(json.dumps([r.__dict__ for r in (*page.current, *page.past)], default=str))
            out.append(json.dumps(page.paths.as_dict(), default=str))
        for pid in {r.id for text in ("guessed", "collide") for r in service.search_people(store, text, viewer=grace)}:
            page = service.person_page(store, pid, viewer=grace)
            out.append(json.dumps([dataclasses.asdict(page.person), [j.__dict__ for j in page.jobs],
                                   [t.__dict__ for t in page.ties], [k.__dict__ for k in page.known_by]], default=str))
        weekly = service.weekly_lists(store, week="2026-W49", rep=GRACE, record=False).as_dict()
        rep = weekly["reps"][0]
        out += [json.dumps(weekly), weekly_csv(weekly), weekly_html(weekly, rep["rep"], rep["items"]),
                weekly_markdown(weekly)]
    for args in (("people",), ("people", "--search", "guessed"), ("paths", "--account", "Globex"),
                 ("paths", "--account", "Initech"), ("coverage",), ("weekly", "--week", "2026-W49", "--dry-run")):
        for form in ((), ("--json",)):
            done = run(*args, *form, "--as", GRACE, "--db", db, check=True)
            out.append(done.stdout + done.stderr)
    return "\n".join(out)


def test_graces_colliding_rows_show_her_none_of_danas_hidden_values_anywhere(collided):
    db, report, matches = collided
    seen = everything_grace_sees_after(db, report, matches)
    assert "Paula Guessed" in seen and "Evan Guessed" in seen  # the search can find what it looks for
    for canary in CANARIES:
        assert canary.lower() not in seen.lower(), canary


def test_the_import_report_never_confirms_a_match_to_someone_grace_may_not_see(collided):
    db, report, matches = collided
    with service.open_graph(db, create=False) as store:
        assert store.counts().people == 7  # the rows did join Dana's contacts: no new people in the store
    assert report.merges == () and matches == []  # no "matched to people already known"
    assert (report.people_added, report.people_merged, report.people_known) == (3, 0, 0)  # three new people for Grace
    assert report.people_known_by == () and "already known" not in report.known_how()
    cli = run("imports", "--db", db, check=True).stdout
    assert "Guessed" not in cli


def test_grace_sees_her_own_values_for_the_people_her_rows_joined(collided):
    db, _, _ = collided
    ids = _grace_ids(db)
    assert set(ids) == {"Paula Guessed", "Evan Guessed"}
    with service.open_graph(db, create=False) as store:
        grace = service.viewer_for(store, GRACE)
        paula = service.person_page(store, ids["Paula Guessed"], viewer=grace)
        assert ids["Paula Guessed"] == "p-pia"  # the same person as Dana's Pia, in the store
        assert (paula.person.name, paula.person.name_variants, paula.person.emails, paula.person.title) == (
            "Paula Guessed", (), ("zqx-private@canary.example.com",), "Intern")
        assert [(j.org_name, j.title) for j in paula.jobs] == [("Guessco", "Intern")]  # not Globex, VP Finance
        evan = service.person_page(store, ids["Evan Guessed"], viewer=grace)
        assert (evan.person.name, evan.person.emails, evan.person.linkedin_url) == (
            "Evan Guessed", (), "https://www.linkedin.com/in/zqx-exist")
        assert [j.org_name for j in evan.jobs] == ["Guessco"]  # not Initech


def test_dana_still_sees_her_own_values_and_her_own_names(collided):
    db, _, _ = collided
    with service.open_graph(db, create=False) as store:
        dana = service.viewer_for(store, DANA)
        pia = service.person_page(store, "p-pia", viewer=dana).person
        assert (pia.name, pia.title) == ("Pia Zqxprivate", "Zqx Secret Title")  # not renamed "Paula Guessed"
        assert set(pia.emails) == {"zqx-private@canary.example.com", "zqx-pia-2@canary.example.com"}
        assert pia.name_variants == ("Paula Guessed",)  # Grace shares her with the team: her name is an aka
        eve = service.person_page(store, "p-eve", viewer=dana)
        assert eve.person.name == "Eve Zqxexist" and "Initech" in [j.org_name for j in eve.jobs]  # Grace shares hers
        paths = service.account_paths(store, "Globex", viewer=dana).as_dict()["paths"]
        names = {h[end]["name"] for p in paths for h in p["hops"] for end in ("from", "to")}
        assert "Pia Zqxprivate" in names and not any("Guessed" in n for n in names)
    cli = run("paths", "--account", "Initech", "--as", DANA, "--json", "--db", db, check=True).stdout
    assert "Eve Zqxexist" in cli and "Guessed" not in cli
    everything = run("people", "--search", "zqx", "--db", db, check=True).stdout  # the file's holder sees all
    assert "zqx-pia-2@canary.example.com" in everything  # every value, the stored fold


def test_grace_is_not_shown_where_danas_private_contact_works(collided):
    db, _, _ = collided
    with service.open_graph(db, create=False) as store:
        grace = service.viewer_for(store, GRACE)
        paths = service.account_paths(store, "Globex", viewer=grace).as_dict()["paths"]
    assert "p-pia" not in {p["target"]["id"] for p in paths}  # Pia works at Globex only in Dana's private file
    with service.open_graph(db, create=False) as store:
        coverage = json.dumps(service.coverage(store, viewer=grace).as_dict())
        dana = service.viewer_for(store, DANA)
        dana_paths = service.account_paths(store, "Globex", viewer=dana).as_dict()["paths"]
    assert "p-pia" in {p["target"]["id"] for p in dana_paths}  # Dana still reaches her own contact there
    assert "p-pia" not in coverage  # nor is she Grace's person to meet next there
