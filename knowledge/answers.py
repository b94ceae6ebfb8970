"""The answer as plain data: what was understood, what was found, and where it comes from."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class UnitRef:
    name: str
    short: str


@dataclass(frozen=True)
class TaskRef:
    document: str
    number: str
    content: str
    lead: list[str]
    cooperate: list[str]
    due_text: str
    role: str | None = None  # "lead" | "cooperate" for unit-duty answers


@dataclass(frozen=True)
class DeadlineRef:
    title: str
    due: str | None  # next occurrence on or after today, "YYYY-MM-DD"
    due_text: str  # the source wording
    recurrence: str  # RecurrenceKind value
    units: list[str]
    document: str


@dataclass(frozen=True)
class DocumentRef:
    title: str
    kind: str
    number: str
    date: str
    issuer: str


@dataclass(frozen=True)
class SourceRef:
    document: str
    section: str


@dataclass(frozen=True)
class Suggestion:
    """A choice the user may pick instead of retyping: `query` is asked when chosen."""

    label: str
    query: str


@dataclass
class Answer:
    """One reply of the answer engine.

    `text` is the first page exactly as a chat user sees it (plain text, already naming its
    sources); `more` holds the following pages for "Xem thêm". Channels decide the markup.
    """

    intent: str
    text: str
    more: list[str] = field(default_factory=list)
    units: list[UnitRef] = field(default_factory=list)
    tasks: list[TaskRef] = field(default_factory=list)
    deadlines: list[DeadlineRef] = field(default_factory=list)
    documents: list[DocumentRef] = field(default_factory=list)
    sources: list[SourceRef] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    # "unit" when the question named a unit ambiguously: the answer asks which one, the
    # suggestions (and `units`) are the candidates, and channels show them as choices
    clarify: str = ""

    def to_json(self) -> dict[str, Any]:
        """The CLI's --json object (a stable contract, see README)."""
        return asdict(self)
