"""Channel-neutral conversation data: an incoming message or press, and the replies to it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class ContentKind(str, Enum):
    TEXT = "text"
    CHOICE = "choice"  # a button press (Telegram) or a digit answering numbered options
    UNSUPPORTED = "unsupported"  # sticker, photo, voice, …
    FILE = "file"  # a document (.docx, .pdf, .txt, .md, .csv …) sent to the bot


@dataclass(frozen=True)
class IncomingFile:
    """A file a user sent. `data` is None when the adapter did not download it (too large,
    or the sender may not upload); `size` is what the channel reported."""

    filename: str
    size: int
    data: bytes | None = None


@dataclass(frozen=True)
class Incoming:
    channel: str  # "telegram" | "zalo" | "console"
    chat_id: str
    user_id: str
    display_name: str
    kind: ContentKind = ContentKind.TEXT
    text: str = ""  # message text, or the choice payload for CHOICE
    is_group: bool = False
    addressed_to_bot: bool = True  # in a group: a command, a mention or a reply to the bot
    update_id: str = ""  # channel's id of this delivery, for de-duplication ("" = none)
    # the sender's own one-to-one chat with the bot ("" = unknown, e.g. the console): where
    # admin-only output goes, whatever chat the command came from
    private_chat_id: str = ""
    file: IncomingFile | None = None  # with kind FILE


@dataclass(frozen=True)
class Choice:
    label: str  # Vietnamese, shown to the user
    payload: str  # short ASCII id, at most 64 bytes (Telegram callback_data)


@dataclass(frozen=True)
class Attachment:
    """A file sent with a reply (e.g. a CSV export); channels that cannot send files say so."""

    filename: str  # ASCII, e.g. "nhat_ky.csv"
    data: bytes
    mime_type: str = "text/csv"
    fallback: str = ""  # how to get the same file elsewhere, e.g. a CLI command


@dataclass(frozen=True)
class Reply:
    text: str  # plain Vietnamese text; adapters escape and format it
    choices: list[Choice] = field(default_factory=list)
    attachment: Attachment | None = None
    chat_id: str = ""  # send to this chat instead of the one the message came from ("" = same)
