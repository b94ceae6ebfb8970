"""Pure Telegram formatting: escaped HTML, message splitting below 4096, inline keyboards,
documents."""

from __future__ import annotations

import html
import unicodedata
from dataclasses import dataclass

from handlers.types import Reply

TELEGRAM_LIMIT = 4096
SAFE_LIMIT = 4000  # margin under Telegram's limit for the closing tags of a split header
CAPTION_LIMIT = 1024  # characters of a document caption
CALLBACK_LIMIT = 64  # bytes
LABEL_LIMIT = 60  # characters on a button


@dataclass(frozen=True)
class TelegramMessage:
    """One sendMessage: HTML text and button rows of (label, callback_data)."""

    html: str
    buttons: list[list[tuple[str, str]]]


@dataclass(frozen=True)
class TelegramDocument:
    """One sendDocument: the file, an HTML caption ("" for none) and button rows."""

    filename: str
    data: bytes
    mime_type: str
    caption: str
    buttons: list[list[tuple[str, str]]]


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def reply_html(text: str) -> str:
    """Escape a plain reply; a first line ending in ':' becomes a bold header."""
    text = nfc(text)
    first, sep, rest = text.partition("\n")
    if sep and first.endswith(":") and len(first) <= 200:
        return f"<b>{html.escape(first, quote=False)}</b>\n{html.escape(rest, quote=False)}"
    return html.escape(text, quote=False)


def _cut_point(line: str, limit: int) -> int:
    """Where to cut an overlong escaped line: a space near the limit, never inside an entity."""
    cut = line.rfind(" ", 0, limit)
    if cut <= limit // 2:
        cut = limit
        amp = line.rfind("&", 0, cut)
        if amp != -1 and ";" not in line[amp:cut]:
            cut = amp
    return max(cut, 1)


def split_html(text: str, limit: int = SAFE_LIMIT) -> list[str]:
    """Split at line boundaries into chunks of at most `limit` characters.

    Our HTML is escaped text plus one optional <b>…</b> header on its first line, so cutting
    between lines never breaks a tag; an overlong single line is cut at a space.
    """
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                chunks.append(current)
                current = ""
            cut = _cut_point(line, limit)
            chunks.append(line[:cut].rstrip())
            line = line[cut:].lstrip()
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit and current:
            chunks.append(current)
            current = line
        else:
            current = candidate
    if current.strip():
        chunks.append(current)
    return [c for c in (chunk.strip("\n") for chunk in chunks) if c.strip()] or ["…"]


def keyboard(reply: Reply) -> list[list[tuple[str, str]]]:
    """Button rows: short labels two per row, long ones alone. Payloads are checked ≤ 64 bytes."""
    rows: list[list[tuple[str, str]]] = []
    pending: list[tuple[str, str]] = []
    for choice in reply.choices:
        if len(choice.payload.encode("utf-8")) > CALLBACK_LIMIT:
            raise ValueError(f"callback_data over {CALLBACK_LIMIT} bytes: {choice.payload!r}")
        label = nfc(choice.label)
        label = label if len(label) <= LABEL_LIMIT else label[: LABEL_LIMIT - 1] + "…"
        button = (label, choice.payload)
        if len(label) > 24:
            if pending:
                rows.append(pending)
                pending = []
            rows.append([button])
        else:
            pending.append(button)
            if len(pending) == 2:
                rows.append(pending)
                pending = []
    if pending:
        rows.append(pending)
    return rows


def render_reply(reply: Reply, limit: int = SAFE_LIMIT) -> list[TelegramMessage]:
    """A reply as one or more messages; the buttons go with the last one."""
    chunks = split_html(reply_html(reply.text), limit)
    buttons = keyboard(reply)
    return [
        TelegramMessage(chunk, buttons if i == len(chunks) - 1 else [])
        for i, chunk in enumerate(chunks)
    ]


def render_document(reply: Reply) -> tuple[list[TelegramMessage], TelegramDocument]:
    """A reply carrying a file: the text as the document's caption when it fits, otherwise the
    text as messages first and the document after them. The buttons go with the document."""
    attachment = reply.attachment
    if attachment is None:
        raise ValueError("render_document needs a reply with an attachment")
    caption = reply_html(reply.text) if reply.text.strip() else ""
    messages: list[TelegramMessage] = []
    if len(caption) > CAPTION_LIMIT:
        messages = render_reply(Reply(reply.text))
        caption = ""
    document = TelegramDocument(
        attachment.filename, attachment.data, attachment.mime_type, caption, keyboard(reply)
    )
    return messages, document
