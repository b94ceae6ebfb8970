"""Issue 11 items 1-2 with real processes: `python -m bot` against the fake Bot API server and
the fake Zalo server, members loaded by the CLI, reminders sent by `reminders --now`."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta
from pathlib import Path

from tests.fakes.telegram_server import FakeTelegramServer
from tests.support.subprocess_bot import run_bot, start_bot, stop_bot, telegram_bot_env

ADMIN = 777
SCHOOL_A, SCHOOL_B, DEPARTMENT = 4101, 4102, 4103
MEMBERS = "don_vi,ten\nCác đơn vị giáo dục,THPT Trần Phú\nCác đơn vị giáo dục,THPT Ngô Quyền\n"
PLAN = """ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG
SỞ GIÁO DỤC VÀ ĐÀO TẠO

Số: 45/KH-SGDĐT

Hải Phòng, ngày 02 tháng 11 năm {year}

KẾ HOẠCH
Tự kiểm tra công tác cải cách hành chính năm {year}

1. Các đơn vị giáo dục và Phòng Tổ chức cán bộ gửi báo cáo tự kiểm tra công tác CCHC trước ngày {due}.
"""  # noqa: E501 (document text, one paragraph per line)
# Public holidays fixed by date: the reminder day must be an ordinary workday.
_FIXED_HOLIDAYS = {(1, 1), (30, 4), (1, 5), (2, 9), (3, 9)}


def plain(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def buttons(message: dict) -> list[dict]:
    markup = message.get("reply_markup") or {}
    return [b for row in markup.get("inline_keyboard", []) for b in row]


def due_and_reminder_day(today: date) -> tuple[date, date]:
    """A Wednesday about two weeks ahead (inside /xong's ±30-day window) and the Tuesday before
    it, when the 1-day reminder goes out, away from fixed public holidays."""
    due = today + timedelta(days=14)
    due += timedelta(days=(2 - due.weekday()) % 7)
    while ((due - timedelta(days=1)).day, (due - timedelta(days=1)).month) in _FIXED_HOLIDAYS:
        due += timedelta(days=7)
    return due, due - timedelta(days=1)


def _setup(tmp_path: Path, server: FakeTelegramServer) -> tuple[dict[str, str], date, date]:
    due, reminder_day = due_and_reminder_day(date.today())
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "kh-tu-kiem-tra.txt").write_text(
        PLAN.format(year=due.year, due=f"{due:%d/%m/%Y}"), encoding="utf-8"
    )
    env = telegram_bot_env(tmp_path, server, ADMIN_IDS=str(ADMIN), DOCUMENTS_DIR=str(docs))
    members = tmp_path / "thanh-vien.csv"
    members.write_text(MEMBERS, encoding="utf-8")
    loaded = run_bot(env, "members", "import", str(members))
    assert loaded.returncode == 0 and "2 mới" in loaded.stdout, loaded.stderr
    return env, due, reminder_day


class Chat:
    """One Telegram user talking to the running bot through the fake server."""

    def __init__(self, server: FakeTelegramServer, user: int) -> None:
        self.server, self.user = server, user

    def seen(self) -> int:
        return len(self.server.sent_messages(self.user))

    def say(self, text: str) -> dict:
        count = self.seen()
        self.server.enqueue_message(self.user, text)
        return self.server.wait_for_messages(count + 1, self.user, timeout=30)[count]

    def press(self, message: dict, label_part: str) -> dict:
        button = next(b for b in buttons(message) if label_part in b["text"])
        count = self.seen()
        self.server.enqueue_callback(self.user, button["callback_data"])
        return self.server.wait_for_messages(count + 1, self.user, timeout=30)[count]


def test_schools_approval_and_admin_on_behalf_through_telegram(
    tmp_path: Path, telegram_server: FakeTelegramServer
) -> None:
    server = telegram_server
    env, due, reminder_day = _setup(tmp_path, server)
    admin, school_a, school_b, department = (
        Chat(server, u) for u in (ADMIN, SCHOOL_A, SCHOOL_B, DEPARTMENT)
    )
    process = start_bot(env)
    try:
        server.wait_for(lambda: server.calls("getUpdates"), timeout=60)
        admin.say("/start")
        assert "THPT Trần Phú (Các đơn vị giáo dục)" in plain(
            school_a.say("/donvi thpt tran phu")["text"]
        )
        school_b.say("/donvi THPT Ngô Quyền")
        department.say("/donvi tccb")

        # the approval request: the user's ID and a button; the admins get one message
        refusal = school_a.say("/xong")
        assert "Mã người dùng của bạn: #" in plain(refusal["text"])
        assert "Đã gửi yêu cầu duyệt" in plain(
            school_a.press(refusal, "Gửi yêu cầu duyệt")["text"]
        )
        server.wait_for(
            lambda: any("Yêu cầu duyệt thành viên" in plain(t) for t in server.sent_texts(ADMIN)),
            timeout=60,
        )
        notice = next(
            m
            for m in server.sent_messages(ADMIN)
            if "Yêu cầu duyệt thành viên" in plain(m["text"])
        )
        assert "THPT Trần Phú (Các đơn vị giáo dục)" in plain(notice["text"])
        assert [b["text"] for b in buttons(notice)] == ["Duyệt", "Từ chối"]
        assert "Đã duyệt" in plain(admin.press(notice, "Duyệt")["text"])
        server.wait_for(
            lambda: any(
                "đã được Văn phòng Sở duyệt" in plain(t) for t in server.sent_texts(SCHOOL_A)
            ),
            timeout=60,
        )

        # school A marks its own report done
        menu = school_a.say("/xong")
        done = school_a.press(menu, "Xong:")
        assert "Đã ghi nhận THPT Trần Phú (Các đơn vị giáo dục) hoàn thành" in plain(done["text"])

        # the admin records the department's report, received by email
        on_behalf = admin.press(admin.say("/xong tccb"), "Xong:")
        assert "Đã ghi nhận Phòng Tổ chức cán bộ hoàn thành" in plain(on_behalf["text"])
        assert "ghi nhận bởi" in plain(on_behalf["text"])
    finally:
        _, err = stop_bot(process, timeout=30)
    assert process.returncode == 0, err[-3000:]
    assert sum("Yêu cầu duyệt thành viên" in plain(t) for t in server.sent_texts(ADMIN)) == 1

    before = {chat: len(server.sent_texts(chat)) for chat in (SCHOOL_A, SCHOOL_B, DEPARTMENT)}
    tick = run_bot(env, "reminders", "--now", f"{reminder_day:%Y-%m-%d}T09:00:00+07:00")
    assert tick.returncode == 0, tick.stderr
    new = {chat: server.sent_texts(chat)[before[chat] :] for chat in before}
    assert len(new[SCHOOL_B]) == 1 and "THPT Ngô Quyền (Các đơn vị giáo dục)" in plain(
        new[SCHOOL_B][0]
    )
    assert f"{due:%d/%m/%Y}" in plain(new[SCHOOL_B][0])
    assert new[SCHOOL_A] == [] and new[DEPARTMENT] == []  # done: not reminded

    board = run_bot(env, "status", "--today", f"{reminder_day:%Y-%m-%d}").stdout
    assert (
        "Các đơn vị giáo dục: chưa hoàn thành (trong hạn) — 1/2 đã xong; còn thiếu: THPT Ngô Quyền"
        in board
    )
    audit = tmp_path / "nhat-ky.csv"
    assert run_bot(env, "audit", "--csv", str(audit)).returncode == 0
    rows = audit.read_text(encoding="utf-8-sig")
    assert "THPT Trần Phú (Các đơn vị giáo dục)" in rows and "ghi nhận bởi" in rows
    assert server.errors == []


ZALO_TOKEN = "3090077098:ZaloMembersTokenAbcdefghijklmnopqrstuv"
ZALO_ADMIN, ZALO_A, ZALO_B = "za0000000000admin", "za0000000000000a1", "za0000000000000b2"


def _zalo_option(text: str, words: str) -> str:
    """The digit of the numbered option whose label contains `words`."""
    return next(
        d for d, label in re.findall(r"^(\d+)\. (.+)$", text, re.MULTILINE) if words in label
    )


def test_two_schools_and_the_approval_through_zalo(tmp_path: Path) -> None:
    from tests.fakes.zalo_server import FakeZaloServer
    from tests.support.subprocess_bot import bot_env

    due, reminder_day = due_and_reminder_day(date.today())
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "kh-tu-kiem-tra.txt").write_text(
        PLAN.format(year=due.year, due=f"{due:%d/%m/%Y}"), encoding="utf-8"
    )
    with FakeZaloServer(ZALO_TOKEN, max_poll_seconds=1.0) as zalo:
        env = bot_env(
            tmp_path,
            ZALO_BOT_TOKEN=ZALO_TOKEN,
            ZALO_BASE_URL=zalo.base_url,
            ADMIN_IDS=f"zalo:{ZALO_ADMIN}",
            DOCUMENTS_DIR=str(docs),
        )
        members = tmp_path / "thanh-vien.csv"
        members.write_text(MEMBERS, encoding="utf-8")
        assert run_bot(env, "members", "import", str(members)).returncode == 0

        def say(chat: str, text: str) -> str:
            count = len(zalo.sent_texts(chat))
            zalo.push_update(zalo.text_update(chat, text))
            return "\n".join(zalo.wait_for_texts(chat, count + 1, timeout=30)[count:])

        process = start_bot(env)
        try:
            zalo.wait_for(lambda: bool(zalo.calls("getUpdates")), timeout=60)
            say(ZALO_ADMIN, "/start")
            assert "THPT Trần Phú (Các đơn vị giáo dục)" in say(ZALO_A, "/donvi THPT Tran Phu")
            say(ZALO_B, "/donvi THPT Ngô Quyền")
            refusal = say(ZALO_A, "/xong")
            user_id = re.search(r"Mã người dùng của bạn: #(\d+)", refusal).group(1)  # type: ignore[union-attr]
            assert "Đã gửi yêu cầu duyệt" in say(
                ZALO_A, _zalo_option(refusal, "Gửi yêu cầu duyệt")
            )
            zalo.wait_for(
                lambda: any("Yêu cầu duyệt thành viên" in t for t in zalo.sent_texts(ZALO_ADMIN)),
                timeout=60,
            )
            notice = next(
                t for t in zalo.sent_texts(ZALO_ADMIN) if "Yêu cầu duyệt thành viên" in t
            )
            assert (
                f"/duyet {user_id}" in notice
            )  # Zalo has no buttons here: the command is in the text
            assert "Đã duyệt" in say(ZALO_ADMIN, f"/duyet {user_id}")
            zalo.wait_for(
                lambda: any("đã được Văn phòng Sở duyệt" in t for t in zalo.sent_texts(ZALO_A)),
                timeout=60,
            )
            menu = say(ZALO_A, "/xong")
            assert "Đã ghi nhận THPT Trần Phú" in say(ZALO_A, _zalo_option(menu, "Xong:"))
        finally:
            _, err = stop_bot(process, timeout=30)
        assert process.returncode == 0, err[-3000:]
        before = {chat: len(zalo.sent_texts(chat)) for chat in (ZALO_A, ZALO_B)}
        tick = run_bot(env, "reminders", "--now", f"{reminder_day:%Y-%m-%d}T09:00:00+07:00")
        assert tick.returncode == 0, tick.stderr
        assert zalo.sent_texts(ZALO_A)[before[ZALO_A] :] == []
        reminded = zalo.sent_texts(ZALO_B)[before[ZALO_B] :]
        assert len(reminded) == 1 and "THPT Ngô Quyền (Các đơn vị giáo dục)" in reminded[0]
