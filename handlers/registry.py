"""The command and button registries, and the context every handler receives."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING

from sqlmodel import Session

from handlers.types import Incoming, Reply
from jobs.models import ChatAddress, Person

if TYPE_CHECKING:
    from handlers.conversation import Conversation


@dataclass
class Context:
    """One unit of work: the session, who is talking, and when."""

    session: Session
    incoming: Incoming
    address: ChatAddress
    person: Person
    now: datetime  # aware, local time zone
    is_admin: bool
    conversation: Conversation
    after_commit: list[Callable[[], None]] = field(default_factory=list)  # run once committed

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def tz(self) -> tzinfo:
        """The local time zone (`now` is always aware)."""
        assert self.now.tzinfo is not None
        return self.now.tzinfo

    @property
    def actor(self) -> str:
        """Who acts, for logs and audits: "telegram:12345"."""
        return f"{self.incoming.channel}:{self.incoming.user_id or self.incoming.chat_id}"


HELP = "trogiup"
CommandFn = Callable[[Context, str], list[Reply]]
ChoiceFn = Callable[[Context, str], list[Reply]]


@dataclass(frozen=True)
class Command:
    name: str
    handler: CommandFn
    description: str  # one Vietnamese line for /trogiup and the Telegram menu
    admin: bool = False
    menu: bool = True  # shown in the channel's command menu
    usage: str = ""  # e.g. "[tên đơn vị]" shown in /trogiup


@dataclass
class CommandRegistry:
    """Commands by name. Other features add theirs: `registry.add("xong", fn, admin=False)`."""

    commands: dict[str, Command] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)

    def add(
        self,
        name: str,
        handler: CommandFn,
        *,
        description: str | None = None,
        admin: bool = False,
        menu: bool = True,
        usage: str = "",
        aliases: tuple[str, ...] = (),
    ) -> Command:
        """Register a command; its description defaults to the handler docstring's first line."""
        if description is None:
            doc = (inspect.getdoc(handler) or "").strip()
            description = doc.splitlines()[0] if doc else name
        command = Command(name, handler, description, admin=admin, menu=menu, usage=usage)
        self.commands[name] = command
        for alias in aliases:
            self.aliases[alias] = name
        return command

    def get(self, name: str) -> Command | None:
        return self.commands.get(self.aliases.get(name, name))

    def _ordered(self) -> list[Command]:
        """Registration order, but help last among everyone's commands and admin ones after."""
        return sorted(self.commands.values(), key=lambda c: (c.admin, c.name == HELP))

    def visible(self, *, is_admin: bool) -> list[Command]:
        """Commands for /trogiup; admin-only ones only for admins."""
        return [c for c in self._ordered() if is_admin or not c.admin]

    def menu(self, *, admin: bool = False) -> list[tuple[str, str]]:
        """(name, description) pairs for a channel's command menu (e.g. Telegram setMyCommands)."""
        return [
            (c.name, c.description) for c in self._ordered() if c.menu and (admin or not c.admin)
        ]


@dataclass
class ChoiceRegistry:
    """Button payload handlers by prefix: payload "m:k3f9x2qa:1" goes to the "m" handler
    with "k3f9x2qa:1". Other features add theirs, e.g. "x" for /xong."""

    handlers: dict[str, ChoiceFn] = field(default_factory=dict)
    admin_prefixes: set[str] = field(default_factory=set)

    def add(self, prefix: str, handler: ChoiceFn, *, admin: bool = False) -> None:
        """Register a button handler; `admin` ones are refused to others and answered privately."""
        if ":" in prefix:
            raise ValueError("a choice prefix cannot contain ':'")
        self.handlers[prefix] = handler
        if admin:
            self.admin_prefixes.add(prefix)

    def is_admin(self, payload: str) -> bool:
        return payload.partition(":")[0] in self.admin_prefixes

    def resolve(self, payload: str) -> tuple[ChoiceFn, str] | None:
        prefix, _, rest = payload.partition(":")
        handler = self.handlers.get(prefix)
        return (handler, rest) if handler is not None else None
