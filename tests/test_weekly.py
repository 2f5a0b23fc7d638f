"""The weekly list's rules (pure): de-duplication, the ask budget and rotation, cadence, exports."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphapp.domain.intros import next_states, willingness_factor
from graphapp.domain.weekly import Candidate, Contact, Rules, cadence_items, select_intros, week_of, week_start
from graphapp.errors import InputError
from graphapp.export.weekly import weekly_csv, weekly_html, weekly_markdown
from graphapp.model import IntroEvent, IntroRequest, IntroState

MONDAY = date(2026, 11, 30)
NOW = datetime(2026, 11, 30, tzinfo=UTC)


def cand(score, target, connector=None, account="o1", customer=False, new=False) -> Candidate:
    person = {"id": target, "name": target.upper(), "title": None}
    rep = {"id": "rep", "name": "Rep"}
    if connector is None:
        hops = [{"from": rep, "to": person, "kind": "met", "strength": 0.5}]
    else:
        middle = {"id": connector, "name": connector.upper()}
        hops = [{"from": rep, "to": middle, "kind": "customer", "strength": 0.8},
                {"from": middle, "to": person, "kind": "knows", "strength": 0.5}]
    return Candidate(score, {"score": score, "rep": rep, "target": person, "hops": hops}, account, customer, new)


def intro(target, connector, state, day, rep="a@x.example.com", score=0.5, events=None) -> IntroRequest:
    events = events or ((state, day),)
    return IntroRequest(f"i-{target}-{connector}-{state.value}-{day}", rep, "o1", connector, target, score, {}, None,
                        state, NOW, NOW, tuple(IntroEvent(s, d, "t", NOW) for s, d in events))


def run(streams, intros=(), rules=None):
    return select_intros({rep: iter(cs) for rep, cs in streams.items()}, list(intros), MONDAY, rules or Rules())


def test_weeks_are_iso_weeks_and_a_bad_one_is_refused():
    assert week_start("2026-W49") == MONDAY and week_of(MONDAY + timedelta(days=6)) == "2026-W49"
    with pytest.raises(InputError, match="like 2026-W48"):
        week_start("2026-49")


def test_open_requests_recent_declines_and_recent_suggestions_are_skipped():
    history = [intro("t1", "c9", IntroState.REQUESTED, MONDAY - timedelta(days=100)),
               intro("t2", "c9", IntroState.DECLINED, MONDAY - timedelta(days=89)),
               intro("t3", "c9", IntroState.DECLINED, MONDAY - timedelta(days=91)),
               intro("t4", "t4", IntroState.SUGGESTED, MONDAY - timedelta(days=14), score=0.5),
               intro("t5", "t5", IntroState.SUGGESTED, MONDAY - timedelta(days=14), score=0.5)]
    chosen = run({"a@x.example.com": [cand(0.9, "t1"), cand(0.8, "t2"), cand(0.7, "t3"), cand(0.55, "t4"),
                                      cand(0.61, "t5")]}, history)
    assert [c.target for c in chosen["a@x.example.com"]] == ["t3", "t5"]  # t5 got 20% better, t4 did not


def test_a_target_goes_to_one_rep_a_week_and_customer_accounts_only_for_newcomers():
    chosen = run({"a@x.example.com": [cand(0.9, "t1"), cand(0.5, "t2", account="c", customer=True)],
                  "b@x.example.com": [cand(0.8, "t1"), cand(0.4, "t3", account="c", customer=True, new=True)]})
    assert [c.target for c in chosen["a@x.example.com"]] == ["t1"]
    assert [c.target for c in chosen["b@x.example.com"]] == ["t3"]


def test_a_connector_is_asked_at_most_the_budget_and_equal_paths_rotate():
    history = [intro("old", "c1", IntroState.REQUESTED, MONDAY - timedelta(days=3))]
    streams = {"a@x.example.com": [cand(0.9, "t1", "c1"), cand(0.9, "t2", "c2"), cand(0.8, "t3", "c1"),
                                   cand(0.7, "t4", "c1"), cand(0.6, "t5", "c2")]}
    chosen = run(streams, history, Rules(budget=2))
    # c1 already has one ask: of the two 0.90 paths, c2's goes first; c1 then gets one more ask, no third.
    assert [(c.target, c.connector) for c in chosen["a@x.example.com"]] == [
        ("t2", "c2"), ("t1", "c1"), ("t5", "c2")]


@st.composite
def worlds(draw):
    targets = [f"t{i}" for i in range(draw(st.integers(1, 12)))]
    connectors = [f"c{i}" for i in range(draw(st.integers(1, 4)))] + [None]
    reps = [f"r{i}@x.example.com" for i in range(draw(st.integers(1, 3)))]
    streams = {}
    for rep in reps:
        cs = [cand(draw(st.sampled_from([0.2, 0.4, 0.4, 0.6, 0.9])), draw(st.sampled_from(targets)),
                   draw(st.sampled_from(connectors)), customer=draw(st.booleans()), new=draw(st.booleans()))
              for _ in range(draw(st.integers(0, 12)))]
        streams[rep] = sorted(cs, key=lambda c: -c.score)
    states = [IntroState.SUGGESTED, IntroState.REQUESTED, IntroState.DECLINED, IntroState.INTRODUCED]
    history = [intro(draw(st.sampled_from(targets)), draw(st.sampled_from(connectors[:-1])), s,
                     MONDAY - timedelta(days=draw(st.integers(1, 120))), rep=draw(st.sampled_from(reps)),
                     score=draw(st.sampled_from([0.2, 0.5])))
               for s in draw(st.lists(st.sampled_from(states), max_size=8))]
    return streams, history, Rules(per_rep=draw(st.integers(1, 5)), budget=draw(st.integers(1, 3)))


@settings(max_examples=200, deadline=None)
@given(worlds())
def test_every_rule_holds_on_random_histories(world):
    streams, history, rules = world
    chosen = run(streams, history, rules)
    assert chosen == run(streams, history, rules)  # deterministic
    picked = [c for cs in chosen.values() for c in cs]
    assert len({c.target for c in picked}) == len(picked)  # once per week across the team
    open_ = {i.target_id for i in history if i.state in (IntroState.REQUESTED, IntroState.INTRODUCED)}
    declined = {i.target_id for i in history if i.state is IntroState.DECLINED and (MONDAY - i.events[0].day).days <= 90}
    asks = {}
    for i in history:
        if i.state is IntroState.REQUESTED and (MONDAY - i.events[0].day).days <= 30:
            asks[i.connector_id] = asks.get(i.connector_id, 0) + 1
    for rep, cs in chosen.items():
        assert len(cs) <= rules.per_rep
        rounded = [round(c.score, 2) for c in cs]
        assert rounded == sorted(rounded, reverse=True)
        for c in cs:
            assert c.target not in open_ and c.target not in declined
            assert not c.customer_account or c.new_at_account
            earlier = [i.score for i in history if i.state is IntroState.SUGGESTED and i.rep_email == rep
                       and i.target_id == c.target and (MONDAY - i.events[0].day).days <= 28]
            assert not earlier or c.score >= max(earlier) * 1.2
    for connector in {c.connector for c in picked if c.connector}:
        assert asks.get(connector, 0) + sum(c.connector == connector for c in picked) <= max(rules.budget, asks.get(connector, 0))
    # Nothing allowed was left out while a rep's list had room.
    for rep, cs in chosen.items():
        if len(cs) < rules.per_rep:
            for c in streams[rep]:
                if c not in cs and c.target not in open_ | declined and (not c.customer_account or c.new_at_account):
                    blocked = (c.target in {p.target for p in picked}
                               or (c.connector and asks.get(c.connector, 0)
                                   + sum(p.connector == c.connector for p in picked) >= rules.budget)
                               or any(i.state is IntroState.SUGGESTED and i.rep_email == rep and i.target_id == c.target
                                      and (MONDAY - i.events[0].day).days <= 28 and c.score < i.score * 1.2
                                      for i in history))
                    assert blocked, (rep, c.target)


def test_cadence_items_for_a_fixed_day():
    items = cadence_items(
        MONDAY,
        influencers=[Contact("p1", "Ivy Ng", "CPA at Ledger & Co", MONDAY - timedelta(days=120)),
                     Contact("p2", "Al Roe", None, MONDAY - timedelta(days=30)),
                     Contact("p3", "Bo Li", None, None)],
        customers=[Contact("p4", "Cy Dee", "CFO at Acme", MONDAY - timedelta(days=200)),
                   Contact("p5", "Di Eve", None, MONDAY - timedelta(days=10))],
        partners=[(Contact("p6", "Ed Fox", "AE at Partnerly", None), ["Globex", "Initech"])],
        moves=[("Flo Gee", "Globex", "VP Finance", "Initech")])
    assert [i.reason for i in items] == [
        "Touch base with Bo Li: circle of influence, once a quarter; last contact never.",
        "Touch base with Ivy Ng (CPA at Ledger & Co): circle of influence, once a quarter; last contact 2026-08-02 "
        "(120 days ago).",
        "Ask Cy Dee (CFO at Acme) for a referral: customers twice a year; last asked 2026-05-14 (200 days ago).",
        "Compare target lists with Ed Fox (AE at Partnerly): they know people at Globex, Initech.",
        "Flo Gee moved to Globex as VP Finance (was at Initech): congratulate them and reconnect."]
    assert all(i.kind == "cadence" and i.score is None and i.path is None for i in items)


def test_the_intro_workflow_moves_forward_only():
    assert next_states(IntroState.REQUESTED)[:2] == (IntroState.ACCEPTED, IntroState.DECLINED)
    assert next_states(IntroState.WON) == () and IntroState.REQUESTED not in next_states(IntroState.MEETING)
    assert willingness_factor(0, 0) == 1.0 and willingness_factor(2, 0) == pytest.approx(1.3)
    assert willingness_factor(0, 2) == 0.5 and willingness_factor(10, 0, 10) == 1.6


def _data(reason="=HYPERLINK(\"http://evil.example.com\")", name="<script>alert(1)</script>"):
    path = {"rep": {"name": name}, "target": {"name": "Mei", "title": "+CFO"},
            "hops": [{"to": {"name": "@Raj"}}, {"to": {"name": "Mei"}}]}
    rep = {"id": "p1", "name": name, "email": "a@x.example.com"}
    return {"week": "2026-W49", "reps": [{"rep": rep, "items": [
        {"kind": "intro", "reason": reason, "score": 0.5, "path": path, "draft": "-1 thing\n<b>hi</b>"},
        {"kind": "cadence", "reason": "Touch base with <Ivy>", "score": None, "path": None, "draft": None}]}]}


def test_csv_neutralises_formulas_and_html_escapes_every_value():
    data = _data()
    csv_text = weekly_csv(data)
    assert "'=HYPERLINK" in csv_text and "'@Raj" in csv_text and "'+CFO" in csv_text and "'-1 thing" in csv_text
    assert "\n=" not in csv_text and ",=" not in csv_text
    page = weekly_html(data, data["reps"][0]["rep"], data["reps"][0]["items"])
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;hi&lt;/b&gt;" in page and "&lt;Ivy&gt;" in page
    md = weekly_markdown(data)
    assert md.startswith("# Suggested introductions, week 2026-W49") and "Cadence:" in md


@settings(max_examples=150, deadline=None)
@given(worlds(), st.data())
def test_a_reps_private_paths_never_change_a_teammates_list(world, data):
    streams, history, rules = world
    marked = {rep: [Candidate(c.score, c.path, c.account_id, c.customer_account, c.new_at_account,
                              private=data.draw(st.booleans())) for c in cs] for rep, cs in streams.items()}
    owner = data.draw(st.sampled_from(sorted(marked)))
    without = {rep: [c for c in cs if rep != owner or not c.private] for rep, cs in marked.items()}
    with_private, without_private = run(marked, history, rules), run(without, history, rules)
    for rep in marked:
        if rep != owner:
            assert with_private[rep] == without_private[rep]
