"""A lease row in the database so that only one process runs the reminder tick at a time."""

from __future__ import annotations

import logging
import os
import socket
from datetime import datetime, timedelta, timezone

from sqlalchemy.engine import Engine

from jobs.models import TickLease
from jobs.outbox import from_db, to_db
from knowledge.db import write_session

logger = logging.getLogger(__name__)

TICK_LEASE = "reminder-tick"


def _wall() -> datetime:
    return datetime.now(timezone.utc)


def owner_is_dead(owner: str) -> bool:
    """True when the owner ("host:pid") is a process of this host that no longer exists."""
    host, _, pid = owner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another machine: only expiry can free its lease
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def acquire(engine: Engine, owner: str, *, ttl: timedelta, name: str = TICK_LEASE) -> bool:
    """Take or renew the lease; False when another live owner holds an unexpired one.

    Leases run on the wall clock, not on a simulated `--now`, because they guard real processes.
    A lease left by a crashed process of this host is taken over at once instead of waiting out
    its expiry.
    """
    now = _wall()
    with write_session(engine) as session:  # BEGIN IMMEDIATE: the check and the take are atomic
        lease = session.get(TickLease, name)
        if lease is not None and lease.owner != owner and from_db(lease.expires_at) > now:
            if not owner_is_dead(lease.owner):
                logger.info("Reminder tick skipped: lease held by %s", lease.owner)
                return False
            logger.warning("Taking over the tick lease of %s, which is no longer running", lease.owner)
        if lease is None:
            lease = TickLease(name=name, owner=owner, expires_at=to_db(now + ttl), acquired_at=to_db(now))
            session.add(lease)
        else:
            if lease.owner != owner:
                lease.acquired_at = to_db(now)
            lease.owner = owner
            lease.expires_at = to_db(now + ttl)
    return True


def release(engine: Engine, owner: str, *, name: str = TICK_LEASE) -> None:
    """Give the lease up early (only if still ours)."""
    with write_session(engine) as session:
        lease = session.get(TickLease, name)
        if lease is not None and lease.owner == owner:
            lease.expires_at = to_db(_wall() - timedelta(seconds=1))
