"""The time column of a task catalogue, in the wordings plans use, read as deadline rules."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.ingest.deadlines import find_rules
from knowledge.models import RecurrenceKind

ONCE, YEARLY = RecurrenceKind.ONCE, RecurrenceKind.YEARLY


def rules(cell: str) -> list[tuple[object, ...]]:
    return [
        (f.rule.kind, f.rule.due_date, f.rule.month, f.rule.day)
        for f in find_rules(cell, cue_optional=True)
    ]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Quý I/2026", [(ONCE, date(2026, 3, 31), None, None)]),
        ("Tháng 6/2026", [(ONCE, date(2026, 6, 30), None, None)]),
        ("Trước ngày 15/12 hằng năm", [(YEARLY, None, 12, 15)]),
        ("30/11/2026", [(ONCE, date(2026, 11, 30), None, None)]),
        ("Quý IV hằng năm", [(YEARLY, None, 12, 31)]),
        ("Tháng 6 và tháng 12 hằng năm", [(YEARLY, None, 6, 30), (YEARLY, None, 12, 31)]),
        (
            "Quý I và Quý III/2026",
            [(ONCE, date(2026, 3, 31), None, None), (ONCE, date(2026, 9, 30), None, None)],
        ),
        (
            "Quý II, III/2026",
            [(ONCE, date(2026, 6, 30), None, None), (ONCE, date(2026, 9, 30), None, None)],
        ),
        (
            "Tháng 3, 6/2026",
            [(ONCE, date(2026, 3, 31), None, None), (ONCE, date(2026, 6, 30), None, None)],
        ),
        # a range is due at its end
        ("Từ tháng 3 đến tháng 6/2026", [(ONCE, date(2026, 6, 30), None, None)]),
        ("Tháng 11/2026 - Tháng 12/2026", [(ONCE, date(2026, 12, 31), None, None)]),
        ("15/11 - 15/12/2026", [(ONCE, date(2026, 12, 15), None, None)]),
        ("Đến hết ngày 30/6/2026", [(ONCE, date(2026, 6, 30), None, None)]),
        # no date to remind of
        ("Thường xuyên", []),
        ("Hằng quý", []),
        ("Cả năm 2026", []),
    ],
)
def test_time_cell(cell: str, expected: list[tuple[object, ...]]) -> None:
    assert rules(cell) == expected


def test_lists_and_yearly_months_are_table_wordings_only() -> None:
    """In prose, "hội nghị vào tháng 6 và tháng 12 hằng năm" is an event, not a deadline."""
    assert find_rules("Tổ chức hội nghị vào tháng 6 và tháng 12 hằng năm.") == []
