"""`python -m bot reminders|status|audit` as real subprocesses against the fake Bot API."""

from __future__ import annotations

import csv
import re
import signal
import subprocess
import threading
from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.run import build_conversation
from bot.settings import Settings
from bot.wiring import build_services
from handlers.types import ContentKind, Incoming
from knowledge.db import read_session
from knowledge.models import Unit
from tests.fakes.telegram_server import FakeTelegramServer
from tests.reminder_support import add_subscribers
from tests.support.subprocess_bot import ROOT, run_bot, start_bot
from tests.support.subprocess_bot import telegram_bot_env as env_for  # the name other branches use

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
WEEK_BEFORE = "2026-12-03T08:00"  # 10/12/2026: quarterly, half-yearly and yearly CCHC reports


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    result = run_bot(env, *args)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def services_for(db_url: str):  # type: ignore[no-untyped-def]
    settings = Settings(database_url=db_url, documents_dir=ROOT / "data" / "documents")
    return build_services(settings, clock=lambda: datetime(2026, 11, 30, 9, 0, tzinfo=TZ))


def test_reminders_twice_sends_once_to_a_subscriber_made_in_the_conversation(
    db_url, tmp_path, telegram_server
) -> None:
    services = services_for(db_url)
    conv = build_conversation(services)
    for text in ("/start", "/donvi van phong so"):
        conv.handle(
            Incoming(
                channel="telegram",
                chat_id="4242",
                user_id="4242",
                display_name="Chị Lan",
                text=text,
            )
        )
    env = env_for(tmp_path, telegram_server, DATABASE_URL=db_url)

    preview = run(env, "reminders", "--now", WEEK_BEFORE, "--dry-run")
    assert (
        preview.returncode == 0 and "đến hạn 3 tin trong 1 tin nhắn (không gửi" in preview.stdout
    )
    assert telegram_server.sent_messages() == []

    first = run(env, "reminders", "--now", WEEK_BEFORE)
    assert first.returncode == 0, first.stderr
    assert "đến hạn 3, đã gửi 3, lỗi 0" in first.stdout and "gộp trong 1 tin nhắn" in first.stdout
    second = run(env, "reminders", "--now", WEEK_BEFORE)
    assert second.returncode == 0 and "đến hạn 0, đã gửi 0" in second.stdout
    texts = telegram_server.sent_texts(4242)
    assert (
        len(texts) == 1 and len(telegram_server.sent_messages()) == 1
    )  # three reminders, one message
    text = texts[0]
    # one sentence of one plan, one day: one reminder naming the three reports
    assert text.startswith(
        "Nhắc hạn: Báo cáo quý kết quả CCHC (quý IV/2026), Báo cáo 6 tháng "
        "kết quả CCHC (6 tháng cuối năm 2026) và Báo cáo năm kết quả CCHC (năm 2026)"
    )
    assert text.count("10/12/2026 (còn 7 ngày)") == 1 and text.count("/xong") == 1
    assert telegram_server.errors == []

    board = run(env, "status", "--today", "2026-12-03")
    assert board.returncode == 0 and "chưa hoàn thành (trong hạn)" in board.stdout
    out = tmp_path / "bang.csv"
    assert run(env, "status", "--today", "2026-12-03", "--csv", str(out)).returncode == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert {r["trang_thai"] for r in rows} >= {"chưa hoàn thành (trong hạn)"}
    audit = tmp_path / "audit.csv"
    assert run(env, "audit", "--csv", str(audit)).returncode == 0
    events = list(csv.DictReader(audit.open(encoding="utf-8-sig")))
    sent = [e for e in events if e["su_kien"] == "nhắc hạn" and e["trang_thai"] == "đã gửi"]
    assert len(sent) == 3 and all("telegram:4242" in e["nguoi_nhan_hoac_thuc_hien"] for e in sent)


def test_bad_input_gets_a_vietnamese_message_and_exit_2(db_url, tmp_path, telegram_server) -> None:
    env = env_for(tmp_path, telegram_server, DATABASE_URL=db_url)
    bad = run(env, "reminders", "--now", "mai lúc 8 giờ")
    assert bad.returncode == 2 and "Thời điểm --now không hợp lệ" in bad.stderr
    bad_day = run(env, "status", "--today", "31/12/2026")
    assert bad_day.returncode == 2 and "Ngày --today không hợp lệ" in bad_day.stderr
    no_dir = run(env, "audit", "--csv", str(tmp_path / "khong-co" / "a.csv"))
    assert no_dir.returncode == 2 and "Không ghi được tệp" in no_dir.stderr


class HangingServer(FakeTelegramServer):
    """Holds one chat's sendMessage open (never delivered) so a test can kill the sender then."""

    def __init__(self, hang_chat: str) -> None:
        super().__init__()
        self.hang_chat = hang_chat
        self.arrived = threading.Event()
        self.release = threading.Event()
        self._hung = False

    def _record(self, method, params, outcome):  # type: ignore[no-untyped-def]
        if (
            method == "sendMessage"
            and outcome == "ok"
            and not self._hung
            and str(params.get("chat_id")) == self.hang_chat
        ):
            self._hung = True
            self.arrived.set()
            self.release.wait(60)
            return super()._record(method, params, "lost-in-flight")
        return super()._record(method, params, outcome)


@pytest.mark.parametrize("in_flight", [1, 4])
def test_process_killed_mid_broadcast_then_restarted_no_duplicate_no_loss(
    db_url, tmp_path, in_flight
) -> None:
    """SIGKILL mid-broadcast: nothing is lost, and at most SEND_CONCURRENCY messages (those in
    flight) are sent again: exactly-once with one in flight."""
    services = services_for(db_url)
    with read_session(services.engine) as s:
        unit = s.exec(select(Unit).where(Unit.name == "Văn phòng Sở")).one().id
    chats = list(range(7001, 7031))
    add_subscribers(services.engine, unit, chats)
    with HangingServer(hang_chat="7012") as server:
        env = env_for(
            tmp_path,
            server,
            TELEGRAM_RATE_PER_SECOND="100",
            DATABASE_URL=db_url,
            SEND_CONCURRENCY=str(in_flight),
        )
        proc = start_bot(env, "reminders", "--now", WEEK_BEFORE)
        try:
            assert server.arrived.wait(60), "the broadcast never reached the chat to hang"
            proc.send_signal(signal.SIGKILL)
            proc.wait(30)
        finally:
            server.release.set()
        assert proc.returncode == -signal.SIGKILL
        before = Counter(int(p["chat_id"]) for p in server.sent_messages())
        assert 0 < sum(before.values()) < 30 and 7012 not in before

        restart = run(env, "reminders", "--now", WEEK_BEFORE)
        assert restart.returncode == 0, restart.stderr
        recovered = int(re.search(r"Gửi lại (\d+) tin bị gián đoạn", restart.stdout).group(1))
        assert 1 <= recovered <= in_flight
        counts = Counter(int(p["chat_id"]) for p in server.sent_messages())
        # the three reports travel as one message per chat: each chat got it, and only messages
        # in flight at the kill can have reached their chat twice
        assert set(counts) == set(chats)
        assert sum(n - 1 for n in counts.values()) <= in_flight
        if in_flight == 1:
            assert counts == Counter({c: 1 for c in chats})
        assert all(
            p["text"].startswith("Nhắc hạn: Báo cáo quý kết quả CCHC (quý IV/2026), ")
            for p in server.sent_messages()
        )
        assert server.errors == []


def test_a_school_picked_on_start_gets_the_plan_submission_reminder_once(
    db_url, tmp_path, telegram_server
) -> None:
    """15/01 "Gửi kế hoạch CCHC năm về Sở" is addressed to "Các đơn vị giáo dục": a school's head
    must be able to pick that unit on /start and then be reminded, exactly once."""
    services = services_for(db_url)
    conv = build_conversation(services)

    def say(text: str, kind: ContentKind = ContentKind.TEXT):  # type: ignore[no-untyped-def]
        return conv.handle(
            Incoming(
                channel="telegram",
                chat_id="5151",
                user_id="5151",
                display_name="Thầy Hùng",
                text=text,
                kind=kind,
            )
        )

    start = say("/start")[0]
    labels = [c.label for c in start.choices]
    assert "Các đơn vị giáo dục (trường THPT, trung tâm GDNN-GDTX)" in labels
    # only the 2025 plan, superseded by the 2026-2030 one, names the district offices
    assert "Phòng GDĐT quận, huyện" not in labels
    assert not any("Các phòng CMNV" in label for label in labels)
    school = next(c for c in start.choices if c.label.startswith("Các đơn vị giáo dục"))
    assert "Các đơn vị giáo dục" in say(school.payload, ContentKind.CHOICE)[0].text
    env = env_for(tmp_path, telegram_server, DATABASE_URL=db_url)

    preview = run(env, "reminders", "--now", "2027-01-08T08:00", "--dry-run")
    assert preview.returncode == 0, preview.stderr
    assert preview.stdout.count("telegram:5151") == 1
    assert (
        preview.stdout.count("Gửi kế hoạch CCHC năm về Sở") == 1 and "15/01/2027" in preview.stdout
    )

    assert run(env, "reminders", "--now", "2027-01-08T08:00").returncode == 0
    assert run(env, "reminders", "--now", "2027-01-08T08:00").returncode == 0
    texts = telegram_server.sent_texts(5151)
    assert (
        len(texts) == 1 and "Gửi kế hoạch CCHC năm về Sở" in texts[0] and "15/01/2027" in texts[0]
    )
