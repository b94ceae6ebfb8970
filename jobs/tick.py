"""One reminder tick: lease → load from the database → plan → enqueue (unique keys) → deliver."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session

from jobs import lease, outbox
from jobs.audience import expanded, load_subscribers
from jobs.delivery import DeliveryReport, deliver
from jobs.digests import due_digests, enqueue_digests
from jobs.done import done_keys
from jobs.holds import active_holds
from jobs.planner import PlannedReminder, PlannerConfig, plan
from jobs.senders import RateLimiter, Sender
from knowledge.db import read_session, write_session
from knowledge.inforce import units_in_force
from knowledge.recurrence import DeadlineOccurrence

logger = logging.getLogger(__name__)

LEASE_TTL = timedelta(minutes=2)
LEASE_RENEW_EVERY = 30.0  # seconds of a long broadcast between lease renewals

OccurrenceLoader = Callable[[Session, date, date], list[DeadlineOccurrence]]


def default_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _load_occurrences(session: Session, start: date, end: date) -> list[DeadlineOccurrence]:
    from knowledge.deadlines import load_occurrences

    return load_occurrences(session, start, end)


@dataclass
class TickReport:
    now: datetime
    due: int = 0  # reminders the planner found due now (new ones)
    enqueued: int = 0
    sent: int = 0
    failed: int = 0
    deferred: int = 0
    skipped: int = 0  # not sent this tick: no sender for the channel, or cancelled as done/stale
    recovered: int = 0  # messages left "sending" by a crashed run, sent again
    pending_after: int = 0
    lease_busy: bool = False
    planned: list[PlannedReminder] = field(default_factory=list)
    delivery: DeliveryReport | None = None


def plan_now(
    engine: Engine,
    config: PlannerConfig,
    *,
    now: datetime,
    loader: OccurrenceLoader = _load_occurrences,
) -> list[PlannedReminder]:
    """What the planner would enqueue now, read from the database (no writes)."""
    today = now.astimezone(config.tz).date()
    with read_session(engine) as session:
        occurrences = expanded(
            session,
            loader(
                session,
                today - timedelta(days=config.lookback_days),
                today + timedelta(days=config.lookahead_days),
            ),
        )
        keys = [o.key for o in occurrences]
        in_force = units_in_force(session, today)  # not units only outdated plans name
        subscribers = [s for s in load_subscribers(session) if s.unit_id in in_force]
        sent = outbox.existing_keys(session, keys)
        done = done_keys(session, keys)
        holds = active_holds(session, keys)
    return plan(now, occurrences, subscribers, config, sent, done, holds)


def _prepare(
    engine: Engine,
    config: PlannerConfig,
    report: TickReport,
    now: datetime,
    loader: OccurrenceLoader,
) -> None:
    """Recover rows a crash left in flight, plan, enqueue by unique key, cancel obsolete rows."""
    today = now.astimezone(config.tz).date()
    with write_session(engine) as session:
        report.recovered = outbox.recover_in_flight(session, now=now)
    planned = plan_now(engine, config, now=now, loader=loader)
    report.planned = planned
    report.due = len(planned)
    with read_session(engine) as session:
        digests = due_digests(session, config, now=now, admin_ids=config.admin_ids)
    with write_session(engine) as session:
        report.enqueued = outbox.enqueue(session, planned, now=now)
        report.enqueued += enqueue_digests(session, digests, now=now)
        report.skipped += outbox.cancel_obsolete(session, today=today, now=now)


async def run_tick(
    engine: Engine,
    senders: Mapping[str, Sender],
    config: PlannerConfig,
    *,
    now: datetime,
    limiters: Mapping[str, RateLimiter] | None = None,
    owner: str | None = None,
    loader: OccurrenceLoader = _load_occurrences,
    concurrency: int = 1,
) -> TickReport:
    """Run exactly one tick as of `now`; a second process finds the lease taken and does
    nothing."""
    owner = owner or default_owner()
    report = TickReport(now=now)
    # Database and planning work is synchronous: keep it off the event loop.
    if not await asyncio.to_thread(lease.acquire, engine, owner, ttl=LEASE_TTL):
        report.lease_busy = True
        return report
    try:
        await asyncio.to_thread(_prepare, engine, config, report, now, loader)
        last_renewal = time.monotonic()

        async def keep_alive() -> None:
            nonlocal last_renewal
            if time.monotonic() - last_renewal >= LEASE_RENEW_EVERY:
                last_renewal = time.monotonic()
                await asyncio.to_thread(lease.acquire, engine, owner, ttl=LEASE_TTL)

        delivery = await deliver(
            engine,
            senders,
            limiters or {},
            now=now,
            keep_alive=keep_alive,
            concurrency=concurrency,
        )
        report.delivery = delivery
        report.sent, report.failed, report.deferred = (
            delivery.sent,
            delivery.failed,
            delivery.deferred,
        )
        with read_session(engine) as session:
            report.pending_after = outbox.count_pending(session)
        report.skipped += max(0, report.pending_after - report.deferred)
    finally:
        await asyncio.to_thread(lease.release, engine, owner)
    logger.info(
        "Reminder tick %s: due %d, sent %d, failed %d, deferred %d, skipped %d",
        now.isoformat(),
        report.due,
        report.sent,
        report.failed,
        report.deferred,
        report.skipped,
    )
    return report
