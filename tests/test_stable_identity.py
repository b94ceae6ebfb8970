"""Issue 8 item 2: deadlines keep their identity across re-imports, so done marks and sent
reminders stay attached to the rule they were made for."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.run import build_conversation
from bot.settings import Settings
from bot.wiring import build_services
from handlers.types import ContentKind, Incoming
from jobs import outbox
from jobs.models import DoneMark, Person
from jobs.planner import PlannerConfig
from jobs.tick import plan_now
from knowledge.db import read_session, write_session
from knowledge.deadlines import find_occurrence
from knowledge.ingest.importer import STATUS_NEW, STATUS_REPLACED, import_paths
from knowledge.models import Deadline, Document, Task

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ADMIN = "900"
NOW = datetime(2026, 12, 3, 9, 0, tzinfo=TZ)  # the 7-day reminders of the 10/12/2026 reports
DAY_BEFORE = datetime(2026, 12, 9, 9, 0, tzinfo=TZ)
BUNDLED = Path(__file__).resolve().parent.parent / "data" / "documents"
PLAN = "kh-cchc-2025.txt"
OTHER = "a-kiem-tra-noi-bo.txt"
REPORTS_SENTENCE = "c) Các phòng cơ quan Sở, các đơn vị giáo dục thực hiện nghiêm túc"
NEW_SENTENCE = (
    "b1) Các phòng cơ quan Sở gửi báo cáo chuyên đề chuyển đổi số trước ngày 05/12/2026.\n\n"
)


HEADER = """ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM
SỞ GIÁO DỤC VÀ ĐÀO TẠO

Số: {number}/KH-SGDĐT

Thử Nghiệm, ngày 05 tháng 01 năm 2027

KẾ HOẠCH
{title}

1. Các phòng cơ quan Sở gửi báo cáo {what} trước ngày {due}.
"""


def _plan(
    folder: Path,
    number: str,
    title: str,
    what: str,
    name: str = "ke-hoach.txt",
    due: str = "20/02/2027",
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(
        HEADER.format(number=number, title=title, what=what, due=due), encoding="utf-8"
    )
    return path


@pytest.fixture
def world(tmp_path: Path):  # type: ignore[no-untyped-def]
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(BUNDLED / PLAN, docs / PLAN)
    # imported first (sorted), so a re-import gives its deadlines ids after the plan's
    _plan(docs, "7", "Kiểm tra nội bộ năm 2026", "kiểm tra nội bộ", name=OTHER, due="10/12/2026")
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'kb.db'}", admin_ids=frozenset({ADMIN})
    )
    services = build_services(settings, clock=lambda: NOW, seed_documents=False)
    import_paths(services.engine, [docs])
    return services, build_conversation(services), docs


def say(conv, user: str, text: str):  # type: ignore[no-untyped-def]
    kind = ContentKind.CHOICE if ":" in text and not text.startswith("/") else ContentKind.TEXT
    return conv.handle(
        Incoming(
            channel="telegram",
            chat_id=user,
            user_id=user,
            display_name=f"Cán bộ {user}",
            kind=kind,
            text=text,
        )
    )


def approved_member(services, conv, user: str, unit: str) -> int:  # type: ignore[no-untyped-def]
    say(conv, user, f"/donvi {unit}")
    with read_session(services.engine) as s:
        pid = next(p.id for p in s.exec(select(Person)) if p.display_name.endswith(user))
    say(conv, ADMIN, f"/duyet {pid}")
    return pid


def button(replies, words: str, prefix: str = "x:") -> str:  # type: ignore[no-untyped-def]
    return next(
        c.payload
        for r in replies
        for c in r.choices
        if c.payload.startswith(prefix) and words in c.label
    )


def send_due(services, now: datetime) -> int:  # type: ignore[no-untyped-def]
    """Enqueue what the planner finds due (as a tick would): the keys count as sent."""
    planned = plan_now(services.engine, PlannerConfig(tz=TZ), now=now)
    with write_session(services.engine) as s:
        return outbox.enqueue(s, planned, now=now)


def titles_planned(services, now: datetime, person_id: int) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        p.occurrence.title
        for p in plan_now(services.engine, PlannerConfig(tz=TZ), now=now)
        if p.person_id == person_id
    ]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_repro1_mark_stays_on_the_annual_report_after_a_sentence_is_inserted(world) -> None:
    services, conv, docs = world
    pid = approved_member(services, conv, "501", "tccb")
    assert send_due(services, NOW) > 0  # the 7-day reminders went out
    menu = say(conv, "501", "/xong")
    say(conv, "501", button(menu, "Báo cáo năm"))
    with read_session(services.engine) as s:
        ids_before = sorted(d.id for d in s.exec(select(Deadline)))
        uids_before = {d.uid for d in s.exec(select(Deadline))}

    edit(docs / PLAN, REPORTS_SENTENCE, NEW_SENTENCE + REPORTS_SENTENCE)
    report = import_paths(services.engine, [docs / PLAN])
    assert [d.status for d in report.documents] == [STATUS_REPLACED]

    with read_session(services.engine) as s:
        assert sorted(d.id for d in s.exec(select(Deadline))) != ids_before  # rows were replaced
        mark = s.exec(select(DoneMark)).one()
        marked = find_occurrence(s, mark.occurrence_key)
        assert marked is not None and marked.title.startswith("Báo cáo năm")
    # Nothing already sent is sent again; the annual report is not reminded, the others are.
    again = [
        p.occurrence
        for p in plan_now(services.engine, PlannerConfig(tz=TZ), now=NOW)
        if p.person_id == pid
    ]
    assert again and all(o.uid not in uids_before and o.due.day == 5 for o in again)
    later = titles_planned(services, DAY_BEFORE, pid)
    assert not any(t.startswith("Báo cáo năm") for t in later)
    assert any(t.startswith("Báo cáo 6 tháng") for t in later)
    listing = "\n".join(r.text for r in say(conv, "501", "/xong"))
    done_part = listing.split("Đã hoàn thành")[1]
    assert "Báo cáo năm" in done_part and "Báo cáo 6 tháng" not in done_part


def test_repro2_an_unrelated_edit_keeps_identities_and_sends_nothing_twice(world) -> None:
    services, conv, docs = world
    approved_member(services, conv, "502", "vp")
    assert send_due(services, NOW) > 0
    with read_session(services.engine) as s:
        before = {d.id: d.uid for d in s.exec(select(Deadline))}
        tasks_before = sorted(t.uid for t in s.exec(select(Task)))
    # One unrelated word changed in the other document (its place of issue), re-imported.
    edit(docs / OTHER, "Thử Nghiệm, ngày", "Thành phố Thử Nghiệm, ngày")
    report = import_paths(services.engine, [docs / OTHER])
    assert report.documents[0].status == STATUS_REPLACED
    with read_session(services.engine) as s:
        after = {d.id: d.uid for d in s.exec(select(Deadline))}
        assert sorted(t.uid for t in s.exec(select(Task))) == tasks_before
    assert set(after) != set(before) and sorted(after.values()) == sorted(before.values())
    assert plan_now(services.engine, PlannerConfig(tz=TZ), now=NOW) == []  # nothing twice


def test_uids_are_unique_and_fit_a_button(world) -> None:
    services, _, _ = world
    with read_session(services.engine) as s:
        uids = [d.uid for d in s.exec(select(Deadline))]
        docs = [d.uid for d in s.exec(select(Document))]
    assert uids and all(uids) and len(set(uids)) == len(uids)
    assert all(len(f"xu:{u}@2026-12-10".encode()) <= 32 for u in uids)
    assert len(set(docs)) == len(docs)


def test_same_file_name_from_two_folders_keeps_both_and_says_so(world, tmp_path: Path) -> None:
    services, _, _ = world
    a = _plan(tmp_path / "phong-a", "12", "Kiểm tra công vụ năm 2027", "kiểm tra công vụ")
    b = _plan(tmp_path / "phong-b", "34", "Chuyển đổi số năm 2027", "chuyển đổi số")
    first = import_paths(services.engine, [a])
    second = import_paths(services.engine, [b])
    assert first.documents[0].status == STATUS_NEW and second.documents[0].status == STATUS_NEW
    warning = "\n".join(second.lines())
    assert "cùng tên tệp ke-hoach.txt" in warning and "giữ cả hai" in warning
    with read_session(services.engine) as s:
        kept = s.exec(select(Document).where(Document.source_file == "ke-hoach.txt")).all()
        assert sorted(d.number for d in kept) == ["12/KH-SGDĐT", "34/KH-SGDĐT"]
    # An edited copy of A (same number, date and issuer) from a third folder replaces A only.
    c = _plan(tmp_path / "tai-ve", "12", "Kiểm tra công vụ năm 2027 (sửa)", "kiểm tra công vụ")
    third = import_paths(services.engine, [c])
    assert third.documents[0].status == STATUS_REPLACED
    assert "đã thay thế văn bản đó" in "\n".join(third.lines())
    with read_session(services.engine) as s:
        kept = s.exec(select(Document).where(Document.source_file == "ke-hoach.txt")).all()
        assert sorted(d.source_path for d in kept) == sorted([str(b.resolve()), str(c.resolve())])
