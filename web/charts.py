"""Charts drawn on the server as SVG (no script, no external service): pure functions of data."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from markupsafe import Markup, escape

from jobs.status import BoardRow, TrackStatus
from knowledge.recurrence import DeadlineOccurrence

RATE_WIDTH = 480
TIMELINE_WIDTH = 600


@dataclass(frozen=True)
class UnitRate:
    unit: str
    on_time: int
    late: int
    missed: int  # overdue, not done

    @property
    def total(self) -> int:
        return self.on_time + self.late + self.missed

    @property
    def rate(self) -> float:
        return self.on_time / self.total if self.total else 0.0


def on_time_rates(rows: list[BoardRow], *, today: date) -> list[UnitRate]:
    """Per unit, among the deadlines already due this year: done on time, late, or missed.
    Deadlines not yet due do not count either way."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in rows:
        if row.occurrence.due > today or row.occurrence.due.year != today.year:
            continue
        slot = {TrackStatus.DONE_ON_TIME: 0, TrackStatus.DONE_LATE: 1}.get(row.status, 2)
        counts[row.unit_name][slot] += 1
    rates = [UnitRate(unit, *values) for unit, values in counts.items()]
    return sorted(rates, key=lambda r: (-r.rate, r.unit))


def _text(x: float, y: float, content: str, cls: str = "", anchor: str = "start") -> str:
    cls_attr = f' class="{cls}"' if cls else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{cls_attr}>{escape(content)}</text>'
    )


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def rate_chart(rates: list[UnitRate], *, year: int) -> Markup:
    """One stacked bar per unit, its name above it: on time, late, not done (a phone-sized
    drawing that scales up on a desk)."""
    if not rates:
        return Markup(f'<p class="empty">Chưa có hạn nào đến hạn trong năm {year}.</p>')
    width, left, step, bar = RATE_WIDTH, 4, 46, 16
    span = width - left - 96
    height = len(rates) * step + 8
    parts = [
        f'<svg class="chart rates" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Tỷ lệ hoàn thành đúng hạn theo đơn vị năm {year}">'
    ]
    for index, rate in enumerate(rates):
        y = 6 + index * step
        parts.append(_text(left, y + 14, _short(rate.unit, 52), "lbl"))
        parts.append(
            f'<rect class="track" x="{left}" y="{y + 20}" width="{span}" height="{bar}"/>'
        )
        x = float(left)
        for count, css, label in (
            (rate.on_time, "ontime", "đúng hạn"),
            (rate.late, "late", "quá hạn"),
            (rate.missed, "missed", "chưa xong"),
        ):
            if count:
                part = span * count / rate.total
                parts.append(
                    f'<rect class="seg {css}" x="{x:.1f}" y="{y + 20}" width="{part:.1f}" '
                    f'height="{bar}"><title>{escape(rate.unit)}: {count} {label}</title></rect>'
                )
                x += part
        parts.append(
            _text(left + span + 6, y + 33, f"{rate.rate:.0%} ({rate.on_time}/{rate.total})", "val")
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def timeline_chart(
    occurrences: list[DeadlineOccurrence], *, today: date, days: int = 90
) -> Markup:
    """The next `days` days: a date axis with one mark per deadline, stacked on busy days."""
    end = today + timedelta(days=days)
    upcoming = [o for o in occurrences if today <= o.due <= end]
    if not upcoming:
        return Markup(f'<p class="empty">Không có hạn nào trong {days} ngày tới.</p>')
    left, right = 30, TIMELINE_WIDTH - 40
    scale = (right - left) / days
    per_day: dict[date, int] = defaultdict(int)
    for occ in upcoming:
        per_day[occ.due] += 1
    stack = max(per_day.values())
    axis_y = 24 + stack * 20
    height = axis_y + 44
    parts = [
        f'<svg class="chart timeline" viewBox="0 0 {TIMELINE_WIDTH} {height}" role="img" '
        f'aria-label="Các hạn trong {days} ngày tới">',
        f'<line class="axisline" x1="{left}" y1="{axis_y}" x2="{right}" y2="{axis_y}"/>',
    ]
    day = today
    while day <= end:  # month starts and today as ticks
        if day == today or day.day == 1:
            x = left + (day - today).days * scale
            parts.append(
                f'<line class="tick" x1="{x:.1f}" y1="{axis_y - 4}" x2="{x:.1f}" '
                f'y2="{axis_y + 6}"/>'
            )
            label = "Hôm nay" if day == today else f"{day:%m/%Y}"
            anchor = "start" if day == today else ("end" if x > right - 40 else "middle")
            if day == today or x > left + 70:  # no month label over "Hôm nay"
                parts.append(_text(x, axis_y + 26, label, "axis", anchor))
        day += timedelta(days=1)
    placed: dict[date, int] = defaultdict(int)
    for occ in sorted(upcoming, key=lambda o: (o.due, o.deadline_id)):
        x = left + (occ.due - today).days * scale
        y = axis_y - 14 - placed[occ.due] * 20
        placed[occ.due] += 1
        parts.append(
            f'<a href="/han/{escape(occ.key)}"><circle class="dot" cx="{x:.1f}" cy="{y}" r="8">'
            f"<title>{occ.due:%d/%m/%Y}: {escape(occ.title)}</title></circle></a>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
