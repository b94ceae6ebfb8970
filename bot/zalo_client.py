"""A small async client for the Zalo Bot Platform API: `{base}/bot{token}/{method}`."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Self

import httpx

from bot.logs import redact

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://bot-api.zaloplatforms.com"
MAX_TEXT_LENGTH = 2000
DEFAULT_RETRY_AFTER = 5.0  # Zalo's 429 carries no retry_after; wait this long unless it does
POOL_SIZE = 20  # connections; the update workers and the reminder sender share them
POOL_WAIT = 10.0  # seconds a request waits for a free connection before PoolTimeout
RETIRE_AFTER = 60.0  # seconds a replaced pool lives on for the requests still using it
UNHEALTHY_AFTER = 3  # requests failing in a row (no answer, or 5xx) mark the client unhealthy


class ZaloError(Exception):
    """An error answer (`ok: false`) or a failed request; its message never holds the token."""

    def __init__(self, method: str, error_code: int | None, description: str) -> None:
        self.method = method
        self.error_code = error_code
        self.description = description
        super().__init__(f"Zalo {method} failed ({error_code}): {description}")


class ZaloBadRequest(ZaloError):
    """400: a parameter the platform refused (e.g. an empty or too long text)."""


class ZaloUnauthorized(ZaloError):
    """401: the bot token is wrong or revoked."""


class ZaloForbidden(ZaloError):
    """403: the bot may not write to this chat (the user left or blocked it)."""


class ZaloNotFound(ZaloError):
    """404: unknown method or chat."""


class ZaloNoUpdate(ZaloError):
    """408: a long poll ended without any update; not a failure."""


class ZaloQuotaExceeded(ZaloError):
    """429: too many requests; wait `retry_after` seconds (None: the platform did not say)."""

    def __init__(self, method: str, description: str, retry_after: float | None) -> None:
        super().__init__(method, 429, description)
        self.retry_after = retry_after


class ZaloServerError(ZaloError):
    """5xx or an answer that is not the API's JSON envelope: worth retrying later."""


class ZaloNetworkError(ZaloError):
    """The request did not complete (connection refused, reset, timed out)."""


_BY_CODE: dict[int, type[ZaloError]] = {
    400: ZaloBadRequest,
    401: ZaloUnauthorized,
    403: ZaloForbidden,
    404: ZaloNotFound,
    408: ZaloNoUpdate,
}


class ZaloClient:
    """Calls Zalo Bot API methods; checks `ok` on every answer, even an HTTP 200."""

    def __init__(
        self,
        token: str,
        base_url: str = DEFAULT_BASE_URL,
        *,
        http: httpx.AsyncClient | None = None,
        request_timeout: float = 15.0,
    ) -> None:
        if not token:
            raise ValueError("a Zalo bot token is required")
        self._token = token
        self._base = base_url.rstrip("/")
        self._own_http = http is None
        self._request_timeout = request_timeout
        self._http = http or self._new_http()
        self._closing: set[asyncio.Task[None]] = set()
        self.failures_in_a_row = 0  # requests without a proper answer, since the last one

    def _new_http(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            timeout=httpx.Timeout(self._request_timeout, pool=POOL_WAIT),
            limits=httpx.Limits(max_connections=POOL_SIZE, max_keepalive_connections=POOL_SIZE),
        )

    @property
    def healthy(self) -> bool:
        """False while the platform has not answered the last few requests (GET /healthz)."""
        return self.failures_in_a_row < UNHEALTHY_AFTER

    def _recycle_pool(self) -> None:
        """Replace the connection pool: after timeouts it may hold connections that never free
        up (every later request then fails with PoolTimeout). The old pool closes aside."""
        if not self._own_http:
            return
        old, self._http = self._http, self._new_http()
        task = asyncio.get_running_loop().create_task(self._retire(old))
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)
        logger.warning("Zalo HTTP connection pool replaced after repeated failures")

    async def _retire(self, old: httpx.AsyncClient) -> None:
        """Close a replaced pool once its healthy requests (even a long poll) had time to end;
        connections still stuck then are cut."""
        try:
            await asyncio.sleep(RETIRE_AFTER)
        finally:
            await old.aclose()

    async def aclose(self) -> None:
        """Close the HTTP connection pool if this client created it."""
        if self._own_http:
            await self._http.aclose()
        for task in list(self._closing):
            task.cancel()  # closes the retired pools now
        if self._closing:
            await asyncio.gather(*self._closing, return_exceptions=True)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def redact(self, text: str) -> str:
        """Remove this client's token (and any URL token) from a text."""
        return redact(text, (self._token,))

    async def call(
        self, method: str, params: dict[str, Any] | None = None, *, timeout: float | None = None
    ) -> Any:
        """POST `params` as JSON to `method`; return `result` or raise a typed ZaloError."""
        url = f"{self._base}/bot{self._token}/{method}"
        try:
            response = await self._http.post(
                url,
                json=params or {},
                # a bare number would also set the pool wait: keep POOL_WAIT short for it
                timeout=httpx.Timeout(
                    timeout if timeout is not None else self._request_timeout, pool=POOL_WAIT
                ),
            )
        except httpx.HTTPError as exc:
            self.failures_in_a_row += 1
            if isinstance(exc, httpx.PoolTimeout) or self.failures_in_a_row % UNHEALTHY_AFTER == 0:
                self._recycle_pool()
            # httpx messages may carry the URL, hence the token: keep only a redacted summary.
            raise ZaloNetworkError(
                method, None, self.redact(f"{type(exc).__name__}: {exc}")
            ) from None
        try:
            body = response.json()
        except ValueError:
            body = None
        # a 5xx or a body that is not the API's answer counts as "cannot send" for /healthz
        failed = response.status_code >= 500 or not isinstance(body, dict) or "ok" not in body
        self.failures_in_a_row = self.failures_in_a_row + 1 if failed else 0
        if not isinstance(body, dict) or "ok" not in body:
            if response.status_code == 408:
                raise ZaloNoUpdate(method, 408, "no update")
            if response.status_code == 429:
                raise ZaloQuotaExceeded(method, "Quota exceeded", None)
            code = response.status_code
            cls = _BY_CODE.get(code, ZaloServerError)
            raise cls(method, code, self.redact(f"unexpected answer (HTTP {code})"))
        if body.get("ok") is True:
            return body.get("result")
        raw_code = body.get("error_code", response.status_code)
        try:
            code = int(raw_code)
        except (TypeError, ValueError):
            code = response.status_code
        description = self.redact(str(body.get("description") or "unknown error"))
        if code == 429:
            params_ = body.get("parameters") if isinstance(body.get("parameters"), dict) else {}
            retry_after = params_.get("retry_after", body.get("retry_after"))
            try:
                seconds: float | None = max(float(retry_after), 0.0)
            except (TypeError, ValueError):
                seconds = None
            raise ZaloQuotaExceeded(method, description, seconds)
        raise _BY_CODE.get(code, ZaloServerError if code >= 500 else ZaloError)(
            method, code, description
        )

    async def get_me(self) -> dict[str, Any]:
        """The bot's own account (id, account_name, …); also proves the token works."""
        result = await self.call("getMe")
        return result if isinstance(result, dict) else {}

    async def get_updates(self, timeout: int = 30) -> list[dict[str, Any]]:
        """Long-poll for the next update: Zalo returns ONE update (no offset); 408 means none."""
        try:
            result = await self.call("getUpdates", {"timeout": str(timeout)}, timeout=timeout + 10)
        except ZaloNoUpdate:
            return []
        if isinstance(result, dict):
            return [result]
        if isinstance(result, list):  # tolerate a list, should the platform ever batch
            return [u for u in result if isinstance(u, dict)]
        return []

    async def send_message(self, chat_id: str, text: str) -> dict[str, Any]:
        """Send a plain text of 1–2000 characters."""
        if not text or len(text) > MAX_TEXT_LENGTH:
            raise ValueError(f"Zalo text must be 1–{MAX_TEXT_LENGTH} characters, got {len(text)}")
        result = await self.call("sendMessage", {"chat_id": chat_id, "text": text})
        return result if isinstance(result, dict) else {}

    async def send_chat_action(self, chat_id: str, action: str = "typing") -> None:
        """Show "typing…" in the chat for a few seconds."""
        await self.call("sendChatAction", {"chat_id": chat_id, "action": action})

    async def set_webhook(self, url: str, secret_token: str) -> dict[str, Any]:
        """Register the HTTPS URL Zalo pushes updates to, with the X-Bot-Api-Secret-Token value."""
        result = await self.call("setWebhook", {"url": url, "secret_token": secret_token})
        return result if isinstance(result, dict) else {}

    async def delete_webhook(self) -> None:
        """Remove the webhook so that getUpdates works."""
        await self.call("deleteWebhook")
