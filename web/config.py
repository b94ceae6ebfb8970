"""What the web board needs from the settings and the composition root."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from knowledge.ingest.staging import MAX_UPLOAD_BYTES as STAGING_MAX_BYTES

SESSION_LENGTH = timedelta(hours=10)  # a working day, with margin
# A document upload: the staging service's own limit, plus room for the multipart envelope
MAX_UPLOAD_BYTES = STAGING_MAX_BYTES + 64 * 1024
MAX_FORM_BYTES = 64 * 1024


@dataclass(frozen=True)
class WebConfig:
    engine: Engine
    tz: ZoneInfo
    clock: Callable[[], datetime]  # aware
    base_url: str
    reminder_offsets: tuple[int, ...] = (7, 3, 1, 0)
    reminder_time: time = time(8, 0)
    session_length: timedelta = SESSION_LENGTH
    max_upload_bytes: int = MAX_UPLOAD_BYTES
    login_per_minute: int = 10  # requests to the login endpoint, per client address
    failures_per_window: int = 10  # failed login/feed/download attempts before a pause
    failure_window: timedelta = timedelta(minutes=15)

    @property
    def secure_cookies(self) -> bool:
        return self.base_url.startswith("https://")

    def now(self) -> datetime:
        return self.clock().astimezone(self.tz)
