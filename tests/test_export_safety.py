"""Exports against spreadsheet formulas and script (EXP-1, EXP-2; cases 12, 13, 14): every trigger
character (NUL included) in every text cell of every CSV the app or the CLI writes, leading-whitespace
variants, RFC 4180 quoting, and HTML that escapes everything and links nothing (no ``javascript:`` link)."""

from __future__ import annotations

import csv
import html
import io

import pytest

from graphapp.export.csv_safe import safe_cell, to_csv
from graphapp.export.weekly import CSV_HEADER, weekly_csv, weekly_html, weekly_markdown

TRIGGERS = ["=", "+", "-", "@", "\t", "\r", "\0"]
PAYLOADS = ['=HYPERLINK("http://x")', "+1+1", "-2", "@SUM(A1)", "\t=1", "\r=1", "\0=1",
            "=cmd|' /C calc'!A0", "+44 20 7946 0000"]  # a phone number gets the quote too (documented)


def read(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("trigger", TRIGGERS)
def test_every_trigger_character_is_neutralised_and_round_trips(trigger):
    cell = f"{trigger}1+1"
    assert safe_cell(cell) == "'" + cell
    [[back]] = read(to_csv([[cell]]))
    assert back == "'" + cell  # the reader gets the quoted text, all of it


@pytest.mark.parametrize("cell", [" =1+1", "  +1", "\u00a0=1+1", "\n=1+1", "x=1", "1-2", "'=already quoted"])
def test_leading_whitespace_variants_stay_text_as_decided(cell):
    # The project does not strip whitespace (a value is written as stored), so a cell starting with a space,
    # a no-break space or a line feed is text to a spreadsheet already and is written verbatim.
    [[back]] = read(to_csv([[cell]]))
    assert back == cell


def test_rfc_4180_quoting_of_commas_quotes_and_line_breaks():
    row = ['a,b', 'say "hi"', "two\r\nlines", "=x,\"y\""]
    text = to_csv([row])
    assert text == '"a,b","say ""hi""","two\r\nlines","\'=x,""y"""\r\n'
    assert read(text) == [["a,b", 'say "hi"', "two\r\nlines", "'=x,\"y\""]]


def weekly(value: str) -> dict:
    """A weekly list with ``value`` in every text field a file shows."""
    path = {"rep": {"name": value}, "target": {"name": value, "title": value},
            "hops": [{"to": {"name": value}}, {"to": {"name": value}}]}
    rep = {"id": "p1", "name": value, "email": value}
    return {"week": "2026-W49", "reps": [{"rep": rep, "items": [
        {"kind": "intro", "reason": value, "score": 0.5, "path": path, "draft": value},
        {"kind": "cadence", "reason": value, "score": None, "path": None, "draft": None}]}]}


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_text_cell_of_the_weekly_csv_is_neutralised(payload):
    rows = read(weekly_csv(weekly(payload)))
    assert rows[0] == list(CSV_HEADER)
    text_columns = ("rep", "rep_email", "reason", "connector", "target", "target_title", "draft")
    for row in rows[1:]:
        cells = dict(zip(CSV_HEADER, row, strict=True))
        for column in text_columns:
            if cells[column]:
                assert cells[column] == "'" + payload, (column, cells[column])
        assert not cells["score"].startswith(tuple(TRIGGERS))


HOSTILE = ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>alert(1)</script>",
           "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "https://www.linkedin.com/in/ada",
           "vbscript:msgbox(1)", "<a href='javascript:alert(1)'>x</a>"]


@pytest.mark.parametrize("value", HOSTILE)
def test_the_weekly_html_escapes_everything_and_links_nothing(value):
    data = weekly(value)
    page = weekly_html(data, data["reps"][0]["rep"], data["reps"][0]["items"])
    assert html.escape(value) in page  # shown as its literal text
    markup = page.replace(html.escape(value), "").lower()  # what the page itself says, values taken out
    for tag in ("<a ", "href", "<script", "<img", "onerror", "javascript:", "data:", "vbscript:"):
        assert tag not in markup, tag  # no link at all, so no javascript: or data: link


def test_markdown_is_plain_text_for_a_mail_or_a_wiki():
    md = weekly_markdown(weekly("javascript:alert(1)"))
    assert "](" not in md  # no Markdown link is made from a value
