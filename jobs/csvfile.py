"""The one CSV encoding of every export (UTF-8 with BOM, so Excel shows Vietnamese correctly)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TextIO

CSV_ENCODING = "utf-8-sig"


def csv_bytes(write: Callable[[TextIO], object]) -> bytes:
    """Run a CSV writer (e.g. jobs.audit.write_audit_csv) into memory and encode it for a file."""
    buffer = io.StringIO(newline="")
    write(buffer)
    return buffer.getvalue().encode(CSV_ENCODING)
