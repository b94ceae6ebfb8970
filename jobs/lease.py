"""A lease row in the database so that only one process (of any replica) runs the reminder tick.

Atomic on SQLite and PostgreSQL: the row is created with INSERT … ON CONFLICT DO NOTHING, then
taken by one conditional UPDATE … RETURNING, so of two processes racing only one can win.

Timed by the database's own clock, not the process's, and bounded: a lease lasts at most
`MAX_LEASE`. An expiry further ahead than that cannot come from a live holder; it was written
before the clock moved backwards, and the lease is taken over instead of stalling reminders.
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import UTC, datetime, timedelta

from sqlalchemy import case, literal, or_, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from jobs.models import TickLease
from knowledge.db import write_session
from knowledge.dbtypes import AwareDateTime

logger = logging.getLogger(__name__)

TICK_LEASE = "reminder-tick"
MAX_LEASE = timedelta(minutes=10)  # no lease is granted longer; expiries beyond it are stale


def database_now(session: Session) -> datetime:
    """The database server's current time, aware UTC (SQLite: the host's clock, in UTC)."""
    if session.get_bind().dialect.name == "postgresql":
        moment = session.execute(text("SELECT statement_timestamp()")).scalar_one()
        return moment.astimezone(UTC)
    raw = session.execute(text("SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')")).scalar_one()
    return datetime.fromisoformat(raw).replace(tzinfo=UTC)


def owner_is_dead(owner: str) -> bool:
    """True when the owner ("host:pid") is a process of this host that no longer exists."""
    host, _, pid = owner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another machine: only expiry can free its lease
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError):
        return False
    return False


def _ensure_row(session: Session, name: str, now: datetime) -> None:
    """Create the lease row, expired and ownerless, unless it exists (never a unique violation)."""
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    session.execute(
        insert(TickLease)
        .values(name=name, owner="", expires_at=now - timedelta(seconds=1), acquired_at=now)
        .on_conflict_do_nothing(index_elements=["name"])
    )


def acquire(engine: Engine, owner: str, *, ttl: timedelta, name: str = TICK_LEASE) -> bool:
    """Take or renew the lease for `ttl` (at most MAX_LEASE); False while another holds it.

    It is free when expired, when its expiry lies impossibly far ahead (a clock moved back), or
    when its owner is a process of this host that no longer runs.
    """
    if ttl > MAX_LEASE:
        raise ValueError(f"lease of {ttl} is longer than the maximum {MAX_LEASE}")
    with write_session(engine) as session:  # SQLite: BEGIN IMMEDIATE; PostgreSQL: row lock
        now = database_now(session)
        _ensure_row(session, name, now)
        holder = session.execute(
            select(col(TickLease.owner)).where(col(TickLease.name) == name)
        ).scalar_one()
        takeable = [owner]
        if holder and holder != owner and owner_is_dead(holder):
            takeable.append(holder)
        won = session.execute(
            update(TickLease)
            .where(
                col(TickLease.name) == name,
                or_(
                    col(TickLease.owner).in_(takeable),
                    col(TickLease.expires_at) <= now,
                    col(TickLease.expires_at) > now + MAX_LEASE,
                ),
            )
            .values(
                owner=owner,
                expires_at=now + ttl,
                acquired_at=case(
                    (col(TickLease.owner) == owner, col(TickLease.acquired_at)),
                    else_=literal(now, AwareDateTime()),
                ),
            )
            .returning(col(TickLease.name))
        ).first()
    if won is None:
        logger.info("Reminder tick skipped: lease held by %s", holder)
        return False
    if holder and holder != owner and holder in takeable:
        logger.warning("Took over the tick lease of %s, which is no longer running", holder)
    return True


def release(engine: Engine, owner: str, *, name: str = TICK_LEASE) -> None:
    """Give the lease up early (only if still ours)."""
    with write_session(engine) as session:
        now = database_now(session)
        session.execute(
            update(TickLease)
            .where(col(TickLease.name) == name, col(TickLease.owner) == owner)
            .values(expires_at=now - timedelta(seconds=1))
        )
