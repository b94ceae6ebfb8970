"""Tables in a PDF's text layer, read from pypdf's layout text (columns kept as spaces).

A PDF has no table objects: a task catalogue is words placed in columns. In layout mode the
columns survive as runs of spaces, so a header line ("TT  Nội dung  Đơn vị chủ trì …") gives
the column starts, blank lines separate rows, and each row's words are gathered per column
(a cell wrapped on several lines, even above the row number, stays one cell).
"""

from __future__ import annotations

import re

from knowledge.normalize import fold

_SEGMENT = re.compile(r"\S+(?: \S+)*")  # words separated by single spaces
_HEADER_WORDS = re.compile(r"\b(chu tri|noi dung|nhiem vu|phoi hop|thoi gian|thoi han)\b")
_ROW_NUMBER = re.compile(r"^\(?([0-9]{1,3}|[ivxlc]{1,5}|[a-zđ])[.)]?$", re.IGNORECASE)
_TOLERANCE = 3  # a cell may start a little left of its header


def segments(line: str) -> list[tuple[int, str]]:
    """(start column, text) of each run of words separated by two or more spaces."""
    out: list[tuple[int, str]] = []
    for match in _SEGMENT.finditer(line):
        out.append((match.start(), match.group()))
    return out


def _is_header(line: str) -> bool:
    segs = segments(line)
    return len(segs) >= 3 and len(_HEADER_WORDS.findall(fold(line))) >= 2


def _header_block(lines: list[str], at: int) -> tuple[int, int]:
    """First and one-past-last line of the header around line `at` (non-blank neighbours)."""
    start = at
    starts = [col for col, _ in segments(lines[at])]
    while (
        start > 0
        and lines[start - 1].strip()
        and len(segments(lines[start - 1])) <= 3
        and _within_columns(lines[start - 1], starts)
    ):
        start -= 1
    end = at + 1
    while end < len(lines) and lines[end].strip() and not _numbered(lines[end]):
        end += 1
    return start, end


def _within_columns(line: str, starts: list[int]) -> bool:
    """Whether every run of words in the line stays inside one column of the header line: a
    wrapped header cell ("Thời gian hoàn" above "thành") does, a line of prose above the table
    ("DANH MỤC NHIỆM VỤ …", the signer's name) runs across the columns and does not."""
    for start, text in segments(line):
        end = start + len(text)
        if any(start + _TOLERANCE < col < end for col in starts):
            return False
    return True


def _numbered(line: str) -> bool:
    segs = segments(line)
    return bool(segs) and segs[0][0] <= 1 and bool(_ROW_NUMBER.match(segs[0][1]))


def _columns(header: list[str]) -> list[int]:
    starts = sorted({start for line in header for start, _ in segments(line)})
    merged: list[int] = []
    for start in starts:
        if merged and start - merged[-1] <= _TOLERANCE:
            continue
        merged.append(start)
    return merged


def _cells(lines: list[str], columns: list[int]) -> list[str]:
    cells: list[list[str]] = [[] for _ in columns]
    for line in lines:
        for start, text in segments(line):
            index = max(
                (i for i, col in enumerate(columns) if col <= start + _TOLERANCE), default=0
            )
            cells[index].append(text)
    return [" ".join(parts) for parts in cells]


def _row_groups(lines: list[str]) -> list[list[str]]:
    """Rows: groups of lines between blank lines, split again where a second row number starts."""
    groups: list[list[str]] = [[]]
    for line in lines:
        if not line.strip():
            if groups[-1]:
                groups.append([])
            continue
        if _numbered(line) and any(_numbered(x) for x in groups[-1]):
            groups.append([])
        groups[-1].append(line)
    return [g for g in groups if g]


def split_page(layout: str) -> tuple[list[str], list[list[str]] | None, list[str]]:
    """(text lines before the table, table rows with the header first, text lines after);
    rows None when the page holds no table."""
    lines = layout.split("\n")
    at = next((i for i, line in enumerate(lines) if _is_header(line)), None)
    if at is None:
        return lines, None, []
    start, end = _header_block(lines, at)
    columns = _columns(lines[start:end])
    rows = [_cells(lines[start:end], columns)]
    body_end = len(lines)
    for i in range(end, len(lines)):
        segs = segments(lines[i])
        if len(segs) == 1 and segs[0][0] == 0 and len(segs[0][1]) > 60:  # prose again
            body_end = i
            break
    rows.extend(_cells(group, columns) for group in _row_groups(lines[end:body_end]))
    return lines[:start], rows, lines[body_end:]
