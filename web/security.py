"""HTTP hardening: security headers, request size limits, rate limits, redacted access log."""

from __future__ import annotations

import logging
import re
import threading
import time
from collections import defaultdict, deque

from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger(__name__)

SECURITY_HEADERS = [
    (b"content-security-policy",
     b"default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
     b"frame-ancestors 'none'; base-uri 'none'"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
    (b"cache-control", b"no-store"),
]
# Paths that carry a secret: never written to a log as they are.
_SECRET_PATH = re.compile(r"^(/(?:lich|tai))/[^/?]+")


def redact_path(path: str) -> str:
    return _SECRET_PATH.sub(r"\1/***", path)


class SecurityHeaders:
    """Adds the security headers to every response and logs each request without its secrets."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = {"code": 0}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                names = {name for name, _ in message.get("headers", [])}
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + [
                    (k, v) for k, v in SECURITY_HEADERS if k not in names]
            await send(message)

        await self.app(scope, receive, send_with_headers)
        logger.info("%s %s → %s", scope["method"], redact_path(scope["path"]), status["code"])


class TooLarge(Exception):
    pass


class BodyLimit:
    """Refuses (413) a request body over its limit: announced by Content-Length or counted."""

    def __init__(self, app: ASGIApp, *, default_limit: int, upload_limit: int,
                 upload_paths: tuple[str, ...]) -> None:
        self.app = app
        self.default_limit = default_limit
        self.upload_limit = upload_limit
        self.upload_paths = upload_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.upload_limit if scope["path"] in self.upload_paths else self.default_limit
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _plain(send, 413, "Tệp hoặc dữ liệu gửi lên quá lớn.")
            return
        received = {"bytes": 0, "started": False}

        async def counting_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                received["bytes"] += len(message.get("body", b""))
                if received["bytes"] > limit:
                    raise TooLarge()
            return message

        async def tracking_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                received["started"] = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except TooLarge:
            if not received["started"]:
                await _plain(send, 413, "Tệp hoặc dữ liệu gửi lên quá lớn.")


async def _plain(send: Send, status: int, text: str) -> None:
    body = text.encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class SlidingWindow:
    """At most `limit` events per `seconds` per key (client address), in this process."""

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit = limit
        self.seconds = seconds
        self._events: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _trim(self, key: str, now: float) -> deque[float]:
        events = self._events[key]
        while events and events[0] <= now - self.seconds:
            events.popleft()
        return events

    def exceeded(self, key: str) -> bool:
        """Whether the key has already used its allowance (without counting a new event)."""
        with self._lock:
            return len(self._trim(key, time.monotonic())) >= self.limit

    def hit(self, key: str) -> bool:
        """Count one event; False when it is over the limit."""
        with self._lock:
            events = self._trim(key, time.monotonic())
            if len(events) >= self.limit:
                return False
            events.append(time.monotonic())
            return True
