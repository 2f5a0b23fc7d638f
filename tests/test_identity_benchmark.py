"""The identity benchmark at a small seed (3 reps, about 150 people): what the resolver gets right today,
and one strict xfail per known defect class, so each turns green (and fails as XPASS) when it is fixed.

The benchmark runs as a script (``python -m benchmarks.identity --json``; tests never import the
benchmarks): it writes labelled invented exports, imports them with the CLI into a fresh SQLite file and
reports, per class of row pairs of one real person, how many ended up on different stored people.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = 13  # a seed whose small world has every defect class below at least once


@pytest.fixture(scope="module")
def figures(tmp_path_factory) -> dict:
    keep = tmp_path_factory.mktemp("identity")
    done = subprocess.run([sys.executable, "-m", "benchmarks.identity", "--seeds", str(SEED), "--reps", "3",
                           "--people", "150", "--json", "--keep", str(keep)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)[0]


def apart(figures: dict, kind: str) -> int:
    """Pairs of one person's rows of this kind left on different people (the kind must occur)."""
    pairs, left_apart, _ = figures["pairs_apart"][kind]
    assert pairs > 0, f"the small world has no pair of kind {kind!r}"
    return left_apart


def test_every_generated_row_is_found_in_the_store(figures):
    store, truth = figures["store"], figures["truth"]
    assert truth["people"] > 140 and truth["rows"] > 500 and truth["imports"] == 7
    assert store["rows_without_evidence"] == 0
    assert store["org_rows_without_evidence"] == 0


def test_no_false_merge_of_people_or_organisations(figures):
    assert figures["store"]["people"]["false_pairs"] == 0
    assert figures["store"]["organizations"]["false_pairs"] == 0
    assert figures["merged_rows_carry"] == {}


def test_namesakes_at_different_companies_stay_two_people(figures):
    assert figures["store"]["namesakes_merged"] == 0


def test_the_resolver_finds_more_than_exact_keys(figures):
    store, base = figures["store"], figures["baseline"]
    assert store["people"]["recall"] > base["people"]["recall"] + 0.2
    assert store["people_count"] < base["people_count"]
    assert store["reps"] == figures["reps"]


@pytest.mark.parametrize("kind", ["shared e-mail or URL", "nickname", "accents", "company spelling",
                                  "nickname + company spelling",
                                  "e-mail at the employer's domain vs name at the employer (nickname)"])
def test_rows_the_resolver_already_joins(figures, kind):
    """Same (case-insensitive) e-mail or URL; a nickname or accents at the same company, also with a legal-suffix
    or "&"-"and" spelling of the company; here also a calendar's nickname + work address (not yet everywhere:
    ``python -m benchmarks.identity`` still shows some apart at full size)."""
    assert apart(figures, kind) == 0


def test_same_name_at_the_same_company_is_one_person(figures):
    assert apart(figures, "same name, same company") == 0


@pytest.mark.parametrize("kind", ["legal suffix", "'&' written 'and'", "with/without 'Group'"])
def test_company_spellings_the_resolver_already_joins(figures, kind):
    pairs, left_apart, _ = figures["company_spellings_apart"][kind]
    assert pairs > 0 and left_apart == 0


def test_no_rep_is_split(figures):
    assert figures["store"]["reps_split"] == 0


def test_old_messages_names_join_the_archives_connections(figures):
    assert apart(figures, "URL-less messages.csv name vs the same archive's connection") == 0


def test_work_email_domain_joins_a_name_at_the_employer(figures):
    assert apart(figures, "e-mail at the employer's domain vs name at the employer (same name)") == 0


def test_brand_only_name_joins_the_organisation_of_its_domain(figures):
    pairs, left_apart, _ = figures["company_spellings_apart"]["brand-only name (same domain)"]
    assert pairs > 0 and left_apart == 0


def test_nickname_with_brand_only_company_joins(figures):
    assert apart(figures, "nickname + brand-only company") == 0


@pytest.mark.xfail(strict=True, reason="the targets: recall >= 0.99 and exact counts of people and organisations")
def test_targets(figures):
    store, truth = figures["store"], figures["truth"]
    assert store["people"]["recall"] >= 0.99 and store["organizations"]["recall"] >= 0.99
    assert (store["people_count"], store["organization_count"]) == (truth["people"], truth["organizations"])
