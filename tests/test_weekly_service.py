"""Weekly lists and the intro workflow end to end on the demo network (real SQLite file, the CLI run in the test process: tests/cli.py)."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest

from graphapp import service
from graphapp.domain.weekly import Rules
from tests.cli import run

PERSON_KEYS = {"id", "name", "linkedin_url", "email", "title"}


@pytest.fixture
def db(demo_file, tmp_path):
    path = tmp_path / "g.db"
    shutil.copy(demo_file, path)
    return path


def weekly(db, **kw):
    with service.open_graph(str(db), create=False) as store:
        return service.weekly_lists(store, **kw).as_dict()


def test_the_json_has_exactly_the_documented_shape_and_is_deterministic(db):
    data = weekly(db, week="2026-W49", record=False)
    assert set(data) == {"week", "reps"} and data["week"] == "2026-W49"
    assert len(data["reps"]) == 8
    for r in data["reps"]:
        assert set(r) == {"rep", "items"} and set(r["rep"]) == PERSON_KEYS
        intros = [i for i in r["items"] if i["kind"] == "intro"]
        assert 1 <= len(intros) <= Rules().per_rep
        for i in r["items"]:
            assert set(i) == {"kind", "reason", "score", "path", "draft"}
            if i["kind"] in ("intro", "champion"):
                assert i["path"]["rep"]["id"] == r["rep"]["id"] and i["draft"].startswith("Hi ")
                assert set(i["path"]) == {"rank", "score", "tier", "rep", "target", "hops", "explanation", "sentence"}
                assert i["kind"] == "intro" or len(i["path"]["hops"]) == 1  # a champion: the rep's own tie
            else:
                assert i["score"] is None and i["path"] is None and i["draft"] is None
    assert weekly(db, week="2026-W49", record=False) == data
    one = weekly(db, week="2026-W49", record=False, rep=data["reps"][2]["rep"]["email"])
    assert one["reps"] == [data["reps"][2]]


def test_each_intro_says_how_strong_the_first_tie_is_and_why(db):
    """The reason names the tier and label of the rep's tie to the first person; the number stays in the path."""
    data = weekly(db, week="2026-W49", record=False)
    intros = [i for r in data["reps"] for i in r["items"] if i["kind"] == "intro"]
    assert intros
    for i in intros:
        first = i["path"]["hops"][0]
        assert first["tier"] in ("strong", "medium", "weak") and first["label"] and 0 < first["strength"] <= 1
        assert f"({first['tier']}: {first['label']})" in i["reason"]
        assert f"{first['strength']:.2f})" not in i["reason"]
    direct = next(i for i in intros if len(i["path"]["hops"]) == 1)
    assert direct["reason"].startswith(f"You know {direct['path']['target']['name']} (")
    assert direct["reason"].endswith(f"directly ({direct['path']['hops'][0]['tier']}: "
                                     f"{direct['path']['hops'][0]['label']}): reach out.")


def test_team_rules_hold_on_the_demo(db):
    data = weekly(db, week="2026-W49", record=False)
    intros = [i for r in data["reps"] for i in r["items"] if i["kind"] == "intro"]
    targets = [i["path"]["target"]["id"] for i in intros]
    assert len(set(targets)) == len(targets)
    connectors = [i["path"]["hops"][0]["to"]["id"] for i in intros if len(i["path"]["hops"]) > 1]
    assert max(connectors.count(c) for c in connectors) <= Rules().budget


def test_a_recorded_week_is_not_repeated_the_next_week_and_recording_again_changes_nothing(db):
    first = weekly(db, week="2026-W49")
    with service.open_graph(str(db), create=False) as store:
        suggested = store.list_intros()
    assert {i.state.value for i in suggested} == {"suggested"}
    assert len(suggested) == sum(i["kind"] == "intro" for r in first["reps"] for i in r["items"])
    assert weekly(db, week="2026-W49") == first  # the same week again: same list, nothing more recorded
    with service.open_graph(str(db), create=False) as store:
        assert len(store.list_intros()) == len(suggested)
    second = weekly(db, week="2026-W50", record=False)
    before = {(r["rep"]["email"], i["path"]["target"]["id"]): i["score"] for r in first["reps"] for i in r["items"]
              if i["kind"] == "intro"}
    for r in second["reps"]:
        for i in r["items"]:
            if i["kind"] == "intro":
                earlier = before.get((r["rep"]["email"], i["path"]["target"]["id"]))
                assert earlier is None or i["score"] >= earlier * 1.2


def test_cli_intro_request_update_list_and_the_weekly_files(db, tmp_path):
    dana = "dana.whitfield@brightline.example.com"
    made = json.loads(run("intro", "request", "--account", "Oakzephyr Bank", "--rep", dana, "--json", "--db", str(db),
                          check=True).stdout)
    assert made["state"] == "requested" and made["rep"] == dana
    again = run("intro", "request", "--account", "Oakzephyr Bank", "--rep", dana, "--db", str(db))
    assert again.returncode == 1 and "already has an open request" in again.stderr
    won = run("intro", "update", made["id"], "won", "--db", str(db))
    assert won.returncode == 0  # requested may jump to won (a deal straight from the ask)
    closed = run("intro", "update", made["id"], "lost", "--db", str(db))
    assert closed.returncode == 1 and "A won request cannot become lost; next: none: it is closed." in closed.stderr
    listed = json.loads(run("intro", "list", "--rep", dana, "--json", "--db", str(db), check=True).stdout)
    assert [(i["id"], i["state"], [e["state"] for e in i["events"]]) for i in listed] == [
        (made["id"], "won", ["requested", "won"])]
    out = tmp_path / "lists"
    result = run("weekly", "--week", "2026-W49", "--out", str(out), "--db", str(db), check=True)
    assert "# Suggested introductions, week 2026-W49" in result.stdout
    names = sorted(p.name for p in out.iterdir())
    assert "weekly-2026-W49.csv" in names and "weekly-2026-W49.md" in names
    assert sum(n.endswith(".html") for n in names) == 8
    header = (out / "weekly-2026-W49.csv").read_text().splitlines()[0]
    assert header == ("week,rep,rep_email,kind,score,reason,connector,target,target_title,first_tier,first_why,"
                      "weakest_tier,draft")
    rows = list(csv.DictReader(io.StringIO((out / "weekly-2026-W49.csv").read_text())))
    intros = [r for r in rows if r["kind"] == "intro"]
    assert intros and all(r["first_tier"] in ("strong", "medium", "weak") and r["first_why"] for r in intros)
    assert all(r["weakest_tier"] in ("strong", "medium", "weak") for r in intros)
    order = ("weak", "medium", "strong")
    assert all(order.index(r["weakest_tier"]) <= order.index(r["first_tier"]) for r in intros)
    bad_week = run("weekly", "--week", "49", "--db", str(db))
    assert bad_week.returncode == 1 and "A week is written like 2026-W48, not '49'." in bad_week.stderr


def test_introductions_made_raise_a_connectors_paths_and_declines_lower_them(db):
    with service.open_graph(str(db), create=False) as store:
        result = service.account_paths(store, "Oakzephyr Bank", top=20)
        path = next(p for p in result.as_dict()["paths"] if len(p["hops"]) == 2)
        connector = path["hops"][0]["to"]["id"]
        intro = service.request_intro(store, path, result.account_id)
        service.update_intro(store, intro.id, "introduced")
        after = service.account_paths(store, "Oakzephyr Bank", top=20).as_dict()["paths"]
    same = next(p for p in after if [h["to"]["id"] for h in p["hops"]] == [h["to"]["id"] for h in path["hops"]])
    assert same["hops"][0]["to"]["id"] == connector and same["score"] > path["score"]


def test_a_connectors_referral_yield_is_counted(db):
    with service.open_graph(str(db), create=False) as store:
        result = service.account_paths(store, "Oakzephyr Bank", top=20)
        path = next(p for p in result.as_dict()["paths"] if len(p["hops"]) == 2)
        connector = path["hops"][0]["to"]["id"]
        assert service.connector_record(store, connector) == (0, 0, 0, 0)
        intro = service.request_intro(store, path, result.account_id)
        for state in ("accepted", "introduced", "meeting"):
            service.update_intro(store, intro.id, state)
        assert service.connector_record(store, connector) == (1, 1, 0, 1)


def test_a_job_change_between_two_imports_is_a_move(tmp_path):
    from datetime import date

    from graphapp.model import GraphBatch
    from graphapp.store.sqlite.store import open_sqlite
    from tests.conftest import BatchMaker, record

    with open_sqlite(tmp_path / "m.db") as store:
        first, second = BatchMaker("i1", sha="sha-1"), BatchMaker("i2", sha="sha-2")
        with store.importing(record("i1")) as w:
            w.write(GraphBatch(organizations=(first.org("o-a", "Initech"),), people=(
                first.person("p-mei", "Mei Lin"), first.person("p-raj", "Raj Patel")), employments=(
                first.job("p-mei", "o-a", title="Controller", start=date(2019, 1, 1)),
                first.job("p-raj", "o-a", start=date(2020, 1, 1)))))
        assert store.job_moves() == []  # one import: nothing to compare
        with store.importing(record("i2", minute=5)) as w:
            w.write(GraphBatch(organizations=(second.org("o-b", "Globex", is_target=True),), people=(
                second.person("p-mei", "Mei Lin"), second.person("p-new", "Ann New")), employments=(
                second.job("p-mei", "o-b", title="VP Finance", start=date(2026, 9, 1)),
                second.job("p-new", "o-b", start=date(2026, 9, 1)),
                second.job("p-raj", "o-a", start=date(2020, 1, 1)))))
        # Mei moved (an earlier import placed her at Initech); Ann is simply new; Raj did not move.
        assert store.job_moves() == [("p-mei", "o-b", "VP Finance", "o-a")]


def test_a_list_looked_at_is_kept_until_the_store_changes(db):
    """The Weekly page asks for the same list on every visit: it is computed once per store version (issue
    23, point 7), and a write (a recorded week, a saved setting) is seen at once."""
    def intros(result) -> dict[str, list[str]]:
        return {r.rep["email"]: [i.path["target"]["id"] for i in r.items if i.kind == "intro"] for r in result.reps}

    with service.open_graph(str(db), create=False) as store:
        looked = service.weekly_lists(store, week="2026-W50", record=False)
        assert service.weekly_lists(store, week="2026-W50", record=False) is looked  # kept, not ranked again
        service.weekly_lists(store, week="2026-W49")  # recorded: W49's suggestions are not repeated in W50
        after = service.weekly_lists(store, week="2026-W50", record=False)
        assert after is not looked and intros(after) != intros(looked)
        store.save_settings({"weekly_per_rep": "1"})
        one = service.weekly_lists(store, week="2026-W50", record=False)
        assert all(len(ids) <= 1 for ids in intros(one).values()) and any(len(ids) > 1 for ids in intros(after).values())
    copy = db.with_name("copy.db")  # another location: its list is computed anew, and is the same
    shutil.copy(db, copy)
    with service.open_graph(str(copy), create=False) as fresh:
        anew = service.weekly_lists(fresh, week="2026-W50", record=False)
        assert anew is not one and intros(anew) == intros(one)
