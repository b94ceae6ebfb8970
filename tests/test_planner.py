"""Planner with an injected clock: real rules expanded by knowledge.recurrence, ticks simulated."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from jobs.models import ReminderKind
from jobs.planner import PlannerConfig, Subscriber, SubscriberAddress, plan
from knowledge.models import Deadline, RecurrenceKind
from knowledge.recurrence import DeadlineOccurrence, dates_between

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CONFIG = PlannerConfig(tz=TZ)
UNIT = 1


def at(y: int, m: int, d: int, hh: int = 8, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


def occurrences(rule: Deadline, start: date, end: date, unit_ids=(UNIT,), all_units=False):
    return [
        DeadlineOccurrence(
            deadline_id=rule.id or 1,
            due=due,
            title=rule.title or "Nộp kế hoạch CCHC",
            quote="Trước ngày 15/01 hằng năm",
            rule_kind=rule.rule_kind,
            document_id=1,
            document_title="Kế hoạch CCHC năm 2025",
            section_path="Phụ lục",
            unit_ids=frozenset(unit_ids),
            all_units=all_units,
        )
        for due in dates_between(rule, start, end)
    ]


def subscriber(person_id: int = 1, unit_id: int = UNIT, **kw) -> Subscriber:
    addresses = kw.pop(
        "addresses",
        (SubscriberAddress(id=person_id, channel="telegram", chat_id=str(100 + person_id)),),
    )
    return Subscriber(
        person_id=person_id, unit_id=unit_id, unit_name="Văn phòng Sở", addresses=addresses, **kw
    )


def simulate(
    rule,
    start: datetime,
    end: datetime,
    *,
    subs=None,
    config=CONFIG,
    step_minutes=30,
    done=frozenset(),
    down=None,
):
    """Tick every `step_minutes` from start to end; return (tick time, planned reminder) sent."""
    subs = subs or [subscriber()]
    sent_keys: set[str] = set()
    sent = []
    now = start
    while now <= end:
        if down is None or not (down[0] <= now < down[1]):
            occs = occurrences(
                rule,
                now.date() - timedelta(days=config.lookback_days),
                now.date() + timedelta(days=config.lookahead_days),
            )
            for item in plan(now, occs, subs, config, sent_keys, done):
                assert item.key not in sent_keys
                sent_keys.add(item.key)
                sent.append((now, item))
        now += timedelta(minutes=step_minutes)
    return sent


def summary(sent):
    return [
        (now.strftime("%Y-%m-%d %H:%M"), r.occurrence.due.isoformat(), r.kind.value, r.offset_days)
        for now, r in sent
    ]


YEARLY_1501 = Deadline(
    id=1, title="Nộp kế hoạch CCHC", rule_kind=RecurrenceKind.YEARLY, month=1, day=15
)
QUARTERLY_10 = Deadline(
    id=2, title="Báo cáo quý", rule_kind=RecurrenceKind.QUARTERLY, month_in_period=3, day=10
)
MONTHLY_31 = Deadline(id=3, title="Báo cáo tháng", rule_kind=RecurrenceKind.MONTHLY, day=31)


def test_year_rollover_15_01_all_slots_then_overdue_once() -> None:
    sent = simulate(YEARLY_1501, at(2026, 12, 20, 0), at(2027, 1, 31, 23))
    # 15/01/2027 is a Friday: 7 days before is Fri 08/01, 3 → Tue 12/01, 1 → Thu 14/01,
    # overdue Mon 18/01.
    assert summary(sent) == [
        ("2027-01-08 08:00", "2027-01-15", "before", 7),
        ("2027-01-12 08:00", "2027-01-15", "before", 3),
        ("2027-01-14 08:00", "2027-01-15", "before", 1),
        ("2027-01-15 08:00", "2027-01-15", "before", 0),
        ("2027-01-18 08:00", "2027-01-15", "overdue", 0),
    ]


def test_quarter_boundaries_10_03_06_09_12() -> None:
    sent = simulate(QUARTERLY_10, at(2027, 1, 1, 0), at(2027, 12, 31, 23), step_minutes=60)
    by_due: dict[str, list[tuple[str, str, int]]] = {}
    for when, due, kind, offset in summary(sent):
        by_due.setdefault(due, []).append((when[:10], kind, offset))
    assert sorted(by_due) == ["2027-03-10", "2027-06-10", "2027-09-10", "2027-12-10"]
    # 10/03/2027 Wed: 07/03 is a Sunday, so the 3-day reminder goes out Friday 05/03.
    assert by_due["2027-03-10"] == [
        ("2027-03-03", "before", 7),
        ("2027-03-05", "before", 3),
        ("2027-03-09", "before", 1),
        ("2027-03-10", "before", 0),
        ("2027-03-11", "overdue", 0),
    ]
    # 10/09/2027 Fri: 7 days before is 03/09, a National Day holiday (02-03/09/2027), so that
    # reminder goes out Wednesday 01/09; overdue notice on the next working day, Monday 13/09.
    assert by_due["2027-09-10"] == [
        ("2027-09-01", "before", 7),
        ("2027-09-07", "before", 3),
        ("2027-09-09", "before", 1),
        ("2027-09-10", "before", 0),
        ("2027-09-13", "overdue", 0),
    ]
    assert by_due["2027-12-10"][-1] == ("2027-12-13", "overdue", 0)
    assert all(len(v) == 5 for v in by_due.values())


def test_month_ends_clamp_to_30_and_february() -> None:
    dues = [o.due for o in occurrences(MONTHLY_31, date(2027, 1, 1), date(2028, 3, 31))]
    assert date(2027, 4, 30) in dues and date(2027, 2, 28) in dues and date(2028, 2, 29) in dues
    assert date(2027, 6, 30) in dues and date(2027, 9, 30) in dues and date(2027, 11, 30) in dues
    sent = simulate(MONTHLY_31, at(2027, 2, 10, 0), at(2027, 3, 3, 23), step_minutes=60)
    feb = [(w[:10], k, o) for w, d, k, o in summary(sent) if d == "2027-02-28"]
    # 28/02/2027 is a Sunday: the on-the-day reminder goes out Friday 26/02, with the 1-day one
    # (Saturday 27/02 → Friday too) folded into it; 7 days before is Sunday 21/02 → Friday 19/02.
    assert feb == [
        ("2027-02-19", "before", 7),
        ("2027-02-25", "before", 3),
        ("2027-02-26", "before", 0),
        ("2027-03-01", "overdue", 0),
    ]


def test_0759_nothing_0800_one_reminder() -> None:
    occs = occurrences(YEARLY_1501, date(2027, 1, 1), date(2027, 1, 31))
    assert plan(at(2027, 1, 8, 7, 59), occs, [subscriber()], CONFIG, set(), set()) == []
    due = plan(at(2027, 1, 8, 8, 0), occs, [subscriber()], CONFIG, set(), set())
    assert [(r.kind, r.offset_days) for r in due] == [(ReminderKind.BEFORE, 7)]
    text = due[0].text
    assert "15/01/2027" in text and "còn 7 ngày" in text and "Kế hoạch CCHC năm 2025" in text
    assert "/xong" in text and "Trước ngày 15/01 hằng năm" in text


def test_personal_time_and_offsets_override_defaults() -> None:
    occs = occurrences(YEARLY_1501, date(2027, 1, 1), date(2027, 1, 31))
    sub = subscriber(offsets=(2,), reminder_time=time(14, 30))
    assert plan(at(2027, 1, 13, 14, 29), occs, [sub], CONFIG, set(), set()) == []
    due = plan(at(2027, 1, 13, 14, 30), occs, [sub], CONFIG, set(), set())
    assert [(r.offset_days, r.planned_for.hour) for r in due] == [(2, 14)]
    assert (
        plan(at(2027, 1, 8, 9), occs, [subscriber(reminders_enabled=False)], CONFIG, set(), set())
        == []
    )


def test_weekend_and_holiday_shift_to_previous_working_day() -> None:
    rule = Deadline(
        id=4, title="Nộp dự toán", rule_kind=RecurrenceKind.ONCE, due_date=date(2027, 5, 11)
    )
    # 11/05/2027 is a Tuesday; a bridge day of the year's decision (HOLIDAYS) on Friday 07/05
    # moves the 3-day reminder (Saturday 08/05) back to Thursday 06/05, and the 1-day reminder
    # (Monday 10/05, also configured off) back to the same Thursday: sent once.
    config = PlannerConfig(tz=TZ, holidays=frozenset({date(2027, 5, 7), date(2027, 5, 10)}))
    sent = simulate(rule, at(2027, 5, 1, 0), at(2027, 5, 11, 23), config=config)
    assert summary(sent) == [
        ("2027-05-04 08:00", "2027-05-11", "before", 7),
        ("2027-05-06 08:00", "2027-05-11", "before", 1),
        ("2027-05-11 08:00", "2027-05-11", "before", 0),
    ]


def test_public_holidays_come_from_the_holidays_package() -> None:
    # 01/05/2027 is a Saturday, so Monday 03/05/2027 is the observed Labour Day; 30/04 is
    # Reunification Day: every reminder of a 03/05 deadline goes out on Thursday 29/04 at the
    # latest, with no HOLIDAYS configured.
    assert not CONFIG.is_working_day(date(2027, 5, 3))
    assert not CONFIG.is_working_day(date(2027, 4, 30))
    assert CONFIG.is_working_day(date(2027, 4, 29))
    rule = Deadline(
        id=4, title="Nộp dự toán", rule_kind=RecurrenceKind.ONCE, due_date=date(2027, 5, 3)
    )
    sent = simulate(rule, at(2027, 4, 20, 0), at(2027, 5, 4, 23))
    assert [(w, k, o) for w, _, k, o in summary(sent)] == [
        ("2027-04-26 08:00", "before", 7),
        ("2027-04-29 08:00", "before", 0),
        ("2027-05-04 08:00", "overdue", 0),
    ]


def test_budget_deadline_inside_tet_2028_is_reminded_before_tet() -> None:
    # Tết Mậu Thân: 24–29/01/2028 are public holidays (lunar calendar, from `holidays`). The
    # 25/01/2028 budget estimates are reminded on the last working day before Tết, Friday 21/01,
    # never during Tết.
    tet = [date(2028, 1, d) for d in range(24, 30)]
    assert not any(CONFIG.is_working_day(day) for day in tet)
    rule = Deadline(
        id=5, title="Dự trù kinh phí", rule_kind=RecurrenceKind.YEARLY, month=1, day=25
    )
    sent = simulate(rule, at(2028, 1, 10, 0), at(2028, 1, 31, 23), step_minutes=60)
    on_due = [(w, k, o) for w, d, k, o in summary(sent) if d == "2028-01-25"]
    assert on_due[-2] == ("2028-01-21 08:00", "before", 0)
    assert all(date.fromisoformat(w[:10]) not in tet for w, _, _ in on_due)
    assert on_due[-1] == ("2028-01-31 08:00", "overdue", 0)  # first working day after Tết


def test_working_days_setting_makes_a_swapped_saturday_a_working_day() -> None:
    rule = Deadline(
        id=6, title="Nộp báo cáo", rule_kind=RecurrenceKind.ONCE, due_date=date(2027, 1, 11)
    )
    # Monday 11/01/2027: the 1-day reminder falls on Sunday 10/01. Normally it goes out on
    # Friday 08/01; with Saturday 09/01 declared a working day, it goes out that Saturday.
    plain = [
        (w, o) for w, _, _, o in summary(simulate(rule, at(2027, 1, 1, 0), at(2027, 1, 10, 23)))
    ]
    assert ("2027-01-08 08:00", 1) in plain
    swapped = PlannerConfig(tz=TZ, working_days=frozenset({date(2027, 1, 9)}))
    sent = simulate(rule, at(2027, 1, 1, 0), at(2027, 1, 10, 23), config=swapped)
    assert ("2027-01-09 08:00", 1) in [(w, o) for w, _, _, o in summary(sent)]


def test_office_hours_only_and_late_start_sends_at_once() -> None:
    occs = occurrences(YEARLY_1501, date(2027, 1, 1), date(2027, 1, 31))
    assert plan(at(2027, 1, 8, 18, 0), occs, [subscriber()], CONFIG, set(), set()) == []
    assert (
        plan(at(2027, 1, 9, 10, 0), occs, [subscriber()], CONFIG, set(), set()) == []
    )  # Saturday
    late = plan(at(2027, 1, 8, 13, 0), occs, [subscriber()], CONFIG, set(), set())
    assert [(r.offset_days) for r in late] == [7]


def test_catch_up_after_five_days_down_sends_only_latest() -> None:
    rule = QUARTERLY_10
    sent = simulate(
        rule, at(2027, 3, 1, 0), at(2027, 3, 10, 23), down=(at(2027, 3, 2, 12), at(2027, 3, 9, 10))
    )
    # Down from Tuesday 02/03 to Tuesday 09/03 10:00: the 7-day (03/03), 3-day (05/03) and
    # 1-day (09/03 08:00) reminders were missed; on restart only the 1-day one goes out.
    assert summary(sent) == [
        ("2027-03-09 10:00", "2027-03-10", "before", 1),
        ("2027-03-10 08:00", "2027-03-10", "before", 0),
    ]


def test_catch_up_after_the_due_date_is_the_overdue_notice_only() -> None:
    sent = simulate(
        QUARTERLY_10,
        at(2027, 3, 1, 0),
        at(2027, 3, 20, 23),
        down=(at(2027, 3, 2, 12), at(2027, 3, 15, 9)),
    )
    assert summary(sent) == [("2027-03-15 09:00", "2027-03-10", "overdue", 0)]


def test_done_before_first_reminder_sends_nothing() -> None:
    occ_key = f"{YEARLY_1501.id}@2027-01-15"
    sent = simulate(
        YEARLY_1501, at(2027, 1, 1, 0), at(2027, 1, 31, 23), done=frozenset({(UNIT, occ_key)})
    )
    assert sent == []


def test_overdue_notice_exactly_once_and_not_for_stale_occurrences() -> None:
    sent = simulate(YEARLY_1501, at(2027, 1, 16, 0), at(2027, 3, 1, 0))
    assert [s[2] for s in summary(sent)] == ["overdue"]
    # A subscriber who joins three weeks after the due date gets no old overdue notices.
    assert simulate(YEARLY_1501, at(2027, 2, 5, 0), at(2027, 2, 20, 0)) == []


def test_audience_units_and_all_units() -> None:
    occs = occurrences(YEARLY_1501, date(2027, 1, 1), date(2027, 1, 31), unit_ids=(2,))
    subs = [subscriber(1, unit_id=1), subscriber(2, unit_id=2)]
    assert [r.person_id for r in plan(at(2027, 1, 8, 9), occs, subs, CONFIG, set(), set())] == [2]
    everyone = occurrences(
        YEARLY_1501, date(2027, 1, 1), date(2027, 1, 31), unit_ids=(), all_units=True
    )
    assert {
        r.person_id for r in plan(at(2027, 1, 8, 9), everyone, subs, CONFIG, set(), set())
    } == {1, 2}


def test_linked_person_gets_one_reminder_unless_all_channels() -> None:
    occs = occurrences(YEARLY_1501, date(2027, 1, 1), date(2027, 1, 31))
    addresses = (
        SubscriberAddress(id=10, channel="telegram", chat_id="1", is_primary=True),
        SubscriberAddress(id=11, channel="zalo", chat_id="z1", is_primary=False),
    )
    one = plan(at(2027, 1, 8, 9), occs, [subscriber(addresses=addresses)], CONFIG, set(), set())
    assert [r.address.channel for r in one] == ["telegram"]
    both = plan(
        at(2027, 1, 8, 9),
        occs,
        [subscriber(addresses=addresses, deliver_all_channels=True)],
        CONFIG,
        set(),
        set(),
    )
    assert sorted(r.address.channel for r in both) == ["telegram", "zalo"]
    assert len({r.key for r in both}) == 2
    # The primary chat blocked the bot: the reminder goes to the person's other chat.
    blocked = (
        SubscriberAddress(id=10, channel="telegram", chat_id="1", active=False),
        addresses[1],
    )
    fallback = plan(at(2027, 1, 8, 9), occs, [subscriber(addresses=blocked)], CONFIG, set(), set())
    assert [r.address.channel for r in fallback] == ["zalo"]


def test_console_chats_are_not_reminded() -> None:
    occs = occurrences(YEARLY_1501, date(2027, 1, 1), date(2027, 1, 31))
    console = (SubscriberAddress(id=1, channel="console", chat_id="console"),)
    assert (
        plan(at(2027, 1, 8, 9), occs, [subscriber(addresses=console)], CONFIG, set(), set()) == []
    )


def test_holiday_settings_reach_the_planner() -> None:
    import pytest

    from bot.settings import SettingsError, load_settings

    settings = load_settings(
        env={"HOLIDAYS": "2027-05-07", "WORKING_DAYS": "2027-01-09, 2027-05-08"}
    )
    config = PlannerConfig.from_settings(settings)
    assert not config.is_working_day(date(2027, 5, 7))  # a bridge day of the year's decision
    assert config.is_working_day(date(2027, 1, 9)) and config.is_working_day(date(2027, 5, 8))
    with pytest.raises(SettingsError, match="WORKING_DAYS"):
        load_settings(env={"WORKING_DAYS": "09/01/2027"})
