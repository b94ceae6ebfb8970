"""A small hand-made knowledge layer for conversation tests that must not depend on the
answer engine's wording: three units, one document, one yearly deadline."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rapidfuzz import fuzz
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.wiring import register_models
from handlers.knowledge_api import KnowledgeApi
from knowledge.answers import Answer, Suggestion
from knowledge.db import init_db, make_engine, write_session
from knowledge.models import RecurrenceKind, Unit
from knowledge.normalize import fold
from knowledge.recurrence import DeadlineOccurrence

UNITS = [
    ("Phòng Tổ chức cán bộ", "TCCB"),
    ("Văn phòng Sở", "VP"),
    ("Phòng Kế hoạch - Tài chính", "KHTC"),
    ("Phòng Giáo dục Trung học", "GDTrH"),
    ("Phòng Giáo dục Tiểu học", "GDTH"),
]


def seed_units(session: Session) -> None:
    for name, short in UNITS:
        session.add(Unit(name=name, short_name=short, aliases=[]))
    session.add(Unit(name="Các đơn vị trực thuộc", short_name="", is_collective=True))


def seeded_engine(path: Path) -> Engine:
    """A new SQLite file at `path` with every table and the seed units (no documents)."""
    engine = make_engine(f"sqlite:///{path}")
    register_models()
    init_db(engine)
    with write_session(engine) as session:
        seed_units(session)
    return engine


def _match(session: Session, text: str, limit: int = 5) -> list[tuple[Unit, float]]:
    key = fold(text)
    scored = []
    for unit in session.exec(select(Unit)).all():
        if key == fold(unit.short_name):
            scored.append((unit, 100.0))
            continue
        scored.append((unit, float(fuzz.token_set_ratio(key, fold(unit.name)))))
    scored.sort(key=lambda p: -p[1])
    return [p for p in scored if p[1] >= 50][:limit]


def _long_answer(title: str) -> Answer:
    pages = [
        f"{title} — trang {i}\n" + "\n".join(f"Dòng {i}.{j} <b>&</b>" for j in range(5))
        for i in range(1, 4)
    ]
    return Answer(
        intent="question",
        text=pages[0],
        more=pages[1:],
        suggestions=[Suggestion("Hạn nộp báo cáo quý", "han nop bao cao quy")],
    )


def handmade() -> KnowledgeApi:
    def answer_question(
        session: Session, question: str, *, today: date, unit_id: int | None = None
    ) -> Answer:
        return _long_answer(f"Trả lời: {question}")

    def unit_duties(session: Session, unit_id: int, *, today: date) -> Answer:
        unit = session.get(Unit, unit_id)
        return Answer(
            intent="unit_duties",
            text=(
                f"Nhiệm vụ của {unit.name if unit else '?'}: chủ trì 2, phối hợp 3. Nguồn: KH "
                "2025."
            ),
        )

    def list_documents(session: Session) -> Answer:
        return Answer(intent="documents", text="Văn bản: 1. Kế hoạch CCHC năm 2025")

    def document_detail(session: Session, query: str) -> Answer:
        return Answer(intent="document", text=f"Chi tiết văn bản: {query}")

    def search_text(session: Session, query: str, *, today: date) -> Answer:
        return Answer(intent="search", text=f"Kết quả tìm “{query}”: 2 đoạn")

    def occurrences_for_unit(
        session: Session, unit_id: int | None, start: date, end: date
    ) -> list[DeadlineOccurrence]:
        occurrence = DeadlineOccurrence(
            deadline_id=1,
            due=date(2027, 1, 15),
            title="Nộp kế hoạch CCHC năm",
            quote="trước ngày 15/01",
            rule_kind=RecurrenceKind.YEARLY,
            document_id=1,
            document_title="Kế hoạch CCHC giai đoạn 2026-2030",
            section_path="III.1",
            unit_ids=frozenset({1}),
            all_units=False,
        )
        return (
            [occurrence]
            if start <= occurrence.due <= end
            and occurrence.concerns(unit_id)
            or (unit_id is None and start <= occurrence.due <= end)
            else []
        )

    return KnowledgeApi(
        answer_question=answer_question,
        unit_duties=unit_duties,
        list_documents=list_documents,
        document_detail=document_detail,
        search_text=search_text,
        match_units=_match,
        unit_label=lambda u: u.name,
        occurrences_for_unit=occurrences_for_unit,
        load_occurrences=lambda session, start, end: occurrences_for_unit(
            session, None, start, end
        ),
    )
