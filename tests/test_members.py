"""Issue 11 items 1-2 and the issue 8 group item, through the real Conversation on the bundled
plan: members of collective units, per-member done marks, reminders, board and audit; admin
marks on behalf; approval requests; in a group only a person approved themselves may mark."""

from __future__ import annotations

import gzip
import sqlite3
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.run import build_conversation
from bot.settings import Settings
from bot.wiring import build_services
from handlers.types import ContentKind, Incoming
from jobs.audit import audit_events
from jobs.models import ApprovalRequest, DoneMark, ReminderKind, ReminderLog, RequestStatus
from jobs.planner import PlannerConfig
from jobs.status import board_text, build_board
from jobs.tick import plan_now
from knowledge.db import read_session, write_session
from knowledge.deadlines import find_occurrence, load_occurrences
from knowledge.ingest.importer import import_paths
from knowledge.members import import_members_csv
from knowledge.models import UnitMember
from tests.support.subprocess_bot import bot_env, run_bot

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ADMIN = "900"
NOW = datetime(2026, 12, 3, 9, 0, tzinfo=TZ)  # 7 days before the 10/12/2026 reports
DAY_BEFORE = datetime(2026, 12, 9, 9, 0, tzinfo=TZ)
ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "data" / "documents" / "kh-cchc-2025.txt"
LEGACY_DUMP = Path(__file__).with_name("fixtures") / "legacy_single_unit_7434d94.sql.gz"
MEMBERS_CSV = (
    "don_vi,ten,ten_khac\n"
    "Các đơn vị giáo dục,THPT Trần Phú,Trường THPT Trần Phú\n"
    "Các đơn vị giáo dục,THPT Ngô Quyền,\n"
    "cac don vi giao duc,Trung tâm GDNN-GDTX Lê Chân,TT GDNN-GDTX Lê Chân\n"
).encode()


@pytest.fixture
def world(tmp_path: Path):  # type: ignore[no-untyped-def]
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'kb.db'}", admin_ids=frozenset({ADMIN})
    )
    services = build_services(settings, clock=lambda: NOW, seed_documents=False)
    import_paths(services.engine, [PLAN])
    with write_session(services.engine) as s:
        assert import_members_csv(s, MEMBERS_CSV, source="ds.csv", by="CSV ds.csv", now=NOW).ok
    return services, build_conversation(services)


def say(conv, user: str, text: str, *, group: str = ""):  # type: ignore[no-untyped-def]
    kind = ContentKind.CHOICE if ":" in text and not text.startswith("/") else ContentKind.TEXT
    return conv.handle(
        Incoming(
            channel="telegram",
            chat_id=group or user,
            user_id=user,
            display_name=f"Cán bộ {user}",
            kind=kind,
            text=text,
            is_group=bool(group),
        )
    )


def text_of(replies) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(r.text for r in replies)


def button(replies, words: str, prefix: str = "") -> str:  # type: ignore[no-untyped-def]
    return next(
        c.payload
        for r in replies
        for c in r.choices
        if words in c.label and c.payload.startswith(prefix)
    )


def pid(services, user: str) -> int:  # type: ignore[no-untyped-def]
    """The person of the user's private chat (a group chat is a person of its own)."""
    return _group_pid(services, user)


def planned_titles(services, now: datetime, chat: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        p.occurrence.title
        for p in plan_now(services.engine, PlannerConfig(tz=TZ), now=now)
        if p.address.chat_id == chat
    ]


def join_school(services, conv, user: str, school: str) -> None:  # type: ignore[no-untyped-def]
    assert "Đã ghi nhận" in text_of(say(conv, user, f"/donvi {school}"))
    say(conv, ADMIN, f"/duyet {pid(services, user)}")


def test_two_schools_of_one_collective_are_tracked_apart(world) -> None:
    services, conv = world
    join_school(services, conv, "701", "thpt tran phu")  # without diacritics
    join_school(services, conv, "702", "THPT Ngô Quyền")
    assert any(t.startswith("Báo cáo năm") for t in planned_titles(services, NOW, "701"))
    reminder = next(
        p
        for p in plan_now(services.engine, PlannerConfig(tz=TZ), now=NOW)
        if p.address.chat_id == "701"
    )
    assert "Đơn vị: THPT Trần Phú (Các đơn vị giáo dục)" in reminder.text

    done = text_of(say(conv, "701", button(say(conv, "701", "/xong"), "Báo cáo năm", "x:")))
    assert "Đã ghi nhận THPT Trần Phú (Các đơn vị giáo dục) hoàn thành" in done
    assert not any(
        t.startswith("Báo cáo năm") for t in planned_titles(services, DAY_BEFORE, "701")
    )
    assert any(t.startswith("Báo cáo năm") for t in planned_titles(services, DAY_BEFORE, "702"))

    def annual_line(user: str) -> str:
        lines = text_of(say(conv, user, "/hanchot")).splitlines()
        return next(line for line in lines if "Báo cáo năm" in line)

    assert "đã xong" in annual_line("701") and "đã xong" not in annual_line("702")

    with read_session(services.engine) as s:
        occurrences = [
            o for o in load_occurrences(s, NOW.date(), DAY_BEFORE.date().replace(day=31))
        ]
        board = build_board(s, occurrences, today=NOW.date(), tz=TZ)
        events = audit_events(s, tz=TZ)
    annual = next(
        r
        for r in board
        if r.occurrence.title.startswith("Báo cáo năm") and r.unit_name == "Các đơn vị giáo dục"
    )
    assert (annual.members_done, annual.members_total) == (1, 3)
    assert annual.members_missing == ("THPT Ngô Quyền", "Trung tâm GDNN-GDTX Lê Chân")
    text = board_text(board, today=NOW.date())
    collective = next(
        line for line in text.splitlines() if line.strip().startswith("• Các đơn vị giáo dục:")
    )
    # the three reports due 10/12 are one board row; only the annual one has a school done
    assert (
        "năm 2026: chưa hoàn thành (trong hạn) — 1/3 đã xong; còn thiếu: THPT Ngô Quyền, "
        "Trung tâm GDNN-GDTX Lê Chân"
    ) in collective
    assert "quý IV/2026: chưa hoàn thành (trong hạn) — 0/3 đã xong" in collective
    marked = [e for e in events if e.event == "đánh dấu hoàn thành"]
    assert [e.unit for e in marked] == ["THPT Trần Phú (Các đơn vị giáo dục)"]


def test_a_new_school_is_added_pending_and_approved_with_its_person(world) -> None:
    services, conv = world
    offer = say(conv, "703", "/donvi THPT Lê Quý Đôn")
    add = button(offer, "Các đơn vị giáo dục", "mn:")
    assert "chờ Văn phòng Sở duyệt" in text_of(say(conv, "703", add))
    with read_session(services.engine) as s:
        member = s.exec(select(UnitMember).where(UnitMember.name == "THPT Lê Quý Đôn")).one()
        assert not member.approved
    assert "tên mới, chờ duyệt" in text_of(say(conv, ADMIN, "/duyet"))
    say(conv, ADMIN, f"/duyet {pid(services, '703')}")
    with read_session(services.engine) as s:
        assert s.get(UnitMember, member.id).approved  # type: ignore[union-attr]


def test_csv_with_bad_rows_changes_nothing_and_says_why(world) -> None:
    services, _ = world
    bad = (
        "don_vi;ten\nPhòng TCCB;X\nKhông có đơn vị này;Y\nCác đơn vị giáo dục;\nCác đơn vị giáo "
        "dục;THPT Mới\n"
    )
    with write_session(services.engine) as s:
        report = import_members_csv(s, bad.encode(), source="sai.csv", by="x", now=NOW)
    assert not report.ok
    lines = "\n".join(report.lines())
    assert "dòng 2: “Phòng Tổ chức cán bộ” là một đơn vị đơn lẻ" in lines
    assert "dòng 3: không có đơn vị “Không có đơn vị này”" in lines
    assert "dòng 4: thiếu tên thành viên (ten)" in lines and "chưa thay đổi gì" in lines
    with write_session(services.engine) as s:
        assert "tiêu đề" in "\n".join(
            import_members_csv(s, b"a,b\n1,2\n", source="x", by="x", now=NOW).lines()
        )
        assert (
            "UTF-8"
            in import_members_csv(
                s, "don_vi,ten\n".encode("utf-16"), source="x", by="x", now=NOW
            ).errors[0]
        )


def test_cli_members_import_is_one_transaction(tmp_path: Path) -> None:
    env = bot_env(tmp_path)
    good, bad = tmp_path / "ds.csv", tmp_path / "sai.csv"
    good.write_bytes(b"\xef\xbb\xbf" + MEMBERS_CSV)  # Excel's "CSV UTF-8" starts with a BOM
    bad.write_text(
        "don_vi,ten\nCác đơn vị giáo dục,THPT Mới\nPhòng không tồn tại,Z\n", encoding="utf-8"
    )
    first = run_bot(env, "members", "import", str(good))
    assert first.returncode == 0 and "3 mới" in first.stdout, first.stderr
    refused = run_bot(env, "members", "import", str(bad))
    assert refused.returncode == 1 and "dòng 3: không có đơn vị" in refused.stderr
    listing = run_bot(env, "members", "list").stdout
    assert "THPT Trần Phú" in listing and "THPT Mới" not in listing  # nothing from the bad file
    missing = run_bot(env, "members", "import", str(tmp_path / "khong-co.csv"))
    assert missing.returncode == 1 and "không tìm thấy tệp" in missing.stderr


def test_admin_records_done_on_behalf_and_undoes_it(world) -> None:
    services, conv = world
    say(conv, "704", "/donvi tccb")  # a reminded, never approved, member of the unit
    menu = say(conv, ADMIN, "/xong tccb")
    assert "Các hạn của Phòng Tổ chức cán bộ" in text_of(menu)
    mark = button(menu, "Báo cáo năm", "xa:")
    assert len(mark.encode()) <= 64
    done = text_of(say(conv, ADMIN, mark))
    assert "Đã ghi nhận Phòng Tổ chức cán bộ hoàn thành" in done and "ghi nhận bởi" in done
    assert not any(
        t.startswith("Báo cáo năm") for t in planned_titles(services, DAY_BEFORE, "704")
    )
    with read_session(services.engine) as s:
        row = s.exec(select(DoneMark)).one()
        assert (
            row.on_behalf
            and row.marked_by.startswith("ghi nhận bởi")
            and "telegram:900" in row.marked_by
        )
        event = next(e for e in audit_events(s, tz=TZ) if e.event == "đánh dấu hoàn thành")
        assert event.unit == "Phòng Tổ chức cán bộ" and event.who.startswith("ghi nhận bởi")
    # a non-admin cannot press the admin's buttons, nor name another unit
    assert "chỉ dành cho cán bộ quản trị" in text_of(say(conv, "704", mark.replace("xa:", "xz:")))
    undo = text_of(say(conv, ADMIN, mark.replace("xa:", "xz:")))
    assert "Đã hoàn tác" in undo
    assert any(t.startswith("Báo cáo năm") for t in planned_titles(services, DAY_BEFORE, "704"))
    # for one school, with the date: the one open deadline that day is recorded at once
    with_date = text_of(say(conv, ADMIN, "/xong THPT Ngô Quyền 25/01"))
    assert (
        "Đã ghi nhận THPT Ngô Quyền (Các đơn vị giáo dục) hoàn thành" not in with_date
    )  # not theirs
    assert "không có hạn nào ngày 25/01/2027" in with_date
    assert "Không tìm thấy" in text_of(say(conv, ADMIN, "/xong zzqq xxww"))
    assert "không hợp lệ" in text_of(say(conv, ADMIN, "/xong tccb 31/02"))


def test_approval_request_reaches_admins_once_and_the_decision_reaches_the_user(world) -> None:
    services, conv = world
    say(conv, ADMIN, "/start")  # the admin's private chat with the bot
    say(conv, "705", "/donvi THPT Trần Phú")
    refusal = say(conv, "705", "/xong")
    user_id = pid(services, "705")
    assert f"#{user_id}" in text_of(refusal)
    request = button(refusal, "Gửi yêu cầu duyệt")
    assert "Đã gửi yêu cầu duyệt" in text_of(say(conv, "705", request))
    assert "đang chờ" in text_of(say(conv, "705", request))  # pressed twice: one request
    with read_session(services.engine) as s:
        notices = s.exec(select(ReminderLog).where(ReminderLog.kind == ReminderKind.NOTICE)).all()
        assert [n.chat_id for n in notices] == [ADMIN]
        assert notices[0].choices == [["Duyệt", f"dy:{user_id}"], ["Từ chối", f"tc:{user_id}"]]
        assert "THPT Trần Phú (Các đơn vị giáo dục)" in notices[0].text
    assert "Đã duyệt" in text_of(say(conv, ADMIN, f"dy:{user_id}"))
    with read_session(services.engine) as s:
        assert s.exec(select(ApprovalRequest)).one().status is RequestStatus.APPROVED
        told = s.exec(select(ReminderLog).where(ReminderLog.chat_id == "705")).all()
        assert any("đã được Văn phòng Sở duyệt" in r.text for r in told)
    assert "Chưa hoàn thành" in text_of(say(conv, "705", "/xong"))
    # a second user is rejected: told so, and still cannot mark
    say(conv, "706", "/donvi tccb")
    say(conv, "706", button(say(conv, "706", "/xong"), "Gửi yêu cầu duyệt"))
    assert "Đã từ chối" in text_of(say(conv, ADMIN, f"tc:{pid(services, '706')}"))
    assert "chỉ dành cho cán bộ quản trị" in text_of(
        say(conv, "706", f"dy:{pid(services, '706')}")
    )
    assert "chưa được Văn phòng Sở duyệt" in text_of(say(conv, "706", "/xong"))


def test_in_a_group_only_a_person_approved_themselves_may_mark_done(world) -> None:
    services, conv = world
    group = "-100777"
    say(conv, "801", "/donvi tccb", group=group)
    # even if an admin approved the group chat itself, a group member cannot mark for it
    say(conv, ADMIN, f"/duyet {_group_pid(services, group)}")
    stranger = text_of(say(conv, "801", "/xong", group=group))
    assert "chỉ người đã được Văn phòng Sở duyệt" in stranger
    annual_key = _annual_key(services)
    assert "chỉ người đã được" in text_of(say(conv, "801", f"x:{annual_key}", group=group))
    # the same person, approved in their own chat, can mark from the group
    say(conv, "801", "/donvi tccb")
    say(conv, ADMIN, f"/duyet {pid(services, '801')}")
    assert "Đã ghi nhận Phòng Tổ chức cán bộ hoàn thành" in text_of(
        say(conv, "801", f"x:{annual_key}", group=group)
    )
    with read_session(services.engine) as s:
        assert s.exec(select(DoneMark)).one().marked_by_person_id == pid(services, "801")


def _group_pid(services, chat_id: str) -> int:  # type: ignore[no-untyped-def]
    from jobs.models import ChatAddress

    with read_session(services.engine) as s:
        return s.exec(select(ChatAddress).where(ChatAddress.chat_id == chat_id)).one().person_id


def _annual_key(services) -> str:  # type: ignore[no-untyped-def]
    with read_session(services.engine) as s:
        return next(
            o.key
            for o in load_occurrences(s, NOW.date(), DAY_BEFORE.date().replace(day=31))
            if o.title.startswith("Báo cáo năm")
        )


def test_an_old_single_unit_database_migrates_without_loss(tmp_path: Path) -> None:
    """A database written by the code before members and stable identities (fixture dump):
    its whole-unit done marks and sent reminders keep their meaning after start-up."""
    path = tmp_path / "legacy.db"
    connection = sqlite3.connect(path)
    connection.executescript(gzip.decompress(LEGACY_DUMP.read_bytes()).decode("utf-8"))
    connection.close()
    settings = Settings(database_url=f"sqlite:///{path}", admin_ids=frozenset({ADMIN}))
    services = build_services(settings, clock=lambda: NOW, seed_documents=False)
    with read_session(services.engine) as s:
        marks = s.exec(select(DoneMark).order_by(DoneMark.id)).all()
        assert len(marks) == 2 and all(m.member_id is None and m.undone_at is None for m in marks)
        # the old "3@2026-12-10" keys now name the annual report by its stable identity
        assert (
            len({m.occurrence_key for m in marks}) == 1
            and not marks[0].occurrence_key[0].isdigit()
        )
        marked = find_occurrence(s, marks[0].occurrence_key)
        assert marked is not None and marked.title.startswith("Báo cáo năm")
        sent = s.exec(select(ReminderLog)).all()
        assert len(sent) == 6 and all(r.occurrence_key in r.key for r in sent)
        assert not any(r.occurrence_key[0].isdigit() for r in sent)
    assert plan_now(services.engine, PlannerConfig(tz=TZ), now=NOW) == []  # nothing sent twice
    assert not any(
        t.startswith("Báo cáo năm") for t in planned_titles(services, DAY_BEFORE, "501")
    )
    # schools listed afterwards: the old collective mark still covers each of them
    with write_session(services.engine) as s:
        assert import_members_csv(s, MEMBERS_CSV, source="ds.csv", by="CSV", now=NOW).ok
    conv = build_conversation(services)
    say(conv, "502", "/donvi THPT Trần Phú")
    assert not any(
        t.startswith("Báo cáo năm") for t in planned_titles(services, DAY_BEFORE, "502")
    )
    with read_session(services.engine) as s:
        board = board_text(
            build_board(
                s,
                load_occurrences(s, NOW.date(), DAY_BEFORE.date().replace(day=31)),
                today=NOW.date(),
                tz=TZ,
            ),
            today=NOW.date(),
        )
    collective = next(
        line for line in board.splitlines() if line.strip().startswith("• Các đơn vị giáo dục:")
    )
    assert "năm 2026: hoàn thành đúng hạn" in collective and "ghi nhận cho cả đơn vị" in collective
