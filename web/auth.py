"""Web sessions: opened by a one-time login link, kept in an HttpOnly cookie, with a CSRF token.

Roles decide what a session may do (handlers.weblinks.Role): an admin sees and changes
everything; a read-only unit role (later) only views, scoped to its unit.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from sqlmodel import Session

from handlers.models import WebSession
from handlers.weblinks import LoginGrant, Role, digest, same_secret, split_token
from web.config import WebConfig

COOKIE = "cchc_phien"
CSRF_FIELD = "csrf"


class Capability(str, Enum):
    VIEW = "view"  # board, charts, deadline detail, document list
    MANAGE = "manage"  # upload, retire, approve, import, revoke feeds


CAPABILITIES: dict[Role, frozenset[Capability]] = {
    Role.ADMIN: frozenset({Capability.VIEW, Capability.MANAGE}),
    Role.UNIT_HEAD: frozenset({Capability.VIEW}),
}


@dataclass(frozen=True)
class Viewer:
    """Who is looking at a page (a detached copy of the session row)."""

    session_id: int
    actor: str
    role: Role
    unit_id: int | None  # a unit role sees only this unit
    csrf_token: str

    def can(self, capability: Capability | str) -> bool:
        return Capability(capability) in CAPABILITIES.get(self.role, frozenset())


def open_session(session: Session, grant: LoginGrant, *, now: datetime, config: WebConfig) -> str:
    """Create a session for a redeemed login link; return the cookie value "<id>.<secret>"."""
    secret = secrets.token_urlsafe(32)
    row = WebSession(secret_hash=digest(secret), actor=grant.actor, role=grant.role.value,
                     unit_id=grant.unit_id, csrf_token=secrets.token_urlsafe(24),
                     created_at=now, expires_at=now + config.session_length)
    session.add(row)
    session.flush()
    return f"{row.id}.{secret}"


def load_viewer(session: Session, cookie: str | None, *, now: datetime) -> Viewer | None:
    """The viewer of a valid, unexpired, unrevoked session cookie, else None."""
    parts = split_token(cookie or "")
    if parts is None:
        return None
    row = session.get(WebSession, parts[0])
    expected = row.secret_hash if row is not None else digest("")
    if not same_secret(digest(parts[1]), expected) or row is None:
        return None
    if row.revoked_at is not None or row.expires_at <= now:
        return None
    assert row.id is not None
    return Viewer(row.id, row.actor, Role(row.role), row.unit_id, row.csrf_token)


def close_session(session: Session, session_id: int, *, now: datetime) -> None:
    row = session.get(WebSession, session_id)
    if row is not None and row.revoked_at is None:
        row.revoked_at = now
        session.add(row)


def csrf_ok(viewer: Viewer, submitted: object) -> bool:
    return isinstance(submitted, str) and bool(submitted) and same_secret(submitted, viewer.csrf_token)
