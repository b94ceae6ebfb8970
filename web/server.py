"""Serve the web board with uvicorn inside the bot's own asyncio loop, until told to stop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Callable, Iterator

import uvicorn

from web.app import create_app
from web.config import WebConfig

logger = logging.getLogger(__name__)


class _EmbeddedServer(uvicorn.Server):
    """The bot owns SIGINT/SIGTERM; uvicorn must not replace its handlers."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def bind(host: str, port: int) -> socket.socket:
    """Bind first, so a busy port is a clear error rather than uvicorn exiting the process."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(2048)  # connections wait in the backlog until uvicorn accepts them
    sock.set_inheritable(True)
    return sock


async def serve(config: WebConfig, *, host: str, port: int, stop: asyncio.Event,
                on_ready: Callable[[], None] = lambda: None) -> None:
    """Run until `stop` is set; raises OSError when the address cannot be bound."""
    sock = bind(host, port)
    on_ready()
    server = _EmbeddedServer(uvicorn.Config(create_app(config), log_level="warning",
                                            access_log=False, proxy_headers=False,
                                            server_header=False, lifespan="off"))
    task = asyncio.create_task(server.serve(sockets=[sock]), name="web-board")
    logger.info("web board on http://%s:%d", host, port)
    try:
        await asyncio.wait({task, asyncio.create_task(stop.wait())},
                           return_when=asyncio.FIRST_COMPLETED)
    finally:
        server.should_exit = True
        with contextlib.suppress(Exception):
            await asyncio.wait_for(task, timeout=5)
        sock.close()
