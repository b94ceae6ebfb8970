"""The knowledge-layer functions the conversation calls, gathered in one replaceable object."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session

from knowledge.answers import Answer
from knowledge.models import Unit
from knowledge.recurrence import DeadlineOccurrence


@dataclass(frozen=True)
class KnowledgeApi:
    """Answer engine, unit matching and deadline occurrences (see knowledge.qa/units/deadlines)."""

    answer_question: Callable[..., Answer]
    unit_duties: Callable[..., Answer]
    list_documents: Callable[..., Answer]
    document_detail: Callable[..., Answer]
    search_text: Callable[..., Answer]
    match_units: Callable[..., Sequence[tuple[Unit, float]]]
    unit_label: Callable[[Unit], str]
    occurrences_for_unit: Callable[..., Sequence[DeadlineOccurrence]]
    load_occurrences: Callable[..., Sequence[DeadlineOccurrence]]

    @classmethod
    def load(cls) -> KnowledgeApi:
        """The real knowledge layer (imported here, not at module import time)."""
        from knowledge import deadlines, qa, units

        return cls(
            answer_question=qa.answer_question,
            unit_duties=qa.unit_duties,
            list_documents=qa.list_documents,
            document_detail=qa.document_detail,
            search_text=qa.search_text,
            match_units=units.match_units,
            unit_label=units.unit_label,
            occurrences_for_unit=deadlines.occurrences_for_unit,
            load_occurrences=deadlines.load_occurrences,
        )

    def ask(self, session: Session, question: str, *, today: date, unit_id: int | None) -> Answer:
        """answer_question with the user's unit as a hint when the engine accepts one."""
        if unit_id is not None and _accepts(self.answer_question, "unit_id"):
            return self.answer_question(session, question, today=today, unit_id=unit_id)
        return self.answer_question(session, question, today=today)


def _accepts(fn: Callable[..., Any], name: str) -> bool:
    try:
        parameters = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False
    return name in parameters or any(p.kind is p.VAR_KEYWORD for p in parameters.values())
