"""Spreadsheet-safe CSV: formula cells neutralised, everything else written verbatim and read back intact."""

from __future__ import annotations

import csv
import doctest
import io

import pytest

from graphapp.export import csv_safe
from graphapp.export.csv_safe import FORMULA_STARTS, safe_cell, to_csv
from tests.ingest.helpers import SAMPLES


@pytest.mark.parametrize("cell", ["=1+1", "+1 555 0100", "-2+3", "@SUM(A1:A2)", "\t=cmd", "\r=cmd",
                                  '=HYPERLINK("http://example.com/x","click")', "=", "-"])
def test_a_cell_a_spreadsheet_would_evaluate_gets_a_leading_quote(cell):
    assert safe_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Ada Lovelace", "ada@example.com", "", " =not first", "1+1", "a=b", "'quoted",
                                  "Ünïcödé", "line\nbreak"])
def test_other_text_is_kept_verbatim(cell):
    assert safe_cell(cell) == cell


@pytest.mark.parametrize("value,text", [(None, ""), (-3, "-3"), (12, "12"), (0.5, "0.5"), (True, "True")])
def test_values_that_are_not_text_are_written_as_they_are(value, text):
    assert safe_cell(value) == text


def test_the_formula_starts_are_exactly_the_documented_seven():
    assert set(FORMULA_STARTS) == {"=", "+", "-", "@", "\t", "\r", "\0"}


def test_to_csv_writes_a_header_and_rows_that_read_back_neutralised():
    text = to_csv([["sheet.csv", 3, "=cmd|' /C calc'!A0"], ["sheet.csv", None, 'a "quoted", comma']],
                  header=["file", "row", "reason"])
    assert list(csv.reader(io.StringIO(text))) == [
        ["file", "row", "reason"],
        ["sheet.csv", "3", "'=cmd|' /C calc'!A0"],
        ["sheet.csv", "", 'a "quoted", comma'],
    ]
    assert text.endswith("\r\n")


def test_to_csv_without_a_header_and_without_rows():
    assert to_csv([]) == ""
    assert to_csv([], header=["-a", "b"]) == "'-a,b\r\n"
    assert to_csv(iter([("x",)])) == "x\r\n"


def test_the_formula_sample_round_trips_with_every_dangerous_cell_neutralised():
    rows = list(csv.reader(io.StringIO((SAMPLES / "edge" / "formula_cells.csv").read_text(encoding="utf-8"))))
    out = list(csv.reader(io.StringIO(to_csv(rows))))
    assert len(out) == len(rows)
    dangerous = 0
    for original, written in zip((c for r in rows for c in r), (c for r in out for c in r), strict=True):
        if original.startswith(FORMULA_STARTS):
            dangerous += 1
            assert written == "'" + original
        else:
            assert written == original
    assert dangerous >= 4  # the sample has =, +, - and @ cells


def test_the_module_examples_run():
    assert doctest.testmod(csv_safe).failed == 0
