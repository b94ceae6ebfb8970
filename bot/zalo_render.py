"""Pure Zalo formatting: plain text, numbered choices, 2000-character splits, choice matching."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from handlers.render import without_attachment
from handlers.types import Choice, ContentKind, Incoming, Reply
from knowledge.normalize import fold

ZALO_LIMIT = 2000
SAFE_LIMIT = 1900  # room below Zalo's 2000 for a continuation marker and client quirks
CHOICE_HINT = "👉 Trả lời bằng số thứ tự (ví dụ: 1) hoặc gõ tên lựa chọn."

_TAG = re.compile(r"</?(?:b|i|u|s|code|pre|a|em|strong)(?:\s[^>]*)?>", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DIGITS = re.compile(r"^\s*(?:số\s*|so\s*)?(\d{1,2})\s*[.)]?\s*$", re.IGNORECASE)


def plain(text: str) -> str:
    """NFC text without stray HTML tags or control characters (Zalo shows markup literally)."""
    text = unicodedata.normalize("NFC", text)
    text = _TAG.sub("", text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return _CONTROL.sub("", text)


def numbered(choices: Sequence[Choice], start: int = 1) -> str:
    """The options as "1. label" lines, followed by how to answer."""
    lines = [f"{i}. {plain(choice.label)}" for i, choice in enumerate(choices, start=start)]
    return "\n".join(lines + [CHOICE_HINT])


def split_text(text: str, limit: int = SAFE_LIMIT) -> list[str]:
    """Split at line boundaries into chunks of at most `limit` characters; never an empty chunk.

    A single line longer than the limit is cut at the last space before it (or hard, if none).
    """
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            cut = line.rfind(" ", 0, limit)
            if cut <= 0:
                cut = limit
            piece, line = line[:cut], line[cut:].lstrip(" ")
            if current:
                chunks.append(current)
                current = ""
            chunks.append(piece)
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            chunks.append(current)
            current = line
        else:
            current = candidate
    if current.strip():
        chunks.append(current)
    return [c.strip("\n") for c in chunks if c.strip()]


def render_reply(reply: Reply, limit: int = SAFE_LIMIT, start: int = 1) -> list[str]:
    """The texts to send for one reply: its text (and a note if it carries a file Zalo cannot
    send), then the numbered options (kept together)."""
    body = without_attachment(plain(reply.text).strip(), reply)
    if reply.choices:
        options = numbered(reply.choices, start)
        body = f"{body}\n\n{options}" if body else options
    return split_text(body, limit) if body else []


def render_replies(replies: Sequence[Reply], limit: int = SAFE_LIMIT) -> list[str]:
    """The texts for one answer; options are numbered on across replies, as the pending choice
    stored by the conversation lists them (every reply's choices, in order)."""
    texts: list[str] = []
    start = 1
    for reply in replies:
        texts.extend(render_reply(reply, limit, start))
        start += len(reply.choices)
    return texts


def match_choice(text: str, choices: Sequence[Choice]) -> Choice | None:
    """The choice a text answers: its number ("2", "2.", "số 2") or its label, accent-insensitive.

    A label matches exactly (folded), or as the one label the answer begins and mostly covers,
    so "xem them" picks "Xem thêm ▸".
    """
    if not choices:
        return None
    digits = _DIGITS.match(text)
    if digits:
        index = int(digits.group(1))
        return choices[index - 1] if 1 <= index <= len(choices) else None
    answer = " ".join(fold(plain(text)).split())
    if not answer:
        return None
    labels = [" ".join(fold(plain(c.label)).split()) for c in choices]
    exact = [c for c, label in zip(choices, labels, strict=False) if label == answer]
    if len(exact) == 1:
        return exact[0]
    # The start of one label, covering most of it ("xem them" for "Xem thêm ▸"); shorter
    # fragments stay questions, since a stored menu must not swallow the next question.
    partial = [
        c
        for c, label in zip(choices, labels, strict=False)
        if label.startswith(answer) and len(answer) >= max(3, 0.6 * len(label))
    ]
    return partial[0] if len(partial) == 1 else None


TEXT_EVENT = "message.text.received"
UNSUPPORTED_EVENTS = {
    "message.image.received",
    "message.sticker.received",
    "message.unsupported.received",
}


def update_payload(body: object) -> dict | None:
    """The update inside a getUpdates result or a webhook body (bare, or wrapped in `result`)."""
    if not isinstance(body, dict):
        return None
    inner = body.get("result")
    if isinstance(inner, dict) and "message" in inner:
        return inner
    return body if "message" in body else None


def strip_mention(text: str, bot_names: Sequence[str]) -> str:
    """Drop a leading "@Bot name" (how a group mention arrives) so commands still parse."""
    stripped = text.lstrip()
    for name in sorted((n for n in bot_names if n), key=len, reverse=True):
        mention = f"@{name}"
        if stripped.lower().startswith(mention.lower()):
            return stripped[len(mention) :].lstrip(" ,:")
    return text


def incoming_from_update(update: dict, bot_names: Sequence[str] = ()) -> Incoming | None:
    """Translate a Zalo update into the conversation's Incoming; None for what is not a message.

    Images, stickers and other content become UNSUPPORTED so the conversation answers politely.
    In a group the platform delivers only mentions and replies to the bot, so all are addressed.
    """
    message = update.get("message")
    if not isinstance(message, dict):
        return None
    sender = message.get("from") if isinstance(message.get("from"), dict) else {}
    chat = message.get("chat") if isinstance(message.get("chat"), dict) else {}
    chat_id = str(chat.get("id") or sender.get("id") or "").strip()
    if not chat_id or sender.get("is_bot") is True:
        return None
    event = str(update.get("event_name") or "")
    text = message.get("text")
    if not event:  # getUpdates samples omit event_name: infer it from the content
        event = TEXT_EVENT if isinstance(text, str) else "message.unsupported.received"
    name = str(sender.get("display_name") or sender.get("first_name") or sender.get("name") or "")
    is_group = str(chat.get("chat_type") or "PRIVATE").upper() == "GROUP"
    message_id = str(message.get("message_id") or "").strip()
    kind = ContentKind.TEXT
    body = ""
    if event == TEXT_EVENT and isinstance(text, str):
        body = strip_mention(text, bot_names) if is_group else text
    else:
        kind = ContentKind.UNSUPPORTED
    return Incoming(
        channel="zalo",
        chat_id=chat_id,
        user_id=str(sender.get("id") or chat_id),
        display_name=unicodedata.normalize("NFC", name).strip(),
        kind=kind,
        text=body,
        is_group=is_group,
        addressed_to_bot=True,
        update_id=f"zalo:{message_id}" if message_id else "",
        # a user's one-to-one chat with the bot has the user's id
        private_chat_id=str(sender.get("id") or ""),
    )
