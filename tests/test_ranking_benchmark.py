"""The ranking-quality benchmark at a small seed (3 reps, 300 people, about 30 target accounts): floors loose
enough never to flake, a test per class of cold evidence (none makes a path), and a strict xfail for the
targets still missed, so it turns green (and fails as XPASS) when they are met.

The benchmark runs as a script (``python -m benchmarks.ranking_quality --json``; tests never import the
benchmarks): it renders a hidden team world into invented exports, imports them with the CLI into a
fresh SQLite file, ranks every target account as ``graphapp paths --json`` does (the service, in the
benchmark's process) and scores the lists against the true value of each path, and counts the champions who
moved that open the reps' weekly lists (as ``graphapp weekly --json`` makes them).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = 5


@pytest.fixture(scope="module")
def figures(tmp_path_factory) -> dict:
    keep = tmp_path_factory.mktemp("ranking")
    done = subprocess.run([sys.executable, "-m", "benchmarks.ranking_quality", "--seeds", str(SEED), "--reps", "3",
                           "--people", "300", "--json", "--keep", str(keep)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)[0]


def test_every_target_account_is_ranked_and_some_have_paths(figures):
    product = figures["scores"]["product"]
    assert figures["accounts"] >= 20 and figures["imports"] == 7
    assert product["coverage"] > 0 and product["paths"] > 0


def test_no_path_repeats_a_person(figures):
    assert figures["scores"]["product"]["repeated"] == 0


def test_the_oracle_uses_only_true_ties_and_the_scores_are_in_range(figures):
    """The scoring itself: the oracle walks true ties only, and every figure is a share."""
    assert figures["scores"]["oracle"]["fake_share"] == 0
    assert figures["scores"]["oracle"]["regret"] < 0.05
    for scores in figures["scores"].values():
        assert 0 <= scores["ndcg"] <= 1 and 0 <= scores["person_ndcg"] <= 1 and 0 <= scores["regret"] <= 1


def test_the_product_ranks_better_than_the_fewest_hops_baseline(figures):
    scores = figures["scores"]
    assert scores["product"]["ndcg"] > scores["fewest hops"]["ndcg"] - 0.1


def test_most_champions_who_moved_open_their_reps_weekly_list(figures):
    """The world's customer contacts who moved to a target account (two per rep): the weekly list of the rep
    who had them opens with them."""
    champions = figures["champions"]
    assert champions["moves"] == 6
    assert champions["share"] >= 0.5 and champions["lines"] >= champions["surfaced"]


def test_cold_crm_leads_make_no_path(figures):
    assert figures["fake_hops_rest_on"].get("cold-lead", 0) == 0


def test_unanswered_invitations_make_no_path(figures):
    assert figures["fake_hops_rest_on"].get("needs-action", 0) == 0


def test_one_way_inmails_make_no_path(figures):
    assert figures["fake_hops_rest_on"].get("inmail", 0) == 0


def test_declined_invitations_and_pending_outgoing_invitations_make_no_path(figures):
    assert figures["fake_hops_rest_on"].get("declined", 0) == 0
    assert figures["fake_hops_rest_on"].get("pending-out", 0) == 0


def test_few_paths_rest_on_a_tie_that_does_not_exist(figures):
    assert figures["scores"]["product"]["fake_share"] <= 0.05  # the target, met

@pytest.mark.xfail(strict=True, reason="per-person NDCG@10 >= 0.95 x the oracle's and regret@1 within 0.03 of the "
                                       "oracle's are not met yet (0.89-0.92 x, 0.05-0.07: within-kind strength)")
def test_targets(figures):
    product, oracle = figures["scores"]["product"], figures["scores"]["oracle"]
    assert product["fake_share"] <= 0.05
    assert product["person_ndcg"] >= 0.95 * oracle["person_ndcg"]
    assert product["regret"] <= oracle["regret"] + 0.03
