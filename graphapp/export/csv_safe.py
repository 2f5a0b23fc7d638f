"""CSV text that is safe to open in a spreadsheet: cells that a spreadsheet would run as a formula
(``=``, ``+``, ``-``, ``@``, tab, carriage return or NUL first) are neutralised with a leading ``'``.

Pure and dependency-free (standard library only), for every export and download that may end up
in Excel, LibreOffice or Google Sheets. The stored values stay verbatim; only the copy written out
changes. See OWASP, "CSV Injection".

>>> safe_cell("=HYPERLINK(\\"http://example.com\\")")
'\\'=HYPERLINK("http://example.com")'
>>> to_csv([["Name", "Note"], ["Ada", "-check"]])
"Name,Note\\r\\nAda,'-check\\r\\n"
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")
"""The first characters that make a spreadsheet treat a cell as a formula (or hide one: a reader that drops
NUL bytes would see the formula behind it). Leading spaces are not stripped: `` =1+1`` stays text."""


def safe_cell(value: object) -> str:
    """The text of one cell, neutralised when a spreadsheet would evaluate it.

    Parameters:
        value: the cell. Text starting with one of :data:`FORMULA_STARTS` gets a ``'`` in front;
            ``None`` becomes an empty cell; numbers and other values are written as ``str(value)``
            unchanged (they come from the program, not from a file, so ``-3`` stays a number).

    Returns:
        The text to write.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    return str(value)


def to_csv(rows: Iterable[Sequence[object]], header: Sequence[str] | None = None) -> str:
    """Rows as CSV text with every cell passed through :func:`safe_cell`.

    Parameters:
        rows: the data rows, each a sequence of cells.
        header: column names written first (neutralised like any other cell), or None for none.

    Returns:
        The CSV text (RFC 4180 quoting, CRLF line ends). Encode it as ``utf-8-sig`` for Excel to
        recognise UTF-8.
    """
    out = io.StringIO()
    writer = csv.writer(out)
    if header is not None:
        writer.writerow([safe_cell(h) for h in header])
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return out.getvalue()
