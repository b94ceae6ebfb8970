"""The one CSV encoding of every export (UTF-8 with BOM, so Excel shows Vietnamese correctly),
and the one writer, which neutralises spreadsheet formulas (OWASP "CSV injection")."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from typing import Any, TextIO

CSV_ENCODING = "utf-8-sig"

# A cell starting with one of these is run as a formula by Excel/LibreOffice (OWASP list).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """The cell's text, with a single quote in front when a spreadsheet would run it as a formula.

    Following OWASP, every cell that starts with =, +, -, @, tab or carriage return is prefixed,
    whatever follows (a "-5" too): the quote is what makes Excel show the text instead of
    evaluating it. Any other text is written unchanged.
    """
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


class SafeCsvWriter:
    """csv.writer whose every cell goes through safe_cell."""

    def __init__(self, out: TextIO) -> None:
        self._writer = csv.writer(out)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([safe_cell(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(out: TextIO) -> SafeCsvWriter:
    """The writer every CSV the bot produces must use (never csv.writer directly)."""
    return SafeCsvWriter(out)


def csv_bytes(write: Callable[[TextIO], object]) -> bytes:
    """Run a CSV writer (e.g. jobs.audit.write_audit_csv) into memory and encode it for a file."""
    buffer = io.StringIO(newline="")
    write(buffer)
    return buffer.getvalue().encode(CSV_ENCODING)
