"""A fake Telegram Bot API server on 127.0.0.1 for tests: records every call, queues updates,
injects failures (429, 500, 403, dropped connections) on demand.

Usage (see the `telegram_server` fixture in tests/conftest.py)::

    server = FakeTelegramServer().start()
    app = Application.builder().token(server.token).base_url(server.base_url)...
    server.enqueue_message(chat_id=42, text="/start")
    server.wait_for(lambda: server.sent_messages(chat_id=42), timeout=10)
    assert server.errors == []

PTB sends `application/x-www-form-urlencoded` bodies whose non-string values are JSON encoded,
and `multipart/form-data` when it uploads a file (sendDocument): the file part is recorded as
{"filename", "mime_type", "data": bytes} under its field name. JSON bodies are accepted too.
Unknown methods answer 404 `ok: false` AND are recorded in `errors`, which every test should
assert is empty.
"""

from __future__ import annotations

import itertools
import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote

DEFAULT_TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghijk"
BOT_ID = 123456789
BOT_USERNAME = "cchc_test_bot"

# Form fields that are plain strings and must never be JSON-decoded ("123" stays a string).
_STRING_FIELDS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "action",
        "callback_query_id",
        "url",
        "secret_token",
        "language_code",
        "inline_message_id",
        "ip_address",
        "business_connection_id",
        "message_effect_id",
        "description",
        "short_description",
        "name",
        "emoji",
    }
)

# Failure kinds accepted by `fail_next`.
FAIL_KINDS = ("429", "500", "403", "drop", "400")


@dataclass
class RecordedRequest:
    """One HTTP call the server received."""

    method: str
    params: dict[str, Any]
    at: float  # time.monotonic()
    wall: float  # time.time()
    outcome: str = "ok"  # "ok" or the injected failure kind, or "unknown"/"unauthorized"


@dataclass
class _Failure:
    kind: str
    remaining: int
    chat_id: str | None
    retry_after: int
    description: str


@dataclass
class _State:
    updates: list[dict[str, Any]] = field(default_factory=list)
    requests: list[RecordedRequest] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    failures: dict[str, list[_Failure]] = field(default_factory=dict)
    commands: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # by scope
    webhook_url: str = ""
    confirmed_offset: int = 0


class FakeTelegramServer:
    """In-process Bot API stand-in; thread-safe; one bot token."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_username: str = BOT_USERNAME,
        max_poll_seconds: float = 1.0,
        latency: float = 0.0,
    ) -> None:
        self.token = token
        # Seconds every call but getUpdates takes before its answer, like the real API's round
        # trip (benchmarks use 0.15 and 0.3); calls overlap, each on its own thread.
        self.latency = latency
        self.bot_username = bot_username
        self.bot_id = int(token.split(":", 1)[0]) if token.split(":", 1)[0].isdigit() else BOT_ID
        self.max_poll_seconds = max_poll_seconds  # long polls are capped so shutdown stays quick
        self._state = _State()
        self._cond = threading.Condition()
        self._update_ids = itertools.count(1000)
        self._message_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._stopping = False
        self._files: dict[str, tuple[str, bytes]] = {}  # file_id → (file_path, bytes) for getFile
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> FakeTelegramServer:
        server = self

        class Handler(_Handler):
            fake = server

        self._httpd = _Server(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="fake-telegram", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> FakeTelegramServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._httpd is not None, "server not started"
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        """Value for TELEGRAM_BASE_URL / Application.builder().base_url(): the token is
        appended."""
        return f"http://127.0.0.1:{self.port}/bot"

    # ------------------------------------------------------------------ inspection
    @property
    def requests(self) -> list[RecordedRequest]:
        with self._cond:
            return list(self._state.requests)

    @property
    def errors(self) -> list[str]:
        """Protocol errors (unknown method, bad token, unparsable body). Tests assert it is
        empty."""
        with self._cond:
            return list(self._state.errors)

    @property
    def commands(self) -> list[dict[str, Any]]:
        """The command menu of the default scope."""
        return self.commands_for(None)

    def commands_for(self, scope: dict[str, Any] | None) -> list[dict[str, Any]]:
        """The command menu set for a scope, e.g. {"type": "chat", "chat_id": 5}."""
        with self._cond:
            return list(self._state.commands.get(_scope_key(scope), []))

    def calls(self, method: str, *, outcome: str | None = "ok") -> list[dict[str, Any]]:
        """Params of every call of `method` (only successful ones unless outcome=None)."""
        with self._cond:
            return [
                r.params
                for r in self._state.requests
                if r.method == method and (outcome is None or r.outcome == outcome)
            ]

    def sent_messages(self, chat_id: int | str | None = None) -> list[dict[str, Any]]:
        """Params of every successful sendMessage, optionally for one chat."""
        return [
            p
            for p in self.calls("sendMessage")
            if chat_id is None or str(p.get("chat_id")) == str(chat_id)
        ]

    def sent_documents(self, chat_id: int | str | None = None) -> list[dict[str, Any]]:
        """Params of every successful sendDocument (the file under "document"), optionally for
        one chat."""
        return [
            p
            for p in self.calls("sendDocument")
            if chat_id is None or str(p.get("chat_id")) == str(chat_id)
        ]

    def sent_texts(self, chat_id: int | str | None = None) -> list[str]:
        return [str(p.get("text", "")) for p in self.sent_messages(chat_id)]

    def pending_updates(self) -> int:
        with self._cond:
            return len(self._state.updates)

    def wait_for(
        self, predicate: Callable[[], Any], timeout: float = 10.0, interval: float = 0.02
    ) -> Any:
        """Poll `predicate` until it returns something truthy; raise AssertionError on timeout."""
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout}s waiting for {predicate}")
            time.sleep(interval)

    def wait_for_messages(
        self, count: int, chat_id: int | str | None = None, timeout: float = 10.0
    ) -> list[dict[str, Any]]:
        """Wait until at least `count` messages were sent (to `chat_id`); return them all."""
        return self.wait_for(
            lambda: (msgs := self.sent_messages(chat_id)) and len(msgs) >= count and msgs,
            timeout,
        )

    def wait_until_consumed(self, timeout: float = 10.0) -> None:
        """Wait until the bot confirmed (by offset) every queued update."""
        self.wait_for(lambda: self.pending_updates() == 0, timeout)

    # ------------------------------------------------------------------ failure injection
    def fail_next(
        self,
        method: str,
        kind: str,
        *,
        times: int = 1,
        chat_id: int | str | None = None,
        retry_after: int = 1,
        description: str = "",
    ) -> None:
        """Make the next `times` calls of `method` (to `chat_id` if given) fail with `kind`:
        "429" (Too Many Requests, retry_after), "500", "403" (bot was blocked by the user),
        "400", or "drop" (the connection is closed mid-request, no response)."""
        if kind not in FAIL_KINDS:
            raise ValueError(f"unknown failure kind {kind!r}; use one of {FAIL_KINDS}")
        with self._cond:
            self._state.failures.setdefault(method, []).append(
                _Failure(
                    kind,
                    times,
                    None if chat_id is None else str(chat_id),
                    retry_after,
                    description,
                )
            )

    def _take_failure(self, method: str, params: dict[str, Any]) -> _Failure | None:
        chat = params.get("chat_id")
        for failure in self._state.failures.get(method, []):
            if failure.remaining > 0 and (failure.chat_id is None or failure.chat_id == str(chat)):
                failure.remaining -= 1
                return failure
        return None

    # ------------------------------------------------------------------ update builders
    def user(self, user_id: int, first_name: str = "Người dùng") -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "vi"}

    def bot_user(self) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "Trợ lý CCHC",
            "username": self.bot_username,
        }

    @staticmethod
    def chat(chat_id: int, chat_type: str = "private", title: str = "") -> dict[str, Any]:
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = "Người dùng"
        else:
            chat["title"] = title or "Nhóm đơn vị"
        return chat

    def enqueue_update(self, update: dict[str, Any]) -> int:
        """Queue a raw update (an `update_id` is assigned unless present); return its id."""
        with self._cond:
            update = dict(update)
            update.setdefault("update_id", next(self._update_ids))
            self._state.updates.append(update)
            self._cond.notify_all()
            return int(update["update_id"])

    def enqueue_message(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        first_name: str = "Người dùng",
        chat_type: str = "private",
        title: str = "",
        reply_to_bot: bool = False,
        update_id: int | None = None,
    ) -> int:
        """Queue a text message; commands and @mentions get their entities like Telegram does."""
        message = self._message(chat_id, user_id, first_name, chat_type, title)
        message["text"] = text
        entities = _entities(text)
        if entities:
            message["entities"] = entities
        if reply_to_bot:
            message["reply_to_message"] = {
                "message_id": next(self._message_ids),
                "date": int(time.time()) - 60,
                "chat": self.chat(chat_id, chat_type, title),
                "from": self.bot_user(),
                "text": "…",
            }
        update: dict[str, Any] = {"message": message}
        if update_id is not None:
            update["update_id"] = update_id
        return self.enqueue_update(update)

    def enqueue_group_message(
        self, chat_id: int, text: str, *, user_id: int, title: str = "Nhóm đơn vị", **kw: Any
    ) -> int:
        return self.enqueue_message(
            chat_id, text, user_id=user_id, chat_type="supergroup", title=title, **kw
        )

    def enqueue_photo(self, chat_id: int, *, user_id: int | None = None, caption: str = "") -> int:
        message = self._message(chat_id, user_id, "Người dùng", "private", "")
        message["photo"] = [
            {"file_id": "AgACphoto1", "file_unique_id": "u1", "width": 90, "height": 90}
        ]
        if caption:
            message["caption"] = caption
        return self.enqueue_update({"message": message})

    def enqueue_document(
        self,
        chat_id: int,
        filename: str,
        data: bytes,
        *,
        user_id: int | None = None,
        mime_type: str = "application/octet-stream",
        caption: str = "",
        file_size: int | None = None,
    ) -> int:
        """Queue a file sent to the bot; getFile and the file download serve `data`.
        `file_size` overrides the size Telegram reports (a file too large to download)."""
        message = self._message(chat_id, user_id, "Người dùng", "private", "")
        file_id = f"BQAD{len(self._files) + 1:04d}"
        with self._cond:
            self._files[file_id] = (f"documents/file_{len(self._files) + 1}", data)
        message["document"] = {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_name": filename,
            "mime_type": mime_type,
            "file_size": len(data) if file_size is None else file_size,
        }
        if caption:
            message["caption"] = caption
        return self.enqueue_update({"message": message})

    def downloads(self) -> list[str]:
        """File paths downloaded through /file/bot<token>/<path>."""
        return [str(p.get("file_path")) for p in self.calls("downloadFile")]

    def enqueue_sticker(self, chat_id: int, *, user_id: int | None = None) -> int:
        message = self._message(chat_id, user_id, "Người dùng", "private", "")
        message["sticker"] = {
            "file_id": "CAACsticker",
            "file_unique_id": "s1",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "👍",
        }
        return self.enqueue_update({"message": message})

    def enqueue_callback(
        self,
        chat_id: int,
        data: str,
        *,
        user_id: int | None = None,
        message_id: int | None = None,
        chat_type: str = "private",
    ) -> int:
        """Queue a button press on `message_id` (default: the last message the bot sent there)."""
        if message_id is None:
            sent = [r for r in self.calls("sendMessage") if str(r.get("chat_id")) == str(chat_id)]
            message_id = int(sent[-1]["_message_id"]) if sent else next(self._message_ids)
        uid = user_id if user_id is not None else chat_id
        query = {
            "id": str(next(self._callback_ids)),
            "from": self.user(uid),
            "chat_instance": f"ci{chat_id}",
            "data": data,
            "message": {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": self.chat(chat_id, chat_type),
                "from": self.bot_user(),
                "text": "…",
            },
        }
        return self.enqueue_update({"callback_query": query})

    def _message(
        self, chat_id: int, user_id: int | None, first_name: str, chat_type: str, title: str
    ) -> dict[str, Any]:
        uid = user_id if user_id is not None else chat_id
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": self.chat(chat_id, chat_type, title),
            "from": self.user(uid, first_name),
        }

    # ------------------------------------------------------------------ API methods
    def _dispatch(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        return 200, {"ok": True, "result": handler(params)}

    def _api_getMe(self, params: dict[str, Any]) -> Any:
        me = self.bot_user()
        me.update(
            can_join_groups=True, can_read_all_group_messages=False, supports_inline_queries=False
        )
        return me

    def _api_getUpdates(self, params: dict[str, Any]) -> Any:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = min(float(params.get("timeout") or 0), self.max_poll_seconds)
        deadline = time.monotonic() + timeout
        with self._cond:
            if offset:
                # Telegram forgets every update below the offset: they are confirmed.
                self._state.updates = [
                    u for u in self._state.updates if int(u["update_id"]) >= offset
                ]
                self._state.confirmed_offset = max(self._state.confirmed_offset, offset)
            while True:
                ready = [u for u in self._state.updates if int(u["update_id"]) >= offset]
                remaining = deadline - time.monotonic()
                if ready or remaining <= 0 or self._stopping:
                    return ready[:limit]
                self._cond.wait(remaining)

    def _sent_message(self, params: dict[str, Any], message_id: int | None = None) -> Any:
        chat_id = params.get("chat_id")
        mid = message_id if message_id is not None else next(self._message_ids)
        params["_message_id"] = mid
        chat_type = "private" if int(chat_id or 0) > 0 else "supergroup"
        message: dict[str, Any] = {
            "message_id": mid,
            "date": int(time.time()),
            "chat": self.chat(int(chat_id or 0), chat_type),
            "from": self.bot_user(),
            "text": params.get("text", ""),
        }
        if "reply_markup" in params:
            message["reply_markup"] = params["reply_markup"]
        return message

    def _api_sendMessage(self, params: dict[str, Any]) -> Any:
        return self._sent_message(params)

    def _api_sendDocument(self, params: dict[str, Any]) -> Any:
        document = params.get("document")
        if not isinstance(document, dict) or not isinstance(document.get("data"), bytes):
            # a file_id or URL string: this fake only stores uploads
            self._error(f"sendDocument without an uploaded file: {document!r}"[:200])
        message = self._sent_message(params)
        del message["text"]
        if isinstance(document, dict):
            mid = params["_message_id"]
            message["document"] = {
                "file_id": f"doc{mid}",
                "file_unique_id": f"udoc{mid}",
                "file_name": document.get("filename") or "",
                "mime_type": document.get("mime_type") or "",
                "file_size": len(document.get("data") or b""),
            }
        if "caption" in params:
            message["caption"] = params["caption"]
        return message

    def _api_editMessageText(self, params: dict[str, Any]) -> Any:
        if "inline_message_id" in params:
            return True
        return self._sent_message(params, int(params.get("message_id") or 0))

    def _api_editMessageReplyMarkup(self, params: dict[str, Any]) -> Any:
        if "inline_message_id" in params:
            return True
        return self._sent_message(params, int(params.get("message_id") or 0))

    def _api_getFile(self, params: dict[str, Any]) -> Any:
        file_id = str(params.get("file_id", ""))
        with self._cond:
            found = self._files.get(file_id)
        if found is None:
            self._error(f"getFile for an unknown file_id {file_id!r}")
            return {"file_id": file_id, "file_unique_id": f"u{file_id}"}
        path, data = found
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": len(data),
            "file_path": path,
        }

    def file_bytes(self, file_path: str) -> bytes | None:
        with self._cond:
            return next((data for path, data in self._files.values() if path == file_path), None)

    def _api_answerCallbackQuery(self, params: dict[str, Any]) -> Any:
        return True

    def _api_sendChatAction(self, params: dict[str, Any]) -> Any:
        return True

    def _api_setMyCommands(self, params: dict[str, Any]) -> Any:
        with self._cond:
            key = _scope_key(params.get("scope"))
            self._state.commands[key] = list(params.get("commands") or [])
        return True

    def _api_getMyCommands(self, params: dict[str, Any]) -> Any:
        return self.commands_for(params.get("scope"))

    def _api_deleteMyCommands(self, params: dict[str, Any]) -> Any:
        with self._cond:
            self._state.commands.pop(_scope_key(params.get("scope")), None)
        return True

    def _api_deleteWebhook(self, params: dict[str, Any]) -> Any:
        with self._cond:
            self._state.webhook_url = ""
        return True

    def _api_setWebhook(self, params: dict[str, Any]) -> Any:
        with self._cond:
            self._state.webhook_url = str(params.get("url", ""))
        return True

    def _api_getWebhookInfo(self, params: dict[str, Any]) -> Any:
        with self._cond:
            url = self._state.webhook_url
        return {"url": url, "has_custom_certificate": False, "pending_update_count": 0}

    def _api_close(self, params: dict[str, Any]) -> Any:
        return True

    def _api_logOut(self, params: dict[str, Any]) -> Any:
        return True

    # ------------------------------------------------------------------ request plumbing
    def _record(self, method: str, params: dict[str, Any], outcome: str) -> RecordedRequest:
        record = RecordedRequest(method, params, time.monotonic(), time.time(), outcome)
        with self._cond:
            self._state.requests.append(record)
        return record

    def _error(self, message: str) -> None:
        with self._cond:
            self._state.errors.append(message)


def _scope_key(scope: dict[str, Any] | None) -> str:
    return json.dumps(scope or {"type": "default"}, sort_keys=True)


def _entities(text: str) -> list[dict[str, Any]]:
    """bot_command and mention entities, offsets in UTF-16 code units as Telegram counts them."""
    entities: list[dict[str, Any]] = []
    position = 0
    for word in text.split(" "):
        start16 = len(text[:position].encode("utf-16-le")) // 2
        length16 = len(word.encode("utf-16-le")) // 2
        if word.startswith("/") and position == 0 and len(word) > 1:
            entities.append({"type": "bot_command", "offset": 0, "length": length16})
        elif word.startswith("@") and len(word) > 1:
            entities.append({"type": "mention", "offset": start16, "length": length16})
        position += len(word) + 1
    return entities


def _form_value(key: str, value: str) -> Any:
    if key in _STRING_FIELDS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _decode_form(body: bytes) -> dict[str, Any]:
    return {
        key: _form_value(key, value)
        for key, value in parse_qsl(
            body.decode("utf-8"), keep_blank_values=True, strict_parsing=False
        )
    }


def _decode_multipart(content_type: str, body: bytes) -> dict[str, Any]:
    """Fields as in a form body; a part with a filename becomes {"filename", "mime_type",
    "data"}."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    if not message.is_multipart():
        raise ValueError("multipart body without parts")
    params: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not name:
            raise ValueError("multipart part without a name")
        data = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        if filename is not None:
            params[name] = {
                "filename": filename,
                "mime_type": part.get_content_type(),
                "data": data,
            }
        else:
            charset = part.get_content_charset() or "utf-8"
            params[name] = _form_value(name, data.decode(charset))
    return params


class _Server(ThreadingHTTPServer):
    request_queue_size = 256  # a broadcast opens many connections at once


class _Handler(BaseHTTPRequestHandler):
    fake: FakeTelegramServer
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle on, each response waits ~40 ms for the
    # client's delayed ACK, which made every call look slow.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output clean

    def do_GET(self) -> None:
        self._serve(b"")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if len(body) < length:
            return  # the client died mid-request (a killed bot): Telegram never sees such a call
        self._serve(body)

    def _serve(self, body: bytes) -> None:
        fake = self.fake
        path, _, query = self.path.partition("?")
        if unquote(path).startswith(f"/file/bot{fake.token}/"):  # httpx quotes the token's ':'
            path = unquote(path)
            self._serve_file(path[len(f"/file/bot{fake.token}/") :])
            return
        prefix = f"/bot{fake.token}/"
        if not path.startswith(prefix):
            fake._record(path.rsplit("/", 1)[-1], {}, "unauthorized")
            fake._error(
                f"bad path or token: {path.split('/bot')[0]}/bot…/{path.rsplit('/', 1)[-1]}"
            )
            self._send(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
            return
        method = path[len(prefix) :]
        try:
            params = self._params(body, query)
        except ValueError as exc:
            fake._record(method, {}, "bad_body")
            fake._error(f"{method}: unparsable body ({exc})")
            self._send(400, {"ok": False, "error_code": 400, "description": "Bad Request: body"})
            return
        with fake._cond:
            failure = fake._take_failure(method, params)
        if failure is not None:
            fake._record(method, params, failure.kind)
            self._fail(failure)
            return
        if not hasattr(fake, f"_api_{method}"):
            fake._record(method, params, "unknown")
            fake._error(f"unknown method {method}")
            self._send(404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        record = fake._record(method, params, "ok")
        status, payload = fake._dispatch(method, record.params)
        if fake.latency > 0 and method != "getUpdates":
            time.sleep(fake.latency)
        self._send(status, payload)

    def _serve_file(self, file_path: str) -> None:
        """The file download URL of the Bot API: raw bytes, or 404."""
        fake = self.fake
        data = fake.file_bytes(file_path)
        fake._record(
            "downloadFile", {"file_path": file_path}, "ok" if data is not None else "unknown"
        )
        if data is None:
            fake._error(f"download of an unknown file {file_path!r}")
            self._send(404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _params(self, body: bytes, query: str) -> dict[str, Any]:
        params: dict[str, Any] = _decode_form(query.encode()) if query else {}
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if not body:
            return params
        if content_type == "application/json":
            loaded = json.loads(body.decode("utf-8"))
            if not isinstance(loaded, dict):
                raise ValueError("JSON body is not an object")
            params.update(loaded)
        elif content_type in ("application/x-www-form-urlencoded", ""):
            params.update(_decode_form(body))
        elif content_type == "multipart/form-data":
            params.update(_decode_multipart(self.headers.get("Content-Type") or "", body))
        else:
            raise ValueError(f"unsupported content type {content_type!r}")
        return params

    def _fail(self, failure: _Failure) -> None:
        if failure.kind == "drop":
            # Close the socket without a response: the client sees the connection dropped.
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        if failure.kind == "429":
            self._send(
                429,
                {
                    "ok": False,
                    "error_code": 429,
                    "description": failure.description
                    or f"Too Many Requests: retry after {failure.retry_after}",
                    "parameters": {"retry_after": failure.retry_after},
                },
            )
        elif failure.kind == "403":
            self._send(
                403,
                {
                    "ok": False,
                    "error_code": 403,
                    "description": failure.description or "Forbidden: bot was blocked by the user",
                },
            )
        elif failure.kind == "400":
            self._send(
                400,
                {
                    "ok": False,
                    "error_code": 400,
                    "description": failure.description or "Bad Request: chat not found",
                },
            )
        else:
            self._send(
                500,
                {
                    "ok": False,
                    "error_code": 500,
                    "description": failure.description or "Internal Server Error",
                },
            )

    def _send(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client went away (e.g. cancelled a long poll at shutdown)
