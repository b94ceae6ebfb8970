"""The actions under a reminder message: their labels and button payloads, in one place."""

from __future__ import annotations

SNOOZE_DAYS = (1, 3)
# Button payload actions of a reminder message: "rm:<first outbox row id>:<action>"
ACTION_DONE, ACTION_MUTE, ACTION_RESUME = "d", "m", "u"
REMINDER_PREFIX = "rm"


def snooze_action(days: int) -> str:
    return f"s{days}"


def reminder_choices(row_id: int) -> tuple[tuple[str, str], ...]:
    """(label, payload) of the buttons under a reminder message (numbered options on Zalo)."""
    base = f"{REMINDER_PREFIX}:{row_id}:"
    return (
        ("Đã xong", base + ACTION_DONE),
        *((f"Nhắc lại sau {d} ngày", base + snooze_action(d)) for d in SNOOZE_DAYS),
        ("Không nhắc hạn này nữa", base + ACTION_MUTE),
    )
