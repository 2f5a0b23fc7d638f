"""The weekly files a rep forwards lead with each suggestion's tier in words, as the pages do; the score,
with the pages' two decimals, is in the CSV only (issue 23, item 3)."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

from graphapp import service
from graphapp.export.weekly import weekly_csv, weekly_html, weekly_markdown


def test_the_weekly_files_lead_with_the_tier_and_keep_the_score_in_the_csv(demo_file):
    with service.open_graph(str(demo_file), create=False) as store:
        data = service.weekly_lists(store, week="2026-W48", record=False, today=date(2026, 11, 23)).as_dict()
    intros = [i for r in data["reps"] for i in r["items"] if i["kind"] == "intro"]
    assert len(intros) > 10
    text = weekly_markdown(data)
    numbered = [line for line in text.splitlines() if re.match(r"\d+\. ", line)]
    assert len(numbered) == len(intros)
    assert all(re.match(r"\d+\. \*\*▰[▰▱]{2} (strong|medium|weak)\*\* ", line) for line in numbered), numbered[:3]
    assert not re.search(r"\b0\.\d{3}\b", text)
    rep = data["reps"][0]
    page = weekly_html(data, rep["rep"], rep["items"])
    assert re.search(r"<span class='score'>▰[▰▱]{2} (strong|medium|weak)</span>", page)
    rows = list(csv.DictReader(io.StringIO(weekly_csv(data))))
    scores = [r["score"] for r in rows if r["kind"] == "intro"]
    assert scores and all(re.fullmatch(r"\d\.\d{2}", s) for s in scores)


def test_a_reps_page_is_named_by_their_name_in_plain_letters_never_an_id():
    from graphapp.export.weekly import weekly_html_name

    assert weekly_html_name("2026-W50", {"id": "p-123", "name": "Zoë O'Brien-Núñez"}) == "weekly-2026-W50-zoe-o-brien-nunez.html"
    assert weekly_html_name("2026-W50", {"id": "p-123", "name": "../../etc/passwd"}) == "weekly-2026-W50-etc-passwd.html"
    assert weekly_html_name("2026-W50", {"id": "p-123", "name": "李雷"}) == "weekly-2026-W50-rep.html"
