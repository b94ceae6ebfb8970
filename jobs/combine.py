"""Combine the reminders one chat has due in a tick into one message, within the channel limit."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from knowledge.recurrence import join_titles

# Characters per message when the channel's own limit is not given (the smallest platform's).
DEFAULT_LIMIT = 1900

# Line prefixes of planner.reminder_text, the only producer of reminder texts.
_HEADS = {"Nhắc hạn: ": False, "QUÁ HẠN: ": True}
_UNIT = "Đơn vị: "
_SOURCE = ("Nguồn: ", "Trích: ")
_DONE_HINT = "Khi đơn vị đã hoàn thành"
_OVERDUE_NOTE = "Đây là thông báo quá hạn duy nhất"

T = TypeVar("T")


def limit_for(channel: str, limits: Mapping[str, int]) -> int:
    """A channel's message limit, from the channel descriptions the caller passes as data."""
    return limits.get(channel, DEFAULT_LIMIT)


@dataclass(frozen=True)
class _Item:
    title: str
    overdue: bool
    unit: str
    details: tuple[str, ...]  # "Hạn: …" and any other line of the single text
    source: tuple[str, ...]  # "Nguồn: …", "Trích: …"


def _parse(text: str) -> _Item | None:
    """Split one reminder text into its parts; None if it is not a reminder text."""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return None
    head = next((h for h in _HEADS if lines[0].startswith(h)), None)
    if head is None:
        return None
    unit, details, source = "", [], []
    for line in lines[1:]:
        if line.startswith(_UNIT):
            unit = line[len(_UNIT) :]
        elif line.startswith(_SOURCE):
            source.append(line)
        elif not line.startswith((_DONE_HINT, _OVERDUE_NOTE)):
            details.append(line)
    return _Item(lines[0][len(head) :], _HEADS[head], unit, tuple(details), tuple(source))


def combine_texts(texts: Sequence[str]) -> str:
    """One message for several reminders of one chat: each item with its due date, days left
    and source once, the unit and the /xong hint once. A single text is returned unchanged."""
    if len(texts) == 1:
        return texts[0]
    items = [_parse(t) for t in texts]
    if any(item is None for item in items):  # not reminder texts: keep them whole, one per block
        return "\n\n".join(texts)
    parsed = merge_same_obligation([i for i in items if i is not None])
    if len(parsed) == 1:
        return _single(parsed[0])
    unit = parsed[0].unit
    lines = [f"Nhắc hạn: {len(parsed)} việc" + (f" của {unit}" if unit else "") + ":"]
    seen_sources: dict[tuple[str, ...], int] = {}
    for number, item in enumerate(parsed, 1):
        lines.append("")
        lines.append(f"{number}. " + ("QUÁ HẠN: " if item.overdue else "") + item.title)
        lines.extend(f"   {line}" for line in item.details)
        if item.source and item.source in seen_sources:
            lines.append(f"   Nguồn: như việc {seen_sources[item.source]}")
        else:
            lines.extend(f"   {line}" for line in item.source)
            seen_sources.setdefault(item.source, number)
    lines.append("")
    if any(item.overdue for item in parsed):
        lines.append("Thông báo quá hạn chỉ gửi một lần cho mỗi hạn.")
    lines.append(
        "Khi đơn vị đã hoàn thành việc nào, gửi /xong để đánh dấu; bot sẽ ngừng nhắc việc đó."
    )
    return "\n".join(lines)


def _due_line(details: tuple[str, ...]) -> tuple[str, ...]:
    """The detail lines without a provenance note (" — hằng năm, theo …"), for comparison."""
    return tuple(d.split(" — ")[0] for d in details)


def merge_same_obligation(items: list[_Item]) -> list[_Item]:
    """Items due the same day from the same sentence of the same document (same due line, same
    source and quote) are one obligation: one item naming them all."""
    groups: dict[tuple, list[_Item]] = {}
    for item in items:
        groups.setdefault(
            (item.overdue, item.unit, _due_line(item.details), item.source), []
        ).append(item)
    return [
        replace(group[0], title=join_titles([i.title for i in group])) for group in groups.values()
    ]


def _single(item: _Item) -> str:
    """One (possibly merged) reminder in the planner's single-reminder layout."""
    lines = [("QUÁ HẠN: " if item.overdue else "Nhắc hạn: ") + item.title, *item.details]
    if item.unit:
        lines.append(f"{_UNIT}{item.unit}")
    lines.extend(item.source)
    if item.overdue:
        lines.append("Đây là thông báo quá hạn duy nhất cho hạn này.")
    lines.append("Khi đơn vị đã hoàn thành, gửi /xong để đánh dấu; bot sẽ ngừng nhắc hạn này.")
    return "\n".join(lines)


def batches(rows: Sequence[tuple[T, Hashable | None, str]], limit: int) -> list[list[T]]:
    """Group (id, chat key, text) rows by chat, in order of first appearance, and pack each
    chat's texts into as few combined messages as fit within `limit` characters.

    A row whose chat key is None (an admin broadcast) always travels alone.
    """
    order: list[tuple[bool, list[tuple[T, str]]]] = []  # (travels alone, its rows)
    by_chat: dict[Hashable, list[tuple[T, str]]] = {}
    for row_id, chat, text in rows:
        if chat is None:
            order.append((True, [(row_id, text)]))
            continue
        if chat not in by_chat:
            by_chat[chat] = []
            order.append((False, by_chat[chat]))
        by_chat[chat].append((row_id, text))
    out: list[list[T]] = []
    for alone, chat_rows in order:
        out.extend([[chat_rows[0][0]]] if alone else _packed(chat_rows, limit))
    return out


def _packed(chat_rows: Sequence[tuple[T, str]], limit: int) -> list[list[T]]:
    """One chat's (id, text) rows packed, in order, into messages within `limit` characters."""
    out: list[list[T]] = []
    current: list[tuple[T, str]] = []
    for row_id, text in chat_rows:
        candidate = [*current, (row_id, text)]
        if current and len(combine_texts([t for _, t in candidate])) > limit:
            out.append([i for i, _ in current])
            current = [(row_id, text)]
        else:
            current = candidate
    out.append([i for i, _ in current])
    return out


def channel_batches(
    rows: Sequence[tuple[T, str, Hashable | None, str]],
    limits: Mapping[str, int],
) -> dict[str, list[list[T]]]:
    """(id, channel, chat key or None, text) rows → per channel, the messages (lists of ids),
    each within `limits[channel]` characters."""
    per_channel: dict[str, list[tuple[T, Hashable | None, str]]] = {}
    for row_id, channel, chat, text in rows:
        per_channel.setdefault(channel, []).append((row_id, chat, text))
    return {ch: batches(items, limit_for(ch, limits)) for ch, items in per_channel.items()}
