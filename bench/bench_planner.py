"""Benchmark: one planner tick over 10,000 subscribers and 200 deadlines (target < 1 s).

Usage: python bench/bench_planner.py [--subscribers N] [--deadlines D]
Measures the pure planner on in-memory inputs, then a whole `plan_now` reading a SQLite file.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from jobs.models import ChatAddress, Person  # noqa: E402
from jobs.outbox import enqueue  # noqa: E402
from jobs.planner import PlannerConfig, Subscriber, SubscriberAddress, plan  # noqa: E402
from jobs.tick import plan_now  # noqa: E402
from knowledge.db import write_session  # noqa: E402
from knowledge.models import Deadline, RecurrenceKind, Unit  # noqa: E402
from knowledge.recurrence import DeadlineOccurrence, dates_between  # noqa: E402
from tests.reminder_support import loader_of, make_db  # noqa: E402

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
UNITS = 40


def rules(count: int) -> list[Deadline]:
    rng = random.Random(7)
    kinds = [
        RecurrenceKind.MONTHLY,
        RecurrenceKind.QUARTERLY,
        RecurrenceKind.YEARLY,
        RecurrenceKind.ONCE,
    ]
    out = []
    for i in range(count):
        kind = kinds[i % 4]
        out.append(
            Deadline(
                id=i + 1,
                title=f"Hạn {i + 1}",
                rule_kind=kind,
                day=rng.randint(1, 31),
                month=rng.randint(1, 12),
                month_in_period=3,
                due_date=date(2027, 1, 1) + timedelta(days=rng.randint(0, 60)),
            )
        )
    return out


def occurrences(deadlines: list[Deadline], start: date, end: date) -> list[DeadlineOccurrence]:
    rng = random.Random(11)
    out = []
    for d in deadlines:
        audience = frozenset(rng.sample(range(1, UNITS + 1), 3))
        for due in dates_between(d, start, end):
            out.append(
                DeadlineOccurrence(
                    d.id,
                    due,
                    d.title,
                    "Trích dẫn",
                    d.rule_kind,
                    1,
                    "Kế hoạch",
                    "V.1",
                    audience,
                    all_units=d.id % 10 == 0,
                )
            )
    return out


def subscribers(count: int) -> list[Subscriber]:
    return [
        Subscriber(
            person_id=i,
            unit_id=i % UNITS + 1,
            unit_name=f"Đơn vị {i % UNITS + 1}",
            addresses=(SubscriberAddress(id=i, channel="telegram", chat_id=str(i)),),
        )
        for i in range(1, count + 1)
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--deadlines", type=int, default=200)
    args = parser.parse_args()
    config = PlannerConfig(tz=TZ)
    deadlines = rules(args.deadlines)
    subs = subscribers(args.subscribers)
    now = datetime(2027, 1, 11, 8, 0, tzinfo=TZ)
    occs = occurrences(
        deadlines,
        now.date() - timedelta(days=config.lookback_days),
        now.date() + timedelta(days=config.lookahead_days),
    )
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        due = plan(now, occs, subs, config, set(), set())
        timings.append(time.perf_counter() - started)
    keys = {p.key for p in due}
    started = time.perf_counter()
    again = plan(now, occs, subs, config, keys, set())
    steady = time.perf_counter() - started
    print(
        f"pure planner: {args.subscribers} subscribers × {len(occs)} occurrences of "
        f"{args.deadlines} deadlines → {len(due)} due; best {min(timings):.3f} s, median "
        f"{sorted(timings)[2]:.3f} s; steady state (all sent already, {len(again)} due) "
        f"{steady:.3f} s"
    )
    tracemalloc.start()
    plan(now, occs, subs, config, set(), set())
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    with tempfile.TemporaryDirectory() as tmp:
        engine = make_db(Path(tmp) / "p.db")
        with write_session(engine) as s:
            for u in range(1, UNITS + 1):
                s.add(Unit(id=u, name=f"Đơn vị {u}"))
            s.flush()
            for sub in subs:
                s.add(
                    Person(id=sub.person_id, display_name=str(sub.person_id), unit_id=sub.unit_id)
                )
            s.flush()
            for sub in subs:
                s.add(
                    ChatAddress(
                        channel="telegram", chat_id=str(sub.person_id), person_id=sub.person_id
                    )
                )
        started = time.perf_counter()
        planned = plan_now(engine, config, now=now, loader=loader_of(occs))
        whole = time.perf_counter() - started
        started = time.perf_counter()
        with write_session(engine) as s:
            enqueue(s, planned, now=now)
        enqueue_time = time.perf_counter() - started
        started = time.perf_counter()
        steady_rows = plan_now(
            engine, config, now=now + timedelta(minutes=5), loader=loader_of(occs)
        )
        steady_db = time.perf_counter() - started
    print(
        f"plan_now from SQLite (load subscribers, sent keys, done marks + plan): {whole:.3f} s, "
        f"{len(planned)} due; enqueue them {enqueue_time:.3f} s; next tick with all "
        f"{len(planned)} keys in the log {steady_db:.3f} s ({len(steady_rows)} due)"
    )
    print(
        f"peak Python allocations of one planning pass: {peak / 1e6:.1f} MB; process max RSS "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )


if __name__ == "__main__":
    main()
