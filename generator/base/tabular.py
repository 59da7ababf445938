"""CSV files that a spreadsheet opens as data, never as formulas.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by
spreadsheet programs as a formula (``=HYPERLINK(...)`` can send data away, ``@SUM(...)``
computes). Every such text cell gets a leading single quote, as OWASP advises for CSV
injection, so it is shown as written. Numbers are written as numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` as a CSV cell a spreadsheet shows as text (numbers stay numbers); a line break
    inside a cell is a newline, which the cell's quotes keep inside it."""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_STARTS):
        value = "'" + value
    return value.replace("\r\n", "\n").replace("\r", "\n")


def csv_text(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> str:
    """A CSV document (one header row, then ``rows``) with every text cell made safe."""
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\n")
    out.writerow([safe_cell(h) for h in header])
    for row in rows:
        out.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()
