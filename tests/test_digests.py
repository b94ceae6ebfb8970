"""The admins' daily "Quá hạn chưa xong" and the opt-in Monday digest, sent by
`python -m bot reminders --now` against the fake Bot API: once per day (week), never doubled."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.run import build_conversation
from bot.settings import Settings
from bot.wiring import build_services
from handlers.types import Incoming
from jobs.digests import plan_digests
from jobs.planner import PlannerConfig, Subscriber, SubscriberAddress
from knowledge.models import RecurrenceKind
from knowledge.recurrence import DeadlineOccurrence
from tests.support.subprocess_bot import ROOT, run_bot, telegram_bot_env

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ADMIN, SCHOOL, WEEKLY = "777", "4242", "4343"


def setup(tmp_path: Path) -> None:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'bot.db'}",
        documents_dir=ROOT / "data" / "documents",
        admin_ids=frozenset({ADMIN}),
    )
    conv = build_conversation(
        build_services(settings, clock=lambda: datetime(2027, 1, 4, 9, 0, tzinfo=TZ))
    )

    def say(chat: str, text: str) -> str:
        replies = conv.handle(
            Incoming(
                channel="telegram",
                chat_id=chat,
                user_id=chat,
                display_name=f"Cán bộ {chat}",
                text=text,
            )
        )
        return "\n".join(r.text for r in replies)

    say(ADMIN, "/start")
    say(SCHOOL, "/donvi các đơn vị giáo dục")
    say(WEEKLY, "/donvi các đơn vị giáo dục")
    assert "Bản tin tuần (sáng thứ Hai): BẬT" in say(WEEKLY, "/nhacnho tuan bat")


def tick(tmp_path: Path, server, when: str) -> str:  # type: ignore[no-untyped-def]
    env = telegram_bot_env(tmp_path, server, ADMIN_IDS=ADMIN)
    result = run_bot(env, "reminders", "--now", when)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    return result.stdout


def overdue_digests(server) -> list[str]:  # type: ignore[no-untyped-def]
    return [t for t in server.sent_texts(ADMIN) if t.startswith("Quá hạn chưa xong")]


def weekly_digests(server, chat: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [t for t in server.sent_texts(chat) if t.startswith("Hạn chót tuần này")]


def test_monday_digest_for_who_opted_in_once_a_week(tmp_path: Path, telegram_server) -> None:
    setup(tmp_path)
    tick(tmp_path, telegram_server, "2027-01-11T08:00")  # Monday of the 15/01 deadline's week
    tick(tmp_path, telegram_server, "2027-01-11T11:00")
    tick(tmp_path, telegram_server, "2027-01-12T08:00")  # Tuesday: no weekly digest
    digests = weekly_digests(telegram_server, WEEKLY)
    assert len(digests) == 1
    assert (
        "(11/01–17/01/2027)" in digests[0]
        and "15/01 (thứ Sáu): Gửi kế hoạch CCHC năm" in digests[0]
    )
    assert weekly_digests(telegram_server, SCHOOL) == []  # did not opt in
    assert telegram_server.errors == []


def test_daily_overdue_digest_to_admins_once_per_day(tmp_path: Path, telegram_server) -> None:
    setup(tmp_path)
    tick(tmp_path, telegram_server, "2027-01-18T07:30")  # before the reminder time: not yet
    assert overdue_digests(telegram_server) == []
    tick(tmp_path, telegram_server, "2027-01-18T08:00")  # the 15/01 deadline passed undone
    tick(tmp_path, telegram_server, "2027-01-18T10:00")
    digests = overdue_digests(telegram_server)
    assert len(digests) == 1
    assert "Gửi kế hoạch CCHC năm về Sở — hạn 15/01/2027 (quá 3 ngày)" in digests[0]
    assert "Các đơn vị giáo dục" in digests[0]
    # the unit still gets its single overdue notice, as before
    assert sum("QUÁ HẠN" in t for t in telegram_server.sent_texts(SCHOOL)) == 1
    tick(tmp_path, telegram_server, "2027-01-19T08:00")  # the next working day: again, once
    assert len(overdue_digests(telegram_server)) == 2
    assert all(not t.startswith("Quá hạn chưa xong") for t in telegram_server.sent_texts(SCHOOL))
    assert telegram_server.errors == []


def test_nothing_when_the_overdue_list_is_empty_or_outside_office_hours() -> None:
    config = PlannerConfig(tz=TZ)
    admin = (1, SubscriberAddress(10, "telegram", "777"))
    occ = DeadlineOccurrence(
        5,
        date(2027, 1, 15),
        "Gửi kế hoạch",
        "",
        RecurrenceKind.YEARLY,
        1,
        "Kế hoạch",
        "",
        frozenset({3}),
        False,
    )
    sub = Subscriber(2, 3, "Trường A", (SubscriberAddress(11, "telegram", "42"),))
    monday = datetime(2027, 1, 11, 8, 0, tzinfo=TZ)

    def plan(now: datetime, done: frozenset = frozenset(), sent: frozenset = frozenset()):  # type: ignore[no-untyped-def]
        return plan_digests(
            now,
            config,
            overdue=[],
            admins=[admin],
            weekly=[sub],
            occurrences=[occ],
            done=done,
            sent_keys=sent,
        )

    planned = plan(monday)
    assert [d.address.chat_id for d in planned] == ["42"]  # no overdue: the admin gets nothing
    assert plan(monday, sent=frozenset({planned[0].key})) == []
    assert plan(monday, done=frozenset({(3, occ.key)})) == []  # done: nothing left this week
    assert plan(datetime(2027, 1, 10, 8, 0, tzinfo=TZ)) == []  # Sunday
    assert plan(datetime(2027, 1, 12, 8, 0, tzinfo=TZ)) == []  # Tuesday


def test_a_members_own_done_mark_clears_only_its_weekly_digest() -> None:
    """A school of a collective unit that marked a deadline done no longer sees it on Monday;
    another school of the same unit still does."""
    occ = DeadlineOccurrence(
        5,
        date(2027, 1, 15),
        "Gửi kế hoạch",
        "",
        RecurrenceKind.YEARLY,
        1,
        "Kế hoạch",
        "",
        frozenset({3}),
        False,
    )
    school_a = Subscriber(
        2, 3, "Trường A", (SubscriberAddress(11, "telegram", "42"),), member_id=7
    )
    school_b = Subscriber(
        4, 3, "Trường B", (SubscriberAddress(12, "telegram", "43"),), member_id=8
    )
    planned = plan_digests(
        datetime(2027, 1, 11, 8, 0, tzinfo=TZ),
        PlannerConfig(tz=TZ),
        overdue=[],
        admins=[],
        weekly=[school_a, school_b],
        occurrences=[occ],
        done=frozenset({(3, occ.key, 7)}),
        sent_keys=frozenset(),
    )
    assert [d.address.chat_id for d in planned] == ["43"]
