"""The conversation on the real knowledge layer and the bundled documents (no channel)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from handlers.conversation import Conversation, ConversationConfig
from handlers.types import ContentKind, Incoming, Reply
from jobs.models import DoneMark
from knowledge.db import make_engine, read_session, write_session
from knowledge.models import Unit

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 11, 22, 9, 0, tzinfo=TZ)


@pytest.fixture
def conv(bundled_copy: Path) -> Conversation:
    engine = make_engine(f"sqlite:///{bundled_copy}")
    return Conversation(engine, ConversationConfig(), lambda: NOW)


_ids = iter(range(1, 100_000))


def say(
    conv: Conversation, text: str, kind: ContentKind = ContentKind.TEXT, chat: str = "1"
) -> Reply:
    replies = conv.handle(
        Incoming("telegram", chat, chat, "Lan", kind=kind, text=text, update_id=str(next(_ids)))
    )
    assert len(replies) == 1
    return replies[0]


def test_unit_by_abbreviation_and_duties_with_sources(conv: Conversation) -> None:
    assert say(conv, "/donvi tccb").text.startswith(
        "Đã ghi nhận: Bạn thuộc Phòng Tổ chức cán bộ (TCCB)."
    )
    duties = say(conv, "/nhiemvu")
    assert duties.text.startswith("Phòng Tổ chức cán bộ (TCCB): chủ trì")
    assert "Nguồn:" in duties.text
    more = [c for c in duties.choices if c.label == "Xem thêm"]
    assert more and say(conv, more[0].payload, ContentKind.CHOICE).text != duties.text


def test_ambiguous_unit_offers_only_close_candidates(conv: Conversation) -> None:
    reply = say(conv, "/donvi phong giao duc")
    labels = [c.label for c in reply.choices]
    assert "Phòng Giáo dục Trung học (GDTrH)" in labels and "Văn phòng Sở (VP)" not in labels


def test_hanchot_dates_days_left_done_and_all_units(conv: Conversation) -> None:
    everyone = say(conv, "/hanchot").text
    assert "Hạn chót của tất cả các đơn vị từ 22/11/2026 đến 21/01/2027:" in everyone
    assert "15/01/2027 (còn 54 ngày): Gửi kế hoạch CCHC năm về Sở" in everyone
    say(conv, "/donvi tccb")
    mine = say(conv, "/hanchot").text
    assert "10/12/2026 (còn 18 ngày): Báo cáo quý kết quả CCHC" in mine
    assert "đã xong" not in mine
    with read_session(conv.engine) as session:
        tccb = session.exec(select(Unit).where(Unit.short_name == "TCCB")).one()
    with write_session(conv.engine) as session:
        occ = conv.knowledge.occurrences_for_unit(
            session, tccb.id, date(2026, 11, 22), date(2027, 1, 21)
        )[0]
        session.add(
            DoneMark(
                unit_id=tccb.id, deadline_id=occ.deadline_id, due=occ.due, occurrence_key=occ.key
            )
        )
    assert f"{occ.due:%d/%m/%Y} (còn 18 ngày) — đã xong: {occ.title}" in say(conv, "/hanchot").text


def test_documents_search_and_free_text_without_diacritics(conv: Conversation) -> None:
    listing = say(conv, "/vanban").text
    assert "5 văn bản" in listing
    detail = say(conv, "/vanban 131").text
    assert "Nghị quyết số 131/NQ-CP" in detail and "Kính gửi" in detail
    found = say(conv, "/timkiem dich vu cong truc tuyen").text
    assert "dịch vụ công trực tuyến" in found.lower()
    answer = say(conv, "han nop ke hoach cchc nam")
    assert "15/01/2027" in answer.text
