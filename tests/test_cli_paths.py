"""`graphapp paths` and `graphapp coverage` end to end: real SQLite file, the command run in the test process (tests/cli.py)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from graphapp import service
from graphapp.domain.tie_labels import tier_of
from graphapp.store.sqlite.store import open_sqlite
from tests.cli import run
from tests.conftest import record, small_batch

PERSON_KEYS = {"id", "name", "linkedin_url", "email", "title"}


@pytest.fixture(scope="module")
def small_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("paths") / "g.db"
    with open_sqlite(path) as store, store.importing(record("i1")) as w:
        w.write(small_batch("i1"))
    return str(path)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "g.db"
    with open_sqlite(path) as store:
        service.load_demo(store, today=date(2026, 11, 23))
    return str(path)


def test_paths_json_has_exactly_the_documented_shape(small_db):
    result = run("paths", "--account", "globex.example.com", "--json", "--db", small_db, check=True)
    data = json.loads(result.stdout)
    assert data["account"] == {"id": "o-globex", "name": "Globex"}
    [path] = data["paths"]
    assert set(path) == {"rank", "score", "tier", "rep", "target", "hops", "explanation", "sentence"}
    order = ("weak", "medium", "strong")  # a path is as strong as its weakest hop
    assert path["tier"] == min((h["tier"] for h in path["hops"]), key=order.index)
    assert path["rank"] == 1 and 0 < path["score"] <= 1
    assert path["rep"] == {"id": "p-dana", "name": "Dana Whitfield", "linkedin_url": None, "email": "dana@example.com",
                           "title": None}
    assert path["target"]["id"] == "p-mei" and path["target"]["title"] == "VP Finance"
    assert [(h["from"]["id"], h["to"]["id"], h["kind"]) for h in path["hops"]] == [
        ("p-dana", "p-raj", "customer"), ("p-raj", "p-mei", "colleague")]
    for hop in path["hops"]:
        assert set(hop) == {"from", "to", "kind", "tier", "label", "strength", "evidence"}
        assert set(hop["from"]) == set(hop["to"]) == PERSON_KEYS
        assert 0 < hop["strength"] <= 1 and hop["evidence"]
    assert "14 messages both ways (8 from Dana Whitfield, 6 from Raj Patel)" in path["hops"][0]["evidence"][0]
    assert path["hops"][1]["from"]["linkedin_url"] == "https://www.linkedin.com/in/rajpatel"
    assert path["explanation"].startswith("Dana Whitfield -> Raj Patel (strong: CRM customer, last activity in October 2026)")
    assert "Weakest link: Raj Patel -> Mei Lin (medium)." in path["explanation"]
    assert path["sentence"] == "Dana Whitfield's customer Raj Patel worked with Mei Lin."  # the app's words


def test_hops_carry_tier_label_and_strength_in_json_and_tier_and_label_in_text(small_db):
    """A rep reads the tier and why; the number stays in `--json` (and in the evidence)."""
    [path] = json.loads(run("paths", "--account", "Globex", "--json", "--db", small_db, check=True).stdout)["paths"]
    assert [(h["tier"], h["label"], round(h["strength"], 2)) for h in path["hops"]] == [
        ("strong", "CRM customer, last activity in October 2026", 0.83), ("medium", "worked together", 0.45)]
    assert all(h["tier"] == tier_of(h["strength"]) for h in path["hops"])
    text = run("paths", "--account", "Globex", "--db", small_db, check=True).stdout
    assert ("Dana Whitfield -> Raj Patel (strong: CRM customer, last activity in October 2026) -> Mei Lin, VP Finance "
            "at Globex (medium: worked together).") in text
    assert "0.83" not in text and "0.45" not in text


def test_accounts_are_found_by_name_spelling_or_domain(small_db):
    for name in ("Globex", "globex inc.", "https://www.globex.example.com/about", "o-globex"):
        data = json.loads(run("paths", "--account", name, "--json", "--db", small_db, check=True).stdout)
        assert data["account"]["id"] == "o-globex", name


def test_an_unknown_account_exits_1_and_suggests_the_closest_names(small_db):
    result = run("paths", "--account", "Globx", "--db", small_db)
    assert result.returncode == 1
    assert result.stderr.strip() == ("graphapp: No account matches 'Globx'. Did you mean: Globex? "
                                     "`graphapp coverage` lists the target accounts.")


def test_no_path_is_an_empty_list_and_a_hint_for_people(small_db):
    data = json.loads(run("paths", "--account", "Globex", "--max-hops", "1", "--json", "--db", small_db,
                          check=True).stdout)
    assert data["paths"] == []
    text = run("paths", "--account", "Globex", "--max-hops", "1", "--db", small_db, check=True).stdout
    assert text.startswith("No warm path yet into Globex.") and "coverage" in text


def test_bad_options_and_unknown_rep_are_clear_errors(small_db):
    result = run("paths", "--account", "Globex", "--top", "0", "--db", small_db)
    assert result.returncode == 1 and "--top must be at least 1" in result.stderr
    result = run("paths", "--account", "Globex", "--rep", "nobody@example.com", "--db", small_db)
    assert result.returncode == 1 and "No rep has the e-mail nobody@example.com" in result.stderr


def test_demo_ranking_for_one_rep_is_ordered_and_starts_at_that_rep(demo_db):
    dana = "dana.whitfield@brightline.example.com"
    coverage = json.loads(run("coverage", "--json", "--db", demo_db, check=True).stdout)
    account = coverage["accounts"][0]["name"]
    data = json.loads(run("paths", "--account", account, "--rep", dana, "--top", "20", "--json", "--db", demo_db,
                          check=True).stdout)
    # Listed by score, the k-th path into one person at 0.5 ** (k-1) of its score (paths_repeat_discount).
    targets = [p["target"]["id"] for p in data["paths"]]
    listed = [p["score"] * 0.5 ** targets[:i].count(p["target"]["id"]) for i, p in enumerate(data["paths"])]
    assert listed == sorted(listed, reverse=True) and len(targets) >= 3 and len(set(targets)) < len(targets)
    assert [p["rank"] for p in data["paths"]] == list(range(1, len(targets) + 1))
    assert {p["rep"]["email"] for p in data["paths"]} == {dana}
    for p in data["paths"]:
        assert p["hops"][0]["from"]["id"] == p["rep"]["id"] and p["hops"][-1]["to"]["id"] == p["target"]["id"]
        assert len(p["hops"]) <= 3


def test_coverage_lists_every_target_account_best_first(demo_db):
    data = json.loads(run("coverage", "--json", "--db", demo_db, check=True).stdout)
    assert len(data["accounts"]) == 43
    assert set(data) == {"accounts", "uncovered", "meet_next"}
    assert data["uncovered"] == 3  # the demo's three accounts nobody reaches yet, all known to one consultant
    first = data["meet_next"][0]
    assert {k: first[k] for k in ("id", "name", "accounts")} == {
        "id": "p-consultant", "name": "Imogen Farquhar",
        "accounts": ["Kestrel Biolabs", "Northwind Freight", "Saltmarsh Energy"]}
    # The teammate who knows her, three relationships away: too far for a warm path into those accounts.
    known = first["known_by"]
    assert set(known) == {"rep", "name", "people", "tier", "sentence"}
    assert known["rep"].endswith("@brightline.example.com") and known["people"][0] == known["name"]
    assert known["people"][-1] == "Imogen Farquhar" and len(known["people"]) == 4
    assert known["sentence"].startswith(known["name"]) and "Imogen Farquhar" in known["sentence"]
    scores = [a["best_score"] for a in data["accounts"]]
    assert scores == sorted(scores, reverse=True)
    assert data["uncovered"] == sum(not a["covered"] for a in data["accounts"])
    assert all(a["best_rep"].endswith("@brightline.example.com") for a in data["accounts"] if a["covered"])
    # The tier of an account's best path is its weakest hop's: a covered account has one, an uncovered none.
    assert {a["best_tier"] for a in data["accounts"] if a["covered"]} <= {"strong", "medium", "weak"}
    assert {a["best_tier"] for a in data["accounts"] if not a["covered"]} == {None}
    text = run("coverage", "--db", demo_db, check=True).stdout.splitlines()
    assert text[0].split() == ["account", "known", "best", "tier", "best-placed", "rep"]
    first = data["accounts"][0]
    assert text[1].split()[-2:] == [first["best_tier"], first["best_rep"]]


def test_coverage_flags_uncovered_accounts_and_who_to_meet_next(small_db):
    data = json.loads(run("coverage", "--max-hops", "1", "--json", "--db", small_db, check=True).stdout)
    assert data["accounts"] == [{"id": "o-globex", "name": "Globex", "known_people": 1, "best_score": 0.0,
                                 "best_rep": None, "best_tier": None, "covered": False}]
    assert data["uncovered"] == 1
    # Mei works there and Raj knows her: each is one relationship from Globex.
    assert [(m["name"], m["accounts"]) for m in data["meet_next"]] == [("Mei Lin", ["Globex"]), ("Raj Patel", ["Globex"])]
    text = run("coverage", "--max-hops", "1", "--db", small_db, check=True).stdout
    assert "NO WARM PATH" in text and "1 of 1 target accounts have no warm path." in text


@pytest.fixture()
def fresh_db(tmp_path):
    path = tmp_path / "g.db"
    with open_sqlite(path) as store, store.importing(record("i1")) as w:
        w.write(small_batch("i1"))
    return str(path)


def _hop_strengths(db):
    [path] = json.loads(run("paths", "--account", "Globex", "--json", "--db", db, check=True).stdout)["paths"]
    return path["score"], [h["strength"] for h in path["hops"]]


def test_the_keeping_rep_overrides_a_strength_and_can_clear_it(fresh_db):
    score, strengths = _hop_strengths(fresh_db)
    assert strengths[0] != 0.97
    done = run("strength", "p-dana", "p-raj", "97%", "--rep", "dana@example.com", "--db", fresh_db, check=True)
    assert "set the strength to 0.97 on 1 relationship(s) between p-dana and p-raj" in done.stdout
    raised_score, raised = _hop_strengths(fresh_db)
    assert raised[0] == 0.97 and raised[1] == strengths[1]
    assert raised_score == pytest.approx(score * 0.97 / strengths[0], rel=1e-4)  # JSON keeps 6 decimals
    run("strength", "p-raj", "p-dana", "clear", "--rep", "dana@example.com", "--db", fresh_db, check=True)
    assert _hop_strengths(fresh_db) == (score, strengths)


def test_strength_refuses_bad_values_other_reps_and_unknown_people(fresh_db):
    bad = run("strength", "p-dana", "p-raj", "1.5", "--rep", "dana@example.com", "--db", fresh_db)
    assert bad.returncode == 1 and "A strength lies in (0, 1] (e.g. 0.8), not 1.5." in bad.stderr
    bad = run("strength", "p-dana", "p-raj", "strong", "--rep", "dana@example.com", "--db", fresh_db)
    assert bad.returncode == 1 and "not 'strong'" in bad.stderr
    bad = run("strength", "p-dana", "p-raj", "0.9", "--rep", "someone@example.com", "--db", fresh_db)
    assert bad.returncode == 1 and "No rep has the e-mail someone@example.com" in bad.stderr
    bad = run("strength", "p-dana", "p-mei", "0.9", "--rep", "dana@example.com", "--db", fresh_db)
    assert bad.returncode == 1 and "keeps no relationship between p-dana and p-mei" in bad.stderr
    bad = run("strength", "p-dana", "p-nobody", "0.9", "--rep", "dana@example.com", "--db", fresh_db)
    assert bad.returncode == 1 and "p-nobody" in bad.stderr
