"""The webhook HTTP server of every channel: Starlette on uvicorn, bound to one address.

Each channel adds a route with its secret header; Telegram and Zalo share one server when they
listen on the same address and port. A request is checked before its body is read: the secret
(403), then the declared length (413), then the body is read in chunks up to the limit, so a
flood of large bodies costs no memory. Accepted updates go to the channel's UpdatePipeline;
when it is full the platform gets 503 with Retry-After and delivers again later.
GET /healthz answers 200 while every channel can send, else 503.
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import json
import logging
import socket
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.update_pipeline import Admission

logger = logging.getLogger(__name__)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
# parsed JSON body → (update id, chat key, payload), or None for a body that is no update
Parse = Callable[[Any], "tuple[str, str, dict[str, Any]] | None"]
Admit = Callable[[str, str, dict[str, Any]], Awaitable[Admission]]
RETRY_AFTER_SECONDS = 5


class BodyTooLarge(Exception):
    pass


@dataclass(frozen=True)
class WebhookRoute:
    """One channel's endpoint: where, which secret header, how to read and admit an update."""

    channel: str
    path: str
    secret_header: str
    secret: str
    parse: Parse
    admit: Admit


def secret_matches(given: str | None, expected: str) -> bool:
    """Compare a secret header with the configured secret in constant time."""
    if not expected or given is None:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def client_address(request: Request, trusted: Sequence[Network]) -> str:
    """The caller's address; X-Forwarded-For / X-Real-Ip count only from a trusted proxy."""
    peer = request.client.host if request.client else ""
    if not _in(peer, trusted):
        return peer
    forwarded = [a.strip() for a in request.headers.get("x-forwarded-for", "").split(",")]
    for address in reversed([a for a in forwarded if a]):  # the nearest hop not our own proxy
        if not _in(address, trusted):
            return address
    return request.headers.get("x-real-ip", "").strip() or peer


def _in(address: str, networks: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


async def read_limited(request: Request, limit: int) -> bytes:
    """The body, refusing as soon as it passes `limit` bytes (declared or streamed)."""
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            if int(declared) > limit:
                raise BodyTooLarge
        except ValueError as exc:
            raise BodyTooLarge from exc
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


class WebhookServer:
    """One uvicorn server on one address; channels add routes to it while it runs."""

    def __init__(
        self,
        listen: str,
        port: int,
        *,
        max_body_bytes: int = 1_000_000,
        trusted_proxies: Sequence[Network] = (),
        health: Callable[[], dict[str, bool]] = dict,
    ) -> None:
        self.listen = listen
        self.port = port
        self.max_body_bytes = max_body_bytes
        self.trusted_proxies = tuple(trusted_proxies)
        self.health = health
        self.app = Starlette(routes=[Route("/healthz", self._healthz, methods=["GET"])])
        self.users = 0
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task[None] | None = None

    def add(self, route: WebhookRoute) -> None:
        async def endpoint(request: Request) -> Response:
            return await self._receive(route, request)

        self.app.router.routes.append(Route(route.path, endpoint, methods=["POST"]))

    async def start(self) -> None:
        """Bind and serve in the background (port 0 picks a free port, read back into .port)."""
        if self._task is not None:
            return
        family = socket.AF_INET6 if ":" in self.listen else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.listen, self.port))
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            self.app,
            log_level="warning",
            access_log=False,
            lifespan="off",
            proxy_headers=False,  # forwarded headers: only from TRUSTED_PROXIES, see above
            server_header=False,
            timeout_keep_alive=5,
            limit_concurrency=1000,  # beyond this many connections uvicorn answers 503
        )
        self._server = _QuietServer(config)
        self._task = asyncio.create_task(self._server.serve(sockets=[sock]), name="webhook-server")
        while not self._server.started:
            if self._task.done():
                self._task.result()  # a bind or start-up failure surfaces here
            await asyncio.sleep(0.01)
        logger.info("webhook server listening on %s:%d", self.listen, self.port)

    async def stop(self) -> None:
        if self._server is None or self._task is None:
            return
        self._server.should_exit = True
        try:
            await asyncio.wait_for(self._task, timeout=10)
        except Exception as exc:  # noqa: BLE001 - stopping anyway; TimeoutError included
            logger.warning("webhook server did not stop cleanly: %s", type(exc).__name__)
        self._server = self._task = None

    async def _receive(self, route: WebhookRoute, request: Request) -> Response:
        source = client_address(request, self.trusted_proxies)
        if not secret_matches(request.headers.get(route.secret_header), route.secret):
            logger.warning("%s webhook call with a wrong secret from %s", route.channel, source)
            return _error(403, "Forbidden")
        try:
            body = await read_limited(request, self.max_body_bytes)
        except BodyTooLarge:
            logger.warning(
                "%s webhook body over %d bytes from %s refused",
                route.channel,
                self.max_body_bytes,
                source,
            )
            return _error(413, "Payload Too Large")
        try:
            parsed = route.parse(json.loads(body or b"null"))
        except ValueError:
            return _error(400, "Bad Request")
        if parsed is None:
            return JSONResponse({"ok": True})  # nothing we handle: acknowledge
        admission = await route.admit(*parsed)
        if admission is Admission.FULL:
            return JSONResponse(
                {"ok": False, "description": "Busy, retry later"},
                status_code=503,
                headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            )
        return JSONResponse({"ok": True})

    async def _healthz(self, request: Request) -> Response:
        checks = self.health()
        healthy = all(checks.values())
        return JSONResponse(
            {"ok": healthy, "channels": checks}, status_code=200 if healthy else 503
        )


def _error(status: int, description: str) -> Response:
    return JSONResponse({"ok": False, "description": description}, status_code=status)


class _QuietServer(uvicorn.Server):
    """uvicorn inside our event loop: SIGTERM/SIGINT belong to bot.run, not to uvicorn."""

    def capture_signals(self):  # type: ignore[no-untyped-def,override]
        from contextlib import nullcontext

        return nullcontext()


class WebhookServers:
    """The webhook servers of one process, one per (address, port), shared by channels."""

    def __init__(
        self,
        *,
        max_body_bytes: int,
        trusted_proxies: Sequence[Network],
        health: Callable[[], dict[str, bool]],
    ) -> None:
        self.max_body_bytes = max_body_bytes
        self.trusted_proxies = tuple(trusted_proxies)
        self.health = health
        self._servers: dict[tuple[str, int], WebhookServer] = {}

    async def open(self, listen: str, port: int, route: WebhookRoute) -> WebhookServer:
        """Serve `route` on listen:port, starting that server if it is not running yet."""
        key = (listen, port)
        server = self._servers.get(key)
        if server is None:
            server = WebhookServer(
                listen,
                port,
                max_body_bytes=self.max_body_bytes,
                trusted_proxies=self.trusted_proxies,
                health=self.health,
            )
            self._servers[key] = server
        server.add(route)
        server.users += 1
        await server.start()
        return server

    async def release(self, server: WebhookServer) -> None:
        """A channel stops using a server; the last one out stops it."""
        server.users -= 1
        if server.users <= 0:
            self._servers = {k: s for k, s in self._servers.items() if s is not server}
            await server.stop()
