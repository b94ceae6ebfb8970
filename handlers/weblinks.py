"""Secret links to the web board: one-time login links, calendar-feed URLs, one-time downloads.

Chat commands issue them (`/bangtheodoi`, `/lich`, CSV exports on Zalo); the web adapter redeems
them. Both sides use these functions, so the token formats live in one place. Secrets are
compared in constant time and never logged; the database keeps only hashes (or, for feeds,
nothing: the feed secret is an HMAC of the feed id under the server key).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from handlers.models import CalendarFeed, DownloadLink, ServerSecret, WebLoginToken
from handlers.types import Attachment

logger = logging.getLogger(__name__)

LOGIN_TTL = timedelta(minutes=15)
DOWNLOAD_TTL = timedelta(hours=1)
MAX_LINKS_PER_HOUR = 10  # login links one admin may ask for
LOGIN_PATH = "/dangnhap"
FEED_PATH = "/lich"
DOWNLOAD_PATH = "/tai"
_KEY_NAME = "web"
LOGIN_SALT = "tro-ly-cchc.login"


class Role(str, Enum):
    """What a web session may do. ADMIN: everything; UNIT_HEAD (later): read its unit's rows."""

    ADMIN = "admin"
    UNIT_HEAD = "unit_head"


class LoginRefusal(str, Enum):
    INVALID = "invalid"
    EXPIRED = "expired"
    USED = "used"


@dataclass(frozen=True)
class LoginGrant:
    actor: str
    role: Role
    unit_id: int | None


def server_key(session: Session) -> bytes:
    """The database's signing key, created on first use (a race keeps the first one written)."""
    row = session.get(ServerSecret, _KEY_NAME)
    if row is None:
        try:
            with session.begin_nested():
                session.add(ServerSecret(name=_KEY_NAME, value=secrets.token_urlsafe(48)))
        except IntegrityError:
            pass
        row = session.get(ServerSecret, _KEY_NAME)
    assert row is not None
    return row.value.encode()


def digest(secret: str) -> str:
    """The stored form of a random secret (sha256, hex)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def same_secret(given: str, expected: str) -> bool:
    """Constant-time comparison of two secrets or digests."""
    return hmac.compare_digest(given.encode(), expected.encode())


def split_token(token: str) -> tuple[int, str] | None:
    """ "<id>.<secret>" → (id, secret); None when malformed."""
    raw_id, dot, secret = token.partition(".")
    if not dot or not raw_id.isdigit() or not secret or len(token) > 200:
        return None
    return int(raw_id), secret


# ---------------------------------------------------------------------- login links
def _serializer(session: Session) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(server_key(session), salt=LOGIN_SALT)


def recent_links(session: Session, actor: str, now: datetime) -> int:
    since = now - timedelta(hours=1)
    return len(
        session.exec(
            select(WebLoginToken.id).where(
                WebLoginToken.actor == actor, col(WebLoginToken.issued_at) >= since
            )
        ).all()
    )


def issue_login_link(
    session: Session,
    *,
    actor: str,
    base_url: str,
    now: datetime,
    role: Role = Role.ADMIN,
    unit_id: int | None = None,
) -> str:
    """A signed one-time login URL, valid LOGIN_TTL; the nonce is recorded to make it
    single-use."""
    nonce = secrets.token_urlsafe(16)
    session.add(
        WebLoginToken(nonce=nonce, actor=actor, role=role.value, unit_id=unit_id, issued_at=now)
    )
    session.flush()
    token = _serializer(session).dumps({"n": nonce})
    return f"{base_url.rstrip('/')}{LOGIN_PATH}?t={token}"


def check_login_token(session: Session, token: str, *, now: datetime) -> LoginGrant | LoginRefusal:
    """Whether the token is genuine, fresh and unused (without using it)."""
    found = _login_row(session, token, now)
    if isinstance(found, LoginRefusal):
        return found
    return LoginGrant(found.actor, Role(found.role), found.unit_id)


def redeem_login_token(
    session: Session, token: str, *, now: datetime
) -> LoginGrant | LoginRefusal:
    """Use the token once: the first caller gets the grant, every later one USED."""
    found = _login_row(session, token, now)
    if isinstance(found, LoginRefusal):
        return found
    claimed = session.exec(
        update(WebLoginToken)
        .where(col(WebLoginToken.id) == found.id, col(WebLoginToken.used_at).is_(None))
        .values(used_at=now)
    )
    if claimed.rowcount != 1:
        return LoginRefusal.USED
    return LoginGrant(found.actor, Role(found.role), found.unit_id)


def _login_row(session: Session, token: str, now: datetime) -> WebLoginToken | LoginRefusal:
    if not token or len(token) > 500:
        return LoginRefusal.INVALID
    try:
        payload = _serializer(session).loads(token, max_age=int(LOGIN_TTL.total_seconds()))
    except SignatureExpired:
        return LoginRefusal.EXPIRED
    except BadSignature:
        return LoginRefusal.INVALID
    nonce = payload.get("n") if isinstance(payload, dict) else None
    row = session.exec(select(WebLoginToken).where(WebLoginToken.nonce == str(nonce))).first()
    if row is None:
        return LoginRefusal.INVALID
    if row.issued_at + LOGIN_TTL < now:  # also checked against our clock, not only the signer's
        return LoginRefusal.EXPIRED
    if row.used_at is not None:
        return LoginRefusal.USED
    return row


# ---------------------------------------------------------------------- calendar feeds
def feed_secret(key: bytes, feed_id: int) -> str:
    mac = hmac.new(key, f"feed:{feed_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac[:24]).decode().rstrip("=")


def feed_url(session: Session, feed: CalendarFeed, base_url: str) -> str:
    assert feed.id is not None
    secret = feed_secret(server_key(session), feed.id)
    return f"{base_url.rstrip('/')}{FEED_PATH}/{feed.id}.{secret}.ics"


def active_feed(
    session: Session, *, unit_id: int, person_id: int | None = None, created_by: str = ""
) -> CalendarFeed:
    """The unit's (or one member's) current feed, created when there is none."""
    query = select(CalendarFeed).where(
        CalendarFeed.unit_id == unit_id, col(CalendarFeed.revoked_at).is_(None)
    )
    query = query.where(
        col(CalendarFeed.person_id).is_(None)
        if person_id is None
        else CalendarFeed.person_id == person_id
    )
    feed = session.exec(query.order_by(col(CalendarFeed.id))).first()
    if feed is None:
        feed = CalendarFeed(unit_id=unit_id, person_id=person_id, created_by=created_by)
        session.add(feed)
        session.flush()
    return feed


def revoke_feed(session: Session, feed_id: int, *, by: str, now: datetime) -> bool:
    feed = session.get(CalendarFeed, feed_id)
    if feed is None or feed.revoked_at is not None:
        return False
    feed.revoked_at = now
    feed.revoked_by = by
    session.add(feed)
    return True


def resolve_feed(session: Session, token: str) -> CalendarFeed | None:
    """The active feed named by "<id>.<secret>", the secret checked in constant time."""
    parts = split_token(token)
    if parts is None:
        return None
    feed = session.get(CalendarFeed, parts[0])
    expected = feed_secret(server_key(session), parts[0])
    if not same_secret(parts[1], expected) or feed is None or feed.revoked_at is not None:
        return None
    return feed


# ---------------------------------------------------------------------- one-time downloads
def store_download(
    session: Session, attachment: Attachment, *, actor: str, base_url: str, now: datetime
) -> str:
    """Keep the file behind a one-time URL valid DOWNLOAD_TTL."""
    secret = secrets.token_urlsafe(24)
    row = DownloadLink(
        secret_hash=digest(secret),
        filename=attachment.filename,
        mime_type=attachment.mime_type,
        data=attachment.data,
        actor=actor,
        created_at=now,
        expires_at=now + DOWNLOAD_TTL,
    )
    session.add(row)
    session.flush()
    return f"{base_url.rstrip('/')}{DOWNLOAD_PATH}/{row.id}.{secret}"


def take_download(session: Session, token: str, *, now: datetime) -> DownloadLink | None:
    """The file, once: a second use, a wrong secret or an expired link gives None."""
    parts = split_token(token)
    if parts is None:
        return None
    row = session.get(DownloadLink, parts[0])
    expected = row.secret_hash if row is not None else digest("")
    if not same_secret(digest(parts[1]), expected) or row is None:
        return None
    if row.used_at is not None or row.expires_at < now:
        return None
    claimed = session.exec(
        update(DownloadLink)
        .where(col(DownloadLink.id) == row.id, col(DownloadLink.used_at).is_(None))
        .values(used_at=now)
    )
    return row if claimed.rowcount == 1 else None


def prune(session: Session, *, now: datetime) -> int:
    """Forget what can no longer be used: files past their link (used or expired), login links
    and sessions a day after they ended. Returns the number of rows removed."""
    from sqlalchemy import delete, or_

    from handlers.models import WebSession

    day_ago = now - timedelta(days=1)
    removed = 0
    for statement in (
        delete(DownloadLink).where(
            or_(col(DownloadLink.used_at).is_not(None), col(DownloadLink.expires_at) < now)
        ),
        delete(WebLoginToken).where(col(WebLoginToken.issued_at) < day_ago),
        delete(WebSession).where(col(WebSession.expires_at) < day_ago),
    ):
        removed += session.exec(statement).rowcount or 0
    return removed
