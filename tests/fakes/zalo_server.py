"""A fake Zalo Bot Platform API on 127.0.0.1 (random port) that records every request.

Faithful to the platform's documented behaviour: `{base}/bot{token}/{method}`, GET or POST with
JSON or form parameters, the `{ok, result, description, error_code}` envelope (a bad request is
`ok: false` with HTTP 200), getUpdates returns ONE update per call with no offset and answers
408 when a long poll ends empty, getUpdates fails while a webhook is set, chat ids are known only
from inbound messages, and failures (429 "Quota exceeded", 403, 500) can be injected on demand.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

KNOWN_METHODS = {
    "getMe",
    "getUpdates",
    "setWebhook",
    "deleteWebhook",
    "getWebhookInfo",
    "sendMessage",
    "sendPhoto",
    "sendSticker",
    "sendChatAction",
}


class _QuietServer(ThreadingHTTPServer):
    """Clients hanging up mid-request (a cancelled long poll at shutdown) are normal here."""

    def handle_error(self, request: object, client_address: object) -> None:
        import sys

        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError, OSError)):
            return
        super().handle_error(request, client_address)


@dataclass
class Recorded:
    method: str
    params: dict[str, Any]
    http_status: int
    at: float = field(default_factory=time.monotonic)


class FakeZaloServer:
    """Run with `with FakeZaloServer(token) as server:`; `server.base_url` is the ZALO_BASE_URL."""

    def __init__(
        self, token: str = "12345:fake-zalo-token", *, max_poll_seconds: float = 2.0
    ) -> None:
        self.token = token
        self.max_poll_seconds = max_poll_seconds  # long polls end (408) after at most this long
        self.requests: list[Recorded] = []
        self.webhook: dict[str, str] = {"url": "", "secret_token": ""}
        self.known_chats: set[str] = set()
        self.blocked_chats: set[str] = set()  # sendMessage → 403
        self._updates: list[dict[str, Any]] = []
        self._failures: list[
            tuple[str, int, str]
        ] = []  # (method, error code, how: "http"|"ok200")
        self._cond = threading.Condition()
        self._closing = False
        self._ids = itertools.count(1)
        self._httpd = _QuietServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    # -- lifecycle -------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeZaloServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> FakeZaloServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- test controls ---------------------------------------------------------------------
    def push_update(self, update: dict[str, Any]) -> None:
        """Queue an update for the next getUpdates; its chat becomes known (so replies work)."""
        chat = ((update.get("message") or {}).get("chat") or {}).get("id")
        with self._cond:
            if chat:
                self.known_chats.add(str(chat))
            self._updates.append(update)
            self._cond.notify_all()

    def fail_next(
        self, method: str, error_code: int, *, times: int = 1, http: bool = True
    ) -> None:
        """Make the next `times` calls of `method` fail with `error_code` (HTTP or ok:false)."""
        with self._cond:
            self._failures.extend([(method, error_code, "http" if http else "ok200")] * times)

    def pending_updates(self) -> int:
        with self._cond:
            return len(self._updates)

    def calls(self, method: str) -> list[Recorded]:
        """Recorded calls of one method that succeeded (HTTP 200 and ok: true)."""
        with self._cond:
            return [
                r
                for r in self.requests
                if r.method == method and r.http_status == 200 and r.params.get("_ok", True)
            ]

    def sent_texts(self, chat_id: str | None = None) -> list[str]:
        """Texts of successful sendMessage calls, in order."""
        return [
            r.params["text"]
            for r in self.calls("sendMessage")
            if chat_id is None or str(r.params.get("chat_id")) == chat_id
        ]

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 15.0) -> bool:
        """Wait until `predicate()` holds (re-checked on every request), or the timeout passes."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not predicate():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._cond.wait(min(remaining, 0.2))
        return True

    def wait_for_texts(self, chat_id: str, count: int, timeout: float = 15.0) -> list[str]:
        """Wait until `count` texts went to the chat; return them all (fails loudly if fewer)."""
        if not self.wait_for(lambda: len(self._sent_unlocked(chat_id)) >= count, timeout):
            raise AssertionError(
                f"expected {count} messages to {chat_id}, got: {self._sent_unlocked(chat_id)!r}"
            )
        return self.sent_texts(chat_id)

    def _sent_unlocked(self, chat_id: str) -> list[str]:
        return [
            r.params["text"]
            for r in self.requests
            if r.method == "sendMessage"
            and r.http_status == 200
            and r.params.get("_ok", True)
            and str(r.params.get("chat_id")) == chat_id
        ]

    # -- message factory -------------------------------------------------------------------
    def text_update(
        self,
        chat_id: str,
        text: str,
        *,
        user_id: str | None = None,
        name: str = "Nguyễn Văn A",
        name_field: str = "display_name",
        chat_type: str = "PRIVATE",
        message_id: str | None = None,
        event: str = "message.text.received",
    ) -> dict[str, Any]:
        """An update shaped like the platform's (message ids are opaque strings, date in ms)."""
        message: dict[str, Any] = {
            "from": {"id": user_id or chat_id, name_field: name, "is_bot": False},
            "chat": {"id": chat_id, "chat_type": chat_type},
            "message_id": message_id or f"mid{next(self._ids):06d}",
            "date": int(time.time() * 1000),
        }
        if event == "message.text.received":
            message["text"] = text
        elif event == "message.image.received":
            message["photo"] = "https://example.invalid/photo.jpg"
            if text:
                message["caption"] = text
        elif event == "message.sticker.received":
            message["sticker"] = "0e078a2fb66a5f34067b"
        return {"event_name": event, "message": message}

    # -- HTTP ------------------------------------------------------------------------------
    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # quiet
                return

            def do_GET(self) -> None:  # noqa: N802
                self._serve(dict(parse_qsl(urlsplit(self.path).query)))

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                if len(raw) < length:
                    return  # the client died mid-request: the platform never sees such a call
                ctype = self.headers.get("Content-Type", "")
                params: dict[str, Any] = dict(parse_qsl(urlsplit(self.path).query))
                if raw:
                    if "json" in ctype:
                        try:
                            body = json.loads(raw)
                        except ValueError:
                            self._reply(
                                200,
                                {
                                    "ok": False,
                                    "error_code": 400,
                                    "description": "Bad Request: invalid JSON",
                                },
                            )
                            return
                        if isinstance(body, dict):
                            params.update(body)
                    else:
                        params.update(parse_qsl(raw.decode("utf-8")))
                self._serve(params)

            def _reply(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _serve(self, params: dict[str, Any]) -> None:
                status, payload = server._dispatch(urlsplit(self.path).path, params)
                self._reply(status, payload)

        return Handler

    def _record(self, method: str, params: dict[str, Any], status: int, ok: bool) -> None:
        with self._cond:
            self.requests.append(Recorded(method, {**params, "_ok": ok}, status))
            self._cond.notify_all()

    def _dispatch(self, path: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        prefix = f"/bot{self.token}/"
        if not path.startswith("/bot"):
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        if not path.startswith(prefix):
            self._record(path.rsplit("/", 1)[-1], params, 401, False)
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        method = path[len(prefix) :]
        if method not in KNOWN_METHODS:
            self._record(method, params, 404, False)
            return 404, {
                "ok": False,
                "error_code": 404,
                "description": f"Method {method} not found",
            }

        with self._cond:
            injected = next((f for f in self._failures if f[0] == method), None)
            if injected:
                self._failures.remove(injected)
        if injected:
            _, code, how = injected
            description = {
                429: "Quota exceeded",
                403: "Forbidden",
                500: "Internal Server Error",
            }.get(code, "Error")
            status = code if how == "http" else 200
            self._record(method, params, status, False)
            return status, {"ok": False, "error_code": code, "description": description}

        status, payload = getattr(self, f"_m_{method}")(params)
        self._record(method, params, status, bool(payload.get("ok")))
        return status, payload

    @staticmethod
    def _bad(description: str) -> tuple[int, dict[str, Any]]:
        return 200, {"ok": False, "error_code": 400, "description": f"Bad Request: {description}"}

    def _m_getMe(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        return 200, {
            "ok": True,
            "result": {
                "id": "1459232241454765289",
                "account_name": "bot.TroLyCCHC",
                "account_type": "BASIC",
                "can_join_groups": True,
            },
        }

    def _m_getUpdates(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if self.webhook["url"]:
            return self._bad("webhook is active; call deleteWebhook before getUpdates")
        try:
            wait = min(float(params.get("timeout", 30)), self.max_poll_seconds)
        except (TypeError, ValueError):
            return self._bad("timeout must be a number")
        deadline = time.monotonic() + wait
        with self._cond:
            while not self._updates and not self._closing:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._cond.wait(remaining)
            if not self._updates:
                return 408, {"ok": False, "error_code": 408, "description": "Request timeout"}
            update = self._updates.pop(0)
        return 200, {"ok": True, "result": update}

    def _m_setWebhook(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        url, secret = str(params.get("url", "")), str(params.get("secret_token", ""))
        if not url.startswith(("https://", "http://")):
            return self._bad("url must be an HTTPS URL")
        if not 8 <= len(secret) <= 256:
            return self._bad("secret_token must be 8-256 characters")
        self.webhook = {"url": url, "secret_token": secret}
        return 200, {"ok": True, "result": {"url": url, "updated_at": int(time.time() * 1000)}}

    def _m_deleteWebhook(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        self.webhook = {"url": "", "secret_token": ""}
        return 200, {"ok": True, "result": {"url": "", "updated_at": int(time.time() * 1000)}}

    def _m_getWebhookInfo(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        return 200, {
            "ok": True,
            "result": {"url": self.webhook["url"], "updated_at": int(time.time() * 1000)},
        }

    def _check_chat(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]] | None:
        chat = str(params.get("chat_id", ""))
        if not chat:
            return self._bad("chat_id is required")
        if chat in self.blocked_chats:
            return 403, {
                "ok": False,
                "error_code": 403,
                "description": "Forbidden: user has blocked the bot",
            }
        if chat not in self.known_chats:
            return self._bad("chat not found")
        return None

    def _m_sendMessage(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        error = self._check_chat(params)
        if error:
            return error
        text = params.get("text")
        if not isinstance(text, str) or not 1 <= len(text) <= 2000:
            return self._bad("text must be 1-2000 characters")
        return 200, {
            "ok": True,
            "result": {"message_id": f"out{next(self._ids):06d}", "date": int(time.time() * 1000)},
        }

    def _m_sendChatAction(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        error = self._check_chat(params)
        if error:
            return error
        if params.get("action") not in {"typing", "upload_photo"}:
            return self._bad("unknown action")
        return 200, {"ok": True}

    def _m_sendPhoto(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        return self._check_chat(params) or (
            200,
            {"ok": True, "result": {"message_id": f"out{next(self._ids):06d}"}},
        )

    def _m_sendSticker(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        return self._check_chat(params) or (
            200,
            {"ok": True, "result": {"message_id": f"out{next(self._ids):06d}"}},
        )
