"""Several reports due the same day from one sentence are one obligation: /xong and the
reminder's "Đã xong" offer "Đánh dấu cả N" beside each single one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from handlers import render
from handlers.registry import Context
from handlers.types import Choice, Reply
from knowledge.recurrence import DeadlineOccurrence, join_titles, obligation_key, titled

if TYPE_CHECKING:
    from handlers.conversation import Conversation

GROUP_PREFIX = "xg"


def register(conv: Conversation) -> None:
    conv.choices.add(GROUP_PREFIX, choice_mark_group)


def groups(occurrences: list[DeadlineOccurrence]) -> list[list[DeadlineOccurrence]]:
    """Occurrences sharing an obligation (same document sentence, same day), in order."""
    found: dict[str, list[DeadlineOccurrence]] = {}
    for occ in occurrences:
        found.setdefault(obligation_key(occ), []).append(occ)
    return list(found.values())


def group_choices(occurrences: list[DeadlineOccurrence]) -> list[Choice]:
    """ "Đánh dấu cả N" for every obligation of more than one open occurrence."""
    return [
        Choice(
            f"Đánh dấu cả {len(g)}: {g[0].due:%d/%m} {g[0].title}"[:60],
            f"{GROUP_PREFIX}:{g[0].key}",
        )
        for g in groups(occurrences)
        if len(g) > 1
    ]


def choice_mark_group(ctx: Context, key: str) -> list[Reply]:
    """Mark every occurrence of the obligation `key` belongs to, for the user's unit."""
    from handlers.done import _window, choice_mark

    if ctx.person.unit_id is None:
        return choice_mark(ctx, key)  # the same refusal as a single mark
    window = _window(ctx, ctx.person.unit_id)
    target = next((o for o in window if o.key == key), None)
    if target is None:
        return render.single(render.STALE)
    members = [o for o in window if obligation_key(o) == obligation_key(target)]
    replies = [choice_mark(ctx, o.key) for o in members]
    texts = [r.text for rs in replies for r in rs]
    if not all(t.startswith("Đã ghi nhận") for t in texts):
        return replies[0]  # refused (not approved, not the unit's): say it once
    names = join_titles([titled(o) for o in members])
    return render.single(
        f"Đã ghi nhận hoàn thành cả {len(members)}: {names} "
        f"(hạn {target.due:%d/%m/%Y}). Bot sẽ ngừng nhắc các hạn này."
    )
